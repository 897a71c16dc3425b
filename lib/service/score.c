#include "psm/score.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "psm/time.h"
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
};

static int word_char(int c)
{
	return isalnum(c) || c >= 0x80; /* UTF-8 letters count as word characters */
}

/* Does kw match at text[i]? Returns the match length or 0. */
static size_t match_at(const char *text, size_t len, size_t i, const char *kw)
{
	size_t j = i;

	while (*kw) {
		if (isspace((unsigned char)*kw)) {
			if (j >= len || !isspace((unsigned char)text[j]))
				return 0;
			while (j < len && isspace((unsigned char)text[j]))
				j++;
			while (isspace((unsigned char)*kw))
				kw++;
			continue;
		}
		if (j >= len || tolower((unsigned char)text[j]) != tolower((unsigned char)*kw))
			return 0;
		j++;
		kw++;
	}
	return j - i;
}

static int contains_word(const char *text, size_t len, const char *kw)
{
	size_t i, m;

	if (!*kw)
		return 0;
	for (i = 0; i < len; i++) {
		if (i && word_char((unsigned char)text[i - 1]))
			continue;
		m = match_at(text, len, i, kw);
		if (m && (i + m == len || !word_char((unsigned char)text[i + m])))
			return 1;
	}
	return 0;
}

const char *psm_keyword_match(const struct psm_config *cfg, const char *text, size_t len)
{
	const struct psm_node *kws = psm_config_list(cfg, "keywords");
	size_t i;

	for (i = 0; kws && i < kws->n; i++) {
		const char *kw = psm_node_str(kws->items[i]);

		if (kw && contains_word(text, len, kw))
			return kw;
	}
	return NULL;
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
	const char *title = psm_issue_get(issue, "title");
	const struct psm_node *imp;
	struct strbuf key = STRBUF_INIT;
	double age_days;
	size_t i;

	memset(s, 0, sizeof(*s));
	s->impact = psm_issue_get(issue, "impact");
	imp = s->impact ? psm_config_impact(cfg, s->impact) : NULL;
	s->keyword = title ? psm_keyword_match(cfg, title, strlen(title)) : NULL;
	if (!s->keyword)
		s->keyword = psm_keyword_match(cfg, issue->body.buf, issue->body.len);
	if (s->keyword)
		s->suggested_impact = "core";
	age_days = days_since(psm_issue_get(issue, "created"), now);

	s->t[PSM_SCORE_IMPACT].count = imp ? node_number(imp, "weight") : 0;
	s->t[PSM_SCORE_REPORTERS].count = (double)psm_issue_reporter_count(issue);
	s->t[PSM_SCORE_CUSTOMERS].count = (double)psm_issue_customer_count(issue);
	s->t[PSM_SCORE_KEYWORD].count = s->keyword ? 1 : 0;
	s->t[PSM_SCORE_AGE].count = age_days / 7.0;
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
