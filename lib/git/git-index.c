/*
 * git's index, changed by git itself. psm holds git's own index.lock
 * across a commit; git update-index writes the new index aside (its
 * GIT_INDEX_FILE pointed at a link to the index), which psm renames into
 * place before HEAD moves and takes back if HEAD cannot move. Every index
 * format and setting git knows (versions, split and sparse indexes,
 * fsmonitor, ...) is git's to read and write.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "psm/error.h"
#include "psm/fs.h"
#include "psm/lock.h"
#include "git-int.h"
#include "psm/strbuf.h"

int psm_git__lock_wait(int tries)
{
	struct timespec pause = { 0, 10 * 1000 * 1000 };

	if (tries >= 200)
		return 0;
	nanosleep(&pause, NULL);
	return 1;
}

/*
 * git's own <index>.lock, created exclusively as git creates it, and held
 * from before HEAD is read until HEAD has moved: a `git commit` meanwhile
 * refuses ("index.lock exists") instead of building its tree from an index
 * without psm's file. It holds "psm PID START", so a later psm can tell a
 * dead psm's lock from a live git's (git never reads another's lock file).
 */
int psm_git__index_lock(struct index_update *u, struct psm_git *g)
{
	struct strbuf who = STRBUF_INIT, tmp = STRBUF_INIT;
	int tries, err = 0;

	strbuf_init(&u->lock, 0);
	strbuf_init(&u->next, 0);
	strbuf_init(&u->old, 0);
	u->replaced = 0;
	u->index = g->index;
	strbuf_addf(&u->lock, "%s.lock", g->index);
	strbuf_addf(&u->next, "%s.psm-next", g->index);
	strbuf_addf(&u->old, "%s.psm-old", g->index);
	/* written whole to <index>.psm-lock (ours: psm holds the store lock),
	 * then linked: a psm killed while taking it leaves no empty lock that a
	 * later psm would take for a live git's */
	strbuf_addf(&tmp, "%s.psm-lock", g->index);
	if (u->lock.oom || u->next.oom || u->old.oom || tmp.oom) {
		err = psm_oom();
		goto fail;
	}
	if ((err = psm_lock_file_prepare(tmp.buf, &who, "psm ")) < 0)
		goto fail;
	for (tries = 0; (err = psm_lock_file_try(u->lock.buf, tmp.buf, &who)) == 1; tries++) {
		if (!psm_git__lock_wait(tries)) {
			err = psm_error(PSM_ELOCKED, "could not update the index: '%s' exists; "
				       "another git process seems to be running", u->lock.buf);
			break;
		}
	}
	unlink(tmp.buf);
	if (err < 0)
		goto fail;
	strbuf_release(&who);
	strbuf_release(&tmp);
	return 0;
fail:
	strbuf_release(&u->lock); /* not ours to remove */
	strbuf_release(&u->next);
	strbuf_release(&u->old);
	strbuf_release(&who);
	strbuf_release(&tmp);
	return err;
}

/* A byte copy of the index, where the file system has no hard links. */
static int copy_file(const char *from, const char *to)
{
	struct strbuf text = STRBUF_INIT;
	int r;

	if (strbuf_read_file(&text, from, 0) < 0)
		r = text.oom ? psm_oom() : psm_error_errno(PSM_ERROR, "could not read '%s'", from);
	else
		r = psm_write_file_atomic_nosync(to, text.buf, text.len);
	strbuf_release(&text);
	return r;
}

/* to names the same file as from (or a copy); 0 when from does not exist. */
static int link_or_copy(const char *from, const char *to, int *exists)
{
	*exists = 1;
	if (!link(from, to))
		return 0;
	if (errno == ENOENT) {
		*exists = 0;
		return 0;
	}
	if (errno == EPERM || errno == EXDEV || errno == EMLINK || errno == ENOSYS)
		return copy_file(from, to);
	return psm_error_errno(PSM_ERROR, "could not link '%s'", to);
}

