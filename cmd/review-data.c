/* psm review: the week's figures (lib, review.h) laid out section by section. */
#include <stdlib.h>
#include <string.h>

#include "psm/query.h"
#include "psm/time.h"
#include "review.h"
#include "stats.h"

#define DAY ((int64_t)86400)
#define TOP_SLOW 5
#define TOP_LATE 10
#define TOP_OWED 20

void rv_cell_id(struct rv_table *t, const struct review_ctx *c, const struct psm_review_issue *issue)
{
	const char *id = issue->id;

	rv_cellf(t, "%.*s", (int)c->abbrev, id ? id : "?");
}

static const char *title_of(const struct psm_review_issue *issue)
{
	const char *t = issue->title;

	return t ? t : "";
}

static void new_vs_closed(struct review *rv, const struct review_ctx *c)
{
	static const char *const head[] = { "Week", "New", "Closed", "Duplicates" };
	struct rv_section *sec = &rv->s[rv->ns++];
	const struct psm_review *f = c->fig;
	const struct psm_review_week *this = &f->weeks[PSM_REVIEW_TREND_WEEKS - 1];
	struct rv_table *t;
	size_t k;

	sec->title = "New vs closed";
	t = rv_table_add(sec, "The last eight weeks (duplicates apart: merged, not resolved):",
			 NULL, 4, head, 14, 6);
	for (k = 0; k < PSM_REVIEW_TREND_WEEKS; k++) {
		const struct psm_review_week *w = &f->weeks[k];
		struct strbuf name = STRBUF_INIT;

		psm_iso_week_format(&name, w->monday);
		if (w == this)
			t->mark = (long)t->nrows;
		rv_cell(t, name.buf);
		rv_cellf(t, "%zu", w->created);
		rv_cellf(t, "%zu", w->closed);
		rv_cellf(t, "%zu", w->duplicates);
		strbuf_release(&name);
	}
	strbuf_addf(&sec->lead, "This week: %zu new, %zu closed", this->created, this->closed);
	if (this->duplicates)
		strbuf_addf(&sec->lead, " (and %zu closed as duplicate%s)", this->duplicates,
			    this->duplicates == 1 ? "" : "s");
	strbuf_addf(&sec->lead, "; %zu open %s.", f->open, f->at < f->to ? "now" : "at the end of the week");
}

static void took_too_long(struct review *rv, const struct review_ctx *c)
{
	static const char *const head_slow[] = { "Issue", "Title", "Took", "Target" };
	static const char *const head_late[] = { "Issue", "Title", "Age", "Past" };
	struct rv_section *sec = &rv->s[rv->ns++];
	const struct psm_review *f = c->fig;
	struct strbuf sb = STRBUF_INIT;
	struct rv_table *t;
	size_t i;

	sec->title = "What took too long";
	t = rv_table_add(sec, "Slowest resolved this week (created to first close):",
			 "Nothing was resolved this week.", 4, head_slow, 0, 0);
	for (i = 0; i < f->nslow && i < TOP_SLOW; i++) {
		const struct psm_review_item *it = &f->slow[i];

		rv_cell_id(t, c, it->issue);
		rv_cell(t, title_of(it->issue));
		strbuf_reset(&sb);
		stats_duration(&sb, it->when, 0);
		if (it->biz >= 0) {
			strbuf_addstr(&sb, " (business ");
			stats_duration(&sb, it->biz, 1);
			strbuf_addch(&sb, ')');
		}
		rv_cell(t, sb.buf);
		strbuf_reset(&sb);
		if (it->target && it->target->resolution) {
			stats_duration(&sb, it->target->resolution, 0);
			strbuf_addstr(&sb, it->breach & PSM_SLA_RESOLUTION ? ", missed" : ", met");
		} else {
			strbuf_addstr(&sb, "-");
		}
		rv_cell(t, sb.buf);
	}
	/* none late: the lead says so, without an empty table saying it again */
	t = f->nlate ? rv_table_add(sec, f->at < f->to ? "Open past their target now, oldest first:"
						       : "Open past their target at the end of the week, oldest first:",
				    NULL, 4, head_late, 0, 0) : NULL;
	for (i = 0; i < f->nlate && i < TOP_LATE; i++) {
		const struct psm_review_item *it = &f->late[i];

		rv_cell_id(t, c, it->issue);
		rv_cell(t, title_of(it->issue));
		strbuf_reset(&sb);
		stats_duration(&sb, f->at - it->when, 0);
		rv_cell(t, sb.buf);
		strbuf_reset(&sb);
		if (it->breach & PSM_SLA_RESPONSE) {
			strbuf_addstr(&sb, "first response ");
			stats_duration(&sb, it->target->first_response, 0);
		}
		if (it->breach & PSM_SLA_RESOLUTION) {
			strbuf_addstr(&sb, sb.len ? ", resolution " : "resolution ");
			stats_duration(&sb, it->target->resolution, 0);
		}
		rv_cell(t, sb.buf);
	}
	strbuf_release(&sb);
	if (f->nslow) {
		strbuf_addstr(&sec->lead, "Slowest resolution this week: ");
		stats_duration(&sec->lead, f->slow[0].when, 0);
		strbuf_addf(&sec->lead, " (%s). ", title_of(f->slow[0].issue));
	}
	if (f->nlate)
		strbuf_addf(&sec->lead, "%zu open issue%s past %s target.", f->nlate,
			    f->nlate == 1 ? "" : "s", f->nlate == 1 ? "its" : "their");
	else
		strbuf_addstr(&sec->lead, "No open issue is past its target.");
}

