#ifndef PSM_TIME_H
#define PSM_TIME_H
#include <stdint.h>

#include "psm/strbuf.h"

/*
 * Times are RFC 3339 in UTC ("2026-11-22T07:00:00Z"). psm's clock can be
 * pinned with PSM_NOW (an RFC 3339 time or @SECONDS) for tests and
 * reproducible runs.
 */
int psm_now(int64_t *out);                       /* PSM_EINVALID on a bad PSM_NOW */
/* RFC 3339 with Z or an offset, or a bare date YYYY-MM-DD (midnight UTC). */
int psm_time_parse(const char *s, int64_t *out); /* NULL/bad: PSM_EINVALID, *out = 0 */
int psm_time_format(struct strbuf *out, int64_t t);
/* "3d", "5h", "2w", "40m": a duration in seconds. */
int psm_duration_parse(const char *s, int64_t *out);
/* Human age: "5m", "3h", "2d", "6w", "1y". */
int psm_age_format(struct strbuf *out, int64_t seconds);

#endif
