/* psm review: the week's figures, section by section (see cmd/review.h). */
#include <stdlib.h>
#include <string.h>

#include "ptime.h"
#include "query.h"
#include "review.h"
#include "stats.h"

#define DAY ((int64_t)86400)
#define WEEK (7 * DAY)
#define TREND_WEEKS 8
#define CHURN_WEEKS 12
#define TOP_SLOW 5
#define TOP_LATE 10
#define TOP_OWED 20

void rv_cell_id(struct rv_table *t, const struct review_ctx *c, const struct psm_issue *issue)
{
	const char *id = psm_issue_get(issue, "id");

	rv_cellf(t, "%.*s", (int)c->in->abbrev, id ? id : "?");
}

static const char *title_of(const struct psm_issue *issue)
{
	const char *t = psm_issue_get(issue, "title");

	return t ? t : "";
}

static int in_range(int64_t t, int64_t a, int64_t b)
{
	return t != PSM_NO_TIME && t >= a && t < b;
}

/* Closed as a duplicate: merged, not resolved (docs/metrics.md). */
static int closed_in(const struct psm_issue_times *tm, int64_t a, int64_t b, int duplicate)
{
	return !tm->open && !tm->duplicate == !duplicate && in_range(tm->closed, a, b);
}

static void new_vs_closed(struct review *rv, const struct review_ctx *c)
{
	static const char *const head[] = { "Week", "New", "Closed", "Duplicates" };
	struct rv_section *sec = &rv->s[rv->ns++];
	const struct psm_issue_set *set = c->in->set;
	struct rv_table *t;
	size_t i, open = 0, created = 0, closed = 0, dups = 0;
	int64_t w;

	sec->title = "New vs closed";
	t = rv_table_add(sec, "The last eight weeks (duplicates apart: merged, not resolved):",
			 NULL, 4, head, 14, 6);
	for (w = c->from - (TREND_WEEKS - 1) * WEEK; w <= c->from; w += WEEK) {
		struct strbuf name = STRBUF_INIT;
		size_t n = 0, k = 0, d = 0;

		for (i = 0; i < set->n; i++) {
			n += in_range(c->times[i].created, w, w + WEEK);
			k += closed_in(&c->times[i], w, w + WEEK, 0);
			d += closed_in(&c->times[i], w, w + WEEK, 1);
		}
		psm_iso_week_format(&name, w);
		if (w == c->from) {
			t->mark = (long)t->nrows;
			created = n;
			closed = k;
			dups = d;
		}
		rv_cell(t, name.buf);
		rv_cellf(t, "%zu", n);
		rv_cellf(t, "%zu", k);
		rv_cellf(t, "%zu", d);
		strbuf_release(&name);
	}
	for (i = 0; i < set->n; i++) {
		const struct psm_issue_times *tm = &c->times[i];

		open += tm->created != PSM_NO_TIME && tm->created < c->at &&
			(tm->open || (tm->closed != PSM_NO_TIME && tm->closed > c->at));
	}
	strbuf_addf(&sec->lead, "This week: %zu new, %zu closed", created, closed);
	if (dups)
		strbuf_addf(&sec->lead, " (and %zu closed as duplicate%s)", dups, dups == 1 ? "" : "s");
	strbuf_addf(&sec->lead, "; %zu open %s.", open, c->at < c->to ? "now" : "at the end of the week");
}

struct slow {
	const struct psm_issue *issue;
	int64_t took;
};

static int cmp_slow(const void *a, const void *b)
{
	const struct slow *x = a, *y = b;

	if (x->took != y->took)
		return x->took > y->took ? -1 : 1;
	return strcmp(x->issue->path ? x->issue->path : "", y->issue->path ? y->issue->path : "");
}

static int cmp_created(const void *a, const void *b)
{
	const struct slow *x = a, *y = b;

	if (x->took != y->took)
		return x->took < y->took ? -1 : 1;
	return strcmp(x->issue->path ? x->issue->path : "", y->issue->path ? y->issue->path : "");
}

static void add_took(struct rv_table *t, const struct review_ctx *c, const struct slow *s)
{
	const struct psm_target *tg = psm_service_target(c->in->sv, s->issue);
	struct strbuf sb = STRBUF_INIT;
	struct psm_issue_times tm;

	psm_issue_times(&tm, s->issue);
	stats_duration(&sb, s->took, 0);
	if (c->in->sv->biz) {
		strbuf_addstr(&sb, " (business ");
		stats_duration(&sb, psm_bizhours_between(c->in->sv->biz, tm.created, tm.first_closed), 1);
		strbuf_addch(&sb, ')');
	}
	rv_cell(t, sb.buf);
	strbuf_reset(&sb);
	if (tg && tg->resolution) {
		stats_duration(&sb, tg->resolution, 0);
		strbuf_addstr(&sb, psm_service_elapsed(c->in->sv, tm.created, tm.first_closed) >
				   tg->resolution ? ", missed" : ", met");
	} else {
		strbuf_addstr(&sb, "-");
	}
	rv_cell(t, sb.buf);
	strbuf_release(&sb);
}

