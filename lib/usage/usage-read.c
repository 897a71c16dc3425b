/*
 * Event exports, line by line (usage-read.h). Nothing of a file is kept
 * past the record being read: a CSV record is its physical lines up to the
 * one that closes its quotes, a JSONL record one line.
 */
#include "psm/usage-read.h"

#include <ctype.h>
#include <glib.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "psm/csv.h"
#include "psm/error.h"
#include "psm/strbuf.h"

const char *const psm_usage_presets[] = { "posthog", "mixpanel", "amplitude", "segment", NULL };

static const char *const field_names[PSM_USAGE_FIELDS] = { "user", "event", "time" };

/* Where each tool's exports keep user, event and time (docs/import.md). */
struct preset {
	const char *name;
	const char *fields[PSM_USAGE_FIELDS][3];
	int zoneless_utc, epoch_local, only_track;
};

static const struct preset presets[] = {
	{ NULL, { { "user", "user_id" }, { "event" }, { "time", "timestamp" } }, 0, 0, 0 },
	/* events export: person_id is PostHog's merged person, distinct_id the id sent */
	{ "posthog", { { "person_id", "distinct_id" }, { "event" }, { "timestamp" } }, 0, 0, 0 },
	/* raw export: seconds counted in the project's time zone (UTC since 2023) */
	{ "mixpanel", { { "properties.distinct_id", "distinct_id" }, { "event" },
			{ "properties.time", "time" } }, 0, 1, 0 },
	/* export API: event_time in UTC without a zone; amplitude_id is who Amplitude counts */
	{ "amplitude", { { "amplitude_id", "user_id" }, { "event_type" }, { "event_time" } }, 1, 0, 0 },
	/* track calls: userId once known, anonymousId before */
	{ "segment", { { "userId", "anonymousId" }, { "event" }, { "timestamp" } }, 0, 0, 1 },
};

static int set_field(struct psm_usage_reader *r, int f, const char *const *names, size_t n)
{
	size_t i;

	while (r->nfields[f])
		free(r->fields[f][--r->nfields[f]]);
	free(r->fields[f]);
	if (!(r->fields[f] = calloc(n + 1, sizeof(char *))))
		return psm_error(PSM_ENOMEM, "out of memory");
	for (i = 0; i < n && names[i]; i++) {
		if (!(r->fields[f][i] = psm_strdup(names[i])))
			return psm_error(PSM_ENOMEM, "out of memory");
		r->nfields[f] = i + 1;
	}
	return 0;
}

static int add_field(struct psm_usage_reader *r, int f, const char *name, size_t len)
{
	char **v = realloc(r->fields[f], (r->nfields[f] + 2) * sizeof(*v));

	if (!v)
		return psm_error(PSM_ENOMEM, "out of memory");
	r->fields[f] = v;
	if (!(v[r->nfields[f]] = psm_strndup(name, len)))
		return psm_error(PSM_ENOMEM, "out of memory");
	r->nfields[f]++;
	return 0;
}

