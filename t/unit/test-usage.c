/*
 * Unit tests for lib/usage/ and lib/util/siphash.c: the config, week files and
 * figures, times as exports write them, the readers and presets, and the
 * record in a scratch git directory (merging, counting, refusing to add to
 * another record's counts). TAP on stdout.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "psm/config.h"
#include "psm/error.h"
#include "psm/time.h"
#include "psm/siphash.h"
#include "tap.h"
#include "psm/usage-read.h"
#include "psm/usage-record.h"
#include "psm/usage.h"
#include "psm/yaml.h"

static int64_t T(const char *s)
{
	int64_t t;

	if (psm_time_parse(s, &t) < 0) {
		printf("Bail out! bad time in test: %s\n", s);
		exit(1);
	}
	return t;
}

static void test_siphash(void)
{
	unsigned char key[16], msg[15];
	size_t i;

	for (i = 0; i < 16; i++)
		key[i] = (unsigned char)i;
	for (i = 0; i < 15; i++)
		msg[i] = (unsigned char)i;
	/* the vectors of the SipHash paper and reference implementation */
	ok(psm_siphash(key, msg, 15) == 0xa129ca6149be45e5ULL, "siphash-2-4: the paper's 15-byte vector");
	ok(psm_siphash(key, msg, 0) == 0x726fdb47dd0e0e31ULL, "siphash-2-4: the empty message");
	key[0] = 1;
	ok(psm_siphash(key, msg, 15) != 0xa129ca6149be45e5ULL, "another key, another hash");
}

static struct psm_usage_config *config(const char *yaml, int *code)
{
	struct psm_yaml_error err = { 0, 0, STRBUF_INIT };
	struct psm_config *cfg = NULL;
	struct psm_usage_config *uc = NULL;

	*code = psm_config_parse(&cfg, yaml, strlen(yaml), &err);
	if (!*code)
		*code = psm_usage_config_load(&uc, cfg);
	psm_config_free(cfg);
	strbuf_release(&err.msg);
	return uc;
}

static const char good_config[] =
	"onboarding:\n  signup: signed_up\n  steps: [created_project, invited, shared]\n"
	"  window: 7d\nadoption:\n  dashboards:\n    events: [dash_made, dash_shared]\n"
	"    release: '1.4'\n  export:\n    events: pdf\n";

static void test_config(void)
{
	struct psm_usage_config *uc;
	int code;

	uc = config(good_config, &code);
	ok(uc && !code && psm_usage_configured(uc), "a full config loads");
	ok(uc && !strcmp(uc->signup, "signed_up") && uc->nsteps == 3 &&
	   !strcmp(uc->steps[2], "shared") && uc->window == 7 * 86400, "signup, steps in order, window");
	ok(uc && uc->nfeatures == 2 && uc->features[0].nevents == 2 &&
	   !strcmp(uc->features[0].release, "1.4") && uc->features[1].nevents == 1 &&
	   !uc->features[1].release, "features with their events and release (one event as a scalar)");
	psm_usage_config_free(uc);

	uc = config("types: [bug]\n", &code);
	ok(uc && !code && !psm_usage_configured(uc), "no onboarding, no adoption: nothing configured");
	psm_usage_config_free(uc);
	uc = config("onboarding:\n  signup: s\n  steps: [a]\n", &code);
	ok(uc && uc->window == 7 * 86400, "the window defaults to 7 days");
	psm_usage_config_free(uc);

	uc = config("onboarding:\n  signup: s\n  steps: a\n", &code);
	ok(!uc && code == PSM_EINVALID && strstr(psm_error_last(), "onboarding.steps"),
	   "steps must be a list");
	uc = config("onboarding:\n  signup: s\n  steps: [a, b, a]\n", &code);
	ok(!uc && strstr(psm_error_last(), "'a' is there twice"), "a step twice");
	uc = config("onboarding:\n  steps: [a]\n", &code);
	ok(!uc && strstr(psm_error_last(), "onboarding.signup"), "no signup");
	uc = config("onboarding:\n  signup: s\n  steps: [a]\n  window: soon\n", &code);
	ok(!uc && strstr(psm_error_last(), "onboarding.window"), "a bad window");
	uc = config("adoption:\n  x:\n    release: '1'\n", &code);
	ok(!uc && strstr(psm_error_last(), "adoption.x: expected events"), "a feature without events");
	uc = config("adoption: [a, b]\n", &code);
	ok(!uc && code == PSM_EINVALID, "adoption must be a mapping");
}

