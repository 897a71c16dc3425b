/*
 * Markdown as plain text for a terminal (psm show, the triage screen).
 * cmark's CommonMark renderer writes Markdown back, escapes and all
 * (`card\_declined`, `Thanks\!`, control characters as `&#27;`); this walks
 * cmark's tree instead and writes what a reader sees: text without markup,
 * lists with their bullets, quotes with "> ", code indented, links followed
 * by their address. Line breaks the writer made are kept (e-mails and
 * signatures have them); only lines wider than the screen are wrapped.
 * Control characters become visible Control Pictures (ESC is U+241B), so a
 * reader sees that the text held them; the caller still runs the result
 * through psm_sanitize().
 */
#include "psm/render.h"

#include <cmark.h>
#include <stdlib.h>
#include <string.h>

#include "psm/error.h"
#include "psm/grow.h"

#define MAX_INDENT 16 /* deeper quotes and lists share the indentation */

struct walk {
	struct strbuf *out;
	size_t width;
	struct strbuf prefix;   /* what every line of the current block starts with */
	struct strbuf first;    /* an item's first line: its bullet instead */
	int have_first;
	struct strbuf para;     /* the inline text of the current leaf block */
	size_t *saved;          /* prefix lengths of the open containers */
	size_t nsaved, alloc;
	int *tight;             /* per open list */
	size_t ntight, talloc;
	size_t link_start;
	int need_blank;
};

/* Text as written, each control character as its Control Picture. */
static void add_literal(struct strbuf *sb, const char *s)
{
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == 0x7f)
			strbuf_addstr(sb, "\xe2\x90\xa1");
		else if (c < 0x20 && c != '\n' && c != '\t')
			strbuf_addf(sb, "\xe2\x90%c", (char)(0x80 + c));
		else
			strbuf_addch(sb, (char)c);
	}
}

static void start_line(struct walk *w)
{
	if (w->need_blank && w->out->len) {
		struct strbuf blank = STRBUF_INIT;

		strbuf_addbuf(&blank, &w->prefix);
		strbuf_rtrim(&blank);
		strbuf_addbuf(w->out, &blank);
		strbuf_addch(w->out, '\n');
		strbuf_release(&blank);
	}
	w->need_blank = 0;
}

static void put_line(struct walk *w, const char *s, size_t len)
{
	size_t start = w->out->len;

	if (w->have_first) {
		strbuf_addbuf(w->out, &w->first);
		w->have_first = 0;
	} else {
		strbuf_addbuf(w->out, &w->prefix);
	}
	strbuf_add(w->out, s, len);
	while (w->out->len > start && w->out->buf[w->out->len - 1] == ' ')
		strbuf_setlen(w->out, w->out->len - 1);
	strbuf_addch(w->out, '\n');
}

/* One line of text, wrapped at spaces to the room the prefix leaves. */
static void put_wrapped(struct walk *w, const char *s, size_t len)
{
	size_t pw = psm_display_width(w->prefix.buf, w->prefix.len);
	size_t room = w->width > pw + 20 ? w->width - pw : 0;

	while (room) {
		/* measure no further than the room: a long line stays linear */
		size_t fit = psm_fit_width(s, len, room), cut = fit;

		if (fit >= len)
			break;
		while (cut && s[cut] != ' ')
			cut--;
		if (!cut) { /* one long word: break after it */
			for (cut = fit; cut < len && s[cut] != ' '; cut++)
				;
			if (cut == len)
				break;
		}
		put_line(w, s, cut);
		s += cut;
		len -= cut;
		while (len && *s == ' ')
			s++, len--;
	}
	put_line(w, s, len);
}

/* The leaf block's text: one output line per line break in it. */
static void flush_para(struct walk *w, int wrap)
{
	const char *p = w->para.buf, *end = p + w->para.len;

	start_line(w);
	while (p <= end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);

		if (wrap)
			put_wrapped(w, p, len);
		else
			put_line(w, p, len);
		if (!nl)
			break;
		p = nl + 1;
	}
	strbuf_reset(&w->para);
	w->need_blank = !(w->ntight && w->tight[w->ntight - 1]);
}

