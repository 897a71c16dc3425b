#include "psm/html.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "psm/error.h"

struct conv {
	struct strbuf *out;
	size_t start;       /* where our text begins in out */
	int pending_nl;     /* line breaks owed before the next text (max 2) */
	int pending_space;
	const char *bullet; /* "- " owed before the next text */
	int pre;            /* inside <pre>: white space is kept */
	struct strbuf href; /* the open <a>'s target */
	size_t link_start;  /* where its text begins in out */
};

static const struct { const char *name; unsigned cp; } entities[] = {
	{ "amp", '&' }, { "lt", '<' }, { "gt", '>' }, { "quot", '"' }, { "apos", '\'' },
	{ "nbsp", ' ' }, { "copy", 0xa9 }, { "reg", 0xae }, { "trade", 0x2122 },
	{ "hellip", 0x2026 }, { "mdash", 0x2014 }, { "ndash", 0x2013 },
	{ "lsquo", 0x2018 }, { "rsquo", 0x2019 }, { "ldquo", 0x201c }, { "rdquo", 0x201d },
	{ "laquo", 0xab }, { "raquo", 0xbb }, { "bull", 0x2022 }, { "middot", 0xb7 },
	{ "euro", 0x20ac }, { "pound", 0xa3 }, { "times", 0xd7 }, { "deg", 0xb0 },
	{ "zwnj", 0x200c }, { "zwj", 0x200d }, { "shy", 0xad },
};

