/*
 * Unit tests for the issue file codec (lib/store/issue.c, lib/yaml/emit.c,
 * lib/yaml/parse.c): parse a file, change it through the API, format it, and
 * compare with the expected text byte for byte. TAP on stdout.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "psm/error.h"
#include "psm/issue.h"
#include "psm/node.h"
#include "psm/strbuf.h"
#include "psm/utf8.h"
#include "psm/yaml.h"
#include "tap.h"



/* Show both texts as TAP comments when they differ. */
static int same_text(const char *want, const char *have)
{
	const char *p;

	if (!strcmp(want, have))
		return 1;
	printf("# expected:\n#   ");
	for (p = want; *p; p++)
		fputs(*p == '\n' ? "$\n#   " : (char[]){ *p, 0 }, stdout);
	printf("\n# got:\n#   ");
	for (p = have; *p; p++)
		fputs(*p == '\n' ? "$\n#   " : (char[]){ *p, 0 }, stdout);
	putchar('\n');
	return 0;
}

static struct psm_issue *parse(const char *text)
{
	struct psm_yaml_error err = { 0, 0, STRBUF_INIT };
	struct psm_issue *issue = NULL;

	if (psm_issue_parse(&issue, text, strlen(text), &err) < 0)
		printf("# parse error %d:%d: %s\n", err.line, err.col, err.msg.buf);
	strbuf_release(&err.msg);
	return issue;
}

/* Format issue and compare with want; frees the issue. */
static int formats_as(struct psm_issue *issue, const char *want)
{
	struct strbuf out = STRBUF_INIT;
	int r;

	if (!issue)
		return 0;
	r = psm_issue_format(&out, issue) == 0 && same_text(want, out.buf);
	strbuf_release(&out);
	psm_issue_free(issue);
	return r;
}

static const char sample[] =
	"---\n"
	"# kept: a comment before the first key\n"
	"id: 7kq2m9xabc\n"
	"title: CSV import fails on mixed-case headers\n"
	"# the status comment\n"
	"status: new\n"
	"x-sla: gold   # unknown key, with a comment\n"
	"labels:\n"
	"- csv\n"
	"- import\n"
	"\n"
	"reporters:\n"
	"  - name: Ann Example\n"
	"    email: ann@example.com\n"
	"    channel: email\n"
	"    at: 2026-11-20T09:00:00Z\n"
	"created: 2026-11-20T09:00:00Z\n"
	"updated: 2026-11-20T09:00:00Z\n"
	"custom:\n"
	"  nested: {a: 1, b: [x, y]}\n"
	"  text: |\n"
	"    # not a comment: block scalar text\n"
	"\n"
	"    more text\n"
	"# a comment at the end\n"
	"---\n"
	"Body *Markdown*, untouched.\n"
	"\n"
	"---\n"
	"A thematic break above is body text.\n";

/* sample with one line replaced: `from` -> `to` (both whole lines) */
static char *sample_with(const char *from, const char *to)
{
	struct strbuf sb = STRBUF_INIT;
	const char *p = strstr(sample, from);

	if (!p)
		return strdup("(line not in sample)");
	strbuf_add(&sb, sample, (size_t)(p - sample));
	strbuf_addstr(&sb, to);
	strbuf_addstr(&sb, p + strlen(from));
	return strbuf_detach(&sb, NULL);
}

static void test_roundtrip(void)
{
	struct psm_issue *issue = parse(sample);

	ok(issue != NULL, "sample parses");
	if (!issue)
		return;
	ok(psm_issue_get(issue, "x-sla") && !strcmp(psm_issue_get(issue, "x-sla"), "gold"),
	   "unknown key is read");
	ok(!strcmp(issue->body.buf, "Body *Markdown*, untouched.\n\n---\nA thematic break above is body text.\n"),
	   "body is everything after the closing fence");
	ok(issue->body_line == 27, "body_line is the file line the body starts on (%d)",
	   issue->body_line);
	ok(formats_as(issue, sample), "an untouched issue formats byte for byte as read");
}

