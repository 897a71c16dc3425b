/* psm triage --explain ID: the priority score term by term, like
 * Taskwarrior's urgency table in `task info`. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "psm/people.h"
#include "psm/time.h"
#include "psm/render.h"
#include "table.h"
#include "triage.h"
#include "psm/worth.h"

/* The worth term is there only with a customers table: without one,
 * the table (and its JSON) stay what they were. */
static size_t shown_terms(struct psm_store *s)
{
	return psm_worth_configured(s->config) ? PSM_SCORE_NTERMS : PSM_SCORE_WORTH;
}

/* Did the text write the keyword as the config does (but for case)? */
static int keyword_as_written(const struct psm_score_terms *t)
{
	return !t->keyword_seen || (strlen(t->keyword) == t->keyword_seen_len &&
				    !strncasecmp(t->keyword, t->keyword_seen, t->keyword_seen_len));
}

/* The issue's customers (people.h), each with the domain it came from;
 * free() the result. */
static struct psm_customer *customers_of(size_t *n, const struct psm_config *cfg,
					 const struct psm_issue *issue)
{
	struct psm_customer *c = calloc(psm_issue_count(issue, "reporters") + 1, sizeof(*c));

	if (!c)
		die("out of memory");
	*n = psm_people_customers(c, cfg, issue);
	return c;
}

/* "Acme, Globex (from the reporter's domain globex.example)" */
static void customers_note(struct strbuf *sb, const struct psm_config *cfg,
			   const struct psm_issue *issue)
{
	size_t i, n;
	struct psm_customer *c = customers_of(&n, cfg, issue);

	for (i = 0; i < n; i++) {
		strbuf_addstr(sb, i ? ", " : ": ");
		strbuf_addstr(sb, c[i].name);
		if (c[i].domain)
			strbuf_addf(sb, " (from the reporter's domain %s)", c[i].domain);
	}
	free(c);
}

/* Why a term has its count, in words. */
static void term_note(struct strbuf *sb, const struct psm_score_terms *terms, size_t i,
		      const struct psm_issue *issue, const struct psm_config *cfg)
{
	const struct psm_score_term *t = &terms->t[i];

	switch (i) {
	case PSM_SCORE_IMPACT:
		if (terms->impact)
			strbuf_addf(sb, "impact %s", terms->impact);
		else
			strbuf_addstr(sb, "no impact yet");
		break;
	case PSM_SCORE_REPORTERS:
		strbuf_addf(sb, "%.0f distinct", t->count);
		break;
	case PSM_SCORE_CUSTOMERS:
		strbuf_addf(sb, "%.0f distinct", t->count);
		customers_note(sb, cfg, issue);
		break;
	case PSM_SCORE_KEYWORD:
		if (terms->keyword) {
			strbuf_addf(sb, "\"%s\"", terms->keyword);
			if (!keyword_as_written(terms))
				strbuf_addf(sb, " as \"%.*s\"", (int)terms->keyword_seen_len,
					    terms->keyword_seen);
			strbuf_addf(sb, ": suggests impact %s", terms->suggested_impact);
		} else
			strbuf_addstr(sb, "no config keyword");
		break;
	case PSM_SCORE_AGE:
		psm_age_format(sb, (int64_t)(t->count * 7 * 86400));
		strbuf_addstr(sb, " old");
		break;
	case PSM_SCORE_WORTH:
		if (psm_worth_explain(sb, issue, cfg) < 0)
			die_psm();
		break;
	case PSM_SCORE_UNTRIAGED:
		if (t->count > 0) {
			psm_age_format(sb, (int64_t)(t->count * 86400));
			strbuf_addstr(sb, " waiting for triage");
		} else {
			strbuf_addstr(sb, "not waiting");
		}
		break;
	}
}

