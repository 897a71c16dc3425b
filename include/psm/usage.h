#ifndef PSM_USAGE_H
#define PSM_USAGE_H
/*
 * Onboarding completion and feature adoption (docs/metrics.md): what the
 * config says to count (`onboarding:`, `adoption:`), the per-week count
 * files under .psm/usage/ (docs/format.md) and the figures read from them.
 * The files hold counts of distinct users only, never a user id; the
 * per-user record they are counted from stays in the git directory
 * (usage-record.h).
 */
#include <stddef.h>
#include <stdint.h>

#include "psm/config.h"
#include "psm/metrics.h"
#include "psm/strbuf.h"

#define PSM_USAGE_DIR ".psm/usage"
/* Event names the record keeps a column for: one bit each in a week's mask. */
#define PSM_USAGE_MAX_EVENTS 64
/* Step, feature and event names become keys of the week files. */
#define PSM_USAGE_MAX_NAME 200

struct psm_usage_feature {
	char *name;
	char **events;
	size_t nevents;
	char *release; /* a tag name or a date; NULL: none named */
};

struct psm_usage_config {
	char *signup;          /* the event that starts a cohort; NULL: no onboarding */
	char **steps;          /* onboarding steps, in order */
	size_t nsteps;
	int64_t window;        /* seconds from signup */
	struct psm_usage_feature *features;
	size_t nfeatures;
};

/*
 * Read `onboarding:` and `adoption:` from the config (docs/metrics.md).
 * Neither is required: *out describes what is there (psm_usage_configured()
 * says whether anything is). PSM_EINVALID naming the key when one is malformed.
 */
int psm_usage_config_load(struct psm_usage_config **out, const struct psm_config *cfg);
void psm_usage_config_free(struct psm_usage_config *uc);
int psm_usage_configured(const struct psm_usage_config *uc);

/* One week's counts: one file .psm/usage/YYYY-Www.yml. */
struct psm_usage_count {
	char *name;
	size_t users;
};

struct psm_usage_week {
	int64_t week;                     /* its Monday 00:00 UTC */
	char *record;                     /* id of the record that counted it */
	size_t active;                    /* users with any event in the week */
	struct psm_usage_count *features; /* users of each feature in the week */
	size_t nfeatures;
	int onboarding;                   /* the onboarding block is there */
	int64_t window;
	size_t signups;                   /* the cohort: signed up in the week */
	struct psm_usage_count *steps;    /* cohort users who did steps 1..k in the window */
	size_t nsteps;
	size_t waiting;                   /* not done, window still open at the data's end */
};

struct psm_usage_weeks {
	struct psm_usage_week *v; /* sorted by week */
	size_t n, alloc;
};

void psm_usage_week_release(struct psm_usage_week *w);
void psm_usage_weeks_release(struct psm_usage_weeks *ws);
/* A new week at the end of ws (zeroed); NULL on out of memory. */
struct psm_usage_week *psm_usage_weeks_add(struct psm_usage_weeks *ws);
/* The file's store-relative path: .psm/usage/2026-W47.yml */
int psm_usage_week_path(struct strbuf *out, int64_t week);
/* The file's text; psm_usage_week_parse() reads it back exactly. */
int psm_usage_week_format(struct strbuf *out, const struct psm_usage_week *w);
int psm_usage_week_parse(struct psm_usage_week *out, const char *text, size_t len,
			 const char *path);
/*
 * Every week file of the store (root: the work tree, with a trailing
 * slash), sorted. No folder: no weeks. PSM_EPARSE naming the file that
 * cannot be read.
 */
int psm_usage_load(struct psm_usage_weeks *out, const char *root);

/* The week starting at monday, or NULL. */
const struct psm_usage_week *psm_usage_week_at(const struct psm_usage_weeks *ws, int64_t monday);
/* A feature's (or step's) count in a week, or -1 when the week has none. */
long psm_usage_count_of(const struct psm_usage_count *v, size_t n, const char *name);

/*
 * The figures (docs/metrics.md). Percentages are whole, rounded half up;
 * -1 when there is nothing to divide by.
 */
int psm_usage_percent(size_t part, size_t whole);
/* Onboarding completion of the week's cohort: did every step / signups. */
int psm_usage_completion(const struct psm_usage_week *w);
/*
 * Where the cohort stalls most: the step that the most signups reached the
 * step before of but not this one (ties: the earlier step). Returns the
 * step's index and sets *lost, or -1 when no one was lost.
 */
long psm_usage_stall(const struct psm_usage_week *w, size_t *lost);
/* Adoption of a feature in the week: its users / active users (-1: not counted). */
int psm_usage_adoption(const struct psm_usage_week *w, const char *feature);
/*
 * Week-over-week change in whole points: the week's percentage minus the
 * week before's. 0 with *change set, or -1 when either week has none
 * (no file, no signups or active users, or before from).
 */
int psm_usage_completion_change(int *change, const struct psm_usage_weeks *ws,
				const struct psm_usage_week *w);
int psm_usage_adoption_change(int *change, const struct psm_usage_weeks *ws,
			      const struct psm_usage_week *w, const char *feature, int64_t from);
/*
 * The cohort a review of the week starting at `week` shows: the latest
 * whose whole window (the signup week, then `window` seconds) ended by the
 * end of that week, or by `now` while the week is under way. A Monday
 * 00:00 UTC, as `week` is.
 */
int64_t psm_usage_closed_cohort(int64_t week, int64_t window, int64_t now);
/* Were the week's counts made with this config's steps, window and features? */
int psm_usage_week_matches(const struct psm_usage_week *w, const struct psm_usage_config *uc);
/*
 * The week a feature is counted from: its release's week. The release is a
 * tag of tags ("1.4" and "v1.4" name the same one, as in psm review) or a date
 * (YYYY-MM-DD). Returns 0 for a tag, 2 for a date, 1 when the feature
 * names no release (counted from the first week: *week 0), PSM_ENOTFOUND
 * when it names neither a tag nor a date (*week 0 too).
 */
int psm_usage_release_week(int64_t *week, const struct psm_usage_feature *f,
			   const struct psm_release *tags, size_t ntags);

/* "7d", "36h", "90m", "45s": the largest unit that divides it. */
int psm_usage_duration_format(struct strbuf *out, int64_t seconds);

#endif
