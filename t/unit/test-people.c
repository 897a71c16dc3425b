/*
 * Unit tests for lib/people.c and lib/freemail.c: owners as people, the
 * team, and customers from e-mail domains. TAP on stdout.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "psm/config.h"
#include "psm/error.h"
#include "psm/freemail.h"
#include "psm/issue.h"
#include "psm/people.h"
#include "tap.h"

static struct psm_config *config(const char *text)
{
	struct psm_yaml_error err = { 0, 0, STRBUF_INIT };
	struct psm_config *cfg = NULL;

	if (psm_config_parse(&cfg, text, strlen(text), &err) < 0) {
		printf("Bail out! cannot parse test config: %s\n", psm_error_last());
		exit(1);
	}
	strbuf_release(&err.msg);
	return cfg;
}

static struct psm_issue *parse(const char *text)
{
	struct psm_yaml_error err = { 0, 0, STRBUF_INIT };
	struct psm_issue *issue = NULL;

	if (psm_issue_parse(&issue, text, strlen(text), &err) < 0) {
		printf("Bail out! cannot parse test issue: %s\n", psm_error_last());
		exit(1);
	}
	strbuf_release(&err.msg);
	return issue;
}

static void test_freemail(void)
{
	size_t i;
	int sorted = 1;

	for (i = 1; i < psm_free_mail_count; i++)
		if (strcmp(psm_free_mail_domains[i - 1], psm_free_mail_domains[i]) >= 0) {
			sorted = 0;
			printf("# out of order: %s, %s\n", psm_free_mail_domains[i - 1],
			       psm_free_mail_domains[i]);
		}
	ok(sorted, "the free-mail list is sorted and has no duplicates");
	ok(psm_free_mail_domain("gmail.com") && psm_free_mail_domain("GMail.COM") &&
	   psm_free_mail_domain("126.com") && psm_free_mail_domain("zohomail.com"),
	   "free-mail lookup finds the first, last and any-case entries");
	ok(!psm_free_mail_domain("acme.example") && !psm_free_mail_domain("mail.gmail.com") &&
	   !psm_free_mail_domain(NULL), "free-mail lookup: others are not");
}

static const char owners_cfg[] =
	"owners:\n"
	"- raj: Raj Patel <raj@acme.example>\n"
	"- Raj Singh <rsingh@acme.example>\n"
	"- mei@acme.example\n"
	"- Old Name Only\n"
	"- [not, a, person]\n";

static void test_find(void)
{
	struct psm_config *cfg = config(owners_cfg);
	struct psm_people p;
	struct strbuf sb = STRBUF_INIT;

	ok(psm_people_owners(&p, cfg) == 0 && p.n == 4, "four people (a list entry is skipped)");
	ok(psm_people_find(&p, "raj", 0) == 0, "a handle is exact: it wins over first names");
	ok(psm_people_find(&p, "RSINGH@acme.example", 1) == 1, "an e-mail, any case");
	ok(psm_people_find(&p, "raj singh", 1) == 1, "a full name");
	ok(psm_people_find(&p, "Raj Singh <rsingh@acme.example>", 1) == 1, "Name <email>");
	ok(psm_people_find(&p, "Someone <rsingh@acme.example>", 1) == 1,
	   "Name <email>: the address decides");
	ok(psm_people_find(&p, "singh", 1) == PSM_ENOTFOUND, "exact only: no last name");
	ok(psm_people_find(&p, "singh", 0) == 1, "a word of the name");
	ok(psm_people_find(&p, "mei", 0) == 2, "an e-mail's local part");
	ok(psm_people_find(&p, "old name only", 1) == 3, "a name-only entry (old configs)");
	ok(psm_people_find(&p, "patel", 0) == 0, "a last name");
	ok(psm_people_find(&p, "nobody", 0) == PSM_ENOTFOUND, "no one");
	ok(!strcmp(psm_person_id(&p.v[0]), "raj@acme.example") &&
	   !strcmp(psm_person_id(&p.v[3]), "Old Name Only"), "the id: e-mail, else name");
	psm_person_describe(&sb, &p.v[0]);
	ok(!strcmp(sb.buf, "Raj Patel <raj@acme.example> (raj)"), "describe: %s", sb.buf);
	psm_people_release(&p);
	psm_config_free(cfg);

	/* without the handle, "raj" is two people's first name */
	cfg = config("owners:\n- Raj Patel <raj@acme.example>\n- Raj Singh <rs@acme.example>\n");
	psm_people_owners(&p, cfg);
	ok(psm_people_find(&p, "raj", 0) == PSM_EAMBIGUOUS &&
	   strstr(psm_error_last(), "Raj Patel <raj@acme.example>, Raj Singh <rs@acme.example>"),
	   "ambiguous: both named (%s)", psm_error_last());
	strbuf_reset(&sb);
	ok(psm_people_owner(&sb, cfg, "Raj") == PSM_EAMBIGUOUS && !sb.len, "owner: ambiguous");
	ok(psm_people_owner(&sb, cfg, "patel") == 0 && !strcmp(sb.buf, "raj@acme.example"),
	   "owner: the e-mail is written");
	ok(psm_people_owner_allowed(cfg, "Raj Patel") && psm_people_owner_allowed(cfg, "RS@acme.example") &&
	   !psm_people_owner_allowed(cfg, "raj"), "allowed: exact names only");
	ok(psm_people_same_owner(cfg, "Raj Patel", "raj@acme.example") &&
	   !psm_people_same_owner(cfg, "Raj Patel", "rs@acme.example") &&
	   psm_people_same_owner(cfg, "x@y", "X@Y"), "same owner");
	psm_people_release(&p);
	psm_config_free(cfg);

	cfg = config("version: 1\n");
	strbuf_reset(&sb);
	ok(psm_people_owner(&sb, cfg, "anyone at all") == 0 && !strcmp(sb.buf, "anyone at all") &&
	   psm_people_owner_allowed(cfg, "anyone"), "no owners: anyone, as typed");
	psm_config_free(cfg);
	strbuf_release(&sb);
}

