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
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/parserInternals.h>

#include "psm/dl.h"
#include "psm/error.h"

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
};

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
	} else if (is(name, "p h1 h2 h3 h4 h5 h6 ul ol table blockquote pre hr dl")) {
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

int psm_html_to_text(struct strbuf *out, const char *html, size_t len)
{
	struct conv c = { out, out->len, 0, 0, NULL, 0, 0, STRBUF_INIT, 0 };
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
	t = out->len;
	while (t > c.start && isspace((unsigned char)out->buf[t - 1]))
		t--;
	strbuf_setlen(out, t);
	if (out->len > c.start)
		strbuf_addch(out, '\n');
	strbuf_release(&c.href);
	return out->oom ? psm_oom() : 0;
}
