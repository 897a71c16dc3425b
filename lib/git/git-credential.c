/*
 * git's credential helpers (gitcredentials(7)), through git credential:
 * psm asks for a password the way git does and stores none itself.
 */
#include <string.h>

#include "psm/error.h"
#include "git-int.h"

int psm_git_credential(struct strbuf *out, struct psm_git *g, const char *action,
		       const char *description)
{
	const char *args[] = { "credential", action, NULL };
	struct psm_git_run run = { 0 };
	struct strbuf err = STRBUF_INIT;
	int r;

	if (strcmp(action, "fill") && strcmp(action, "approve") && strcmp(action, "reject"))
		return psm_error(PSM_EINVALID, "'%s' is not a git credential action", action);
	run.in = description;
	run.inlen = strlen(description);
	run.out = out;
	run.err = &err;
	r = psm_git__run(g, &run, args);
	if (r > 0)
		r = PSM_ERROR; /* psm_git__run said what git said */
	strbuf_release(&err);
	return r;
}