/* Reviewing the week of 2026-11-23 (Monday): which cohort's window is closed. */
static void test_closed_cohort(void)
{
	static const struct {
		int days;
		const char *now, *want, *what;
	} c[] = {
		{ 7, "2026-12-01T00:00:00Z", "2026-11-16T00:00:00Z",
		  "a past week, 7d window: the week before's cohort closed by its end" },
		{ 10, "2026-12-30T00:00:00Z", "2026-11-09T00:00:00Z", "a 10d window: two weeks before" },
		{ 3, "2026-12-30T00:00:00Z", "2026-11-16T00:00:00Z", "a 3d window: the week before" },
		{ 7, "2026-11-24T12:00:00Z", "2026-11-09T00:00:00Z",
		  "the week under way: the latest cohort closed by now" },
		{ 7, "2026-11-30T00:00:00Z", "2026-11-16T00:00:00Z",
		  "a window that ends at now counts as closed" },
		{ 7, "2026-11-29T23:59:59Z", "2026-11-09T00:00:00Z", "a second before: not yet" },
	};
	size_t i;

	for (i = 0; i < sizeof(c) / sizeof(*c); i++)
		ok(psm_usage_closed_cohort(T("2026-11-23T00:00:00Z"), c[i].days * 86400, T(c[i].now)) ==
			   T(c[i].want),
		   "%s", c[i].what);
}

static void test_figures(void)
{
	struct psm_usage_count steps[3] = { { "a", 8 }, { "b", 3 }, { "c", 3 } };
	struct psm_usage_count feats[1] = { { "f", 1 } };
	struct psm_usage_week w = { 0 };
	struct psm_release tags[2] = { { "v1.3", 0 }, { "v1.4", 0 } };
	struct psm_usage_feature f = { "f", NULL, 0, NULL };
	size_t lost;
	int64_t week;

	ok(psm_usage_percent(1, 8) == 13, "12.5%% rounds half up to 13");
	ok(psm_usage_percent(1, 3) == 33 && psm_usage_percent(2, 3) == 67, "thirds round to 33 and 67");
	ok(psm_usage_percent(0, 0) == -1, "nothing to divide by: -1");

	w.onboarding = 1;
	w.signups = 10;
	w.steps = steps;
	w.nsteps = 3;
	w.active = 3;
	w.features = feats;
	w.nfeatures = 1;
	ok(psm_usage_completion(&w) == 30, "completion: did every step / signups");
	ok(psm_usage_stall(&w, &lost) == 1 && lost == 5, "the stall is where most are lost (5 before b)");
	steps[0].users = 5;
	ok(psm_usage_stall(&w, &lost) == 0 && lost == 5, "a tie goes to the earlier step");
	steps[0].users = steps[1].users = steps[2].users = 10;
	ok(psm_usage_stall(&w, &lost) == -1 && lost == 0, "no one lost: no stall");
	ok(psm_usage_adoption(&w, "f") == 33 && psm_usage_adoption(&w, "g") == -1,
	   "adoption: users / active; a feature the week lacks: -1");

	tags[0].when = T("2026-11-02T10:00:00Z");
	tags[1].when = T("2026-11-12T10:00:00Z");
	ok(psm_usage_release_week(&week, &f, tags, 2) == 1 && week == 0, "no release: from the start");
	f.release = "1.4";
	ok(psm_usage_release_week(&week, &f, tags, 2) == 0 && week == T("2026-11-09T00:00:00Z"),
	   "'1.4' is tag v1.4, counted from its week");
	f.release = "2026-11-18";
	ok(psm_usage_release_week(&week, &f, tags, 2) == 2 && week == T("2026-11-16T00:00:00Z"),
	   "a date: its week");
	f.release = "2.0";
	ok(psm_usage_release_week(&week, &f, tags, 2) == PSM_ENOTFOUND, "no such tag or date");

	test_closed_cohort();
}

