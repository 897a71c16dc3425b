#include "psm/csv.h"

#include <stdlib.h>
#include <string.h>

#include "psm/error.h"
#include "psm/grow.h"
#include "psm/strbuf.h"

void psm_csv_init(struct psm_csv *c, const char *text, size_t len)
{
	c->p = text;
	c->end = text + len;
	c->line = 1;
	if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3))
		c->p += 3;
}

static void row_clear(struct psm_csv_row *row)
{
	while (row->n)
		free(row->v[--row->n]);
}

void psm_csv_row_release(struct psm_csv_row *row)
{
	row_clear(row);
	free(row->v);
	row->v = NULL;
	row->alloc = 0;
}

static int row_push(struct psm_csv_row *row, struct strbuf *field)
{
	char *s;

	if (row->n == row->alloc) {
		char **nv = psm_grow(row->v, row->n, &row->alloc, sizeof(*nv), 16);

		if (!nv)
			return psm_oom();
		row->v = nv;
	}
	if (field->oom || !(s = strbuf_detach(field, NULL)))
		return psm_oom();
	row->v[row->n++] = s;
	return 0;
}

/* At a record end (LF, CRLF or a lone CR)? Consumes it and counts the line. */
static int take_eol(struct psm_csv *c)
{
	if (c->p < c->end && *c->p == '\r') {
		c->p++;
		if (c->p < c->end && *c->p == '\n')
			c->p++;
		c->line++;
		return 1;
	}
	if (c->p < c->end && *c->p == '\n') {
		c->p++;
		c->line++;
		return 1;
	}
	return 0;
}

/* A quoted field, c->p just past the opening quote. */
static int quoted(struct psm_csv *c, struct strbuf *field, int start_line)
{
	while (c->p < c->end) {
		char ch = *c->p++;

		if (ch == '"') {
			if (c->p < c->end && *c->p == '"') {
				strbuf_addch(field, '"');
				c->p++;
				continue;
			}
			return 0;
		}
		if (ch == '\r' && c->p < c->end && *c->p == '\n')
			continue; /* CRLF inside a field is a line break: keep the LF */
		if (ch == '\n' || ch == '\r') {
			c->line++;
			ch = '\n';
		}
		strbuf_addch(field, ch);
	}
	return psm_error(PSM_EPARSE, "the quoted field starting on line %d is not closed", start_line);
}

int psm_csv_next(struct psm_csv *c, struct psm_csv_row *row)
{
	struct strbuf field = STRBUF_INIT;
	int r = 0;

	row_clear(row);
	while (take_eol(c))
		; /* blank lines between records */
	if (c->p >= c->end)
		return 0;
	row->line = c->line;
	for (;;) {
		if (c->p < c->end && *c->p == '"') {
			c->p++;
			if ((r = quoted(c, &field, row->line)) < 0)
				goto out;
		}
		/* unquoted text, or whatever follows a closing quote */
		while (c->p < c->end && *c->p != ',' && *c->p != '\n' && *c->p != '\r')
			strbuf_addch(&field, *c->p++);
		if ((r = row_push(row, &field)) < 0)
			goto out;
		if (c->p < c->end && *c->p == ',') {
			c->p++;
			continue;
		}
		take_eol(c);
		break;
	}
	r = 1;
out:
	strbuf_release(&field);
	return r;
}
