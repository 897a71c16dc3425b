#ifndef PSM_LIFECYCLE_H
#define PSM_LIFECYCLE_H
/*
 * What a change to an issue file did, in the issue's own terms: taken in,
 * triaged, assigned, closed, reopened, a reply... (psm log, docs/format.md
 * "psm log's JSON"). Computed from two versions of the file alone, so a
 * hand edit reads the same as the psm command that would have made it.
 */
#include <stddef.h>

#include "psm/issue.h"

struct psm_event {
	const char *kind; /* static: "intake", "status", "close", ... (format.md) */
	char *field;      /* the key changed, or NULL */
	char *from, *to;  /* old and new value, NULL when absent */
	char *who;        /* a person the event names (reporter, author of an entry) */
	char *at;         /* a time the file gives the event (entry, close), or NULL */
	char *via;        /* intake: the source; reporter: the issue it came from */
};

struct psm_events {
	struct psm_event *v;
	size_t n, alloc;
};

/*
 * Append to out what changed from before to after; either may be NULL (not
 * there yet, removed). `updated` alone is no event. Returns the number
 * appended.
 */
int psm_lifecycle_diff(struct psm_events *out, const struct psm_issue *before,
		       const struct psm_issue *after);
/* Append one event (kind is static; the strings are copied). Returns 1. */
int psm_events_add(struct psm_events *out, const char *kind, const char *field, const char *from,
		   const char *to, const char *who, const char *at, const char *via);
/* Keep only the events of a that b has too (a merge: what is new against
 * every parent). */
void psm_events_intersect(struct psm_events *a, const struct psm_events *b);
void psm_events_release(struct psm_events *ev);

#endif
