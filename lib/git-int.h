#ifndef PSM_GIT_INT_H
#define PSM_GIT_INT_H
/* Inside lib/git.h: shared by git.c (the repository, identity, HEAD),
 * git-commit.c (a commit's plan, blobs, tree and ref) and git-index.c
 * (git's index and its lock). */
#include <git2.h>

#include "git.h"
#include "gitindex.h"

struct psm_git {
	git_repository *repo;
	char *split_prefix;     /* psm_git_split_index */
	size_t split_at;
	int split_done;         /* a commit split the index */
};

/* HEAD as read at the start of a commit; the parent and the ref to move. */
struct head {
	git_reference *ref; /* resolved: a branch, or "HEAD" when detached */
	char *unborn;       /* branch HEAD names when it has no commit yet */
	git_commit *parent;
	git_tree *tree;
};

/*
 * What one commit does: the requested paths, their index entries to be,
 * and the tree updates for them.
 */
struct plan {
	const char **paths;     /* sorted, without duplicates */
	struct psm_index_change *chg; /* per path: file on disk (else a removal) */
	size_t n;
	git_tree_update *upd;   /* only the updates that change something */
	size_t nupd;
};

/* git.c */
int psm_git__head_read(struct head *h, git_repository *repo);
void psm_git__head_free(struct head *h);
int psm_git__signature(git_signature **sig, struct psm_git *g, int64_t when);

/* git-commit.c */
int psm_git__plan_init(struct plan *p, const char *const *paths, size_t npaths);
void psm_git__plan_free(struct plan *p);
int psm_git__plan_path(struct plan *p, git_repository *repo, git_tree *base, size_t i);

/* git-index.c */
int psm_git__index_lock(struct strbuf *lock, git_repository *repo);
/* One wait for a lock another git holds for a moment (index.lock, a branch's
 * .lock): 10 ms, and 1 while tries (from 0) stays within two seconds. */
int psm_git__lock_wait(int tries);
void psm_git__index_unlock(struct strbuf *lock);
int psm_git__update_index(struct psm_git *g, const struct plan *p);
int psm_git__index_back_to(struct psm_git *g, struct plan *p, git_tree *tree);

#endif
