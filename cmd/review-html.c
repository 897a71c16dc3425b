/* psm review --format html: one standalone page, tables and inline SVG bar charts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "psm/render.h"
#include "review.h"

#define LABEL_W 220
#define BARS_W 280
#define SVG_W (LABEL_W + BARS_W + 60)
#define BAR_H 12
#define ROW_GAP 8
#define LABEL_COLS 30

static const char style[] =
	"body{font:15px/1.5 system-ui,sans-serif;max-width:54rem;margin:2rem auto;padding:0 1rem;color:#222}\n"
	"h1{margin-bottom:0}h2{margin-top:2rem;border-bottom:1px solid #ccc}\n"
	"table{border-collapse:collapse;margin:.5rem 0 1rem}\n"
	"th,td{padding:.2rem .6rem;border-bottom:1px solid #e4e4e4;text-align:left;vertical-align:top}\n"
	"th.n,td.n{text-align:right;font-variant-numeric:tabular-nums}\n"
	"tr.mark td{font-weight:bold}\n"
	"svg{display:block;margin:.5rem 0}svg text{font:12px system-ui,sans-serif;fill:#333}\n"
	".s0{fill:#4878d0}.s1{fill:#ee854a}.s2{fill:#6acc64}\n"
	".fc{fill:#c9d6ef}.grid{stroke:#ddd}svg .ln{fill:none;stroke-width:2}\n"
	".c0{stroke:#4878d0;fill:#4878d0}.c1{stroke:#ee854a;fill:#ee854a}.c2{stroke:#6acc64;fill:#6acc64}\n"
	".c3{stroke:#d65f5f;fill:#d65f5f}.c4{stroke:#956cb4;fill:#956cb4}.c5{stroke:#8c613c;fill:#8c613c}\n"
	".c6{stroke:#dc7ec0;fill:#dc7ec0}.c7{stroke:#797979;fill:#797979}.c8{stroke:#d5bb67;fill:#d5bb67}\n"
	".c9{stroke:#82c6e2;fill:#82c6e2}\n";

/* Terminal-clean text, escaped for HTML. */
void review_html_escape(struct strbuf *out, const char *s)
{
	struct strbuf clean = STRBUF_INIT;
	size_t i;

	psm_sanitize(&clean, s, strlen(s), 0);
	for (i = 0; i < clean.len; i++) {
		switch (clean.buf[i]) {
		case '&': strbuf_addstr(out, "&amp;"); break;
		case '<': strbuf_addstr(out, "&lt;"); break;
		case '>': strbuf_addstr(out, "&gt;"); break;
		case '"': strbuf_addstr(out, "&quot;"); break;
		case '\'': strbuf_addstr(out, "&#39;"); break;
		default: strbuf_addch(out, clean.buf[i]);
		}
	}
	strbuf_release(&clean);
	if (out->oom)
		die("out of memory");
}

static void put_html(const char *before, const char *text, const char *after)
{
	struct strbuf sb = STRBUF_INIT;

	review_html_escape(&sb, text);
	printf("%s%s%s", before, sb.buf, after);
	strbuf_release(&sb);
}

/* A bar's label: the first column, with the title when the table has one. */
static void bar_label(struct strbuf *out, const struct rv_table *t, size_t row)
{
	struct strbuf raw = STRBUF_INIT, clean = STRBUF_INIT;
	size_t fit;

	strbuf_addstr(&raw, rv_get(t, row, 0));
	if (t->ncols > 1 && !strcmp(t->head[1], "Title"))
		strbuf_addf(&raw, " %s", rv_get(t, row, 1));
	psm_sanitize(&clean, raw.buf, raw.len, 0);
	fit = psm_fit_width(clean.buf, clean.len, LABEL_COLS);
	if (fit < clean.len) {
		strbuf_setlen(&clean, psm_fit_width(clean.buf, clean.len, LABEL_COLS - 1));
		strbuf_addstr(&clean, "\u2026");
	}
	review_html_escape(out, clean.buf);
	strbuf_release(&raw);
	strbuf_release(&clean);
}

