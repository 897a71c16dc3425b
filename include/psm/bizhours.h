#ifndef PSM_BIZHOURS_H
#define PSM_BIZHOURS_H
/*
 * Business hours: how much working time lies between two instants under a
 * weekly schedule (working days, one daily window) in one time zone, minus
 * holidays. Configured as `business_hours:` in .psm/config.yml:
 *
 *   business_hours:
 *     timezone: Europe/Berlin   # an IANA zone, UTC, or a fixed offset +01:00
 *     days: [mon, tue, wed, thu, fri]   # or [mon-fri]
 *     start: "09:00"
 *     end: "17:00"
 *     holidays: [2026-12-24, 2026-12-25]
 *
 * The window is local wall-clock time; a daylight-saving change that falls
 * inside the window is not corrected for (none does in practice).
 */
#include <stdint.h>

#include "psm/node.h"

struct psm_bizhours;

/*
 * Parse the config's business_hours value. A NULL node sets *out to NULL and
 * returns 0: no business hours. A named zone is read once, here, from the
 * system's time zone database (TZDIR, else /usr/share/zoneinfo) by GLib's
 * GTimeZone, so later calls never touch TZ or the C library's local time
 * and are safe from several threads. *out is the caller's, to free with
 * psm_bizhours_free().
 */
int psm_bizhours_parse(struct psm_bizhours **out, const struct psm_node *cfg);
void psm_bizhours_free(struct psm_bizhours *b);

/* Working seconds in [from, to); 0 when to <= from. */
int64_t psm_bizhours_between(const struct psm_bizhours *b, int64_t from, int64_t to);
/* Working seconds in one working day (end - start) and in a whole week. */
int64_t psm_bizhours_day(const struct psm_bizhours *b);
int64_t psm_bizhours_week(const struct psm_bizhours *b);
/* The zone's UTC offset (seconds east) at instant t. */
int32_t psm_bizhours_offset(const struct psm_bizhours *b, int64_t t);

#endif