/* A code or HTML block: its lines as they are, after an indent. */
static void put_literal_block(struct walk *w, const char *text, const char *indent)
{
	struct strbuf lit = STRBUF_INIT;

	add_literal(&lit, text);
	strbuf_rtrim(&lit);
	strbuf_reset(&w->para);
	if (*indent) { /* each line indented: prefix the text itself */
		const char *p;

		for (p = lit.buf; *p;) {
			size_t l = strcspn(p, "\n");

			strbuf_addstr(&w->para, indent);
			strbuf_add(&w->para, p, l);
			p += l;
			if (*p)
				strbuf_addch(&w->para, *p++);
		}
	} else {
		strbuf_addbuf(&w->para, &lit);
	}
	strbuf_release(&lit);
	flush_para(w, 0);
}

static int push_len(struct walk *w)
{
	size_t *v = psm_grow(w->saved, w->nsaved, &w->alloc, sizeof(*v), 16);

	if (!v)
		return -1;
	w->saved = v;
	w->saved[w->nsaved++] = w->prefix.len;
	return 0;
}

static void pop_len(struct walk *w)
{
	if (w->nsaved)
		strbuf_setlen(&w->prefix, w->saved[--w->nsaved]);
}

static int enter_container(struct walk *w, cmark_node *n)
{
	cmark_node_type t = cmark_node_get_type(n);

	if (t == CMARK_NODE_LIST) {
		int *v = psm_grow(w->tight, w->ntight, &w->talloc, sizeof(*v), 16);

		if (!v)
			return -1;
		w->tight = v;
		w->tight[w->ntight++] = cmark_node_get_list_tight(n);
		return 0;
	}
	/* a tight list's items follow each other without a blank line */
	if (t == CMARK_NODE_ITEM && w->ntight && w->tight[w->ntight - 1] && cmark_node_previous(n))
		w->need_blank = 0;
	start_line(w); /* the blank line before it, at the outer indentation */
	if (push_len(w) < 0)
		return -1;
	if (t == CMARK_NODE_BLOCK_QUOTE) {
		if (w->nsaved <= MAX_INDENT)
			strbuf_addstr(&w->prefix, "> ");
	} else if (t == CMARK_NODE_ITEM) {
		cmark_node *list = cmark_node_parent(n), *c;
		struct strbuf bullet = STRBUF_INIT;
		int k = cmark_node_get_list_start(list);

		if (cmark_node_get_list_type(list) == CMARK_ORDERED_LIST) {
			for (c = cmark_node_first_child(list); c && c != n; c = cmark_node_next(c))
				k++;
			strbuf_addf(&bullet, "%d%c ", k,
				    cmark_node_get_list_delim(list) == CMARK_PAREN_DELIM ? ')' : '.');
		} else {
			strbuf_addstr(&bullet, "- ");
		}
		strbuf_reset(&w->first);
		strbuf_addbuf(&w->first, &w->prefix);
		strbuf_addbuf(&w->first, &bullet);
		w->have_first = 1;
		if (w->nsaved <= MAX_INDENT)
			strbuf_addchars(&w->prefix, ' ', bullet.len);
		strbuf_release(&bullet);
	}
	return 0;
}

static void exit_container(struct walk *w, cmark_node *n)
{
	if (cmark_node_get_type(n) == CMARK_NODE_LIST) {
		if (w->ntight)
			w->ntight--;
		w->need_blank = 1;
		return;
	}
	if (w->have_first) { /* an empty item still shows its bullet */
		start_line(w);
		put_line(w, "", 0);
	}
	pop_len(w);
}

/* After a link's text: its address, or for an autolink (the text is the
 * address) the angle brackets it was written with. */