/* Noted once the index is one file: the check need not run again. */
static int unsplit_done(struct psm_git *g)
{
	struct strbuf marker = STRBUF_INIT;
	int r;

	strbuf_addf(&marker, "%spsm/index-unsplit", g->gitdir);
	if (marker.oom)
		r = psm_oom();
	else if ((r = psm_mkdir_parents(marker.buf)) == 0)
		r = psm_write_file_atomic_nosync(marker.buf, "", 0);
	strbuf_release(&marker);
	return r;
}

/*
 * Earlier psm versions split the index themselves once it held 10,000
 * issue files. Where core.splitIndex is unset and the index is split, the
 * next update makes it one file again, once: *unsplit says to add
 * --no-split-index. Whether it is split is git's answer (rev-parse
 * --shared-index-path), asked until done (<gitdir>/psm/index-unsplit, also
 * written when it was not split), so only the first commit pays for it.
 */
static int unsplit_needed(int *unsplit, struct psm_git *g, const char *index)
{
	static const char *const args[] = { "rev-parse", "--shared-index-path", NULL };
	struct strbuf marker = STRBUF_INIT, out = STRBUF_INIT;
	struct psm_git_run run = { 0 };
	int64_t core;
	int r = 0;

	*unsplit = 0;
	strbuf_addf(&marker, "%spsm/index-unsplit", g->gitdir);
	if (marker.oom) {
		r = psm_oom();
		goto cleanup;
	}
	if (psm_path_exists(marker.buf))
		goto cleanup;
	r = psm_git_config_int(&core, g, "core.splitIndex");
	if (r != PSM_ENOTFOUND) /* the user's setting (r == 0): git keeps to it */
		goto cleanup;
	run.index = index;
	run.out = &out;
	if ((r = psm_git__run(g, &run, args)) != 0)
		goto cleanup;
	strbuf_rtrim(&out);
	*unsplit = out.len > 0;
	if (!*unsplit) /* not split: nothing of an earlier psm's to undo, ask no more */
		r = unsplit_done(g);
cleanup:
	strbuf_release(&marker);
	strbuf_release(&out);
	return r < 0 ? r : 0;
}

/* "MODE OID 0\tPATH\0" for --index-info -z; mode 0 removes the path. */
static int index_info(struct strbuf *in, const struct change *c)
{
	char hex[GIT_OID_HEXSZ + 1];

	if (c->exists)
		strbuf_addf(in, "100644 %s 0\t%s", git_oid_tostr(hex, sizeof(hex), &c->oid),
			    c->path);
	else
		strbuf_addf(in, "0 %040d\t%s", 0, c->path);
	strbuf_addch(in, '\0');
	return in->oom ? psm_oom() : 0;
}

/* Did the file change since git hashed it (an editor writing meanwhile)? */
static int changed_since(const struct change *c, const char *workdir)
{
	struct strbuf full = STRBUF_INIT;
	struct stat st;
	int changed;

	strbuf_addf(&full, "%s%s", workdir, c->path);
	changed = full.oom || lstat(full.buf, &st) < 0 || st.st_size != c->st.st_size ||
		  st.st_ino != c->st.st_ino || st.st_mtim.tv_sec != c->st.st_mtim.tv_sec ||
		  st.st_mtim.tv_nsec != c->st.st_mtim.tv_nsec ||
		  st.st_ctim.tv_sec != c->st.st_ctim.tv_sec ||
		  st.st_ctim.tv_nsec != c->st.st_ctim.tv_nsec;
	strbuf_release(&full);
	return changed;
}

/*
 * The entries of p's paths in the index at `index`, in two steps of git
 * update-index. First exactly the committed blobs (--index-info, which also
 * drops a stale conflict, an assume-unchanged or skip-worktree flag, and
 * removes what the commit removes); then the files named to git, which
 * finds each one's content equal to its entry and records its stat data,
 * as git add leaves it. A commit that only adds paths HEAD does not have
 * (an intake) needs only the second: it is the one git add would make,
 * and each run reads and writes the whole index. A file changed since git
 * hashed it keeps the committed blob, unrefreshed, so git shows the change
 * as not staged.
 */