int psm_usage_reader_init(struct psm_usage_reader *r, const char *preset,
			  const char *const *maps, size_t nmaps, const char *tz)
{
	const struct preset *p = &presets[0];
	int mapped[PSM_USAGE_FIELDS] = { 0 };
	size_t i;
	int f, k, ret;

	memset(r, 0, sizeof(*r));
	if (preset) {
		for (p = NULL, i = 1; i < sizeof(presets) / sizeof(presets[0]); i++)
			if (!strcmp(presets[i].name, preset))
				p = &presets[i];
		if (!p)
			return psm_error(PSM_EINVALID, "unknown preset '%s' (posthog, mixpanel, amplitude, segment)",
					 preset);
	}
	for (f = 0; f < PSM_USAGE_FIELDS; f++) {
		for (k = 0; k < 3 && p->fields[f][k]; k++)
			;
		if ((ret = set_field(r, f, p->fields[f], (size_t)k)) < 0)
			return ret;
	}
	r->zoneless_utc = p->zoneless_utc;
	r->epoch_local = p->epoch_local;
	r->only_track = p->only_track;
	for (i = 0; i < nmaps; i++) {
		const char *eq = strrchr(maps[i], '=');

		for (f = 0; eq && f < PSM_USAGE_FIELDS && strcmp(eq + 1, field_names[f]); f++)
			;
		if (!eq || eq == maps[i] || f == PSM_USAGE_FIELDS)
			return psm_error(PSM_EINVALID, "invalid --map '%s': use COLUMN=user, COLUMN=event or COLUMN=time",
					 maps[i]);
		/* the first --map of a field replaces the preset's names; more add fallbacks */
		if (!mapped[f]++ && (ret = set_field(r, f, NULL, 0)) < 0)
			return ret;
		if ((ret = add_field(r, f, maps[i], (size_t)(eq - maps[i]))) < 0)
			return ret;
	}
	if (tz) {
		if (!*tz || !(r->tz = g_time_zone_new_identifier(tz)))
			return psm_error(PSM_EINVALID,
					 "unknown time zone '%s': use an IANA name (Europe/Berlin), UTC or an offset (+02:00)",
					 tz);
	}
	return 0;
}

void psm_usage_reader_release(struct psm_usage_reader *r)
{
	int f;

	for (f = 0; f < PSM_USAGE_FIELDS; f++) {
		while (r->nfields[f])
			free(r->fields[f][--r->nfields[f]]);
		free(r->fields[f]);
		r->fields[f] = NULL;
	}
	if (r->tz)
		g_time_zone_unref(r->tz);
	r->tz = NULL;
}

/* ---- times ---------------------------------------------------------------- */

static int digits(const char **p, int n, int *out)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*p)[i]))
			return -1;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*out = v;
	return 0;
}

/* Wall-clock time in the --tz zone to Unix time, by GLib's rules (a time
 * in a daylight-saving gap moves forward; a repeated one is standard time). */
static int local_time(const struct psm_usage_reader *r, int y, int mo, int d, int h, int mi,
		      int s, int64_t *out)
{
	GDateTime *dt = g_date_time_new(r->tz, y, mo, d, h, mi, s);

	if (!dt)
		return psm_error(PSM_EINVALID, "is not a time");
	*out = g_date_time_to_unix(dt);
	g_date_time_unref(dt);
	return 0;
}

static int utc_time(int y, int mo, int d, int h, int mi, int s, int64_t *out)
{
	struct tm tm = { 0 };

	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = s;
	*out = (int64_t)timegm(&tm);
	return 0;
}

static int days_in_month(int y, int m)
{
	static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0) ? 29 : dm[m - 1];
}

#define MAX_TIME ((int64_t)253402300800) /* 10000-01-01T00:00:00Z */

static const char no_zone[] = "has no time zone: say which with --tz (e.g. --tz UTC)";

/* A Unix time in s, ms, us or ns, told apart by size (1e11 s is year 5138). */
static int epoch_time(const struct psm_usage_reader *r, const char *s, int64_t *out)
{
	char *end;
	double v = strtod(s, &end), a;
	int64_t t;
	struct tm tm;
	time_t tt;

	if (*end || end == s || !(v == v))
		return psm_error(PSM_EINVALID, "is not a time");
	a = v < 0 ? -v : v;
	if (a >= 1e20)
		return psm_error(PSM_EINVALID, "is out of range");
	t = (int64_t)(a < 1e11 ? v : a < 1e14 ? v / 1e3 : a < 1e17 ? v / 1e6 : v / 1e9);
	if (!r->epoch_local) {
		*out = t;
		return 0;
	}
	/* Mixpanel's seconds count wall-clock time in the project's zone */
	if (!r->tz)
		return psm_error(PSM_EINVALID, "counts seconds in the project's time zone: say which with --tz (UTC for projects made since 2023)");
	tt = (time_t)t;
	if (!gmtime_r(&tt, &tm))
		return psm_error(PSM_EINVALID, "is out of range");
	return local_time(r, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
			  tm.tm_sec, out);
}

