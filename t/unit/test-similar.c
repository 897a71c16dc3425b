/*
 * Unit tests for lib/similar/similar.c's words and lib/service/score.c's terms: what a
 * title turns into before TF-IDF, and how a priority is made up. The index
 * and queries are tested through psm in t/t4020-similar.sh. TAP on stdout.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "psm/config.h"
#include "psm/error.h"
#include "psm/issue.h"
#include "psm/score.h"
#include "psm/similar.h"
#include "psm/strbuf.h"
#include "tap.h"

const char *const *psm_similar_stopwords(size_t *n);



static void words(const char *text, const char *want)
{
	struct strbuf sb = STRBUF_INIT;
	int printable = !strchr(text, '\xff');

	psm_similar_words(&sb, text, strlen(text));
	if (!ok(!strcmp(sb.buf, want), "words of \"%s\"", printable ? text : "(invalid UTF-8)"))
		printf("# want '%s'\n# got  '%s'\n", want, sb.buf);
	strbuf_release(&sb);
}

static struct psm_issue *parse(const char *text)
{
	struct psm_yaml_error err = { 0, 0, STRBUF_INIT };
	struct psm_issue *issue = NULL;

	if (psm_issue_parse(&issue, text, strlen(text), &err) < 0)
		printf("# parse error: %s\n", err.msg.buf);
	strbuf_release(&err.msg);
	return issue;
}

static struct psm_config *config(const char *text)
{
	struct psm_yaml_error err = { 0, 0, STRBUF_INIT };
	struct psm_config *cfg = NULL;

	if (psm_config_parse(&cfg, text, text ? strlen(text) : 0, &err) < 0)
		printf("# config error: %s\n", err.msg.buf);
	strbuf_release(&err.msg);
	return cfg;
}

static int near(double a, double b)
{
	return fabs(a - b) < 1e-9;
}

static void test_words(void)
{
	size_t n, i;
	const char *const *sw = psm_similar_stopwords(&n);
	int sorted = 1;

	for (i = 1; i < n; i++)
		if (strcmp(sw[i - 1], sw[i]) >= 0) {
			printf("# '%s' >= '%s'\n", sw[i - 1], sw[i]);
			sorted = 0;
		}
	ok(sorted, "stopwords are sorted (they are searched with bsearch)");
	words("Can't sign in after the password reset!", "sign password reset ");
	words("Login FAILS; failed logins, failing", "login fail fail login fail ");
	words("Création d'écran — naïve Straße", "creation ecran naiv strass ");
	words("autoCommit and hideEmptyColumns", "auto commit hide empty column ");
	words("<!-- SECTION:BEGIN -->body<!-- end -->", "body ");
	words("entries running logged issues status", "entry run log issu status ");
	words("a 4 x 500 ok", "500 ok ");
	words("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa tail", "tail ");
	words("日本語 text", "日本語 text ");
	words("\xff\xfe broken \xc3", "broken ");
}

static void test_keywords(void)
{
	struct psm_config *cfg = config(NULL);
	const char *t;

	t = "I cannot Sign  In today";
	ok(psm_streq(psm_keyword_match(cfg, t, strlen(t)), "sign in"),
	   "keywords: case-insensitive, any run of whitespace");
	t = "my loginsight dashboard is slow";
	ok(!psm_keyword_match(cfg, t, strlen(t)), "keywords: whole words only (loginsight is not login)");
	t = "my logins are slow";
	ok(psm_streq(psm_keyword_match(cfg, t, strlen(t)), "login"),
	   "keywords: a plural is the word (logins is login)");
	t = "re-login needed";
	ok(psm_streq(psm_keyword_match(cfg, t, strlen(t)), "login"), "keywords: punctuation is a boundary");
	t = "nothing here";
	ok(!psm_keyword_match(cfg, t, strlen(t)), "keywords: none");
	psm_config_free(cfg);
}

static void test_score(void)
{
	struct psm_config *cfg = config("weights:\n  reporter: 4\n");
	struct psm_issue *is = parse(
		"---\nid: 0000000001\ntitle: Billing page is blank\nstatus: new\nimpact: core\n"
		"customer: Acme\nreporters:\n- name: A\n  email: a@x.example\n"
		"- name: B\n  email: b@x.example\n  customer: Globex\n"
		"- name: A again\n  email: a@x.example\n  customer: acme\n"
		"created: 2026-11-06T10:00:00Z\n---\nbody\n");
	struct psm_score_terms t;
	int64_t now = 1795168800; /* 2026-11-20T10:00:00Z: 14 days later */
	double total;

	if (!cfg || !is) {
		ok(0, "score fixtures parse");
		return;
	}
	total = psm_score(&t, is, cfg, now);
	ok(near(t.t[PSM_SCORE_IMPACT].count, 10) && near(t.t[PSM_SCORE_IMPACT].weight, 1),
	   "impact term: the config's weight for core (10) times weights.impact");
	ok(near(t.t[PSM_SCORE_REPORTERS].count, 2) && near(t.t[PSM_SCORE_REPORTERS].value, 8),
	   "reporters: distinct by e-mail (2), weight from the config (4)");
	ok(near(t.t[PSM_SCORE_CUSTOMERS].count, 2), "customers: Acme (any case) and Globex");
	ok(near(t.t[PSM_SCORE_KEYWORD].count, 1) && psm_streq(t.keyword, "billing") &&
	   psm_streq(t.suggested_impact, "core"), "keyword billing suggests core");
	ok(near(t.t[PSM_SCORE_AGE].count, 2) && near(t.t[PSM_SCORE_AGE].value, 1),
	   "age: 2 weeks at 0.5 (a default the config left out)");
	ok(near(t.t[PSM_SCORE_UNTRIAGED].count, 14), "untriaged: 14 days while new");
	ok(near(total, 10 + 8 + 6 + 5 + 1 + 14 * 0.3), "total is the sum of the terms (%g)", total);
	psm_issue_set(is, "status", "triaged");
	psm_score(&t, is, cfg, now);
	ok(near(t.t[PSM_SCORE_UNTRIAGED].count, 0), "untriaged: nothing once triaged");
	psm_issue_set(is, "status", "parked");
	psm_issue_set(is, "parked_until", "2026-11-18");
	psm_score(&t, is, cfg, now);
	ok(near(t.t[PSM_SCORE_UNTRIAGED].count, 2 + 10.0 / 24), "untriaged: since a parked issue came due");
	psm_issue_free(is);
	psm_config_free(cfg);
}

int main(void)
{
	test_words();
	test_keywords();
	test_score();
	return tap_done();
}
