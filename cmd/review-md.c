/* psm review as Markdown; on a terminal, numbers get text bar charts. */
#include <langinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "psm/render.h"
#include "review.h"

#define BAR_WIDTH 16

/* Terminal-safe text with Markdown's punctuation escaped. */
static void md_escape(struct strbuf *out, const char *s)
{
	struct strbuf clean = STRBUF_INIT;
	size_t i;

	psm_sanitize(&clean, s, strlen(s), 0);
	for (i = 0; i < clean.len; i++) {
		if (strchr("\\`*_[]<>|&~", clean.buf[i]))
			strbuf_addch(out, '\\');
		strbuf_addch(out, clean.buf[i]);
	}
	strbuf_release(&clean);
	if (out->oom)
		die("out of memory");
}

static void paragraph(const char *text)
{
	struct strbuf sb = STRBUF_INIT;

	md_escape(&sb, text);
	printf("%s\n\n", sb.buf);
	strbuf_release(&sb);
}

/* A bar of value/max times BAR_WIDTH columns, in eighths where UTF-8 allows. */
static void add_bar(struct strbuf *out, unsigned long v, unsigned long max, int utf8)
{
	static const char *const part[] = { "", "\u258f", "\u258e", "\u258d", "\u258c",
					    "\u258b", "\u258a", "\u2589" };
	unsigned long eighths = max ? v * BAR_WIDTH * 8 / max : 0, i;

	if (v && !eighths)
		eighths = 1; /* something is not nothing */
	if (!utf8) {
		for (i = 0; i < (eighths + 7) / 8; i++)
			strbuf_addch(out, '#');
		return;
	}
	for (i = 0; i < eighths / 8; i++)
		strbuf_addstr(out, "\u2588");
	strbuf_addstr(out, part[eighths % 8]);
}

static void pad(struct strbuf *out, const char *s, size_t width, int right)
{
	size_t w = psm_display_width(s, strlen(s));

	if (right)
		strbuf_addchars(out, ' ', width > w ? width - w : 0);
	strbuf_addstr(out, s);
	if (!right)
		strbuf_addchars(out, ' ', width > w ? width - w : 0);
}

static void print_table(const struct rv_table *t, int bars, int utf8)
{
	size_t ncells = t->nrows * t->ncols, i, r, c, w[RV_MAX_COLS] = { 0 };
	unsigned long max = 0; /* one scale for the table, so its series compare */
	char **text = calloc(ncells + t->ncols, sizeof(*text));
	struct strbuf line = STRBUF_INIT;

	if (!text)
		die("out of memory");
	bars = bars && t->kind != RV_LINES; /* a trend reads as its numbers */
	for (c = 0; c < t->ncols; c++) /* header row first */
		text[c] = psm_strdup(t->head[c]);
	for (i = 0; i < ncells; i++) {
		struct strbuf sb = STRBUF_INIT;
		int mark = (long)(i / t->ncols) == t->mark;

		c = i % t->ncols;
		if (t->chart & (1u << c) && strtoul(t->cells[i], NULL, 10) > max)
			max = strtoul(t->cells[i], NULL, 10);
		strbuf_addstr(&sb, mark ? "**" : "");
		md_escape(&sb, t->cells[i]);
		strbuf_addstr(&sb, mark ? "**" : "");
		text[t->ncols + i] = strbuf_detach(&sb, NULL);
	}
	for (i = 0; i < ncells + t->ncols; i++) {
		size_t dw;

		if (!text[i])
			die("out of memory");
		dw = psm_display_width(text[i], strlen(text[i]));
		if (dw > w[i % t->ncols])
			w[i % t->ncols] = dw;
	}
	for (r = 0; r <= t->nrows; r++) {
		strbuf_reset(&line);
		for (c = 0; c < t->ncols; c++) {
			int right = !!(t->numeric & (1u << c));

			strbuf_addstr(&line, "| ");
			pad(&line, text[r * t->ncols + c], w[c], right && r);
			if (bars && t->chart & (1u << c)) {
				size_t before = line.len;

				strbuf_addch(&line, ' ');
				if (r)
					add_bar(&line, strtoul(t->cells[(r - 1) * t->ncols + c], NULL, 10),
						max, utf8);
				pad(&line, "", BAR_WIDTH + 1 -
				    psm_display_width(line.buf + before, line.len - before), 0);
			}
			strbuf_addch(&line, ' ');
		}
		strbuf_addstr(&line, "|\n");
		if (!r) { /* the alignment row */
			for (c = 0; c < t->ncols; c++) {
				size_t width = w[c] + (bars && t->chart & (1u << c) ? BAR_WIDTH + 1 : 0);
				int right = !!(t->numeric & (1u << c));

				strbuf_addstr(&line, "| ");
				strbuf_addchars(&line, '-', width - (size_t)right);
				strbuf_addstr(&line, right ? ": " : " ");
			}
			strbuf_addstr(&line, "|\n");
		}
		if (line.oom)
			die("out of memory");
		fputs(line.buf, stdout);
	}
	putchar('\n');
	for (i = 0; i < ncells + t->ncols; i++)
		free(text[i]);
	free(text);
	strbuf_release(&line);
}

void review_print_md(const struct review *rv, int bars)
{
	const char *cs = nl_langinfo(CODESET);
	int utf8 = cs && !strcmp(cs, "UTF-8");
	size_t i, j;

	printf("# ");
	paragraph(rv->title.buf);
	paragraph(rv->summary.buf);
	for (i = 0; i < rv->ns; i++) {
		const struct rv_section *sec = &rv->s[i];

		printf("## ");
		paragraph(sec->title);
		if (sec->lead.len)
			paragraph(sec->lead.buf);
		for (j = 0; j < sec->nt; j++) {
			const struct rv_table *t = &sec->t[j];

			if (!t->nrows) {
				if (t->empty)
					paragraph(t->empty);
				continue;
			}
			if (t->intro)
				paragraph(t->intro);
			print_table(t, bars, utf8);
		}
	}
}
