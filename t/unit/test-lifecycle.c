/*
 * Unit tests for lib/lifecycle.c: what a change to an issue file did, from
 * two versions of it. TAP on stdout.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "psm/error.h"
#include "psm/issue.h"
#include "psm/lifecycle.h"
#include "tap.h"

#define HEAD "---\nid: 7kq2m9xabc\ntitle: Login fails\n"
#define TAIL "created: 2026-11-20T10:00:00Z\n"

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

/* The events from a to b as "kind field from to who at via; ..." */
static const char *diff(const char *a, const char *b)
{
	static struct strbuf sb = STRBUF_INIT;
	struct psm_issue *x = a ? parse(a) : NULL, *y = b ? parse(b) : NULL;
	struct psm_events ev = { 0 };
	size_t i;

	strbuf_reset(&sb);
	if (psm_lifecycle_diff(&ev, x, y) < 0)
		strbuf_addstr(&sb, "ERROR");
	for (i = 0; i < ev.n; i++) {
		const struct psm_event *e = &ev.v[i];

		strbuf_addf(&sb, "%s%s %s %s %s %s %s %s", i ? "; " : "", e->kind,
			    e->field ? e->field : "-", e->from ? e->from : "-", e->to ? e->to : "-",
			    e->who ? e->who : "-", e->at ? e->at : "-", e->via ? e->via : "-");
	}
	psm_events_release(&ev);
	psm_issue_free(x);
	psm_issue_free(y);
	return sb.buf;
}

static void check(const char *a, const char *b, const char *want, const char *what)
{
	const char *got = diff(a, b);

	if (!ok(!strcmp(got, want), "%s", what))
		printf("# got:  %s\n# want: %s\n", got, want);
}

