#ifndef PSM_METRICS_H
#define PSM_METRICS_H
/*
 * Service metrics over a set of issues: counts, time to first response and
 * to resolution (median and p90, nearest rank), service targets, follow-ups
 * owed, satisfaction and churn reasons. Pure computation on the issues'
 * fields; docs/metrics.md defines every figure.
 */
#include <stddef.h>
#include <stdint.h>

#include "bizhours.h"
#include "config.h"
#include "git.h"
#include "issue.h"

#define PSM_NO_TIME INT64_MIN

/* The times a metric needs, parsed once; PSM_NO_TIME when absent or bad. */
struct psm_issue_times {
	int64_t created, responded, closed, first_closed, followup_done;
	long reopened;
	int open;          /* status is not closed */
	int has_reporters; /* reporters from outside the team (people.h) */
	int duplicate;     /* closed as a duplicate: its reporters moved on */
};
/* cfg (may be NULL: every reporter counts) says who is on the team. */
void psm_issue_times(struct psm_issue_times *out, const struct psm_issue *issue,
		     const struct psm_config *cfg);

/* Nearest rank: the value at rank ceil(p * n / 100) of sorted v (n > 0). */
int64_t psm_percentile(const int64_t *sorted, size_t n, int p);

/* A service target: response name, limits in seconds (0: none). */
struct psm_target {
	char *response;
	int64_t first_response, resolution;
};

/* What service-level figures need from the config. */
struct psm_service {
	struct psm_target *targets;
	size_t ntargets;
	struct psm_bizhours *biz;     /* NULL: targets run on calendar time */
	const struct psm_config *cfg; /* borrowed, for impacts' default responses */
};

/*
 * Read `targets:` (default: fix-fast, first response 4h, resolution 2d) and
 * `business_hours:` from the config. cfg may be NULL (defaults only).
 */
int psm_service_load(struct psm_service **out, const struct psm_config *cfg);
void psm_service_free(struct psm_service *sv);
/* The target for an issue: its response, else its impact's default. */
const struct psm_target *psm_service_target(const struct psm_service *sv,
					    const struct psm_issue *issue);
/* Duration on the targets' clock: business seconds when configured. */
int64_t psm_service_elapsed(const struct psm_service *sv, int64_t from, int64_t to);

enum { PSM_SLA_RESPONSE = 1, PSM_SLA_RESOLUTION = 2 };
/*
 * Which targets an issue open at `at` has breached: first response late or
 * still missing past its target, or open past its resolution target.
 * 0 for issues closed at `at` or without a target.
 */
unsigned psm_service_breach(const struct psm_service *sv, const struct psm_issue *issue,
			    int64_t at);

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
	int64_t followup_oldest;          /* age in seconds; valid when owed */
	const struct psm_issue *followup_oldest_issue;
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
int psm_release_tags(struct psm_release **out, size_t *n, struct psm_git *g);
void psm_release_tags_free(struct psm_release *r, size_t n);

#endif