static void test_set_one(void)
{
	struct psm_issue *issue = parse(sample);
	char *want = sample_with("status: new\n", "status: triaged\n");

	ok(issue && psm_issue_set(issue, "status", "triaged") == 0 && formats_as(issue, want),
	   "setting status changes that line only; comments and unknown keys stay");
	free(want);

	issue = parse(sample);
	want = sample_with("title: CSV import fails on mixed-case headers\n",
			   "title: 'Fix: crash on \"start\" \u2014 \u00fcn\u00efcode'\n");
	ok(issue && psm_issue_set(issue, "title", "Fix: crash on \"start\" \u2014 \u00fcn\u00efcode") == 0 &&
	   formats_as(issue, want), "a title needing quotes changes the title line only");
	free(want);

	issue = parse(sample);
	ok(issue && psm_issue_set(issue, "status", "new") == 0 && formats_as(issue, sample),
	   "setting a field to its current value changes nothing");

	issue = parse(sample);
	want = sample_with("x-sla: gold   # unknown key, with a comment\n", "x-sla: silver\n");
	ok(issue && psm_issue_set(issue, "x-sla", "silver") == 0 && formats_as(issue, want),
	   "an unknown key can be changed in place");
	free(want);

	issue = parse(sample);
	want = sample_with("updated: 2026-11-20T09:00:00Z\n", "updated: 2026-11-22T07:30:00Z\n");
	ok(issue && psm_issue_set(issue, "updated", "2026-11-22T07:30:00Z") == 0 &&
	   formats_as(issue, want), "a time is written plain under a time key");
	free(want);
}

static void test_add(void)
{
	struct psm_issue *issue = parse(sample);
	char *want = sample_with("x-sla: gold   # unknown key, with a comment\n",
				 "x-sla: gold   # unknown key, with a comment\ntype: bug\n");

	/* after status and the unknown key that follows it, before labels */
	ok(issue && psm_issue_set(issue, "type", "bug") == 0 && formats_as(issue, want),
	   "a new known key goes to its canonical place, unknown keys stay put");
	free(want);

	issue = parse(sample);
	want = sample_with("- import\n\nreporters:\n",
			   "- import\ncustomer: Acme\nsource: email\n\nreporters:\n");
	ok(issue && psm_issue_set(issue, "source", "email") == 0 &&
	   psm_issue_set(issue, "customer", "Acme") == 0 && formats_as(issue, want),
	   "keys added out of order still land in canonical order");
	free(want);

	issue = parse(sample);
	want = sample_with("# a comment at the end\n", "x-new: value\n# a comment at the end\n");
	ok(issue && psm_issue_set(issue, "x-new", "value") == 0 && formats_as(issue, want),
	   "a new unknown key goes after the last key");
	free(want);

	issue = parse(sample);
	want = sample_with("- import\n\nreporters:\n",
			   "- import\n\nreporters:\n");
	ok(issue && psm_issue_set(issue, "reporters", NULL) == 0 &&
	   psm_issue_set(issue, "owner", "ann@example.com") == 0, "remove reporters, add owner");
	free(want);
	want = sample_with("- import\n\nreporters:\n  - name: Ann Example\n    email: ann@example.com\n"
			   "    channel: email\n    at: 2026-11-20T09:00:00Z\n",
			   "- import\nowner: ann@example.com\n\n");
	ok(formats_as(issue, want), "the blank line above a removed key stays; owner goes above it");
	free(want);

	issue = parse(sample);
	want = sample_with("# a comment at the end\n",
			   "duplicate_of: 7kq2m9xabd\n# a comment at the end\n");
	/* after `updated` and the unknown keys that follow it */
	ok(issue && psm_issue_set(issue, "duplicate_of", "7kq2m9xabd") == 0 &&
	   formats_as(issue, want), "a late key goes after the unknown keys at the end");
	free(want);
}

static void test_remove(void)
{
	struct psm_issue *issue = parse(sample);
	char *want = sample_with("labels:\n- csv\n- import\n", "");

	ok(issue && psm_issue_set(issue, "labels", NULL) == 0 && formats_as(issue, want),
	   "removing a list removes its lines only");
	free(want);

	issue = parse(sample);
	want = sample_with("# the status comment\nstatus: new\n", "# the status comment\n");
	ok(issue && psm_issue_set(issue, "status", NULL) == 0 && formats_as(issue, want),
	   "removing a key keeps the comment above it");
	free(want);

	issue = parse(sample);
	want = sample_with("custom:\n  nested: {a: 1, b: [x, y]}\n  text: |\n"
			   "    # not a comment: block scalar text\n\n    more text\n", "");
	ok(issue && psm_issue_set(issue, "custom", NULL) == 0 && formats_as(issue, want),
	   "removing the last key keeps the comment after it");
	free(want);

	issue = parse(sample);
	ok(issue && psm_issue_set(issue, "no-such-key", NULL) == 0 && formats_as(issue, sample),
	   "removing an absent key changes nothing");
}