int main(void)
{
	check(NULL, HEAD "status: new\nsource: email\nreporters:\n- name: Dana\n  email: d@a.example\n" TAIL "---\n",
	      "intake - - Login fails Dana <d@a.example> 2026-11-20T10:00:00Z email", "intake");
	check(HEAD "status: new\n" TAIL "---\n", NULL, "removed - - - - - -", "removed");
	check(HEAD "status: new\n" TAIL "updated: 2026-11-20T10:00:00Z\n---\n",
	      HEAD "status: new\n" TAIL "updated: 2026-11-21T10:00:00Z\n---\n", "", "updated alone: nothing");
	check(HEAD "status: in-progress\n" TAIL "---\n",
	      HEAD "status: closed\n" TAIL "closed: 2026-11-21T10:00:00Z\nresolution: fixed\n---\n",
	      "close - in-progress fixed - 2026-11-21T10:00:00Z -", "close");
	check(HEAD "status: closed\n" TAIL "resolution: fixed\n---\n",
	      HEAD "status: closed\n" TAIL "resolution: documented\n---\n",
	      "close - fixed documented - - -", "a re-close with another resolution");
	check(HEAD "status: new\n" TAIL "---\n",
	      HEAD "status: closed\n" TAIL "resolution: duplicate\nduplicate_of: 8h2kq0wabc\n---\n",
	      "duplicate - new 8h2kq0wabc - - -", "duplicate");
	check(HEAD "status: closed\n" TAIL "resolution: wontfix\n---\n",
	      HEAD "status: triaged\nreopened: 1\n" TAIL "---\n",
	      "reopen - wontfix triaged - - -", "reopen (reopened: no event of its own)");
	check(HEAD "status: triaged\n" TAIL "---\n",
	      HEAD "status: parked\n" TAIL "parked_until: 2026-12-01\n---\n",
	      "park - triaged 2026-12-01 - - -", "park");
	check(HEAD "status: new\n" TAIL "---\n",
	      HEAD "status: triaged\nimpact: core\nresponse: fix-fast\nowner: raj@x.example\n" TAIL
		   "triaged: 2026-11-21T10:00:00Z\n---\n",
	      "status status new triaged - - -; triage impact - core - - -; "
	      "triage response - fix-fast - - -; owner owner - raj@x.example - - -", "triage and owner");
	check(HEAD "status: closed\n" TAIL "resolution: fixed\ncustomer_replied: 2026-11-21T10:00:00Z\n---\n",
	      HEAD "status: closed\n" TAIL "resolution: fixed\ntriaged: 2026-11-22T10:00:00Z\n---\n",
	      "triage - - - - 2026-11-22T10:00:00Z -", "a decision that changes no field (keep closed)");
	check(HEAD "status: new\nlabels:\n- a\n- b\n" TAIL "---\n",
	      HEAD "status: new\nlabels: [b, c]\n" TAIL "---\n",
	      "label labels a - - - -; label labels - c - - -", "labels, block and flow");
	check(HEAD "status: new\nreporters:\n- name: Dana\n" TAIL "---\n",
	      HEAD "status: new\nreporters:\n- name: Dana\n- name: Sam\n  email: s@g.example\n"
		   "  at: 2026-11-21T10:00:00Z\n  via: 8h2kq0wabc\n" TAIL "---\n",
	      "reporter reporters - Sam <s@g.example> Sam <s@g.example> 2026-11-21T10:00:00Z 8h2kq0wabc",
	      "a reporter brought by psm dup");
	check(HEAD "status: closed\n" TAIL "resolution: fixed\n---\n",
	      HEAD "status: closed\n" TAIL "resolution: fixed\nfollowup:\n  done: 2026-11-22T10:00:00Z\n"
		   "  by: me@x.example\nratings:\n- value: good\n  reporter: d@a.example\n"
		   "  at: 2026-11-23T10:00:00Z\n---\n",
	      "followup followup - - me@x.example 2026-11-22T10:00:00Z -; "
	      "rating ratings - good d@a.example 2026-11-23T10:00:00Z -", "follow-up and rating");
	check(HEAD "status: new\n" TAIL "---\nIt fails.\n\n## Timeline\n\n"
		   "### 2026-11-20T11:00:00Z reply \xe2\x80\x94 me@x.example\n\nSeen.\n",
	      HEAD "status: new\n" TAIL "---\nIt fails.\n\n## Timeline\n\n"
		   "### 2026-11-20T11:00:00Z reply \xe2\x80\x94 me@x.example\n\nSeen.\n\n"
		   "### 2026-11-21T09:00:00Z customer \xe2\x80\x94 Dana <d@a.example>\n\nStill?\n\n"
		   "### 2026-11-21T10:00:00Z note \xe2\x80\x94 me@x.example\n\nAsk QA.\n",
	      "customer - - - Dana <d@a.example> 2026-11-21T09:00:00Z -; "
	      "note - - - me@x.example 2026-11-21T10:00:00Z -", "new timeline entries only");
	check(HEAD "status: closed\n" TAIL "resolution: fixed\n---\nIt fails.\n",
	      HEAD "status: closed\n" TAIL "resolution: fixed\n---\nIt fails on Safari.\n\n"
		   "## Release note\n\nSign-in works.\n",
	      "release_note - - Sign-in works. - - -; body - - - - - -", "release note and the text");
	check(HEAD "status: new\ncustomer: Acme\nacme_sla: gold\n" TAIL "---\n",
	      "---\nid: 7kq2m9xabc\ntitle: Login fails on Safari\nstatus: new\n" TAIL "acme_tier: 2\n---\n",
	      "field title Login fails Login fails on Safari - - -; field customer Acme - - - -; "
	      "field acme_tier - 2 - - -; field acme_sla gold - - - -", "other fields, known and not");
	{
		struct psm_issue *p1 = parse(HEAD "status: new\nlabels: [a]\n" TAIL "---\n");
		struct psm_issue *p2 = parse(HEAD "status: new\nowner: raj\n" TAIL "---\n");
		struct psm_issue *m = parse(HEAD "status: new\nlabels: [a]\nowner: raj\ntype: bug\n" TAIL "---\n");
		struct psm_events a = { 0 }, b = { 0 };

		psm_lifecycle_diff(&a, p1, m);
		psm_lifecycle_diff(&b, p2, m);
		psm_events_intersect(&a, &b);
		ok(a.n == 1 && !strcmp(a.v[0].kind, "triage") && !strcmp(a.v[0].field, "type"),
		   "a merge: only what is new against both parents");
		psm_events_release(&a);
		psm_events_release(&b);
		psm_issue_free(p1);
		psm_issue_free(p2);
		psm_issue_free(m);
	}
	return tap_done();
}
