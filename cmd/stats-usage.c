/*
 * psm stats: onboarding completion and feature adoption for the weeks of
 * the period, beside the service figures (docs/metrics.md), from the week
 * files psm usage import wrote.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "psm/time.h"
#include "stats.h"
#include "table.h"
#include "psm/usage.h"

#define WEEK ((int64_t)7 * 86400)

struct stats_usage {
	struct psm_usage_config *uc;
	struct psm_usage_weeks weeks;
	const struct psm_usage_week **in; /* the weeks of the period */
	size_t nin;
	int64_t *from;                    /* each feature's first week */
	int *unreleased;                  /* its release is no tag or date */
};

struct stats_usage *stats_usage_load(struct psm_store *s, const struct psm_period *p)
{
	struct stats_usage *u = calloc(1, sizeof(*u));
	struct psm_release *tags = NULL;
	size_t ntags = 0, i;
	int stale = 0;

	if (!u)
		die("out of memory");
	if (psm_usage_config_load(&u->uc, s->config) < 0)
		die("%s (in %s)", psm_error_last(), PSM_CONFIG_PATH);
	if (psm_usage_load(&u->weeks, s->root) < 0)
		die_psm();
	if (!psm_usage_configured(u->uc) && !u->weeks.n) {
		stats_usage_free(u);
		return NULL;
	}
	if (u->uc->nfeatures && psm_release_tags(&tags, &ntags, s->git) < 0)
		die_psm();
	if (!(u->in = calloc(u->weeks.n + 1, sizeof(*u->in))) ||
	    !(u->from = calloc(u->uc->nfeatures + 1, sizeof(*u->from))) ||
	    !(u->unreleased = calloc(u->uc->nfeatures + 1, sizeof(*u->unreleased))))
		die("out of memory");
	for (i = 0; i < u->weeks.n; i++) {
		const struct psm_usage_week *w = &u->weeks.v[i];

		if (w->week + WEEK > p->since && w->week < p->until)
			u->in[u->nin++] = w;
		stale |= !psm_usage_week_matches(w, u->uc);
	}
	for (i = 0; i < u->uc->nfeatures; i++)
		u->unreleased[i] = psm_usage_release_week(&u->from[i], &u->uc->features[i], tags, ntags) < 0;
	if (stale)
		warning("the usage counts were made with other onboarding steps, window or features than %s names: run psm usage recount",
			PSM_CONFIG_PATH);
	psm_release_tags_free(tags, ntags);
	return u;
}

void stats_usage_free(struct stats_usage *u)
{
	if (!u)
		return;
	psm_usage_config_free(u->uc);
	psm_usage_weeks_release(&u->weeks);
	free(u->in);
	free(u->from);
	free(u->unreleased);
	free(u);
}

static void add_week(struct strbuf *sb, int64_t week)
{
	strbuf_reset(sb);
	psm_iso_week_format(sb, week);
}

static void add_pct(struct strbuf *sb, int pct)
{
	if (pct < 0)
		strbuf_addstr(sb, "-");
	else
		strbuf_addf(sb, "%d%%", pct);
}

static void add_change(struct strbuf *sb, int ok, int change)
{
	if (!ok)
		strbuf_addstr(sb, "-");
	else
		strbuf_addf(sb, "%+d", change);
}

static void cell(struct table *t, struct strbuf *sb)
{
	if (sb->oom)
		die("out of memory");
	table_cell(t, sb->buf, NULL);
	strbuf_reset(sb);
}

