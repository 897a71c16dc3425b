/*
 * psm review: onboarding completion and feature adoption beside the
 * support figures, from the week files of psm usage import
 * (docs/metrics.md), and the adoption of what each release shipped.
 */
#include <stdlib.h>
#include <string.h>

#include "review.h"
#include "psm/usage.h"

#define WEEK ((int64_t)7 * 86400)
#define COHORT_WEEKS 8
#define TREND_WEEKS 12

struct usage_ctx {
	const struct review_ctx *c;
	struct psm_usage_config *uc;
	struct psm_usage_weeks weeks;
	struct psm_release *tags;
	size_t ntags;
	int64_t *from; /* each feature's first week */
	int *kind;     /* its release: psm_usage_release_week()'s answer */
};

static void add_week(struct strbuf *sb, int64_t week)
{
	psm_iso_week_format(sb, week);
	if (sb->oom)
		die("out of memory");
}

static void pct_cell(struct rv_table *t, int pct)
{
	if (pct < 0)
		rv_cell(t, "-");
	else
		rv_cellf(t, "%d%%", pct);
}

static void change_cell(struct rv_table *t, int ok, int change)
{
	if (ok)
		rv_cellf(t, "%+d", change);
	else
		rv_cell(t, "-");
}

/* The latest cohort whose whole window ended by the end of the week (by
 * now, for the week under way: its end has not come yet). */
static int64_t closed_cohort(const struct usage_ctx *u)
{
	return psm_usage_closed_cohort(u->c->fig->from, u->uc->window, u->c->in->now);
}

static int week_under_way(const struct usage_ctx *u)
{
	return u->c->in->now < u->c->fig->from + WEEK;
}

static void funnel_lead(struct strbuf *lead, const struct usage_ctx *u,
			const struct psm_usage_week *w, int64_t cohort)
{
	size_t lost;
	long stall;
	int change;

	strbuf_addstr(lead, "Cohort ");
	add_week(lead, cohort);
	strbuf_addstr(lead, " (the latest whose ");
	psm_usage_duration_format(lead, u->uc->window);
	strbuf_addstr(lead, week_under_way(u) ? " window has closed): " :
						" window closed by the end of this week): ");
	if (!w || !w->onboarding || !w->signups) {
		strbuf_addstr(lead, "no signups.");
		return;
	}
	strbuf_addf(lead, "%zu of %zu signups (%d%%) did every step", w->steps[w->nsteps - 1].users,
		    w->signups, psm_usage_completion(w));
	if (!psm_usage_completion_change(&change, &u->weeks, w)) {
		strbuf_addf(lead, ", %+d points on ", change);
		add_week(lead, cohort - WEEK);
	}
	if ((stall = psm_usage_stall(w, &lost)) >= 0)
		strbuf_addf(lead, "; most stall before %s (%zu stop there)", w->steps[stall].name, lost);
	strbuf_addch(lead, '.');
	if (w->waiting)
		strbuf_addf(lead, " %zu signup%s had time left when the imported data ends.", w->waiting,
			    w->waiting == 1 ? "" : "s");
}

