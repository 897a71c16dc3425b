#include "psm/history.h"

#include <git2.h>
#include <stdlib.h>
#include <string.h>

#include "psm/error.h"
#include "psm/git.h"

#define MAX_PARENTS 64 /* an octopus beyond this is read as its first 64 */

/* The blob id of path in commit c; 0 with *found = 0 when it has none. */
static int path_oid(git_oid *out, int *found, git_commit *c, const char *path)
{
	git_tree *tree = NULL;
	git_tree_entry *e = NULL;
	int err;

	*found = 0;
	if (git_commit_tree(&tree, c) < 0)
		return psm_error_git(PSM_ERROR, "could not read the tree of a commit");
	err = git_tree_entry_bypath(&e, tree, path);
	if (err == 0 && git_tree_entry_type(e) == GIT_OBJECT_BLOB) {
		git_oid_cpy(out, git_tree_entry_id(e));
		*found = 1;
	} else if (err < 0 && err != GIT_ENOTFOUND) {
		err = psm_error_git(PSM_ERROR, "could not read '%s' from git", path);
	}
	git_tree_entry_free(e);
	git_tree_free(tree);
	return err < 0 && err != GIT_ENOTFOUND ? err : 0;
}

static int read_blob(struct strbuf *out, git_repository *repo, const git_oid *id, const char *path)
{
	git_blob *blob = NULL;
	int err = 0;

	if (git_blob_lookup(&blob, repo, id) < 0)
		return psm_error_git(PSM_ERROR, "could not read '%s' from git", path);
	if (strbuf_add(out, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob)) < 0)
		err = psm_oom();
	git_blob_free(blob);
	return err;
}

struct version {
	git_oid oid;
	int found;
	struct strbuf text;
};

/* Did commit c change path? If so, call fn with its texts. */
static int visit(git_repository *repo, git_commit *c, const char *path, int shallow,
		 psm_hist_fn fn, void *data)
{
	struct version here = { { { 0 } }, 0, STRBUF_INIT }, par[MAX_PARENTS];
	const struct strbuf *ptext[MAX_PARENTS];
	struct psm_hist_commit hc;
	struct strbuf summary = STRBUF_INIT;
	const git_signature *au = git_commit_author(c);
	const char *msg = git_commit_message(c);
	size_t i, n = git_commit_parentcount(c);
	int err, same = 0;
	char hex[GIT_OID_HEXSZ + 1];

	if (n > MAX_PARENTS)
		n = MAX_PARENTS;
	for (i = 0; i < n; i++) {
		strbuf_init(&par[i].text, 0);
		par[i].found = 0;
	}
	if ((err = path_oid(&here.oid, &here.found, c, path)) < 0)
		goto out;
	for (i = 0; i < n; i++) {
		git_commit *p = NULL;

		if (git_commit_parent(&p, c, (unsigned)i) < 0) {
			err = psm_error_git(PSM_ERROR, "could not read a parent commit");
			goto out;
		}
		err = path_oid(&par[i].oid, &par[i].found, p, path);
		git_commit_free(p);
		if (err < 0)
			goto out;
		/* the same as a parent's: the change, if any, is that parent's */
		same |= par[i].found == here.found &&
			(!here.found || git_oid_equal(&par[i].oid, &here.oid));
	}
	if (same || (!n && !here.found))
		goto out;
	if ((here.found && (err = read_blob(&here.text, repo, &here.oid, path)) < 0))
		goto out;
	for (i = 0; i < n; i++) {
		if (par[i].found && (err = read_blob(&par[i].text, repo, &par[i].oid, path)) < 0)
			goto out;
		ptext[i] = par[i].found ? &par[i].text : NULL;
	}
	strbuf_add(&summary, msg ? msg : "", msg ? strcspn(msg, "\n") : 0);
	if (summary.oom) {
		err = psm_oom();
		goto out;
	}
	git_oid_tostr(hex, sizeof(hex), git_commit_id(c));
	memset(&hc, 0, sizeof(hc));
	hc.hex = hex;
	hc.author_name = au && au->name ? au->name : "";
	hc.author_email = au && au->email ? au->email : "";
	hc.time = au ? (int64_t)au->when.time : (int64_t)git_commit_time(c);
	hc.summary = summary.buf;
	hc.text = here.found ? &here.text : NULL;
	hc.parents = ptext;
	hc.nparents = n;
	hc.shallow_root = !n && shallow;
	err = fn(&hc, data);
out:
	strbuf_release(&here.text);
	for (i = 0; i < n; i++)
		strbuf_release(&par[i].text);
	strbuf_release(&summary);
	return err;
}

int psm_history_walk(struct psm_store *s, const char *path, psm_hist_fn fn, void *data)
{
	git_repository *repo = NULL;
	git_revwalk *walk = NULL;
	git_oid id;
	int err, shallow;

	psm_git_lib_init();
	/* as gitdiff.c: trust the object store, keep trees in the cache */
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
	git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_TREE, (size_t)256 << 10);
	if ((err = psm_git_reopen(&repo, s->git)) < 0)
		goto out;
	shallow = git_repository_is_shallow(repo) == 1;
	err = git_repository_head_unborn(repo);
	if (err == 1) { /* no commit yet: no history */
		err = 0;
		goto out;
	}
	if (err < 0 || git_revwalk_new(&walk, repo) < 0 || git_revwalk_push_head(walk) < 0 ||
	    git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME | GIT_SORT_REVERSE) < 0) {
		err = psm_error_git(PSM_ERROR, "could not walk the history from HEAD");
		goto out;
	}
	while (!(err = git_revwalk_next(&id, walk))) {
		git_commit *c = NULL;

		if (git_commit_lookup(&c, repo, &id) < 0) {
			err = psm_error_git(PSM_ERROR, "could not read a commit of the history");
			goto out;
		}
		err = visit(repo, c, path, shallow, fn, data);
		git_commit_free(c);
		if (err < 0)
			goto out;
	}
	if (err == GIT_ITEROVER)
		err = 0;
	else
		err = psm_error_git(PSM_ERROR, "could not walk the history from HEAD");
out:
	git_revwalk_free(walk);
	git_repository_free(repo);
	git_libgit2_shutdown();
	return err;
}
