#include "table.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "psm/grow.h"
#include "psm/render.h"
#include "ring.h"

/* Cells live in one buffer: a table of 100,000 rows is one allocation
 * growing, not 800,000. */
struct cell {
	size_t off, len;     /* in text */
	size_t width;
	const char *color;
};

struct table {
	size_t ncols;
	struct cell *cells;
	size_t n, alloc, cur;
	struct strbuf text, tmp;
};

struct table *table_new(size_t ncols)
{
	struct table *t = calloc(1, sizeof(*t));

	if (!t)
		die("out of memory");
	t->ncols = ncols;
	strbuf_init(&t->text, 0);
	strbuf_init(&t->tmp, 0);
	return t;
}

/* Only printable ASCII (space to '~')? *len gets the length if so. Eight
 * bytes at a time: a listing checks every cell of every row. */
static int printable_ascii(const char *s, size_t *len)
{
	const unsigned char *p = (const unsigned char *)s;
	const uint64_t high = 0x8080808080808080ULL;
	size_t n = strlen(s), i = 0;

	for (; i + 8 <= n; i += 8) {
		uint64_t x;

		memcpy(&x, p + i, 8);
		/* no byte above 0x7f; then none below 0x20 (+0x60 sets the high
		 * bit of each) and none 0x7f (+0x01 sets it) */
		if ((x & high) || ((x + 0x6060606060606060ULL) & high) != high ||
		    ((x + 0x0101010101010101ULL) & high))
			return 0;
	}
	for (; i < n; i++)
		if (p[i] < 0x20 || p[i] > 0x7e)
			return 0;
	*len = n;
	return 1;
}

static void pad(struct strbuf *line, size_t n)
{
	static const char spaces[] = "                                ";

	while (n > sizeof(spaces) - 1) {
		strbuf_add(line, spaces, sizeof(spaces) - 1);
		n -= sizeof(spaces) - 1;
	}
	strbuf_add(line, spaces, n);
}

/* A cell as printed: sanitized text (its own when printable ASCII) and
 * its width in columns. */
struct view {
	const char *text;
	size_t len, width;
	const char *color;
};

static void measure(struct view *v, const char *text, struct strbuf *tmp)
{
	if (printable_ascii(text ? text : "", &v->len)) {
		/* what sanitizing leaves as it is, one column a character */
		v->text = text ? text : "";
		v->width = v->len;
		return;
	}
	strbuf_reset(tmp);
	psm_sanitize(tmp, text, strlen(text), 0);
	if (tmp->oom)
		die("out of memory");
	v->text = tmp->buf;
	v->len = tmp->len;
	v->width = psm_display_width(tmp->buf, tmp->len);
}

void table_cell(struct table *t, const char *text, const char *color)
{
	struct view v;
	struct cell *c;

	if (t->n == t->alloc) {
		struct cell *nc = psm_grow(t->cells, t->n, &t->alloc, sizeof(*nc), 64);

		if (!nc)
			die("out of memory");
		t->cells = nc;
	}
	c = &t->cells[t->n++];
	measure(&v, text, &t->tmp);
	c->off = t->text.len;
	c->len = v.len;
	c->width = v.width;
	strbuf_add(&t->text, v.text, v.len);
	strbuf_addch(&t->text, '\0');
	if (t->text.oom)
		die("out of memory");
	c->color = color;
	t->cur++;
}

void table_end_row(struct table *t)
{
	while (t->cur % t->ncols)
		table_cell(t, "", NULL);
	t->cur = 0;
}

/* The last column (titles) keeps at least this much of a narrow terminal. */
#define MIN_LAST 24
/* Other columns give up room down to this width, never the first (IDs). */
#define MIN_COL 5

/* Narrow the widest middle columns until the last one has room. */
static void fit_columns(size_t *w, size_t ncols, size_t width)
{
	size_t used = 0, last = w[ncols - 1] < MIN_LAST ? w[ncols - 1] : MIN_LAST, j;

	for (j = 0; j + 1 < ncols; j++)
		used += w[j] + 2;
	while (ncols > 2 && used + last > width) {
		size_t widest = 1;

		for (j = 2; j + 1 < ncols; j++)
			if (w[j] > w[widest])
				widest = j;
		if (w[widest] <= MIN_COL)
			break;
		w[widest]--;
		used--;
	}
}

/* Where a table's cells come from: stored (table_cell) or asked for. */
struct source {
	void (*get)(struct source *src, size_t row, size_t col, struct view *v);
	struct table *t;
	table_cell_fn cell;
	void *data;
	struct strbuf scratch, tmp;
};

static void stored_cell(struct source *src, size_t row, size_t col, struct view *v)
{
	const struct cell *c = &src->t->cells[row * src->t->ncols + col];

	v->text = src->t->text.buf + c->off;
	v->len = c->len;
	v->width = c->width;
	v->color = c->color;
}

static void asked_cell(struct source *src, size_t row, size_t col, struct view *v)
{
	const char *color = NULL, *text;

	strbuf_reset(&src->scratch);
	text = src->cell(src->data, row, col, &src->scratch, &color);
	if (src->scratch.oom)
		die("out of memory");
	measure(v, text, &src->tmp);
	v->color = color;
}

/* How rows are printed: column j w[j] wide (the last: the rest of width). */
struct layout {
	size_t ncols;
	const size_t *w;
	int width, color, header;
	size_t used; /* the columns before the last, with their gaps */
};

static void layout_init(struct layout *lay, size_t ncols, size_t *w, int width, int color,
			int header)
{
	size_t j;

	if (width > 0)
		fit_columns(w, ncols, (size_t)width);
	lay->ncols = ncols;
	lay->w = w;
	lay->width = width;
	lay->color = color;
	lay->header = header;
	lay->used = 0;
	for (j = 0; j + 1 < ncols; j++)
		lay->used += w[j] + 2;
}