static void link_end(struct walk *w, cmark_node *n, size_t start)
{
	const char *url = cmark_node_get_url(n);
	const char *text = w->para.buf + start;

	if (!url || !*url)
		return;
	if (*text && (!strcmp(url, text) || (!strncmp(url, "mailto:", 7) && !strcmp(url + 7, text)))) {
		struct strbuf auto_link = STRBUF_INIT;

		strbuf_addf(&auto_link, "<%s>", text);
		strbuf_setlen(&w->para, start);
		strbuf_addbuf(&w->para, &auto_link);
		strbuf_release(&auto_link);
		return;
	}
	strbuf_addstr(&w->para, " (");
	add_literal(&w->para, url);
	strbuf_addch(&w->para, ')');
}

static int step(struct walk *w, cmark_node *n, cmark_event_type ev)
{
	cmark_node_type t = cmark_node_get_type(n);
	int entering = ev == CMARK_EVENT_ENTER;

	switch (t) {
	case CMARK_NODE_BLOCK_QUOTE: case CMARK_NODE_LIST: case CMARK_NODE_ITEM:
		if (entering)
			return enter_container(w, n);
		exit_container(w, n);
		break;
	case CMARK_NODE_PARAGRAPH:
		if (!entering)
			flush_para(w, 1);
		break;
	case CMARK_NODE_HEADING:
		if (!entering) {
			flush_para(w, 1);
		} else {
			strbuf_addchars(&w->para, '#', (size_t)cmark_node_get_heading_level(n));
			strbuf_addch(&w->para, ' ');
		}
		break;
	case CMARK_NODE_CODE_BLOCK:
		put_literal_block(w, cmark_node_get_literal(n), "    ");
		break;
	case CMARK_NODE_HTML_BLOCK:
		put_literal_block(w, cmark_node_get_literal(n), "");
		break;
	case CMARK_NODE_THEMATIC_BREAK:
		strbuf_addstr(&w->para, "----");
		flush_para(w, 0);
		break;
	case CMARK_NODE_TEXT: case CMARK_NODE_CODE: case CMARK_NODE_HTML_INLINE:
		add_literal(&w->para, cmark_node_get_literal(n));
		break;
	case CMARK_NODE_SOFTBREAK: case CMARK_NODE_LINEBREAK:
		strbuf_addch(&w->para, '\n');
		break;
	case CMARK_NODE_LINK:
		if (entering)
			w->link_start = w->para.len;
		else
			link_end(w, n, w->link_start);
		break;
	case CMARK_NODE_IMAGE:
		if (entering) {
			strbuf_addstr(&w->para, "[image: ");
		} else {
			strbuf_addch(&w->para, ']');
			link_end(w, n, w->para.len);
		}
		break;
	default: /* document, emphasis: their children say it all */
		break;
	}
	return 0;
}

int psm_markdown_text(struct strbuf *out, const char *md, size_t len, int width)
{
	struct walk w = { out, width > 0 ? (size_t)width : 0, STRBUF_INIT, STRBUF_INIT, 0,
			  STRBUF_INIT, NULL, 0, 0, NULL, 0, 0, 0, 0 };
	cmark_node *doc = cmark_parse_document(md, len, CMARK_OPT_DEFAULT);
	cmark_iter *it = doc ? cmark_iter_new(doc) : NULL;
	cmark_event_type ev;
	int r = 0;

	if (!it) {
		r = psm_oom();
		goto out;
	}
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE)
		if (step(&w, cmark_iter_get_node(it), ev) < 0) {
			r = psm_oom();
			goto out;
		}
	if (out->oom || w.para.oom || w.prefix.oom || w.first.oom)
		r = psm_oom();
out:
	cmark_iter_free(it);
	cmark_node_free(doc);
	strbuf_release(&w.prefix);
	strbuf_release(&w.first);
	strbuf_release(&w.para);
	free(w.saved);
	free(w.tight);
	return r;
}
