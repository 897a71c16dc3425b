#ifndef PSM_REVIEW_H
#define PSM_REVIEW_H
/*
 * The weekly review's figures (`psm review`, docs/metrics.md): for one ISO
 * week, what came in and went out over eight weeks, what blocked users
 * most, what took too long, which release drew confusion, why customers
 * left and which follow-ups are owed. Pure computation on the issues and
 * the release tags; the command lays them out as tables and sentences.
 */
#include <stddef.h>
#include <stdint.h>

#include "psm/issue.h"
#include "psm/metrics.h"
#include "psm/service.h"
#include "psm/store.h"

#define PSM_REVIEW_TREND_WEEKS 8  /* the new-vs-closed trend, the review week last */
#define PSM_REVIEW_CHURN_WEEKS 12 /* the churn reasons' longer view */

struct psm_review_work;

/* One week of the trend: [monday, monday + 7 days). */
struct psm_review_week {
	int64_t monday;
	size_t created, closed, duplicates; /* closed: not as duplicates */
};

/* What the review's lists show of an issue: copied from it, so that no
 * issue need outlive psm_review_add(). */
struct psm_review_issue {
	char *id, *title, *status, *resolution, *path; /* NULL when absent */
	int64_t created;     /* its sort_created */
	size_t reporters;    /* psm_issue_reporter_count() */
};

/* An issue in one of the review's lists. */
struct psm_review_item {
	const struct psm_review_issue *issue; /* the review's */
	int64_t when;        /* slow: created to first close, seconds; late: created;
			      * owed: closed */
	int64_t biz;         /* slow: the same on business hours; -1 without them */
	const struct psm_target *target; /* slow, late: its service target, or NULL */
	unsigned breach;     /* slow: PSM_SLA_RESOLUTION when its target was missed;
			      * late: the targets breached (service.h) */
	size_t reporters, customers; /* core: distinct people and accounts */
};

/* A label of the core issues, by the distinct reporters, customers and
 * issues behind it. */
struct psm_review_label {
	char *label;
	size_t reporters, customers, issues;
};

/* A release: a git tag (when its time) or a `release` value no tag has
 * (when PSM_NO_TIME), and the issues created against it. */
struct psm_review_release {
	const char *name;    /* borrowed from the tags or the issues */
	int64_t when;
	size_t issues, confusion, core;
};

struct psm_review {
	int64_t from, to;    /* the week: [from, to) */
	int64_t at;          /* states are taken here: min(to, now) */

	struct psm_review_week weeks[PSM_REVIEW_TREND_WEEKS];
	size_t open;         /* open at `at` */

	/* core-impact issues open during the week, most reported first */
	struct psm_review_item *core;
	size_t ncore;
	struct psm_review_label *labels; /* theirs, the same order */
	size_t nlabels;

	struct psm_review_item *slow; /* resolved (first close) this week, slowest first */
	size_t nslow;
	struct psm_review_item *late; /* open past a target at `at`, oldest first */
	size_t nlate;

	/* the tags up to the week's end, oldest first, then untagged names */
	struct psm_review_release *releases;
	size_t nreleases, ntagged;

	/* churn records (psm_churn_slot) created this week and in the last 12 */
	size_t churn_week[PSM_CHURN_SLOTS], churn_recent[PSM_CHURN_SLOTS];

	struct psm_review_item *owed; /* follow-ups owed at `at`, longest owed first */
	size_t nowed;

	struct psm_review_work *work; /* what psm_review_add() keeps until finish */
	struct psm_review_issue **kept; /* what the lists point to */
	size_t nkept;
};

/* Issues that show confusion: impact explanation, type usability or docs,
 * churn for confusion, or the label confusion. */
int psm_review_confusing(const struct psm_issue *issue);

/*
 * The figures of the week starting at monday (00:00 UTC) over the valid
 * issues of set, with the service targets sv and the release tags (oldest
 * first, psm_release_tags()); states are taken at min(week's end, now).
 * rv holds pointers into sv and tags, which must outlive it; release it
 * with psm_review_release(). 0, or PSM_ENOMEM with rv released.
 */
int psm_review_compute(struct psm_review *rv, const struct psm_issue_set *set,
		       const struct psm_service *sv, const struct psm_release *tags,
		       size_t ntags, int64_t monday, int64_t now);
void psm_review_release(struct psm_review *rv);

/*
 * The same over issues given one at a time, in path order (a scan's: an
 * issue need not outlive psm_review_add(), which copies only what the
 * figures and the lists need). begin takes what compute takes but the set;
 * finish sorts and counts. On failure rv is released.
 */
int psm_review_begin(struct psm_review *rv, const struct psm_service *sv,
		     const struct psm_release *tags, size_t ntags, int64_t monday, int64_t now);
int psm_review_add(struct psm_review *rv, const struct psm_issue *issue);
int psm_review_finish(struct psm_review *rv);

#endif
