/*
 * Unit tests for lib/service/bizhours.c and lib/metrics*.c: business time across
 * weekends, holidays, zones and daylight saving; nearest-rank percentiles;
 * ISO weeks; service targets. TAP on stdout.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "psm/bizhours.h"
#include "psm/config.h"
#include "psm/error.h"
#include "psm/metrics.h"
#include "psm/time.h"
#include "tap.h"
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

/* Business hours from YAML text (the value of business_hours:). */
static struct psm_bizhours *biz(const char *yaml, int *code)
{
	struct psm_yaml_error err = { 0, 0, STRBUF_INIT };
	struct psm_node *n = NULL;
	struct psm_bizhours *b = NULL;

	*code = psm_yaml_load(&n, yaml, strlen(yaml), 1, &err);
	if (!*code)
		*code = psm_bizhours_parse(&b, n);
	psm_node_free(n);
	strbuf_release(&err.msg);
	return b;
}

static void test_bizhours(void)
{
	struct psm_bizhours *b;
	int code;

	b = biz("{days: [mon-fri], start: '09:00', end: '17:00'}", &code);
	ok(b && !code, "UTC mon-fri 9-17 parses");
	ok(psm_bizhours_day(b) == 8 * 3600, "a working day is 8h");
	/* Friday 2026-11-20 16:00 to Monday 2026-11-23 10:00: 1h + 1h */
	ok(psm_bizhours_between(b, T("2026-11-20T16:00:00Z"), T("2026-11-23T10:00:00Z")) == 7200,
	   "a weekend adds nothing");
	ok(psm_bizhours_between(b, T("2026-11-21T08:00:00Z"), T("2026-11-22T20:00:00Z")) == 0,
	   "all weekend is zero");
	ok(psm_bizhours_between(b, T("2026-11-16T00:00:00Z"), T("2026-11-23T00:00:00Z")) == 40 * 3600,
	   "a whole week is 40h");
	ok(psm_bizhours_between(b, T("2026-11-16T12:00:00Z"), T("2026-11-16T12:30:00Z")) == 1800,
	   "inside one window");
	ok(psm_bizhours_between(b, T("2026-11-17T18:00:00Z"), T("2026-11-18T08:59:00Z")) == 0,
	   "overnight is zero");
	ok(psm_bizhours_between(b, T("2026-11-23T10:00:00Z"), T("2026-11-20T16:00:00Z")) == 0,
	   "backwards is zero");
	ok(psm_bizhours_between(b, T("1969-12-26T10:00:00Z"), T("1970-01-05T10:00:00Z")) == 48 * 3600,
	   "across the epoch (negative days)");
	psm_bizhours_free(b);

	b = biz("{timezone: Europe/Berlin, days: [mon, tue, wed, thu, fri], start: '09:00', end: '17:00'}", &code);
	ok(b && !code, "Europe/Berlin parses");
	ok(getenv("TZ") && !strcmp(getenv("TZ"), "UTC"), "TZ is as it was");
	ok(psm_bizhours_offset(b, T("2150-07-01T12:00:00Z")) == 7200 &&
	   psm_bizhours_offset(b, T("2150-12-01T12:00:00Z")) == 3600, "summer time after 2100 too");
	ok(psm_bizhours_offset(b, T("2026-11-20T12:00:00Z")) == 3600, "CET in November");
	ok(psm_bizhours_offset(b, T("2026-07-01T12:00:00Z")) == 7200, "CEST in July");
	ok(psm_bizhours_offset(b, T("2026-03-29T00:59:59Z")) == 3600 &&
	   psm_bizhours_offset(b, T("2026-03-29T01:00:00Z")) == 7200, "the spring change to the second");
	/* Fri 15:00Z = 16:00 local, Mon 09:30Z = 10:30 local: 1h + 1.5h */
	ok(psm_bizhours_between(b, T("2026-11-20T15:00:00Z"), T("2026-11-23T09:30:00Z")) == 9000,
	   "Berlin: a weekend in local time");
	/* Fri 2026-03-27 16:00 CET to Mon 2026-03-30 10:00 CEST, across the change */
	ok(psm_bizhours_between(b, T("2026-03-27T15:00:00Z"), T("2026-03-30T08:00:00Z")) == 7200,
	   "Berlin: a weekend with a daylight-saving change");
	psm_bizhours_free(b);

	b = biz("{timezone: '+05:30', days: mon..fri, start: '10:00', end: '18:00', holidays: [2026-12-25, 2026-12-26]}", &code);
	ok(b && !code, "fixed offset, range with .., holidays");
	/* Thu 2026-12-24 17:00 local (11:30Z) to Mon 12-28 11:00 local (05:30Z):
	 * 1h Thursday, Friday a holiday, Saturday a day off, 1h Monday */
	ok(psm_bizhours_between(b, T("2026-12-24T11:30:00Z"), T("2026-12-28T05:30:00Z")) == 7200,
	   "a holiday counts nothing");
	psm_bizhours_free(b);

	b = biz("{days: [sat, sun], start: '00:00', end: '24:00'}", &code);
	ok(b && !code && psm_bizhours_between(b, T("2026-11-20T00:00:00Z"), T("2026-11-24T00:00:00Z")) == 2 * 86400,
	   "weekend-only, whole days");
	psm_bizhours_free(b);

	b = biz("{timezone: Mars/Olympus}", &code);
	ok(!b && code == PSM_EINVALID && strstr(psm_error_last(), "'Mars/Olympus'"), "unknown zone refused");
	b = biz("{timezone: ../../etc/passwd}", &code);
	ok(!b && code == PSM_EINVALID, "a path is no zone");
	b = biz("{start: '9am'}", &code);
	ok(!b && code == PSM_EINVALID && strstr(psm_error_last(), "business_hours.start '9am'"), "bad start refused");
	b = biz("{start: '17:00', end: '09:00'}", &code);
	ok(!b && code == PSM_EINVALID && strstr(psm_error_last(), "later than"), "end before start refused");
	b = biz("{days: [mon, funday]}", &code);
	ok(!b && code == PSM_EINVALID && strstr(psm_error_last(), "'funday'"), "bad day refused");
	b = biz("{holidays: [christmas]}", &code);
	ok(!b && code == PSM_EINVALID && strstr(psm_error_last(), "'christmas'"), "bad holiday refused");
	b = biz("[mon]", &code);
	ok(!b && code == PSM_EINVALID, "a list is no schedule");
	b = biz("~", &code);
	ok(!b && !code, "null: no business hours");
}