static int parse_time(const struct psm_usage_reader *r, const char *s, int64_t *out)
{
	const char *p = s;
	int y, mo, d, h = 0, mi = 0, se = 0, oh = 0, om = 0, sign = 0, zoned = 0;

	while (*p == ' ')
		p++;
	if (*p == '-' || (isdigit((unsigned char)*p) && !(strlen(p) >= 10 && p[4] == '-')))
		return epoch_time(r, p, out);
	if (digits(&p, 4, &y) || *p++ != '-' || digits(&p, 2, &mo) || *p++ != '-' || digits(&p, 2, &d) ||
	    mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo))
		goto bad;
	if ((*p == 'T' || *p == 't' || *p == ' ') && isdigit((unsigned char)p[1])) {
		p++;
		if (digits(&p, 2, &h) || *p++ != ':' || digits(&p, 2, &mi))
			goto bad;
		if (*p == ':' && (p++, digits(&p, 2, &se)))
			goto bad;
		if (*p == '.' || *p == ',') /* fractions: dropped */
			for (p++; isdigit((unsigned char)*p); p++)
				;
		if (h > 23 || mi > 59 || se > 60)
			goto bad;
	}
	if (*p == ' ')
		p++;
	if ((*p == 'Z' || *p == 'z') && !p[1]) {
		zoned = 1;
	} else if (!strcmp(p, "UTC")) {
		zoned = 1;
	} else if (*p == '+' || *p == '-') {
		sign = *p++ == '+' ? 1 : -1;
		if (digits(&p, 2, &oh) || (*p == ':' && !isdigit((unsigned char)*++p)))
			goto bad;
		if (*p && digits(&p, 2, &om))
			goto bad;
		if (*p || oh > 23 || om > 59)
			goto bad;
		zoned = 1;
	} else if (*p) {
		goto bad;
	}
	if (zoned) {
		utc_time(y, mo, d, h, mi, se, out);
		*out -= sign * (oh * 3600 + om * 60);
		return 0;
	}
	if (r->tz)
		return local_time(r, y, mo, d, h, mi, se, out);
	if (r->zoneless_utc)
		return utc_time(y, mo, d, h, mi, se, out);
	return psm_error(PSM_EINVALID, "%s", no_zone);
bad:
	return psm_error(PSM_EINVALID, "is not a time (use RFC 3339, like 2026-11-16T09:00:00Z, or Unix seconds)");
}

int psm_usage_parse_time(const struct psm_usage_reader *r, const char *s, int64_t *out)
{
	int ret = parse_time(r, s, out);

	/* weeks are named by four-digit years from 1970 */
	if (!ret && (*out < 0 || *out >= MAX_TIME))
		return psm_error(PSM_EINVALID, "is out of range (1970 to 9999)");
	return ret;
}

/* ---- records ---------------------------------------------------------------- */

/* A file read in blocks: lines are cut with memchr, so a NUL byte in a
 * line is a byte like any other (and the line is refused, not split). */
struct input {
	FILE *f;
	char buf[65536];
	size_t pos, len;
	int eof;
};

/*
 * The next physical line into sb (without its end of line), counting it.
 * 1: a line, 0: the end. A line past the limit is read to its end and
 * dropped: sb is left empty and *too_long set.
 */
