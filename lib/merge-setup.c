/* Registering psm's merge driver with git (see merge.h). */
#include <errno.h>
#include <git2.h>
#include <string.h>

#include "error.h"
#include "fsutil.h"
#include "merge.h"
#include "store.h"

#define ATTR_LINE PSM_ISSUE_DIR "/** merge=psm\n"

int psm_merge_ensure_attributes(const char *root, int dry_run)
{
	struct strbuf path = STRBUF_INIT, text = STRBUF_INIT;
	int r = 0;

	strbuf_addf(&path, "%s%s", root, PSM_MERGE_ATTRIBUTES);
	if (path.oom) {
		r = psm_error(PSM_ENOMEM, "out of memory");
		goto out;
	}
	if (strbuf_read_file(&text, path.buf, 1 << 20) < 0 && errno != ENOENT) {
		r = psm_error_errno(PSM_ERROR, "could not read '%s'", PSM_MERGE_ATTRIBUTES);
		goto out;
	}
	if (strstr(text.buf, "merge=psm"))
		goto out; /* the user's own line counts too */
	if (dry_run) {
		r = 1;
		goto out;
	}
	if (text.len && text.buf[text.len - 1] != '\n')
		strbuf_addch(&text, '\n');
	strbuf_addstr(&text, ATTR_LINE);
	if (text.oom)
		r = psm_error(PSM_ENOMEM, "out of memory");
	else if ((r = psm_write_file_atomic(path.buf, text.buf, text.len)) == 0)
		r = 1;
out:
	strbuf_release(&path);
	strbuf_release(&text);
	return r;
}

int psm_merge_register(const char *gitdir)
{
	git_repository *repo = NULL;
	git_config *cfg = NULL, *local = NULL;
	int r = 0;

	if (git_libgit2_init() < 0)
		return psm_error_git(PSM_ERROR, "could not initialise libgit2");
	if (git_repository_open(&repo, gitdir) < 0 ||
	    git_repository_config(&cfg, repo) < 0 ||
	    git_config_open_level(&local, cfg, GIT_CONFIG_LEVEL_LOCAL) < 0) {
		r = psm_error_git(PSM_ERROR, "could not open the git config of '%s'", gitdir);
		goto out;
	}
	if (git_config_set_string(local, "merge.psm.name", "psm issue files") < 0 ||
	    git_config_set_string(local, "merge.psm.driver", PSM_MERGE_DRIVER) < 0)
		r = psm_error_git(PSM_ERROR, "could not register the merge driver in '%s'", gitdir);
out:
	git_config_free(local);
	git_config_free(cfg);
	git_repository_free(repo);
	git_libgit2_shutdown();
	return r;
}