static void test_week_file(void)
{
	struct psm_usage_count feats[2] = { { "dashboards", 210 }, { "yes", 3 } };
	struct psm_usage_count steps[2] = { { "created: project", 100 }, { "invite", 60 } };
	struct psm_usage_week w = { 0 }, back;
	struct strbuf text = STRBUF_INIT, path = STRBUF_INIT;
	int r;

	w.week = T("2026-11-16T00:00:00Z");
	w.record = "0123abcd";
	w.active = 1234;
	w.features = feats;
	w.nfeatures = 2;
	w.onboarding = 1;
	w.window = 14 * 86400;
	w.signups = 120;
	w.steps = steps;
	w.nsteps = 2;
	w.waiting = 7;
	ok(!psm_usage_week_path(&path, w.week) && !strcmp(path.buf, ".psm/usage/2026-W47.yml"),
	   "the file is named for its ISO week");
	ok(!psm_usage_week_format(&text, &w) && strstr(text.buf, "week: 2026-W47\n") &&
	   strstr(text.buf, "  window: 14d\n") && strstr(text.buf, "  'yes': 3\n") &&
	   strstr(text.buf, "    'created: project': 100\n"), "written with quoted names where YAML needs");
	r = psm_usage_week_parse(&back, text.buf, text.len, path.buf);
	ok(!r && back.week == w.week && !strcmp(back.record, "0123abcd") && back.active == 1234 &&
	   back.nfeatures == 2 && !strcmp(back.features[1].name, "yes") && back.features[1].users == 3 &&
	   back.onboarding && back.window == w.window && back.signups == 120 && back.nsteps == 2 &&
	   !strcmp(back.steps[0].name, "created: project") && back.steps[1].users == 60 &&
	   back.waiting == 7, "read back exactly");
	if (!r)
		psm_usage_week_release(&back);
	r = psm_usage_week_parse(&back, "version: 1\nweek: 2026-W47\nrecord: a1\nactive: -3\n", 45, "f.yml");
	ok(r == PSM_EPARSE && strstr(psm_error_last(), "f.yml:4: active"), "a bad count is named with its line");
	r = psm_usage_week_parse(&back, "version: 2\nweek: 2026-W47\n", 26, "f.yml");
	ok(r == PSM_EPARSE && strstr(psm_error_last(), "version 1"), "another version is refused");
	strbuf_release(&text);
	strbuf_release(&path);
}

