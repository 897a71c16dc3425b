/*
 * Unit tests for the one JSON builder of an issue (lib/service/render.c,
 * psm_issue_to_json): its two shapes, the object of docs/format.md and the
 * record of docs/import.md, from the same issue; and the object written
 * straight to text (render-json.c), which leaves to jansson what it cannot
 * write the same (fuzz/fuzz-issue.c compares the two on every input).
 * TAP on stdout.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "psm/error.h"
#include "psm/issue.h"
#include "psm/json-safe.h"
#include "psm/render.h"
#include "psm/strbuf.h"
#include "psm/yaml.h"
#include "tap.h"

static struct psm_issue *parse(const char *text)
{
	struct psm_yaml_error err = { 0, 0, STRBUF_INIT };
	struct psm_issue *issue = NULL;

	if (psm_issue_parse(&issue, text, strlen(text), &err) < 0)
		issue = NULL;
	else if (!(issue->path = strdup("issues/7k/7kq2m9xabc.md")))
		issue = NULL;
	strbuf_release(&err.msg);
	return issue;
}

/* The members of o, in order, as "a,b,c". */
static void members(struct strbuf *out, json_t *o)
{
	const char *k;
	json_t *v;

	strbuf_reset(out);
	json_object_foreach(o, k, v) {
		strbuf_addstr(out, k);
		strbuf_addch(out, ',');
	}
}

static void test_shapes(void)
{
	struct psm_issue *issue = parse("---\nid: 7kq2m9xabc\ntitle: Login fails\nstatus: new\n"
					"labels: [login]\ncreated: 2026-11-20T10:00:00Z\nreopened: 2\n"
					"team: mobile\nvotes: 3\n---\nIt fails.\n");
	struct strbuf m = STRBUF_INIT;
	size_t nknown;
	json_t *o, *r;

	if (!ok(issue != NULL, "the issue parses"))
		return;
	o = psm_issue_to_json(issue, PSM_JSON_OBJECT, 7);
	r = psm_issue_to_json(issue, PSM_JSON_RECORD, 7);
	ok(o && r, "both shapes built");
	if (!o || !r)
		return;
	members(&m, r);
	ok(!strcmp(m.buf, "id,title,status,labels,created,reopened,body,extra,"),
	   "record: the fields the file has, body, extra (%s)", m.buf);
	ok(json_is_integer(json_object_get(r, "reopened")) &&
	   json_is_integer(json_object_get(json_object_get(r, "extra"), "votes")),
	   "record: plain integers stay numbers, in extra too");
	for (nknown = 0; psm_known_keys[nknown]; nknown++)
		;
	ok(json_object_size(o) == nknown + 5 && json_is_null(json_object_get(o, "owner")) &&
	   json_is_array(json_object_get(o, "reporters")),
	   "object: every known field, null or [] when absent");
	ok(json_is_string(json_object_get(json_object_get(o, "extra"), "votes")) &&
	   json_integer_value(json_object_get(o, "reopened")) == 2,
	   "object: values are text, reopened a number");
	ok(!strcmp(json_string_value(json_object_get(o, "short_id")), "7kq2m9x") &&
	   json_integer_value(json_object_get(o, "reporter_count")) == 0 &&
	   !strcmp(json_string_value(json_object_get(o, "path")), issue->path),
	   "object: short_id, reporter_count, path");
	ok(json_equal(json_object_get(o, "body"), json_object_get(r, "body")) &&
	   json_equal(json_object_get(o, "labels"), json_object_get(r, "labels")) &&
	   json_equal(json_object_get(o, "title"), json_object_get(r, "title")),
	   "a field is the same in both shapes");
	json_decref(o);
	json_decref(r);
	strbuf_release(&m);
	psm_issue_free(issue);
}

