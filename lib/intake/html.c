/*
 * HTML to text (html.h) on libxml2's HTML parser, which knows HTML's
 * entities and mends broken markup as browsers do. It is read through the
 * parser's SAX events, with no tree: building one costs time quadratic in
 * the nesting (300,000 nested tags, a 1.2 MB mail, took 8 s; the events
 * take 0.15 s) and stops, dropping the rest of the text, at depth 256
 * unless told XML_PARSE_HUGE.
 */
#include "psm/html.h"

#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/parserInternals.h>

#include "psm/dl.h"
#include "psm/error.h"
#include "psm/grow.h"

/*
 * libxml2 is loaded on first use, not linked (psm/dl.h): it and ICU cost
 * every psm process about 4 ms before main, and only an HTML-only e-mail
 * needs it. The macros after the table send libxml2's names through it.
 */
#define XML_FUNCS(X, t) \
	X(t, htmlCreateMemoryParserCtxt) \
	X(t, htmlCtxtUseOptions) \
	X(t, htmlFreeParserCtxt) \
	X(t, htmlParseDocument) \
	X(t, xmlFindCharEncodingHandler) \
	X(t, xmlInitParser) \
	X(t, xmlStrdup) \
	X(t, xmlSwitchToEncoding)

PSM_DL_TABLE(xml, XML_FUNCS);

static struct psm_dl libxml2 = {
	.what = "libxml2",
	.soname = PSM_LIBXML2_SONAME,
	.hint = "an HTML-only e-mail needs it: install libxml2",
	.syms = xml_syms,
	.nsyms = sizeof(xml_syms) / sizeof(xml_syms[0]),
	.init = NULL,
};

#define htmlCreateMemoryParserCtxt(...) (xml.htmlCreateMemoryParserCtxt(__VA_ARGS__))
#define htmlCtxtUseOptions(...) (xml.htmlCtxtUseOptions(__VA_ARGS__))
#define htmlFreeParserCtxt(...) (xml.htmlFreeParserCtxt(__VA_ARGS__))
#define htmlParseDocument(...) (xml.htmlParseDocument(__VA_ARGS__))
#define xmlFindCharEncodingHandler(...) (xml.xmlFindCharEncodingHandler(__VA_ARGS__))
#define xmlInitParser(...) (xml.xmlInitParser(__VA_ARGS__))
#define xmlStrdup(...) (xml.xmlStrdup(__VA_ARGS__))
#define xmlSwitchToEncoding(...) (xml.xmlSwitchToEncoding(__VA_ARGS__))

struct conv {
	struct strbuf *out;
	size_t start;       /* where our text begins in out */
	int pending_nl;     /* line breaks owed before the next text (max 2) */
	int pending_space;
	const char *bullet; /* "- " owed before the next text */
	int pre;            /* inside <pre>: white space is kept */
	int skip;           /* inside script, style, head or title */
	struct strbuf href; /* the open <a>'s target */
	size_t link_start;  /* where its text begins in out */
	/* <blockquote>s: the open ones' text starts (NO_TEXT until some
	 * comes), and where each with text started and ended, in order */
	size_t *open, nopen, aopen;
	size_t *starts, nstarts, astarts, *ends, nends, aends;
	int oom;
};

#define NO_TEXT ((size_t)-1)

static void push_offset(struct conv *c, size_t **v, size_t *n, size_t *alloc, size_t off)
{
	size_t *nv = psm_grow(*v, *n, alloc, sizeof(**v), 16);

	if (!nv) {
		c->oom = 1;
		return;
	}
	*v = nv;
	nv[(*n)++] = off;
}

/* Append raw characters, after the breaks and spaces owed. */
static void emit(struct conv *c, const char *s, size_t n)
{
	struct strbuf *out = c->out;

	if (out->len > c->start) {
		int have = 0;

		while (have < 2 && out->len - have > c->start && out->buf[out->len - 1 - have] == '\n')
			have++;
		for (; have < c->pending_nl; have++)
			strbuf_addch(out, '\n');
		if (!c->pending_nl && c->pending_space && out->buf[out->len - 1] != '\n' &&
		    out->buf[out->len - 1] != ' ')
			strbuf_addch(out, ' ');
	}
	c->pending_nl = c->pending_space = 0;
	/* the quotes waiting for text start here, after the breaks */
	while (c->nopen && c->open[c->nopen - 1] == NO_TEXT) {
		size_t i = c->nopen;

		while (i && c->open[i - 1] == NO_TEXT)
			c->open[--i] = out->len;
		for (; i < c->nopen; i++)
			push_offset(c, &c->starts, &c->nstarts, &c->astarts, out->len);
	}
	if (c->bullet) {
		strbuf_addstr(out, c->bullet);
		c->bullet = NULL;
	}
	strbuf_add(out, s, n);
}

