/* The repository's tags that name commits, for release lists (git-tags.h). */
#include "git-tags.h"

#include <git2.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "grow.h"

static int oom(void)
{
	return psm_error(PSM_ENOMEM, "out of memory");
}

static int cmp_tag(const void *x, const void *y)
{
	const struct psm_tag *a = x, *b = y;

	if (a->time != b->time)
		return a->time < b->time ? 1 : -1;
	return strcmp(b->name, a->name);
}

/* Peel ref to a commit and add it; 0 and nothing added when it names none. */
static int add_tag(struct psm_tag **v, size_t *n, size_t *alloc, git_reference *ref)
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
		err = oom();
		goto out;
	}
	*v = nv;
	t = &nv[*n];
	memset(t, 0, sizeof(*t));
	c = (const git_commit *)obj;
	if (!(t->name = strdup(git_reference_shorthand(ref)))) {
		err = oom();
		goto out;
	}
	git_oid_tostr(t->commit, sizeof(t->commit), git_commit_id(c));
	t->time = (int64_t)git_commit_time(c);
	if (git_commit_tree(&tree, c) < 0) {
		err = psm_error_git(PSM_ERROR, "could not read the tree of tag '%s'", t->name);
		free(t->name);
		goto out;
	}
	t->has_store = !git_tree_entry_bypath(&e, tree, ".psm/config.yml");
	git_error_clear();
	(*n)++;
out:
	git_tree_entry_free(e);
	git_tree_free(tree);
	git_object_free(obj);
	return err;
}

int psm_git_tags(struct psm_tag **out, size_t *n, struct psm_store *s)
{
	git_repository *repo = NULL;
	git_reference_iterator *it = NULL;
	git_reference *ref = NULL;
	struct psm_tag *v = NULL;
	size_t nv = 0, alloc = 0;
	int err;

	*out = NULL;
	*n = 0;
	git_libgit2_init();
	if ((err = psm_git_reopen(&repo, s->git)) < 0)
		goto cleanup;
	if (git_reference_iterator_glob_new(&it, repo, "refs/tags/*") < 0) {
		err = psm_error_git(PSM_ERROR, "could not list the tags");
		goto cleanup;
	}
	while (!(err = git_reference_next(&ref, it))) {
		err = add_tag(&v, &nv, &alloc, ref);
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

void psm_git_tags_free(struct psm_tag *tags, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(tags[i].name);
	free(tags);
}
