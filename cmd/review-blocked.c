/* psm review: what blocked users most often, and which release created confusion. */
#include <stdlib.h>
#include <string.h>

#include "psm/time.h"
#include "review.h"

#define TOP_ISSUES 10
#define TOP_LABELS 10
#define RECENT_RELEASES 6

void review_blocked(struct review *rv, const struct review_ctx *c)
{
	static const char *const head[] = { "Issue", "Title", "Reporters", "Customers", "Status" };
	static const char *const lhead[] = { "Label", "Reporters", "Customers", "Issues" };
	struct rv_section *sec = &rv->s[rv->ns++];
	const struct psm_review *f = c->fig;
	const struct psm_review_item *top;
	struct rv_table *t;
	size_t i;

	sec->title = "What blocked users most often";
	if (!f->ncore) { /* the lead says so; empty tables would say it twice more */
		strbuf_addstr(&sec->lead, "Nothing with core impact was open this week.");
		return;
	}
	top = &f->core[0];
	strbuf_addf(&sec->lead, "%zu core-impact issue%s open during the week; ", f->ncore,
		    f->ncore == 1 ? "" : "s");
	strbuf_addf(&sec->lead, "most reported: \"%s\" (%zu reporter%s, %zu customer%s).",
		    top->issue->title ? top->issue->title : "", top->reporters,
		    top->reporters == 1 ? "" : "s", top->customers, top->customers == 1 ? "" : "s");
	t = rv_table_add(sec, "Core-impact issues open during the week, by distinct reporters, then customers:",
			 NULL, 5, head, 12, 4);
	for (i = 0; i < f->ncore && i < TOP_ISSUES; i++) {
		const struct psm_review_item *it = &f->core[i];
		const char *title = it->issue->title;
		const char *status = it->issue->status;

		rv_cell_id(t, c, it->issue);
		rv_cell(t, title ? title : "");
		rv_cellf(t, "%zu", it->reporters);
		rv_cellf(t, "%zu", it->customers);
		rv_cell(t, status ? status : "-");
	}
	t = rv_table_add(sec, "Their labels, by distinct reporters, then customers:",
			 "They carry no labels.", 4, lhead, 14, 2);
	for (i = 0; i < f->nlabels && i < TOP_LABELS; i++) {
		rv_cell(t, f->labels[i].label);
		rv_cellf(t, "%zu", f->labels[i].reporters);
		rv_cellf(t, "%zu", f->labels[i].customers);
		rv_cellf(t, "%zu", f->labels[i].issues);
	}
}

static void release_row(struct rv_table *t, const struct psm_review_release *r)
{
	struct strbuf d = STRBUF_INIT;

	rv_cell(t, r->name);
	if (r->when == PSM_NO_TIME) {
		rv_cell(t, "-");
	} else {
		psm_time_format(&d, r->when);
		rv_cellf(t, "%.10s", d.buf);
	}
	rv_cellf(t, "%zu", r->issues);
	rv_cellf(t, "%zu", r->confusion);
	rv_cellf(t, "%zu", r->core);
	strbuf_release(&d);
}

void review_releases(struct review *rv, const struct review_ctx *c)
{
	static const char *const head[] = { "Release", "Tagged", "Issues", "Confusion", "Core" };
	struct rv_section *sec = &rv->s[rv->ns++];
	const struct psm_review *f = c->fig;
	const struct psm_review_release *top = NULL;
	size_t i, shown = 0;
	struct rv_table *t;

	sec->title = "Which release created confusion";
	t = rv_table_add(sec, "Issues per release (its release field, else created after its tag), newest first:",
			 "No releases yet: psm reads them from git tags.", 5, head, 28, 8);
	/* the newest tags, then the release names no tag has */
	for (i = f->ntagged; i > 0 && shown < RECENT_RELEASES; i--, shown++) {
		release_row(t, &f->releases[i - 1]);
		if (!top || f->releases[i - 1].confusion > top->confusion)
			top = &f->releases[i - 1];
	}
	for (i = f->ntagged; i < f->nreleases; i++) {
		release_row(t, &f->releases[i]);
		if (!top || f->releases[i].confusion > top->confusion)
			top = &f->releases[i];
	}
	if (top && top->confusion)
		strbuf_addf(&sec->lead, "Most confusion: %s (%zu of %zu issues).", top->name,
			    top->confusion, top->issues);
	else if (f->nreleases)
		strbuf_addstr(&sec->lead, "No release drew confusion (usability, docs or explanation issues).");
}
