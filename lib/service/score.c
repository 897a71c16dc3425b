#include "psm/score.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "psm/error.h"
#include "psm/keyword.h"
#include "psm/people.h"
#include "psm/time.h"
#include "psm/worth.h"
#include "psm/query.h"

static const struct {
	const char *name, *weight_key;
	double dflt; /* used when the config's weights: map leaves the key out */
} term_info[PSM_SCORE_NTERMS] = {
	[PSM_SCORE_IMPACT] = { "impact", "impact", 1.0 },
	[PSM_SCORE_REPORTERS] = { "reporters", "reporter", 2.0 },
	[PSM_SCORE_CUSTOMERS] = { "customers", "customer", 3.0 },
	[PSM_SCORE_KEYWORD] = { "keyword", "keyword", 5.0 },
	[PSM_SCORE_AGE] = { "age", "age_per_week", 0.5 },
	[PSM_SCORE_UNTRIAGED] = { "untriaged", "untriaged_per_day", 0.3 },
	[PSM_SCORE_WORTH] = { "worth", "worth", 1.0 },
};

const char *psm_keyword_match(const struct psm_config *cfg, const char *text, size_t len)
{
	struct psm_keyword_hit hit;

	if (psm_keyword_find(&hit, cfg, text, len) <= 0) {
		psm_error_clear(); /* a priority without the keyword term beats none */
		return NULL;
	}
	return hit.keyword;
}

/* The keyword term: the title first, then the body. */
static void find_keyword(struct psm_score_terms *s, const struct psm_issue *issue,
			 const struct psm_config *cfg)
{
	const char *title = psm_issue_get(issue, "title");
	struct psm_keyword_hit hit;
	int r = title ? psm_keyword_find(&hit, cfg, title, strlen(title)) : 0;

	if (r > 0) {
		s->keyword_seen = title + hit.at;
	} else if (r == 0 && (r = psm_keyword_find(&hit, cfg, issue->body.buf, issue->body.len)) > 0) {
		s->keyword_seen = issue->body.buf + hit.at;
	}
	if (r < 0)
		psm_error_clear();
	if (r <= 0)
		return;
	s->keyword = hit.keyword;
	s->keyword_seen_len = hit.len;
	s->suggested_impact = "core";
}

size_t psm_issue_customer_count(const struct psm_issue *issue)
{
	const struct psm_node *rs = psm_issue_node(issue, "reporters");
	const char *own = psm_issue_get(issue, "customer");
	size_t count = 0, i, j;

	if (own && *own)
		count++;
	for (i = 0; rs && rs->kind == PSM_SEQ && i < rs->n; i++) {
		const char *c = psm_node_get_str(rs->items[i], "customer");
		int dup = 0;

		if (!c || !*c || (own && !strcasecmp(own, c)))
			continue;
		for (j = 0; j < i && !dup; j++) {
			const char *p = psm_node_get_str(rs->items[j], "customer");

			dup = p && !strcasecmp(p, c);
		}
		count += !dup;
	}
	return count;
}

static double node_number(const struct psm_node *map, const char *key)
{
	const char *s = psm_node_get_str(map, key);
	char *end;
	double v;

	if (!s)
		return 0;
	v = strtod(s, &end);
	return end == s || *end ? 0 : v;
}

static double days_since(const char *when, int64_t now)
{
	int64_t t;

	if (!when || psm_time_parse(when, &t) < 0 || t >= now)
		return 0;
	return (double)(now - t) / 86400.0;
}

double psm_score(struct psm_score_terms *out, const struct psm_issue *issue,
		 const struct psm_config *cfg, int64_t now)
{
	struct psm_score_terms local;
	struct psm_score_terms *s = out ? out : &local;
	const char *status = psm_issue_get(issue, "status");
	const struct psm_node *imp;
	struct strbuf key = STRBUF_INIT;
	double age_days;
	size_t i;

	memset(s, 0, sizeof(*s));
	s->impact = psm_issue_get(issue, "impact");
	imp = s->impact ? psm_config_impact(cfg, s->impact) : NULL;
	find_keyword(s, issue, cfg);
	age_days = days_since(psm_issue_get(issue, "created"), now);

	s->t[PSM_SCORE_IMPACT].count = imp ? node_number(imp, "weight") : 0;
	s->t[PSM_SCORE_REPORTERS].count = (double)psm_issue_reporter_count(issue);
	s->t[PSM_SCORE_CUSTOMERS].count = (double)psm_people_customers(NULL, cfg, issue);
	s->t[PSM_SCORE_KEYWORD].count = s->keyword ? 1 : 0;
	s->t[PSM_SCORE_AGE].count = age_days / 7.0;
	s->t[PSM_SCORE_WORTH].count = psm_issue_worth(issue, cfg) / 1000.0;
	if (psm_streq(status, "new")) {
		s->t[PSM_SCORE_UNTRIAGED].count = age_days;
	} else if (psm_streq(status, "closed")) {
		/* a customer's reply after the close waits for triage since it came */
		s->t[PSM_SCORE_UNTRIAGED].count = days_since(psm_issue_get(issue, "customer_replied"),
							      now);
	} else if (psm_streq(status, "parked")) {
		const char *until = psm_issue_get(issue, "parked_until");
		int64_t t;

		if (until && !psm_time_parse(until, &t) && t <= now)
			s->t[PSM_SCORE_UNTRIAGED].count = days_since(until, now);
	}
	for (i = 0; i < PSM_SCORE_NTERMS; i++) {
		struct psm_score_term *t = &s->t[i];

		t->name = term_info[i].name;
		t->weight_key = term_info[i].weight_key;
		strbuf_reset(&key);
		strbuf_addf(&key, "weights.%s", term_info[i].weight_key);
		t->weight = key.oom ? term_info[i].dflt
				    : psm_config_number(cfg, key.buf, term_info[i].dflt);
		t->value = t->count * t->weight;
		s->total += t->value;
	}
	strbuf_release(&key);
	return s->total;
}
