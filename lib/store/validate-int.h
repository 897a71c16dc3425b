#ifndef PSM_VALIDATE_INT_H
#define PSM_VALIDATE_INT_H
/*
 * Between validate-set.c and validate-refs.c: psm check's checks across
 * issues, on what each issue is reduced to.
 */
#include <stdint.h>

#include "psm/validate.h"

/* An issue as the cross checks see it: copies, NULL when absent. */
struct check_issue {
	char *id, *path, *dup_of;
	int id_line, id_col, dup_line, dup_col;
	int64_t created; /* its sort_created */
	int is_new;      /* status new: triage has not seen it */
};

/* Something that identifies an item from outside, held by an issue. */
struct check_ref {
	char *key;     /* "x:" source \x1f external_id, or "r:" ref */
	size_t issue;  /* index in psm_set_check's issues */
	int line, col; /* where the issue holds it */
};

struct psm_set_check {
	struct check_issue *v;
	size_t n, alloc;
	struct check_ref *refs;
	size_t nrefs, refs_alloc;
	size_t abbrev;      /* psm_issue_set_abbrev() of the issues so far */
	const char *prev;   /* the last ID added, for abbrev */
};

/* The refs of issue (index idx), unless it is closed as a duplicate. */
int psm_validate__refs_add(struct psm_set_check *c, const struct psm_issue *issue, size_t idx);
/* One error per pair of issues sharing a ref; returns how many. */
int psm_validate__refs_report(struct psm_issue_set *diag, struct psm_set_check *c);

#endif
