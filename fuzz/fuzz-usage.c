/*
 * Analytics exports and week files, the input of psm usage. The first byte
 * picks how the rest is read: JSONL or CSV (or by content), with or
 * without a preset and a --tz. Every event handed on must have a user, an
 * event name without NUL bytes and a time psm can name a week for; every
 * line is an event, anonymous, skipped or bad. The same bytes read as a
 * week file either fail with a message, or write out and read back to the
 * same counts.
 */
#include <stdio.h>
#include <string.h>

#include "psm/error.h"
#include "fuzz.h"
#include "psm/usage-read.h"
#include "psm/usage.h"

struct seen {
	size_t events, bad;
};

static int on_event(void *data, const struct psm_usage_event *ev)
{
	FUZZ_ASSERT(ev->user && ev->user_len > 0);
	FUZZ_ASSERT(ev->name && *ev->name);
	FUZZ_ASSERT(ev->time >= 0 && ev->time < (int64_t)253402300800);
	FUZZ_ASSERT(ev->line > 0);
	((struct seen *)data)->events++;
	return 0;
}

static int on_bad(void *data, long line, const char *msg)
{
	FUZZ_ASSERT(line > 0 && msg && *msg);
	((struct seen *)data)->bad++;
	return 0;
}

static void read_export(const uint8_t *data, size_t size, unsigned how)
{
	static const char *const presets[] = { NULL, "posthog", "mixpanel", "amplitude", "segment" };
	static const char *const maps[] = { "u=user", "e=event", "t=time" };
	struct psm_usage_reader r;
	struct seen s = { 0, 0 };
	FILE *f;
	int ret;

	if (psm_usage_reader_init(&r, presets[how % 5], maps, (how & 8) ? 3 : 0,
				  (how & 16) ? "Europe/Berlin" : NULL) < 0) {
		psm_usage_reader_release(&r);
		return;
	}
	r.format = (how >> 5) % 3 == 1 ? PSM_USAGE_JSONL : (how >> 5) % 3 == 2 ? PSM_USAGE_CSV : PSM_USAGE_AUTO;
	r.on_event = on_event;
	r.on_bad = on_bad;
	r.data = &s;
	if (!size || !(f = fmemopen((void *)data, size, "r"))) {
		psm_usage_reader_release(&r);
		return;
	}
	ret = psm_usage_read(&r, f, "fuzz");
	fclose(f);
	if (ret < 0)
		FUZZ_ASSERT(ret == PSM_EINVALID && *psm_error_last());
	FUZZ_ASSERT(s.events == r.events && s.bad == r.bad);
	FUZZ_ASSERT(r.events + r.anonymous + r.skipped + r.bad <= r.lines + r.bad);
	psm_usage_reader_release(&r);
}

static int same_counts(const struct psm_usage_count *a, const struct psm_usage_count *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(a[i].name, b[i].name) || a[i].users != b[i].users)
			return 0;
	return 1;
}

static void read_week(const uint8_t *data, size_t size)
{
	struct psm_usage_week w, back;
	struct strbuf text = STRBUF_INIT;

	if (psm_usage_week_parse(&w, (const char *)data, size, "fuzz.yml") < 0) {
		FUZZ_ASSERT(*psm_error_last());
		return;
	}
	FUZZ_ASSERT(psm_usage_week_format(&text, &w) == 0);
	FUZZ_ASSERT(psm_usage_week_parse(&back, text.buf, text.len, "again.yml") == 0);
	FUZZ_ASSERT(back.week == w.week && !strcmp(back.record, w.record) && back.active == w.active);
	FUZZ_ASSERT(back.nfeatures == w.nfeatures && same_counts(back.features, w.features, w.nfeatures));
	FUZZ_ASSERT(back.onboarding == w.onboarding && back.signups == w.signups &&
		    back.waiting == w.waiting && back.nsteps == w.nsteps &&
		    same_counts(back.steps, w.steps, w.nsteps));
	/* the window is written in whole units of what it was read as */
	FUZZ_ASSERT(!w.onboarding || back.window == w.window);
	psm_usage_week_release(&back);
	psm_usage_week_release(&w);
	strbuf_release(&text);
}

int psm_fuzz_usage(const uint8_t *data, size_t size)
{
	if (!size)
		return 0;
	read_export(data + 1, size - 1, data[0]);
	read_week(data + 1, size - 1);
	return 0;
}

#ifndef PSM_FUZZ_NO_MAIN
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return psm_fuzz_usage(data, size);
}
#endif
