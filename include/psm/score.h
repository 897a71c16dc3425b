#ifndef PSM_SCORE_H
#define PSM_SCORE_H
/*
 * An issue's priority: a sum of weighted terms, computed whenever it is
 * needed and never stored (it changes with time, the config and the
 * reporters). Each term is count * weight so `psm triage --explain` can show
 * where the number came from, as Taskwarrior's urgency table does.
 *
 *   impact     the impact's weight (impacts.<name>.weight), 0 when unset
 *   reporters  distinct reporters (by e-mail, else contact, else name)
 *   customers  distinct customers: the issue's own, any reporter's `customer`,
 *              else the one its e-mail domain maps to (people.h)
 *   keyword    1 when a config keyword is in the title or body (suggests core)
 *   age        weeks since `created`
 *   untriaged  days waiting for triage: since `created` while status is new,
 *              since `parked_until` once a parked issue is due again
 *   worth      thousands of monthly revenue its customers bring, from the
 *              config's optional `customers` table (worth.h); 0 without one
 *
 * The weights are the config's `weights:` map (impact, reporter, customer,
 * keyword, age_per_week, untriaged_per_day, worth).
 */
#include <stdint.h>

#include "psm/config.h"
#include "psm/issue.h"

enum psm_score_term_id {
	PSM_SCORE_IMPACT,
	PSM_SCORE_REPORTERS,
	PSM_SCORE_CUSTOMERS,
	PSM_SCORE_KEYWORD,
	PSM_SCORE_AGE,
	PSM_SCORE_UNTRIAGED,
	PSM_SCORE_WORTH, /* last: shown only with a customers table */
	PSM_SCORE_NTERMS
};

struct psm_score_term {
	const char *name;   /* "impact", "reporters", ... */
	const char *weight_key; /* its key under weights: */
	double count;       /* what was measured */
	double weight;
	double value;       /* count * weight */
};

struct psm_score_terms {
	struct psm_score_term t[PSM_SCORE_NTERMS];
	double total;
	const char *impact;           /* the issue's impact, or NULL */
	const char *keyword;          /* first config keyword found (config's string), or NULL */
	const char *keyword_seen;     /* how the title or body wrote it (in the issue's text) */
	size_t keyword_seen_len;
	const char *suggested_impact; /* "core" when a keyword matched, else NULL */
};

/* Fill out (may be NULL) and return the total. */
double psm_score(struct psm_score_terms *out, const struct psm_issue *issue,
		 const struct psm_config *cfg, int64_t now);

/*
 * The first config keyword found in text in one of the ways people write
 * it (keyword.h: "sign in" matches "Sign  in!", "signed in" and "sign-in";
 * login matches "logins" and, through keyword_variants, "log in"), as
 * whole words. NULL if none (or out of memory); the keyword is cfg's,
 * valid until psm_config_free().
 */
const char *psm_keyword_match(const struct psm_config *cfg, const char *text, size_t len);

/* Distinct customers: the issue's `customer` and reporters' `customer`. */
size_t psm_issue_customer_count(const struct psm_issue *issue);

#endif
