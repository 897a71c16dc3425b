#ifndef PSM_SNAPSHOT_H
#define PSM_SNAPSHOT_H
/*
 * The store as it was at a git revision, or as it is in the working tree,
 * and which issue files differ between two such snapshots. Comparing two
 * commits walks their issues/ trees and descends only into shards whose
 * tree ids differ, so the cost follows the size of the change, not of the
 * store. Nothing here needs a checkout of the revision or a remote.
 */
#include <stdint.h>

#include "psm/store.h"
#include "psm/strbuf.h"

struct psm_snap;

/*
 * A snapshot of revision rev (anything git rev-parse takes that names a
 * commit), or of the working tree when rev is NULL: HEAD's tree with the
 * files that differ from it on disk (staged, unstaged or untracked) read from
 * the disk instead. An unknown revision is PSM_ENOTFOUND with a message that
 * names the fix ('git fetch --tags', or 'git fetch --unshallow' in a shallow
 * clone). *out is the caller's, to free with psm_snap_free(); s must
 * outlive it.
 */
int psm_snap_open(struct psm_snap **out, struct psm_store *s, const char *rev);
/* The same, sharing base's repository handle and object cache (free it
 * before base). */
int psm_snap_open_sibling(struct psm_snap **out, struct psm_snap *base, const char *rev);
void psm_snap_free(struct psm_snap *snap);

/* The commit's full hex id (snap's, valid until psm_snap_free); NULL for
 * the working tree. */
const char *psm_snap_commit(const struct psm_snap *snap);
/* The commit's committer time; 0 for the working tree. */
int64_t psm_snap_time(const struct psm_snap *snap);

/* A file's bytes (store-relative path); PSM_ENOTFOUND when absent. */
int psm_snap_read(struct strbuf *out, struct psm_snap *snap, const char *path);

/* Called with store-relative paths under issues/, each once, in path order. */
typedef int (*psm_snap_fn)(const char *path, void *data);

/* Every file under issues/ whose content differs between a and b, or that
 * only one of them has. a may be NULL: the empty store (every file of b). */
int psm_snap_diff(struct psm_snap *a, struct psm_snap *b, psm_snap_fn fn, void *data);
/* Every file under issues/ in the snapshot. */
int psm_snap_foreach(struct psm_snap *snap, psm_snap_fn fn, void *data);

/* Shortest unique prefix of id among the snapshot's IDs (at least 7). */
int psm_snap_abbrev(struct strbuf *out, struct psm_snap *snap, const char *id);

#endif