static void add_utf8(struct strbuf *sb, unsigned cp)
{
	if (cp == 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		cp = 0xfffd;
	if (cp < 0x80) {
		strbuf_addch(sb, (int)cp);
	} else if (cp < 0x800) {
		strbuf_addch(sb, (int)(0xc0 | cp >> 6));
		strbuf_addch(sb, (int)(0x80 | (cp & 0x3f)));
	} else if (cp < 0x10000) {
		strbuf_addch(sb, (int)(0xe0 | cp >> 12));
		strbuf_addch(sb, (int)(0x80 | (cp >> 6 & 0x3f)));
		strbuf_addch(sb, (int)(0x80 | (cp & 0x3f)));
	} else {
		strbuf_addch(sb, (int)(0xf0 | cp >> 18));
		strbuf_addch(sb, (int)(0x80 | (cp >> 12 & 0x3f)));
		strbuf_addch(sb, (int)(0x80 | (cp >> 6 & 0x3f)));
		strbuf_addch(sb, (int)(0x80 | (cp & 0x3f)));
	}
}

/* s[0] == '&': the code point and the length of the entity, or 0 if none. */
static size_t entity(const char *s, size_t len, unsigned *cp)
{
	size_t i = 1, j;

	if (i < len && s[i] == '#') {
		int hex = i + 1 < len && (s[i + 1] == 'x' || s[i + 1] == 'X');
		unsigned long v = 0;

		for (j = i + 1 + hex; j < len && j < 12 && isxdigit((unsigned char)s[j]); j++) {
			if (!hex && !isdigit((unsigned char)s[j]))
				break;
			v = v * (hex ? 16 : 10) + (unsigned long)(isdigit((unsigned char)s[j]) ? s[j] - '0'
						: (tolower((unsigned char)s[j]) - 'a' + 10));
		}
		if (j == i + 1 + hex)
			return 0;
		*cp = v > 0x10ffff ? 0xfffd : (unsigned)v;
		return j < len && s[j] == ';' ? j + 1 : j;
	}
	for (j = 0; j < sizeof(entities) / sizeof(entities[0]); j++) {
		size_t n = strlen(entities[j].name);

		if (n + 1 < len && !strncmp(s + 1, entities[j].name, n) && s[n + 1] == ';') {
			*cp = entities[j].cp;
			return n + 2;
		}
	}
	return 0;
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
	if (c->bullet) {
		strbuf_addstr(out, c->bullet);
		c->bullet = NULL;
	}
	strbuf_add(out, s, n);
}

static void text(struct conv *c, const char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		unsigned cp;
		size_t n;

		if (s[i] == '&' && (n = entity(s + i, len - i, &cp))) {
			struct strbuf u = STRBUF_INIT;

			add_utf8(&u, cp);
			emit(c, u.buf, u.len);
			strbuf_release(&u);
			i += n;
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

/* The value of attribute `name` in a tag's text, entities decoded. */
static void attr(struct strbuf *out, const char *tag, size_t len, const char *name)
{
	size_t i = 0, nl = strlen(name);

	while (i < len && !isspace((unsigned char)tag[i]))
		i++; /* the tag name */
	while (i < len) {
		size_t ns, ne, vs, ve;

		while (i < len && (isspace((unsigned char)tag[i]) || tag[i] == '/'))
			i++;
		for (ns = i; i < len && !isspace((unsigned char)tag[i]) && tag[i] != '=' && tag[i] != '/'; i++)
			;
		ne = i;
		while (i < len && isspace((unsigned char)tag[i]))
			i++;
		vs = ve = i;
		if (i < len && tag[i] == '=') {
			i++;
			while (i < len && isspace((unsigned char)tag[i]))
				i++;
			if (i < len && (tag[i] == '"' || tag[i] == '\'')) {
				char q = tag[i++];

				for (vs = i; i < len && tag[i] != q; i++)
					;
				ve = i++;
			} else {
				for (vs = i; i < len && !isspace((unsigned char)tag[i]); i++)
					;
				ve = i;
			}
		}
		if (ne == ns && i == ns)
			break;
		if (ne - ns == nl && !strncasecmp(tag + ns, name, nl)) {
			struct conv sub = { out, out->len, 0, 0, NULL, 1, STRBUF_INIT, 0 };

			text(&sub, tag + vs, ve - vs);
			return;
		}
	}
}

static int is(const char *name, size_t n, const char *list)
{
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

/* One tag's text between < and >; returns where to continue. */
static size_t tag(struct conv *c, const char *html, size_t len, size_t i)
{
	size_t start = i + 1, end, n;
	const char *name;
	int closing;

	end = start;
	while (end < len && html[end] != '>')
		end++;
	closing = start < end && html[start] == '/';
	name = html + start + closing;
	for (n = 0; name + n < html + end && (isalnum((unsigned char)name[n])); n++)
		;
	if (is(name, n, "script style head title") && !closing) {
		/* skip to the matching end tag */
		size_t j;

		for (j = end; j + n + 2 < len; j++)
			if (html[j] == '<' && html[j + 1] == '/' && !strncasecmp(html + j + 2, name, n))
				break;
		while (j < len && html[j] != '>')
			j++;
		return j < len ? j + 1 : len;
	}
	if (is(name, n, "br")) {
		if (c->out->len > c->start)
			emit(c, "\n", 1);
	} else if (is(name, n, "p h1 h2 h3 h4 h5 h6 ul ol table blockquote pre hr dl")) {
		brk(c, 2);
		if (is(name, n, "pre"))
			c->pre = !closing;
	} else if (is(name, n, "div tr dt dd section article header footer address form center")) {
		brk(c, 1);
	} else if (is(name, n, "li")) {
		brk(c, 1);
		if (!closing)
			c->bullet = "- ";
	} else if (is(name, n, "td th")) {
		c->pending_space = 1;
	} else if (is(name, n, "a")) {
		if (closing) {
			close_link(c);
		} else {
			strbuf_reset(&c->href);
			attr(&c->href, html + start, end - start, "href");
			c->link_start = c->out->len;
		}
	}
	return end < len ? end + 1 : len;
}

int psm_html_to_text(struct strbuf *out, const char *html, size_t len)
{
	struct conv c = { out, out->len, 0, 0, NULL, 0, STRBUF_INIT, 0 };
	size_t i = 0, t;

	while (i < len) {
		if (html[i] != '<') {
			for (t = i; t < len && html[t] != '<'; t++)
				;
			text(&c, html + i, t - i);
			i = t;
		} else if (i + 3 < len && !strncmp(html + i, "<!--", 4)) {
			const char *e = NULL;
			size_t k;

			for (k = i + 4; k + 2 < len; k++)
				if (!strncmp(html + k, "-->", 3)) {
					e = html + k;
					break;
				}
			i = e ? (size_t)(e - html) + 3 : len;
		} else if (i + 1 < len && (html[i + 1] == '!' || html[i + 1] == '?')) {
			while (i < len && html[i] != '>')
				i++;
			i += i < len;
		} else if (i + 1 < len && (isalpha((unsigned char)html[i + 1]) || html[i + 1] == '/')) {
			i = tag(&c, html, len, i);
		} else {
			text(&c, html + i, 1); /* a lone '<' */
			i++;
		}
	}
	t = out->len;
	while (t > c.start && isspace((unsigned char)out->buf[t - 1]))
		t--;
	strbuf_setlen(out, t);
	if (out->len > c.start)
		strbuf_addch(out, '\n');
	strbuf_release(&c.href);
	return out->oom ? psm_oom() : 0;
}