static void test_times(void)
{
	struct psm_usage_reader r;
	int64_t t;

	psm_usage_reader_init(&r, NULL, NULL, 0, NULL);
	ok(!psm_usage_parse_time(&r, "2026-11-16T09:00:00Z", &t) && t == T("2026-11-16T09:00:00Z"), "RFC 3339");
	ok(!psm_usage_parse_time(&r, "2026-11-16T10:30:00+01:30", &t) && t == T("2026-11-16T09:00:00Z"),
	   "an offset");
	ok(!psm_usage_parse_time(&r, "2026-11-16T10:00:00.123456+0100", &t) && t == T("2026-11-16T09:00:00Z"),
	   "fractions and +0100");
	ok(!psm_usage_parse_time(&r, "2026-11-16 07:00:00-02", &t) && t == T("2026-11-16T09:00:00Z"), "-02");
	ok(!psm_usage_parse_time(&r, "2026-11-16 09:00:00 UTC", &t) && t == T("2026-11-16T09:00:00Z"), "UTC");
	ok(!psm_usage_parse_time(&r, "1795168800", &t) && t == T("2026-11-20T10:00:00Z"), "Unix seconds");
	ok(!psm_usage_parse_time(&r, "1795168800123", &t) && t == T("2026-11-20T10:00:00Z"), "milliseconds");
	ok(!psm_usage_parse_time(&r, "1795168800123456", &t) && t == T("2026-11-20T10:00:00Z"), "microseconds");
	ok(psm_usage_parse_time(&r, "2026-11-16T09:00:00", &t) == PSM_EINVALID &&
	   strstr(psm_error_last(), "no time zone: say which with --tz"), "no zone: an error naming --tz");
	ok(psm_usage_parse_time(&r, "2026-11-16", &t) == PSM_EINVALID, "a date alone has no zone either");
	ok(psm_usage_parse_time(&r, "2026-02-30T00:00:00Z", &t) == PSM_EINVALID, "February 30th");
	ok(psm_usage_parse_time(&r, "yesterday", &t) == PSM_EINVALID, "not a time");
	ok(psm_usage_parse_time(&r, "-5", &t) == PSM_EINVALID, "before 1970");
	psm_usage_reader_release(&r);

	ok(psm_usage_reader_init(&r, NULL, NULL, 0, "Mars/Olympus") == PSM_EINVALID &&
	   strstr(psm_error_last(), "unknown time zone 'Mars/Olympus'"), "an unknown zone is refused");
	psm_usage_reader_release(&r);
	psm_usage_reader_init(&r, NULL, NULL, 0, "Europe/Berlin");
	ok(!psm_usage_parse_time(&r, "2026-11-16T10:00:00", &t) && t == T("2026-11-16T09:00:00Z"),
	   "--tz Europe/Berlin in winter: +01");
	ok(!psm_usage_parse_time(&r, "2026-07-16 11:00:00", &t) && t == T("2026-07-16T09:00:00Z"),
	   "and in summer: +02");
	ok(!psm_usage_parse_time(&r, "2026-03-29T02:30:00", &t) && t == T("2026-03-29T01:00:00Z"),
	   "a time in the spring gap moves forward to 03:00");
	ok(!psm_usage_parse_time(&r, "2026-10-25T02:30:00", &t) && t == T("2026-10-25T01:30:00Z"),
	   "a repeated autumn time is standard time");
	ok(!psm_usage_parse_time(&r, "2026-11-16T09:00:00Z", &t) && t == T("2026-11-16T09:00:00Z"),
	   "a time with its zone keeps it");
	psm_usage_reader_release(&r);

	psm_usage_reader_init(&r, "amplitude", NULL, 0, NULL);
	ok(!psm_usage_parse_time(&r, "2026-11-16 09:00:00.000000", &t) && t == T("2026-11-16T09:00:00Z"),
	   "amplitude: times without a zone are UTC");
	psm_usage_reader_release(&r);
	psm_usage_reader_init(&r, "mixpanel", NULL, 0, NULL);
	ok(psm_usage_parse_time(&r, "1795168800", &t) == PSM_EINVALID &&
	   strstr(psm_error_last(), "project's time zone"), "mixpanel: seconds need --tz");
	psm_usage_reader_release(&r);
	psm_usage_reader_init(&r, "mixpanel", NULL, 0, "Europe/Berlin");
	ok(!psm_usage_parse_time(&r, "1795168800", &t) && t == T("2026-11-20T09:00:00Z"),
	   "mixpanel: seconds counted in the project's zone");
	psm_usage_reader_release(&r);
}

/* ---- readers ----------------------------------------------------------- */

struct seen {
	struct strbuf events, bad;
};

static int seen_event(void *data, const struct psm_usage_event *ev)
{
	struct seen *s = data;
	struct strbuf t = STRBUF_INIT;

	psm_time_format(&t, ev->time);
	strbuf_addf(&s->events, "%ld %.*s %s %s\n", ev->line, (int)ev->user_len, ev->user, ev->name, t.buf);
	strbuf_release(&t);
	return 0;
}

static int seen_bad(void *data, long line, const char *msg)
{
	strbuf_addf(&((struct seen *)data)->bad, "%ld: %s\n", line, msg);
	return 0;
}