static void test_lists(void)
{
	struct psm_issue *issue = parse(sample);
	char *want = sample_with("- csv\n- import\n", "- csv\n- import\n- urgent\n");

	ok(issue && psm_issue_list_add(issue, "labels", "urgent") == 1 &&
	   psm_issue_list_add(issue, "labels", "csv") == 0 && formats_as(issue, want),
	   "adding a label rewrites the list in block style, sorted, once");
	free(want);

	issue = parse(sample);
	want = sample_with("- csv\n- import\n", "- import\n");
	ok(issue && psm_issue_list_remove(issue, "labels", "csv") == 1 && formats_as(issue, want),
	   "removing a label");
	free(want);

	issue = parse("---\nid: 7kq2m9xabc\nlabels: [zeta, alpha]\ntitle: t\n---\n");
	ok(issue && psm_issue_list_add(issue, "labels", "mid") == 1 &&
	   formats_as(issue, "---\nid: 7kq2m9xabc\nlabels:\n- alpha\n- mid\n- zeta\ntitle: t\n---\n"),
	   "a flow-style list is rewritten in block style when changed");

	issue = parse("---\nid: 7kq2m9xabc\ntitle: t\n---\n");
	ok(issue && psm_issue_list_add(issue, "labels", "b") == 1 &&
	   psm_issue_list_add(issue, "labels", "a") == 1 &&
	   formats_as(issue, "---\nid: 7kq2m9xabc\ntitle: t\nlabels:\n- a\n- b\n---\n"),
	   "a new list is block style");

	issue = parse("---\nid: 7kq2m9xabc\nlabels:\n- only\n---\n");
	ok(issue && psm_issue_list_remove(issue, "labels", "only") == 1 &&
	   formats_as(issue, "---\nid: 7kq2m9xabc\n---\n"), "removing the last label removes the key");

	issue = parse("---\nid: 7kq2m9xabc\ntitle: t\n---\n");
	if (issue) {
		struct psm_node *list = psm_node_new(PSM_SEQ), *r = psm_node_new(PSM_MAP);

		psm_node_set_str(r, "name", "Ann");
		psm_node_set_str(r, "email", "ann@example.com");
		psm_node_set_str(r, "at", "2026-11-20T09:00:00Z");
		psm_node_push(list, r);
		psm_issue_set_node(issue, "reporters", list);
	}
	ok(formats_as(issue, "---\nid: 7kq2m9xabc\ntitle: t\nreporters:\n- name: Ann\n"
				 "  email: ann@example.com\n  at: 2026-11-20T09:00:00Z\n---\n"),
	   "a list of mappings is written in block style");
}

static void test_value_ends(void)
{
	struct psm_issue *issue;

	/* a quoted title's second line starts with '#': text, not a comment */
	issue = parse("---\nid: 7kq2m9xabc\ntitle: \"multi\n#line\"\n# real comment\nstatus: new\n---\n");
	ok(issue && psm_issue_set(issue, "title", "changed") == 0 &&
	   formats_as(issue, "---\nid: 7kq2m9xabc\ntitle: changed\n# real comment\nstatus: new\n---\n"),
	   "a value's own lines go with it; the comment after it stays");

	/* a kept block scalar owns its blank lines; the comment after is not its */
	issue = parse("---\nid: 7kq2m9xabc\nnotes: |+\n  text\n\n# about status\nstatus: new\n---\n");
	ok(issue && psm_issue_get(issue, "notes") && !strcmp(psm_issue_get(issue, "notes"), "text\n\n"),
	   "a |+ block scalar keeps its trailing blank line");
	ok(issue && psm_issue_set(issue, "notes", "other") == 0 &&
	   formats_as(issue, "---\nid: 7kq2m9xabc\nnotes: other\n# about status\nstatus: new\n---\n"),
	   "rewriting it drops its lines, not the comment below");

	issue = parse("---\nid: 7kq2m9xabc\nlabels: [a,\n  b]\n# c\ntitle: t\n---\n");
	ok(issue && psm_issue_list_add(issue, "labels", "c") == 1 &&
	   formats_as(issue, "---\nid: 7kq2m9xabc\nlabels:\n- a\n- b\n- c\n# c\ntitle: t\n---\n"),
	   "a flow list over two lines is replaced whole");
}

