#ifndef PSM_TXN_H
#define PSM_TXN_H
/*
 * Every write command is one transaction: take the store lock, write each
 * changed issue atomically (remembering what was there), make one commit.
 * If anything fails before the commit lands, the files are put back, so a
 * failed command leaves the store as it was.
 */
#include "psm/store.h"

struct psm_txn;

/* Takes the store lock (git dir psm/lock), waiting up to PSM_LOCK_TIMEOUT
 * seconds (default 10); checks the git identity unless writing files only.
 * *out is the caller's: psm_txn_free() rolls back and unlocks. */
int psm_txn_begin(struct psm_txn **out, struct psm_store *s);
/* Write the issue file if its text changed. Returns 1 if written, 0 if not. */
int psm_txn_save(struct psm_txn *t, const struct psm_issue *issue);
/*
 * Write a file that is not an issue (path relative to the work tree), or
 * remove it when text is NULL; rolled back and committed like an issue.
 * Returns 1 if written or removed, 0 if it was already so.
 */
int psm_txn_save_file(struct psm_txn *t, const char *path, const char *text, size_t len);
/*
 * For a batch of many files: no fsync per file and journal line, but one
 * flush of the file system before the commit (and before replacing a file
 * that existed, so its journal entry is on disk first). A killed psm is
 * recovered as ever; after a power cut, new files written just before it
 * may be left over, untracked.
 */
void psm_txn_batch(struct psm_txn *t);
/* Number of files written so far. */
size_t psm_txn_count(const struct psm_txn *t);
/* Commit what was written (PSM_EUNCHANGED when nothing was). */
int psm_txn_commit(struct psm_txn *t, const char *message);
/* Roll back anything not committed, release the lock, free. */
void psm_txn_free(struct psm_txn *t);

#endif
