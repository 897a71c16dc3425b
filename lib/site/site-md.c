/*
 * Text on the site's pages: HTML escaping, and Markdown (release notes,
 * public summaries, workarounds) through cmark's safe default, with the
 * tree trimmed to what a public page may carry. Raw HTML is shown as the
 * text it is: cmark's safe mode would drop it, and with it the words of a
 * note like "Pressing <Enter> submits" or "Vec<T>", which the e-mails and
 * the terminal show.
 */
#include <cmark.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "psm/error.h"
#include "psm/render.h"
#include "site-int.h"

int psm_html_escape(struct strbuf *out, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': strbuf_addstr(out, "&amp;"); break;
		case '<': strbuf_addstr(out, "&lt;"); break;
		case '>': strbuf_addstr(out, "&gt;"); break;
		case '"': strbuf_addstr(out, "&quot;"); break;
		case '\'': strbuf_addstr(out, "&#39;"); break;
		default: strbuf_addch(out, *s);
		}
	}
	return out->oom ? psm_oom() : 0;
}

/* A link or image a reader can follow from anywhere: http(s) or mailto.
 * cmark's safe mode already empties javascript: and the like; relative
 * ones would point into the site, where nothing of the is. */
static int public_url(const char *u)
{
	return u && (!strncasecmp(u, "https://", 8) || !strncasecmp(u, "http://", 7) ||
		     (!strncasecmp(u, "mailto:", 7) && u[7]));
}

/* The nodes of doc that want() picks, in document order, into *out (the
 * caller's to free()). */
static int collect(cmark_node *doc, int (*want)(cmark_node *), cmark_node ***out, size_t *nout)
{
	cmark_iter *it = cmark_iter_new(doc);
	cmark_node **v = NULL, **nv, *n;
	size_t k = 0;
	cmark_event_type ev;

	*out = NULL;
	*nout = 0;
	if (!it)
		return psm_oom();
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		n = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER || !want(n))
			continue;
		if (!(nv = realloc(v, (k + 1) * sizeof(*nv)))) {
			cmark_iter_free(it);
			free(v);
			return psm_oom();
		}
		v = nv;
		v[k++] = n;
	}
	cmark_iter_free(it);
	*out = v;
	*nout = k;
	return 0;
}

static int heading_or_private_link(cmark_node *n)
{
	cmark_node_type t = cmark_node_get_type(n);

	return t == CMARK_NODE_HEADING ||
	       ((t == CMARK_NODE_LINK || t == CMARK_NODE_IMAGE) && !public_url(cmark_node_get_url(n)));
}

/* Headings inside an issue's text would break the page's outline: each
 * becomes a paragraph holding the same inline content. A link or image
 * to anything but a public address becomes its text. */
static int fix_tree(cmark_node *doc)
{
	cmark_node **found, *p, *c;
	size_t nf, i;
	int e = collect(doc, heading_or_private_link, &found, &nf);

	/* innermost last: a link inside a heading is replaced before the heading */
	for (i = nf; i-- > 0 && !e;) {
		if (cmark_node_get_type(found[i]) == CMARK_NODE_HEADING) {
			if (!(p = cmark_node_new(CMARK_NODE_PARAGRAPH))) {
				e = psm_oom();
				break;
			}
			while ((c = cmark_node_first_child(found[i])))
				cmark_node_append_child(p, c);
			cmark_node_replace(found[i], p);
		} else {
			/* the link's text (an image's alt text) in its place */
			while ((c = cmark_node_first_child(found[i])))
				cmark_node_insert_before(found[i], c);
			cmark_node_unlink(found[i]);
		}
		cmark_node_free(found[i]);
	}
	free(found);
	return e;
}

/* t before n, or with n NULL at the end of paragraph p; t freed if not. */
static int put_node(cmark_node *n, cmark_node *p, cmark_node *t)
{
	if (t && (n ? cmark_node_insert_before(n, t) : cmark_node_append_child(p, t)))
		return 1;
	if (t)
		cmark_node_free(t);
	return 0;
}

/*
 * A raw HTML node's literal as text nodes (see put_node), a line break
 * between lines. HTML comments are left out, as cmark's safe mode left
 * them: a team writes notes to itself in them, and the page is public.
 * Lines left blank by that go too.
 */
static int literal_before(cmark_node *n, cmark_node *p, const char *lit)
{
	struct strbuf vis = STRBUF_INIT;
	size_t i, eol, ws, lines = 0;
	cmark_node *t;
	int e = 0;

	psm_cut_html_comments(&vis, lit ? lit : "");
	if (vis.oom)
		e = psm_oom();
	for (i = 0; !e && i < vis.len; i = eol + 1) {
		for (eol = i; eol < vis.len && vis.buf[eol] != '\n'; eol++)
			;
		ws = strspn(vis.buf + i, " \t\r");
		if (i + ws >= eol)
			continue;
		vis.buf[eol] = '\0';
		if (lines++ && !put_node(n, p, cmark_node_new(CMARK_NODE_LINEBREAK))) {
			e = psm_oom();
			break;
		}
		if ((t = cmark_node_new(CMARK_NODE_TEXT)) && !cmark_node_set_literal(t, vis.buf + i)) {
			cmark_node_free(t);
			t = NULL;
		}
		if (!put_node(n, p, t))
			e = psm_oom();
	}
	strbuf_release(&vis);
	return e;
}

