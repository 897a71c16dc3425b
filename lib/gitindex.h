#ifndef PSM_GITINDEX_H
#define PSM_GITINDEX_H
/*
 * A byte-level patch of git's index file (.git/index) for the few paths a
 * psm commit touched: the cheap alternative to loading the whole index with
 * libgit2, which at 100,000 entries costs far more than the commit itself.
 *
 * Handled: index versions 2, 3 and 4; untouched entries are copied byte for
 * byte (in version 4, whose names are stored against the one before, the
 * first entry after each change is written again); a touched path's
 * stage-0 entry is replaced, inserted or removed; the cache tree ("TREE")
 * is kept with every node on a touched path's directory chain
 * invalidated; resolve-undo ("REUC") is kept; other optional
 * extensions (untracked cache, fsmonitor, EOIE, IEOT, ...) are dropped, as
 * libgit2 drops them, for git to rebuild. Untouched entries that look
 * racily clean against the old index (mtime not older than it) get their
 * size zeroed, as git and libgit2 do, so git re-checks their content.
 *
 * A split index ("link") stays split: only its front file is written
 * (gitindex-int.h says how), so the cost no longer grows with the number
 * of paths in the shared index. A one-file index can be made split in the
 * same patch (psm_index_opts).
 *
 * PSM_INDEX_UNSUPPORTED, for the caller to fall back to libgit2: no index
 * file, a split index whose front and shared index differ in version
 * 4-ness, another mandatory extension (sparse "sdir"), or a touched path
 * that has a conflict (stage > 0), flags the patch would lose
 * (assume-unchanged, skip-worktree, intent-to-add), or a directory/file
 * clash with another entry or touched path.
 */
#include <stddef.h>
#include <sys/stat.h>

#define PSM_INDEX_UNSUPPORTED 1

struct psm_index_change {
	const char *path;        /* work-tree relative, as in the index */
	int exists;              /* 0: remove the entry if present */
	unsigned char oid[20];   /* the blob id (SHA-1), when exists */
	struct stat st;          /* lstat of the file, taken before hashing it */
};

/*
 * When to make a one-file index split (a new shared index
 * sharedindex.<hash> beside it, and a front with no entries, as
 * `git update-index --split-index` leaves it): once split_prefix, a
 * directory with its trailing '/' (NULL: the whole index), holds split_at
 * entries or more. After
 * that the index stays split, git keeping it so too unless core.splitIndex
 * is false, and every later patch writes only the front.
 */
struct psm_index_opts {
	const char *split_prefix;
	size_t split_at;         /* 0: never split */
	int split_done;          /* out: this patch split the index */
};

/*
 * Write to out_path the index at index_path with the changes c[0..n)
 * applied (sorted by path with strcmp, no duplicates); every entry gets
 * mode 0100644; opts may be NULL. Returns 0, PSM_INDEX_UNSUPPORTED
 * (nothing written), or a negative psm error (a malformed index, or I/O).
 * out_path is replaced if it exists; renaming it over the index is the
 * caller's job (a new shared index is already in place by then).
 */
int psm_index_patch(const char *index_path, const char *out_path,
		    const struct psm_index_change *c, size_t n, struct psm_index_opts *opts);

#endif
