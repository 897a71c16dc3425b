/*
 * Unit tests for the weekly review's figures (lib/report/review.c,
 * psm_review_compute): a small store in memory, the week 2026-W47, and
 * each section's numbers. TAP on stdout.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "psm/error.h"
#include "psm/issue.h"
#include "psm/review.h"
#include "psm/service.h"
#include "psm/store.h"
#include "psm/time.h"
#include "tap.h"

static int64_t T(const char *s)
{
	int64_t t;

	if (psm_time_parse(s, &t) < 0) {
		printf("Bail out! bad time in test: %s\n", s);
		exit(1);
	}
	return t;
}

static struct psm_issue_set set;

/* Add an issue from its front matter (without the fences). */
static struct psm_issue *add(const char *id, const char *fields)
{
	struct psm_yaml_error err = { 0, 0, STRBUF_INIT };
	struct strbuf text = STRBUF_INIT, path = STRBUF_INIT;
	struct psm_issue *issue = NULL;

	strbuf_addf(&text, "---\nid: %s\ntitle: Issue %s\n%s---\n", id, id, fields);
	strbuf_addf(&path, "issues/%.2s/%s.md", id, id);
	if (psm_issue_parse(&issue, text.buf, text.len, &err) < 0 ||
	    !(issue->path = strbuf_detach(&path, NULL)) || psm_issue_set_add(&set, issue) < 0) {
		printf("Bail out! issue %s: %s\n", id, err.msg.buf);
		exit(1);
	}
	psm_time_parse(psm_issue_get(issue, "created"), &issue->sort_created);
	strbuf_release(&text);
	strbuf_release(&path);
	strbuf_release(&err.msg);
	return issue;
}

static const char *id_of(const struct psm_review_item *it)
{
	return it->issue->id;
}

