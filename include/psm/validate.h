#ifndef PSM_VALIDATE_H
#define PSM_VALIDATE_H
#include "psm/config.h"
#include "psm/issue.h"
#include "psm/store.h"

/* A label: not empty, no leading '+' or '-', no whitespace or comma. */
int psm_label_valid(const char *label);
/* A label from another tool made valid: trimmed, inner white space and
 * commas turned into '-', leading '+'/'-' dropped. Empty when nothing is left. */
int psm_label_normalize(struct strbuf *out, const char *label);
/*
 * Check one issue's fields against the format and the config's vocabulary;
 * every problem is appended to diag->errors with its line and column.
 * Returns the number of problems found (negative on out-of-memory).
 */
int psm_issue_validate(struct psm_issue_set *diag, const struct psm_issue *issue,
		       const struct psm_config *cfg);
/*
 * The check every write makes before it writes an issue file (txn.c,
 * batch.c, the merge driver): text, the file's bytes, must be what psm check
 * accepts: within the limits of limit.h, an issue file that parses, and free
 * of the problems psm_issue_validate() finds against cfg. Returns 0 when it
 * is; else PSM_EINVALID with the first problem as the message (a limit by
 * name and value), and every problem, with its line, in diag when not NULL.
 */
int psm_validate_write(struct psm_issue_set *diag, const char *path, const char *text,
		       size_t len, const struct psm_config *cfg);
/*
 * Checks across issues, given one at a time in path order (a scan's: an
 * issue need not outlive psm_set_check_add(), which copies only its ID,
 * path, duplicate_of, what it needs to choose the copy to keep and its
 * refs, body markers included): IDs used twice, duplicate_of naming no
 * issue, and issues (not closed as duplicates) that share what identifies
 * an item from outside, (source, external_id), a reporter's ref or a
 * timeline entry's psm-ref: one item taken in twice, e.g. on two clones
 * before they synced (one error per pair, on the copy to merge away,
 * naming the other file and the psm dup command).
 * psm_set_check_finish() appends the problems to diag and returns how many.
 */
struct psm_set_check;
int psm_set_check_new(struct psm_set_check **out);
int psm_set_check_add(struct psm_set_check *c, const struct psm_issue *issue);
int psm_set_check_finish(struct psm_set_check *c, struct psm_issue_set *diag);
void psm_set_check_free(struct psm_set_check *c);

#endif
