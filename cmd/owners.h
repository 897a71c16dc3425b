#ifndef PSM_OWNERS_H
#define PSM_OWNERS_H
/*
 * Owners: who a typed name means (people.h), and the --auto rule shared by
 * psm assign and psm triage: the configured owner with the fewest open
 * issues; ties go to the owner listed first, so a run of assignments
 * rotates through the list in its order.
 */
#include <stddef.h>

#include "psm/people.h"
#include "psm/store.h"

/*
 * The owner to write for what the user typed: "me" (the git identity's
 * e-mail), a handle, a name or an e-mail, resolved to the configured person
 * (people.h); dies naming the owners, or the candidates when it is
 * ambiguous. A static buffer, valid until the next call.
 */
const char *resolve_owner_or_die(struct psm_store *s, const char *who);

/* Owners' open-issue counts, for --auto (fewest first, then config order). */
struct owner_load {
	struct psm_people people;
	const char **name; /* what an issue's owner holds for each (psm_person_id) */
	size_t *open;
	size_t n;
};
void owner_load_init(struct owner_load *ol, struct psm_store *s);
void owner_load_count(struct owner_load *ol, const struct psm_issue *issue, int delta);
const char *owner_load_pick(const struct owner_load *ol);
void owner_load_release(struct owner_load *ol);

#endif
