#ifndef PSM_DUP_MOVE_H
#define PSM_DUP_MOVE_H
/*
 * Merging clusters: when an issue that already has duplicates becomes a
 * duplicate itself (psm dup A --of B), its duplicates move to B first, so
 * no chain is made and B's reporters count everyone.
 */
#include "psm/issue.h"

/*
 * dup, a duplicate of from, becomes a duplicate of to: the reporters it
 * brought to from (via: dup) leave from, and join to (via: dup), its
 * outside messages too (as psm_loop_dup); its close and resolution stay.
 * PSM_EINVALID when dup is not a duplicate of from, or to is refused as a
 * target (psm_loop_dup's rules). Sets `updated` on what changed.
 */
int psm_loop_dup_move(struct psm_issue *dup, struct psm_issue *from, struct psm_issue *to,
		      const char *now);

#endif
