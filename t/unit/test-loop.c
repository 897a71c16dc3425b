/*
 * Unit tests for lib/service/loop.c, loop-dup.c and followup.c and
 * lib/store/body.c: the service-loop operations on issues in memory. TAP
 * on stdout.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "psm/body.h"
#include "psm/error.h"
#include "psm/followup.h"
#include "psm/followup-owed.h"
#include "psm/issue.h"
#include "psm/loop.h"
#include "psm/query.h"
#include "psm/timeline.h"
#include "tap.h"

#define T0 "2026-11-20T10:00:00Z"
#define T1 "2026-11-20T11:00:00Z"
#define T2 "2026-11-20T12:00:00Z"



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

/* The issue as file text (a static buffer, valid until the next call). */
static const char *text_of(const struct psm_issue *issue)
{
	static struct strbuf sb = STRBUF_INIT;

	strbuf_reset(&sb);
	psm_issue_format(&sb, issue);
	return sb.buf;
}

static const char base[] =
	"---\n"
	"id: 7kq2m9xabc\n"
	"title: Login fails\n"
	"status: new\n"
	"labels:\n- login\n"
	"reporters:\n"
	"- name: Dana\n  email: Dana@Acme.example\n  channel: email\n"
	"created: " T0 "\n"
	"updated: " T0 "\n"
	"---\n"
	"It fails.\n";

static void test_tag(void)
{
	struct psm_issue *is = parse(base);
	const char *add[] = { "urgent", "billing" }, *rm[] = { "login" }, *bad[] = { "-x" };

	ok(psm_loop_tag(is, add, 2, rm, 1, T1) == 0, "tag: add two, remove one");
	ok(strstr(text_of(is), "labels:\n- billing\n- urgent\n") != NULL, "tag: labels sorted");
	ok(psm_streq(psm_issue_get(is, "updated"), T1), "tag: updated set");
	ok(psm_loop_tag(is, add, 2, rm, 1, T2) == 1, "tag: the same again is unchanged");
	ok(psm_streq(psm_issue_get(is, "updated"), T1), "tag: unchanged leaves updated alone");
	ok(psm_loop_tag(is, bad, 1, NULL, 0, T2) == PSM_EINVALID, "tag: '-x' is not a label");
	ok(psm_loop_tag(is, add, 1, add, 1, T2) == PSM_EINVALID, "tag: add and remove the same");
	psm_issue_free(is);
}

static void test_assign(void)
{
	struct psm_issue *is = parse(base);

	ok(psm_loop_assign(is, "ana@example.com", T1) == 0, "assign: set");
	ok(psm_loop_assign(is, "ana@example.com", T1) == 1, "assign: same owner unchanged");
	ok(psm_loop_assign(is, "a\nb", T1) == PSM_EINVALID, "assign: two lines refused");
	ok(psm_loop_assign(is, NULL, T2) == 0 && !psm_issue_get(is, "owner"), "assign: clear");
	ok(psm_loop_assign(is, NULL, T2) == 1, "assign: clear again unchanged");
	psm_issue_free(is);
}

static void test_timeline(void)
{
	struct psm_issue *is = parse(base);

	ok(psm_loop_timeline(is, "note", "me@x", "internal", T0) == 0 &&
	   !psm_issue_get(is, "responded"), "timeline: a note is not a response");
	ok(psm_loop_timeline(is, "reply", "me@x", "public", T1) == 0 &&
	   psm_streq(psm_issue_get(is, "responded"), T1), "timeline: a reply sets responded");
	ok(psm_loop_timeline(is, "reply", "me@x", "again", T2) == 0 &&
	   psm_streq(psm_issue_get(is, "responded"), T1), "timeline: responded only the first time");
	ok(!strcmp(is->body.buf,
		   "It fails.\n\n## Timeline\n\n"
		   "### " T0 " note \xe2\x80\x94 me@x\n\ninternal\n\n"
		   "### " T1 " reply \xe2\x80\x94 me@x\n\npublic\n\n"
		   "### " T2 " reply \xe2\x80\x94 me@x\n\nagain\n"), "timeline: body layout");
	ok(psm_loop_timeline(is, "shout", "me@x", "x", T2) == PSM_EINVALID, "timeline: unknown kind");
	ok(psm_loop_timeline(is, "note", "", "x", T2) == PSM_EINVALID, "timeline: no author");
	ok(psm_loop_timeline(is, "note", "me@x", " \n\n", T2) == PSM_EINVALID, "timeline: empty text");
	psm_issue_free(is);
}