static void took_too_long(struct review *rv, const struct review_ctx *c)
{
	static const char *const head_slow[] = { "Issue", "Title", "Took", "Target" };
	static const char *const head_late[] = { "Issue", "Title", "Age", "Past" };
	struct rv_section *sec = &rv->s[rv->ns++];
	const struct psm_issue_set *set = c->in->set;
	struct slow *slow = calloc(set->n + 1, sizeof(*slow)), *late = calloc(set->n + 1, sizeof(*late));
	size_t i, nslow = 0, nlate = 0;
	struct rv_table *t;

	if (!slow || !late)
		die("out of memory");
	for (i = 0; i < set->n; i++) {
		const struct psm_issue_times *tm = &c->times[i];

		if (!tm->duplicate && in_range(tm->first_closed, c->from, c->to) &&
		    tm->created != PSM_NO_TIME && tm->first_closed >= tm->created)
			slow[nslow++] = (struct slow){ set->v[i], tm->first_closed - tm->created };
		if (psm_service_breach(c->in->sv, set->v[i], c->at))
			late[nlate++] = (struct slow){ set->v[i], tm->created };
	}
	qsort(slow, nslow, sizeof(*slow), cmp_slow);
	qsort(late, nlate, sizeof(*late), cmp_created);
	sec->title = "What took too long";
	t = rv_table_add(sec, "Slowest resolved this week (created to first close):",
			 "Nothing was resolved this week.", 4, head_slow, 0, 0);
	for (i = 0; i < nslow && i < TOP_SLOW; i++) {
		rv_cell_id(t, c, slow[i].issue);
		rv_cell(t, title_of(slow[i].issue));
		add_took(t, c, &slow[i]);
	}
	t = rv_table_add(sec, c->at < c->to ? "Open past their target now, oldest first:"
					    : "Open past their target at the end of the week, oldest first:",
			 "No open issue is past its target.", 4, head_late, 0, 0);
	for (i = 0; i < nlate && i < TOP_LATE; i++) {
		unsigned b = psm_service_breach(c->in->sv, late[i].issue, c->at);
		const struct psm_target *tg = psm_service_target(c->in->sv, late[i].issue);
		struct strbuf sb = STRBUF_INIT;

		rv_cell_id(t, c, late[i].issue);
		rv_cell(t, title_of(late[i].issue));
		stats_duration(&sb, c->at - late[i].took, 0);
		rv_cell(t, sb.buf);
		strbuf_reset(&sb);
		if (b & PSM_SLA_RESPONSE) {
			strbuf_addstr(&sb, "first response ");
			stats_duration(&sb, tg->first_response, 0);
		}
		if (b & PSM_SLA_RESOLUTION) {
			strbuf_addstr(&sb, sb.len ? ", resolution " : "resolution ");
			stats_duration(&sb, tg->resolution, 0);
		}
		rv_cell(t, sb.buf);
		strbuf_release(&sb);
	}
	if (nslow) {
		strbuf_addstr(&sec->lead, "Slowest resolution this week: ");
		stats_duration(&sec->lead, slow[0].took, 0);
		strbuf_addf(&sec->lead, " (%s). ", title_of(slow[0].issue));
	}
	strbuf_addf(&sec->lead, "%zu open issue%s past %s target.", nlate, nlate == 1 ? "" : "s",
		    nlate == 1 ? "its" : "their");
	free(slow);
	free(late);
}

static void why_left(struct review *rv, const struct review_ctx *c)
{
	static const char *const head[] = { "Reason", "This week", "Last 12 weeks" };
	struct rv_section *sec = &rv->s[rv->ns++];
	const struct psm_issue_set *set = c->in->set;
	size_t week[PSM_CHURN_SLOTS] = { 0 }, quarter[PSM_CHURN_SLOTS] = { 0 }, nw = 0, nq = 0;
	size_t i, top = 0;
	struct rv_table *t;

	for (i = 0; i < set->n; i++) {
		int slot = psm_churn_slot(set->v[i]);

		if (slot < 0)
			continue;
		if (in_range(c->times[i].created, c->from, c->to))
			week[slot]++, nw++;
		if (in_range(c->times[i].created, c->to - CHURN_WEEKS * WEEK, c->to))
			quarter[slot]++, nq++;
	}
	sec->title = "Why customers left";
	t = rv_table_add(sec, "Issues labelled churn, or with a churn reason, by reason:", NULL, 3,
			 head, 6, 4);
	for (i = 0; i < PSM_CHURN_SLOTS; i++) {
		if (i >= PSM_CHURN_KNOWN && !quarter[i] && !week[i])
			continue;
		if (quarter[i] > quarter[top])
			top = i;
		rv_cell(t, psm_churn_names[i]);
		rv_cellf(t, "%zu", week[i]);
		rv_cellf(t, "%zu", quarter[i]);
	}
	if (!nq)
		strbuf_addstr(&sec->lead, "No churn recorded in the last 12 weeks.");
	else
		strbuf_addf(&sec->lead,
			    "%zu churn issue%s this week; over 12 weeks the top reason is %s (%zu of %zu).",
			    nw, nw == 1 ? "" : "s", psm_churn_names[top], quarter[top], nq);
}

