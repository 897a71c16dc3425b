#ifndef PSM_MERGE_INT_H
#define PSM_MERGE_INT_H
/* Shared between merge.c (front matter) and merge-body.c (body). */
#include "psm/merge.h"
#include "psm/strbuf.h"

/* Merge issue bodies: lines, and `## Timeline` entries as a set. */
int psm_merge_body(struct strbuf *out, const struct strbuf *base,
		   const struct strbuf *ours, const struct strbuf *theirs,
		   const struct psm_merge_labels *labels);

#endif