int main(void)
{
	struct psm_release tags[] = {
		{ "v1.0", 0 }, { "v2.0", 0 },
	};
	struct psm_service *sv = NULL;
	struct psm_review rv;
	const struct psm_review_week *w47;
	int r;

	tags[0].when = T("2026-11-01T00:00:00Z");
	tags[1].when = T("2026-11-30T00:00:00Z"); /* after the week: not yet a release */
	add("aaaaaaaaaa", "status: new\nimpact: core\nresponse: fix-fast\nlabels: [login, ui]\n"
	    "customer: Acme\ncreated: 2026-11-17T09:00:00Z\nreporters:\n"
	    "  - {name: Ann, email: ann@acme.example}\n  - {name: A., email: ANN@acme.example}\n"
	    "  - {name: Bo, contact: '@bo'}\n");
	add("bbbbbbbbbb", "status: triaged\nimpact: core\nresponse: fix-fast\nlabels: [login]\n"
	    "customer: Beta\nrelease: '2.0'\ncreated: 2026-11-10T00:00:00Z\nreporters:\n"
	    "  - {name: Cy, email: cy@beta.example}\n");
	add("cccccccccc", "status: closed\nresolution: fixed\nimpact: explanation\nresponse: fix-fast\n"
	    "release: '1.0'\ncreated: 2026-11-17T00:00:00Z\nclosed: 2026-11-20T00:00:00Z\n"
	    "reporters:\n  - {name: Dee, email: dee@x.example}\n");
	add("dddddddddd", "status: closed\nresolution: duplicate\nduplicate_of: bbbbbbbbbb\n"
	    "customer: Gamma\ncreated: 2026-11-18T00:00:00Z\nclosed: 2026-11-19T00:00:00Z\n");
	add("eeeeeeeeee", "status: new\ntype: usability\nlabels: [churn]\nchurn_reason: confusion\n"
	    "created: 2026-11-18T00:00:00Z\n");
	add("ffffffffff", "status: new\nlabels: [churn]\nchurn_reason: bugs\n"
	    "created: 2026-10-01T00:00:00Z\n");
	add("gggggggggg", "status: closed\nresolution: fixed\ncreated: 2026-11-01T00:00:00Z\n"
	    "closed: 2026-11-05T00:00:00Z\nreporters:\n  - {name: Hal, email: hal@x.example}\n"
	    "followup: {done: 2026-11-06T00:00:00Z, by: me@x.example}\n");

	r = psm_service_load(&sv, NULL);
	r = r ? r : psm_review_compute(&rv, &set, sv, tags, 2, T("2026-11-16T00:00:00Z"),
				       T("2026-12-01T00:00:00Z"));
	if (!ok(r == 0, "the review computes"))
		return tap_done();
	ok(rv.to - rv.from == 7 * 86400 && rv.at == rv.to, "the week, its states taken at its end");

	w47 = &rv.weeks[PSM_REVIEW_TREND_WEEKS - 1];
	ok(w47->monday == rv.from && w47->created == 4 && w47->closed == 1 && w47->duplicates == 1,
	   "this week: 4 new, 1 closed, 1 duplicate apart (%zu, %zu, %zu)", w47->created, w47->closed,
	   w47->duplicates);
	ok(rv.weeks[PSM_REVIEW_TREND_WEEKS - 2].created == 1 && rv.weeks[PSM_REVIEW_TREND_WEEKS - 3].closed == 1 &&
	   rv.weeks[0].monday == rv.from - 7 * 7 * 86400, "the weeks before, oldest first");
	ok(rv.open == 4, "4 open at the week's end (%zu)", rv.open);

	ok(rv.ncore == 2 && !strcmp(id_of(&rv.core[0]), "aaaaaaaaaa") && rv.core[0].reporters == 2 &&
	   rv.core[0].customers == 1, "core: most reporters first, one person by e-mail in any case");
	ok(rv.ncore == 2 && rv.core[1].reporters == 1 && rv.core[1].customers == 2,
	   "core: a duplicate's customer counts for its target");
	ok(rv.nlabels == 2 && !strcmp(rv.labels[0].label, "login") && rv.labels[0].reporters == 3 &&
	   rv.labels[0].customers == 3 && rv.labels[0].issues == 2 && !strcmp(rv.labels[1].label, "ui"),
	   "core labels: distinct reporters, customers and issues behind each");

	ok(rv.nslow == 1 && !strcmp(id_of(&rv.slow[0]), "cccccccccc") && rv.slow[0].when == 3 * 86400 &&
	   rv.slow[0].biz == -1 && rv.slow[0].breach == PSM_SLA_RESOLUTION,
	   "slow: created to first close, its 2d target missed");
	ok(rv.nlate == 2 && !strcmp(id_of(&rv.late[0]), "bbbbbbbbbb") &&
	   rv.late[0].breach == (PSM_SLA_RESPONSE | PSM_SLA_RESOLUTION) && rv.late[0].target,
	   "late: open past their targets, oldest first");

	ok(rv.churn_week[2] == 1 && rv.churn_recent[2] == 1 && rv.churn_week[0] == 0 &&
	   rv.churn_recent[0] == 1, "churn: this week's and the last 12 weeks' by reason");

	ok(rv.nowed == 1 && !strcmp(id_of(&rv.owed[0]), "cccccccccc") &&
	   rv.owed[0].when == T("2026-11-20T00:00:00Z"),
	   "follow-ups owed: closed with reporters, not told, no duplicate");

	ok(rv.ntagged == 1 && rv.nreleases == 2 && !strcmp(rv.releases[0].name, "v1.0") &&
	   rv.releases[0].issues == 5 && rv.releases[0].confusion == 2 && rv.releases[0].core == 1,
	   "releases: v1.0 by tag time and by 'release: 1.0' (%zu issues, %zu confusion, %zu core)",
	   rv.releases[0].issues, rv.releases[0].confusion, rv.releases[0].core);
	ok(rv.nreleases == 2 && !strcmp(rv.releases[1].name, "2.0") && rv.releases[1].when == PSM_NO_TIME &&
	   rv.releases[1].issues == 1 && rv.releases[1].core == 1,
	   "releases: a name no tag has yet (v2.0 comes after the week)");

	{
		/* the review passes the times it took: the same breaches as
		 * psm_service_breach() taking them itself, at every instant */
		static const char *const at[] = { "2026-11-10T00:00:00Z", "2026-11-18T12:00:00Z",
						  "2026-11-23T00:00:00Z", "2027-01-01T00:00:00Z" };
		size_t i, j, same = 0, breached = 0;

		for (i = 0; i < set.n; i++)
			for (j = 0; j < 4; j++) {
				struct psm_issue_times t;
				unsigned a = psm_service_breach(sv, set.v[i], T(at[j]));

				psm_issue_times(&t, set.v[i], NULL);
				same += a == psm_service_breach_times(sv, set.v[i], &t, T(at[j]));
				breached += a != 0;
			}
		ok(same == 4 * set.n && breached >= 4,
		   "breaches from times already taken: the same (%zu of %zu, %zu breached)", same,
		   4 * set.n, breached);
	}

	psm_review_release(&rv);
	psm_service_free(sv);
	psm_issue_set_release(&set);
	return tap_done();
}
