/*
 * Who wrote a message the team forwarded inline: the From: line of the
 * forwarded-message block mail programs put in the text (email.h).
 */
#include "psm/email.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "email-int.h"
#include "psm/error.h"
#include "psm/utf8.h"

/* The words of a separator line ("---------- Forwarded message ---------",
 * "-----Original Message-----", "Begin forwarded message:"), or a line of
 * underscores (Outlook): is it one that opens a forwarded block? */
static int opens_block(const char *p, size_t len)
{
	struct strbuf words = STRBUF_INIT;
	size_t i, dashes = 0, unders = 0;
	int yes = 0;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)p[i];

		if (c == '-')
			dashes++;
		else if (c == '_')
			unders++;
		else if (isalpha(c))
			strbuf_addch(&words, (char)tolower(c));
		else if (c == ' ' || c == '\t' || c == ':') {
			if (words.len && words.buf[words.len - 1] != ' ')
				strbuf_addch(&words, ' ');
		} else {
			goto out; /* other characters: prose, not a separator */
		}
	}
	strbuf_rtrim(&words);
	if (!words.len)
		yes = unders >= 10 && !dashes;
	else if (dashes >= 4)
		yes = !strcmp(words.buf, "forwarded message") || !strcmp(words.buf, "original message");
	else
		yes = !strcmp(words.buf, "begin forwarded message");
out:
	strbuf_release(&words);
	return yes;
}

/* "From: Name <addr>" (or "*From:* ..." from a page made text, or an
 * Outlook "Name [mailto:addr]", or a bare address): name and address. */
static int parse_from(char **name, char **email, const char *v, size_t len)
{
	const char *lt, *gt, *end = v + len, *a, *b, *n_end;
	struct strbuf nm = STRBUF_INIT;

	if ((lt = memchr(v, '<', len)) && (gt = memchr(lt, '>', (size_t)(end - lt)))) {
		a = lt + 1, b = gt, n_end = lt;
	} else if ((lt = strstr(v, "[mailto:")) && lt < end && (gt = memchr(lt, ']', (size_t)(end - lt)))) {
		a = lt + 8, b = gt, n_end = lt;
	} else {
		a = v, b = end, n_end = v;
	}
	while (a < b && isspace((unsigned char)*a))
		a++;
	while (b > a && isspace((unsigned char)b[-1]))
		b--;
	if (b - a > 254)
		return 0;
	if (!(*email = psm_strndup(a, (size_t)(b - a))))
		return psm_oom();
	if (!psm_mail_address_ok(*email)) { /* not one plain address */
		free(*email);
		*email = NULL;
		return 0;
	}
	while (n_end > v && (isspace((unsigned char)n_end[-1]) || n_end[-1] == '"'))
		n_end--;
	while (v < n_end && (isspace((unsigned char)*v) || *v == '"'))
		v++;
	if ((n_end > v && psm_one_line(&nm, v, (size_t)(n_end - v)) < 0) ||
	    (nm.len && !(*name = strbuf_detach(&nm, NULL)))) {
		free(*email);
		*email = NULL;
		strbuf_release(&nm);
		return psm_oom();
	}
	strbuf_release(&nm);
	return 1;
}

int psm_mail__from_key(const char *key, size_t len)
{
	static const char *const from[] = { "from", "von", "de", "van", "da", "fr\xc3\xa5n", NULL };
	size_t i;

	for (i = 0; from[i]; i++)
		if (len == strlen(from[i]) && !strncasecmp(key, from[i], len))
			return 1;
	return 0;
}

int psm_mail_forwarded_from(char **name, char **email, const struct psm_mail *m)
{
	const char *p = m->body.buf, *end = p + m->body.len, *nl;
	int in_block = 0, headers = 0, lines = 0;

	*name = *email = NULL;
	for (; p < end; p = nl + 1) {
		const char *s = p, *e;
		size_t klen;

		if (!(nl = memchr(p, '\n', (size_t)(end - p))))
			nl = end;
		for (e = nl; e > s && isspace((unsigned char)e[-1]); e--)
			;
		while (s < e && isspace((unsigned char)*s))
			s++;
		if (!in_block) {
			in_block = opens_block(s, (size_t)(e - s));
			continue;
		}
		if (s == e) { /* blank: before the headers, or after them */
			if (headers)
				return 0;
			continue;
		}
		if (++lines > 12)
			return 0;
		while (s < e && *s == '*')
			s++;
		klen = strcspn(s, ":\n");
		if (s + klen >= e)
			return 0; /* not a header line: the forwarded text itself */
		headers++;
		if (psm_mail__from_key(s, klen)) {
			s += klen + 1;
			while (s < e && *s == '*')
				s++;
			return parse_from(name, email, s, (size_t)(e - s));
		}
	}
	return 0;
}
