#ifndef PSM_GIT_INT_H
#define PSM_GIT_INT_H
/* Inside lib/git/ (psm/git.h): shared by git.c (the repository, identity, HEAD),
 * git-run.c (git's own commands), git-commit.c (a commit's plan, blobs,
 * tree and ref), git-index.c (git's index, through git update-index) and
 * git-state.c (states in which psm does not write), git-sign.c (a commit
 * signed by git itself). */
#include <git2.h>
#include <sys/stat.h>

#include "psm/git.h"

struct psm_git {
	git_repository *repo;
	char *gitdir;         /* absolute, trailing slash (git rev-parse) */
	char *workdir;        /* absolute, trailing slash */
	char *index;          /* the index file: GIT_INDEX_FILE honoured */
	unsigned notes;       /* PSM_GIT_NOTE_* for the caller to tell */
	char detached[GIT_OID_HEXSZ + 1]; /* commit made on a detached HEAD */
};

/*
 * One run of git: `git ARGS` in dir (the work tree when NULL) with the
 * repository pinned (GIT_DIR, GIT_WORK_TREE, GIT_INDEX_FILE as psm found
 * them; index overrides the last), env added, in as standard input, and
 * standard output and error collected into out and err when given.
 */
struct psm_git_run {
	const char *dir;
	const char *index;
	const char *const *env;
	const char *in;
	size_t inlen;
	struct strbuf *out, *err;
};

/*
 * Returns git's exit status (0: success; above 0: failure, with git's
 * message as psm's error) or a negative PSM_E* code when git could not be
 * run. With g NULL nothing is pinned (the user's environment, run.dir).
 */
int psm_git__run(struct psm_git *g, const struct psm_git_run *run, const char *const *args);

/* Is commit.gpgSign set (1) or not (0); negative when its value is bad. */
int psm_git__sign_wanted(struct psm_git *g);
/*
 * The commit object made and signed by `git commit-tree -S` (git-sign.c):
 * tree_id on parent (none: a root commit), sig as author and committer,
 * msg as it is. Returns 0 with *id set, or a negative code with git's
 * message in the error.
 */
int psm_git__commit_signed(git_oid *id, struct psm_git *g, const git_commit *parent,
			   const git_oid *tree_id, const git_signature *sig,
			   const struct strbuf *msg);

/* HEAD as read at the start of a commit; the parent and the ref to move. */
struct head {
	git_reference *ref; /* resolved: a branch, or "HEAD" when detached */
	char *unborn;       /* branch HEAD names when it has no commit yet */
	git_commit *parent;
	git_tree *tree;
};

/* One path of a commit: its file on disk (else a removal) and its blob. */
struct change {
	const char *path;
	int exists;
	int in_head;      /* HEAD has the path: its index entry may carry flags */
	struct stat st;   /* taken before git hashed the file */
	git_oid oid;
};

/* What one commit does: the paths, their changes and the tree updates. */
struct plan {
	const char **paths;     /* sorted, without duplicates */
	struct change *chg;
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
int psm_git__plan_paths(struct plan *p, struct psm_git *g, git_tree *base);

/* git-index.c: index.lock, taken as git takes it; the index written aside
 * by git and put in place (the old one kept until HEAD has moved). */
struct index_update {
	const char *index;
	struct strbuf lock, next, old;
	int replaced; /* 1: index replaced, old kept; 2: there was none */
};
int psm_git__index_lock(struct index_update *u, struct psm_git *g);
/* One wait for a lock another git holds for a moment (index.lock, a branch's
 * .lock): 10 ms, and 1 while tries (from 0) stays within two seconds. */
int psm_git__lock_wait(int tries);
int psm_git__index_write(struct index_update *u, struct psm_git *g, const struct plan *p);
/* After HEAD moved (keep) or did not (put the old index back); unlock. */
void psm_git__index_done(struct index_update *u, int keep);

/* git-state.c */
int psm_git__check_state(struct psm_git *g);
int psm_git__shared_perm(struct psm_git *g, const struct plan *p, const git_oid *ids, size_t n);
int psm_git__shared_perm_ref(struct psm_git *g, const char *name);

#endif
