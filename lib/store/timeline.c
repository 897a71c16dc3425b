/*
 * Entries of the `## Timeline` section (docs/hacking.md): each starts with a
 * "### <RFC 3339 time> <kind> — <who>" line and runs to the next one or
 * the section's end. Entry texts went through psm_body_quote(), so none of
 * their lines starts with '#'.
 */
#include "psm/timeline.h"

#include <string.h>

#include "psm/body.h"
#include "psm/error.h"
#include "psm/time.h"

#define REF_OPEN "<!-- psm-ref: "
#define REF_CLOSE " -->"
#define TO_OPEN "<!-- psm-to: "
#define QUOTE_OPEN "<!-- psm-quote: "

/* Is the line at s (len bytes) an entry heading? Its time in *time. */
static int heading(const char *s, size_t len, const char **time, size_t *tlen)
{
	const char *sp;

	if (len < 5 || strncmp(s, "### ", 4))
		return 0;
	*time = s + 4;
	sp = memchr(*time, ' ', len - 4);
	*tlen = sp ? (size_t)(sp - *time) : len - 4;
	return *tlen > 0;
}

int psm_timeline_next(const struct strbuf *body, size_t *pos, struct psm_timeline_entry *e)
{
	size_t head, content, end, p;

	if (!*pos) { /* the section is found once; e carries its end along */
		if (!psm_body_find(body, "Timeline", &head, &content, &e->section_end))
			return 0;
		*pos = content;
	}
	end = e->section_end;
	for (p = *pos; p < end;) {
		const char *s = body->buf + p, *nl = memchr(s, '\n', end - p);
		size_t l = nl ? (size_t)(nl - s) : end - p;

		if (heading(s, l, &e->time, &e->time_len)) {
			size_t q = p + l + (nl != NULL);

			e->start = p;
			e->heading_len = l;
			/* to the next heading or the section's end */
			while (q < end) {
				const char *t, *n2 = memchr(body->buf + q, '\n', end - q);
				size_t l2 = n2 ? (size_t)(n2 - body->buf - q) : end - q, tl;

				if (heading(body->buf + q, l2, &t, &tl))
					break;
				q += l2 + (n2 != NULL);
			}
			e->end = q;
			*pos = q;
			return 1;
		}
		p += l + (nl != NULL);
	}
	*pos = end;
	return 0;
}

int psm_timeline_ref(struct strbuf *ref, const struct strbuf *body,
		     const struct psm_timeline_entry *e)
{
	const char *p = body->buf + e->start, *stop = body->buf + e->end, *q, *close;

	for (; (q = memchr(p, '<', (size_t)(stop - p))); p = q + 1) {
		const char *eol;

		if ((size_t)(stop - q) < strlen(REF_OPEN) || strncmp(q, REF_OPEN, strlen(REF_OPEN)))
			continue;
		q += strlen(REF_OPEN);
		/* the marker is one line: look for its end on this line only */
		eol = memchr(q, '\n', (size_t)(stop - q));
		if (!eol)
			eol = stop;
		for (close = q; close + strlen(REF_CLOSE) <= eol &&
				strncmp(close, REF_CLOSE, strlen(REF_CLOSE)); close++)
			;
		if (close + strlen(REF_CLOSE) > eol)
			continue;
		strbuf_reset(ref);
		strbuf_add(ref, q, (size_t)(close - q));
		return ref->oom ? psm_oom() : 1;
	}
	return 0;
}

/* Is [s, s + len) one whole marker line "<!-- psm-KIND: ... -->"? */
static int marker_line(const char *s, size_t len, const char *open)
{
	size_t ol = strlen(open), cl = strlen(REF_CLOSE);

	return len > ol + cl && !strncmp(s, open, ol) &&
	       !strncmp(s + len - cl, REF_CLOSE, cl) && !memchr(s, '\n', len);
}

/* The line before offset end (its start), skipping blank lines; 0 length
 * when none is left after `from`. */
static size_t line_before(const char *b, size_t from, size_t end, size_t *len)
{
	size_t e = end, s;

	while (e > from && (b[e - 1] == '\n' || b[e - 1] == ' ' || b[e - 1] == '\r'))
		e--;
	for (s = e; s > from && b[s - 1] != '\n'; s--)
		;
	*len = e - s;
	return s;
}

int psm_timeline_readable(struct strbuf *out, const struct strbuf *body)
{
	struct psm_timeline_entry e;
	size_t pos = 0, done = 0;

	while (psm_timeline_next(body, &pos, &e)) {
		size_t from = e.start + e.heading_len, len, at, cut, end;

		at = line_before(body->buf, from, e.end, &len);
		if (!len || !marker_line(body->buf + at, len, REF_OPEN))
			continue;
		cut = at;
		end = at + len;
		/* a reply psm sent: the address it went to, just before; one
		 * taken in: how much of the thread it quoted was left out */
		at = line_before(body->buf, from, at, &len);
		if (len && (marker_line(body->buf + at, len, TO_OPEN) ||
			    marker_line(body->buf + at, len, QUOTE_OPEN)))
			cut = at;
		strbuf_add(out, body->buf + done, cut - done);
		done = end;
	}
	strbuf_add(out, body->buf + done, body->len - done);
	return out->oom ? psm_oom() : 0;
}

/* Is the entry's time later than t? Times psm cannot read compare as text. */
static int later(const struct psm_timeline_entry *e, const char *t)
{
	struct strbuf et = STRBUF_INIT;
	int64_t a, b;
	int r;

	strbuf_add(&et, e->time, e->time_len);
	if (!psm_time_parse(et.buf, &a) && !psm_time_parse(t, &b))
		r = a > b;
	else
		r = strcmp(et.buf, t) > 0;
	psm_error_clear();
	strbuf_release(&et);
	return r;
}

int psm_timeline_insert(struct strbuf *body, const char *entry, const char *time)
{
	struct psm_timeline_entry e;
	struct strbuf out = STRBUF_INIT;
	size_t pos = 0;

	while (psm_timeline_next(body, &pos, &e)) {
		if (later(&e, time)) {
			/* before the first later entry, a blank line between */
			strbuf_add(&out, body->buf, e.start);
			strbuf_addstr(&out, entry);
			if (out.len && out.buf[out.len - 1] != '\n')
				strbuf_addch(&out, '\n');
			strbuf_addch(&out, '\n');
			strbuf_add(&out, body->buf + e.start, body->len - e.start);
			if (out.oom) {
				strbuf_release(&out);
				return psm_oom();
			}
			strbuf_release(body);
			*body = out;
			return 0;
		}
	}
	return psm_body_append(body, "Timeline", entry);
}
