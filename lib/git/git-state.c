/*
 * When psm may write, and how what it writes is shared: states of the
 * repository in which a commit would land where the user does not expect
 * it (a merge, rebase, ... in progress), a sparse checkout that leaves
 * the store out, and core.sharedRepository's permissions on the objects
 * libgit2 writes (libgit2 1.5 does not apply them; git does, in
 * adjust_shared_perm(), which this follows).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "psm/error.h"
#include "git-int.h"
#include "psm/strbuf.h"

int psm_git__check_state(struct psm_git *g)
{
	const char *what, *out;

	switch (git_repository_state(g->repo)) {
	case GIT_REPOSITORY_STATE_NONE:
		return 0;
	case GIT_REPOSITORY_STATE_MERGE:
		what = "a merge";
		out = "finish it ('git commit') or abort it ('git merge --abort')";
		break;
	case GIT_REPOSITORY_STATE_REVERT:
	case GIT_REPOSITORY_STATE_REVERT_SEQUENCE:
		what = "a revert";
		out = "finish it ('git revert --continue') or abort it ('git revert --abort')";
		break;
	case GIT_REPOSITORY_STATE_CHERRYPICK:
	case GIT_REPOSITORY_STATE_CHERRYPICK_SEQUENCE:
		what = "a cherry-pick";
		out = "finish it ('git cherry-pick --continue') or abort it "
		      "('git cherry-pick --abort')";
		break;
	case GIT_REPOSITORY_STATE_BISECT:
		what = "a bisect";
		out = "end it ('git bisect reset')";
		break;
	case GIT_REPOSITORY_STATE_APPLY_MAILBOX:
		what = "'git am'";
		out = "finish it ('git am --continue') or abort it ('git am --abort')";
		break;
	case GIT_REPOSITORY_STATE_APPLY_MAILBOX_OR_REBASE:
		what = "'git am' or a rebase";
		out = "finish it (--continue) or abort it (--abort)";
		break;
	default:
		what = "a rebase";
		out = "finish it ('git rebase --continue') or abort it ('git rebase --abort')";
		break;
	}
	return psm_error(PSM_ESTATE, "cannot commit: %s is in progress; %s, or write the files "
			 "only with --no-commit", what, out);
}

int psm_git_check_writable(struct psm_git *g)
{
	return psm_git__check_state(g);
}

/* Is dir (work-tree relative, no slash) wholly inside one of the cone's
 * directories, as `git sparse-checkout list` prints them? */