static void onboarding_text(const struct stats_usage *u)
{
	static const char *const head[] = { "COHORT", "SIGNUPS", "REACHED", "RATE", "CHANGE",
					    "STILL IN WINDOW", "MOST STALL BEFORE" };
	struct table *t = table_new(7);
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	strbuf_addstr(&sb, "\nOnboarding: signups who did every step within ");
	psm_usage_duration_format(&sb, u->uc->window);
	strbuf_addf(&sb, " (%s", u->uc->signup);
	for (i = 0; i < u->uc->nsteps; i++)
		strbuf_addf(&sb, " > %s", u->uc->steps[i]);
	strbuf_addstr(&sb, ")\n");
	put_safe(stdout, sb.buf, 1);
	strbuf_reset(&sb);
	for (i = 0; i < 7; i++)
		table_cell(t, head[i], NULL);
	table_end_row(t);
	for (i = 0; i < u->nin; i++) {
		const struct psm_usage_week *w = u->in[i];
		size_t lost;
		long stall;
		int change, ok;

		if (!w->onboarding)
			continue;
		add_week(&sb, w->week);
		cell(t, &sb);
		strbuf_addf(&sb, "%zu", w->signups);
		cell(t, &sb);
		strbuf_addf(&sb, "%zu", w->nsteps ? w->steps[w->nsteps - 1].users : 0);
		cell(t, &sb);
		add_pct(&sb, psm_usage_completion(w));
		cell(t, &sb);
		ok = !psm_usage_completion_change(&change, &u->weeks, w);
		add_change(&sb, ok, change);
		cell(t, &sb);
		strbuf_addf(&sb, "%zu", w->waiting);
		cell(t, &sb);
		stall = psm_usage_stall(w, &lost);
		if (stall < 0)
			strbuf_addstr(&sb, "-");
		else
			strbuf_addf(&sb, "%s (%zu)", w->steps[stall].name, lost);
		cell(t, &sb);
		table_end_row(t);
	}
	table_print(t, 0, want_color(), 1);
	table_free(t);
	strbuf_release(&sb);
}

static void adoption_text(const struct stats_usage *u)
{
	const struct psm_usage_config *uc = u->uc;
	struct table *t = table_new(2 + uc->nfeatures);
	struct strbuf sb = STRBUF_INIT;
	size_t i, f;

	printf("\nFeature adoption: users of the feature / users active that week, from its release\n");
	for (f = 0; f < uc->nfeatures; f++) {
		strbuf_addf(&sb, "  %s: ", uc->features[f].name);
		if (!uc->features[f].release)
			strbuf_addstr(&sb, "no release named, every week");
		else if (u->unreleased[f])
			strbuf_addf(&sb, "release '%s' is no tag or date yet, every week",
				    uc->features[f].release);
		else {
			strbuf_addf(&sb, "%s, from ", uc->features[f].release);
			psm_iso_week_format(&sb, u->from[f]);
		}
		strbuf_addch(&sb, '\n');
		put_safe(stdout, sb.buf, 1);
		strbuf_reset(&sb);
	}
	table_cell(t, "WEEK", NULL);
	table_cell(t, "ACTIVE", NULL);
	for (f = 0; f < uc->nfeatures; f++)
		table_cell(t, uc->features[f].name, NULL);
	table_end_row(t);
	for (i = 0; i < u->nin; i++) {
		const struct psm_usage_week *w = u->in[i];

		add_week(&sb, w->week);
		cell(t, &sb);
		strbuf_addf(&sb, "%zu", w->active);
		cell(t, &sb);
		for (f = 0; f < uc->nfeatures; f++) {
			const char *name = uc->features[f].name;
			long users = psm_usage_count_of(w->features, w->nfeatures, name);
			int change, ok;

			if (users < 0 || w->week < u->from[f]) {
				strbuf_addstr(&sb, "-");
			} else {
				ok = !psm_usage_adoption_change(&change, &u->weeks, w, name, u->from[f]);
				strbuf_addf(&sb, "%ld (", users);
				add_pct(&sb, psm_usage_adoption(w, name));
				if (ok)
					strbuf_addf(&sb, " %+d", change);
				strbuf_addch(&sb, ')');
			}
			cell(t, &sb);
		}
		table_end_row(t);
	}
	table_print(t, 0, want_color(), 1);
	table_free(t);
	strbuf_release(&sb);
}

void stats_usage_print_text(const struct stats_usage *u)
{
	if (!u->nin) {
		printf("\nOnboarding and adoption: no usage counts for these weeks (psm usage import)\n");
		return;
	}
	if (u->uc->signup)
		onboarding_text(u);
	if (u->uc->nfeatures)
		adoption_text(u);
}

/* ---- JSON ------------------------------------------------------------------ */

static void jset(json_t *o, const char *key, json_t *v)
{
	if (!v || json_object_set_new(o, key, v) < 0)
		die("out of memory");
}

static void jpush(json_t *a, json_t *v)
{
	if (!v || json_array_append_new(a, v) < 0)
		die("out of memory");
}

static json_t *jweek(int64_t week)
{
	struct strbuf sb = STRBUF_INIT;
	json_t *j;

	psm_iso_week_format(&sb, week);
	j = json_string(sb.buf);
	strbuf_release(&sb);
	return j;
}

static json_t *jpct(int pct)
{
	return pct < 0 ? json_null() : json_integer(pct);
}