static void test_rewrite(void)
{
	struct psm_issue *issue;

	/* two keys on one line: psm cannot keep the lines, so it rewrites them */
	issue = parse("---\n{id: 7kq2m9xabc, title: 'yes', count: 3, ok: true, none: null}\n---\nbody\n");
	ok(issue && issue->n == 5, "a flow mapping front matter parses");
	ok(issue && psm_issue_set(issue, "status", "new") == 0 &&
	   formats_as(issue, "---\nid: 7kq2m9xabc\ntitle: 'yes'\ncount: 3\nok: true\n"
			     "none: null\nstatus: new\n---\nbody\n"),
	   "rewriting keeps numbers, booleans and nulls plain and strings quoted");

	issue = parse("---\nid: 7kq2m9xabc\ntitle: t\n---\n");
	ok(issue && psm_issue_set(issue, "title", "2026-11-22T07:00:00Z") == 0 &&
	   psm_issue_set(issue, "created", "2026-11-22T07:00:00Z") == 0 &&
	   formats_as(issue, "---\nid: 7kq2m9xabc\ntitle: '2026-11-22T07:00:00Z'\n"
			     "created: 2026-11-22T07:00:00Z\n---\n"),
	   "a timestamp-like title is quoted, a created time is not");

	issue = parse("---\nid: 7kq2m9xabc\ntitle: t\n---\n");
	ok(issue && psm_issue_set(issue, "created", "not: a time") == 0 &&
	   formats_as(issue, "---\nid: 7kq2m9xabc\ntitle: t\ncreated: 'not: a time'\n---\n"),
	   "a time key holding something else is still quoted where needed");
}

/* Mark every entry changed, format, parse again: the same values. */
static int rewrites_readably(const char *text)
{
	struct psm_issue *issue = parse(text), *again = NULL;
	struct strbuf out = STRBUF_INIT;
	size_t i;
	int good = 0;

	if (!issue)
		return 0;
	for (i = 0; i < issue->n; i++)
		issue->entries[i].dirty = 1;
	if (psm_issue_format(&out, issue) == 0 && (again = parse(out.buf)) && again->n == issue->n) {
		good = 1;
		for (i = 0; i < issue->n; i++)
			good &= !strcmp(issue->entries[i].key, again->entries[i].key) &&
				psm_node_equal(issue->entries[i].value, again->entries[i].value);
	}
	if (!good)
		printf("# wrote:\n%s", out.buf);
	psm_issue_free(issue);
	psm_issue_free(again);
	strbuf_release(&out);
	return good;
}

static void test_rewrite_all(void)
{
	ok(rewrites_readably(sample), "the sample, every entry rewritten, reads back the same");
	ok(rewrites_readably("---\nid: 7kq2m9xabc\n'yes': 1\n'null': x\n\"k\\x01\": [a, '']\n"
			     "\"2026-11-22\": {'~': \"\\ufffe\", n: -.inf}\n---\n"),
	   "odd keys and values, rewritten, read back the same");
	/* lines kept between entries, their indent made for a 1-space map */
	ok(rewrites_readably("---\nid: 7kq2m9xabc\nfollowup:\n oe: x\n  \t\t\n---\nbody\n"),
	   "a blank line of spaces and tabs after a map psm rewrites: read back the same");
	ok(rewrites_readably("---\nid: 7kq2m9xabc\nfollowup:\n oe: x\n  \t# note\ntitle: t\n---\n"),
	   "a comment indented with a tab before the next key, the map rewritten: the same");
	ok(formats_as(parse("---\nid: 7kq2m9xabc\nfollowup:\n oe: x\n  \t# note\n  # kept\n"
			    "title: t\n\n \t\n---\nbody\n"),
		      "---\nid: 7kq2m9xabc\nfollowup:\n oe: x\n  \t# note\n  # kept\ntitle: t\n\n"
		      "\n---\nbody\n"),
	   "such a line after the entries loses its indent (a tab in it); an entry's own "
	   "comments keep theirs");
}