/* Text, entities already decoded: white space collapses outside <pre>; a
 * no-break space (&nbsp;) is a space that does not. */
static void text(struct conv *c, const char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		if (i + 1 < len && (unsigned char)s[i] == 0xc2 && (unsigned char)s[i + 1] == 0xa0) {
			emit(c, " ", 1);
			i += 2;
		} else if (c->pre && s[i] == '\n') {
			emit(c, "\n", 1);
			i++;
		} else if (!c->pre && isspace((unsigned char)s[i])) {
			c->pending_space = 1;
			i++;
		} else {
			emit(c, s + i, 1);
			i++;
		}
	}
}

static void brk(struct conv *c, int n)
{
	if (n > c->pending_nl)
		c->pending_nl = n;
	c->pending_space = 0;
}

static int is(const char *name, const char *list)
{
	size_t n = strlen(name);
	const char *p = list;

	while (*p) {
		size_t l = strcspn(p, " ");

		if (l == n && !strncasecmp(p, name, n))
			return 1;
		p += l + (p[l] == ' ');
	}
	return 0;
}

static void close_link(struct conv *c)
{
	struct strbuf *out = c->out;
	const char *h = c->href.buf;

	if (c->href.len && strncasecmp(h, "javascript:", 11) && h[0] != '#' &&
	    (out->len - c->link_start != c->href.len ||
	     memcmp(out->buf + c->link_start, h, c->href.len)) &&
	    !(!strncasecmp(h, "mailto:", 7) && out->len - c->link_start == c->href.len - 7 &&
	      !memcmp(out->buf + c->link_start, h + 7, c->href.len - 7))) {
		emit(c, " (", 2);
		emit(c, h, c->href.len);
		emit(c, ")", 1);
	}
	strbuf_reset(&c->href);
}

#define SKIPPED "script style head title"

/* An element starts (closing 0) or ends (1). */
static void tag(struct conv *c, const char *name, int closing, const xmlChar **attrs)
{
	if (is(name, SKIPPED)) {
		c->skip += closing ? (c->skip > 0 ? -1 : 0) : 1;
		return;
	}
	if (c->skip)
		return;
	if (is(name, "br")) {
		if (!closing && c->out->len > c->start)
			emit(c, "\n", 1);
	} else if (is(name, "blockquote")) {
		brk(c, 2);
		if (!closing) {
			push_offset(c, &c->open, &c->nopen, &c->aopen, NO_TEXT);
		} else if (c->nopen && c->open[--c->nopen] != NO_TEXT) {
			push_offset(c, &c->ends, &c->nends, &c->aends, c->out->len);
		}
	} else if (is(name, "hr")) {
		/* the rule a mail program puts above the message it quotes, as
		 * their text parts write it (and Markdown reads a rule) */
		brk(c, 2);
		if (!closing) {
			emit(c, "________________________________", 32);
			brk(c, 2);
		}
	} else if (is(name, "p h1 h2 h3 h4 h5 h6 ul ol table pre dl")) {
		brk(c, 2);
		if (is(name, "pre"))
			c->pre = !closing;
	} else if (is(name, "div tr dt dd section article header footer address form center")) {
		brk(c, 1);
	} else if (is(name, "li")) {
		brk(c, 1);
		if (!closing)
			c->bullet = "- ";
	} else if (is(name, "td th")) {
		c->pending_space = 1;
	} else if (is(name, "a")) {
		if (closing) {
			close_link(c);
			return;
		}
		strbuf_reset(&c->href);
		for (; attrs && attrs[0]; attrs += 2)
			if (!strcasecmp((const char *)attrs[0], "href") && attrs[1])
				strbuf_addstr(&c->href, (const char *)attrs[1]);
		c->link_start = c->out->len;
	}
}

static void on_start(void *ctx, const xmlChar *name, const xmlChar **attrs)
{
	tag(((htmlParserCtxtPtr)ctx)->_private, (const char *)name, 0, attrs);
}

static void on_end(void *ctx, const xmlChar *name)
{
	tag(((htmlParserCtxtPtr)ctx)->_private, (const char *)name, 1, NULL);
}