static void test_percentile(void)
{
	int64_t ten[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 }, two[] = { 10, 20 }, one[] = { 7 };
	int64_t three[] = { 1, 2, 3 };

	ok(psm_percentile(ten, 10, 50) == 5 && psm_percentile(ten, 10, 90) == 9, "1..10: median 5, p90 9");
	ok(psm_percentile(two, 2, 50) == 10 && psm_percentile(two, 2, 90) == 20, "two values: lower median, p90 the top");
	ok(psm_percentile(one, 1, 50) == 7 && psm_percentile(one, 1, 90) == 7, "one value is every percentile");
	ok(psm_percentile(three, 3, 50) == 2 && psm_percentile(three, 3, 90) == 3, "three values");
}

static void test_weeks(void)
{
	struct strbuf sb = STRBUF_INIT;
	int64_t m;

	ok(!psm_iso_week_parse("2026-W47", &m) && m == T("2026-11-16"), "2026-W47 starts 2026-11-16");
	ok(!psm_iso_week_parse("2026W47", &m) && m == T("2026-11-16"), "basic format 2026W47");
	ok(!psm_iso_week_parse("2026-W01", &m) && m == T("2025-12-29"), "2026-W01 starts in 2025");
	ok(!psm_iso_week_parse("2026-W53", &m) && m == T("2026-12-28"), "2026 has a week 53");
	ok(!psm_iso_week_parse("2020-W53", &m) && m == T("2020-12-28"), "2020 (leap, Wednesday) has a week 53");
	ok(psm_iso_week_parse("2025-W53", &m) == PSM_EINVALID &&
	   strstr(psm_error_last(), "2025 has ISO weeks 01 to 52"), "2025 has no week 53");
	ok(psm_iso_week_parse("2026-W00", &m) == PSM_EINVALID, "week 00 refused");
	ok(psm_iso_week_parse("2026-W7", &m) == PSM_EINVALID, "one-digit week refused");
	ok(psm_iso_week_parse("2026-w47", &m) == PSM_EINVALID, "lower-case w refused");
	ok(psm_iso_week_parse("26-W47", &m) == PSM_EINVALID, "two-digit year refused");
	ok(psm_iso_week_parse("2026-W47x", &m) == PSM_EINVALID, "trailing text refused");
	psm_iso_week_format(&sb, T("2027-01-01T12:00:00Z"));
	ok(!strcmp(sb.buf, "2026-W53"), "2027-01-01 is in 2026-W53 (%s)", sb.buf);
	strbuf_reset(&sb);
	psm_iso_week_format(&sb, T("2024-12-30"));
	ok(!strcmp(sb.buf, "2025-W01"), "2024-12-30 is in 2025-W01 (%s)", sb.buf);
	strbuf_reset(&sb);
	psm_iso_week_format(&sb, T("2026-11-22T23:59:59Z"));
	ok(!strcmp(sb.buf, "2026-W47"), "Sunday ends the week (%s)", sb.buf);
	ok(psm_iso_week_start(T("2026-11-22T23:59:59Z")) == T("2026-11-16"), "week start of a Sunday");
	ok(psm_iso_week_start(T("2026-11-23")) == T("2026-11-23"), "week start of a Monday");
	strbuf_release(&sb);
}

static void test_targets(void)
{
	static const char cfgtext[] = "targets:\n  fix-fast:\n    first_response: 1h\n"
				      "  investigate:\n    resolution: 1w\n";
	struct psm_yaml_error err = { 0, 0, STRBUF_INIT };
	struct psm_config *cfg = NULL;
	struct psm_service *sv = NULL;

	ok(!psm_service_load(&sv, NULL) && sv->ntargets == 1 &&
	   !strcmp(sv->targets[0].response, "fix-fast") && sv->targets[0].first_response == 4 * 3600 &&
	   sv->targets[0].resolution == 2 * 86400 && !sv->biz, "default targets: fix-fast 4h, 2d");
	psm_service_free(sv);
	ok(!psm_config_parse(&cfg, cfgtext, strlen(cfgtext), &err) && !psm_service_load(&sv, cfg) &&
	   sv->ntargets == 2 && sv->targets[0].first_response == 3600 && !sv->targets[0].resolution &&
	   sv->targets[1].resolution == 7 * 86400, "configured targets replace the default");
	psm_service_free(sv);
	psm_config_free(cfg);
	cfg = NULL;
	ok(!psm_config_parse(&cfg, "targets:\n  fix-fast: {first_response: soon}\n", 44, &err) &&
	   psm_service_load(&sv, cfg) == PSM_EINVALID &&
	   strstr(psm_error_last(), "targets.fix-fast.first_response 'soon'"), "a bad target is refused");
	psm_config_free(cfg);
	strbuf_release(&err.msg);
}

int main(void)
{
	setenv("TZ", "UTC", 1);
	test_bizhours();
	test_percentile();
	test_weeks();
	test_targets();
	return tap_done();
}
