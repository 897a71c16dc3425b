#ifndef PSM_CMD_TRIAGE_H
#define PSM_CMD_TRIAGE_H
/*
 * What psm triage's files (triage.c: queue and decisions, triage-score.c,
 * triage-explain.c, triage-session.c, triage-screen.c, triage-tty.c) and
 * the commands near it (similar, park, roadmap, intake's duplicate hint)
 * share.
 */
#include <stdint.h>
#include <stdio.h>

#include "common.h"
#include "owners.h"
#include "psm/score.h"
#include "psm/similar.h"

/* Is the issue in the triage queue: status new, parked and due by now, or
 * closed with a customer's reply since (customer_replied)? */
int triage_in_queue(const struct psm_issue *issue, int64_t now);
/* Closed, and a customer wrote since: back for a decision (reopen or keep
 * closed). */
int triage_replied(const struct psm_issue *issue);
/* Why an issue of the queue is there: "new", "parked" or "customer_replied". */
const char *triage_queue_reason(const struct psm_issue *issue);


/*
 * The queue: every issue triage_in_queue() at `now`, scored and sorted
 * highest priority first, each as its path, score and creation time alone
 * (issue->path, ->score, ->sort_created; no entries, no body: load the file
 * to see it): at 100,000 issues the queue is 27,000 of them. Owners of open
 * issues are counted into ol, and the store's short-ID length put in
 * abbrev, when not NULL. Unreadable files are reported on stderr; returns
 * EXIT_PROBLEMS then, else 0.
 */
int triage_queue_load(struct psm_issue_set *queue, struct psm_store *s, int64_t now,
		      struct owner_load *ol, size_t *abbrev);

/* An owner given by the user: "me" is the git identity's e-mail; checked
 * against a non-empty `owners` list. Dies with a clear message. */
const char *owner_or_die(struct psm_store *s, const char *owner);

/* A triage decision: each field NULL when not decided. */
struct triage_decision {
	const char *type, *impact, *response, *owner;
	const char *const *add, *const *remove; /* labels */
	size_t nadd, nremove;
};
/* Apply it to the issue in memory: status triaged (unless already further
 * along), `triaged` now, the response defaulting to the impact's. */
int triage_apply(struct psm_store *s, struct psm_issue *issue, const struct triage_decision *d,
		 const char *now);

/* The config's default response of an impact, or NULL. */
const char *impact_response(struct psm_store *s, const char *impact);
/* Closed issues stay duplicate candidates this long (similar.window). */
int64_t similar_window(struct psm_store *s);
/* jansson's flags for JSON with scores: 3-decimal values print as 0.833,
 * not 0.83299999999999996 (json_out's flags, for one element at a time) */
#define JSON_SCORES_FLAGS (JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10))
/* Print a JSON value with reals kept short (scores), then a newline. */
void print_json_scores(void *json);
/* Round to 3 decimals for output. */
double round3(double x);

/* park.c: the date (YYYY-MM-DD, after today) for --until DATE or a
 * duration like 2w; and parking an issue in memory. */
int park_until(struct strbuf *date, const char *spec, int64_t now);
int park_apply(struct psm_issue *issue, const char *date, const char *now);

/* intake.c: after taking an issue in, name likely duplicates on stderr. */
void intake_similar_hint(struct psm_store *s, const struct psm_issue *issue);
/*
 * Batch intake: the same hint for each of n new issues, from one open of
 * the index (similar.c), up to INTAKE_HINT_MAX of them. With similar, each
 * issue's hits go there as a JSON array instead of on stderr. 0 when no
 * hint was looked for (none new, too many, similar.on_intake false, no
 * index), else 1.
 */
#define INTAKE_HINT_MAX 1000
int intake_similar_hints(struct psm_store *s, const struct psm_issue *const *issues, size_t n,
			 void **similar);

/* The explain table (triage-explain.c). */
int triage_explain(struct psm_store *s, const char *id, enum output_format fmt);

/*
 * The queue of --queue, kept compactly: each issue packed (cache.h's
 * psm_row, about the size of its file) with what orders it, and unpacked
 * again one at a time to be printed. A queue can hold a quarter of a large
 * store (27,000 of 100,000 issues in bench/), bodies and all, which whole
 * issues would take 175 MiB for.
 */
struct queued {
	struct psm_row *row;
	double score;
	int64_t created;
	const char *suggested; /* psm_score's suggested_impact: a literal */
};

/*
 * Scoring the queue on a thread of their own while the scan goes on
 * (triage-score.c): add each kept row, or an issue (its score set), which
 * must stay as they are until finish. Finish waits and, for rows, sets
 * v[i].score and v[i].suggested for the i-th added (an error when a row
 * does not unpack).
 */
struct triage_scorer;
int triage_scorer_start(struct triage_scorer **out, const struct psm_config *cfg, int64_t now);
int triage_scorer_add(struct triage_scorer *sc, const struct psm_row *row,
		      struct psm_issue *issue);
int triage_scorer_finish(struct triage_scorer *sc, struct queued *v);
void triage_scorer_free(struct triage_scorer *sc);
/* The interactive (or scripted) session (triage-session.c). */
int triage_session(struct psm_store *s, int64_t timebox);

#endif
