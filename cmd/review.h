#ifndef PSM_CMD_REVIEW_H
#define PSM_CMD_REVIEW_H
/*
 * psm review: the week's figures come from lib (psm_review_add(), one
 * issue at a time as the scan gives them, review.h); they are laid out once
 * as sections of small tables and
 * sentences (cmd/review-data.c, review-blocked.c), then drawn as Markdown,
 * with text bars on a terminal
 * (cmd/review-md.c), or as a standalone HTML page with SVG charts
 * (cmd/review-html.c). Cells hold raw text; each renderer escapes for its
 * format.
 */
#include <stddef.h>
#include <stdint.h>

#include "common.h"
#include "psm/cache.h"
#include "psm/metrics.h"
#include "psm/review.h"

#define RV_MAX_COLS 12

enum rv_chart { RV_BARS, RV_FUNNEL, RV_LINES };

struct rv_table {
	const char *intro;        /* a sentence before the table, or NULL */
	const char *empty;        /* said instead of a table with no rows */
	size_t ncols;
	const char *head[RV_MAX_COLS];
	unsigned numeric;         /* bit i: column i holds numbers (right-aligned) */
	unsigned chart;           /* bit i: numeric column i is drawn as bars */
	char **cells;             /* row by row, owned */
	size_t ncells, alloc;
	size_t nrows;             /* rows with their last cell added */
	long mark;                /* a row to emphasise (the review week), or -1 */
	enum rv_chart kind;       /* how HTML draws the chart: bars (default), a
				   * funnel of the rows, or a line per column over
				   * the rows (percentages; "-" leaves a gap) */
};

struct rv_section {
	const char *title;
	struct strbuf lead;       /* the answer in a sentence or two */
	struct rv_table t[2];
	size_t nt;
};

#define RV_SECTIONS 8

struct review {
	struct strbuf title;      /* "Weekly review 2026-W47" */
	struct strbuf summary;    /* dates and the week's headline numbers */
	struct rv_section s[RV_SECTIONS];
	size_t ns;
	char **owned;             /* strings the tables point to (rv_keep) */
	size_t nowned;
};

/* Everything the builder reads. */
struct review_input {
	struct psm_store *store;
	struct psm_scan *scan;    /* the issues, read once by review_build() */
	const struct psm_service *sv;
	int64_t week;             /* Monday 00:00 UTC */
	int64_t now;
};

void review_build(struct review *rv, const struct review_input *in);

/* What the section builders share (cmd/review-data.c, review-blocked.c). */
struct review_ctx {
	const struct review_input *in;
	const struct psm_review *fig;  /* the week's figures */
	size_t abbrev;                 /* of the issues' IDs */
};
void review_blocked(struct review *rv, const struct review_ctx *c);
void review_releases(struct review *rv, const struct review_ctx *c);
/* Onboarding and feature adoption (cmd/review-usage.c), and what the
 * releases shipped as a second table of `releases`; nothing when the store
 * neither configures nor holds usage counts. */
void review_usage_sections(struct review *rv, const struct review_ctx *c, struct rv_section *releases);
/* A cell with the issue's short ID. */
void rv_cell_id(struct rv_table *t, const struct review_ctx *c, const struct psm_review_issue *issue);
void review_release(struct review *rv);

/* Table building (cmd/review.c). */
struct rv_table *rv_table_add(struct rv_section *sec, const char *intro, const char *empty,
			      size_t ncols, const char *const *head, unsigned numeric,
			      unsigned chart);
void rv_cell(struct rv_table *t, const char *text);
void rv_cellf(struct rv_table *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
const char *rv_get(const struct rv_table *t, size_t row, size_t col);
/* A copy of s that lives as long as the review (for headers from the config). */
const char *rv_keep(struct review *rv, const char *s);

void review_print_md(const struct review *rv, int bars);
void review_print_html(const struct review *rv);
/* For the HTML page's charts (cmd/review-svg.c): text made safe for HTML;
 * a funnel of a table's rows, a line per charted column over its rows. */
void review_html_escape(struct strbuf *out, const char *s);
void review_svg_funnel(const struct rv_table *t, const char *title);
void review_svg_lines(const struct rv_table *t, const char *title);

#endif