static void test_team(void)
{
	struct psm_config *cfg = config("owners:\n- Lin <lin@contract.example>\n"
					"team:\n- ourapp.example\n- '@corp.example'\n- pat@free.example\n");

	ok(psm_people_is_team(cfg, "qa@ourapp.example") && psm_people_is_team(cfg, "a@EU.OurApp.example"),
	   "a team domain and its subdomains");
	ok(psm_people_is_team(cfg, "x@corp.example"), "a domain written @corp.example");
	ok(psm_people_is_team(cfg, "PAT@free.example") && !psm_people_is_team(cfg, "sam@free.example"),
	   "a team address, not its domain");
	ok(psm_people_is_team(cfg, "lin@contract.example") && !psm_people_is_team(cfg, "bo@contract.example"),
	   "an owner's address");
	ok(!psm_people_is_team(cfg, "x@notourapp.example") && !psm_people_is_team(cfg, "nobody") &&
	   !psm_people_is_team(cfg, NULL), "not the team");
	psm_config_free(cfg);
}

static void test_customers(void)
{
	struct psm_config *cfg = config("team: [ourapp.example]\n"
					"customer_domains:\n  acme.example: Acme\n  eu.acme.example: Acme EU\n"
					"  gmail.com: Gmail\n  ourapp.example: Us\n  globex.example: Globex\n");
	struct psm_issue *is = parse("---\nid: 7kq2m9xabc\ntitle: t\nstatus: new\ncustomer: ACME\n"
				     "reporters:\n"
				     "- email: dana@acme.example\n"
				     "- email: sam@eu.acme.example\n"
				     "- email: kim@gmail.com\n"
				     "- email: qa@ourapp.example\n  customer: Us\n"
				     "- email: lee@globex.example\n"
				     "- name: Mo\n  customer: Initech\n"
				     "- email: bo@globex.example\n"
				     "created: 2026-11-20T10:00:00Z\n---\n");
	struct psm_customer c[8];
	const char *dom;
	size_t n = psm_people_customers(c, cfg, is);

	ok(n == 4, "four distinct customers (%zu)", n);
	ok(n == 4 && !strcmp(c[0].name, "ACME") && !c[0].domain, "the issue's own first");
	ok(n == 4 && !strcmp(c[1].name, "Acme EU") && !strcmp(c[1].domain, "eu.acme.example"),
	   "the most specific domain key wins");
	ok(n == 4 && !strcmp(c[2].name, "Globex") && !strcmp(c[3].name, "Initech") && !c[3].domain,
	   "a reporter's own customer; the same customer counted once");
	ok(psm_people_customers(NULL, cfg, is) == 4, "counting alone agrees");
	ok(psm_reporter_customer(cfg, psm_issue_node(is, "reporters")->items[3], &dom) == NULL &&
	   !dom, "a team reporter is no customer, even with a customer key");
	psm_issue_free(is);
	psm_config_free(cfg);
}

static void test_reporter_format(void)
{
	struct psm_issue *is = parse("---\nid: aaaaaaaaaa\ntitle: t\nstatus: new\nreporters:\n"
				     "- name: Dana Ortiz\n  email: dana@acme.example\n"
				     "- name: Eve\n  contact: '@eve'\n- contact: jk88\n- name: Kim\n"
				     "- email: lee@beta.example\n- channel: chat\n---\n");
	const struct psm_node *r = psm_issue_node(is, "reporters");
	static const char *const want[] = { "Dana Ortiz <dana@acme.example>", "Eve <@eve>",
					    "jk88", "Kim", "lee@beta.example", "" };
	struct strbuf sb = STRBUF_INIT;
	size_t i;
	int same = r && r->n == 6;

	for (i = 0; same && i < 6; i++) {
		strbuf_reset(&sb);
		strbuf_addstr(&sb, "> ");
		same = psm_reporter_format(&sb, r->items[i]) == 0 && !strcmp(sb.buf + 2, want[i]);
		if (!same)
			printf("# reporter %zu: '%s', want '%s'\n", i, sb.buf + 2, want[i]);
	}
	ok(same, "a reporter: name <address>, else the name, e-mail or contact alone; appended");
	strbuf_release(&sb);
	psm_issue_free(is);
}

int main(void)
{
	test_freemail();
	test_reporter_format();
	test_find();
	test_team();
	test_customers();
	return tap_done();
}
