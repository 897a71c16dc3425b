#ifndef PSM_QUERY_H
#define PSM_QUERY_H
/*
 * Search terms, ANDed, in groups separated by "OR" (a match of any group
 * is a match): field:value (status type impact response label owner
 * customer source resolution release duplicate_of external_id), id:,
 * is:open / is:closed, time comparisons (created>2026-11-01, updated<7d:
 * a duration means that long ago), reporters>N, sla:breached (open past a
 * service target: service.h), and free words matched case-insensitively
 * against title, external_id and body. With no status:, is:, id:,
 * external_id: or followup: term in a group, only open issues match it.
 */
#include <stdint.h>

#include "psm/issue.h"
#include "psm/store.h"

struct psm_query;

/*
 * Every search term the parser knows, for completion (and the parser's own
 * lookup, so the two cannot differ): KEY: for fields, labels, is:, id:,
 * followup:, sla:; KEY< and KEY> for times and reporters.
 */
enum psm_term_kind {
	PSM_TERM_FIELD, PSM_TERM_LABEL, PSM_TERM_IS, PSM_TERM_ID, PSM_TERM_FOLLOWUP,
	PSM_TERM_SLA, PSM_TERM_TIME, PSM_TERM_COUNT
};
struct psm_query_term {
	const char *key;
	enum psm_term_kind kind;
	const char *config; /* the config list of its values ("statuses"), or NULL */
	const char *words;  /* its only values, or more values ("me"), space-separated */
};
extern const struct psm_query_term psm_query_terms[];

struct psm_query_ctx {
	const char *me; /* owner:me; NULL when there is no identity */
	int64_t now;
	const struct psm_config *config; /* sla: targets; NULL: the defaults */
};

/* *out is the caller's, to free with psm_query_free(); it keeps ctx->config
 * (sla: terms), which must outlive it. */
int psm_query_parse(struct psm_query **out, int argc, const char *const *argv,
		    const struct psm_query_ctx *ctx);
void psm_query_free(struct psm_query *q);
int psm_query_match(const struct psm_query *q, const struct psm_issue *issue);
/* Would the issue match but for the default of open issues only: it is
 * closed, and every term of a group without status:, is:, id: or the like
 * matches it? (For a hint when nothing open matched.) */
int psm_query_match_closed(const struct psm_query *q, const struct psm_issue *issue);
/* Does it read issue bodies (free words)? Then the caller must load them. */
int psm_query_reads_body(const struct psm_query *q);
/* Does the query use `owner:me` (so the caller must know who "me" is)? */
int psm_query_needs_me(int argc, const char *const *argv);

/* Is the issue open (status other than closed)? */
int psm_issue_is_open(const struct psm_issue *issue);
/* Distinct reporters, by e-mail, else contact, else name. */
size_t psm_issue_reporter_count(const struct psm_issue *issue);

/* Sort keys: created (default), updated, id, title, status, priority (uses
 * issue->score, highest first), reporters (most first). */
int psm_issue_set_sort(struct psm_issue_set *set, const char *key, int reverse);

#endif
