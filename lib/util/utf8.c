/*
 * UTF-8: the one decoder psm has (utf8.h), and what is built on it: text
 * made safe for a terminal, and its width in columns.
 */
#include "psm/utf8.h"

#include <wchar.h>

#include "psm/error.h"

size_t psm_utf8_decode(const char *str, size_t len, unsigned *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n, i;
	unsigned c = s[0], min;

	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if ((c & 0xe0) == 0xc0) {
		n = 2, c &= 0x1f, min = 0x80;
	} else if ((c & 0xf0) == 0xe0) {
		n = 3, c &= 0x0f, min = 0x800;
	} else if ((c & 0xf8) == 0xf0) {
		n = 4, c &= 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (n > len)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

int psm_utf8_valid(const char *s, size_t len)
{
	size_t i = 0, n;
	unsigned cp;

	for (; i < len; i += n)
		if (!(n = psm_utf8_decode(s + i, len - i, &cp)))
			return 0;
	return 1;
}

/* Skip an escape sequence starting at s[0] == ESC (or a C1 introducer). */
static size_t skip_escape(const unsigned char *s, size_t len, unsigned intro)
{
	size_t i = intro == 0x1b ? 1 : 0;
	unsigned kind = intro;

	if (intro == 0x1b) {
		if (i >= len)
			return 1;
		kind = s[i] == '[' ? 0x9b : s[i] == ']' ? 0x9d :
		       (s[i] == 'P' || s[i] == 'X' || s[i] == '^' || s[i] == '_') ? 0x90 : 0;
		if (!kind) {
			/* ESC, intermediates (0x20-0x2f) and a final byte
			 * (0x30-0x7e), as "ESC ( B"; never a following
			 * character's lead byte */
			while (i < len && s[i] >= 0x20 && s[i] <= 0x2f)
				i++;
			if (i < len && s[i] >= 0x30 && s[i] <= 0x7e)
				i++;
			return i;
		}
		i++;
	}
	if (kind == 0x9b) { /* CSI: parameters and intermediates, then a final byte */
		while (i < len && s[i] >= 0x20 && s[i] <= 0x3f)
			i++;
		if (i < len && s[i] >= 0x40 && s[i] <= 0x7e)
			i++;
		return i;
	}
	/* OSC, DCS, SOS, PM, APC: up to BEL or ST (ESC \ or 0x9c) */
	while (i < len) {
		if (s[i] == 0x07)
			return i + 1;
		if (s[i] == 0x1b && i + 1 < len && s[i + 1] == '\\')
			return i + 2;
		if (s[i] == 0xc2 && i + 1 < len && s[i + 1] == 0x9c)
			return i + 2;
		i++;
	}
	return i;
}

static int is_bidi_control(unsigned cp)
{
	return (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) ||
	       cp == 0x200e || cp == 0x200f || cp == 0x061c;
}

int psm_sanitize(struct strbuf *out, const char *str, size_t len, int keep_newlines)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	while (i < len) {
		unsigned cp;
		size_t n, run = i;

		/* printable ASCII (and kept newlines) stays as it is: copied a
		 * run at a time, not decoded a character at a time */
		while (run < len && ((s[run] >= 0x20 && s[run] < 0x7f) ||
				     (s[run] == '\n' && keep_newlines)))
			run++;
		if (run > i) {
			strbuf_add(out, str + i, run - i);
			i = run;
			continue;
		}
		n = psm_utf8_decode(str + i, len - i, &cp);
		if (!n) {
			strbuf_addstr(out, "\xef\xbf\xbd");
			i++;
		} else if (cp == 0x1b || cp == 0x9b || cp == 0x9d || cp == 0x90 || cp == 0x98 ||
			   cp == 0x9e || cp == 0x9f) {
			size_t skip = cp == 0x1b ? skip_escape(s + i, len - i, 0x1b)
						 : n + skip_escape(s + i + n, len - i - n, cp);
			i += skip ? skip : n;
		} else if ((cp == '\n' || cp == '\t') && keep_newlines) {
			strbuf_addch(out, (int)cp);
			i += n;
		} else if (cp == '\t') {
			strbuf_addch(out, ' ');
			i += n;
		} else if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0) ||
			   is_bidi_control(cp) || cp == 0x2028 || cp == 0x2029) {
			if (cp != '\r')
				strbuf_addstr(out, "\xef\xbf\xbd");
			i += n;
		} else {
			strbuf_add(out, s + i, n);
			i += n;
		}
	}
	return out->oom ? psm_oom() : 0;
}

int psm_one_line(struct strbuf *out, const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, start = out->len;
	int space = 0;

	while (i < len) {
		unsigned cp = s[i];
		size_t n = 1;

		if (s[i] >= 0x80 && !(n = psm_utf8_decode(str + i, len - i, &cp)))
			n = 1, cp = 0xfffd; /* kept as it is, not ours to judge */
		if (cp == 0x1b) {
			i += skip_escape(s + i, len - i, 0x1b);
			continue;
		}
		if (cp == 0x9b || cp == 0x9d || cp == 0x90 || cp == 0x98 || cp == 0x9e ||
		    cp == 0x9f) {
			i += n + skip_escape(s + i + n, len - i - n, cp);
			continue;
		}
		if (cp <= 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0) || cp == 0x2028 ||
		    cp == 0x2029) {
			space = out->len > start;
			i += n;
			continue;
		}
		if (space)
			strbuf_addch(out, ' ');
		space = 0;
		strbuf_add(out, str + i, n);
		i += n;
	}
	return out->oom ? psm_oom() : 0;
}

static int cp_width(unsigned cp)
{
	int w;

	/* wcwidth needs a UTF-8 locale; fall back to the wide ranges. */
	w = wcwidth((wchar_t)cp);
	if (w >= 0)
		return w;
	if ((cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) ||
	    (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) ||
	    (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
	    (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x1f300 && cp <= 0x1faff) ||
	    (cp >= 0x20000 && cp <= 0x3fffd))
		return 2;
	return 1;
}

/* Walk s, adding column widths, until the text or `width` runs out. */
static size_t measure(const char *str, size_t len, size_t width, size_t *cols)
{
	size_t i = 0, w = 0;

	while (i < len) {
		unsigned cp;
		size_t n = psm_utf8_decode(str + i, len - i, &cp);
		int cw;

		if (!n) {
			n = 1;
			cp = '?';
		}
		cw = cp_width(cp);
		if (w + (size_t)cw > width)
			break;
		w += (size_t)cw;
		i += n;
	}
	*cols = w;
	return i;
}

size_t psm_display_width(const char *s, size_t len)
{
	size_t cols;

	measure(s, len, (size_t)-1, &cols);
	return cols;
}

size_t psm_fit_width(const char *s, size_t len, size_t width)
{
	size_t cols;

	return measure(s, len, width, &cols);
}
