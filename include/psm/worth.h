#ifndef PSM_WORTH_H
#define PSM_WORTH_H
/*
 * What an issue's customers are worth, for the priority's `worth` term (as
 * Canny weighs votes by revenue and Plain by tier). The config may hold a
 * table of customers with their plan and monthly revenue, and what a plan
 * is worth for a customer whose revenue is not given:
 *
 *	customers:
 *	  Acme:
 *	    plan: enterprise
 *	    mrr: 4200
 *	  Initech:
 *	    plan: pro
 *	plans:
 *	  pro: 500
 *
 * An issue's customers are its `customer`, its reporters' `customer` and
 * the customers their e-mail domains stand for (people.h), each counted
 * once (any case); each found in the table brings its `mrr`,
 * else its plan's number under `plans`, else nothing. Without a
 * `customers` table the term is absent: configs from before it score as
 * they did.
 */
#include "psm/config.h"
#include "psm/issue.h"
#include "psm/strbuf.h"

/* Does the config hold a customers table (the worth term applies)? */
int psm_worth_configured(const struct psm_config *cfg);

/* The monthly revenue the issue's listed customers bring (0 when none). */
double psm_issue_worth(const struct psm_issue *issue, const struct psm_config *cfg);

/* In words, for psm triage --explain: "Acme 4200 (enterprise), Initech
 * 500 (pro plan)", or "no customer in the config's customers". */
int psm_worth_explain(struct strbuf *out, const struct psm_issue *issue,
		      const struct psm_config *cfg);

#endif