/* Read text with a preset and maps; what came out in s. */
static int read_text(struct seen *s, const char *text, size_t len, const char *name, const char *preset,
		     const char *const *maps, size_t nmaps, struct psm_usage_reader *out)
{
	struct psm_usage_reader r;
	FILE *f = fmemopen((void *)text, len, "r");
	int ret;

	strbuf_init(&s->events, 0);
	strbuf_init(&s->bad, 0);
	if (!f || psm_usage_reader_init(&r, preset, maps, nmaps, NULL) < 0) {
		if (f)
			fclose(f);
		return -1;
	}
	r.on_event = seen_event;
	r.on_bad = seen_bad;
	r.data = s;
	ret = psm_usage_read(&r, f, name);
	fclose(f);
	if (out)
		*out = r;
	psm_usage_reader_release(&r);
	return ret;
}

#define READ(s, text, name, preset, maps, n, r) read_text(s, text, sizeof(text) - 1, name, preset, maps, n, r)

static void test_readers(void)
{
	static const char jsonl[] =
		"{\"user\":\"u1\",\"event\":\"signed_up\",\"time\":\"2026-11-16T09:00:00Z\"}\n"
		"\n"
		"{\"user\":\"u2\",\"event\":\"x\"}\n"
		"{\"event\":\"anon\",\"time\":\"2026-11-16T09:00:00Z\"}\n"
		"[1]\n"
		"{\"user\":\"u3\",\"event\":\"y\",\"time\":\"2026-11-16T09:00:00\"}\n";
	static const char posthog[] =
		"{\"event\":\"e\",\"distinct_id\":\"anon-1\",\"person_id\":null,\"timestamp\":\"2026-11-16T09:00:00Z\"}\n"
		"{\"event\":\"e\",\"distinct_id\":\"anon-1\",\"person_id\":\"p-1\",\"timestamp\":\"2026-11-16T09:00:00Z\"}\n";
	static const char amplitude[] =
		"{\"event_type\":\"e\",\"amplitude_id\":12345,\"user_id\":null,\"event_time\":\"2026-11-16 09:00:00.5\"}\n";
	static const char segment[] =
		"{\"type\":\"identify\",\"userId\":\"u1\",\"timestamp\":\"2026-11-16T09:00:00Z\"}\n"
		"{\"type\":\"track\",\"event\":\"e\",\"userId\":null,\"anonymousId\":\"a1\",\"timestamp\":\"2026-11-16T09:00:00Z\"}\n";
	static const char mixpanel[] =
		"{\"event\":\"e\",\"properties\":{\"distinct_id\":\"d1\",\"time\":1795168800}}\n";
	static const char csv[] =
		"\xef\xbb\xbfWho,What,When,Note\n"
		"u1,signed_up,2026-11-16T09:00:00Z,\"two\nlines\"\n"
		"u2,x,2026-11-16T09:00:00Z,\"a \"\"quote\"\"\"\n"
		"u3,,2026-11-16T09:00:00Z,\n";
	static const char nocol[] = "user,time\nu1,2026-11-16T09:00:00Z\n";
	static const char *const csv_maps[] = { "Who=user", "What=event", "When=time" };
	static const char *const fallback[] = { "uid=user", "device=user" };
	static const char fb[] = "{\"uid\":null,\"device\":\"dev\",\"event\":\"e\",\"time\":\"2026-11-16T09:00:00Z\"}\n";
	struct psm_usage_reader r;
	struct seen s;
	static const char tail[] = "\"}\n{\"user\":\"u\",\"event\":\"e\",\"time\":\"2026-11-16T09:00:00Z\"}\n";
	char *big;
	size_t n = PSM_USAGE_MAX_LINE + 100;
	FILE *f;

	ok(!READ(&s, jsonl, "ev.jsonl", NULL, NULL, 0, &r) &&
	   !strcmp(s.events.buf, "1 u1 signed_up 2026-11-16T09:00:00Z\n") && r.anonymous == 1 && r.bad == 3,
	   "JSONL: an event, an anonymous line, three bad lines");
	ok(strstr(s.bad.buf, "3: no time (looked for 'time' or 'timestamp')\n") &&
	   strstr(s.bad.buf, "5: not a JSON object\n") && strstr(s.bad.buf, "6: time '2026-11-16T09:00:00' has no time zone"),
	   "each bad line named with its line number");
	strbuf_release(&s.events);
	strbuf_release(&s.bad);

	ok(!READ(&s, posthog, "x", "posthog", NULL, 0, NULL) &&
	   !strcmp(s.events.buf, "1 anon-1 e 2026-11-16T09:00:00Z\n2 p-1 e 2026-11-16T09:00:00Z\n"),
	   "posthog: person_id, else distinct_id");
	strbuf_release(&s.events);
	strbuf_release(&s.bad);
	ok(!READ(&s, amplitude, "x", "amplitude", NULL, 0, NULL) &&
	   !strcmp(s.events.buf, "1 12345 e 2026-11-16T09:00:00Z\n"), "amplitude: amplitude_id, event_type, event_time in UTC");
	strbuf_release(&s.events);
	strbuf_release(&s.bad);
	ok(!READ(&s, segment, "x", "segment", NULL, 0, &r) && r.skipped == 1 &&
	   !strcmp(s.events.buf, "2 a1 e 2026-11-16T09:00:00Z\n"), "segment: track calls only, anonymousId before userId");
	strbuf_release(&s.events);
	strbuf_release(&s.bad);
	ok(!READ(&s, mixpanel, "x", "mixpanel", NULL, 0, &r) && r.bad == 1 && strstr(s.bad.buf, "--tz"),
	   "mixpanel: properties.distinct_id, and its seconds need --tz");
	strbuf_release(&s.events);
	strbuf_release(&s.bad);
	ok(!READ(&s, fb, "x", NULL, fallback, 2, NULL) && !strcmp(s.events.buf, "1 dev e 2026-11-16T09:00:00Z\n"),
	   "--map twice for one field: a fallback");
	strbuf_release(&s.events);
	strbuf_release(&s.bad);

	ok(!READ(&s, csv, "export.txt", NULL, csv_maps, 3, &r) &&
	   !strcmp(s.events.buf, "2 u1 signed_up 2026-11-16T09:00:00Z\n4 u2 x 2026-11-16T09:00:00Z\n") &&
	   !strcmp(s.bad.buf, "5: no event name (looked for 'What')\n"),
	   "CSV by content, with a BOM, --map, a quoted line break and quotes");
	strbuf_release(&s.events);
	strbuf_release(&s.bad);
	{
		static const char quotes[] =
			"user,event,time\n"
			"a\"b,signed_up,2026-11-16T09:00:00Z\n"  /* a quote inside a field: text */
			"c,signed_up,2026-11-16T09:00:00Z\rd,e,2026-11-16T09:00:00Z\n" /* a lone CR */
			"\"e\"\"\",x,\"2026-11-16T09:00:00Z\"\n";

		ok(!READ(&s, quotes, "q.csv", NULL, NULL, 0, NULL) && !s.bad.len &&
		   !strcmp(s.events.buf, "2 a\"b signed_up 2026-11-16T09:00:00Z\n3 c signed_up 2026-11-16T09:00:00Z\n"
			   "3 d e 2026-11-16T09:00:00Z\n4 e\" x 2026-11-16T09:00:00Z\n"),
		   "CSV quotes as the reader has them: a quote inside a field is text, a lone CR ends a record");
		strbuf_release(&s.events);
		strbuf_release(&s.bad);
	}
	ok(READ(&s, nocol, "n.csv", NULL, NULL, 0, NULL) == PSM_EINVALID &&
	   strstr(psm_error_last(), "n.csv: no column for the event name (looked for 'event'; use --map COLUMN=event)"),
	   "a CSV without an event column");
	strbuf_release(&s.events);
	strbuf_release(&s.bad);
	ok(psm_usage_reader_init(&r, "heap", NULL, 0, NULL) == PSM_EINVALID &&
	   strstr(psm_error_last(), "unknown preset 'heap'"), "an unknown preset");
	psm_usage_reader_release(&r);
	ok(psm_usage_reader_init(&r, NULL, fallback + 0, 1, NULL) == 0, "a good map");
	psm_usage_reader_release(&r);
	{
		static const char *const badmap[] = { "col=who" };

		ok(psm_usage_reader_init(&r, NULL, badmap, 1, NULL) == PSM_EINVALID &&
		   strstr(psm_error_last(), "invalid --map 'col=who'"), "a map to no field");
		psm_usage_reader_release(&r);
	}

	{
		static const char nul[] = "{\"user\":\"a\0b\",\"event\":\"e\",\"time\":\"2026-11-16T09:00:00Z\"}\n"
			"{\"user\":\"u\",\"event\":\"e\",\"time\":\"2026-11-16T09:00:00Z\"}\n";

		ok(!READ(&s, nul, "n.jsonl", NULL, NULL, 0, NULL) && !strcmp(s.bad.buf, "1: holds a NUL byte\n") &&
		   !strcmp(s.events.buf, "2 u e 2026-11-16T09:00:00Z\n"),
		   "a NUL byte: that line is refused, the next one read on its own");
		strbuf_release(&s.events);
		strbuf_release(&s.bad);
	}

	/* a line past the limit is reported, not grown into */
	big = malloc(n + 200);
	if (big) {
		memset(big, 'x', n);
		memcpy(big, "{\"user\":\"", 9);
		memcpy(big + n, tail, sizeof(tail));
		strbuf_init(&s.events, 0);
		strbuf_init(&s.bad, 0);
		f = fmemopen(big, strlen(big), "r");
		psm_usage_reader_init(&r, NULL, NULL, 0, NULL);
		r.on_event = seen_event;
		r.on_bad = seen_bad;
		r.data = &s;
		ok(f && !psm_usage_read(&r, f, "big.jsonl") &&
		   !strcmp(s.bad.buf, "1: longer than 1 MiB\n") &&
		   !strcmp(s.events.buf, "2 u e 2026-11-16T09:00:00Z\n"), "a line over 1 MiB is named and skipped");
		if (f)
			fclose(f);
		psm_usage_reader_release(&r);
		strbuf_release(&s.events);
		strbuf_release(&s.bad);
		free(big);
	}
}

