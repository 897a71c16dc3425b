#include "git.h"

#include <errno.h>
#include <fcntl.h>
#include <git2.h>
#include <git2/sys/repository.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "error.h"
#include "fsutil.h"
#include "gitindex.h"
#include "strbuf.h"

struct psm_git {
	git_repository *repo;
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

static int oom(void)
{
	return psm_error(PSM_ENOMEM, "out of memory");
}

/* Take ownership of repo; each handle holds one libgit2 init reference. */
static int wrap(struct psm_git **out, git_repository *repo)
{
	struct psm_git *g = calloc(1, sizeof(*g));

	if (!g)
		return oom();
	g->repo = repo;
	*out = g;
	return 0;
}

int psm_git_open(struct psm_git **out, const char *dir)
{
	git_repository *repo = NULL;
	int err;

	*out = NULL;
	if (git_libgit2_init() < 0)
		return psm_error_git(PSM_ERROR, "could not initialise libgit2");
	err = git_repository_open_ext(&repo, dir, 0, getenv("GIT_CEILING_DIRECTORIES"));
	if (err == GIT_ENOTFOUND) {
		err = psm_error(PSM_ENOSTORE, "not a git repository (or any parent): '%s'", dir);
		goto cleanup;
	}
	if (err < 0) {
		err = psm_error_git(PSM_ENOSTORE, "could not open git repository at '%s'", dir);
		goto cleanup;
	}
	if (git_repository_is_bare(repo)) {
		err = psm_error(PSM_ENOSTORE, "psm needs a work tree: '%s' is a bare repository",
				git_repository_path(repo));
		goto cleanup;
	}
	err = wrap(out, repo);
cleanup:
	if (err < 0) {
		git_repository_free(repo);
		git_libgit2_shutdown();
	}
	return err;
}

int psm_git_init(struct psm_git **out, const char *dir)
{
	git_repository_init_options opts;
	git_repository *repo = NULL;
	int err;

	*out = NULL;
	if (git_libgit2_init() < 0)
		return psm_error_git(PSM_ERROR, "could not initialise libgit2");
	/* initial_head stays NULL: libgit2 then honours init.defaultBranch, as git does. */
	git_repository_init_options_init(&opts, GIT_REPOSITORY_INIT_OPTIONS_VERSION);
	opts.flags = GIT_REPOSITORY_INIT_MKPATH;
	if (git_repository_init_ext(&repo, dir, &opts) < 0) {
		err = psm_error_git(PSM_ERROR, "could not create git repository in '%s'", dir);
		goto cleanup;
	}
	err = wrap(out, repo);
cleanup:
	if (err < 0) {
		git_repository_free(repo);
		git_libgit2_shutdown();
	}
	return err;
}

void psm_git_free(struct psm_git *g)
{
	if (!g)
		return;
	git_repository_free(g->repo);
	free(g);
	git_libgit2_shutdown();
}

const char *psm_git_workdir(const struct psm_git *g)
{
	return git_repository_workdir(g->repo);
}

const char *psm_git_gitdir(const struct psm_git *g)
{
	return git_repository_path(g->repo);
}

static int set_str(struct strbuf *out, const char *val)
{
	strbuf_reset(out);
	return strbuf_addstr(out, val) < 0 ? oom() : 0;
}

/*
 * One part of the identity: the first non-empty of two environment
 * variables, else the config key. An empty value counts as unset, as git
 * refuses empty idents.
 */
static int identity_part(struct strbuf *out, git_config *cfg, const char *env1,
			 const char *env2, const char *key)
{
	const char *val = getenv(env1);
	int err;

	if (!val || !*val)
		val = getenv(env2);
	if (!val || !*val) {
		err = git_config_get_string(&val, cfg, key);
		if (err == GIT_ENOTFOUND || (!err && !*val))
			return psm_error(PSM_EIDENTITY, "no git identity: run "
					 "'git config user.name \"Your Name\"' and "
					 "'git config user.email you@example.com'");
		if (err < 0)
			return psm_error_git(PSM_ERROR, "could not read git config '%s'", key);
	}
	return set_str(out, val);
}

int psm_git_identity(struct strbuf *name, struct strbuf *email, struct psm_git *g)
{
	git_config *cfg = NULL;
	int err;

	/* A snapshot, so the strings read stay valid while we copy them. */
	if (git_repository_config_snapshot(&cfg, g->repo) < 0)
		return psm_error_git(PSM_ERROR, "could not read git config of '%s'",
				     git_repository_path(g->repo));
	err = identity_part(name, cfg, "GIT_AUTHOR_NAME", "GIT_COMMITTER_NAME", "user.name");
	if (!err)
		err = identity_part(email, cfg, "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_EMAIL",
				    "user.email");
	git_config_free(cfg);
	return err;
}

int psm_git_config_get(struct strbuf *out, struct psm_git *g, const char *key)
{
	git_config *cfg = NULL;
	const char *val;
	int err;

	if (git_repository_config_snapshot(&cfg, g->repo) < 0)
		return psm_error_git(PSM_ERROR, "could not read git config of '%s'",
				     git_repository_path(g->repo));
	err = git_config_get_string(&val, cfg, key);
	if (err == GIT_ENOTFOUND)
		err = psm_error(PSM_ENOTFOUND, "git config '%s' is not set", key);
	else if (err < 0)
		err = psm_error_git(PSM_ERROR, "could not read git config '%s'", key);
	else
		err = set_str(out, val);
	git_config_free(cfg);
	return err;
}

/*
 * The signature for the commit; also set as the repository's ident so the
 * reflog entries name the same person rather than libgit2's "unknown".
 */
static int make_signature(git_signature **sig, struct psm_git *g, int64_t when)
{
	struct strbuf name = STRBUF_INIT, email = STRBUF_INIT;
	int err;

	if ((err = psm_git_identity(&name, &email, g)) < 0)
		goto cleanup;
	if (git_signature_new(sig, name.buf, email.buf, (git_time_t)when, 0) < 0) {
		err = psm_error_git(PSM_EIDENTITY, "invalid git identity '%s <%s>'",
				    name.buf, email.buf);
		goto cleanup;
	}
	if (git_repository_set_ident(g->repo, name.buf, email.buf) < 0)
		err = psm_error_git(PSM_ERROR, "could not set reflog identity");
cleanup:
	strbuf_release(&name);
	strbuf_release(&email);
	return err;
}

/*
 * git's own index.lock, held by psm from before HEAD is read until the index
 * records the commit. A `git commit` running meanwhile would otherwise build
 * its tree from an index without psm's new file and so drop it from HEAD;
 * this way git refuses ("index.lock exists") for the moment psm holds it,
 * and psm waits up to two seconds for a git that holds it.
 */
static int index_lock(struct strbuf *lock, git_repository *repo)
{
	struct timespec pause = { 0, 10 * 1000 * 1000 };
	int fd, tries, err;

	if (strbuf_addf(lock, "%sindex.lock", git_repository_path(repo)) < 0)
		return oom();
	for (tries = 0;; tries++) {
		fd = open(lock->buf, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
		if (fd >= 0) {
			close(fd);
			return 0;
		}
		if (errno != EEXIST || tries >= 200) {
			err = errno != EEXIST
				? psm_error_errno(PSM_ERROR, "could not create '%s'", lock->buf)
				: psm_error(PSM_ELOCKED, "could not update the index: '%s' exists; "
					    "another git process seems to be running", lock->buf);
			strbuf_reset(lock); /* not ours to remove */
			return err;
		}
		nanosleep(&pause, NULL);
	}
}

static void index_unlock(struct strbuf *lock)
{
	if (lock->len)
		unlink(lock->buf);
	strbuf_release(lock);
}

static int head_read(struct head *h, git_repository *repo)
{
	git_reference *sym = NULL;
	int err = git_repository_head(&h->ref, repo);

	if (err == GIT_EUNBORNBRANCH) {
		/* No commit yet: remember which branch the first one creates. */
		err = git_reference_lookup(&sym, repo, "HEAD");
		if (err < 0 || git_reference_type(sym) != GIT_REFERENCE_SYMBOLIC) {
			err = psm_error_git(PSM_ERROR, "could not read HEAD");
			goto cleanup;
		}
		h->unborn = psm_strdup(git_reference_symbolic_target(sym));
		err = h->unborn ? 0 : oom();
		goto cleanup;
	}
	if (err < 0) {
		err = psm_error_git(PSM_ERROR, "could not read HEAD");
		goto cleanup;
	}
	if (git_commit_lookup(&h->parent, repo, git_reference_target(h->ref)) < 0 ||
	    git_commit_tree(&h->tree, h->parent) < 0)
		err = psm_error_git(PSM_ERROR, "could not read the commit '%s' points to",
				    git_reference_name(h->ref));
cleanup:
	git_reference_free(sym);
	return err;
}

static void head_free(struct head *h)
{
	git_tree_free(h->tree);
	git_commit_free(h->parent);
	git_reference_free(h->ref);
	free(h->unborn);
}

/*
 * Refuse paths git would not store as given: empty, absolute, with empty,
 * "." or ".." components, or reaching into .git.
 */
static int check_path(const char *path)
{
	const char *p = path;

	if (*p == '/')
		return psm_error(PSM_EINVALID, "invalid path '%s'", path);
	for (;;) {
		size_t n = strcspn(p, "/");

		if (!n || (n == 1 && p[0] == '.') || (n == 2 && !strncmp(p, "..", 2)) ||
		    (n == 4 && !strncasecmp(p, ".git", 4)))
			return psm_error(PSM_EINVALID, "invalid path '%s'", path);
		if (!p[n])
			return 0;
		p += n + 1;
	}
}

static int cmp_path(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Sorted and de-duplicated: libgit2 fails on duplicate tree updates. */
static int plan_init(struct plan *p, const char *const *paths, size_t npaths)
{
	size_t i;
	int err;

	p->paths = calloc(npaths ? npaths : 1, sizeof(*p->paths));
	p->chg = calloc(npaths ? npaths : 1, sizeof(*p->chg));
	p->upd = calloc(npaths ? npaths : 1, sizeof(*p->upd));
	if (!p->paths || !p->chg || !p->upd)
		return oom();
	for (i = 0; i < npaths; i++)
		if ((err = check_path(paths[i])) < 0)
			return err;
	if (npaths)
		memcpy(p->paths, paths, npaths * sizeof(*p->paths));
	qsort(p->paths, npaths, sizeof(*p->paths), cmp_path);
	for (i = 0; i < npaths; i++)
		if (!p->n || strcmp(p->paths[p->n - 1], p->paths[i]))
			p->paths[p->n++] = p->paths[i];
	for (i = 0; i < p->n; i++)
		p->chg[i].path = p->paths[i];
	return 0;
}

static void plan_free(struct plan *p)
{
	free(p->paths);
	free(p->chg);
	free(p->upd);
}

/*
 * A path with no file is a removal, but only of a blob the base tree has:
 * removing an absent entry would fail in libgit2, and removing a directory
 * would take everything under it.
 */
static int plan_removal(struct plan *p, git_tree *base, const char *path)
{
	git_tree_entry *entry = NULL;
	int err;

	if (!base)
		return 0;
	err = git_tree_entry_bypath(&entry, base, path);
	if (err == GIT_ENOTFOUND)
		return 0;
	if (err < 0)
		return psm_error_git(PSM_ERROR, "could not look up '%s' in HEAD", path);
	if (git_tree_entry_type(entry) != GIT_OBJECT_BLOB) {
		err = psm_error(PSM_EINVALID, "refusing to remove '%s': not a file in HEAD", path);
		goto cleanup;
	}
	p->upd[p->nupd].action = GIT_TREE_UPDATE_REMOVE;
	p->upd[p->nupd].path = path;
	p->nupd++;
cleanup:
	git_tree_entry_free(entry);
	return err;
}

/* Does text hold "$Id", which the ident filter would rewrite? */
static int has_ident(const char *text, size_t len)
{
	const char *p = text, *end = text + len;

	while ((p = memchr(p, '$', (size_t)(end - p))) && end - p >= 3) {
		if (p[1] == 'I' && p[2] == 'd')
			return 1;
		p++;
	}
	return 0;
}

/*
 * Store the file at full (path in the work tree) as a blob, as git add
 * would. libgit2's filters (crlf and ident; it runs no filter drivers)
 * leave content without '\r' or "$Id" as it is, and merely asking whether
 * they apply loads the whole index (for .gitattributes in it): at 100,000
 * files that is most of a commit's time. So only such content goes through
 * them. (A refusal by core.safecrlf=true for LF-only content under
 * eol=crlf is thereby skipped; the blob would be the same.)
 */
static int store_blob(git_oid *id, git_repository *repo, const char *full, const char *path)
{
	struct strbuf text = STRBUF_INIT;
	int err = 0;

	if (strbuf_read_file(&text, full, 0) < 0) {
		err = text.oom ? oom() : psm_error_errno(PSM_ERROR, "could not read '%s'", path);
		goto cleanup;
	}
	if (memchr(text.buf, '\r', text.len) || has_ident(text.buf, text.len)
	    ? git_blob_create_from_workdir(id, repo, path) < 0
	    : git_blob_create_from_buffer(id, repo, text.buf, text.len) < 0)
		err = psm_error_git(PSM_ERROR, "could not store '%s' in git", path);
cleanup:
	strbuf_release(&text);
	return err;
}

/*
 * Store path i's file as a blob and plan its upsert, or plan its removal.
 * The stat for its index entry is taken before hashing, as git add does:
 * a change made meanwhile then shows as a stat mismatch, never hidden.
 */
static int plan_path(struct plan *p, git_repository *repo, git_tree *base, size_t i)
{
	struct strbuf full = STRBUF_INIT;
	const char *path = p->paths[i];
	git_tree_update *u = &p->upd[p->nupd];
	struct stat st;
	int err = 0;

	if (strbuf_addf(&full, "%s%s", git_repository_workdir(repo), path) < 0) {
		err = oom();
		goto cleanup;
	}
	if (lstat(full.buf, &st) < 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			err = plan_removal(p, base, path);
		else
			err = psm_error_errno(PSM_ERROR, "could not stat '%s'", path);
		goto cleanup;
	}
	/* A symlink or directory would not get the 0100644 blob psm promises. */
	if (!S_ISREG(st.st_mode)) {
		err = psm_error(PSM_EINVALID, "cannot commit '%s': not a regular file", path);
		goto cleanup;
	}
	if ((err = store_blob(&u->id, repo, full.buf, path)) < 0)
		goto cleanup;
	u->action = GIT_TREE_UPDATE_UPSERT;
	u->filemode = GIT_FILEMODE_BLOB;
	u->path = path;
	p->nupd++;
	p->chg[i].exists = 1;
	p->chg[i].st = st;
	memcpy(p->chg[i].oid, u->id.id, sizeof(p->chg[i].oid));
cleanup:
	strbuf_release(&full);
	return err;
}

/* The new tree: only the touched subtrees are rewritten, never the whole. */
static int plan_tree(git_oid *out, git_repository *repo, const struct plan *p,
		     git_tree *base)
{
	if (!p->nupd)
		return psm_error(PSM_EUNCHANGED, "nothing to commit");
	if (git_tree_create_updated(out, repo, base, p->nupd, p->upd) < 0)
		return psm_error_git(PSM_ERROR, "could not build the tree for '%s'",
				     p->upd[0].path);
	if (base && git_oid_equal(out, git_tree_id(base)))
		return psm_error(PSM_EUNCHANGED, "nothing to commit");
	return 0;
}

static int make_commit(git_oid *id, git_repository *repo, const struct head *h,
		       const git_oid *tree_id, const git_signature *sig,
		       const char *message)
{
	struct strbuf msg = STRBUF_INIT;
	const git_commit *parents[1];
	git_tree *tree = NULL;
	int err = 0;

	/* git ends every commit message with a newline; so do we. */
	strbuf_addstr(&msg, message);
	if (!msg.len || msg.buf[msg.len - 1] != '\n')
		strbuf_addch(&msg, '\n');
	if (msg.oom) {
		err = oom();
		goto cleanup;
	}
	if (git_tree_lookup(&tree, repo, tree_id) < 0) {
		err = psm_error_git(PSM_ERROR, "could not read the new tree");
		goto cleanup;
	}
	parents[0] = h->parent;
	/* No update_ref: the ref is moved afterwards with a compare-and-swap. */
	if (git_commit_create(id, repo, NULL, sig, sig, NULL, msg.buf, tree,
			      h->parent ? 1 : 0, parents) < 0)
		err = psm_error_git(PSM_ERROR, "could not create commit");
cleanup:
	git_tree_free(tree);
	strbuf_release(&msg);
	return err;
}

/*
 * Point HEAD's branch (or a detached HEAD) at the new commit, but only if
 * nobody moved it since we read it; otherwise their commit would be lost.
 */
static int move_ref(git_repository *repo, const struct head *h, const git_oid *id,
		    const char *message)
{
	struct strbuf log = STRBUF_INIT;
	git_reference *ref = NULL;
	const char *name = h->unborn ? h->unborn : git_reference_name(h->ref);
	int err;

	strbuf_addstr(&log, "psm: ");
	strbuf_add(&log, message, strcspn(message, "\n"));
	if (log.oom) {
		err = oom();
		goto cleanup;
	}
	if (h->unborn) /* force=0: a branch born meanwhile is not ours to clobber */
		err = git_reference_create(&ref, repo, name, id, 0, log.buf);
	else
		err = git_reference_create_matching(&ref, repo, name, id, 1,
						    git_commit_id(h->parent), log.buf);
	if (err == GIT_EEXISTS || err == GIT_EMODIFIED)
		err = psm_error(PSM_ECONFLICT, "HEAD moved while psm was writing; try again");
	else if (err == GIT_ELOCKED)
		err = psm_error_git(PSM_ELOCKED, "could not update '%s'", name);
	else if (err < 0)
		err = psm_error_git(PSM_ERROR, "could not update '%s'", name);
cleanup:
	git_reference_free(ref);
	strbuf_release(&log);
	return err;
}

/* c's entry as psm_index_patch would write it (not re-read from disk). */
static int index_add(git_index *idx, const struct psm_index_change *c)
{
	git_index_entry e;

	memset(&e, 0, sizeof(e));
	e.ctime.seconds = (int32_t)c->st.st_ctim.tv_sec;
	e.ctime.nanoseconds = (uint32_t)c->st.st_ctim.tv_nsec;
	e.mtime.seconds = (int32_t)c->st.st_mtim.tv_sec;
	e.mtime.nanoseconds = (uint32_t)c->st.st_mtim.tv_nsec;
	e.dev = (uint32_t)c->st.st_dev;
	e.ino = (uint32_t)c->st.st_ino;
	e.mode = GIT_FILEMODE_BLOB;
	e.uid = (uint32_t)c->st.st_uid;
	e.gid = (uint32_t)c->st.st_gid;
	e.file_size = (uint32_t)c->st.st_size;
	memcpy(e.id.id, c->oid, sizeof(c->oid));
	e.path = c->path;
	return git_index_add(idx, &e);
}

/*
 * The fallback when the index is beyond psm_index_patch: libgit2 loads the
 * whole index from a copy at tmp, updates the paths and writes it back
 * there (through tmp.lock).
 */
static int update_index_libgit2(git_repository *repo, const struct plan *p,
				const struct strbuf *index, struct strbuf *tmp)
{
	struct strbuf text = STRBUF_INIT;
	git_index *idx = NULL;
	size_t i;
	int err = 0;

	if (strbuf_addstr(tmp, ".lock") < 0) {
		err = oom();
		goto cleanup;
	}
	unlink(tmp->buf); /* a killed psm's; the index lock makes it ours */
	strbuf_setlen(tmp, tmp->len - 5);
	if (strbuf_read_file(&text, index->buf, 0) < 0 && errno != ENOENT) {
		err = psm_error_errno(PSM_ERROR, "could not read the index '%s'",
				      index->buf);
		goto cleanup;
	}
	unlink(tmp->buf);
	/* no fsync: libgit2 does not sync the index either */
	if (text.len && (err = psm_write_file_atomic_nosync(tmp->buf, text.buf, text.len)) < 0)
		goto cleanup;
	if (git_index_open(&idx, tmp->buf) < 0 || git_repository_set_index(repo, idx) < 0) {
		err = psm_error_git(PSM_ERROR, "could not read the index '%s'",
				    index->buf);
		goto cleanup;
	}
	for (i = 0; i < p->n; i++) {
		err = p->chg[i].exists ? index_add(idx, &p->chg[i])
				       : git_index_remove_bypath(idx, p->paths[i]);
		if (err < 0) {
			err = psm_error_git(PSM_ERROR, "could not update the "
					    "index for '%s'", p->paths[i]);
			goto cleanup;
		}
	}
	if (git_index_write(idx) < 0)
		err = psm_error_git(PSM_ERROR, "could not write the index '%s'",
				    tmp->buf);
cleanup:
	git_index_free(idx);
	strbuf_release(&text);
	return err;
}

/* libgit2 cannot read a split index: say how to do without it. */
static int split_index_hint(int err)
{
	if (strstr(psm_error_last(), "extension: 'link'"))
		psm_error(err, "%s (a split index, which psm cannot write: "
			  "'git update-index --no-split-index' turns it off)", psm_error_last());
	return err;
}

/*
 * Refresh the index entries of exactly the committed paths, on a fresh read
 * so entries staged by the user meanwhile survive untouched. index.lock is
 * ours (index_lock), so the new index is written aside (psm/index.tmp,
 * serialised by that same lock) and renamed over the index, which is what
 * releasing index.lock would have done. Written by patching the index file's
 * bytes (gitindex.h), which costs a read, a hash and a write of the file;
 * libgit2 parsing and rewriting every entry only when the patch cannot.
 */
static int update_index(git_repository *repo, const struct plan *p)
{
	struct strbuf index = STRBUF_INIT, tmp = STRBUF_INIT;
	const char *gitdir = git_repository_path(repo);
	int err = 0;

	strbuf_addf(&index, "%sindex", gitdir);
	strbuf_addf(&tmp, "%spsm/index.tmp", gitdir);
	if (index.oom || tmp.oom) {
		err = oom();
		goto cleanup;
	}
	if ((err = psm_mkdir_parents(tmp.buf)) < 0)
		goto cleanup;
	err = psm_index_patch(index.buf, tmp.buf, p->chg, p->n);
	if (err == PSM_INDEX_UNSUPPORTED)
		err = update_index_libgit2(repo, p, &index, &tmp);
	else if (err < 0)
		err = psm_error(err, "could not update the index: %s",
				psm_error_last());
	if (err < 0)
		err = split_index_hint(err);
	if (!err && rename(tmp.buf, index.buf) < 0)
		err = psm_error_errno(PSM_ERROR, "could not replace the index '%s'",
				      index.buf);
cleanup:
	git_repository_set_index(repo, NULL); /* next use reads the new file */
	if (err < 0 && tmp.len)
		unlink(tmp.buf);
	strbuf_release(&index);
	strbuf_release(&tmp);
	return err;
}

/*
 * Point the index entries of p's paths back at tree's blobs (removed where
 * tree has none), their stat data zeroed so git re-reads the files rather
 * than trust them: for a commit that did not happen after all. Keeps the
 * caller's error message.
 */
static int index_back_to(git_repository *repo, struct plan *p, git_tree *tree)
{
	struct strbuf msg = STRBUF_INIT;
	int code = psm_error_code(), err = 0;
	size_t i;

	strbuf_addstr(&msg, psm_error_last());
	for (i = 0; i < p->n; i++) {
		git_tree_entry *e = NULL;

		memset(&p->chg[i].st, 0, sizeof(p->chg[i].st));
		p->chg[i].exists = 0;
		if (tree && !git_tree_entry_bypath(&e, tree, p->paths[i]) &&
		    git_tree_entry_type(e) == GIT_OBJECT_BLOB) {
			p->chg[i].exists = 1;
			p->chg[i].st.st_mode = S_IFREG | 0644;
			memcpy(p->chg[i].oid, git_tree_entry_id(e)->id, sizeof(p->chg[i].oid));
		}
		git_tree_entry_free(e);
	}
	err = update_index(repo, p);
	if (code < 0 && !msg.oom)
		psm_error(code, "%s", msg.buf);
	strbuf_release(&msg);
	return err;
}

int psm_git_commit(struct psm_git *g, const char *const *paths, size_t npaths,
		   const char *message, int64_t when, struct strbuf *oid_hex)
{
	struct plan p = { 0 };
	struct head h = { 0 };
	git_signature *sig = NULL;
	struct strbuf lock = STRBUF_INIT;
	git_oid tree_id, commit_id;
	char hex[GIT_OID_HEXSZ + 1];
	size_t i;
	int err;

	if ((err = make_signature(&sig, g, when)) < 0 ||
	    (err = index_lock(&lock, g->repo)) < 0 ||
	    (err = head_read(&h, g->repo)) < 0 ||
	    (err = plan_init(&p, paths, npaths)) < 0)
		goto cleanup;
	for (i = 0; i < p.n; i++)
		if ((err = plan_path(&p, g->repo, h.tree, i)) < 0)
			goto cleanup;
	if ((err = plan_tree(&tree_id, g->repo, &p, h.tree)) < 0 ||
	    (err = make_commit(&commit_id, g->repo, &h, &tree_id, sig, message)) < 0)
		goto cleanup;
	/*
	 * The index before HEAD. git commit reads HEAD, then the index, and
	 * only then takes index.lock: one reading both between our ref move
	 * and our index update would commit a tree without our files on top
	 * of our commit, silently. This way round it can only read the new
	 * index with the old HEAD, and then its own HEAD update fails.
	 */
	if ((err = update_index(g->repo, &p)) < 0)
		goto cleanup;
	if ((err = move_ref(g->repo, &h, &commit_id, message)) < 0) {
		index_back_to(g->repo, &p, h.tree);
		goto cleanup;
	}
	if (oid_hex && set_str(oid_hex, git_oid_tostr(hex, sizeof(hex), &commit_id)) < 0)
		err = PSM_ENOMEM;
cleanup:
	index_unlock(&lock);
	plan_free(&p);
	head_free(&h);
	git_signature_free(sig);
	return err;
}

int psm_git_head(struct strbuf *oid_hex, struct psm_git *g)
{
	struct head h = { 0 };
	char hex[GIT_OID_HEXSZ + 1];
	int err;

	strbuf_reset(oid_hex);
	if ((err = head_read(&h, g->repo)) == 0 && h.parent)
		err = set_str(oid_hex, git_oid_tostr(hex, sizeof(hex), git_commit_id(h.parent)));
	head_free(&h);
	return err;
}

int psm_git_index_sync(struct psm_git *g, const char *const *paths, size_t npaths)
{
	struct plan p = { 0 };
	struct strbuf lock = STRBUF_INIT;
	size_t i;
	int err;

	if ((err = index_lock(&lock, g->repo)) < 0 || (err = plan_init(&p, paths, npaths)) < 0)
		goto cleanup;
	/* As for a commit, minus the tree: no base, so a missing file is a removal. */
	for (i = 0; i < p.n; i++)
		if ((err = plan_path(&p, g->repo, NULL, i)) < 0)
			goto cleanup;
	err = update_index(g->repo, &p);
cleanup:
	index_unlock(&lock);
	plan_free(&p);
	return err;
}

int psm_git_index_reset(struct psm_git *g, const char *const *paths, size_t npaths)
{
	struct plan p = { 0 };
	struct head h = { 0 };
	struct strbuf lock = STRBUF_INIT;
	int err;

	psm_error_clear();
	if ((err = index_lock(&lock, g->repo)) < 0 || (err = head_read(&h, g->repo)) < 0 ||
	    (err = plan_init(&p, paths, npaths)) < 0)
		goto cleanup;
	err = index_back_to(g->repo, &p, h.tree);
cleanup:
	index_unlock(&lock);
	head_free(&h);
	plan_free(&p);
	return err;
}
