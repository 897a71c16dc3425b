#ifndef PSM_CMD_REVIEW_H
#define PSM_CMD_REVIEW_H
/*
 * psm review: the week's figures come from lib (psm_review_compute(),
 * review.h); they are laid out once as sections of small tables and
 * sentences (cmd/review-data.c, review-blocked.c), then drawn as Markdown,
 * with text bars on a terminal
 * (cmd/review-md.c), or as a standalone HTML page with SVG charts
 * (cmd/review-html.c). Cells hold raw text; each renderer escapes for its
 * format.
 */
#include <stddef.h>
#include <stdint.h>

#include "common.h"
#include "psm/metrics.h"
#include "psm/review.h"

#define RV_MAX_COLS 8

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
};

struct rv_section {
	const char *title;
	struct strbuf lead;       /* the answer in a sentence or two */
	struct rv_table t[2];
	size_t nt;
};

#define RV_SECTIONS 6

struct review {
	struct strbuf title;      /* "Weekly review 2026-W47" */
	struct strbuf summary;    /* dates and the week's headline numbers */
	struct rv_section s[RV_SECTIONS];
	size_t ns;
};

/* Everything the builder reads. */
struct review_input {
	struct psm_store *store;
	const struct psm_issue_set *set;
	const struct psm_service *sv;
	int64_t week;             /* Monday 00:00 UTC */
	int64_t now;
	size_t abbrev;
};

void review_build(struct review *rv, const struct review_input *in);

/* What the section builders share (cmd/review-data.c, review-blocked.c). */
struct review_ctx {
	const struct review_input *in;
	const struct psm_review *fig;  /* the week's figures */
};
void review_blocked(struct review *rv, const struct review_ctx *c);
void review_releases(struct review *rv, const struct review_ctx *c);
/* A cell with the issue's short ID. */
void rv_cell_id(struct rv_table *t, const struct review_ctx *c, const struct psm_issue *issue);
void review_release(struct review *rv);

/* Table building (cmd/review.c). */
struct rv_table *rv_table_add(struct rv_section *sec, const char *intro, const char *empty,
			      size_t ncols, const char *const *head, unsigned numeric,
			      unsigned chart);
void rv_cell(struct rv_table *t, const char *text);
void rv_cellf(struct rv_table *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
const char *rv_get(const struct rv_table *t, size_t row, size_t col);

void review_print_md(const struct review *rv, int bars);
void review_print_html(const struct review *rv);

#endif
