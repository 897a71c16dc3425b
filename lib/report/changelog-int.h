#ifndef PSM_CHANGELOG_INT_H
#define PSM_CHANGELOG_INT_H
/* Inside libpsm's changelog: the rules, shared by changelog.c and changelog-rules.c. */
#include "psm/changelog.h"
#include "psm/config.h"

/* The defaults in code, overlaid key by key with the config's `changelog:`. */
struct psm_cl_rules {
	struct psm_node *root;
	const struct psm_node *groups; /* map: group name -> {types, resolutions, labels} */
	const struct psm_node *excl_res, *excl_labels, *excl_types;
	const struct psm_node *change_res; /* resolutions that change the product */
	const char *known_label, *next_status, *link;
	int require_note, known_issues;
};

/* PSM_EINVALID naming the config line when the `changelog:` key is malformed. */
int psm_cl_rules_load(struct psm_cl_rules *r, const struct psm_config *cfg);
void psm_cl_rules_release(struct psm_cl_rules *r);
/* The group's name, or NULL when no rule places it ("Other"). Resolution
 * and label rules win over type rules. */
const char *psm_cl_group_of(const struct psm_cl_rules *r, const struct psm_issue *is);

#endif
