/*
 * A release note without its HTML comments (render.h). A team writes notes
 * to itself in <!-- --> inside Markdown; the site never showed them, and
 * what goes to customers (a follow-up, the changelog) must not either.
 * cmark says which "<!--" start comments (not those in code); when every
 * one does, each is cut from the text as written, so the rest stays byte
 * for byte. Otherwise the tree, without them, is written back as Markdown.
 */
#include "psm/render.h"

#include <cmark.h>
#include <stdlib.h>
#include <string.h>

#include "psm/error.h"

static size_t count(const char *s, const char *what)
{
	size_t n = 0;

	for (; (s = strstr(s, what)); s += strlen(what))
		n++;
	return n;
}

void psm_cut_html_comments(struct strbuf *out, const char *s)
{
	const char *c, *end;

	while ((c = strstr(s, "<!--"))) {
		strbuf_add(out, s, (size_t)(c - s));
		end = strstr(c + 4, "-->");
		s = end ? end + 3 : c + strlen(c);
		if (*s == ' ' && out->len && out->buf[out->len - 1] == ' ')
			s++;
	}
	strbuf_addstr(out, s);
}

/* Comments in the tree: an inline one is a node, a block may hold several.
 * With strip, inline ones are removed and blocks lose theirs. */
static int tree_comments(cmark_node *doc, size_t *n, int strip)
{
	cmark_iter *it = cmark_iter_new(doc);
	cmark_node **gone = NULL, *node;
	size_t ngone = 0, i;
	cmark_event_type ev;
	int e = 0;

	if (!it)
		return psm_oom();
	*n = 0;
	while (!e && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node_type t;
		const char *lit;
		size_t k;

		node = cmark_iter_get_node(it);
		t = cmark_node_get_type(node);
		if (ev != CMARK_EVENT_ENTER || (t != CMARK_NODE_HTML_INLINE && t != CMARK_NODE_HTML_BLOCK))
			continue;
		lit = cmark_node_get_literal(node);
		k = lit ? count(lit, "<!--") : 0;
		if (t == CMARK_NODE_HTML_INLINE)
			k = lit && !strncmp(lit, "<!--", 4);
		*n += k;
		if (!strip || !k)
			continue;
		if (t == CMARK_NODE_HTML_INLINE) {
			cmark_node **nv = realloc(gone, (ngone + 1) * sizeof(*nv));

			if (!nv)
				e = psm_oom();
			else
				(gone = nv)[ngone++] = node;
		} else {
			struct strbuf sb = STRBUF_INIT;

			psm_cut_html_comments(&sb, lit);
			if (sb.oom || !cmark_node_set_literal(node, sb.buf))
				e = psm_oom();
			strbuf_release(&sb);
		}
	}
	cmark_iter_free(it);
	for (i = 0; i < ngone; i++)
		cmark_node_free(gone[i]); /* unlinks it */
	free(gone);
	return e;
}

static int drop_once(struct strbuf *out, const char *md)
{
	cmark_node *doc;
	size_t in_text, in_tree;
	char *back;
	int e;

	if (!(in_text = count(md, "<!--"))) {
		strbuf_addstr(out, md);
		return out->oom ? psm_oom() : 0;
	}
	if (!(doc = cmark_parse_document(md, strlen(md), CMARK_OPT_DEFAULT)))
		return psm_oom();
	if ((e = tree_comments(doc, &in_tree, 0)) < 0)
		goto out;
	if (!in_tree) {
		strbuf_addstr(out, md); /* every "<!--" is in code */
	} else if (in_tree == in_text) {
		psm_cut_html_comments(out, md);
	} else {
		if ((e = tree_comments(doc, &in_tree, 1)) < 0)
			goto out;
		if (!(back = cmark_render_commonmark(doc, CMARK_OPT_DEFAULT, 0))) {
			e = psm_oom();
			goto out;
		}
		strbuf_addstr(out, back);
		free(back);
	}
	e = out->oom ? psm_oom() : 0;
out:
	cmark_node_free(doc);
	return e;
}

/* Cutting "<!<!-- x -->--" leaves "<!--": again while a pass changes
 * something (each takes a comment at least; bounded all the same). */
int psm_markdown_drop_comments(struct strbuf *out, const char *md)
{
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT, t;
	int e = drop_once(&a, md), pass;

	for (pass = 0; !e && pass < 16 && strstr(a.buf, "<!--") && strcmp(a.buf, md); pass++) {
		strbuf_reset(&b);
		if ((e = drop_once(&b, a.buf)) < 0 || !strcmp(a.buf, b.buf))
			break;
		t = a;
		a = b;
		b = t;
	}
	if (!e)
		strbuf_addbuf(out, &a);
	strbuf_release(&a);
	strbuf_release(&b);
	return e ? e : out->oom ? psm_oom() : 0;
}
