#ifndef PSM_SERVICE_H
#define PSM_SERVICE_H
/*
 * Service levels: the targets of .psm/config.yml (`targets:`, how soon a
 * response and a resolution are due), the clock they run on (business
 * hours, bizhours.h) and the times of an issue they are measured on. The
 * search (`sla:breached`, query.h) and the metrics (metrics.h) both ask.
 */
#include <stddef.h>
#include <stdint.h>

#include "psm/bizhours.h"
#include "psm/config.h"
#include "psm/issue.h"

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
/* Open at `at`: created before it and not closed by then. A reopened
 * issue's earlier closed spells are not recorded, so it counts as open. */
int psm_issue_times_open_at(const struct psm_issue_times *t, int64_t at);

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
 * `business_hours:` from the config. cfg may be NULL (defaults only). *out
 * is the caller's, to free with psm_service_free(); it borrows cfg, which
 * must outlive it.
 */
int psm_service_load(struct psm_service **out, const struct psm_config *cfg);
void psm_service_free(struct psm_service *sv);
/* The target for an issue: its response, else its impact's default; sv's,
 * valid until psm_service_free(). NULL when it has none. */
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
/* The same with the issue's times already taken (psm_issue_times(), any
 * config: the times it reads do not depend on it), for a caller that has
 * them: the weekly review, an issue at a time. */
unsigned psm_service_breach_times(const struct psm_service *sv, const struct psm_issue *issue,
				  const struct psm_issue_times *t, int64_t at);

#endif
