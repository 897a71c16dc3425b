/*
 * A reply without the message it quotes (email.h). Mail programs put the
 * whole thread under every reply ("On Thu, ... Mo wrote:" and "> " lines,
 * or Outlook's separator and header block); threaded into an issue, each
 * reply would carry the timeline again, the team's follow-up included.
 * Only a quote that ends the text goes, and only when nothing the sender
 * wrote is inside or after it: a reply written between the quoted lines
 * stays whole, as does a text that would be left empty.
 */
#include "psm/email.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "email-int.h"
#include "psm/error.h"

struct line {
	const char *s; /* without leading and trailing white space */
	size_t len;
	size_t start;  /* offset of the raw line in the text */
};

static int ends_with(const char *s, size_t len, const char *tail)
{
	size_t n = strlen(tail);

	return len >= n && !strncasecmp(s + len - n, tail, n);
}

static int has_word(const char *s, size_t len, const char *w)
{
	size_t n = strlen(w), i;

	for (i = 0; i + n <= len; i++)
		if (!strncasecmp(s + i, w, n))
			return 1;
	return 0;
}

/* "On Thu, 3 Dec 2026, Mo <mo@x> wrote:" and its translations: what the
 * mail programs put above the quote (Gmail, Apple Mail, Thunderbird). */
static int is_attribution(const char *s, size_t len)
{
	static const char *const verb_last[] = {
		"wrote:", "a écrit :", "a écrit:", "escribió:", "ha scritto:", "escreveu:",
		"napisał(a):", "kirjoitti:", NULL
	};
	/* the name comes after the verb: "Am 3. Dez. schrieb Mo <mo@x>:" */
	static const char *const verb_inside[] = { " schrieb ", " schreef ", " skrev ", NULL };
	size_t i;

	if (len < 6 || len > 400 || s[len - 1] != ':')
		return 0;
	for (i = 0; verb_last[i]; i++)
		if (ends_with(s, len, verb_last[i]))
			return 1;
	for (i = 0; verb_inside[i]; i++)
		if (has_word(s, len, verb_inside[i]))
			return 1;
	return 0;
}

/* Outlook's line above the old message: underscores, or
 * "-----Original Message-----" in a few languages. */
static int is_separator(const char *s, size_t len)
{
	static const char *const words[] = {
		"original message", "ursprüngliche nachricht", "message d'origine",
		"mensaje original", "messaggio originale", "oorspronkelijk bericht", NULL
	};
	size_t i, unders = 0;

	for (i = 0; i < len && s[i] == '_'; i++)
		unders++;
	if (unders >= 10 && unders == len)
		return 1;
	if (len < 10 || strncmp(s, "-----", 5) || !ends_with(s, len, "-----"))
		return 0;
	for (i = 0; words[i]; i++)
		if (len == strlen(words[i]) + 10 && !strncasecmp(s + 5, words[i], len - 10))
			return 1;
	return 0;
}

/* The header line under Outlook's separator: "From:" and its translations. */
static int is_from_header(const char *s, size_t len)
{
	const char *colon;

	while (len && *s == '*') /* *From:* in a page made text */
		s++, len--;
	/* the text need not end in a NUL: look no further than the line */
	colon = memchr(s, ':', len);
	return colon && psm_mail__from_key(s, (size_t)(colon - s));
}

static int split(struct line **out, size_t *n, const char *text, size_t len)
{
	const char *p = text, *end = text + len;
	struct line *v = NULL;
	size_t alloc = 0;

	*n = 0;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *s = p, *e;

		if (!nl)
			nl = end;
		for (e = nl; e > s && isspace((unsigned char)e[-1]); e--)
			;
		while (s < e && isspace((unsigned char)*s))
			s++;
		if (*n == alloc) {
			struct line *nv = realloc(v, (alloc = alloc ? 2 * alloc : 64) * sizeof(*v));

			if (!nv) {
				free(v);
				return psm_oom();
			}
			v = nv;
		}
		v[*n].s = s;
		v[*n].len = (size_t)(e - s);
		v[(*n)++].start = (size_t)(p - text);
		p = nl + (nl < end);
	}
	*out = v;
	return 0;
}

/* Where the trailing quote starts (its first line), or n for none. */
static size_t quote_start(const struct line *l, size_t n)
{
	size_t i, j, k;

	for (i = 0; i < n; i++) {
		if (is_separator(l[i].s, l[i].len)) {
			for (j = i + 1; j < n && !l[j].len; j++)
				;
			if (j < n && is_from_header(l[j].s, l[j].len))
				return i;
			continue;
		}
		/* an attribution of up to three lines (Gmail wraps it) */
		for (k = 0; k < 3 && i + k < n && l[i + k].len && l[i + k].s[0] != '>'; k++) {
			size_t len = (size_t)(l[i + k].s + l[i + k].len - l[i].s);
			int quoted = 0;

			if (!is_attribution(l[i].s, len))
				continue;
			for (j = i + k + 1; j < n; j++) {
				if (l[j].len && l[j].s[0] != '>')
					break;
				quoted |= l[j].len != 0;
			}
			if (j == n && quoted)
				return i;
		}
	}
	return n;
}

int psm_mail_reply_text(struct strbuf *out, size_t *dropped, const char *text, size_t len)
{
	struct line *l = NULL;
	size_t n, q, keep, i;
	int r;

	*dropped = 0;
	if ((r = split(&l, &n, text, len)) < 0)
		return r;
	q = quote_start(l, n);
	for (keep = q; keep > 0 && !l[keep - 1].len; keep--)
		;
	if (q < n && keep > 0) { /* something of the sender's own stays */
		const char *e = l[keep - 1].s + l[keep - 1].len;

		for (i = q; i < n; i++)
			*dropped += l[i].len != 0;
		strbuf_add(out, text, (size_t)(e - text));
		strbuf_addch(out, '\n');
	} else {
		strbuf_add(out, text, len);
	}
	free(l);
	return out->oom ? psm_oom() : 0;
}
