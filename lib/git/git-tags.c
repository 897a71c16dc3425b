/* Tags and history depth: the changelog's default range, the site's
 * releases (git.h). */
#include <git2.h>
#include <stdlib.h>
#include <string.h>

#include "psm/error.h"
#include "psm/git.h"
#include "psm/grow.h"

int psm_git_newest_tag(struct strbuf *name, struct psm_git *g, const char *rev)
{
	git_describe_options o;
	git_describe_format_options f;
	git_describe_result *res = NULL;
	git_repository *repo = NULL;
	git_object *obj = NULL, *commit = NULL;
	git_buf buf = { 0 };
	int err;

	psm_git_lib_init();
	git_describe_options_init(&o, GIT_DESCRIBE_OPTIONS_VERSION);
	git_describe_format_options_init(&f, GIT_DESCRIBE_FORMAT_OPTIONS_VERSION);
	o.describe_strategy = GIT_DESCRIBE_TAGS; /* lightweight tags count too */
	f.abbreviated_size = 0;                 /* the tag's name alone */
	if ((err = psm_git_reopen(&repo, g)) < 0)
		goto cleanup;
	/* No HEAD, or no such parent: there is nothing to describe. */
	if (git_revparse_single(&obj, repo, rev ? rev : "HEAD") < 0 ||
	    git_object_peel(&commit, obj, GIT_OBJECT_COMMIT) < 0) {
		err = PSM_ENOTFOUND;
		goto cleanup;
	}
	err = git_describe_commit(&res, commit, &o);
	/* no tag at all is a describe-class error, not GIT_ENOTFOUND */
	if (err == GIT_ENOTFOUND ||
	    (err < 0 && git_error_last() && git_error_last()->klass == GIT_ERROR_DESCRIBE)) {
		err = PSM_ENOTFOUND;
		goto cleanup;
	}
	if (err < 0 || git_describe_format(&buf, res, &f) < 0) {
		err = psm_error_git(PSM_ERROR, "could not find the newest tag");
		goto cleanup;
	}
	strbuf_reset(name);
	err = strbuf_addstr(name, buf.ptr) < 0 ? psm_oom() : 0;
cleanup:
	git_buf_dispose(&buf);
	git_describe_result_free(res);
	git_object_free(commit);
	git_object_free(obj);
	git_repository_free(repo);
	git_libgit2_shutdown();
	return err;
}

int psm_git_is_shallow(struct psm_git *g)
{
	git_repository *repo = NULL;
	int r = 0;

	if (psm_git_reopen(&repo, g) == 0)
		r = git_repository_is_shallow(repo) == 1;
	psm_error_clear();
	git_repository_free(repo);
	return r;
}

static int cmp_tag(const void *x, const void *y)
{
	const struct psm_tag *a = x, *b = y;

	if (a->time != b->time)
		return a->time < b->time ? 1 : -1;
	return strcmp(b->name, a->name);
}

/* Peel ref to a commit and add it; 0 and nothing added when it names none. */
static int add_tag(struct psm_tag **v, size_t *n, size_t *alloc, git_reference *ref,
		   const char *path)
{
	git_object *obj = NULL;
	git_tree *tree = NULL;
	git_tree_entry *e = NULL;
	struct psm_tag *t, *nv;
	const git_commit *c;
	int err = 0;

	if (git_reference_peel(&obj, ref, GIT_OBJECT_COMMIT) < 0) {
		git_error_clear();
		return 0;
	}
	if (!(nv = psm_grow(*v, *n, alloc, sizeof(**v), 16))) {
		err = psm_oom();
		goto out;
	}
	*v = nv;
	t = &nv[*n];
	memset(t, 0, sizeof(*t));
	c = (const git_commit *)obj;
	if (!(t->name = strdup(git_reference_shorthand(ref)))) {
		err = psm_oom();
		goto out;
	}
	git_oid_tostr(t->commit, sizeof(t->commit), git_commit_id(c));
	t->time = (int64_t)git_commit_time(c);
	if (git_commit_tree(&tree, c) < 0) {
		err = psm_error_git(PSM_ERROR, "could not read the tree of tag '%s'", t->name);
		free(t->name);
		goto out;
	}
	t->has_path = path && !git_tree_entry_bypath(&e, tree, path);
	git_error_clear();
	(*n)++;
out:
	git_tree_entry_free(e);
	git_tree_free(tree);
	git_object_free(obj);
	return err;
}

int psm_git_tags(struct psm_tag **out, size_t *n, struct psm_git *g, const char *path)
{
	git_repository *repo = NULL;
	git_reference_iterator *it = NULL;
	git_reference *ref = NULL;
	struct psm_tag *v = NULL;
	size_t nv = 0, alloc = 0;
	int err;

	*out = NULL;
	*n = 0;
	psm_git_lib_init();
	if ((err = psm_git_reopen(&repo, g)) < 0)
		goto cleanup;
	if (git_reference_iterator_glob_new(&it, repo, "refs/tags/*") < 0) {
		err = psm_error_git(PSM_ERROR, "could not list the tags");
		goto cleanup;
	}
	while (!(err = git_reference_next(&ref, it))) {
		err = add_tag(&v, &nv, &alloc, ref, path);
		git_reference_free(ref);
		if (err < 0)
			goto cleanup;
	}
	if (err != GIT_ITEROVER) {
		err = psm_error_git(PSM_ERROR, "could not list the tags");
		goto cleanup;
	}
	if (nv > 1)
		qsort(v, nv, sizeof(*v), cmp_tag);
	*out = v;
	*n = nv;
	v = NULL;
	nv = 0;
	err = 0;
cleanup:
	psm_git_tags_free(v, nv);
	git_reference_iterator_free(it);
	git_repository_free(repo);
	git_libgit2_shutdown();
	return err;
}

int psm_git_names_tag(struct psm_git *g, const char *rev)
{
	git_repository *repo = NULL;
	git_reference *ref = NULL;
	int err;

	psm_git_lib_init();
	if ((err = psm_git_reopen(&repo, g)) < 0)
		goto cleanup;
	err = git_reference_dwim(&ref, repo, rev);
	if (err == GIT_ENOTFOUND || err == GIT_EINVALIDSPEC) {
		err = 0;
	} else if (err < 0) {
		err = psm_error_git(PSM_ERROR, "could not read the reference '%s'", rev);
	} else {
		err = git_reference_is_tag(ref);
	}
cleanup:
	git_reference_free(ref);
	git_repository_free(repo);
	git_libgit2_shutdown();
	return err;
}

void psm_git_tags_free(struct psm_tag *tags, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(tags[i].name);
	free(tags);
}