/* ---- the record ---------------------------------------------------------- */

/* Write the weeks as the store's week files (root: a work tree). */
static void write_weeks(const char *root, const struct psm_usage_weeks *ws)
{
	struct strbuf path = STRBUF_INIT, full = STRBUF_INIT, text = STRBUF_INIT;
	size_t i;

	strbuf_addf(&full, "%s.psm", root);
	mkdir(full.buf, 0755);
	strbuf_addstr(&full, "/usage");
	mkdir(full.buf, 0755);
	for (i = 0; i < ws->n; i++) {
		FILE *f;

		strbuf_reset(&path);
		strbuf_reset(&full);
		strbuf_reset(&text);
		psm_usage_week_path(&path, ws->v[i].week);
		strbuf_addf(&full, "%s%s", root, path.buf);
		psm_usage_week_format(&text, &ws->v[i]);
		if ((f = fopen(full.buf, "w"))) {
			fputs(text.buf, f);
			fclose(f);
		}
	}
	strbuf_release(&path);
	strbuf_release(&full);
	strbuf_release(&text);
}

/* An import of lines "USER EVENT TIME" into the record in dir (a git dir
 * and a work tree at once); its counts are then written as the week files. */
static int import(struct psm_usage_weeks *out, const char *dir, const struct psm_usage_config *uc,
		  int rebuild, const char *const *lines)
{
	struct psm_usage_import *im;
	int r;

	if ((r = psm_usage_import_begin(&im, dir, dir, uc, rebuild)) < 0)
		return r;
	for (; *lines; lines++) {
		char user[32], name[64], when[32];
		struct psm_usage_event ev;

		if (sscanf(*lines, "%31s %63s %31s", user, name, when) != 3)
			return -100;
		ev.user = user;
		ev.user_len = strlen(user);
		ev.name = name;
		ev.time = T(when);
		ev.line = 0;
		if ((r = psm_usage_import_event(im, &ev)) < 0)
			return r;
	}
	if ((r = psm_usage_import_count(im, out)) < 0 || (r = psm_usage_import_keep(im)) < 0)
		return r;
	psm_usage_import_free(im);
	write_weeks(dir, out);
	return 0;
}

