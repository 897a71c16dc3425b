#ifndef PSM_GIT_H
#define PSM_GIT_H
/*
 * The git side of the store. Every psm write is one commit that holds
 * exactly the files psm changed: the tree is HEAD's tree with those paths
 * replaced (libgit2's git_tree_create_updated), so the user's other staged
 * and unstaged work is neither committed nor disturbed. What git owns on
 * disk goes through git itself: the repository is found by git rev-parse
 * (GIT_DIR, GIT_WORK_TREE, GIT_INDEX_FILE, worktrees, ... as git reads
 * them), blobs are stored by git hash-object, the committed paths' index
 * entries are written by git update-index and the branch is moved by git
 * update-ref. Code: git.c (repository, identity, config, HEAD), git-run.c
 * (running git), git-commit.c (the commit), git-index.c (the index),
 * git-state.c (when psm does not write; shared permissions), git-tags.c
 * (tags, shallow clones).
 */
#include <stddef.h>
#include <stdint.h>

#include "psm/strbuf.h"

struct psm_git;
struct git_repository;

/*
 * Open the repository git finds from dir (PSM_ENOTFOUND when it finds none;
 * PSM_ENOSTORE when it is one psm cannot use, saying why and what to do).
 * *out is the caller's, to free with psm_git_free().
 */
int psm_git_open(struct psm_git **out, const char *dir);
/* Create a new repository in dir (which may exist) with git init; *out as
 * psm_git_open's. */
int psm_git_init(struct psm_git **out, const char *dir);
void psm_git_free(struct psm_git *g);
/*
 * A libgit2 handle of its own on g's repository and work tree, for code
 * that walks history itself (threads need one each); the caller frees it
 * with git_repository_free.
 */
int psm_git_reopen(struct git_repository **out, const struct psm_git *g);

/*
 * Work tree top and git dir (the worktree's own in a linked worktree),
 * absolute, with a trailing slash; the index file (GIT_INDEX_FILE when
 * set). Owned by g, valid until psm_git_free.
 */
const char *psm_git_workdir(const struct psm_git *g);
const char *psm_git_gitdir(const struct psm_git *g);
const char *psm_git_index_path(const struct psm_git *g);

/*
 * PSM_ESTATE, with a message naming the state and the way out, while a
 * merge, rebase, cherry-pick, revert, git am or bisect is in progress:
 * a commit then would land inside it (and be lost by an abort).
 */
int psm_git_check_writable(struct psm_git *g);
/*
 * PSM_ESTATE when a sparse checkout leaves one of dirs (work-tree relative,
 * e.g. "issues"; NULL-terminated) or part of it out of the work tree, with
 * the git sparse-checkout command that brings them in; 0 otherwise.
 */
int psm_git_sparse_check(struct psm_git *g, const char *const *dirs);

/* What happened that the user should hear of (the caller tells). */
#define PSM_GIT_NOTE_UNSPLIT 1 /* a split index an earlier psm made is one file again */
#define PSM_GIT_NOTE_DRIVER 2  /* psm's merge driver was registered in git config */
#define PSM_GIT_NOTE_NODRIVER 4 /* .gitattributes names it; git config could not take it */
unsigned psm_git_notes(const struct psm_git *g);
void psm_git_add_note(struct psm_git *g, unsigned note);
/* The hex id of a commit made on a detached HEAD, or "" (owned by g,
 * valid until its next commit or psm_git_free). */
const char *psm_git_detached_commit(const struct psm_git *g);
/* Set a git config value in the repository's own config, through git config. */
int psm_git_config_set(struct psm_git *g, const char *key, const char *value);

/*
 * The committer identity: GIT_AUTHOR_NAME / GIT_AUTHOR_EMAIL (then
 * GIT_COMMITTER_*) from the environment, else user.name / user.email from
 * git config. PSM_EIDENTITY with a message saying how to set it when absent.
 */
int psm_git_identity(struct strbuf *name, struct strbuf *email, struct psm_git *g);

/*
 * git credential ACTION (fill, approve or reject) with description, the
 * lines of gitcredentials(7) ("protocol=smtp\nhost=...\nusername=...\n"),
 * on its standard input; what git answers (fill: the same lines, with
 * password=) goes to out. The password lives in out only: clear it.
 */
int psm_git_credential(struct strbuf *out, struct psm_git *g, const char *action,
		       const char *description);
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
 * Refused (PSM_ESTATE) in the states psm_git_check_writable names.
 * `when` is the commit time (seconds since the epoch, UTC). Index entries for
 * exactly these paths are updated to match the commit (with the files' stat
 * data, as git add leaves them), before HEAD moves; if HEAD cannot move the
 * index is put back as it was, byte for byte. Returns
 * PSM_EUNCHANGED (and makes no commit) when the tree would not change.
 * On success, the new commit's hex id is written to oid_hex if non-NULL.
 */
int psm_git_commit(struct psm_git *g, const char *const *paths, size_t npaths,
		   const char *message, int64_t when, struct strbuf *oid_hex);

/* HEAD's commit as hex, or "" on an unborn branch. */
int psm_git_head(struct strbuf *oid_hex, struct psm_git *g);
/*
 * Crash recovery of a psm killed inside psm_git_commit, whose journal says
 * whether HEAD moved (committed). The index it left: put back as it was
 * when the dead psm's index.lock still stands (nobody wrote since), else
 * the entries of these paths made to match HEAD (committed: the files;
 * not: HEAD's blobs, so git re-reads the files). Its index.lock removed.
 */
int psm_git_recover_index(struct psm_git *g, const char *const *paths, size_t npaths,
			  int committed);

/*
 * The newest tag reachable from rev (NULL: HEAD), as git describe --tags
 * --abbrev=0 picks it: the one with the fewest commits in between. The tag's
 * name goes to name. PSM_ENOTFOUND (no message) when there is none.
 */
int psm_git_newest_tag(struct strbuf *name, struct psm_git *g, const char *rev);
/* Is the repository a shallow clone? */
int psm_git_is_shallow(struct psm_git *g);
/* Does rev, as git reads a short name (git_reference_dwim), name a tag?
 * 1 if it does, 0 if not (a branch, HEAD~2, a commit id), or an error. */
int psm_git_names_tag(struct psm_git *g, const char *rev);

/*
 * The repository's tags as releases: every tag, lightweight or annotated,
 * that names a commit (through any chain of tag objects), read with
 * libgit2 from the refs git keeps. A tag of a tree or a blob is no release
 * and is left out.
 */
struct psm_tag {
	char *name;      /* "v1.4.0" (refs/tags/ left off) */
	char commit[41]; /* the commit it names, full hex */
	int64_t time;    /* that commit's committer time */
	int has_path;    /* the commit's tree has the path psm_git_tags was given */
};
/* Newest commit first; tags of one commit by name, highest first. *out is
 * the caller's, to free with psm_git_tags_free(). */
int psm_git_tags(struct psm_tag **out, size_t *n, struct psm_git *g, const char *path);
void psm_git_tags_free(struct psm_tag *tags, size_t n);

/*
 * git_libgit2_init() without loading the system's CA certificates, which
 * psm never uses through libgit2 (lib/git/git-tls.c says how and why).
 * Its return value; git_libgit2_shutdown() undoes it.
 */
int psm_git_lib_init(void);

#endif
