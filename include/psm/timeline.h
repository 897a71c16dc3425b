#ifndef PSM_TIMELINE_H
#define PSM_TIMELINE_H
/*
 * The entries of an issue body's `## Timeline` section, one at a time, and
 * adding one in time order. See lib/store/timeline.c.
 */
#include <stddef.h>

#include "psm/strbuf.h"

struct psm_timeline_entry {
	size_t start, end;    /* body offsets: the heading line to the next entry */
	size_t heading_len;   /* the "### <time> <kind> — <who>" line, no '\n' */
	const char *time;     /* into the body; not NUL-terminated */
	size_t time_len;
	size_t section_end;   /* the iteration's state: pass the same entry again */
};

/* The next entry after *pos (start with *pos 0, then pass the same pos and
 * entry again); 0 when there is none. */
int psm_timeline_next(const struct strbuf *body, size_t *pos, struct psm_timeline_entry *e);
/* The entry's psm-ref (the Message-ID or URL it was taken in by) into
 * ref: 1, or 0 when it has none. */
int psm_timeline_ref(struct strbuf *ref, const struct strbuf *body,
		     const struct psm_timeline_entry *e);
/*
 * The body to read on a terminal: a copy into out without the marker lines
 * psm ends a timeline entry with (a final "<!-- psm-ref: ... -->", and the
 * "<!-- psm-to: ... -->" just before it in a reply psm sent, or the
 * "<!-- psm-quote: ... -->" in an e-mail reply whose quote was left out).
 * A marker anywhere else, a customer's own text, is kept.
 */
int psm_timeline_readable(struct strbuf *out, const struct strbuf *body);
/* Put entry (whole lines) before the first entry later than `time`, else
 * at the end of the section (made when absent). */
int psm_timeline_insert(struct strbuf *body, const char *entry, const char *time);

#endif
