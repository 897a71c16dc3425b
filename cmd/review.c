/* psm review: the weekly review as Markdown or a standalone HTML page. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "builtin.h"
#include "psm/cache.h"
#include "parse-options.h"
#include "psm/grow.h"
#include "review.h"
#include "stats.h"

static const char *const review_usage[] = {
	"psm review [--week <yyyy-Www> | --week last] [--format md|html]",
	NULL
};

struct rv_table *rv_table_add(struct rv_section *sec, const char *intro, const char *empty,
			      size_t ncols, const char *const *head, unsigned numeric,
			      unsigned chart)
{
	struct rv_table *t = &sec->t[sec->nt++];
	size_t i;

	memset(t, 0, sizeof(*t));
	t->intro = intro;
	t->empty = empty;
	t->ncols = ncols;
	for (i = 0; i < ncols; i++)
		t->head[i] = head[i];
	t->numeric = numeric;
	t->chart = chart;
	t->mark = -1;
	return t;
}

void rv_cell(struct rv_table *t, const char *text)
{
	if (t->ncells == t->alloc) {
		char **nc = psm_grow(t->cells, t->ncells, &t->alloc, sizeof(*nc), t->ncols * 8);

		if (!nc)
			die("out of memory");
		t->cells = nc;
	}
	if (!(t->cells[t->ncells++] = psm_strdup(text ? text : "")))
		die("out of memory");
	t->nrows = t->ncells / t->ncols;
}

void rv_cellf(struct rv_table *t, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	if (sb.oom)
		die("out of memory");
	rv_cell(t, sb.buf);
	strbuf_release(&sb);
}

const char *rv_get(const struct rv_table *t, size_t row, size_t col)
{
	return t->cells[row * t->ncols + col];
}

const char *rv_keep(struct review *rv, const char *s)
{
	char **v = realloc(rv->owned, (rv->nowned + 1) * sizeof(*v));

	if (!v || !(v[rv->nowned] = psm_strdup(s)))
		die("out of memory");
	rv->owned = v;
	return v[rv->nowned++];
}

void review_release(struct review *rv)
{
	size_t i, j, k;

	while (rv->nowned)
		free(rv->owned[--rv->nowned]);
	free(rv->owned);

	for (i = 0; i < rv->ns; i++) {
		struct rv_section *sec = &rv->s[i];

		for (j = 0; j < sec->nt; j++) {
			for (k = 0; k < sec->t[j].ncells; k++)
				free(sec->t[j].cells[k]);
			free(sec->t[j].cells);
		}
		strbuf_release(&sec->lead);
	}
	strbuf_release(&rv->title);
	strbuf_release(&rv->summary);
}

int cmd_review(int argc, const char **argv, struct psm_store *s)
{
	const char *week = NULL, *format = NULL;
	struct option opts[] = {
		OPT_STRING(0, "week", &week, "yyyy-Www", "the ISO week to review, like 2026-W47, or last (default: this week)"),
		OPT_STRING(0, "format", &format, "fmt", "md (default; with text bar charts on a terminal) or html (a standalone page with SVG charts)"),
		OPT_END(),
	};
	struct review_input in = { 0 };
	struct psm_service *sv;
	struct review rv;
	enum output_format fmt;
	int code;

	argc = parse_options(argc, argv, opts, review_usage, 0);
	if (argc)
		usage_error(review_usage, opts, "unexpected argument '%s'", argv[0]);
	fmt = parse_format(format, "md,html");
	in.now = now_or_die();
	/* "last": the week a Monday-morning review is about */
	if (!week || !strcmp(week, "this") || !strcmp(week, "last"))
		in.week = psm_iso_week_start(in.now) - (week && !strcmp(week, "last") ? 7 * 86400 : 0);
	else if (psm_iso_week_parse(week, &in.week) < 0)
		usage_error(review_usage, opts, "%s", psm_error_last());
	if (in.week > in.now)
		die("week %s has not started yet", week);
	in.sv = sv = stats_service(s);
	in.store = s;
	if (psm_scan_open(&in.scan, s, 0) < 0) /* fields only: no bodies */
		die_psm();

	memset(&rv, 0, sizeof(rv));
	review_build(&rv, &in);
	if (fmt == FMT_HTML)
		review_print_html(&rv);
	else
		review_print_md(&rv, isatty(1));
	code = report_scan_errors(psm_scan_errors(in.scan));

	psm_scan_free(in.scan);
	review_release(&rv);
	psm_service_free(sv);
	return code;
}
