#ifndef PSM_OWNERS_H
#define PSM_OWNERS_H
/*
 * The --auto owner rule shared by psm assign and psm triage: the configured
 * owner with the fewest open issues; ties go to the owner listed first, so
 * a run of assignments rotates through the list in its order.
 */
#include <stddef.h>

#include "psm/store.h"

/* Owners' open-issue counts, for --auto (fewest first, then config order). */
struct owner_load {
	const char **name; /* the config's owners */
	size_t *open;
	size_t n;
};
void owner_load_init(struct owner_load *ol, struct psm_store *s);
void owner_load_count(struct owner_load *ol, const struct psm_issue *issue, int delta);
const char *owner_load_pick(const struct owner_load *ol);
void owner_load_release(struct owner_load *ol);

#endif