static void svg_chart(const struct rv_table *t, const char *title)
{
	size_t series[RV_MAX_COLS], ns = 0, r, k, c;
	unsigned long max = 0;
	size_t row_h, legend, height;

	for (c = 0; c < t->ncols; c++)
		if (t->chart & (1u << c))
			series[ns++] = c;
	for (r = 0; r < t->nrows; r++)
		for (k = 0; k < ns; k++)
			if (strtoul(rv_get(t, r, series[k]), NULL, 10) > max)
				max = strtoul(rv_get(t, r, series[k]), NULL, 10);
	row_h = ns * (BAR_H + 2) + ROW_GAP;
	legend = ns > 1 ? 22 : 0;
	height = legend + t->nrows * row_h;
	printf("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%zu\" "
	       "viewBox=\"0 0 %d %zu\" role=\"img\">", SVG_W, height, SVG_W, height);
	put_html("<title>", title, "</title>\n");
	for (k = 0; ns > 1 && k < ns; k++) {
		printf("<rect class=\"s%zu\" x=\"%zu\" y=\"4\" width=\"10\" height=\"10\"/>", k,
		       (size_t)LABEL_W + k * 100);
		printf("<text x=\"%zu\" y=\"13\">", (size_t)LABEL_W + k * 100 + 14);
		put_html("", t->head[series[k]], "</text>\n");
	}
	for (r = 0; r < t->nrows; r++) {
		struct strbuf label = STRBUF_INIT;
		size_t y = legend + r * row_h;

		bar_label(&label, t, r);
		/* the label's baseline near the middle of its group of bars */
		printf("<text x=\"0\" y=\"%zu\"%s>%s</text>\n", y + ns * (BAR_H + 2) / 2 + 4,
		       (long)r == t->mark ? " font-weight=\"bold\"" : "", label.buf);
		for (k = 0; k < ns; k++) {
			unsigned long v = strtoul(rv_get(t, r, series[k]), NULL, 10);
			unsigned long w = max ? v * BARS_W / max : 0;
			size_t by = y + k * (BAR_H + 2);

			printf("<rect class=\"s%zu\" x=\"%d\" y=\"%zu\" width=\"%lu\" height=\"%d\"/>"
			       "<text x=\"%lu\" y=\"%zu\">%lu</text>\n",
			       k, LABEL_W, by, w, BAR_H, LABEL_W + w + 4, by + BAR_H - 2, v);
		}
		strbuf_release(&label);
	}
	printf("</svg>\n");
}

/* A bar chart of nothing but zeros draws no bar: the table says it. */
static int any_bar(const struct rv_table *t)
{
	size_t r, c;

	for (r = 0; r < t->nrows; r++)
		for (c = 0; c < t->ncols; c++)
			if (t->chart & (1u << c) && strtoul(rv_get(t, r, c), NULL, 10))
				return 1;
	return 0;
}

static void html_table(const struct rv_table *t)
{
	size_t r, c;

	printf("<table>\n<thead><tr>");
	for (c = 0; c < t->ncols; c++)
		put_html(t->numeric & (1u << c) ? "<th class=\"n\">" : "<th>", t->head[c], "</th>");
	printf("</tr></thead>\n<tbody>\n");
	for (r = 0; r < t->nrows; r++) {
		printf("<tr%s>", (long)r == t->mark ? " class=\"mark\"" : "");
		for (c = 0; c < t->ncols; c++)
			put_html(t->numeric & (1u << c) ? "<td class=\"n\">" : "<td>", rv_get(t, r, c),
				 "</td>");
		printf("</tr>\n");
	}
	printf("</tbody>\n</table>\n");
}

void review_print_html(const struct review *rv)
{
	size_t i, j;

	printf("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
	put_html("<title>", rv->title.buf, "</title>\n");
	printf("<style>\n%s</style>\n</head>\n<body>\n", style);
	put_html("<h1>", rv->title.buf, "</h1>\n");
	put_html("<p>", rv->summary.buf, "</p>\n");
	for (i = 0; i < rv->ns; i++) {
		const struct rv_section *sec = &rv->s[i];

		put_html("<section>\n<h2>", sec->title, "</h2>\n");
		if (sec->lead.len)
			put_html("<p>", sec->lead.buf, "</p>\n");
		for (j = 0; j < sec->nt; j++) {
			const struct rv_table *t = &sec->t[j];

			if (!t->nrows) {
				if (t->empty)
					put_html("<p>", t->empty, "</p>\n");
				continue;
			}
			if (t->intro)
				put_html("<p>", t->intro, "</p>\n");
			if (t->chart && t->kind == RV_FUNNEL)
				review_svg_funnel(t, t->intro ? t->intro : sec->title);
			else if (t->chart && t->kind == RV_LINES)
				review_svg_lines(t, t->intro ? t->intro : sec->title);
			else if (t->chart && any_bar(t))
				svg_chart(t, t->intro ? t->intro : sec->title);
			html_table(t);
		}
		printf("</section>\n");
	}
	printf("</body>\n</html>\n");
}
