#ifndef PSM_BATCH_H
#define PSM_BATCH_H
/*
 * Taking in many items at once (mailboxes, JSON lines, CSV, imports) as one
 * transaction and one commit. The store is locked and read once (through
 * the cache: the caller hands the issues in), and every issue indexed by
 * what identifies an item from outside: its ID, its (source, external_id),
 * the refs of its reporters (Message-IDs, URLs) and the refs recorded in
 * its timeline. Only the issues a lookup finds are read whole, from their
 * files. Lookups are then constant time, so a batch of 100,000 items costs
 * one scan, 100,000 file writes and one commit.
 *
 * A timeline entry psm adds for an outside message ends with the line
 * "<!-- psm-ref: REF -->", which is how a re-import knows it already has it.
 */
#include <stddef.h>

#include "psm/issue.h"
#include "psm/store.h"

/* psm_batch_holder: also match (source, created, title), for items with no
 * external ID but a creation time of their own. */
#define PSM_BATCH_MATCH_CONTENT 1

struct psm_batch;

/*
 * Lock the store (psm_txn_begin). The caller then hands in every issue of
 * the store, read under the lock: each one psm_batch_found() (the cache's
 * scan gives them, cache.h), each file that could not be read
 * psm_batch_unreadable(), then psm_batch_ready(). *out is the caller's, to
 * free with psm_batch_free(); s must outlive it.
 */
int psm_batch_begin(struct psm_batch **out, struct psm_store *s);
/*
 * An issue of the store (valid or not; read-only, not kept): indexed by
 * what identifies it, its file read again only when the batch needs it
 * (a lookup finds it). problem: the first thing psm check finds in it, or
 * NULL; such an issue is named like an unreadable file, but stays to be
 * matched (a change to it is refused when it is saved).
 */
int psm_batch_found(struct psm_batch *b, const struct psm_issue *issue,
		    const struct psm_scan_error *problem);
/* A file of the store that could not be read: named, its ID reserved. */
int psm_batch_unreadable(struct psm_batch *b, const struct psm_scan_error *e);
/* Every issue handed in: the batch is ready for lookups and additions. */
int psm_batch_ready(struct psm_batch *b);
/* Roll back anything not committed, unlock, free (NULL is fine). */
void psm_batch_free(struct psm_batch *b);
/* Issue files the scan could not read (their IDs stay reserved); owned
 * by b, valid until psm_batch_free(). */
const struct psm_issue_set *psm_batch_scan_errors(const struct psm_batch *b);

/* The issue holding a ref (reporter ref or timeline ref), or NULL. The
 * issues a batch returns are its own, valid until psm_batch_free(). */
struct psm_issue *psm_batch_find_ref(struct psm_batch *b, const char *ref);
/*
 * The issue that already holds this would-be new issue: same `id`, same
 * (source, external_id), a reporter ref in common, or (with
 * PSM_BATCH_MATCH_CONTENT) the same source, created and title. *why names
 * what matched ("id", "external_id", "ref <...>", "source, created and
 * title"; a constant string); NULL when the item is new.
 */
struct psm_issue *psm_batch_holder(struct psm_batch *b, const struct psm_issue *candidate,
				   int flags, const char **why);

/*
 * Add a new issue: it keeps a valid `id` no other issue has, else gets a
 * fresh one; the path follows from the ID. Its file must pass
 * psm_validate_write() (PSM_EINVALID with the first problem otherwise).
 * Takes ownership of issue, also on failure (when it is freed); on success
 * it stays valid until psm_batch_free().
 */
int psm_batch_add(struct psm_batch *b, struct psm_issue *issue);
/*
 * Before changing an issue of the batch: remember it as it is, so that a
 * change psm_batch_changed() refuses can be undone.
 */
int psm_batch_will_change(struct psm_batch *b, const struct psm_issue *issue);
/*
 * An existing issue changed: it will be saved; ref (may be NULL) now points
 * to it. The file must stay writable and pass psm_validate_write(), else
 * PSM_EINVALID naming the file and the problem; then the issue (the same
 * pointer) is put back as psm_batch_will_change() saw it.
 */
int psm_batch_changed(struct psm_batch *b, struct psm_issue *issue, const char *ref);

/* The marker line for a timeline entry's text, newline included. */
int psm_batch_ref_line(struct strbuf *out, const char *ref);

/*
 * Write every new and changed issue and make one commit with message.
 * Returns the number of files written (0: nothing to do, no commit).
 * Refuses (PSM_ERROR, writing nothing) when a file the batch found could
 * not be read again when it was looked up: it changed meanwhile.
 */
int psm_batch_commit(struct psm_batch *b, const char *message);

/* Short-ID length unique across the store, new issues included (>= 7). */
size_t psm_batch_abbrev(const struct psm_batch *b);
/* Number of issues in the store, new ones included. */
size_t psm_batch_count(const struct psm_batch *b);

#endif
