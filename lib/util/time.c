#include "psm/time.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "psm/error.h"

static int digits(const char *s, int n, int *out)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian), no timegm() needed. */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static int days_in_month(int y, int m)
{
	static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : dm[m - 1];
}

int psm_time_parse(const char *s, int64_t *out)
{
	int y, mo, d, h = 0, mi = 0, se = 0, oh = 0, om = 0, sign = 0;
	size_t len;

	*out = 0;
	if (!s)
		return PSM_EINVALID;
	len = strlen(s);
	if (len < 10 || digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &mo) || s[7] != '-' ||
	    digits(s + 8, 2, &d))
		goto bad;
	if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo))
		goto bad;
	s += 10;
	if (*s) {
		if ((*s != 'T' && *s != 't' && *s != ' ') || digits(s + 1, 2, &h) || s[3] != ':' ||
		    digits(s + 4, 2, &mi) || s[6] != ':' || digits(s + 7, 2, &se))
			goto bad;
		if (h > 23 || mi > 59 || se > 60)
			goto bad;
		s += 9;
		if (*s == '.') /* fractional seconds: accepted, dropped */
			for (s++; isdigit((unsigned char)*s); s++)
				;
		if ((*s == 'Z' || *s == 'z') && !s[1]) {
			sign = 0;
		} else if ((*s == '+' || *s == '-') && !digits(s + 1, 2, &oh) && s[3] == ':' &&
			   !digits(s + 4, 2, &om) && !s[6]) {
			sign = *s == '+' ? 1 : -1;
		} else {
			goto bad;
		}
	}
	*out = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 + mi * 60 + se -
	       sign * (oh * 3600 + om * 60);
	return 0;
bad:
	return PSM_EINVALID;
}

int psm_time_format(struct strbuf *out, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!gmtime_r(&tt, &tm))
		return psm_error(PSM_EINVALID, "time out of range");
	return strbuf_addf(out, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900,
			   tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

int psm_now(int64_t *out)
{
	const char *env = getenv("PSM_NOW");

	if (env && *env) {
		if (env[0] == '@') {
			char *end;
			long long v = strtoll(env + 1, &end, 10);

			if (*end || end == env + 1)
				goto bad;
			*out = v;
			return 0;
		}
		if (psm_time_parse(env, out) < 0)
			goto bad;
		return 0;
	}
	*out = (int64_t)time(NULL);
	return 0;
bad:
	return psm_error(PSM_EINVALID,
			 "invalid PSM_NOW '%s': use an RFC 3339 time like 2026-11-22T09:00:00Z or @SECONDS",
			 env);
}

int psm_duration_parse(const char *s, int64_t *out)
{
	char *end;
	long long v;
	int64_t unit;

	if (!s || !isdigit((unsigned char)*s))
		goto bad;
	v = strtoll(s, &end, 10);
	switch (*end) {
	case 's': unit = 1; break;
	case 'm': unit = 60; break;
	case 'h': unit = 3600; break;
	case 'd': unit = 86400; break;
	case 'w': unit = 7 * 86400; break;
	default: goto bad;
	}
	if (end[1] || v > 100LL * 365 * 86400)
		goto bad;
	*out = v * unit;
	return 0;
bad:
	return psm_error(PSM_EINVALID, "invalid duration '%s': use a number and s, m, h, d or w, like 30m",
			 s ? s : "");
}

int psm_age_format(struct strbuf *out, int64_t s)
{
	if (s < 0)
		s = 0;
	if (s < 3600)
		return strbuf_addf(out, "%lldm", (long long)(s / 60));
	if (s < 86400)
		return strbuf_addf(out, "%lldh", (long long)(s / 3600));
	if (s < 14 * 86400)
		return strbuf_addf(out, "%lldd", (long long)(s / 86400));
	if (s < 365 * 86400)
		return strbuf_addf(out, "%lldw", (long long)(s / (7 * 86400)));
	return strbuf_addf(out, "%lldy", (long long)(s / (365 * 86400)));
}