static void test_bytes(void)
{
	struct psm_issue *issue = parse("---\nid: 7kq2m9xabc\ntitle: t\nstatus: new\n---\n"
					"bad \xff byte\n");
	json_t *r = issue ? psm_issue_to_json(issue, PSM_JSON_RECORD, 0) : NULL;

	ok(r && !strcmp(json_string_value(json_object_get(r, "body")), "bad \xef\xbf\xbd byte\n"),
	   "record: a body that is not UTF-8 gets U+FFFD, as the object does");
	json_decref(r);
	psm_issue_free(issue);
}

static void test_text(void)
{
	static const char want[] =
		"  {\n"
		"    \"id\": \"7kq2m9xabc\",\n"
		"    \"title\": \"a \\\"quote\\\" \\t tab \\u0001 \\u202E\",\n";
	static const char tail[] =
		"    \"short_id\": \"7kq2\",\n"
		"    \"reporter_count\": 1,\n"
		"    \"path\": \"issues/7k/7kq2m9xabc.md\",\n"
		"    \"body\": \"line\\n\",\n"
		"    \"extra\": {\n"
		"      \"meta\": {\n"
		"        \"list\": [\n"
		"          \"1\",\n"
		"          []\n"
		"        ],\n"
		"        \"none\": {}\n"
		"      }\n"
		"    }\n"
		"  }";
	struct psm_issue *issue = parse("---\nid: 7kq2m9xabc\ntitle: \"a \\\"quote\\\" \\t tab "
					"\\x01 \\u202E\"\nreporters:\n  - name: Ann\n"
					"meta:\n  list: [1, []]\n  none: {}\n---\nline\n");
	struct psm_issue *bad = parse("---\nid: 7kq2m9xabc\ntitle: t\n---\nbad \xff\n");
	struct strbuf sb = STRBUF_INIT;
	int r = issue ? psm_issue_json_text(&sb, issue, 4) : -1;

	ok(r == 0 && !strncmp(sb.buf, want, strlen(want)) && sb.len > strlen(tail) &&
	   !strcmp(sb.buf + sb.len - strlen(tail), tail),
	   "the object as text: escapes, unsafe characters as \\u, nesting, indented "
	   "as a listing's element");
	strbuf_reset(&sb);
	strbuf_addstr(&sb, "kept");
	ok(bad && psm_issue_json_text(&sb, bad, 4) == 1 && !strcmp(sb.buf, "kept"),
	   "a body that is not UTF-8 is left to jansson: nothing appended");
	strbuf_release(&sb);
	psm_issue_free(issue);
	psm_issue_free(bad);
}

/* Characters psm_json_make_safe() escapes, escaped as the writer goes:
 * the text is the dump made safe, byte for byte. */
static void test_text_unsafe(void)
{
	struct psm_issue *issue = parse("---\nid: 7kq2m9xabc\ntitle: \"del \\x7f csi \\u009B alm "
					"\\u061C bom \\uFEFF iso \\u2066 ls \\u2027 \\u2028 "
					"\\u202F e \\u00e9 \\u00a0\"\n\"k\\u009By\": \"\\u202E\"\n---\n"
					"\x7f \xc2\x85 \xe2\x80\x8f \xef\xbb\xbf\n");
	json_t *j = issue ? psm_issue_json(issue, 4) : NULL;
	char *dump = j ? json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
	struct strbuf safe = STRBUF_INIT, ref = STRBUF_INIT, sb = STRBUF_INIT;
	const char *p, *nl;

	if (dump && psm_json_make_safe(&safe, dump, strlen(dump)) == 0)
		for (p = safe.buf; p; p = nl ? nl + 1 : NULL) {
			nl = strchr(p, '\n');
			strbuf_addstr(&ref, "  ");
			strbuf_add(&ref, p, nl ? (size_t)(nl - p) + 1 : strlen(p));
		}
	ok(issue && ref.len && psm_issue_json_text(&sb, issue, 4) == 0 && sb.len == ref.len &&
	   !memcmp(sb.buf, ref.buf, sb.len) && strstr(sb.buf, "\\u007F") &&
	   strstr(sb.buf, "\\u009B") && strstr(sb.buf, "\\u0085") && strstr(sb.buf, "\\u061C") &&
	   strstr(sb.buf, "\\uFEFF") && strstr(sb.buf, "\\u2066") && strstr(sb.buf, "\\u200F") &&
	   strstr(sb.buf, "\xe2\x80\xa7") && strstr(sb.buf, "\xc3\xa9"),
	   "DEL, C1 and bidi controls escaped as psm_json_make_safe() escapes them, others kept");
	free(dump);
	json_decref(j);
	strbuf_release(&safe);
	strbuf_release(&ref);
	strbuf_release(&sb);
	psm_issue_free(issue);
}

