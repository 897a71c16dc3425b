/* One psm commit (psm_git_commit): the plan of its paths, their blobs, the
 * tree made from HEAD's, the commit and the compare-and-swap of HEAD. */
#include <errno.h>
#include <git2.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "error.h"
#include "git-int.h"
#include "strbuf.h"

static int oom(void)
{
	return psm_error(PSM_ENOMEM, "out of memory");
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
int psm_git__plan_init(struct plan *p, const char *const *paths, size_t npaths)
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
int psm_git__plan_path(struct plan *p, git_repository *repo, git_tree *base, size_t i)
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
		err = oom();
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
	git_signature *sig = NULL;
	struct strbuf lock = STRBUF_INIT;
	git_oid tree_id, commit_id;
	char hex[GIT_OID_HEXSZ + 1];
	size_t i;
	int err;

	if ((err = psm_git__signature(&sig, g, when)) < 0 ||
	    (err = psm_git__index_lock(&lock, g->repo)) < 0 ||
	    (err = psm_git__head_read(&h, g->repo)) < 0 ||
	    (err = psm_git__plan_init(&p, paths, npaths)) < 0)
		goto cleanup;
	for (i = 0; i < p.n; i++)
		if ((err = psm_git__plan_path(&p, g->repo, h.tree, i)) < 0)
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
	if ((err = psm_git__update_index(g, &p)) < 0)
		goto cleanup;
	if ((err = move_ref(g->repo, &h, &commit_id, message)) < 0) {
		psm_git__index_back_to(g, &p, h.tree);
		goto cleanup;
	}
	if (oid_hex) {
		strbuf_reset(oid_hex);
		if (strbuf_addstr(oid_hex, git_oid_tostr(hex, sizeof(hex), &commit_id)) < 0)
			err = oom();
	}
cleanup:
	psm_git__index_unlock(&lock);
	psm_git__plan_free(&p);
	psm_git__head_free(&h);
	git_signature_free(sig);
	return err;
}