static void followups_owed(struct review *rv, const struct review_ctx *c)
{
	static const char *const head[] = { "Issue", "Title", "Closed", "Reporters", "Resolution" };
	struct rv_section *sec = &rv->s[rv->ns++];
	const struct psm_issue_set *set = c->in->set;
	struct slow *owed = calloc(set->n + 1, sizeof(*owed));
	size_t i, n = 0;
	struct rv_table *t;

	if (!owed)
		die("out of memory");
	for (i = 0; i < set->n; i++) {
		const struct psm_issue_times *tm = &c->times[i];

		if (!tm->open && tm->has_reporters && !tm->duplicate && tm->closed != PSM_NO_TIME &&
		    tm->closed <= c->at &&
		    (tm->followup_done == PSM_NO_TIME || tm->followup_done > c->at))
			owed[n++] = (struct slow){ set->v[i], tm->closed };
	}
	qsort(owed, n, sizeof(*owed), cmp_created);
	sec->title = "Follow-ups owed";
	t = rv_table_add(sec, "Closed, but the reporters were not told (psm followup), oldest first:",
			 "None: every closed issue's reporters were told.", 5, head, 8, 0);
	for (i = 0; i < n && i < TOP_OWED; i++) {
		struct strbuf sb = STRBUF_INIT;
		const char *res = psm_issue_get(owed[i].issue, "resolution");

		rv_cell_id(t, c, owed[i].issue);
		rv_cell(t, title_of(owed[i].issue));
		stats_duration(&sb, c->at - owed[i].took, 0);
		strbuf_addstr(&sb, " ago");
		rv_cell(t, sb.buf);
		rv_cellf(t, "%zu", psm_issue_reporter_count(owed[i].issue));
		rv_cell(t, res ? res : "-");
		strbuf_release(&sb);
	}
	if (n) {
		strbuf_addf(&sec->lead, "%zu follow-up%s owed; the oldest was closed ", n, n == 1 ? "" : "s");
		stats_duration(&sec->lead, c->at - owed[0].took, 0);
		strbuf_addstr(&sec->lead, n > TOP_OWED ? " ago (the 20 oldest are listed)." : " ago.");
	} else {
		strbuf_addstr(&sec->lead, "No follow-ups owed.");
	}
	free(owed);
}

void review_build(struct review *rv, const struct review_input *in)
{
	struct review_ctx c = { in, in->week, in->week + WEEK, 0, NULL };
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	size_t i;

	c.at = c.to < in->now ? c.to : in->now;
	if (!(c.times = calloc(in->set->n + 1, sizeof(*c.times))))
		die("out of memory");
	for (i = 0; i < in->set->n; i++)
		psm_issue_times(&c.times[i], in->set->v[i]);
	strbuf_addstr(&rv->title, "Weekly review ");
	psm_iso_week_format(&rv->title, c.from);
	psm_time_format(&a, c.from);
	psm_time_format(&b, c.to - DAY);
	strbuf_addf(&rv->summary, "Monday %.10s to Sunday %.10s (UTC)", a.buf, b.buf);
	if (c.at < c.to) {
		strbuf_reset(&a);
		psm_time_format(&a, c.at);
		strbuf_addf(&rv->summary, ", so far (until %s)", a.buf);
	}
	strbuf_addch(&rv->summary, '.');

	new_vs_closed(rv, &c);
	review_blocked(rv, &c);
	took_too_long(rv, &c);
	review_releases(rv, &c);
	review_usage_sections(rv, &c, &rv->s[rv->ns - 1]);
	why_left(rv, &c);
	followups_owed(rv, &c);
	if (rv->title.oom || rv->summary.oom)
		die("out of memory");
	for (i = 0; i < rv->ns; i++)
		if (rv->s[i].lead.oom)
			die("out of memory");
	free(c.times);
	strbuf_release(&a);
	strbuf_release(&b);
}
