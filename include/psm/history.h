#ifndef PSM_HISTORY_H
#define PSM_HISTORY_H
/*
 * The history of one issue file in git: every commit reachable from HEAD
 * whose version of the file differs from each of its parents' (git log's
 * rule without following renames: issue paths never change), oldest
 * first, with the file's text there and in the parents. Read through
 * libgit2's public API, like gitdiff.h; nothing is written.
 */
#include <stddef.h>
#include <stdint.h>

#include "psm/store.h"
#include "psm/strbuf.h"

struct psm_hist_commit {
	const char *hex;                     /* the commit's full ID */
	const char *author_name, *author_email;
	int64_t time;                        /* author time */
	const char *summary;                 /* the message's first line */
	const struct strbuf *text;           /* the file here; NULL: removed */
	const struct strbuf *const *parents; /* the file in each parent; NULL where absent */
	size_t nparents;
	int shallow_root;                    /* no parents because the clone is shallow */
};

typedef int (*psm_hist_fn)(const struct psm_hist_commit *c, void *data);

/* Call fn for each commit that changed path (store-relative); a negative
 * return stops the walk and is returned. No commit yet: nothing is called. */
int psm_history_walk(struct psm_store *s, const char *path, psm_hist_fn fn, void *data);

#endif
