/* What an issue's customers are worth (worth.h). */
#include "psm/worth.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "psm/error.h"
#include "psm/people.h"

static const struct psm_node *table(const struct psm_config *cfg, const char *key)
{
	const struct psm_node *n = psm_node_get(cfg->root, key);

	return n && n->kind == PSM_MAP ? n : NULL;
}

int psm_worth_configured(const struct psm_config *cfg)
{
	return table(cfg, "customers") != NULL;
}

/* A non-negative number, or -1 when s is none. */
static double number(const char *s)
{
	char *end;
	double v;

	if (!s || !*s)
		return -1;
	v = strtod(s, &end);
	return *end || end == s || !isfinite(v) || v < 0 ? -1 : v;
}

/* A map entry by key, any case: the config's own spelling in *name. */
static const struct psm_node *lookup(const struct psm_node *map, const char *key,
				     const char **name)
{
	size_t i;

	for (i = 0; map && key && i + 1 < map->n; i += 2)
		if (map->items[i]->str && !strcasecmp(map->items[i]->str, key)) {
			if (name)
				*name = map->items[i]->str;
			return map->items[i + 1];
		}
	return NULL;
}

/* What one customer of the table brings; *from_plan when it is its plan's. */
static double customer_mrr(const struct psm_config *cfg, const struct psm_node *c,
			   int *from_plan)
{
	const char *plan = c && c->kind == PSM_MAP ? psm_node_get_str(c, "plan") : NULL;
	double v = c && c->kind == PSM_MAP ? number(psm_node_get_str(c, "mrr")) : -1;

	*from_plan = 0;
	if (v >= 0)
		return v;
	v = number(psm_node_str(lookup(table(cfg, "plans"), plan, NULL)));
	*from_plan = v >= 0;
	return v >= 0 ? v : 0;
}

/* Call fn for each distinct customer of the issue (people.h: its own, its
 * reporters', those their e-mail domains stand for) listed in the table. */
static int each_customer(const struct psm_issue *issue, const struct psm_config *cfg,
			 void (*fn)(void *, const char *, const struct psm_node *), void *data)
{
	const struct psm_node *tab = table(cfg, "customers"), *c;
	struct psm_customer *cs;
	const char *name = NULL;
	size_t i, n;

	if (!tab)
		return 0;
	if (!(cs = calloc(psm_issue_count(issue, "reporters") + 1, sizeof(*cs))))
		return psm_oom();
	n = psm_people_customers(cs, cfg, issue);
	for (i = 0; i < n; i++)
		if ((c = lookup(tab, cs[i].name, &name)))
			fn(data, name, c);
	free(cs);
	return 0;
}

struct sum {
	const struct psm_config *cfg;
	double mrr;
	struct strbuf *out;
};

static void add_mrr(void *data, const char *name, const struct psm_node *c)
{
	struct sum *s = data;
	int from_plan;

	s->mrr += customer_mrr(s->cfg, c, &from_plan);
}

double psm_issue_worth(const struct psm_issue *issue, const struct psm_config *cfg)
{
	struct sum s = { cfg, 0, NULL };

	if (each_customer(issue, cfg, add_mrr, &s) < 0)
		psm_error_clear(); /* out of memory: no worth term beats no priority */
	return s.mrr;
}

static void describe(void *data, const char *name, const struct psm_node *c)
{
	struct sum *s = data;
	const char *plan = c && c->kind == PSM_MAP ? psm_node_get_str(c, "plan") : NULL;
	int from_plan;
	double v = customer_mrr(s->cfg, c, &from_plan);

	strbuf_addf(s->out, "%s%s %.0f", s->out->len ? ", " : "", name, v);
	if (plan)
		strbuf_addf(s->out, " (%s%s)", plan, from_plan ? " plan" : "");
}

int psm_worth_explain(struct strbuf *out, const struct psm_issue *issue,
		      const struct psm_config *cfg)
{
	struct sum s = { cfg, 0, out };
	size_t start = out->len;
	struct strbuf part = STRBUF_INIT;

	s.out = &part;
	if (each_customer(issue, cfg, describe, &s) < 0) {
		strbuf_release(&part);
		return PSM_ENOMEM;
	}
	if (part.len)
		strbuf_addf(out, "MRR: %s", part.buf);
	else
		strbuf_addstr(out, "no customer in the config's customers");
	strbuf_release(&part);
	return out->oom || out->len == start ? psm_oom() : 0;
}
