/*
 * psm review --format html: the onboarding funnel and the adoption lines,
 * inline SVG (no scripts), beside the bar charts of review-html.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "review.h"

#define SVG_W 560
#define LABEL_W 200
#define BARS_W 260
#define ROW_H 22
#define BAR_H 18
#define PLOT_X 44
#define PLOT_W 480
#define PLOT_H 160
#define LEGEND_H 24
#define AXIS_H 30
#define COLOURS 10

static void put(const char *before, const char *text, const char *after)
{
	struct strbuf sb = STRBUF_INIT;

	review_html_escape(&sb, text);
	printf("%s%s%s", before, sb.buf, after);
	strbuf_release(&sb);
}

static void open_svg(size_t height, const char *title)
{
	printf("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%zu\" "
	       "viewBox=\"0 0 %d %zu\" role=\"img\">", SVG_W, height, SVG_W, height);
	put("<title>", title, "</title>\n");
}

/* The first charted column: the funnel's counts. */
static size_t first_series(const struct rv_table *t)
{
	size_t c;

	for (c = 0; c < t->ncols && !(t->chart & (1u << c)); c++)
		;
	return c < t->ncols ? c : 0;
}

/*
 * A funnel: each row a bar centred on one axis, its width its share of the
 * first row's count, joined to the next by a band, so the narrowing is
 * where users are lost.
 */
void review_svg_funnel(const struct rv_table *t, const char *title)
{
	size_t col = first_series(t), r;
	unsigned long top = t->nrows ? strtoul(rv_get(t, 0, col), NULL, 10) : 0;
	double mid = LABEL_W + BARS_W / 2.0, prev_w = 0;

	open_svg(t->nrows * ROW_H + 4, title);
	for (r = 0; r < t->nrows; r++) {
		unsigned long v = strtoul(rv_get(t, r, col), NULL, 10);
		double w = top ? (double)v * BARS_W / (double)top : 0;
		size_t y = r * ROW_H + 2;

		if (v && w < 1)
			w = 1; /* someone is not no one */
		if (r) /* the band from the row above */
			printf("<polygon class=\"fc\" points=\"%.1f,%zu %.1f,%zu %.1f,%zu %.1f,%zu\"/>\n",
			       mid - prev_w / 2, y - (ROW_H - BAR_H), mid + prev_w / 2, y - (ROW_H - BAR_H),
			       mid + w / 2, y, mid - w / 2, y);
		printf("<rect class=\"s0\" x=\"%.1f\" y=\"%zu\" width=\"%.1f\" height=\"%d\"/>", mid - w / 2,
		       y, w, BAR_H);
		printf("<text x=\"0\" y=\"%zu\"%s>", y + BAR_H - 5,
		       (long)r == t->mark ? " font-weight=\"bold\"" : "");
		put("", rv_get(t, r, 0), "</text>");
		printf("<text x=\"%d\" y=\"%zu\">%lu", LABEL_W + BARS_W + 8, y + BAR_H - 5, v);
		if (top)
			printf(" (%lu%%)", (v * 200 + top) / (2 * top));
		printf("</text>\n");
		prev_w = w;
	}
	printf("</svg>\n");
}

/* A cell as a percentage: "17%" is 17; "-" (or empty) is no point. */
static int point(const char *s, double *v)
{
	char *end;

	*v = strtod(s, &end);
	return end != s;
}

/*
 * Lines: one per charted column, over the rows (weeks) from left to right,
 * on one scale from 0 to the largest value rounded up to ten points; a "-"
 * leaves a gap, so a feature's line starts at its release.
 */
void review_svg_lines(const struct rv_table *t, const char *title)
{
	size_t series[RV_MAX_COLS], ns = 0, r, k, c;
	double max = 0, v, ymax;
	size_t height = LEGEND_H + PLOT_H + AXIS_H, x0 = PLOT_X + 8;
	double step = t->nrows > 1 ? (double)(PLOT_W - 16) / (double)(t->nrows - 1) : 0;

	for (c = 1; c < t->ncols; c++)
		if (t->chart & (1u << c))
			series[ns++] = c;
	for (r = 0; r < t->nrows; r++)
		for (k = 0; k < ns; k++)
			if (point(rv_get(t, r, series[k]), &v) && v > max)
				max = v;
	ymax = max <= 10 ? 10 : ((int)(max + 9.999) / 10) * 10;
	open_svg(height, title);
	for (k = 0; k < ns; k++) { /* the legend */
		printf("<rect class=\"c%zu\" x=\"%zu\" y=\"6\" width=\"10\" height=\"10\"/>", k % COLOURS,
		       (size_t)PLOT_X + k * 110);
		printf("<text x=\"%zu\" y=\"15\">", (size_t)PLOT_X + k * 110 + 14);
		put("", t->head[series[k]], "</text>\n");
	}
	for (k = 0; k <= 2; k++) { /* 0, half and full scale */
		double y = LEGEND_H + PLOT_H - PLOT_H * k / 2.0;

		printf("<line class=\"grid\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>"
		       "<text x=\"0\" y=\"%.1f\">%g%%</text>\n",
		       PLOT_X, y, PLOT_X + PLOT_W, y, y + 4, ymax * (double)k / 2);
	}
	for (r = 0; r < t->nrows; r++) { /* a week's label: its "Wnn" */
		const char *name = rv_get(t, r, 0), *w = strchr(name, 'W');

		printf("<text x=\"%.1f\" y=\"%d\"%s>", (double)x0 + step * (double)r - 10,
		       LEGEND_H + PLOT_H + 18, (long)r == t->mark ? " font-weight=\"bold\"" : "");
		put("", w ? w : name, "</text>\n");
	}
	for (k = 0; k < ns; k++) {
		int open = 0;

		for (r = 0; r <= t->nrows; r++) {
			int has = r < t->nrows && point(rv_get(t, r, series[k]), &v);
			double x = (double)x0 + step * (double)r, y = LEGEND_H + PLOT_H - PLOT_H * v / ymax;

			if (!has) {
				if (open)
					printf("\"/>\n");
				open = 0;
				continue;
			}
			if (!open)
				printf("<polyline class=\"ln c%zu\" points=\"", k % COLOURS);
			printf("%s%.1f,%.1f", open ? " " : "", x, y);
			open = 1;
		}
		for (r = 0; r < t->nrows; r++) {
			if (!point(rv_get(t, r, series[k]), &v))
				continue;
			printf("<circle class=\"c%zu\" cx=\"%.1f\" cy=\"%.1f\" r=\"3\">", k % COLOURS,
			       (double)x0 + step * (double)r, LEGEND_H + PLOT_H - PLOT_H * v / ymax);
			put("<title>", t->head[series[k]], "");
			put(" ", rv_get(t, r, 0), "");
			put(": ", rv_get(t, r, series[k]), "</title></circle>\n");
		}
	}
	printf("</svg>\n");
}