static void onboarding(struct review *rv, const struct usage_ctx *u)
{
	static const char *const head_f[] = { "Step", "Users", "Of signups", "Lost here" };
	static const char *const head_c[] = { "Cohort", "Signups", "Did every step", "Rate", "Change",
					      "Most stall before" };
	struct rv_section *sec = &rv->s[rv->ns++];
	int64_t cohort = closed_cohort(u), wk;
	const struct psm_usage_week *w = psm_usage_week_at(&u->weeks, cohort);
	struct rv_table *t;
	size_t i, before;

	sec->title = "Onboarding";
	funnel_lead(&sec->lead, u, w, cohort);
	t = rv_table_add(sec, "Its funnel (each step: the signups who had done it and every step before, within the window):",
			 NULL, 4, head_f, 14, 2);
	t->kind = RV_FUNNEL;
	if (w && w->onboarding && w->signups) {
		rv_cell(t, u->uc->signup);
		rv_cellf(t, "%zu", w->signups);
		rv_cell(t, "100%");
		rv_cell(t, "-");
		for (before = w->signups, i = 0; i < w->nsteps; i++) {
			rv_cell(t, w->steps[i].name);
			rv_cellf(t, "%zu", w->steps[i].users);
			pct_cell(t, psm_usage_percent(w->steps[i].users, w->signups));
			rv_cellf(t, "%zu", before >= w->steps[i].users ? before - w->steps[i].users : 0);
			before = w->steps[i].users;
		}
	}
	t = rv_table_add(sec, "Cohorts of the last eight weeks (the latest may still be inside their window):",
			 NULL, 6, head_c, 30, 6);
	for (wk = u->c->fig->from - (COHORT_WEEKS - 1) * WEEK; wk <= u->c->fig->from; wk += WEEK) {
		const struct psm_usage_week *cw = psm_usage_week_at(&u->weeks, wk);
		struct strbuf name = STRBUF_INIT;
		size_t lost;
		long stall;
		int change, ok;

		if (!cw || !cw->onboarding)
			continue;
		if (wk == cohort)
			t->mark = (long)t->nrows;
		add_week(&name, wk);
		rv_cell(t, name.buf);
		rv_cellf(t, "%zu", cw->signups);
		rv_cellf(t, "%zu", cw->nsteps ? cw->steps[cw->nsteps - 1].users : 0);
		pct_cell(t, psm_usage_completion(cw));
		ok = !psm_usage_completion_change(&change, &u->weeks, cw);
		change_cell(t, ok, change);
		stall = psm_usage_stall(cw, &lost);
		if (stall < 0)
			rv_cell(t, "-");
		else
			rv_cellf(t, "%s (%zu)", cw->steps[stall].name, lost);
		strbuf_release(&name);
	}
}

static const char *release_of(const struct usage_ctx *u, size_t f)
{
	const struct psm_usage_feature *ft = &u->uc->features[f];

	if (!ft->release)
		return "-";
	return u->kind[f] == PSM_ENOTFOUND ? "not tagged yet" : ft->release;
}

static void adoption(struct review *rv, const struct usage_ctx *u)
{
	static const char *const head[] = { "Feature", "Release", "Users", "Active", "Adoption", "Change" };
	const char *trend_head[RV_MAX_COLS] = { "Week" };
	struct rv_section *sec = &rv->s[rv->ns++];
	const struct psm_usage_week *w = psm_usage_week_at(&u->weeks, u->c->fig->from);
	size_t f, nf = u->uc->nfeatures < RV_MAX_COLS - 1 ? u->uc->nfeatures : RV_MAX_COLS - 1;
	struct rv_table *t;
	int64_t wk, start = u->c->fig->from;

	sec->title = "Feature adoption";
	t = rv_table_add(sec, "This week: users who used each feature, of the users active in the week:",
			 NULL, 6, head, 60, 4);
	for (f = 0; f < u->uc->nfeatures; f++) {
		const char *name = u->uc->features[f].name;
		long users = w ? psm_usage_count_of(w->features, w->nfeatures, name) : -1;
		int change, ok;

		rv_cell(t, name);
		rv_cell(t, release_of(u, f));
		if (users < 0 || u->c->fig->from < u->from[f]) {
			rv_cell(t, "-");
			rv_cellf(t, "%zu", w ? w->active : 0);
			rv_cell(t, u->c->fig->from < u->from[f] ? "not released" : "-");
			rv_cell(t, "-");
			continue;
		}
		ok = !psm_usage_adoption_change(&change, &u->weeks, w, name, u->from[f]);
		rv_cellf(t, "%ld", users);
		rv_cellf(t, "%zu", w->active);
		pct_cell(t, psm_usage_adoption(w, name));
		change_cell(t, ok, change);
		strbuf_addf(&sec->lead, "%s%s %d%%", sec->lead.len ? "; " : "", name,
			    psm_usage_adoption(w, name));
		if (ok)
			strbuf_addf(&sec->lead, " (%+d)", change);
	}
	if (sec->lead.len)
		strbuf_addstr(&sec->lead, " of this week's active users.");
	else
		strbuf_addstr(&sec->lead, "No usage counts for this week's released features (psm usage import).");

	/* the trend: a line per feature, from its release on */
	for (f = 0; f < nf; f++) {
		trend_head[f + 1] = rv_keep(rv, u->uc->features[f].name);
		if (u->from[f] < start)
			start = u->from[f];
	}
	if (start < u->c->fig->from - (TREND_WEEKS - 1) * WEEK)
		start = u->c->fig->from - (TREND_WEEKS - 1) * WEEK;
	if (u->weeks.n && start < u->weeks.v[0].week) /* nothing counted before */
		start = u->weeks.v[0].week;
	t = rv_table_add(sec, nf < u->uc->nfeatures ? "Adoption by week since each release (the first features):"
						     : "Adoption by week since each release:",
			 NULL, nf + 1, trend_head, 0, ((1u << nf) - 1) << 1);
	t->kind = RV_LINES;
	for (wk = start; wk <= u->c->fig->from; wk += WEEK) {
		const struct psm_usage_week *tw = psm_usage_week_at(&u->weeks, wk);
		struct strbuf name = STRBUF_INIT;

		add_week(&name, wk);
		rv_cell(t, name.buf);
		for (f = 0; f < nf; f++)
			pct_cell(t, tw && wk >= u->from[f] ? psm_usage_adoption(tw, u->uc->features[f].name) : -1);
		if (wk == u->c->fig->from)
			t->mark = (long)t->nrows - 1;
		strbuf_release(&name);
	}
}

