/*
 * Unit tests for what may leave psm for customers and other tools:
 * lib/store/conflict.c (git's conflict marker rule) and psm_cl_verdict()
 * (lib/report/changelog-rules.c, which issues a changelog may show). TAP on stdout.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "psm/changelog.h"
#include "psm/config.h"
#include "psm/conflict.h"
#include "psm/error.h"
#include "psm/issue.h"
#include "tap.h"

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

static int marker(const char *line)
{
	return psm_conflict_marker(line, strlen(line));
}

static void test_markers(void)
{
	struct strbuf sb = STRBUF_INIT;
	struct psm_issue *is;

	ok(marker("<<<<<<< HEAD") && marker("=======") && marker(">>>>>>> theirs") &&
	   marker("||||||| base") && marker("<<<<<<<") && marker("=======\r") &&
	   marker("=======\t"), "git's markers: seven of <=>| then a space, tab, CR or the end");
	ok(!marker("======") && !marker("========") && !marker("=======x") &&
	   !marker(" =======") && !marker("<<<<<<<<< x") && !marker("-------") &&
	   !marker("~~~~~~~") && !marker(""), "six, eight, a letter after, indented, other characters: no");
	ok(psm_conflict_line("a\nb\n=======\nc\n", 14) == 3, "the first marker's line");
	ok(psm_conflict_line("a\n=======", 9) == 2, "a marker on a last line without newline");
	ok(psm_conflict_line("a\n=======\n", 8) == 0, "a cut-off line is measured as it is cut");
	ok(psm_conflict_line("a\nb\n", 4) == 0, "none: 0");

	strbuf_addstr(&sb, "hi\n=======\n>>>>>>> x\n========\n<<<<<<<");
	ok(psm_conflict_escape(&sb) == 3 &&
	   !strcmp(sb.buf, "hi\n\\=======\n\\>>>>>>> x\n========\n\\<<<<<<<"),
	   "escape puts a backslash before each marker line only");
	ok(psm_conflict_escape(&sb) == 0 && !psm_conflict_line(sb.buf, sb.len),
	   "escaped text has no marker left, and escaping again changes nothing");
	strbuf_release(&sb);

	is = parse("---\nid: 7kq2m9xabc\ntitle: t\n---\nBody.\n\n>>>>>>> theirs\n");
	free(is->path);
	is->path = strdup("issues/7k/7kq2m9xabc.md");
	ok(psm_issue_conflict_line(is) == 7, "the marker's line in the file, front matter counted");
	ok(psm_issue_refuse_conflict(is, "testing") == PSM_EINVALID &&
	   strstr(psm_error_last(), "issues/7k/7kq2m9xabc.md:7: unresolved merge conflict in '7kq2m9xabc'"),
	   "the refusal names the file and line");
	psm_issue_free(is);
}

/* The verdict on an issue given as front matter lines after id and title. */
static int verdict_of(const struct psm_cl_rules *r, const char *fields, const char *body,
		      struct strbuf *why)
{
	struct strbuf text = STRBUF_INIT;
	struct psm_issue *is;
	int v;

	strbuf_reset(why);
	strbuf_addf(&text, "---\nid: 7kq2m9xabc\ntitle: t\n%s---\n%s", fields, body ? body : "");
	is = parse(text.buf);
	v = psm_cl_verdict(why, r, is);
	psm_issue_free(is);
	strbuf_release(&text);
	return v;
}

#define CLOSED "status: closed\n"
#define NOTE "## Release note\n\nIt works now.\n"

static void test_verdict(void)
{
	struct psm_yaml_error err = { 0, 0, STRBUF_INIT };
	struct strbuf why = STRBUF_INIT;
	struct psm_config *cfg = NULL;
	struct psm_cl_rules *r = NULL;

	if (psm_config_parse(&cfg, NULL, 0, &err) < 0 || psm_cl_rules_new(&r, cfg) < 0) {
		printf("Bail out! cannot load the default rules: %s\n", psm_error_last());
		exit(1);
	}
	ok(verdict_of(r, CLOSED "type: bug\nresolution: fixed\n", NULL, &why) == PSM_CL_PUBLIC,
	   "a fixed bug is public");
	ok(verdict_of(r, CLOSED "type: docs\nresolution: documented\n", NULL, &why) == PSM_CL_PUBLIC,
	   "documented docs are public");
	ok(verdict_of(r, CLOSED "resolution: fixed\n", NOTE, &why) == PSM_CL_PUBLIC,
	   "no type but a release note: public");
	ok(verdict_of(r, CLOSED "type: bug\nresolution: fixed\nlabels:\n- churn\n", NOTE, &why) ==
		   PSM_CL_PRIVATE && !strcmp(why.buf, "churn record"),
	   "a churn record is private, release note or not");
	ok(verdict_of(r, CLOSED "type: bug\nresolution: fixed\nchurn_reason: bad fit\n", NULL, &why) ==
		   PSM_CL_PRIVATE, "churn_reason alone makes a churn record");
	ok(verdict_of(r, CLOSED "type: account\nresolution: fixed\n", NOTE, &why) == PSM_CL_PRIVATE &&
		   !strcmp(why.buf, "type account"), "type account is private");
	ok(verdict_of(r, CLOSED "type: docs\nresolution: answered\n", NOTE, &why) == PSM_CL_PRIVATE &&
		   !strcmp(why.buf, "resolution answered"), "resolution answered is private");
	ok(verdict_of(r, CLOSED "type: feature\nresolution: wontfix\n", NOTE, &why) == PSM_CL_PRIVATE,
	   "wontfix is left out, release note or not");
	ok(verdict_of(r, CLOSED "type: bug\nresolution: fixed\nlabels:\n- internal\n", NULL, &why) ==
		   PSM_CL_PRIVATE && !strcmp(why.buf, "label internal"), "label internal is private");
	ok(verdict_of(r, CLOSED "resolution: fixed\n", NULL, &why) == PSM_CL_NO_GROUP &&
		   !strcmp(why.buf, "no type, no release note"), "no type, no note: no group");
	ok(verdict_of(r, CLOSED "type: perf\nresolution: fixed\n", NULL, &why) == PSM_CL_NO_GROUP,
	   "a type in no group, no note: no group");
	ok(verdict_of(r, CLOSED "type: bug\nresolution: shipped\n", NULL, &why) == PSM_CL_NOT_CHANGE &&
		   !strcmp(why.buf, "resolution shipped, no release note"),
	   "a resolution that is not a change, no note: not a change");
	ok(verdict_of(r, "status: new\ntype: bug\n", NULL, &why) == PSM_CL_PUBLIC,
	   "an open bug: nothing private");
	ok(verdict_of(r, "status: new\ntype: account\n", NULL, &why) == PSM_CL_PRIVATE,
	   "an open account issue: private");
	psm_cl_rules_free(r);
	psm_config_free(cfg);
	strbuf_release(&why);
	strbuf_release(&err.msg);
}

int main(void)
{
	test_markers();
	test_verdict();
	return tap_done();
}