static json_t *jchange(int ok, int change)
{
	return ok ? json_integer(change) : json_null();
}

static json_t *cohort_json(const struct stats_usage *u, const struct psm_usage_week *w)
{
	json_t *o = json_object(), *steps = json_array(), *stall;
	size_t i, lost;
	long at = psm_usage_stall(w, &lost);
	int change, ok = !psm_usage_completion_change(&change, &u->weeks, w);

	if (!o || !steps)
		die("out of memory");
	jset(o, "week", jweek(w->week));
	jset(o, "signups", json_integer((json_int_t)w->signups));
	jset(o, "reached", json_integer((json_int_t)(w->nsteps ? w->steps[w->nsteps - 1].users : 0)));
	jset(o, "percent", jpct(psm_usage_completion(w)));
	jset(o, "change", jchange(ok, change));
	jset(o, "waiting", json_integer((json_int_t)w->waiting));
	for (i = 0; i < w->nsteps; i++) {
		json_t *st = json_object();

		if (!st)
			die("out of memory");
		jset(st, "step", json_string(w->steps[i].name));
		jset(st, "users", json_integer((json_int_t)w->steps[i].users));
		jpush(steps, st);
	}
	jset(o, "steps", steps);
	if (at < 0) {
		stall = json_null();
	} else {
		if (!(stall = json_object()))
			die("out of memory");
		jset(stall, "step", json_string(w->steps[at].name));
		jset(stall, "lost", json_integer((json_int_t)lost));
	}
	jset(o, "stall", stall);
	return o;
}

static json_t *onboarding_json(const struct stats_usage *u)
{
	json_t *o = json_object(), *steps = json_array(), *cohorts = json_array();
	size_t i;

	if (!o || !steps || !cohorts)
		die("out of memory");
	jset(o, "signup", json_string(u->uc->signup));
	for (i = 0; i < u->uc->nsteps; i++)
		jpush(steps, json_string(u->uc->steps[i]));
	jset(o, "steps", steps);
	jset(o, "window", json_integer((json_int_t)u->uc->window));
	for (i = 0; i < u->nin; i++)
		if (u->in[i]->onboarding)
			jpush(cohorts, cohort_json(u, u->in[i]));
	jset(o, "cohorts", cohorts);
	return o;
}

static json_t *feature_json(const struct stats_usage *u, size_t f)
{
	const struct psm_usage_feature *ft = &u->uc->features[f];
	json_t *o = json_object(), *weeks = json_array();
	size_t i;

	if (!o || !weeks)
		die("out of memory");
	jset(o, "feature", json_string(ft->name));
	jset(o, "release", ft->release ? json_string(ft->release) : json_null());
	jset(o, "since", ft->release && !u->unreleased[f] ? jweek(u->from[f]) : json_null());
	for (i = 0; i < u->nin; i++) {
		const struct psm_usage_week *w = u->in[i];
		long users = psm_usage_count_of(w->features, w->nfeatures, ft->name);
		json_t *wk;
		int change, ok;

		if (users < 0 || w->week < u->from[f])
			continue;
		if (!(wk = json_object()))
			die("out of memory");
		ok = !psm_usage_adoption_change(&change, &u->weeks, w, ft->name, u->from[f]);
		jset(wk, "week", jweek(w->week));
		jset(wk, "users", json_integer(users));
		jset(wk, "active", json_integer((json_int_t)w->active));
		jset(wk, "percent", jpct(psm_usage_adoption(w, ft->name)));
		jset(wk, "change", jchange(ok, change));
		jpush(weeks, wk);
	}
	jset(o, "weeks", weeks);
	return o;
}

void *stats_usage_json(const struct stats_usage *u)
{
	json_t *o, *weeks, *features;
	size_t i;

	if (!(o = json_object()) || !(weeks = json_array()) || !(features = json_array()))
		die("out of memory");
	for (i = 0; i < u->nin; i++) {
		json_t *w = json_object();

		if (!w)
			die("out of memory");
		jset(w, "week", jweek(u->in[i]->week));
		jset(w, "active", json_integer((json_int_t)u->in[i]->active));
		jpush(weeks, w);
	}
	jset(o, "weeks", weeks);
	jset(o, "onboarding", u->uc->signup ? onboarding_json(u) : json_null());
	for (i = 0; i < u->uc->nfeatures; i++)
		jpush(features, feature_json(u, i));
	jset(o, "adoption", features);
	return o;
}