static void test_shape_errors(void)
{
	static const struct { const char *text; int line; const char *what; } bad[] = {
		{ "no front matter\n", 1, "no front matter" },
		{ "---\nid: x\n", 1, "unclosed front matter" },
		{ "---\nid: x\ntitle: [unclosed\n---\n", 3, "broken YAML (where the bracket opens)" },
		{ "---\n- a\n- b\n---\n", 2, "a list, not a mapping" },
		{ "---\nid: a\nid: b\n---\n", 3, "a duplicate key" },
		{ "---\nid: &a x\ntitle: *a\n---\n", 2, "anchors and aliases" },
		{ "\xef\xbb\xbf---\nid: x\n---\n", 1, "a byte order mark" },
		{ "---\rid: x\n---\n", 1, "a lone CR after the first ---" },
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct psm_yaml_error err = { 0, 0, STRBUF_INIT };
		struct psm_issue *issue = NULL;
		int r = psm_issue_parse(&issue, bad[i].text, strlen(bad[i].text), &err);

		ok(r == PSM_EPARSE && !issue && err.line == bad[i].line && err.msg.len,
		   "refused: %s (line %d: %s)", bad[i].what, err.line, err.msg.buf);
		strbuf_release(&err.msg);
	}
}

/* psm_yaml_quote, then psm's own reader: the same string comes back. */
static void test_quote_roundtrip(void)
{
	static const char *const strs[] = {
		"plain words", "yes", "No", "null", "~", "", "123", "-1", "0x1f", "1e3", "1:30",
		".inf", "2026-11-22", "2026-11-22T07:00:00Z", "2026-11-22 07:00:00", "-", "- x",
		"-x", "? x", "a: b", "a:b", "x:", "a #b", "#x", "'q'", "\"q\"", "tab\there",
		"ctl\001x", "trailing  ", " leading", "@x", "`x`", "%x", "!x", "&x", "*x", "|",
		">", "[x]", "{x}", ",x", "=", "<<", "back\\slash", "line\nbreak", "del\177",
		"nel\xc2\x85x", "ls\xe2\x80\xa8x", "bom\xef\xbb\xbfx", "\u00fcn\u00efcode",
		"Fix: crash on \"start\" \u2014 \u00fcn\u00efcode", "---", "...",
		"nonchar \xef\xbf\xbf end", "nonchar \xef\xbf\xbe", "emoji \xf0\x9f\x98\x80",
	};
	size_t i;

	for (i = 0; i < sizeof(strs) / sizeof(strs[0]); i++) {
		struct strbuf doc = STRBUF_INIT;
		struct psm_yaml_error err = { 0, 0, STRBUF_INIT };
		struct psm_node *root = NULL;
		const struct psm_node *v;
		int good;

		strbuf_addstr(&doc, "k: ");
		psm_yaml_quote(&doc, strs[i], strlen(strs[i]));
		strbuf_addch(&doc, '\n');
		good = psm_yaml_load(&root, doc.buf, doc.len, 1, &err) == 0 &&
		       (v = psm_node_get(root, "k")) && v->kind == PSM_SCALAR &&
		       v->len == strlen(strs[i]) && !memcmp(v->str, strs[i], v->len) &&
		       !psm_node_is_null(v) && (!v->plain || !strcmp(strs[i], "plain words") ||
						!strcmp(strs[i], "-x") || !strcmp(strs[i], "a:b") ||
						!strcmp(strs[i], "back\\slash") ||
						!strcmp(strs[i], "\u00fcn\u00efcode") ||
						!strncmp(strs[i], "emoji", 5));
		ok(good, "quoted string reads back as the same string: %.*s", (int)doc.len - 1,
		   doc.buf);
		psm_node_free(root);
		strbuf_release(&doc);
		strbuf_release(&err.msg);
	}
}

