/* One psm commit (psm_git_commit): the plan of its paths, their blobs, the
 * tree made from HEAD's, the commit and the compare-and-swap of HEAD. */
#include <errno.h>
#include <git2.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "psm/error.h"
#include "psm/fs.h"
#include "git-int.h"
#include "psm/strbuf.h"

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
int psm_git__plan_init(struct plan *p, const char *const *paths, size_t npaths)
{
	size_t i;
	int err;

	p->paths = calloc(npaths ? npaths : 1, sizeof(*p->paths));
	p->chg = calloc(npaths ? npaths : 1, sizeof(*p->chg));
	p->upd = calloc(npaths ? npaths : 1, sizeof(*p->upd));
	if (!p->paths || !p->chg || !p->upd)
		return psm_oom();
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

void psm_git__plan_free(struct plan *p)
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

/*
 * Stat every path (a path with no file is a removal), then store the files
 * as blobs through git itself (hash-object: the clean filters, eol and
 * ident rules and core.sharedRepository of this repository, as git add
 * would), in one run for all of them. The stat is taken before git reads
 * the file, as git add does: a change made meanwhile shows as a stat
 * mismatch, never hidden.
 */
int psm_git__plan_paths(struct plan *p, struct psm_git *g, git_tree *base)
{
	static const char *const args[] = { "hash-object", "-w", "--stdin-paths", NULL };
	struct strbuf full = STRBUF_INIT, in = STRBUF_INIT, out = STRBUF_INIT;
	struct psm_git_run run = { 0 };
	char *line, *save = NULL;
	size_t i;
	int err = 0;

	for (i = 0; i < p->n && !err; i++) {
		struct change *c = &p->chg[i];

		strbuf_reset(&full);
		if (strbuf_addf(&full, "%s%s", g->workdir, c->path) < 0) {
			err = psm_oom();
		} else if (lstat(full.buf, &c->st) < 0) {
			if (errno == ENOENT || errno == ENOTDIR)
				err = plan_removal(p, base, c->path);
			else
				err = psm_error_errno(PSM_ERROR, "could not stat '%s'", c->path);
		} else if (!S_ISREG(c->st.st_mode)) {
			/* a symlink or directory would not get the 0100644 blob psm promises */
			err = psm_error(PSM_EINVALID, "cannot commit '%s': not a regular file",
					c->path);
		} else {
			git_tree_entry *e = NULL;

			c->exists = 1;
			c->in_head = base && !git_tree_entry_bypath(&e, base, c->path);
			git_tree_entry_free(e);
			strbuf_addf(&in, "%s\n", c->path);
		}
	}
	if (err || !in.len)
		goto cleanup;
	if (in.oom) {
		err = psm_oom();
		goto cleanup;
	}
	run.in = in.buf;
	run.inlen = in.len;
	run.out = &out;
	if ((err = psm_git__run(g, &run, args)) != 0) {
		err = psm_error(PSM_ERROR, "could not store the issue files in git: %s",
				psm_error_last());
		goto cleanup;
	}
	line = strtok_r(out.buf, "\n", &save);
	for (i = 0; i < p->n; i++) {
		git_tree_update *u = &p->upd[p->nupd];

		if (!p->chg[i].exists)
			continue;
		if (!line || git_oid_fromstr(&p->chg[i].oid, line) < 0) {
			err = psm_error(PSM_ERROR, "git hash-object gave no object for '%s'",
					p->chg[i].path);
			goto cleanup;
		}
		u->action = GIT_TREE_UPDATE_UPSERT;
		u->filemode = GIT_FILEMODE_BLOB;
		u->path = p->chg[i].path;
		git_oid_cpy(&u->id, &p->chg[i].oid);
		p->nupd++;
		line = strtok_r(NULL, "\n", &save);
	}
cleanup:
	strbuf_release(&full);
	strbuf_release(&in);
	strbuf_release(&out);
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

static int make_commit(git_oid *id, struct psm_git *g, const struct head *h,
		       const git_oid *tree_id, const git_signature *sig,
		       const char *message)
{
	struct strbuf msg = STRBUF_INIT;
	const git_commit *parents[1];
	git_repository *repo = g->repo;
	git_tree *tree = NULL;
	int err = 0, sign;

	/* git ends every commit message with a newline; so do we. */
	strbuf_addstr(&msg, message);
	if (!msg.len || msg.buf[msg.len - 1] != '\n')
		strbuf_addch(&msg, '\n');
	if (msg.oom) {
		err = psm_oom();
		goto cleanup;
	}
	if ((sign = err = psm_git__sign_wanted(g)) < 0)
		goto cleanup;
	if (sign) {
		err = psm_git__commit_signed(id, g, h->parent, tree_id, sig, &msg);
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
 * A `git commit` holds the branch's .lock for the moment it moves it (after
 * it has let go of index.lock, which psm holds): wait for it, as for
 * index.lock, up to two seconds; the branch has then moved, and the
 * caller rebuilds the commit on it.
 */
static int move_ref(git_repository *repo, const struct head *h, const git_oid *id,
		    const char *message)
{
	struct strbuf log = STRBUF_INIT;
	git_reference *ref = NULL;
	const char *name = h->unborn ? h->unborn : git_reference_name(h->ref);
	int err, tries;

	strbuf_addstr(&log, "psm: ");
	strbuf_add(&log, message, strcspn(message, "\n"));
	if (log.oom) {
		err = psm_oom();
		goto cleanup;
	}
	for (tries = 0;; tries++) {
		if (h->unborn) /* force=0: a branch born meanwhile is not ours to clobber */
			err = git_reference_create(&ref, repo, name, id, 0, log.buf);
		else
			err = git_reference_create_matching(&ref, repo, name, id, 1,
							    git_commit_id(h->parent), log.buf);
		if (err != GIT_ELOCKED || !psm_git__lock_wait(tries))
			break;
	}
	if (err == GIT_EEXISTS || err == GIT_EMODIFIED)
		err = psm_error(PSM_ECONFLICT, "HEAD moved while psm was writing; try again");
	else if (err == GIT_ELOCKED)
		err = psm_error(PSM_ELOCKED, "could not update '%s': '%s%s.lock' exists; another "
				"git process seems to be running; try again", name,
				git_repository_path(repo), name);
	else if (err < 0)
		err = psm_error_git(PSM_ERROR, "could not update '%s'", name);
cleanup:
	git_reference_free(ref);
	strbuf_release(&log);
	return err;
}

int psm_git_commit(struct psm_git *g, const char *const *paths, size_t npaths,
		   const char *message, int64_t when, struct strbuf *oid_hex)
{
	struct plan p = { 0 };
	struct head h = { 0 };
	struct index_update u = { 0 };
	git_signature *sig = NULL;
	git_oid ids[2];
	char hex[GIT_OID_HEXSZ + 1];
	int err, moved = 0, locked = 0;

	if ((err = psm_git__check_state(g)) < 0 ||
	    (err = psm_git__signature(&sig, g, when)) < 0 ||
	    (err = psm_git__index_lock(&u, g)) < 0)
		goto cleanup;
	locked = 1;
	if ((err = psm_git__head_read(&h, g->repo)) < 0 ||
	    (err = psm_git__plan_init(&p, paths, npaths)) < 0 ||
	    (err = psm_git__plan_paths(&p, g, h.tree)) < 0 ||
	    (err = plan_tree(&ids[0], g->repo, &p, h.tree)) < 0 ||
	    (err = make_commit(&ids[1], g, &h, &ids[0], sig, message)) < 0 ||
	    (err = psm_git__shared_perm(g, &p, ids, 2)) < 0)
		goto cleanup;
	/*
	 * The index before HEAD. git commit reads HEAD, then the index, and
	 * only then takes index.lock: one reading both between our ref move
	 * and our index update would commit a tree without our files on top
	 * of our commit, silently. This way round it can only read the new
	 * index with the old HEAD, and then its own HEAD update fails.
	 */
	if ((err = psm_git__index_write(&u, g, &p)) < 0 ||
	    (err = move_ref(g->repo, &h, &ids[1], message)) < 0)
		goto cleanup;
	moved = 1;
	if ((err = psm_git__shared_perm_ref(g, h.unborn ? h.unborn : git_reference_name(h.ref))) < 0)
		goto cleanup;
	git_oid_tostr(hex, sizeof(hex), &ids[1]);
	if (!h.unborn && !strcmp(git_reference_name(h.ref), "HEAD"))
		memcpy(g->detached, hex, sizeof(hex));
	if (oid_hex) {
		strbuf_reset(oid_hex);
		if (strbuf_addstr(oid_hex, hex) < 0)
			err = psm_oom();
	}
cleanup:
	if (locked)
		psm_git__index_done(&u, moved);
	psm_git__plan_free(&p);
	psm_git__head_free(&h);
	git_signature_free(sig);
	return err;
}
