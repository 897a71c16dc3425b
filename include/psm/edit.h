#ifndef PSM_EDIT_H
#define PSM_EDIT_H
/*
 * psm edit: change any field of any issue, open or closed. What psm check
 * accepts is decided when the file is written (psm_validate_write, called
 * by psm_txn_save); here are only the rules of the command itself.
 */
#include "psm/issue.h"

/*
 * Set front-matter key to value, or remove it when value is "". Refused,
 * with the command that does it right: `id` (it names the file), `updated`
 * (psm sets it), `status` and `duplicate_of` (psm status, close, reopen,
 * park, dup keep the times, follow-up and reporters right), and keys
 * holding a list or a mapping (labels: psm tag; the others: the editor). A
 * key is letters, digits, '_', '-' or '.'; a value is one line of UTF-8.
 * No `updated`: psm_edit_finish() does that.
 */
int psm_edit_field(struct psm_issue *issue, const char *key, const char *value);

/*
 * The issue an editor left in text, for the file at path: parsed (PSM_EPARSE
 * with err filled when it cannot be), with path set and `updated` set to
 * now when text differs from old (1 returned when it does not).
 */
int psm_edit_text(struct psm_issue **out, const char *path, const char *old, size_t oldlen,
		  const char *text, size_t len, const char *now, struct psm_yaml_error *err);

#endif
