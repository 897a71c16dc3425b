/* Merging clusters (dup-move.h). */
#include "psm/dup-move.h"

#include "psm/error.h"
#include "psm/loop.h"

int psm_loop_dup_move(struct psm_issue *dup, struct psm_issue *from, struct psm_issue *to,
		      const char *now)
{
	const char *id = psm_issue_get(dup, "id"), *fid = psm_issue_get(from, "id");
	int r;

	if (!fid || !psm_streq(psm_issue_get(dup, "duplicate_of"), fid))
		return psm_error(PSM_EINVALID, "'%s' is not a duplicate of '%s'", id ? id : "?",
				 fid ? fid : "?");
	if ((r = psm_loop_undup(dup, from, now)) < 0)
		return r;
	/* psm_loop_dup refuses a duplicate of another issue: it is one no more */
	if (psm_issue_set(dup, "duplicate_of", NULL) < 0)
		return psm_oom();
	if ((r = psm_loop_dup(dup, to, now)) < 0)
		return r;
	return psm_issue_set(dup, "updated", now);
}