static void why_left(struct review *rv, const struct review_ctx *c)
{
	static const char *const head[] = { "Reason", "This week", "Last 12 weeks" };
	struct rv_section *sec = &rv->s[rv->ns++];
	const struct psm_review *f = c->fig;
	size_t i, top = 0, nw = 0, nq = 0;
	struct rv_table *t;

	sec->title = "Why customers left";
	for (i = 0; i < PSM_CHURN_SLOTS; i++) {
		nw += f->churn_week[i];
		nq += f->churn_recent[i];
	}
	if (!nq) { /* the lead says so; a table of zeros would say it again */
		strbuf_addstr(&sec->lead, "No churn recorded in the last 12 weeks.");
		return;
	}
	t = rv_table_add(sec, "Issues labelled churn, or with a churn reason, by reason:", NULL, 3,
			 head, 6, 4);
	for (i = 0; i < PSM_CHURN_SLOTS; i++) {
		if (i >= PSM_CHURN_KNOWN && !f->churn_recent[i] && !f->churn_week[i])
			continue;
		if (f->churn_recent[i] > f->churn_recent[top])
			top = i;
		rv_cell(t, psm_churn_names[i]);
		rv_cellf(t, "%zu", f->churn_week[i]);
		rv_cellf(t, "%zu", f->churn_recent[i]);
	}
	strbuf_addf(&sec->lead, "%zu churn issue%s this week; over 12 weeks the top reason is %s (%zu of %zu).",
		    nw, nw == 1 ? "" : "s", psm_churn_names[top], f->churn_recent[top], nq);
}

static void followups_owed(struct review *rv, const struct review_ctx *c)
{
	static const char *const head[] = { "Issue", "Title", "Closed", "Reporters", "Resolution" };
	struct rv_section *sec = &rv->s[rv->ns++];
	const struct psm_review *f = c->fig;
	struct rv_table *t;
	size_t i;

	sec->title = "Follow-ups owed";
	if (!f->nowed) { /* the lead alone: an empty table would say it again */
		strbuf_addstr(&sec->lead, "No follow-ups owed: every closed issue's reporters were told.");
		return;
	}
	t = rv_table_add(sec, "Closed, but the reporters were not told (psm followup), oldest first:",
			 NULL, 5, head, 8, 0);
	for (i = 0; i < f->nowed && i < TOP_OWED; i++) {
		const struct psm_review_item *it = &f->owed[i];
		const char *res = it->issue->resolution;
		struct strbuf sb = STRBUF_INIT;

		rv_cell_id(t, c, it->issue);
		rv_cell(t, title_of(it->issue));
		stats_duration(&sb, f->at - it->when, 0);
		strbuf_addstr(&sb, " ago");
		rv_cell(t, sb.buf);
		rv_cellf(t, "%zu", it->issue->reporters);
		rv_cell(t, res ? res : "-");
		strbuf_release(&sb);
	}
	strbuf_addf(&sec->lead, "%zu follow-up%s owed; the oldest was closed ", f->nowed,
		    f->nowed == 1 ? "" : "s");
	stats_duration(&sec->lead, f->at - f->owed[0].when, 0);
	strbuf_addstr(&sec->lead, f->nowed > TOP_OWED ? " ago (the 20 oldest are listed)." : " ago.");
}

void review_build(struct review *rv, const struct review_input *in)
{
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	struct psm_review fig;
	struct review_ctx c = { in, &fig, 0 };
	struct psm_release *tags;
	const struct psm_issue *is;
	size_t i, ntags;
	int r;

	if (psm_release_tags(&tags, &ntags, in->store->git) < 0 ||
	    psm_review_begin(&fig, in->sv, tags, ntags, in->week, in->now) < 0)
		die_psm();
	/* one issue at a time: the figures keep only what they list */
	while ((r = psm_scan_next(in->scan, &is)) > 0)
		if (psm_review_add(&fig, is) < 0)
			die_psm();
	if (r < 0 || psm_review_finish(&fig) < 0)
		die_psm();
	c.abbrev = psm_scan_abbrev(in->scan);
	strbuf_addstr(&rv->title, "Weekly review ");
	psm_iso_week_format(&rv->title, fig.from);
	psm_time_format(&a, fig.from);
	psm_time_format(&b, fig.to - DAY);
	strbuf_addf(&rv->summary, "Monday %.10s to Sunday %.10s (UTC)", a.buf, b.buf);
	if (fig.at < fig.to) {
		strbuf_reset(&a);
		psm_time_format(&a, fig.at);
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
	psm_review_release(&fig);
	psm_release_tags_free(tags, ntags);
	strbuf_release(&a);
	strbuf_release(&b);
}
