#ifndef PSM_PEOPLE_H
#define PSM_PEOPLE_H
/*
 * People: the owners the config names, the team's own addresses, and the
 * customer a reporter's e-mail domain stands for.
 *
 * An entry of the config's `owners` list is one person, written as
 *
 *   raj@acme.example                      an e-mail address
 *   Raj Patel                             a name (old configs: kept working)
 *   Raj Patel <raj@acme.example>          both
 *   raj: Raj Patel <raj@acme.example>     a handle, then either of the above
 *
 * The functions on the team and on customers take a NULL config as one
 * with no team, no `customer_domains` and no `free_mail` (a computation
 * without a store, as the unit tests make).
 *
 * An issue's `owner` names the person by any of these: psm writes the
 * e-mail address (else the name, else the handle), and reads the others as
 * the same person, so files written before the config named people keep
 * their meaning.
 */
#include <stddef.h>

#include "psm/config.h"
#include "psm/issue.h"
#include "psm/strbuf.h"

struct psm_person {
	char *handle, *name, *email; /* each NULL when the entry has none */
	const char *entry;           /* the scalar as the config writes it */
};

struct psm_people {
	struct psm_person *v;
	size_t n;
};

/* The config's owners, in config order (entries that are no person skipped). */
int psm_people_owners(struct psm_people *out, const struct psm_config *cfg);
void psm_people_release(struct psm_people *p);

/*
 * The person `who` names, ignoring case: first exactly (a handle, an e-mail
 * address, a full name, an entry as written); else, unless exact_only, by
 * an e-mail address's local part or one word of a name ("raj" for "Raj
 * Patel <rp@acme.example>"). Returns the index; PSM_ENOTFOUND (no message);
 * PSM_EAMBIGUOUS with a message naming the candidates.
 */
int psm_people_find(const struct psm_people *p, const char *who, int exact_only);
/* What an issue's `owner` holds for the person: e-mail, else name, else handle. */
const char *psm_person_id(const struct psm_person *p);
/* "Raj Patel <raj@acme.example> (raj)": for lists of candidates. */
int psm_person_describe(struct strbuf *out, const struct psm_person *p);

/*
 * The owner to write for `who` (a handle, a name, an e-mail, a first name):
 * with owners configured, the person it names (psm_person_id); with none,
 * `who` itself. PSM_EINVALID naming the owners when it names no one,
 * PSM_EAMBIGUOUS naming the candidates.
 */
int psm_people_owner(struct strbuf *out, const struct psm_config *cfg, const char *who);
/* Is `owner` allowed in a file: owners empty, or it names one exactly. */
int psm_people_owner_allowed(const struct psm_config *cfg, const char *owner);
/* Do a and b name the same owner: equal ignoring case, or both naming one
 * configured person exactly. */
int psm_people_same_owner(const struct psm_config *cfg, const char *a, const char *b);
/* "Raj Patel <raj@acme.example>, mei@acme.example": the owners for messages. */
int psm_people_join(struct strbuf *out, const struct psm_config *cfg);

/*
 * Is the e-mail address the team's own: in the config's `team` list (an
 * address, or a domain such as acme.example or @acme.example, which covers
 * its subdomains too) or an owner's address. The team is never owed a
 * follow-up and never counted as a customer.
 */
int psm_people_is_team(const struct psm_config *cfg, const char *email);
/* The same for a reporter (a mapping): by its `email`. */
int psm_reporter_is_team(const struct psm_config *cfg, const struct psm_node *reporter);
/* A reporter (a mapping) as psm names one: "Dana <dana@acme.example>", or
 * the name, e-mail or contact alone; appended to out, as written in the
 * file (callers make it safe for where it goes). */
int psm_reporter_format(struct strbuf *out, const struct psm_node *reporter);
/* Reporters (mappings) who are not on the team. */
size_t psm_people_outside_reporters(const struct psm_config *cfg, const struct psm_issue *issue);

/* Is the domain a free-mail provider's (gmail.com...): the shipped list
 * (lib/freemail.c) and the config's `free_mail` list. */
int psm_people_free_mail(const struct psm_config *cfg, const char *domain);
/*
 * The customer a reporter stands for: its own `customer`, else the one the
 * config's `customer_domains` map gives its e-mail's domain (or a parent
 * domain: eu.acme.example finds acme.example). Never for a team address or
 * a free-mail domain. *domain (may be NULL) is set to the domain key used,
 * or NULL when the reporter named its customer itself. NULL when none.
 */
const char *psm_reporter_customer(const struct psm_config *cfg, const struct psm_node *reporter,
				  const char **domain);
/* A customer of an issue: its name and, when a reporter's e-mail domain
 * gave it, that domain (the config's key); both borrowed. */
struct psm_customer {
	const char *name, *domain;
};
/*
 * Distinct customers (ignoring case): the issue's `customer`, then each
 * reporter's (psm_reporter_customer), in that order. out (may be NULL)
 * needs room for 1 + the number of reporters.
 */
size_t psm_people_customers(struct psm_customer *out, const struct psm_config *cfg,
			    const struct psm_issue *issue);

#endif