/* A formatting tag without attributes (<kbd>, </b>, <br/>): a writer's
 * markup, not words, so it goes as cmark's safe mode had it go, its
 * content staying (2: <br>, a line break). "<Enter>" or "<T>" is not one. */
static int format_tag(const char *lit)
{
	static const char *const tags[] = { "b", "i", "u", "s", "em", "strong", "code", "kbd",
					    "sub", "sup", "small", "mark", "br", NULL };
	size_t i, n;

	if (!lit || *lit++ != '<')
		return 0;
	lit += *lit == '/';
	for (i = 0; tags[i]; i++) {
		n = strlen(tags[i]);
		if (!strncasecmp(lit, tags[i], n) &&
		    (!strcmp(lit + n, ">") || !strcmp(lit + n, "/>") || !strcmp(lit + n, " />")))
			return strcmp(tags[i], "br") ? 1 : 2;
	}
	return 0;
}

static int raw_html(cmark_node *n)
{
	cmark_node_type t = cmark_node_get_type(n);

	return t == CMARK_NODE_HTML_INLINE || t == CMARK_NODE_HTML_BLOCK;
}

/* Every raw HTML node as its text: inline in place, a block as a
 * paragraph of its lines; a formatting tag dropped. */
static int raw_html_as_text(cmark_node *doc)
{
	cmark_node **found, *n, *p;
	size_t nf, i;
	int e = collect(doc, raw_html, &found, &nf), k;

	for (i = 0; i < nf && !e; i++) {
		n = found[i];
		if (cmark_node_get_type(n) == CMARK_NODE_HTML_BLOCK) {
			if (!(p = cmark_node_new(CMARK_NODE_PARAGRAPH))) {
				e = psm_oom();
				break;
			}
			e = literal_before(NULL, p, cmark_node_get_literal(n));
			if (!e && cmark_node_first_child(p) && !cmark_node_replace(n, p))
				e = psm_oom();
			if (e || !cmark_node_first_child(p))
				cmark_node_free(p);
			if (e)
				break;
		} else if ((k = format_tag(cmark_node_get_literal(n))) == 2) {
			if (!put_node(n, NULL, cmark_node_new(CMARK_NODE_LINEBREAK))) {
				e = psm_oom();
				break;
			}
		} else if (!k && (e = literal_before(n, NULL, cmark_node_get_literal(n))) < 0) {
			break;
		}
		cmark_node_unlink(n);
		cmark_node_free(n);
	}
	/* a node not reached (out of memory) is still in the tree and freed with it */
	free(found);
	return e;
}

int psm_markdown_html(struct strbuf *out, const char *md, size_t len)
{
	cmark_node *doc = cmark_parse_document(md, len, CMARK_OPT_DEFAULT);
	char *html = NULL;
	int e;

	if (!doc)
		return psm_oom();
	/* CMARK_OPT_DEFAULT is safe: javascript: and the like links are emptied */
	if ((e = raw_html_as_text(doc)) == 0 && !(html = cmark_render_html(doc, CMARK_OPT_DEFAULT)))
		e = psm_oom();
	if (!e) {
		strbuf_addstr(out, html);
		e = out->oom ? psm_oom() : 0;
	}
	free(html);
	cmark_node_free(doc);
	return e;
}

static int render_md(struct strbuf *out, const char *md, int inline_only)
{
	cmark_node *doc = cmark_parse_document(md, strlen(md), CMARK_OPT_DEFAULT), *first;
	char *html = NULL;
	size_t len;
	int e = 0;

	if (!doc)
		return psm_oom();
	if ((e = raw_html_as_text(doc)) < 0 || (e = fix_tree(doc)) < 0)
		goto out;
	/* CMARK_OPT_DEFAULT is safe: javascript: and the like links are emptied */
	if (!(html = cmark_render_html(doc, CMARK_OPT_DEFAULT))) {
		e = psm_oom();
		goto out;
	}
	len = strlen(html);
	first = cmark_node_first_child(doc);
	/* one paragraph inside a list item: its content alone */
	if (inline_only && first && !cmark_node_next(first) &&
	    cmark_node_get_type(first) == CMARK_NODE_PARAGRAPH && len >= 8 &&
	    !strncmp(html, "<p>", 3) && !strcmp(html + len - 5, "</p>\n"))
		strbuf_add(out, html + 3, len - 8);
	else
		strbuf_add(out, html, len);
	e = out->oom ? psm_oom() : 0;
out:
	free(html);
	cmark_node_free(doc);
	return e;
}

int psm_site_markdown(struct strbuf *out, const char *md)
{
	return render_md(out, md, 0);
}

/* A release note is one paragraph of Markdown: what would open a block at
 * its start (a heading, quote, list, rule, fence) is escaped, so it stays
 * the paragraph psm close wrote. */
int psm_site_note_html(struct strbuf *out, const char *note, int inline_only)
{
	struct strbuf md = STRBUF_INIT;
	size_t digits = strspn(note, "0123456789");
	int e;

	if (strchr("#>-+*=_~`<|", *note) && *note)
		strbuf_addch(&md, '\\');
	else if (digits && (note[digits] == '.' || note[digits] == ')')) {
		strbuf_add(&md, note, digits);
		strbuf_addch(&md, '\\');
		note += digits;
	}
	strbuf_addstr(&md, note);
	e = md.oom ? psm_oom() : render_md(out, md.buf, inline_only);
	strbuf_release(&md);
	return e;
}