static void test_quote_minimal(void)
{
	static const struct { const char *in, *out; } cases[] = {
		{ "CSV import fails", "CSV import fails" },
		{ "yes", "'yes'" },
		{ "it's", "it's" },
		{ "'q'", "'''q'''" },
		{ "a: b", "'a: b'" },
		{ "tab\there", "\"tab\\there\"" },
		{ "2026-11-22", "'2026-11-22'" },
		{ "\u00fcn\u00efcode", "\u00fcn\u00efcode" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct strbuf sb = STRBUF_INIT;

		psm_yaml_quote(&sb, cases[i].in, strlen(cases[i].in));
		ok(!strcmp(sb.buf, cases[i].out), "quoting %s gives %s (got %s)", cases[i].in,
		   cases[i].out, sb.buf);
		strbuf_release(&sb);
	}
}

static void test_utf8(void)
{
	struct psm_issue *issue = parse("---\nid: 7kq2m9xabc\ntitle: t\n---\nbody \xe9\n");
	struct strbuf out = STRBUF_INIT;

	ok(issue && psm_issue_set(issue, "customer", "caf\xe9") == 0 &&
	   psm_issue_format(&out, issue) == PSM_EINVALID && strstr(psm_error_last(), "customer"),
	   "a value that is not UTF-8 is refused rather than written unreadable: %s",
	   psm_error_last());
	psm_issue_free(issue);
	strbuf_release(&out);
	issue = parse("---\nid: 7kq2m9xabc\ntitle: t\n---\nbody \xe9\n");
	ok(issue && formats_as(issue, "---\nid: 7kq2m9xabc\ntitle: t\n---\nbody \xe9\n"),
	   "the body is the user's bytes, kept as they are");
	ok(psm_utf8_valid("\xc3\xa9\xe2\x80\x94\xf0\x9f\x98\x80", 9) &&
	   !psm_utf8_valid("\xc3", 1) && !psm_utf8_valid("\xc0\xaf", 2) &&
	   !psm_utf8_valid("\xed\xa0\x80", 3) && !psm_utf8_valid("\xf4\x90\x80\x80", 4),
	   "UTF-8 check: truncated, overlong, surrogate and out-of-range sequences");
}

static void test_key_order(void)
{
	ok(psm_key_rank("id") == 0 && psm_key_rank("title") == 1 && psm_key_rank("status") == 2,
	   "id, title, status come first");
	ok(psm_key_rank("created") < psm_key_rank("updated") &&
	   psm_key_rank("labels") < psm_key_rank("reporters") &&
	   psm_key_rank("resolution") < psm_key_rank("duplicate_of"),
	   "known keys have a fixed order");
	ok(psm_key_rank("x-sla") == -1, "unknown keys have no rank");
}

/* A file with CRLF line ends is written with them throughout. */
static void test_crlf(void)
{
	static const char text[] = "---\r\nid: cr00000000\r\nstatus: new\r\n---\r\nLine one.\r\n";
	struct psm_issue *issue = parse(text);
	struct strbuf out = STRBUF_INIT;

	ok(issue && issue->crlf, "crlf: a first line ending in CRLF is seen");
	ok(issue && formats_as(issue, text), "crlf: unchanged, written byte for byte");
	issue = parse(text);
	if (issue) {
		strbuf_addstr(&issue->body, "Line two.\n");
		ok(psm_issue_set(issue, "status", "triaged") == 0 && psm_issue_set(issue, "owner", "a@x") == 0 &&
		   psm_issue_format(&out, issue) == 0 &&
		   !strcmp(out.buf, "---\r\nid: cr00000000\r\nstatus: triaged\r\nowner: a@x\r\n---\r\n"
				    "Line one.\r\nLine two.\r\n"),
		   "crlf: the lines psm writes get CRLF too");
		psm_issue_free(issue);
	}
	issue = parse("---\nid: lf00000000\n---\nA\r\nB\n");
	strbuf_reset(&out);
	ok(issue && !issue->crlf && psm_issue_format(&out, issue) == 0 && !strcmp(out.buf, "---\nid: lf00000000\n---\nA\r\nB\n"),
	   "crlf: an LF file keeps a CRLF in its body as it is");
	psm_issue_free(issue);
	strbuf_release(&out);
}

int main(void)
{
	test_roundtrip();
	test_set_one();
	test_add();
	test_remove();
	test_lists();
	test_value_ends();
	test_rewrite();
	test_rewrite_all();
	test_shape_errors();
	test_quote_roundtrip();
	test_quote_minimal();
	test_utf8();
	test_key_order();
	test_crlf();
	return tap_done();
}