static int in_cone(const char *dir, char *list)
{
	char *line, *save = NULL;

	for (line = strtok_r(list, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		size_t n = strlen(line);

		if (!strncmp(dir, line, n) && (!dir[n] || dir[n] == '/'))
			return 1;
	}
	return 0;
}

/* Is dir, or part of it, left out? cone: `sparse-checkout list`'s output. */
static int left_out(struct psm_git *g, const char *dir, struct strbuf *cone)
{
	const char *ls[] = { "ls-files", "-t", "-z", "--", dir, NULL };
	struct strbuf out = STRBUF_INIT, copy = STRBUF_INIT;
	struct psm_git_run run = { 0 };
	size_t i;
	int r = 0;

	if (cone) {
		if (strbuf_addbuf(&copy, cone) < 0)
			r = psm_oom();
		else
			r = !in_cone(dir, copy.buf);
	} else {
		run.out = &out;
		/* entries tagged S are skip-worktree: not checked out */
		if ((r = psm_git__run(g, &run, ls)) == 0)
			for (i = 0; i < out.len && !r; i += strlen(out.buf + i) + 1)
				r = out.buf[i] == 'S';
	}
	strbuf_release(&out);
	strbuf_release(&copy);
	return r;
}

int psm_git_sparse_check(struct psm_git *g, const char *const *dirs)
{
	static const char *const list[] = { "sparse-checkout", "list", NULL };
	struct strbuf cone = STRBUF_INIT, all = STRBUF_INIT;
	struct psm_git_run run = { 0 };
	int64_t sparse = 0, in_cone_mode = 0;
	const char *first = NULL;
	size_t i;
	int r;

	if ((r = psm_git_config_int(&sparse, g, "core.sparseCheckout")) < 0 && r != PSM_ENOTFOUND)
		return r;
	if (!sparse)
		return 0;
	if ((r = psm_git_config_int(&in_cone_mode, g, "core.sparseCheckoutCone")) < 0 &&
	    r != PSM_ENOTFOUND)
		return r;
	run.out = &cone;
	if (in_cone_mode && (r = psm_git__run(g, &run, list)) != 0)
		goto cleanup;
	for (i = 0; dirs[i] && r >= 0; i++) {
		strbuf_addf(&all, " %s", dirs[i]);
		if ((r = left_out(g, dirs[i], in_cone_mode ? &cone : NULL)) > 0 && !first)
			first = dirs[i];
	}
	if (r >= 0 && first)
		r = psm_error(PSM_ESTATE, "'%s/' is outside the sparse checkout, so psm cannot "
			      "see the store; 'git sparse-checkout add%s' brings it in", first,
			      all.buf);
	else if (r > 0)
		r = 0;
cleanup:
	strbuf_release(&cone);
	strbuf_release(&all);
	return r;
}

/* core.sharedRepository as git reads it (git_config_perm): 0 for the
 * umask, 0660 group, 0664 everybody, or minus an exact mode. */
static int shared_setting(struct psm_git *g, int *perm)
{
	struct strbuf val = STRBUF_INIT;
	char *end;
	long mode;
	int r;

	*perm = 0;
	r = psm_git_config_get(&val, g, "core.sharedRepository");
	if (r == PSM_ENOTFOUND)
		return 0;
	if (r < 0)
		return r;
	if (!strcmp(val.buf, "umask") || !strcmp(val.buf, "false") || !strcmp(val.buf, "no") ||
	    !strcmp(val.buf, "off"))
		*perm = 0;
	else if (!strcmp(val.buf, "group") || !strcmp(val.buf, "true") ||
		 !strcmp(val.buf, "yes") || !strcmp(val.buf, "on") || !val.len)
		*perm = 0660;
	else if (!strcmp(val.buf, "all") || !strcmp(val.buf, "world") ||
		 !strcmp(val.buf, "everybody"))
		*perm = 0664;
	else if ((mode = strtol(val.buf, &end, 8)), *end)
		r = psm_error(PSM_EINVALID, "bad value '%s' for git config 'core.sharedRepository'",
			      val.buf);
	else
		*perm = mode == 0 ? 0 : mode == 1 ? 0660 : mode == 2 ? 0664 : -(int)(mode & 0666);
	strbuf_release(&val);
	return r;
}

/* git's adjust_shared_perm() for one path. */
static int adjust(const char *path, int perm)
{
	struct stat st;
	int tweak = perm < 0 ? -perm : perm, mode;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : psm_error_errno(PSM_ERROR, "could not stat '%s'", path);
	mode = (int)st.st_mode;
	if (!(mode & S_IWUSR))
		tweak &= ~0222;
	if (mode & S_IXUSR)
		tweak |= (tweak & 0444) >> 2;
	mode = perm < 0 ? (mode & ~0777) | tweak : mode | tweak;
	if (S_ISDIR(st.st_mode)) {
		mode |= (mode & 0444) >> 2;
		if (mode & 060)
			mode |= S_ISGID;
	}
	if (((int)st.st_mode ^ mode) & ~S_IFMT && chmod(path, (mode_t)(mode & ~S_IFMT)) < 0)
		return psm_error_errno(PSM_ERROR, "could not set the permissions of '%s'", path);
	return 0;
}

/* The loose object id (and its fan-out directory), if libgit2 wrote it so. */
static int adjust_object(struct psm_git *g, const git_oid *id, int perm)
{
	struct strbuf path = STRBUF_INIT;
	char hex[GIT_OID_HEXSZ + 1];
	size_t dir;
	int r;

	git_oid_tostr(hex, sizeof(hex), id);
	strbuf_addf(&path, "%sobjects/%.2s", git_repository_commondir(g->repo), hex);
	dir = path.len;
	strbuf_addf(&path, "/%s", hex + 2);
	if (path.oom)
		return psm_oom();
	if ((r = adjust(path.buf, perm)) == 0) {
		strbuf_setlen(&path, dir);
		r = adjust(path.buf, perm);
	}
	strbuf_release(&path);
	return r;
}

/*
 * libgit2 wrote the commit ids[1] and the trees on the way to each of p's
 * paths in ids[0] with its own modes: give them the ones git would.
 * (Blobs are git's own: hash-object.)
 */
int psm_git__shared_perm(struct psm_git *g, const struct plan *p, const git_oid *ids, size_t n)
{
	struct strbuf dir = STRBUF_INIT;
	git_tree *root = NULL;
	size_t i, j;
	int perm, r;

	if ((r = shared_setting(g, &perm)) < 0 || !perm)
		return r;
	for (i = 0; i < n && !r; i++)
		r = adjust_object(g, &ids[i], perm);
	if (r || git_tree_lookup(&root, g->repo, &ids[0]) < 0)
		goto cleanup;
	for (i = 0; i < p->nupd && !r; i++) {
		const char *path = p->upd[i].path;

		for (j = 0; path[j] && !r; j++) {
			git_tree_entry *e = NULL;

			if (path[j] != '/')
				continue;
			strbuf_reset(&dir);
			strbuf_add(&dir, path, j);
			if (dir.oom)
				r = psm_oom();
			else if (!git_tree_entry_bypath(&e, root, dir.buf))
				r = adjust_object(g, git_tree_entry_id(e), perm);
			git_tree_entry_free(e);
		}
	}
cleanup:
	git_error_clear();
	git_tree_free(root);
	strbuf_release(&dir);
	return r;
}

/* The branch libgit2 moved (a loose ref file) and its reflogs. */
int psm_git__shared_perm_ref(struct psm_git *g, const char *name)
{
	struct strbuf path = STRBUF_INIT;
	const char *common = git_repository_commondir(g->repo);
	int perm, r;

	if ((r = shared_setting(g, &perm)) < 0 || !perm)
		return r;
	strbuf_addf(&path, "%s%s", strcmp(name, "HEAD") ? common : g->gitdir, name);
	if (!(r = path.oom ? psm_oom() : adjust(path.buf, perm))) {
		strbuf_reset(&path);
		strbuf_addf(&path, "%slogs/%s", strcmp(name, "HEAD") ? common : g->gitdir, name);
		r = path.oom ? psm_oom() : adjust(path.buf, perm);
	}
	if (!r) {
		strbuf_reset(&path);
		strbuf_addf(&path, "%slogs/HEAD", g->gitdir);
		r = path.oom ? psm_oom() : adjust(path.buf, perm);
	}
	strbuf_release(&path);
	return r;
}