/* Row i, appended to line. */
static void format_row(struct strbuf *line, struct source *src, size_t i,
		       const struct layout *lay)
{
	size_t j, ncols = lay->ncols;
	int width = lay->width;

	for (j = 0; j < ncols; j++) {
		struct view v;
		const char *col;
		size_t len, cw, room;

		src->get(src, i, j, &v);
		col = lay->color ? (lay->header && !i ? C_BOLD : v.color) : NULL;
		len = v.len;
		cw = v.width;
		room = j + 1 < ncols ? lay->w[j] :
		       width <= 0 ? cw : (size_t)width > lay->used ? (size_t)width - lay->used : 1;
		if (cw > room) { /* cut, with an ellipsis in the last column left */
			len = psm_fit_width(v.text, len, room > 1 ? room - 1 : 0);
			cw = psm_display_width(v.text, len) + 1;
		}
		if (col)
			strbuf_addstr(line, col);
		strbuf_add(line, v.text, len);
		if (len < v.len)
			strbuf_addstr(line, "\xe2\x80\xa6");
		if (col)
			strbuf_addstr(line, C_RESET);
		if (j + 1 < ncols) /* as printf("%*s") pads: by the width's size */
			pad(line, (size_t)labs((long)lay->w[j] - (long)cw + 2));
	}
	strbuf_addch(line, '\n');
	if (line->oom)
		die("out of memory");
}

void table_print(struct table *t, int width, int color, int header)
{
	struct source src = { stored_cell, t, NULL, NULL, STRBUF_INIT, STRBUF_INIT };
	struct strbuf line = STRBUF_INIT;
	struct layout lay;
	size_t *w = calloc(t->ncols, sizeof(*w));
	size_t i;

	if (!w)
		die("out of memory");
	for (i = 0; i < t->n; i++)
		if (t->cells[i].width > w[i % t->ncols])
			w[i % t->ncols] = t->cells[i].width;
	layout_init(&lay, t->ncols, w, width, color, header);
	/* a line at a time: a table of 100,000 rows is 100,000 writes to
	 * stdio, not a million */
	for (i = 0; i < t->n / t->ncols; i++) {
		strbuf_reset(&line);
		format_row(&line, &src, i, &lay);
		fwrite(line.buf, 1, line.len, stdout);
	}
	strbuf_release(&line);
	free(w);
}

/*
 * table_print_rows(): the cells asked for on every core (ring.h), each
 * twice: once for the columns' widths (any order), once for the lines
 * (printed in order).
 */
struct asked {
	size_t ncols;
	table_cell_fn cell;
	void *data;
	atomic_size_t *widest;
	struct layout lay;
};

static void widen(atomic_size_t *w, size_t v)
{
	size_t cur = atomic_load_explicit(w, memory_order_relaxed);

	while (v > cur && !atomic_compare_exchange_weak_explicit(w, &cur, v, memory_order_relaxed,
								 memory_order_relaxed))
		;
}

static int measure_row(struct strbuf *out, struct ring_local *local, void *ctx, size_t i)
{
	const struct asked *a = ctx;
	struct source src = { asked_cell, NULL, a->cell, a->data, local->a, local->b };
	size_t j;

	(void)out;
	for (j = 0; j < a->ncols; j++) {
		struct view v;

		asked_cell(&src, i, j, &v);
		widen(&a->widest[j], v.width);
	}
	local->a = src.scratch; /* grown: kept for the next row */
	local->b = src.tmp;
	return 0;
}

static int make_line(struct strbuf *out, struct ring_local *local, void *ctx, size_t i)
{
	const struct asked *a = ctx;
	struct source src = { asked_cell, NULL, a->cell, a->data, local->a, local->b };

	format_row(out, &src, i, &a->lay);
	local->a = src.scratch;
	local->b = src.tmp;
	return 0;
}

static void put_line(void *ctx, size_t i, const char *text, size_t len)
{
	(void)ctx;
	(void)i;
	fwrite(text, 1, len, stdout);
}

void table_print_rows(size_t ncols, size_t nrows, table_cell_fn cell, void *data, int width,
		      int color, int header)
{
	struct asked a = { ncols, cell, data, calloc(ncols, sizeof(*a.widest)), { 0 } };
	struct strbuf why = STRBUF_INIT;
	size_t *w = calloc(ncols, sizeof(*w));
	size_t j;

	if (!a.widest || !w)
		die("out of memory");
	for (j = 0; j < ncols; j++)
		atomic_init(&a.widest[j], 0);
	if (ring_run(nrows, measure_row, NULL, &a, &why) < 0)
		die("%s", why.buf);
	for (j = 0; j < ncols; j++)
		w[j] = atomic_load(&a.widest[j]);
	layout_init(&a.lay, ncols, w, width, color, header);
	if (ring_run(nrows, make_line, put_line, &a, &why) < 0)
		die("%s", why.buf);
	strbuf_release(&why);
	free(a.widest);
	free(w);
}

void table_free(struct table *t)
{
	if (!t)
		return;
	free(t->cells);
	strbuf_release(&t->text);
	strbuf_release(&t->tmp);
	free(t);
}

void tsv_field(const char *s, int last)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	psm_sanitize(&sb, s ? s : "", s ? strlen(s) : 0, 0);
	for (i = 0; i < sb.len; i++)
		if (sb.buf[i] == '\t')
			sb.buf[i] = ' ';
	fwrite(sb.buf, 1, sb.len, stdout);
	putchar(last ? '\n' : '\t');
	strbuf_release(&sb);
}
