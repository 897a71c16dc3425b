#include "table.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "psm/grow.h"
#include "psm/render.h"

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

void table_cell(struct table *t, const char *text, const char *color)
{
	struct cell *c;

	if (t->n == t->alloc) {
		struct cell *nc = psm_grow(t->cells, t->n, &t->alloc, sizeof(*nc), 64);

		if (!nc)
			die("out of memory");
		t->cells = nc;
	}
	c = &t->cells[t->n++];
	c->off = t->text.len;
	if (printable_ascii(text ? text : "", &c->len)) {
		/* what sanitizing leaves as it is, one column a character */
		c->width = c->len;
		strbuf_add(&t->text, text ? text : "", c->len + 1);
	} else {
		strbuf_reset(&t->tmp);
		psm_sanitize(&t->tmp, text, strlen(text), 0);
		c->width = psm_display_width(t->tmp.buf, t->tmp.len);
		c->len = t->tmp.len;
		strbuf_add(&t->text, t->tmp.buf, t->tmp.len + 1);
	}
	if (t->tmp.oom || t->text.oom)
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

void table_print(struct table *t, int width, int color, int header)
{
	size_t *w = calloc(t->ncols, sizeof(*w));
	struct strbuf line = STRBUF_INIT;
	size_t i, j, used = 0;

	if (!w)
		die("out of memory");
	for (i = 0; i < t->n; i++)
		if (t->cells[i].width > w[i % t->ncols])
			w[i % t->ncols] = t->cells[i].width;
	if (width > 0)
		fit_columns(w, t->ncols, (size_t)width);
	for (j = 0; j + 1 < t->ncols; j++)
		used += w[j] + 2;
	/* a line at a time: a table of 100,000 rows is 100,000 writes to
	 * stdio, not a million */
	for (i = 0; i < t->n; i += t->ncols) {
		strbuf_reset(&line);
		for (j = 0; j < t->ncols; j++) {
			struct cell *c = &t->cells[i + j];
			const char *col = color ? (header && !i ? C_BOLD : c->color) : NULL;
			const char *text = t->text.buf + c->off;
			size_t len = c->len, cw = c->width;
			size_t room = j + 1 < t->ncols ? w[j] :
				      width <= 0 ? cw : (size_t)width > used ? (size_t)width - used : 1;

			if (cw > room) { /* cut, with an ellipsis in the last column left */
				len = psm_fit_width(text, len, room > 1 ? room - 1 : 0);
				cw = psm_display_width(text, len) + 1;
			}
			if (col)
				strbuf_addstr(&line, col);
			strbuf_add(&line, text, len);
			if (len < c->len)
				strbuf_addstr(&line, "\xe2\x80\xa6");
			if (col)
				strbuf_addstr(&line, C_RESET);
			if (j + 1 < t->ncols) /* as printf("%*s") pads: by the width's size */
				pad(&line, (size_t)labs((long)w[j] - (long)cw + 2));
		}
		strbuf_addch(&line, '\n');
		if (line.oom)
			die("out of memory");
		fwrite(line.buf, 1, line.len, stdout);
	}
	strbuf_release(&line);
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