static void test_body(void)
{
	struct strbuf b = STRBUF_INIT, out = STRBUF_INIT;

	strbuf_addstr(&b, "Intro\n\n```\n## Timeline\n```\n\n## Timeline\n\nold\n\n\n## After\n\ntext");
	ok(psm_body_append(&b, "Timeline", "new\n") == 0, "body: append");
	ok(!strcmp(b.buf, "Intro\n\n```\n## Timeline\n```\n\n## Timeline\n\nold\n\nnew\n\n\n## After\n\ntext"),
	   "body: after the last line of the real section, fenced heading ignored");
	ok(psm_body_replace(&b, "after", "replaced") == 0 &&
	   !strcmp(b.buf + b.len - 19, "## After\n\nreplaced\n"), "body: replace the last section");
	ok(psm_body_get(&out, &b, "timeline") == 0 && !strcmp(out.buf, "old\n\nnew"),
	   "body: get a section, trimmed, any case");
	strbuf_reset(&out);
	ok(psm_body_quote(&out, "\n\n# h1\n   ## h2\n~~~\n# code\n") == 0 &&
	   !strcmp(out.buf, "\\# h1\n   \\## h2\n~~~\n# code\n~~~\n"),
	   "body: quote escapes headings and closes a fence");
	strbuf_reset(&b);
	strbuf_addstr(&b, "no newline at end");
	ok(psm_body_append(&b, "Timeline", "x\n") == 0 &&
	   !strcmp(b.buf, "no newline at end\n\n## Timeline\n\nx\n"), "body: new section at the end");
	strbuf_reset(&b);
	ok(psm_body_replace(&b, "Release note", "One line.") == 0 &&
	   !strcmp(b.buf, "## Release note\n\nOne line.\n"), "body: a section in an empty body");
	strbuf_release(&b);
	strbuf_release(&out);
}

static void test_close_reopen(void)
{
	struct psm_issue *is = parse(base);

	ok(psm_loop_close(is, "duplicate", NULL, NULL, T1) == PSM_EINVALID, "close: duplicate needs a target");
	ok(psm_loop_close(is, "fixed", "8aaaaaaaaa", NULL, T1) == PSM_EINVALID, "close: target only for duplicate");
	ok(psm_loop_close(is, "fixed", NULL, " ", T1) == PSM_EINVALID, "close: empty release note");
	ok(psm_streq(psm_issue_get(is, "status"), "new"), "close: refusals change nothing");
	ok(psm_loop_close(is, "fixed", NULL, "Works\nagain.", T1) == 0, "close");
	ok(psm_streq(psm_issue_get(is, "closed"), T1) && psm_streq(psm_issue_get(is, "first_closed"), T1),
	   "close: closed and first_closed");
	ok(strstr(is->body.buf, "## Release note\n\nWorks again.\n") != NULL, "close: release note, one paragraph");
	ok(psm_loop_followup_owed(is, NULL), "close: follow-up owed");
	ok(psm_loop_close(is, "fixed", NULL, NULL, T2) == 1, "close: again unchanged");
	ok(psm_loop_followup_done(is, NULL, "me@x", T2) == 0 && !psm_loop_followup_owed(is, NULL), "followup done");
	ok(psm_loop_followup_done(is, NULL, "me@x", T2) == 1, "followup done again: unchanged");
	ok(psm_loop_reopen(is, T2) == 0, "reopen");
	ok(psm_streq(psm_issue_get(is, "status"), "triaged") && !psm_issue_get(is, "closed") &&
	   !psm_issue_get(is, "resolution") && !psm_issue_node(is, "followup") &&
	   psm_streq(psm_issue_get(is, "first_closed"), T1), "reopen: fields");
	ok(strstr(text_of(is), "\nreopened: 1\n") != NULL, "reopen: count written as an integer");
	ok(psm_loop_reopen(is, T2) == PSM_EINVALID, "reopen: an open issue is refused");
	ok(psm_loop_followup_done(is, NULL, "me@x", T2) == PSM_EINVALID, "followup done: open refused");
	psm_issue_free(is);
}

