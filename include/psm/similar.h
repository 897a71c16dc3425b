#ifndef PSM_SIMILAR_H
#define PSM_SIMILAR_H
/*
 * Likely duplicates by text: TF-IDF cosine over normalised words of the
 * title and the body, a title word weighing 6 times a body word (the
 * weight applied after the log of its count: SIM_TITLE_BOOST,
 * lib/similar/similar-int.h). Words are lower-cased, Latin accents folded,
 * stopwords dropped and plural/-ed/-ing endings stripped.
 *
 * At 100,000 issues re-reading every file per question is too slow, so the
 * words of every issue are kept in a derived index, <gitdir>/psm/similar.idx
 * (never committed). Opening it takes the store's listing of issue files
 * (psm_files_get, cache.h: shared with the read cache while a command
 * holds it) and re-reads only the files the cache's rule does not call
 * unchanged (psm_file_unchanged: every stat field, racily clean files read
 * again), so the index can be deleted at any time and is rebuilt when
 * stale. Beside it,
 * similar.inv and similar.log serve the intake hint (psm_similar_hint).
 */
#include <stddef.h>
#include <stdint.h>

#include "psm/issue.h"
#include "psm/store.h"
#include "psm/strbuf.h"

struct psm_similar;

struct psm_similar_hit {
	char id[PSM_ID_LEN + 1];
	const char *title;   /* owned by the index */
	const char *status;
	int64_t closed;      /* close time, 0 while open */
	char via[PSM_ID_LEN + 1]; /* a duplicate of this issue that matched; "" if none */
	double score;        /* cosine, 0..1 */
};

/* Normalised words of text, each followed by one space (tests, tuning). */
int psm_similar_words(struct strbuf *out, const char *text, size_t len);

/* Load the index, bring it up to date with the files, save it if it changed
 * (a failure to save is not an error: the index is only a cache). *out is
 * the caller's (psm_similar_free); s must outlive it. */
int psm_similar_open(struct psm_similar **out, struct psm_store *s);
void psm_similar_free(struct psm_similar *ix);
/* Re-index one issue after writing it (the triage session does this). */
int psm_similar_update(struct psm_similar *ix, const struct psm_issue *issue);
/* Write the index file if it changed since it was read. */
int psm_similar_save(struct psm_similar *ix);
/* Issues indexed (live documents). */
size_t psm_similar_count(const struct psm_similar *ix);

/*
 * The issues closest to `issue` (itself excluded): open ones, and closed
 * ones whose close time is at or after closed_since. A closed duplicate that
 * matches counts for the issue it duplicates (its ID in `via`). At most max
 * hits with score >= min_score, best first (ties by ID). *out is an array
 * the caller frees; *n its length. The hits' strings are ix's, valid until
 * psm_similar_free(ix).
 */
int psm_similar_find(struct psm_similar_hit **out, size_t *n, struct psm_similar *ix,
		     const struct psm_issue *issue, int64_t closed_since, size_t max,
		     double min_score);

/*
 * The same question for the intake hint, without loading the index: from
 * <gitdir>/psm/similar.inv mapped in place and the files changed since
 * (see similar-quick.c), so it costs as much at 100,000 issues as at 1,000.
 * Falls back to psm_similar_open + psm_similar_find when that file is
 * missing or due to be rewritten. *ixp owns what the hits point to: free it
 * with psm_similar_free, also on failure.
 */
int psm_similar_hint(struct psm_similar_hit **out, size_t *n, struct psm_similar **ixp,
		     struct psm_store *s, const struct psm_issue *issue, int64_t closed_since,
		     size_t max, double min_score);

/*
 * The same questions for many new issues in a row (batch intake): the
 * hint's view opened once (after the issues were written), then asked per
 * issue. Free ix with psm_similar_free, also on failure.
 */
int psm_similar_hint_open(struct psm_similar **ix, struct psm_store *s);
int psm_similar_hint_find(struct psm_similar_hit **out, size_t *n, struct psm_similar *ix,
			  const struct psm_issue *issue, int64_t closed_since, size_t max,
			  double min_score);

/*
 * After psm_similar_hint: 1 when the files changed since similar.inv was
 * written are many enough to fold into a new one (psm_similar_fold), a pass
 * over the whole store best run out of the user's way. Left undone, the
 * hint does it itself once they are four times as many.
 */
int psm_similar_fold_due(const struct psm_similar *ix);

/*
 * Fold: bring similar.idx up to date and write a new similar.inv, as a full
 * open does, if a fold is still due once this process holds
 * <gitdir>/psm/similar.lock. *folded is 0 when another process holds that
 * lock or has just folded; it is not an error.
 */
int psm_similar_fold(struct psm_store *s, int *folded);

#endif
