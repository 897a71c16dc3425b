#ifndef PSM_IMPORT_H
#define PSM_IMPORT_H
/*
 * Migrating from other trackers (psm import, docs/import.md). Each fills a
 * new issue from the other tool's record; the caller adds it to a batch,
 * which checks it against the config and makes one commit for all.
 */
#include <jansson.h>
#include <stddef.h>

#include "psm/batch.h"
#include "psm/config.h"
#include "psm/issue.h"

/*
 * One element of `gh issue list --json number,title,body,labels,state,
 * createdAt,closedAt,author,url,comments`: source github, external_id and
 * the reporter's ref the URL, dates and labels kept, CLOSED -> status
 * closed with resolution fixed, the comments in the timeline (see
 * psm_github_comments). PSM_EINVALID naming what is missing.
 */
int psm_github_to_issue(struct psm_issue *issue, const json_t *gh);
/*
 * Append to issue's timeline the comments of gh that it does not hold yet
 * (matched by the comment URL, through the batch): kind `reply` for the
 * repository's owners, members and collaborators, `customer` for everyone
 * else. With `now` (comments new to an issue psm already had), a customer's
 * comment on a closed issue brings it back to triage
 * (psm_loop_customer_message); NULL for an issue being imported, whose
 * comments are its history. Returns the number added; PSM_EINVALID when
 * they would make a file psm check refuses (psm_batch_changed()): then
 * none is added.
 */
int psm_github_comments(struct psm_issue *issue, const json_t *gh, struct psm_batch *b,
			const char *now);

/*
 * A Backlog.md task file: title, body, labels kept; status To Do -> new, In
 * Progress -> in-progress, Done -> closed (fixed); priority -> label
 * priority:<p>; the task ID -> external_id (source other); assignee -> owner
 * when the config allows them (else label assignee:<name>); other keys kept
 * as backlog_<key>. PSM_EINVALID (or PSM_EPARSE) saying what is wrong.
 */
int psm_backlog_to_issue(struct psm_issue *issue, const char *text, size_t len,
			 const struct psm_config *cfg, const char *now);

#endif