static const char target_text[] =
	"---\n"
	"id: 8bbbbbbbbb\n"
	"title: Sign-in broken\n"
	"status: triaged\n"
	"reporters:\n"
	"- name: Dana Ortiz\n  email: dana@acme.example\n"
	"created: " T0 "\n"
	"---\n";

static void test_dup(void)
{
	struct psm_issue *dup = parse(base), *target = parse(target_text), *third;
	const struct psm_node *reps;

	/* a second person on the duplicate */
	{
		struct psm_node *list = psm_node_dup(psm_issue_node(dup, "reporters"));
		struct psm_node *eli = psm_node_new(PSM_MAP);

		psm_node_set_str(eli, "name", "Eli");
		psm_node_set_str(eli, "contact", "@eli");
		psm_node_push(list, eli);
		psm_issue_set_node(dup, "reporters", list);
	}
	ok(psm_loop_dup(dup, dup, T1) == PSM_EINVALID, "dup: not of itself");
	ok(psm_loop_dup(dup, target, T1) == 0, "dup");
	ok(psm_streq(psm_issue_get(dup, "resolution"), "duplicate") &&
	   psm_streq(psm_issue_get(dup, "duplicate_of"), "8bbbbbbbbb"), "dup: closed as duplicate");
	reps = psm_issue_node(target, "reporters");
	ok(reps && reps->n == 2 && psm_streq(psm_node_get_str(reps->items[1], "via"), "7kq2m9xabc") &&
	   psm_streq(psm_node_get_str(reps->items[1], "contact"), "@eli"),
	   "dup: the new person appended with via, the known one (any case) not");
	ok(psm_issue_reporter_count(target) == 2, "dup: reporter count");
	ok(!psm_loop_followup_owed(dup, NULL), "dup: a duplicate owes no follow-up");
	ok(psm_loop_dup(dup, target, T2) == 1, "dup: again unchanged");
	third = parse("---\nid: 9ccccccccc\ntitle: x\nstatus: new\ncreated: " T0 "\n---\n");
	ok(psm_loop_dup(third, dup, T2) == PSM_EINVALID, "dup: chain refused");
	ok(psm_loop_dup(target, dup, T2) == PSM_EINVALID, "dup: cycle refused");
	ok(psm_loop_dup(dup, third, T2) == PSM_EINVALID, "dup: already a duplicate of another");
	ok(psm_loop_dup(target, third, T2) == PSM_EINVALID, "dup: an issue with duplicates refused");
	ok(psm_loop_close(dup, "fixed", NULL, NULL, T2) == PSM_EINVALID, "close: a duplicate needs a reopen");
	ok(psm_loop_undup(dup, target, T2) == 0 && psm_issue_count(target, "reporters") == 1,
	   "undup: the brought reporters leave");
	ok(psm_loop_undup(dup, target, T2) == 1, "undup: again unchanged");
	psm_issue_free(dup);
	psm_issue_free(target);
	psm_issue_free(third);
}

static void test_rate(void)
{
	struct psm_issue *is = parse(base);

	ok(psm_loop_rate(is, "meh", NULL, NULL, T1) == PSM_EINVALID, "rate: good or bad only");
	ok(psm_loop_rate(is, "good", "dana@acme.example", "Quick!", T1) == 0 &&
	   psm_loop_rate(is, "bad", NULL, "", T2) == 0, "rate twice");
	ok(strstr(text_of(is), "ratings:\n- value: good\n  reporter: dana@acme.example\n  at: " T1
		  "\n  comment: Quick!\n- value: bad\n  at: " T2 "\n") != NULL, "rate: appended");
	psm_issue_free(is);
}