static int update_entries(struct psm_git *g, const char *index, const struct plan *p,
			  int unsplit)
{
	const char *info[] = { "update-index", "--add", "--remove", "-z", "--index-info", NULL,
			       NULL };
	const char *add[] = { "update-index", "--add", "--ignore-skip-worktree-entries",
			      "-z", "--stdin", NULL, NULL };
	struct strbuf in = STRBUF_INIT, names = STRBUF_INIT;
	struct psm_git_run run = { 0 };
	size_t i;
	int r = 0, exact = 0;

	run.index = index;
	for (i = 0; i < p->n && !r; i++) {
		const struct change *c = &p->chg[i];

		exact |= c->in_head || !c->exists;
		r = index_info(&in, c);
		if (c->exists && strbuf_add(&names, c->path, strlen(c->path) + 1) < 0)
			r = psm_oom();
	}
	if (r)
		goto cleanup;
	if (unsplit && names.len) /* the last run makes it one file */
		add[4] = "--no-split-index", add[5] = "--stdin";
	else if (unsplit)
		info[4] = "--no-split-index", info[5] = "--index-info";
	if (exact) {
		run.in = in.buf;
		run.inlen = in.len;
		if ((r = psm_git__run(g, &run, info)) != 0)
			goto cleanup;
	}
	if (names.len) {
		run.in = names.buf;
		run.inlen = names.len;
		if ((r = psm_git__run(g, &run, add)) != 0)
			goto cleanup;
	}
	strbuf_reset(&in);
	for (i = 0; i < p->n && !r; i++)
		if (p->chg[i].exists && changed_since(&p->chg[i], g->workdir))
			r = index_info(&in, &p->chg[i]);
	if (!r && in.len) {
		run.in = in.buf;
		run.inlen = in.len;
		info[4] = "--index-info", info[5] = NULL;
		r = psm_git__run(g, &run, info);
	}
cleanup:
	if (r > 0)
		r = psm_error(PSM_ERROR, "could not update the index: %s", psm_error_last());
	strbuf_release(&in);
	strbuf_release(&names);
	return r < 0 ? r : 0;
}

int psm_git__index_write(struct index_update *u, struct psm_git *g, const struct plan *p)
{
	struct strbuf lock = STRBUF_INIT;
	int r, had_index, unsplit = 0;

	/* a killed psm's leftovers: the lock we hold makes them ours */
	strbuf_addf(&lock, "%s.lock", u->next.buf);
	if (lock.oom) {
		r = psm_oom();
		goto cleanup;
	}
	unlink(lock.buf);
	unlink(u->next.buf);
	unlink(u->old.buf);
	if ((r = link_or_copy(g->index, u->next.buf, &had_index)) < 0 ||
	    (had_index && (r = unsplit_needed(&unsplit, g, u->next.buf)) < 0) ||
	    (r = update_entries(g, u->next.buf, p, unsplit)) < 0)
		goto cleanup;
	if (had_index && (r = link_or_copy(g->index, u->old.buf, &had_index)) < 0)
		goto cleanup;
	if (rename(u->next.buf, g->index) < 0) {
		r = psm_error_errno(PSM_ERROR, "could not replace the index '%s'", g->index);
		goto cleanup;
	}
	u->replaced = had_index ? 1 : 2;
	if (unsplit) {
		g->notes |= PSM_GIT_NOTE_UNSPLIT;
		unsplit_done(g); /* the index is one file now: no harm if this fails */
	}
cleanup:
	if (r < 0) {
		unlink(u->next.buf);
		unlink(u->old.buf);
	}
	strbuf_release(&lock);
	return r;
}

void psm_git__index_done(struct index_update *u, int keep)
{
	/* HEAD did not move: the index as it was, byte for byte (or none) */
	if (u->replaced == 1 && !keep)
		rename(u->old.buf, u->index);
	else if (u->replaced == 2 && !keep)
		unlink(u->index);
	unlink(u->old.buf);
	unlink(u->next.buf);
	if (u->lock.len)
		unlink(u->lock.buf);
	strbuf_release(&u->lock);
	strbuf_release(&u->next);
	strbuf_release(&u->old);
}