/* Releases' second table: the adoption this week of what they shipped. */
static void shipped(struct rv_section *releases, const struct usage_ctx *u)
{
	static const char *const head[] = { "Release", "Feature", "Users", "Adoption", "Change" };
	const struct psm_usage_week *w = psm_usage_week_at(&u->weeks, u->c->fig->from);
	struct rv_table *t = NULL;
	size_t f, n = 0;

	for (f = 0; f < u->uc->nfeatures; f++) {
		const char *name = u->uc->features[f].name;
		long users;
		int change, ok;

		if (u->kind[f] != 0 || u->from[f] > u->c->fig->from)
			continue; /* not shipped in a tagged release by this week */
		if (!t)
			t = rv_table_add(releases, "What they shipped, used this week (of the week's active users):",
					 NULL, 5, head, 28, 0);
		users = w ? psm_usage_count_of(w->features, w->nfeatures, name) : -1;
		rv_cell(t, u->uc->features[f].release);
		rv_cell(t, name);
		if (users < 0) {
			rv_cell(t, "-");
			rv_cell(t, "-");
			rv_cell(t, "-");
			continue;
		}
		ok = !psm_usage_adoption_change(&change, &u->weeks, w, name, u->from[f]);
		rv_cellf(t, "%ld", users);
		pct_cell(t, psm_usage_adoption(w, name));
		change_cell(t, ok, change);
		strbuf_addf(&releases->lead, "%s%s (%s) %d%%", n++ ? "; " : " Used this week: ",
			    name, u->uc->features[f].release, psm_usage_adoption(w, name));
	}
	if (n)
		strbuf_addstr(&releases->lead, " of active users.");
}

void review_usage_sections(struct review *rv, const struct review_ctx *c, struct rv_section *releases)
{
	struct usage_ctx u = { c, NULL, { NULL, 0, 0 }, NULL, 0, NULL, NULL };
	size_t f;

	if (psm_usage_config_load(&u.uc, c->in->store->config) < 0)
		die("%s (in %s)", psm_error_last(), PSM_CONFIG_PATH);
	if (psm_usage_load(&u.weeks, c->in->store->root) < 0)
		die_psm();
	if (!psm_usage_configured(u.uc) && !u.weeks.n)
		goto out;
	if (u.uc->nfeatures && psm_release_tags(&u.tags, &u.ntags, c->in->store->git) < 0)
		die_psm();
	while (u.ntags && u.tags[u.ntags - 1].when >= c->fig->to) /* not yet tagged in that week */
		free(u.tags[--u.ntags].name);
	if (!(u.from = calloc(u.uc->nfeatures + 1, sizeof(*u.from))) ||
	    !(u.kind = calloc(u.uc->nfeatures + 1, sizeof(*u.kind))))
		die("out of memory");
	for (f = 0; f < u.uc->nfeatures; f++)
		u.kind[f] = psm_usage_release_week(&u.from[f], &u.uc->features[f], u.tags, u.ntags);
	if (u.uc->signup)
		onboarding(rv, &u);
	if (u.uc->nfeatures) {
		adoption(rv, &u);
		shipped(releases, &u);
	}
	for (f = 0; f < RV_SECTIONS && f < rv->ns; f++)
		if (rv->s[f].lead.oom)
			die("out of memory");
out:
	psm_usage_config_free(u.uc);
	psm_usage_weeks_release(&u.weeks);
	psm_release_tags_free(u.tags, u.ntags);
	free(u.from);
	free(u.kind);
}
