/* git's index: its lock, held across a commit, and the entries of the
 * committed paths, patched in place (gitindex.h) or through libgit2. */
#include <errno.h>
#include <fcntl.h>
#include <git2.h>
#include <git2/sys/repository.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "error.h"
#include "fsutil.h"
#include "git-int.h"
#include "strbuf.h"

static int oom(void)
{
	return psm_error(PSM_ENOMEM, "out of memory");
}

int psm_git__lock_wait(int tries)
{
	struct timespec pause = { 0, 10 * 1000 * 1000 };

	if (tries >= 200)
		return 0;
	nanosleep(&pause, NULL);
	return 1;
}

/*
 * git's own index.lock, held by psm from before HEAD is read until the index
 * records the commit. A `git commit` running meanwhile would otherwise build
 * its tree from an index without psm's new file and so drop it from HEAD;
 * this way git refuses ("index.lock exists") for the moment psm holds it,
 * and psm waits up to two seconds for a git that holds it.
 */
int psm_git__index_lock(struct strbuf *lock, git_repository *repo)
{
	int fd, tries, err;

	if (strbuf_addf(lock, "%sindex.lock", git_repository_path(repo)) < 0)
		return oom();
	for (tries = 0;; tries++) {
		fd = open(lock->buf, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
		if (fd >= 0) {
			close(fd);
			return 0;
		}
		if (errno != EEXIST || !psm_git__lock_wait(tries)) {
			err = errno != EEXIST
				? psm_error_errno(PSM_ERROR, "could not create '%s'", lock->buf)
				: psm_error(PSM_ELOCKED, "could not update the index: '%s' exists; "
					    "another git process seems to be running", lock->buf);
			strbuf_reset(lock); /* not ours to remove */
			return err;
		}
	}
}

void psm_git__index_unlock(struct strbuf *lock)
{
	if (lock->len)
		unlink(lock->buf);
	strbuf_release(lock);
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

/*
 * The fallback met a split index psm_index_patch left to it, which libgit2
 * cannot read: say how to do without it.
 */
static int split_index_hint(int err)
{
	if (strstr(psm_error_last(), "extension: 'link'"))
		psm_error(err, "%s (a split index psm cannot patch: a file it commits has a "
			  "conflict, a flag such as skip-worktree, or a file/directory clash; "
			  "'git update-index --no-split-index' turns split index off)",
			  psm_error_last());
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
int psm_git__update_index(struct psm_git *g, const struct plan *p)
{
	git_repository *repo = g->repo;
	struct psm_index_opts opts = { g->split_prefix, g->split_at, 0 };
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
	err = psm_index_patch(index.buf, tmp.buf, p->chg, p->n, &opts);
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
	if (!err && opts.split_done)
		g->split_done = 1;
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
int psm_git__index_back_to(struct psm_git *g, struct plan *p, git_tree *tree)
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
	err = psm_git__update_index(g, p);
	if (code < 0 && !msg.oom)
		psm_error(code, "%s", msg.buf);
	strbuf_release(&msg);
	return err;
}

int psm_git_index_sync(struct psm_git *g, const char *const *paths, size_t npaths)
{
	struct plan p = { 0 };
	struct strbuf lock = STRBUF_INIT;
	size_t i;
	int err;

	if ((err = psm_git__index_lock(&lock, g->repo)) < 0 || (err = psm_git__plan_init(&p, paths, npaths)) < 0)
		goto cleanup;
	/* As for a commit, minus the tree: no base, so a missing file is a removal. */
	for (i = 0; i < p.n; i++)
		if ((err = psm_git__plan_path(&p, g->repo, NULL, i)) < 0)
			goto cleanup;
	err = psm_git__update_index(g, &p);
cleanup:
	psm_git__index_unlock(&lock);
	psm_git__plan_free(&p);
	return err;
}

int psm_git_index_reset(struct psm_git *g, const char *const *paths, size_t npaths)
{
	struct plan p = { 0 };
	struct head h = { 0 };
	struct strbuf lock = STRBUF_INIT;
	int err;

	psm_error_clear();
	if ((err = psm_git__index_lock(&lock, g->repo)) < 0 || (err = psm_git__head_read(&h, g->repo)) < 0 ||
	    (err = psm_git__plan_init(&p, paths, npaths)) < 0)
		goto cleanup;
	err = psm_git__index_back_to(g, &p, h.tree);
cleanup:
	psm_git__index_unlock(&lock);
	psm_git__head_free(&h);
	psm_git__plan_free(&p);
	return err;
}