/* Is the lock file a dead psm's ("psm PID START", and that process gone)? */
static int dead_psm_lock(const char *path)
{
	struct strbuf text = STRBUF_INIT;
	int dead;

	dead = strbuf_read_file(&text, path, 64) == 0 && !strncmp(text.buf, "psm ", 4) &&
	       psm_pid_gone(text.buf + 4);
	strbuf_release(&text);
	return dead;
}

/* The entries of paths made to match HEAD: the files as they are when HEAD
 * holds the commit, else HEAD's blobs (stat data left for git to fill). */
static int entries_to_head(struct psm_git *g, const char *const *paths, size_t npaths,
			   int committed)
{
	struct plan p = { 0 };
	struct head h = { 0 };
	struct strbuf in = STRBUF_INIT;
	struct psm_git_run run = { 0 };
	const char **args = NULL;
	size_t i, k = 0;
	int r;

	if ((r = psm_git__plan_init(&p, paths, npaths)) < 0)
		goto cleanup;
	if (!(args = calloc(p.n + 8, sizeof(*args)))) {
		r = psm_oom();
		goto cleanup;
	}
	args[k++] = "update-index";
	args[k++] = "--add";
	args[k++] = "--remove";
	if (!committed) {
		if ((r = psm_git__head_read(&h, g->repo)) < 0)
			goto cleanup;
		for (i = 0; i < p.n && !r; i++) {
			git_tree_entry *e = NULL;

			p.chg[i].exists = h.tree && !git_tree_entry_bypath(&e, h.tree, p.paths[i]) &&
					  git_tree_entry_type(e) == GIT_OBJECT_BLOB;
			if (p.chg[i].exists)
				git_oid_cpy(&p.chg[i].oid, git_tree_entry_id(e));
			git_tree_entry_free(e);
			r = index_info(&in, &p.chg[i]);
		}
		git_error_clear();
		args[k++] = "-z";
		args[k++] = "--index-info";
		run.in = in.buf;
		run.inlen = in.len;
	} else {
		args[k++] = "--";
		for (i = 0; i < p.n; i++)
			args[k++] = p.paths[i];
	}
	args[k] = NULL;
	if (!r && (r = psm_git__run(g, &run, args)) > 0)
		r = psm_error(PSM_ERROR, "could not update the index: %s", psm_error_last());
cleanup:
	free(args);
	strbuf_release(&in);
	psm_git__plan_free(&p);
	psm_git__head_free(&h);
	return r;
}

int psm_git_recover_index(struct psm_git *g, const char *const *paths, size_t npaths,
			  int committed)
{
	struct strbuf lock = STRBUF_INIT, next = STRBUF_INIT, old = STRBUF_INIT,
		      nextlock = STRBUF_INIT, made = STRBUF_INIT;
	int r = 0, exact = 0;

	strbuf_addf(&lock, "%s.lock", g->index);
	strbuf_addf(&next, "%s.psm-next", g->index);
	strbuf_addf(&nextlock, "%s.psm-next.lock", g->index);
	strbuf_addf(&old, "%s.psm-old", g->index);
	strbuf_addf(&made, "%s.psm-lock", g->index);
	if (lock.oom || next.oom || old.oom || nextlock.oom || made.oom) {
		r = psm_oom();
		goto cleanup;
	}
	unlink(made.buf); /* the dead psm's lock as it wrote it, before linking it */
	/*
	 * The dead psm's index.lock still there: no git wrote the index since,
	 * so the old one it kept is exact. HEAD moved only after the index was
	 * replaced, so then the new one is right. Without the old one and
	 * without the commit, the index may or may not have been replaced.
	 */
	if (dead_psm_lock(lock.buf)) {
		unlink(nextlock.buf);
		unlink(next.buf);
		if (committed) {
			exact = 1;
		} else if (psm_path_exists(old.buf)) {
			exact = rename(old.buf, g->index) == 0;
		}
		unlink(old.buf);
		unlink(lock.buf);
	}
	if (!exact && npaths)
		r = entries_to_head(g, paths, npaths, committed);
cleanup:
	strbuf_release(&lock);
	strbuf_release(&next);
	strbuf_release(&nextlock);
	strbuf_release(&old);
	strbuf_release(&made);
	return r;
}