static void test_draft(void)
{
	struct psm_issue *is = parse(base);
	struct strbuf out = STRBUF_INIT;
	const struct psm_node *r = psm_issue_node(is, "reporters")->items[0];

	ok(psm_followup_draft(&out, "Hi {name},\n\n{title} is {resolution}.\n\n{release_note}\n\n\n{x} {sender}",
			      is, r, "7kq2m9x", "Ana") == 0, "draft");
	ok(!strcmp(out.buf, "Hi Dana,\n\nLogin fails is .\n\n{x} Ana\n"), "draft: filled, blank runs collapsed");
	strbuf_reset(&out);
	ok(psm_followup_draft(&out, psm_followup_builtin("fixed"), is, r, NULL, NULL) == 0 &&
	   strstr(out.buf, "Hi Dana,") && out.buf[out.len - 1] == '\n' && out.buf[out.len - 2] != '\n',
	   "draft: built-in template ends in one newline");
	strbuf_release(&out);
	psm_issue_free(is);
}


/* psm_timeline_readable(): psm's end-of-entry markers go, text stays. */
static void readable_is(const char *body, const char *want, const char *what)
{
	struct strbuf in = STRBUF_INIT, out = STRBUF_INIT;

	strbuf_addstr(&in, body);
	ok(psm_timeline_readable(&out, &in) == 0 && !strcmp(out.buf ? out.buf : "", want),
	   "readable: %s", what);
	strbuf_release(&in);
	strbuf_release(&out);
}

static void test_readable(void)
{
	readable_is("", "", "an empty body");
	readable_is("It fails. <!-- psm-ref: <a@x> -->\n", "It fails. <!-- psm-ref: <a@x> -->\n",
		    "no timeline: as it is");
	readable_is("Desc.\n\n## Timeline\n\n### " T0 " customer \xe2\x80\x94 a@x\n\nStill broken.\n\n"
		    "<!-- psm-ref: <m1@x> -->\n",
		    "Desc.\n\n## Timeline\n\n### " T0 " customer \xe2\x80\x94 a@x\n\nStill broken.\n\n\n",
		    "a customer entry's final psm-ref goes");
	readable_is("## Timeline\n\n### " T0 " reply \xe2\x80\x94 me@x\n\nFixed.\n\n"
		    "<!-- psm-to: a@x -->\n<!-- psm-ref: <psm.1@x> -->\n\n"
		    "### " T1 " note \xe2\x80\x94 me@x\n\nok\n",
		    "## Timeline\n\n### " T0 " reply \xe2\x80\x94 me@x\n\nFixed.\n\n\n\n"
		    "### " T1 " note \xe2\x80\x94 me@x\n\nok\n",
		    "a sent reply's psm-to and psm-ref go, the next entry stays");
	readable_is("## Timeline\n\n### " T0 " customer \xe2\x80\x94 a@x\n\nThanks.\n\n"
		    "<!-- psm-quote: 6 lines of the message it answers left out -->\n"
		    "<!-- psm-ref: <m4@x> -->\n",
		    "## Timeline\n\n### " T0 " customer \xe2\x80\x94 a@x\n\nThanks.\n\n\n",
		    "an e-mail reply's psm-quote and psm-ref go");
	readable_is("## Timeline\n\n### " T0 " customer \xe2\x80\x94 a@x\n\n"
		    "<!-- psm-quote: mine -->\nThanks.\n\n<!-- psm-ref: <m5@x> -->\n",
		    "## Timeline\n\n### " T0 " customer \xe2\x80\x94 a@x\n\n"
		    "<!-- psm-quote: mine -->\nThanks.\n\n\n",
		    "a psm-quote the customer wrote mid-text stays");
	readable_is("## Timeline\n\n### " T0 " customer \xe2\x80\x94 a@x\n\n"
		    "<!-- psm-ref: mine -->\nmore text\n\n<!-- psm-ref: <m2@x> -->\n",
		    "## Timeline\n\n### " T0 " customer \xe2\x80\x94 a@x\n\n"
		    "<!-- psm-ref: mine -->\nmore text\n\n\n",
		    "a marker the customer wrote mid-text stays");
	readable_is("## Timeline\n\n### " T0 " reply \xe2\x80\x94 me@x\n\nBye.\n<!-- psm-to: a@x -->\n",
		    "## Timeline\n\n### " T0 " reply \xe2\x80\x94 me@x\n\nBye.\n<!-- psm-to: a@x -->\n",
		    "a psm-to not followed by a psm-ref stays");
	readable_is("## Timeline\n\n### " T0 " customer \xe2\x80\x94 a@x\n\n"
		    "see <!-- psm-ref: <m3@x> -->\n",
		    "## Timeline\n\n### " T0 " customer \xe2\x80\x94 a@x\n\n"
		    "see <!-- psm-ref: <m3@x> -->\n",
		    "a marker that is not a whole line stays");
}