static int next_line(struct input *in, struct strbuf *sb, long *lineno, int *too_long)
{
	int any = 0;

	strbuf_reset(sb);
	*too_long = 0;
	for (;;) {
		const char *nl;
		size_t take;

		if (in->pos == in->len) {
			if (in->eof)
				break;
			in->pos = 0;
			in->len = fread(in->buf, 1, sizeof(in->buf), in->f);
			if (in->len < sizeof(in->buf)) {
				if (ferror(in->f))
					return psm_error_errno(PSM_ERROR, "read error");
				in->eof = 1;
			}
			continue;
		}
		any = 1;
		nl = memchr(in->buf + in->pos, '\n', in->len - in->pos);
		take = (nl ? (size_t)(nl - in->buf) + 1 : in->len) - in->pos;
		if (!*too_long && sb->len + take > PSM_USAGE_MAX_LINE) {
			*too_long = 1;
			strbuf_reset(sb);
		}
		if (!*too_long && strbuf_add(sb, in->buf + in->pos, take) < 0)
			return psm_error(PSM_ENOMEM, "out of memory");
		in->pos += take;
		if (nl)
			break;
	}
	if (!any)
		return 0;
	(*lineno)++;
	while (sb->len && (sb->buf[sb->len - 1] == '\n' || sb->buf[sb->len - 1] == '\r'))
		strbuf_setlen(sb, sb->len - 1);
	return 1;
}

static int blank(const struct strbuf *sb)
{
	size_t i;

	for (i = 0; i < sb->len; i++)
		if (!isspace((unsigned char)sb->buf[i]))
			return 0;
	return 1;
}

