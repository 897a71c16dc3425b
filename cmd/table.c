#include "table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "psm/grow.h"
#include "psm/render.h"

struct cell {
	char *text;
	const char *color;
	size_t width;
};

struct table {
	size_t ncols;
	struct cell *cells;
	size_t n, alloc, cur;
};

struct table *table_new(size_t ncols)
{
	struct table *t = calloc(1, sizeof(*t));

	if (!t)
		die("out of memory");
	t->ncols = ncols;
	return t;
}

void table_cell(struct table *t, const char *text, const char *color)
{
	struct strbuf sb = STRBUF_INIT;
	struct cell *c;

	if (t->n == t->alloc) {
		struct cell *nc = psm_grow(t->cells, t->n, &t->alloc, sizeof(*nc), 64);

		if (!nc)
			die("out of memory");
		t->cells = nc;
	}
	psm_sanitize(&sb, text ? text : "", text ? strlen(text) : 0, 0);
	c = &t->cells[t->n++];
	c->width = psm_display_width(sb.buf, sb.len);
	c->text = strbuf_detach(&sb, NULL);
	if (!c->text)
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
	for (i = 0; i < t->n; i += t->ncols) {
		for (j = 0; j < t->ncols; j++) {
			struct cell *c = &t->cells[i + j];
			const char *col = color ? (header && !i ? C_BOLD : c->color) : NULL;
			size_t len = strlen(c->text), cw = c->width;
			size_t room = j + 1 < t->ncols ? w[j] :
				      width <= 0 ? cw : (size_t)width > used ? (size_t)width - used : 1;

			if (cw > room) { /* cut, with an ellipsis in the last column left */
				len = psm_fit_width(c->text, len, room > 1 ? room - 1 : 0);
				cw = psm_display_width(c->text, len) + 1;
			}
			if (col)
				fputs(col, stdout);
			fwrite(c->text, 1, len, stdout);
			if (len < strlen(c->text))
				fputs("\xe2\x80\xa6", stdout);
			if (col)
				fputs(C_RESET, stdout);
			if (j + 1 < t->ncols)
				printf("%*s", (int)(w[j] - cw + 2), "");
		}
		putchar('\n');
	}
	free(w);
}

void table_free(struct table *t)
{
	size_t i;

	if (!t)
		return;
	for (i = 0; i < t->n; i++)
		free(t->cells[i].text);
	free(t->cells);
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
