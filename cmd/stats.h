#ifndef PSM_CMD_STATS_H
#define PSM_CMD_STATS_H
/*
 * What psm stats and psm review share: how durations read, the service
 * targets from the config, and the text form of the figures.
 */
#include <stdint.h>

#include "psm/metrics.h"
#include "psm/people.h"
#include "psm/strbuf.h"

/* "45s", "20m", "3h 20m", "2d 4h"; business time never counts days ("19h 30m"),
 * since a business day is not 24 hours. Rounded down. */
void stats_duration(struct strbuf *out, int64_t seconds, int business);
/* The store's service targets and business hours; dies on a bad config. */
struct psm_service *stats_service(struct psm_store *s);

/*
 * Onboarding and adoption for the weeks of a period (cmd/stats-usage.c):
 * NULL when the store neither configures nor holds any; dies on a bad
 * config or week file. The JSON is a json_t *.
 */
struct stats_usage;
struct stats_usage *stats_usage_load(struct psm_store *s, const struct psm_period *p);
void stats_usage_print_text(const struct stats_usage *u);
void *stats_usage_json(const struct stats_usage *u);
void stats_usage_free(struct stats_usage *u);

/* The text report of psm stats (cmd/stats-text.c). */
struct stats_group {
	const char *value;       /* NULL: the issues without the field */
	struct psm_metrics m;
};
struct stats_report {
	struct psm_period period;
	int64_t at;              /* states are taken here: min(until, now) */
	int until_now;           /* no --until: the period ends now (its bound: now + 1 s) */
	const struct psm_service *sv;
	const char *by;          /* NULL: no grouping */
	const struct psm_config *config;
	struct psm_people people; /* --by owner: one row per person, whatever name a file uses */
	struct psm_metrics all;
	struct stats_group *groups;
	size_t ngroups;
	size_t abbrev;
	struct stats_usage *usage; /* NULL: none */
};
void stats_print_text(const struct stats_report *r);

#endif
