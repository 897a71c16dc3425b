/* Tags and history depth, for the changelog's default range (git.h). */
#include <git2.h>

#include "psm/error.h"
#include "psm/git.h"

int psm_git_newest_tag(struct strbuf *name, struct psm_git *g, const char *rev)
{
	git_describe_options o;
	git_describe_format_options f;
	git_describe_result *res = NULL;
	git_repository *repo = NULL;
	git_object *obj = NULL, *commit = NULL;
	git_buf buf = { 0 };
	int err;

	git_libgit2_init();
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
