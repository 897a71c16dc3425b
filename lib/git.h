#ifndef PSM_GIT_H
#define PSM_GIT_H
/*
 * The git side of the store, on libgit2. Every psm write is one commit that
 * holds exactly the files psm changed: the tree is HEAD's tree with those
 * paths replaced (git_tree_create_updated), so the user's other staged and
 * unstaged work is neither committed nor disturbed, and only those paths'
 * index entries are refreshed, before HEAD moves. That refresh patches the
 * index file's bytes (gitindex.h: a read, a hash and a write of the file,
 * or of only its small front when the index is split) and leaves the index
 * to libgit2 only where the patch does not go (a conflict on a committed
 * path, ...). Code: git.c (repository, identity,
 * HEAD), git-commit.c (the commit), git-index.c (the index).
 */
#include <stddef.h>
#include <stdint.h>

#include "strbuf.h"

struct psm_git;

/* Open the repository containing dir (searching upwards, like git). */
int psm_git_open(struct psm_git **out, const char *dir);
/* Create a new non-bare repository in dir (which may exist). */
int psm_git_init(struct psm_git **out, const char *dir);
void psm_git_free(struct psm_git *g);

/*
 * Let commits turn git's index, when it is one file, into a split index
 * once prefix (a work-tree-relative directory with its trailing '/'; NULL:
 * the whole index) holds at least `at` entries; 0: never (the default).
 * Split, each later commit writes only the index's small front file
 * (gitindex.h). psm_git_index_was_split: whether a commit did, for the
 * caller to tell the user.
 */
int psm_git_split_index(struct psm_git *g, const char *prefix, size_t at);
int psm_git_index_was_split(const struct psm_git *g);

/* Work tree top, with a trailing slash; git dir, with a trailing slash. */
const char *psm_git_workdir(const struct psm_git *g);
const char *psm_git_gitdir(const struct psm_git *g);

/*
 * The committer identity: GIT_AUTHOR_NAME / GIT_AUTHOR_EMAIL (then
 * GIT_COMMITTER_*) from the environment, else user.name / user.email from
 * git config. PSM_EIDENTITY with a message saying how to set it when absent.
 */
int psm_git_identity(struct strbuf *name, struct strbuf *email, struct psm_git *g);

/* Read a git config string (e.g. "psm.commit"); PSM_ENOTFOUND when unset. */
int psm_git_config_get(struct strbuf *out, struct psm_git *g, const char *key);
/*
 * A git config value that is a boolean (1 or 0, as git reads "yes", "off",
 * ...) or a number; PSM_ENOTFOUND when unset, PSM_EINVALID when neither.
 */
int psm_git_config_int(int64_t *out, struct psm_git *g, const char *key);

/*
 * Commit the given work-tree-relative paths as they are on disk now: a path
 * whose file exists is added/updated, a path with no file is removed. The
 * commit's parent is HEAD (none on an unborn branch); HEAD's branch is moved
 * only if it still points where it did when read (PSM_ECONFLICT otherwise).
 * `when` is the commit time (seconds since the epoch, UTC). Index entries for
 * exactly these paths are updated to match the commit, before HEAD moves
 * (and put back if it cannot). Returns
 * PSM_EUNCHANGED (and makes no commit) when the tree would not change.
 * On success, the new commit's hex id is written to oid_hex if non-NULL.
 */
int psm_git_commit(struct psm_git *g, const char *const *paths, size_t npaths,
		   const char *message, int64_t when, struct strbuf *oid_hex);

/* HEAD's commit as hex, or "" on an unborn branch. */
int psm_git_head(struct strbuf *oid_hex, struct psm_git *g);
/*
 * Make the index entries of these paths match the work tree (added, or
 * removed when the file is gone): what psm_git_commit does to the index,
 * for recovering from a psm killed after moving HEAD.
 */
int psm_git_index_sync(struct psm_git *g, const char *const *paths, size_t npaths);
/*
 * Point the index entries of these paths back at HEAD's blobs (removed
 * where HEAD has none), stat data zeroed so git re-reads the files: for
 * recovering from a psm killed after updating the index but before moving
 * HEAD (psm_git_commit updates the index first).
 */
int psm_git_index_reset(struct psm_git *g, const char *const *paths, size_t npaths);

#endif