static void test_record(void)
{
	static const char *const first[] = {
		"ann signed_up 2026-11-16T09:00:00Z",
		"ann created_project 2026-11-17T09:00:00Z",
		"ann invited 2026-11-18T09:00:00Z",
		"ann shared 2026-11-19T09:00:00Z",
		"bob signed_up 2026-11-17T09:00:00Z",
		"bob invited 2026-11-18T09:00:00Z",  /* step 2 without step 1 */
		"cat dash_made 2026-11-23T09:00:00Z",  /* the data ends before bob's window */
		"cat page_view 2026-11-16T09:00:00Z",
		NULL
	};
	static const char *const second[] = {
		"bob created_project 2026-11-23T09:00:00Z", /* within bob's window: now steps 1 and 2 */
		"ann signed_up 2026-11-16T09:00:00Z",       /* again: nothing new */
		"dan signed_up 2026-11-21T09:00:00Z",
		"dan created_project 2026-11-29T09:00:00Z", /* after the window */
		NULL
	};
	struct psm_usage_weeks w1, w2, w3;
	struct psm_usage_config *uc;
	struct strbuf dir = STRBUF_INIT, psmdir = STRBUF_INIT;
	int code;

	uc = config(good_config, &code);
	if (tap_scratch_dir(&dir, "usage") < 0 || !uc)
		return;
	strbuf_addch(&dir, '/');
	strbuf_addf(&psmdir, "%spsm", dir.buf);
	mkdir(psmdir.buf, 0700);

	ok(!import(&w1, dir.buf, uc, 0, first) && w1.n == 2, "a first import: two weeks");
	ok(w1.n == 2 && w1.v[0].week == T("2026-11-16T00:00:00Z") && w1.v[0].active == 3 &&
	   w1.v[0].signups == 2 && w1.v[0].steps[0].users == 1 && w1.v[0].steps[1].users == 1 &&
	   w1.v[0].steps[2].users == 1 && w1.v[0].waiting == 1,
	   "week 47: 3 active, 2 signups, ann did every step, bob is still inside his window");
	ok(w1.n == 2 && w1.v[1].active == 1 && w1.v[1].features[0].users == 1 &&
	   w1.v[1].features[1].users == 0 && w1.v[1].signups == 0, "week 48: cat made a dashboard");

	ok(!import(&w2, dir.buf, uc, 0, second) && w2.n == 2, "a second import merges");
	ok(w2.n == 2 && w2.v[0].active == 4 && w2.v[0].signups == 3 && w2.v[0].steps[0].users == 2 &&
	   w2.v[0].steps[1].users == 2 && w2.v[0].steps[2].users == 1 && w2.v[0].waiting == 0,
	   "bob's late first step counts, dan's is after his window; ann counted once; no window open");
	ok(w2.n == 2 && w2.v[1].active == 3, "week 48: bob, cat and dan active");

	ok(!import(&w3, dir.buf, uc, 0, second) && w3.n == 2 && w3.v[0].active == 4 &&
	   w3.v[0].signups == 3 && w3.v[1].active == 3, "importing the same events again changes nothing");
	psm_usage_weeks_release(&w3);

	free(w2.v[0].record);
	w2.v[0].record = psm_strdup("0000");
	write_weeks(dir.buf, &w2);
	ok(import(&w3, dir.buf, uc, 0, second) == PSM_ESTATE &&
	   strstr(psm_error_last(), "2026-W47 were made from a record this repository does not have"),
	   "counts from another record are not added to");
	ok(!import(&w3, dir.buf, uc, 1, second) && w3.n == 2 && w3.v[0].signups == 2 &&
	   strcmp(w3.v[0].record, w1.v[0].record), "--rebuild: a new record, counted from these events alone");
	psm_usage_weeks_release(&w1);
	psm_usage_weeks_release(&w2);
	psm_usage_weeks_release(&w3);
	psm_usage_config_free(uc);
	strbuf_release(&psmdir);
	strbuf_release(&dir);
}

int main(void)
{
	test_siphash();
	test_config();
	test_figures();
	test_week_file();
	test_times();
	test_readers();
	test_record();
	return tap_done();
}
