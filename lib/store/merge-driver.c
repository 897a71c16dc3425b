/* Registering psm's merge driver with git (merge-driver.h). */
#include <errno.h>
#include <string.h>

#include "psm/error.h"
#include "psm/fs.h"
#include "psm/merge-driver.h"
#include "psm/store.h"

#define ATTR_LINE PSM_ISSUE_DIR "/** merge=psm\n"

int psm_merge_driver_attributes(const char *root, int dry_run)
{
	struct strbuf path = STRBUF_INIT, text = STRBUF_INIT;
	int r = 0;

	strbuf_addf(&path, "%s%s", root, PSM_MERGE_ATTRIBUTES);
	if (path.oom) {
		r = psm_oom();
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
		r = psm_oom();
	else if ((r = psm_write_file_atomic(path.buf, text.buf, text.len)) == 0)
		r = 1;
out:
	strbuf_release(&path);
	strbuf_release(&text);
	return r;
}

/* Through git config: it writes where git reads (includes, worktrees). */
int psm_merge_driver_register(struct psm_git *g)
{
	int r = psm_git_config_set(g, "merge.psm.name", "psm issue files");

	return r ? r : psm_git_config_set(g, "merge.psm.driver", PSM_MERGE_DRIVER);
}

int psm_merge_driver_missing(struct psm_git *g, const char *root)
{
	struct strbuf path = STRBUF_INIT, text = STRBUF_INIT, val = STRBUF_INIT;
	int r = 0;

	strbuf_addf(&path, "%s%s", root, PSM_MERGE_ATTRIBUTES);
	if (path.oom)
		r = psm_oom();
	else if (strbuf_read_file(&text, path.buf, 1 << 20) == 0 && strstr(text.buf, "merge=psm"))
		r = psm_git_config_get(&val, g, "merge.psm.driver") == PSM_ENOTFOUND;
	psm_error_clear();
	strbuf_release(&path);
	strbuf_release(&text);
	strbuf_release(&val);
	return r;
}