static void on_text(void *ctx, const xmlChar *s, int len)
{
	struct conv *c = ((htmlParserCtxtPtr)ctx)->_private;

	if (!c->skip && len > 0)
		text(c, (const char *)s, (size_t)len);
}

/* The parser's complaints about broken markup: mended, not reported. */
static void on_error(void *ctx, const char *msg, ...)
{
}

static void on_serror(void *ctx, xmlErrorPtr err)
{
}

/*
 * Every line of the text inside a <blockquote> gets "> " for each quote
 * it is in (at most QUOTE_MAX): a quoted message reads as one, in the
 * Markdown the body is, and a reply's quote of the thread is told apart
 * (psm_mail_reply_text) as in a text part. The offsets are ascending, so
 * one pass finds each line's depth.
 */
#define QUOTE_MAX 8

static void add_quote_marks(struct conv *c)
{
	struct strbuf *out = c->out, res = STRBUF_INIT;
	size_t p = c->start, s = 0, e = 0, depth, k;
	int blank;

	if (!c->nstarts)
		return;
	while (c->nends < c->nstarts && !c->oom) /* left open at the end */
		push_offset(c, &c->ends, &c->nends, &c->aends, out->len);
	while (p < out->len && !c->oom) {
		const char *nl = memchr(out->buf + p, '\n', out->len - p);
		size_t q = nl ? (size_t)(nl - out->buf) + 1 : out->len;

		while (s < c->nstarts && c->starts[s] <= p)
			s++;
		while (e < c->nends && c->ends[e] <= p)
			e++;
		depth = s - e > QUOTE_MAX ? QUOTE_MAX : s - e;
		blank = q - p == (nl ? 1u : 0u);
		for (k = 0; k < depth; k++) /* a blank line's last mark: no space after */
			strbuf_addstr(&res, !blank || k + 1 < depth ? "> " : ">");
		strbuf_add(&res, out->buf + p, q - p);
		p = q;
	}
	if (res.oom || c->oom) {
		c->oom = 1;
	} else {
		strbuf_setlen(out, c->start);
		strbuf_addbuf(out, &res);
	}
	strbuf_release(&res);
}

int psm_html_to_text(struct strbuf *out, const char *html, size_t len)
{
	struct conv c = { out, out->len, 0, 0, NULL, 0, 0, STRBUF_INIT, 0,
			  NULL, 0, 0, NULL, 0, 0, NULL, 0, 0, 0 };
	xmlCharEncodingHandlerPtr utf8;
	htmlParserCtxtPtr ctxt;
	htmlSAXHandler *sax;
	size_t t;

	if (!len)
		return 0;
	if (len > INT_MAX)
		return psm_error(PSM_EINVALID, "an HTML text over 2 GiB");
	if (psm_dl_load(&libxml2) < 0)
		return PSM_ERROR;
	xmlInitParser();
	if (!(ctxt = htmlCreateMemoryParserCtxt(html, (int)len)))
		return psm_oom();
	/* HUGE: none of libxml2's size limits drops a customer's text. */
	htmlCtxtUseOptions(ctxt, HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
				 HTML_PARSE_NONET | XML_PARSE_HUGE);
	/* The caller made the text UTF-8: a <meta charset> cannot say otherwise. */
	if ((utf8 = xmlFindCharEncodingHandler("UTF-8")))
		xmlSwitchToEncoding(ctxt, utf8);
	if (!ctxt->input->encoding)
		ctxt->input->encoding = xmlStrdup(BAD_CAST "UTF-8");
	sax = ctxt->sax;
	memset(sax, 0, sizeof(*sax));
	sax->initialized = XML_SAX2_MAGIC;
	sax->startElement = on_start;
	sax->endElement = on_end;
	sax->characters = sax->ignorableWhitespace = sax->cdataBlock = on_text;
	sax->warning = sax->error = sax->fatalError = on_error;
	sax->serror = on_serror;
	ctxt->userData = ctxt;
	ctxt->_private = &c;
	htmlParseDocument(ctxt);
	htmlFreeParserCtxt(ctxt);
	add_quote_marks(&c);
	free(c.open);
	free(c.starts);
	free(c.ends);
	if (c.oom)
		out->oom = 1;
	t = out->len;
	while (t > c.start && isspace((unsigned char)out->buf[t - 1]))
		t--;
	strbuf_setlen(out, t);
	if (out->len > c.start)
		strbuf_addch(out, '\n');
	strbuf_release(&c.href);
	return out->oom ? psm_oom() : 0;
}
