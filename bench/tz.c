/*
 * bench/tz.c [N [ZONE...]]: business-hours time zones, the way psm read
 * them before issue 16 against GLib's GTimeZone, which psm uses now.
 *
 * Before: set TZ, tzset(), step localtime_r() through 1970-2100 a day at a
 * time, bisect each change to the second, and look instants up in that
 * table (TZ put back after). Now: psm_bizhours_parse() (GTimeZone) and
 * psm_bizhours_offset(). For each zone, N instants (default 200,000, a
 * fixed pseudo-random spread over 1970-2100) get both offsets and the C
 * library's own (localtime_r under TZ); prints how many differ, and the
 * time each way takes to read the zone and to answer the N questions.
 * Built and run by bench/tz.sh.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "psm/bizhours.h"
#include "psm/error.h"
#include "psm/node.h"
#include "psm/strbuf.h"
#include "psm/yaml.h"

#define DAY 86400
#define FROM ((int64_t)0)          /* 1970-01-01 */
#define TO ((int64_t)4102444800)   /* 2100-01-01 */

struct step {
	int64_t at;
	int32_t off;
};

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int32_t local_offset(int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	return localtime_r(&tt, &tm) ? (int32_t)tm.tm_gmtoff : 0;
}

/* The old zone_load() of lib/service/bizhours.c, as it was; TZ is already set. */
static size_t old_load(struct step **out)
{
	size_t n = 0, alloc = 64;
	struct step *v = malloc(alloc * sizeof(*v));
	int32_t prev = local_offset(FROM);
	int64_t t;

	if (!v)
		exit(1);
	v[n++] = (struct step){ INT64_MIN, prev };
	for (t = FROM + DAY; t <= TO; t += DAY) {
		int64_t lo = t - DAY, hi = t;

		if (local_offset(t) == prev)
			continue;
		while (hi - lo > 1) {
			int64_t mid = lo + (hi - lo) / 2;

			if (local_offset(mid) == prev)
				lo = mid;
			else
				hi = mid;
		}
		prev = local_offset(hi);
		if (n == alloc && !(v = realloc(v, (alloc *= 2) * sizeof(*v))))
			exit(1);
		v[n++] = (struct step){ hi, prev };
		t = hi;
	}
	*out = v;
	return n;
}

static int32_t old_offset(const struct step *v, size_t n, int64_t t)
{
	size_t lo = 0, hi = n;

	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (v[mid].at <= t)
			lo = mid;
		else
			hi = mid;
	}
	return v[lo].off;
}

static struct psm_bizhours *new_load(const char *zone)
{
	struct strbuf cfg = STRBUF_INIT;
	struct psm_yaml_error err = { 0, 0, STRBUF_INIT };
	struct psm_node *n = NULL;
	struct psm_bizhours *b = NULL;

	strbuf_addf(&cfg, "{timezone: '%s', days: [mon-fri], start: '09:00', end: '17:00'}", zone);
	if (psm_yaml_load(&n, cfg.buf, cfg.len, 1, &err) < 0 || psm_bizhours_parse(&b, n) < 0) {
		fprintf(stderr, "tz: %s: %s\n", zone, psm_error_last());
		exit(1);
	}
	psm_node_free(n);
	strbuf_release(&cfg);
	strbuf_release(&err.msg);
	return b;
}

int main(int argc, char **argv)
{
	static const char *const zones[] = {
		"Europe/Berlin", "America/New_York", "America/Sao_Paulo", "Australia/Lord_Howe",
		"Asia/Kolkata", "Pacific/Chatham", "Africa/Casablanca", "Europe/Dublin", NULL
	};
	const char *const *z = argc > 2 ? (const char *const *)argv + 2 : zones;
	size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 200000, i;
	int64_t *at = malloc((n ? n : 1) * sizeof(*at));
	uint64_t x = 88172645463325252ull;
	int bad = 0;

	if (!at)
		return 1;
	for (i = 0; i < n; i++) { /* xorshift64: the same instants every run */
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		at[i] = FROM + (int64_t)(x % (uint64_t)(TO - FROM));
	}
	printf("| zone | instants | differ (old, GLib) | from the C library (old, GLib) | read old ms | read GLib ms | %zu lookups old ms | GLib ms |\n", n);
	printf("| --- | --- | --- | --- | --- | --- | --- | --- |\n");
	for (; *z; z++) {
		struct strbuf tz = STRBUF_INIT;
		struct psm_bizhours *b;
		struct step *v;
		size_t nv, differ = 0, off_old = 0, off_new = 0;
		double t0, t_old_load, t_new_load, t_old_look, t_new_look;
		volatile int32_t sink = 0;

		strbuf_addf(&tz, ":%s", *z);
		setenv("TZ", tz.buf, 1);
		tzset();
		t0 = now_ms();
		nv = old_load(&v);
		t_old_load = now_ms() - t0;
		t0 = now_ms();
		b = new_load(*z);
		t_new_load = now_ms() - t0;
		t0 = now_ms();
		for (i = 0; i < n; i++)
			sink += old_offset(v, nv, at[i]);
		t_old_look = now_ms() - t0;
		t0 = now_ms();
		for (i = 0; i < n; i++)
			sink += psm_bizhours_offset(b, at[i]);
		t_new_look = now_ms() - t0;
		for (i = 0; i < n; i++) {
			int32_t o = old_offset(v, nv, at[i]), g = psm_bizhours_offset(b, at[i]);
			int32_t c = local_offset(at[i]);

			differ += o != g;
			off_old += o != c;
			off_new += g != c;
		}
		printf("| %s | %zu | %zu | %zu, %zu | %.2f | %.3f | %.2f | %.2f |\n", *z, n, differ,
		       off_old, off_new, t_old_load, t_new_load, t_old_look, t_new_look);
		bad |= differ != 0;
		psm_bizhours_free(b);
		free(v);
		strbuf_release(&tz);
		(void)sink;
	}
	unsetenv("TZ");
	free(at);
	return bad;
}