/* A follow-up that came back: owed again until told anew. */
static void test_bounced(void)
{
	struct psm_issue *is = parse(base);
	const struct psm_node *dana = NULL;
	struct psm_followup_person *p = NULL;
	char *refs[] = { "<other@x>", "<psm.1@team.example>" };
	const char *person = NULL;
	size_t n = 0;
	int64_t when;

	ok(psm_loop_close(is, "fixed", NULL, NULL, T0) == 0 &&
	   psm_followup_find(&dana, is, "dana@acme.example") == 0 &&
	   psm_followup_told(is, dana, "me@x", "<psm.1@team.example>", T1) == 0,
	   "bounced: closed and told");
	ok(psm_followup_bounced(&person, is, refs, 1, T2, NULL, T2) == PSM_ENOTFOUND && !person,
	   "bounced: a report of another message changes nothing");
	ok(psm_followup_bounced(&person, is, refs, 2, T0, NULL, T2) == PSM_ENOTFOUND,
	   "bounced: a report older than the sending is about an earlier message");
	ok(psm_followup_bounced(&person, is, refs, 2, T2, "two\nlines", T2) == PSM_EINVALID,
	   "bounced: a reason of two lines is refused");
	ok(psm_followup_owed(is, NULL) == 0 && psm_followup_complete(is, NULL, &when) == 1,
	   "bounced: refusals leave them told");
	ok(psm_followup_bounced(&person, is, refs, 2, T2, "550 5.1.1 User unknown", T2) == 0 &&
	   psm_streq(person, "Dana@Acme.example"), "bounced: marked, named by the record");
	ok(strstr(text_of(is), "  ref: <psm.1@team.example>\n  bounced: " T2 "\n"
			       "  bounce: 550 5.1.1 User unknown\n") != NULL,
	   "bounced: the record's new keys, the time plain");
	ok(psm_followup_owed(is, NULL) == 1 && psm_loop_followup_owed(is, NULL) &&
	   psm_followup_complete(is, NULL, &when) == 0, "bounced: owed again, not complete");
	ok(psm_followup_people(&p, &n, is, NULL) == 0 && n == 1 && p[0].state == PSM_FOLLOWUP_OWED &&
	   psm_streq(p[0].bounced, T2) && psm_streq(p[0].bounce, "550 5.1.1 User unknown") &&
	   psm_streq(p[0].done, T1), "bounced: the person owed, with when it was sent and came back");
	free(p);
	ok(psm_followup_bounced(&person, is, refs, 2, T2, NULL, T2) == 1, "bounced: again: recorded already");
	dana = NULL;
	ok(psm_followup_find(&dana, is, "dana@acme.example") == 0 &&
	   psm_followup_told(is, dana, "me@x", "<psm.1@team.example>", T2) == 0 &&
	   !strstr(text_of(is), "bounce") && psm_followup_owed(is, NULL) == 0,
	   "bounced: told anew, the record is replaced");
	psm_issue_free(is);

	/* the other server's clock a little behind psm's */
	is = parse(base);
	dana = NULL;
	ok(psm_loop_close(is, "fixed", NULL, NULL, T0) == 0 &&
	   psm_followup_find(&dana, is, "dana@acme.example") == 0 &&
	   psm_followup_told(is, dana, "me@x", "<psm.1@team.example>", T1) == 0 &&
	   psm_followup_bounced(&person, is, refs, 2, "2026-11-20T10:59:30Z", NULL, T2) == 0,
	   "bounced: a report dated half a minute before the sending counts");
	psm_issue_free(is);
}

int main(void)
{
	test_tag();
	test_assign();
	test_timeline();
	test_readable();
	test_body();
	test_close_reopen();
	test_dup();
	test_rate();
	test_draft();
	test_bounced();
	return tap_done();
}
