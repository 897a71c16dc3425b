#ifndef PSM_REVIEW_INT_H
#define PSM_REVIEW_INT_H
/*
 * The weekly review, inside lib/report: review.c adds the issues one at a
 * time and keeps the lists; review-blocked.c the core-impact issues and
 * their labels, whose counts need every duplicate's customer first, so
 * what they are made of is copied as the issues come and counted at the end.
 */
#include "psm/review.h"

/* A list of owned strings, sorted and counted for distinct entries. */
struct strs {
	char **v;
	size_t n, alloc;
};

/* A core-impact issue's people, accounts and labels, until finish. */
struct core_raw {
	char *id;               /* NULL when it has none */
	struct strs reporters;  /* reporter keys */
	struct strs customers;  /* its own customers (people.h) */
	struct strs labels;
};

struct psm_review_work {
	const struct psm_service *sv;
	const struct psm_config *cfg;
	size_t slow_alloc, late_alloc, owed_alloc, core_alloc, rel_alloc, kept_alloc;
	struct psm_review_issue *cur; /* the copy of the issue being added, once made */
	struct strs dups;             /* "id\037customer" of every duplicate with a customer */
	struct core_raw *core;        /* one per rv->core item, until finish */
	size_t core_n, raw_alloc;
};

/* The copy of the issue being added, made on first use. */
const struct psm_review_issue *psm_review__keep(struct psm_review *rv, const struct psm_issue *issue);

int psm_review__core_add(struct psm_review *rv, const struct psm_issue *issue,
		   const struct psm_issue_times *tm);
int psm_review__core_finish(struct psm_review *rv);
void psm_review__core_release(struct psm_review_work *w);

#endif