static void explain_text(struct psm_store *s, const struct psm_issue *issue,
			 const struct psm_score_terms *terms)
{
	struct table *t = table_new(5);
	struct strbuf sb = STRBUF_INIT;
	int color = want_color();
	size_t i;

	if (color)
		printf(C_YELLOW "%s" C_RESET "  ", short_id(s, issue));
	else
		printf("%s  ", short_id(s, issue));
	put_safe(stdout, psm_issue_get(issue, "title"), 0);
	printf("\n\n");
	table_cell(t, "TERM", NULL);
	table_cell(t, "COUNT", NULL);
	table_cell(t, "WEIGHT", NULL);
	table_cell(t, "VALUE", NULL);
	table_cell(t, "WHY", NULL);
	table_end_row(t);
	for (i = 0; i < shown_terms(s); i++) {
		const struct psm_score_term *term = &terms->t[i];

		table_cell(t, term->name, NULL);
		strbuf_reset(&sb);
		strbuf_addf(&sb, "%.2f", term->count);
		table_cell(t, sb.buf, NULL);
		strbuf_reset(&sb);
		strbuf_addf(&sb, "* %.2f", term->weight);
		table_cell(t, sb.buf, C_DIM);
		strbuf_reset(&sb);
		strbuf_addf(&sb, "= %.2f", term->value);
		table_cell(t, sb.buf, NULL);
		strbuf_reset(&sb);
		term_note(&sb, terms, i, issue, s->config);
		table_cell(t, sb.buf, C_DIM);
		table_end_row(t);
	}
	table_cell(t, "priority", C_BOLD);
	table_cell(t, "", NULL);
	table_cell(t, "", NULL);
	strbuf_reset(&sb);
	strbuf_addf(&sb, "= %.2f", terms->total);
	table_cell(t, sb.buf, C_BOLD);
	table_cell(t, "the sum", C_DIM);
	table_end_row(t);
	table_print(t, term_width(), color, 1);
	printf("\nThe weights are the config's weights: map (%s).\n", PSM_CONFIG_PATH);
	table_free(t);
	strbuf_release(&sb);
}

/* [{"name": "Acme", "domain": null}, {"name": "Globex", "domain": "globex.example"}] */
static json_t *customers_json(const struct psm_config *cfg, const struct psm_issue *issue)
{
	json_t *a = json_array();
	size_t i, n;
	struct psm_customer *c = customers_of(&n, cfg, issue);

	for (i = 0; a && i < n; i++)
		if (json_array_append_new(a, json_pack("{s:s, s:o}", "name", c[i].name, "domain",
						       c[i].domain ? json_string(c[i].domain)
								   : json_null())) < 0)
			die("out of memory");
	if (!a)
		die("out of memory");
	free(c);
	return a;
}

static void explain_json(struct psm_store *s, const struct psm_issue *issue,
			 const struct psm_score_terms *terms)
{
	json_t *o = json_object(), *a = json_array();
	const char *id = psm_issue_get(issue, "id");
	size_t i;

	if (!o || !a)
		die("out of memory");
	json_object_set_new(o, "id", id ? json_string(id) : json_null());
	json_object_set_new(o, "short_id", json_string(short_id(s, issue)));
	json_object_set_new(o, "title", psm_node_json(psm_issue_node(issue, "title")));
	json_object_set_new(o, "priority", json_real(round3(terms->total)));
	json_object_set_new(o, "impact", terms->impact ? json_string(terms->impact) : json_null());
	json_object_set_new(o, "keyword", terms->keyword ? json_string(terms->keyword) : json_null());
	json_object_set_new(o, "keyword_text", terms->keyword_seen ?
			    json_stringn(terms->keyword_seen, terms->keyword_seen_len) : json_null());
	json_object_set_new(o, "suggested_impact", terms->suggested_impact ?
			    json_string(terms->suggested_impact) : json_null());
	for (i = 0; i < shown_terms(s); i++) {
		const struct psm_score_term *t = &terms->t[i];
		json_t *e = json_object();

		if (!e)
			die("out of memory");
		json_object_set_new(e, "term", json_string(t->name));
		json_object_set_new(e, "count", json_real(round3(t->count)));
		json_object_set_new(e, "weight", json_real(round3(t->weight)));
		json_object_set_new(e, "weight_key", json_string(t->weight_key));
		json_object_set_new(e, "value", json_real(round3(t->value)));
		json_array_append_new(a, e);
	}
	json_object_set_new(o, "terms", a);
	json_object_set_new(o, "customers", customers_json(s->config, issue));
	print_json_scores(o);
}

int triage_explain(struct psm_store *s, const char *id, enum output_format fmt)
{
	struct psm_issue *issue = load_issue_or_die(s, id);
	struct psm_score_terms terms;

	psm_score(&terms, issue, s->config, now_or_die());
	if (fmt == FMT_JSON)
		explain_json(s, issue, &terms);
	else
		explain_text(s, issue, &terms);
	psm_issue_free(issue);
	return 0;
}
