#ifndef PSM_METRICS_H
#define PSM_METRICS_H
/*
 * Service metrics over a set of issues: counts, time to first response and
 * to resolution (median and p90, nearest rank), service targets, follow-ups
 * owed, satisfaction and churn reasons. Pure computation on the issues'
 * fields; docs/metrics.md defines every figure. The targets, the business
 * clock and an issue's times are service.h's (the search asks them too).
 */
#include <stddef.h>
#include <stdint.h>

#include "psm/config.h"
#include "psm/git.h"
#include "psm/issue.h"
#include "psm/service.h"

/* Nearest rank: the value at rank ceil(p * n / 100) of sorted v (n > 0). */
int64_t psm_percentile(const int64_t *sorted, size_t n, int p);

/* Churn reasons, in report order; then "other" and "unstated". */
#define PSM_CHURN_KNOWN 5
#define PSM_CHURN_OTHER 5
#define PSM_CHURN_UNSTATED 6
#define PSM_CHURN_SLOTS 7
extern const char *const psm_churn_keys[PSM_CHURN_SLOTS];  /* "missing-capability" */
extern const char *const psm_churn_names[PSM_CHURN_SLOTS]; /* "missing capability" */
/* The churn slot of an issue (labelled churn or with churn_reason), or -1. */
int psm_churn_slot(const struct psm_issue *issue);

/* [since, until): PSM_NO_TIME since means from the beginning. */
struct psm_period {
	int64_t since, until;
};

struct psm_durations {
	size_t n;
	int64_t median, p90;         /* calendar seconds; valid when n > 0 */
	int64_t biz_median, biz_p90; /* business seconds, when business hours are set */
};

struct psm_target_count {
	const struct psm_target *target;
	size_t response_met, response_breached, response_overdue;
	size_t resolution_met, resolution_breached, resolution_overdue;
};

struct psm_metrics {
	size_t created, closed, reopened, open;
	size_t duplicates;                /* closed as duplicates: not in closed */
	struct psm_durations first_response, resolution, full_resolution;
	struct psm_target_count *targets; /* one per service target, config order */
	size_t ntargets;
	size_t followups_owed;
	int has_followup_oldest;          /* an owed issue with a close time */
	int64_t followup_oldest;          /* age in seconds; valid when has_followup_oldest */
	char *followup_oldest_id;         /* its ID, owned; NULL when it has none */
	size_t good, bad;
	size_t churn, churn_by[PSM_CHURN_SLOTS];
};

/*
 * Compute every figure over v[0..n-1] for the period. States ("still open",
 * follow-ups owed, overdue) are taken at min(until, now).
 */
int psm_metrics_compute(struct psm_metrics *out, struct psm_issue *const *v, size_t n,
			const struct psm_period *p, const struct psm_service *sv, int64_t now);
void psm_metrics_release(struct psm_metrics *m);

/*
 * The same figures over issues given one at a time (a scan's, which need
 * not outlive the call): psm_metrics_add() keeps of each issue only its
 * counts and durations, so a command holds no issue. Adding v[0..n-1] in
 * order and finishing gives what psm_metrics_compute() gives. p and sv are
 * borrowed until psm_metrics_finish(), which fills *out (the caller's, to
 * psm_metrics_release()) and frees the accumulator, as psm_metrics_abort()
 * does without a result. *out of begin is NULL on failure.
 */
struct psm_metrics_acc;
int psm_metrics_begin(struct psm_metrics_acc **out, const struct psm_period *p,
		      const struct psm_service *sv, int64_t now);
int psm_metrics_add(struct psm_metrics_acc *acc, const struct psm_issue *issue);
int psm_metrics_finish(struct psm_metrics *out, struct psm_metrics_acc *acc);
void psm_metrics_abort(struct psm_metrics_acc *acc);

/* Satisfaction in whole percent, rounded half up; -1 with no ratings. */
int psm_metrics_satisfaction(const struct psm_metrics *m);

/* ISO 8601 weeks (Monday to Sunday, UTC). "2026-W47" or "2026W47". */
int psm_iso_week_parse(const char *s, int64_t *monday);
/* The Monday 00:00 UTC starting the ISO week that contains t. */
int64_t psm_iso_week_start(int64_t t);
int psm_iso_week_format(struct strbuf *out, int64_t t);

/* Git tags as releases, oldest first: tagger date, else the commit's date. */
struct psm_release {
	char *name;
	int64_t when;
};
/* *out (n entries) is the caller's, to free with psm_release_tags_free(). */
int psm_release_tags(struct psm_release **out, size_t *n, struct psm_git *g);
void psm_release_tags_free(struct psm_release *r, size_t n);

#endif
