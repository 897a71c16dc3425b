/*
 * Unit tests for lib/service/keyword.c: the forms a keyword is found in (the
 * inflections, joined and hyphenated spellings, variants, exceptions) and
 * the ones it is not. t/t4062-keywords.sh runs a set of real-looking titles
 * through psm. TAP on stdout.
 */
#include <stdio.h>
#include <string.h>

#include "psm/config.h"
#include "psm/keyword.h"
#include "tap.h"

static void in(const char *phrase, const char *text, int want)
{
	int r = psm_keyword_phrase_in(phrase, text, strlen(text));

	ok(r == want, "\"%s\" %s \"%s\"", phrase, want ? "is in" : "is not in", text);
}

static void forms(void)
{
	in("log in", "I LOGGED IN twice", 1);
	in("log in", "logging in", 1);
	in("log in", "he logs in", 1);
	in("log in", "log-in", 1);
	in("log in", "login", 1);
	in("log in", "logins", 1);
	in("login", "log-in page", 1);
	in("login", "log in page", 0);        /* a space where the keyword joins */
	in("checkout", "check out the docs", 0);
	in("checkout", "check-out", 1);
	in("sign in", "signin", 1);
	in("sign in", "signing in", 1);
	in("sign in", "sign\xc2\xa0in", 1);    /* a no-break space */
	in("sign in", "sign\xe2\x80\x91in", 1); /* a non-breaking hyphen */
	in("sign in", "sign. In", 0);
	in("sign in", "sign - in", 0);
	in("sign in", "design in", 0);
	in("sign in", "signing", 0);
	in("charge", "charging", 1);
	in("charge", "charged", 1);
	in("apply", "applied", 1);
	in("apply", "applies", 1);
	in("pay", "paying", 1);
	in("billing", "Bill", 0);             /* never shorter than the keyword */
	in("login", "loginsight", 0);
	in("can't pay", "cant pay", 1);
	in("can't pay", "can\xe2\x80\x99t pay", 1); /* a typographic apostrophe */
	in("can't pay", "can not pay", 0);
	in("payment", "repayment", 0);
	in("payment", "payment!", 1);
	in("café", "CAFÉ crashes", 0);        /* other scripts compare as written */
	in("café", "café crashes", 1);
	in("", "anything", 0);
	in("login", "", 0);
}

static void config_rules(void)
{
	static const char text[] =
		"keywords: [login, payment]\n"
		"keyword_variants:\n  login: sso\n  payment: [card declined]\n"
		"keyword_exceptions: [payment terms]\n";
	struct psm_yaml_error err = { 0, 0, STRBUF_INIT };
	struct psm_config *cfg = NULL;
	struct psm_keyword_hit hit;
	const char *t;

	if (!ok(psm_config_parse(&cfg, text, strlen(text), &err) == 0, "config"))
		return;
	t = "Our SSO fails";
	ok(psm_keyword_find(&hit, cfg, t, strlen(t)) == 1 && !strcmp(hit.keyword, "login") &&
	   !strcmp(hit.phrase, "sso") && hit.at == 4 && hit.len == 3,
	   "a variant given as one string is found, reported as its keyword");
	t = "About payment terms: also my payment failed";
	ok(psm_keyword_find(&hit, cfg, t, strlen(t)) == 1 && hit.at == 29,
	   "an exception hides only the match inside it");
	t = "Net-30 payment terms please";
	ok(psm_keyword_find(&hit, cfg, t, strlen(t)) == 0, "a match inside an exception is none");
	t = "card declined, and I cannot login";
	ok(psm_keyword_find(&hit, cfg, t, strlen(t)) == 1 && !strcmp(hit.keyword, "login"),
	   "keywords are tried in the config's order");
	psm_config_free(cfg);
	strbuf_release(&err.msg);
}

/* The phrases are split once per config and kept on it: two configs asked
 * in turn each answer with their own keywords. */
static void two_configs(void)
{
	static const char a_text[] = "keywords: [login]\nkeyword_variants:\n  login: sso\n";
	static const char b_text[] = "keywords: [refund]\nkeyword_exceptions: [refund policy]\n";
	struct psm_yaml_error err = { 0, 0, STRBUF_INIT };
	struct psm_config *a = NULL, *b = NULL;
	struct psm_keyword_hit hit;
	const char *t = "SSO broke and I want a refund";
	int round;

	if (!ok(psm_config_parse(&a, a_text, strlen(a_text), &err) == 0 &&
		psm_config_parse(&b, b_text, strlen(b_text), &err) == 0, "two configs")) {
		psm_config_free(a);
		strbuf_release(&err.msg);
		return;
	}
	for (round = 0; round < 2; round++) {
		ok(psm_keyword_find(&hit, a, t, strlen(t)) == 1 && !strcmp(hit.keyword, "login") &&
		   hit.at == 0, "the first config finds its own keyword (round %d)", round + 1);
		ok(psm_keyword_find(&hit, b, t, strlen(t)) == 1 && !strcmp(hit.keyword, "refund") &&
		   hit.at == 23, "the second config finds its own (round %d)", round + 1);
	}
	t = "see the refund policy for SSO";
	ok(psm_keyword_find(&hit, b, t, strlen(t)) == 0 && psm_keyword_find(&hit, a, t, strlen(t)) == 1,
	   "each config's exceptions are its own");
	psm_config_free(a);
	psm_config_free(b);
	strbuf_release(&err.msg);
}

int main(void)
{
	forms();
	config_rules();
	two_configs();
	return tap_done();
}