static int report(struct psm_usage_reader *r, long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int report(struct psm_usage_reader *r, long line, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;
	int ret;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	r->bad++;
	ret = sb.oom ? psm_error(PSM_ENOMEM, "out of memory") : r->on_bad(r->data, line, sb.buf);
	strbuf_release(&sb);
	return ret;
}

/* The event, once its three values are found. */
static int take(struct psm_usage_reader *r, long line, const char *user, size_t ulen,
		const char *event, const char *when, const char *const *names)
{
	struct psm_usage_event ev;
	int ret;

	if (!user || !ulen) {
		r->anonymous++; /* no one to count: anonymous traffic is not an error */
		return 0;
	}
	if (!event || !*event)
		return report(r, line, "no event name (looked for %s)", names[PSM_USAGE_EVENT]);
	if (!when || !*when)
		return report(r, line, "no time (looked for %s)", names[PSM_USAGE_TIME]);
	ev.user = user;
	ev.user_len = ulen;
	ev.name = event;
	ev.line = line;
	if (psm_usage_parse_time(r, when, &ev.time) < 0)
		return report(r, line, "time '%.64s' %s", when, psm_error_last());
	r->events++;
	if ((ret = r->on_event(r->data, &ev)) < 0)
		return ret;
	return 0;
}

/* "event" or "userId or anonymousId": what was looked for, for messages. */
static int describe(struct strbuf *out, const struct psm_usage_reader *r, int f)
{
	size_t i;

	for (i = 0; i < r->nfields[f]; i++)
		strbuf_addf(out, "%s'%s'", i ? " or " : "", r->fields[f][i]);
	return out->oom ? psm_error(PSM_ENOMEM, "out of memory") : 0;
}

/* ---- JSONL ------------------------------------------------------------------ */

static json_t *json_path(json_t *obj, const char *path)
{
	json_t *v = json_object_get(obj, path);
	const char *dot;

	if (v || !(dot = strchr(path, '.')))
		return v;
	{
		struct strbuf head = STRBUF_INIT;

		strbuf_add(&head, path, (size_t)(dot - path));
		v = head.oom ? NULL : json_object_get(obj, head.buf);
		strbuf_release(&head);
	}
	return json_is_object(v) ? json_path(v, dot + 1) : NULL;
}

/* The field's first present value as text into sb: strings, and integers
 * (Amplitude's ids, Unix times). 0: found, 1: none, -1: a value of another kind. */
static int json_field(struct strbuf *sb, const struct psm_usage_reader *r, json_t *obj, int f)
{
	size_t i;

	strbuf_reset(sb);
	for (i = 0; i < r->nfields[f]; i++) {
		json_t *v = json_path(obj, r->fields[f][i]);

		if (!v || json_is_null(v) || (json_is_string(v) && !json_string_length(v)))
			continue;
		if (json_is_string(v))
			strbuf_add(sb, json_string_value(v), json_string_length(v));
		else if (json_is_integer(v))
			strbuf_addf(sb, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		else if (json_is_real(v) && f == PSM_USAGE_TIME)
			strbuf_addf(sb, "%.6f", json_real_value(v));
		else
			return -1;
		return 0;
	}
	return 1;
}

static int jsonl_line(struct psm_usage_reader *r, const struct strbuf *line, long lineno,
		      struct strbuf *v, const char *const *names)
{
	json_error_t err;
	json_t *obj = json_loadb(line->buf, line->len, JSON_REJECT_DUPLICATES, &err);
	struct strbuf user = STRBUF_INIT, event = STRBUF_INIT;
	int ret = 0, got[PSM_USAGE_FIELDS], f;

	if (!obj)
		return report(r, lineno, "invalid JSON at column %d: %s", err.column, err.text);
	if (!json_is_object(obj)) {
		ret = report(r, lineno, "not a JSON object");
		goto out;
	}
	if (r->only_track && json_is_string(json_object_get(obj, "type")) &&
	    strcmp(json_string_value(json_object_get(obj, "type")), "track")) {
		r->skipped++;
		goto out;
	}
	for (f = 0; f < PSM_USAGE_FIELDS; f++) {
		struct strbuf *dst = f == PSM_USAGE_USER ? &user : f == PSM_USAGE_EVENT ? &event : v;

		if ((got[f] = json_field(dst, r, obj, f)) < 0) {
			ret = report(r, lineno, "%s: not a string", names[f]);
			goto out;
		}
	}
	if (user.oom || event.oom || v->oom) {
		ret = psm_error(PSM_ENOMEM, "out of memory");
		goto out;
	}
	if (!got[PSM_USAGE_EVENT] && memchr(event.buf, '\0', event.len)) {
		ret = report(r, lineno, "the event name holds a NUL byte");
		goto out;
	}
	ret = take(r, lineno, got[PSM_USAGE_USER] ? NULL : user.buf, user.len,
		   got[PSM_USAGE_EVENT] ? NULL : event.buf, got[PSM_USAGE_TIME] ? NULL : v->buf, names);
out:
	json_decref(obj);
	strbuf_release(&user);
	strbuf_release(&event);
	return ret;
}

/* ---- CSV -------------------------------------------------------------------- */

/*
 * Where a CSV line leaves its record, by psm_csv_next()'s rules (csv.h): a
 * quote opens a quoted field only at the start of a field, "" inside one
 * is a quote, and after the closing quote the field goes on unquoted. A
 * line that ends inside a quoted field continues the record on the next.
 */
enum csv_state { CSV_START, CSV_UNQUOTED, CSV_QUOTED, CSV_QUOTE };

static enum csv_state csv_scan(const struct strbuf *line, enum csv_state st)
{
	size_t i;

	for (i = 0; i < line->len; i++) {
		char ch = line->buf[i];

		switch (st) {
		case CSV_START:
			st = ch == '"' ? CSV_QUOTED : ch == ',' || ch == '\r' ? CSV_START : CSV_UNQUOTED;
			break;
		case CSV_UNQUOTED:
			st = ch == ',' || ch == '\r' ? CSV_START : CSV_UNQUOTED;
			break;
		case CSV_QUOTED:
			st = ch == '"' ? CSV_QUOTE : CSV_QUOTED;
			break;
		case CSV_QUOTE: /* a quote in a quoted field: "" or the closing one */
			st = ch == '"' ? CSV_QUOTED : ch == ',' || ch == '\r' ? CSV_START : CSV_UNQUOTED;
			break;
		}
	}
	return st == CSV_QUOTED ? CSV_QUOTED : CSV_START;
}

struct csv_cols {
	long *col[PSM_USAGE_FIELDS]; /* each candidate's column, or -1 */
	long type;                    /* Segment's "type" column, or -1 */
};

static int header_columns(struct csv_cols *c, const struct psm_usage_reader *r,
			  const struct psm_csv_row *h, const char *const *names)
{
	size_t i, j;
	int f, any;

	c->type = -1;
	for (j = 0; j < h->n; j++)
		if (r->only_track && !strcmp(h->v[j], "type"))
			c->type = (long)j;
	for (f = 0; f < PSM_USAGE_FIELDS; f++) {
		if (!(c->col[f] = calloc(r->nfields[f] + 1, sizeof(long))))
			return psm_error(PSM_ENOMEM, "out of memory");
		for (any = 0, i = 0; i < r->nfields[f]; i++) {
			c->col[f][i] = -1;
			for (j = 0; j < h->n && c->col[f][i] < 0; j++)
				if (!strcmp(h->v[j], r->fields[f][i]))
					c->col[f][i] = (long)j, any = 1;
		}
		if (!any)
			return psm_error(PSM_EINVALID, "no column for the %s (looked for %s; use --map COLUMN=%s)",
					 f == PSM_USAGE_USER ? "user id" : f == PSM_USAGE_EVENT ? "event name" : "time",
					 names[f], field_names[f]);
	}
	return 0;
}

static const char *csv_value(const struct csv_cols *c, const struct psm_usage_reader *r,
			     const struct psm_csv_row *row, int f)
{
	size_t i;

	for (i = 0; i < r->nfields[f]; i++)
		if (c->col[f][i] >= 0 && (size_t)c->col[f][i] < row->n && *row->v[c->col[f][i]])
			return row->v[c->col[f][i]];
	return NULL;
}

static int csv_record(struct psm_usage_reader *r, const struct csv_cols *c,
		      const struct psm_csv_row *row, long lineno, const char *const *names)
{
	const char *user;

	if (c->type >= 0 && (size_t)c->type < row->n && *row->v[c->type] &&
	    strcmp(row->v[c->type], "track")) {
		r->skipped++;
		return 0;
	}
	user = csv_value(c, r, row, PSM_USAGE_USER);
	return take(r, lineno, user, user ? strlen(user) : 0, csv_value(c, r, row, PSM_USAGE_EVENT),
		    csv_value(c, r, row, PSM_USAGE_TIME), names);
}

/* The records of one gathered CSV text (more than one where a lone CR
 * ends a record inside a line); the first of the file is the header. */
static int csv_text(struct psm_usage_reader *r, const struct strbuf *rec, long start, long end,
		    struct psm_csv_row *header, struct psm_csv_row *row, struct csv_cols *cols,
		    int *have_header, const char *const *names)
{
	struct psm_csv p;
	int ret;

	psm_csv_init(&p, rec->buf, rec->len);
	while ((ret = psm_csv_next(&p, *have_header ? row : header)) != 0) {
		long at = start + (*have_header ? row->line : header->line) - 1;

		if (at > end) /* the reader counts a lone CR as a line; lines end in LF */
			at = end;

		if (ret == PSM_ENOMEM)
			return ret;
		if (ret < 0)
			return report(r, at, "%s", psm_error_last());
		if (!*have_header) {
			if ((ret = header_columns(cols, r, header, names)) < 0)
				return ret;
			*have_header = 1;
			continue;
		}
		r->lines++;
		if ((ret = csv_record(r, cols, row, at, names)) < 0)
			return ret;
	}
	return 0;
}

/* ---- the file ------------------------------------------------------------- */

static enum psm_usage_format by_name(const char *name)
{
	const char *dot = strrchr(name, '.');

	if (!dot)
		return PSM_USAGE_AUTO;
	if (!strcasecmp(dot, ".csv"))
		return PSM_USAGE_CSV;
	if (!strcasecmp(dot, ".jsonl") || !strcasecmp(dot, ".ndjson") || !strcasecmp(dot, ".json"))
		return PSM_USAGE_JSONL;
	return PSM_USAGE_AUTO;
}

int psm_usage_read(struct psm_usage_reader *r, FILE *in, const char *name)
{
	struct strbuf line = STRBUF_INIT, rec = STRBUF_INIT, v = STRBUF_INIT, desc[PSM_USAGE_FIELDS];
	struct input *input = calloc(1, sizeof(*input));
	struct psm_csv_row header = { 0 }, row = { 0 };
	struct csv_cols cols = { { NULL, NULL, NULL }, -1 };
	enum psm_usage_format fmt = r->format ? r->format : by_name(name);
	const char *names[PSM_USAGE_FIELDS];
	long lineno = 0, start = 0;
	int ret = 0, f, too_long, open = 0, have_header = 0;

	r->lines = r->events = r->anonymous = r->skipped = r->bad = 0;
	for (f = 0; f < PSM_USAGE_FIELDS; f++) {
		strbuf_init(&desc[f], 0);
		if ((ret = describe(&desc[f], r, f)) < 0)
			goto out;
		names[f] = desc[f].buf;
	}
	if (!input) {
		ret = psm_error(PSM_ENOMEM, "out of memory");
		goto out;
	}
	input->f = in;
	while ((ret = next_line(input, &line, &lineno, &too_long)) > 0) {
		if (lineno == 1 && line.len >= 3 && !memcmp(line.buf, "\xef\xbb\xbf", 3)) {
			memmove(line.buf, line.buf + 3, line.len - 2); /* a byte order mark */
			strbuf_setlen(&line, line.len - 3);
		}
		if (too_long || memchr(line.buf, '\0', line.len)) {
			if ((ret = report(r, lineno, "%s", too_long ? "longer than " PSM_USAGE_MAX_LINE_NAME
							 : "holds a NUL byte")) < 0)
				goto out;
			open = 0;
			strbuf_reset(&rec);
			continue;
		}
		if (!open && blank(&line))
			continue;
		if (fmt == PSM_USAGE_AUTO) /* JSON lines start with a brace */
			fmt = line.buf[strspn(line.buf, " \t")] == '{' ? PSM_USAGE_JSONL : PSM_USAGE_CSV;
		if (fmt == PSM_USAGE_JSONL) {
			r->lines++;
			if ((ret = jsonl_line(r, &line, lineno, &v, names)) < 0)
				goto out;
			continue;
		}
		/* CSV: gather the lines of one record, within the same limit */
		if (!open) {
			strbuf_reset(&rec);
			start = lineno;
		} else {
			strbuf_addch(&rec, '\n');
		}
		if (rec.len + line.len > PSM_USAGE_MAX_LINE) {
			if ((ret = report(r, start, "a record longer than %s (a quote never closed?)",
					  PSM_USAGE_MAX_LINE_NAME)) < 0)
				goto out;
			open = 0;
			continue;
		}
		open = csv_scan(&line, open ? CSV_QUOTED : CSV_START) == CSV_QUOTED;
		strbuf_addbuf(&rec, &line);
		if (rec.oom) {
			ret = psm_error(PSM_ENOMEM, "out of memory");
			goto out;
		}
		if (!open && (ret = csv_text(r, &rec, start, lineno, &header, &row, &cols,
					     &have_header, names)) < 0)
			goto out;
	}
	if (ret < 0)
		goto out;
	if (open && (ret = report(r, start, "the quoted field starting on line %ld is not closed",
				  start)) < 0)
		goto out;
	ret = 0;
out:
	if (ret < 0 && ret != PSM_ENOMEM) /* what stops a file is named with it */
		psm_error(ret, "%s: %s", name, psm_error_last());
	for (f = 0; f < PSM_USAGE_FIELDS; f++) {
		free(cols.col[f]);
		strbuf_release(&desc[f]);
	}
	psm_csv_row_release(&header);
	psm_csv_row_release(&row);
	free(input);
	strbuf_release(&line);
	strbuf_release(&rec);
	strbuf_release(&v);
	return ret;
}
