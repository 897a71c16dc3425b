#include "psm/bizhours.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <glib.h>

#include "psm/error.h"
#include "psm/time.h"
#include "psm/strbuf.h"

#define DAY 86400

struct psm_bizhours {
	GTimeZone *zone;         /* a named zone; NULL: a fixed offset */
	int32_t offset;          /* the fixed offset, seconds east of UTC */
	unsigned char work[7];   /* Monday first */
	int nwork;
	int64_t prefix[8];       /* working days among the first k days of a week
				  * counted from a Thursday (day 0 of the epoch) */
	int64_t start, end;      /* the daily window, seconds after local midnight */
	int64_t *holidays;       /* working days off, as days since the epoch; sorted */
	size_t nholidays;
};

static int64_t floordiv(int64_t a, int64_t b)
{
	int64_t q = a / b;

	return (a % b && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* Monday = 0; the epoch's day 0 was a Thursday. */
static int weekday(int64_t day)
{
	return (int)(day + 3 - floordiv(day + 3, 7) * 7);
}

/* "+01:00", "-05:30", "UTC", "UTC+02:00": a fixed offset. 1 if s is one. */
static int fixed_offset(const char *s, int32_t *off)
{
	int h, m;

	if (!strncasecmp(s, "UTC", 3) || !strncasecmp(s, "GMT", 3))
		s += 3;
	else if (!strcasecmp(s, "Z"))
		s++;
	if (!*s) {
		*off = 0;
		return 1;
	}
	if ((*s != '+' && *s != '-') || !isdigit((unsigned char)s[1]) ||
	    !isdigit((unsigned char)s[2]) || s[3] != ':' || !isdigit((unsigned char)s[4]) ||
	    !isdigit((unsigned char)s[5]) || s[6])
		return 0;
	h = (s[1] - '0') * 10 + (s[2] - '0');
	m = (s[4] - '0') * 10 + (s[5] - '0');
	if (h > 14 || m > 59)
		return 0;
	*off = (int32_t)((h * 3600 + m * 60) * (*s == '-' ? -1 : 1));
	return 1;
}

/* A zone name that is a file in the time zone database. */
static int zone_exists(const char *name)
{
	const char *dir = getenv("TZDIR");
	struct strbuf path = STRBUF_INIT;
	struct stat st;
	const char *p;
	int ok = *name && *name != '/' && !strstr(name, "..");

	for (p = name; ok && *p; p++)
		ok = isalnum((unsigned char)*p) || strchr("/_+-", *p);
	if (ok) {
		strbuf_addf(&path, "%s/%s", dir && *dir ? dir : "/usr/share/zoneinfo", name);
		ok = !path.oom && !stat(path.buf, &st) && S_ISREG(st.st_mode);
	}
	strbuf_release(&path);
	return ok;
}

static int parse_zone(struct psm_bizhours *b, const char *name)
{
	if (!name)
		name = "UTC";
	if (fixed_offset(name, &b->offset))
		return 0;
	/* GLib reads the zone's file once; later lookups are a search in
	 * memory, with no TZ and no tzset() in a threaded library. */
	if (!zone_exists(name) || !(b->zone = g_time_zone_new_identifier(name)))
		return psm_error(PSM_EINVALID,
				 "unknown time zone '%s' in business_hours.timezone: use a name like Europe/Berlin, UTC or an offset like +01:00",
				 name);
	return 0;
}

static int day_index(const char *s, size_t len)
{
	static const char *const names[] = {
		"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"
	};
	int i;

	for (i = 0; i < 7; i++)
		if ((len == 3 || len == strlen(names[i])) && !strncasecmp(s, names[i], len))
			return i;
	return -1;
}

/* "mon", "Monday", "mon-fri", "mon..fri". */
static int parse_day_item(struct psm_bizhours *b, const char *s)
{
	size_t l = strcspn(s, "-.");
	const char *rest = s + l;
	int from = day_index(s, l), to = from, i;

	if (*rest == '-')
		rest++;
	else if (rest[0] == '.' && rest[1] == '.')
		rest += 2;
	if (rest != s + l)
		to = day_index(rest, strlen(rest));
	else if (*rest)
		to = -1;
	if (from < 0 || to < 0)
		return psm_error(PSM_EINVALID,
				 "invalid day '%s' in business_hours.days: use mon, tue, ... sun or a range like mon-fri",
				 s);
	for (i = from;; i = (i + 1) % 7) {
		b->work[i] = 1;
		if (i == to)
			break;
	}
	return 0;
}

static int parse_days(struct psm_bizhours *b, const struct psm_node *n)
{
	size_t i;
	int r;

	if (!n)
		return parse_day_item(b, "mon-fri");
	if (n->kind == PSM_SCALAR)
		return parse_day_item(b, n->str);
	if (n->kind != PSM_SEQ)
		return psm_error(PSM_EINVALID, "business_hours.days must be a list like [mon, tue, wed]");
	for (i = 0; i < n->n; i++) {
		if (!psm_node_str(n->items[i]))
			return psm_error(PSM_EINVALID, "business_hours.days must be a list of day names");
		if ((r = parse_day_item(b, n->items[i]->str)) < 0)
			return r;
	}
	return 0;
}

/* "HH:MM", 00:00 to 24:00. */
static int parse_clock(int64_t *out, const struct psm_node *map, const char *key, const char *dflt)
{
	const char *s = map ? psm_node_get_str(map, key) : NULL;
	int h, m;

	if (!s)
		s = dflt;
	if (strlen(s) != 5 || !isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1]) ||
	    s[2] != ':' || !isdigit((unsigned char)s[3]) || !isdigit((unsigned char)s[4]))
		goto bad;
	h = (s[0] - '0') * 10 + (s[1] - '0');
	m = (s[3] - '0') * 10 + (s[4] - '0');
	if (h > 24 || m > 59 || (h == 24 && m))
		goto bad;
	*out = h * 3600 + m * 60;
	return 0;
bad:
	return psm_error(PSM_EINVALID, "invalid business_hours.%s '%s': use a time like \"09:00\"",
			 key, s);
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

static int parse_holidays(struct psm_bizhours *b, const struct psm_node *n)
{
	size_t i, k = 0;
	int64_t t;

	if (!n || psm_node_is_null(n))
		return 0;
	if (n->kind != PSM_SEQ)
		return psm_error(PSM_EINVALID, "business_hours.holidays must be a list of dates like 2026-12-25");
	if (n->n && !(b->holidays = calloc(n->n, sizeof(*b->holidays))))
		return psm_oom();
	for (i = 0; i < n->n; i++) {
		const char *s = psm_node_str(n->items[i]);

		if (!s || strlen(s) != 10 || psm_time_parse(s, &t) < 0)
			return psm_error(PSM_EINVALID,
					 "invalid date '%s' in business_hours.holidays: use YYYY-MM-DD",
					 s ? s : "");
		if (b->work[weekday(t / DAY)]) /* a holiday on a day off changes nothing */
			b->holidays[k++] = t / DAY;
	}
	if (k)
		qsort(b->holidays, k, sizeof(*b->holidays), cmp_i64);
	for (i = 0; i < k; i++)
		if (!b->nholidays || b->holidays[b->nholidays - 1] != b->holidays[i])
			b->holidays[b->nholidays++] = b->holidays[i];
	return 0;
}

int psm_bizhours_parse(struct psm_bizhours **out, const struct psm_node *cfg)
{
	struct psm_bizhours *b;
	int r, k;

	*out = NULL;
	if (!cfg || psm_node_is_null(cfg))
		return 0;
	if (cfg->kind != PSM_MAP)
		return psm_error(PSM_EINVALID,
				 "business_hours must be a mapping with timezone, days, start and end");
	if (!(b = calloc(1, sizeof(*b))))
		return psm_oom();
	if ((r = parse_days(b, psm_node_get(cfg, "days"))) < 0 ||
	    (r = parse_clock(&b->start, cfg, "start", "09:00")) < 0 ||
	    (r = parse_clock(&b->end, cfg, "end", "17:00")) < 0)
		goto fail;
	if (b->end <= b->start) {
		r = psm_error(PSM_EINVALID, "business_hours.end must be later than business_hours.start");
		goto fail;
	}
	for (k = 0; k < 7; k++)
		b->nwork += b->work[k];
	if (!b->nwork) {
		r = psm_error(PSM_EINVALID, "business_hours.days names no working day");
		goto fail;
	}
	for (k = 0; k < 7; k++)
		b->prefix[k + 1] = b->prefix[k] + b->work[(k + 3) % 7];
	if ((r = parse_holidays(b, psm_node_get(cfg, "holidays"))) < 0 ||
	    (r = parse_zone(b, psm_node_get_str(cfg, "timezone"))) < 0)
		goto fail;
	*out = b;
	return 0;
fail:
	psm_bizhours_free(b);
	return r;
}

void psm_bizhours_free(struct psm_bizhours *b)
{
	if (!b)
		return;
	if (b->zone)
		g_time_zone_unref(b->zone);
	free(b->holidays);
	free(b);
}

int32_t psm_bizhours_offset(const struct psm_bizhours *b, int64_t t)
{
	if (!b->zone)
		return b->offset;
	return g_time_zone_get_offset(b->zone,
				      g_time_zone_find_interval(b->zone, G_TIME_TYPE_UNIVERSAL, t));
}

int64_t psm_bizhours_day(const struct psm_bizhours *b)
{
	return b->end - b->start;
}

int64_t psm_bizhours_week(const struct psm_bizhours *b)
{
	return (b->end - b->start) * b->nwork;
}

/* Working seconds from a fixed origin up to local wall-clock time local. */
static int64_t working_before(const struct psm_bizhours *b, int64_t local)
{
	int64_t day = floordiv(local, DAY), sod = local - day * DAY;
	int64_t weeks = floordiv(day, 7), win = b->end - b->start, part = 0;
	int64_t days = weeks * b->nwork + b->prefix[day - weeks * 7];
	size_t lo = 0, hi = b->nholidays;

	if (b->work[weekday(day)])
		part = sod <= b->start ? 0 : sod >= b->end ? win : sod - b->start;
	while (lo < hi) { /* holidays before this day */
		size_t mid = lo + (hi - lo) / 2;

		if (b->holidays[mid] < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	days -= (int64_t)lo;
	if (lo < b->nholidays && b->holidays[lo] == day)
		part = 0;
	return days * win + part;
}

int64_t psm_bizhours_between(const struct psm_bizhours *b, int64_t from, int64_t to)
{
	int64_t d;

	if (to <= from)
		return 0;
	d = working_before(b, to + psm_bizhours_offset(b, to)) -
	    working_before(b, from + psm_bizhours_offset(b, from));
	return d > 0 ? d : 0;
}