static void test_text_with(void)
{
	static const char tail[] =
		"    \"extra\": {},\n"
		"    \"priority\": 2.5,\n"
		"    \"why\": {\n"
		"      \"list\": []\n"
		"    }\n"
		"  }";
	const size_t flags = JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10);
	struct psm_issue *issue = parse("---\nid: 7kq2m9xabc\ntitle: t\n---\n");
	json_t *more = json_pack("{s:f, s:{s:[]}}", "priority", 2.5, "why", "list");
	json_t *clash = json_pack("{s:s}", "title", "other");
	struct strbuf sb = STRBUF_INIT;
	int r = issue && more ? psm_issue_json_text_with(&sb, issue, 4, more, flags) : -1;

	ok(r == 0 && sb.len > strlen(tail) && !strcmp(sb.buf + sb.len - strlen(tail), tail),
	   "more members after the issue's own, nested ones indented with them");
	strbuf_reset(&sb);
	ok(issue && clash && psm_issue_json_text_with(&sb, issue, 4, clash, flags) == 1 &&
	   psm_issue_json_text_with(&sb, issue, 4, more, JSON_INDENT(4)) == 1 && !sb.len,
	   "a member the object has, or other flags: left to jansson, nothing appended");
	json_decref(more);
	json_decref(clash);
	strbuf_release(&sb);
	psm_issue_free(issue);
}

/* psm_markdown_drop_comments: the note as a customer may read it. */
static void test_drop_comments(void)
{
	static const struct {
		const char *in, *want, *what;
	} cases[] = {
		{ "Faster *sync* & Vec<T>.", "Faster *sync* & Vec<T>.", "no comment: byte for byte" },
		{ "Login works <!-- hotfix --> for SSO", "Login works for SSO", "a comment cut, one space left" },
		{ "<!-- todo -->", "", "a note that is only a comment is empty" },
		{ "Done.<!-- a\nb -->\n", "Done.\n", "a comment over two lines" },
		{ "Fixed `<!-- x -->` in code", "Fixed `<!-- x -->` in code", "in code it is text" },
		{ "<!--\nsecret\n-->\n\nText", "\n\nText", "an HTML block comment" },
		{ "Open <!-- never closed", "Open <!-- never closed", "an unclosed one is text, as cmark reads it" },
	};
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		strbuf_reset(&sb);
		ok(psm_markdown_drop_comments(&sb, cases[i].in) == 0 && !strcmp(sb.buf, cases[i].want),
		   "drop comments: %s", cases[i].what);
	}
	/* code and a comment: cmark says which is which */
	strbuf_reset(&sb);
	ok(psm_markdown_drop_comments(&sb, "Fixed `<!--` parsing <!-- hack --> in *templates*") == 0 &&
	   strstr(sb.buf, "`<!--` parsing") && !strstr(sb.buf, "hack") && strstr(sb.buf, "*templates*"),
	   "drop comments: beside a \"<!--\" in code, only the comment goes");
	strbuf_release(&sb);
}

int main(void)
{
	test_drop_comments();
	test_shapes();
	test_bytes();
	test_text();
	test_text_unsafe();
	test_text_with();
	return tap_done();
}
