/*
 * Unit tests for the figures over issues given one at a time, as a scan
 * gives them (issue 17: stats, review and check hold no issue): each issue
 * is freed right after it is added, so whatever the result points into is
 * gone (AddressSanitizer sees a use). psm_metrics_begin/add/finish against
 * psm_metrics_compute() over the same issues, psm_review_add() with a
 * duplicate's customer met after its target, psm_set_check_add() with
 * duplicate IDs, duplicate_of and refs. TAP on stdout.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "psm/config.h"
#include "psm/error.h"
#include "psm/issue.h"
#include "psm/metrics.h"
#include "psm/review.h"
#include "psm/service.h"
#include "psm/store.h"
#include "psm/time.h"
#include "psm/validate.h"
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

/* An issue from its front matter (without the fences) and a body. */
static struct psm_issue *make(const char *id, const char *fields, const char *body)
{
	struct psm_yaml_error err = { 0, 0, STRBUF_INIT };
	struct strbuf text = STRBUF_INIT, path = STRBUF_INIT;
	struct psm_issue *issue = NULL;

	strbuf_addf(&text, "---\nid: %s\ntitle: Issue %s\n%s---\n%s", id, id, fields, body);
	strbuf_addf(&path, "issues/%.2s/%s.md", id, id);
	if (psm_issue_parse(&issue, text.buf, text.len, &err) < 0 ||
	    !(issue->path = strbuf_detach(&path, NULL))) {
		printf("Bail out! issue %s: %s\n", id, err.msg.buf);
		exit(1);
	}
	psm_time_parse(psm_issue_get(issue, "created"), &issue->sort_created);
	strbuf_release(&text);
	strbuf_release(&path);
	strbuf_release(&err.msg);
	return issue;
}

/* In path order, as a scan gives them. */
static const char *const metric_issues[][2] = {
	{ "a000000001", "status: closed\nresolution: fixed\nimpact: core\nresponse: fix-fast\n"
		"created: 2026-11-02T09:00:00Z\nresponded: 2026-11-02T10:00:00Z\n"
		"first_closed: 2026-11-03T09:00:00Z\nclosed: 2026-11-03T09:00:00Z\n"
		"reporters:\n  - {name: Ann, email: ann@acme.example}\n"
		"ratings:\n  - {value: good, reporter: ann@acme.example, at: 2026-11-04T00:00:00Z}\n" },
	{ "a000000002", "status: closed\nresolution: fixed\ncreated: 2026-11-01T00:00:00Z\n"
		"closed: 2026-11-10T00:00:00Z\nfirst_closed: 2026-11-05T00:00:00Z\nreopened: 1\n"
		"reporters:\n  - {name: Bo, email: bo@beta.example}\n" },
	{ "a000000003", "status: closed\nresolution: duplicate\nduplicate_of: a000000001\n"
		"created: 2026-11-03T00:00:00Z\nclosed: 2026-11-03T12:00:00Z\n"
		"reporters:\n  - {name: Cy, email: cy@x.example}\n" },
	{ "a000000004", "status: new\nimpact: core\nlabels: [churn]\nchurn_reason: bugs\n"
		"created: 2026-11-06T00:00:00Z\n" },
	{ "a000000005", "status: closed\nresolution: answered\ncreated: 2026-10-20T00:00:00Z\n"
		"closed: 2026-11-01T00:00:00Z\nfirst_closed: 2026-11-01T00:00:00Z\n"
		"reporters:\n  - {name: Di, email: di@x.example}\n"
		"ratings:\n  - {value: bad, reporter: di@x.example, at: 2026-11-02T00:00:00Z}\n" },
	{ "a000000006", "status: triaged\nimpact: core\nresponse: fix-fast\n"
		"created: 2026-11-07T00:00:00Z\n" },
};
#define NMETRIC (sizeof(metric_issues) / sizeof(metric_issues[0]))

static int same_durations(const struct psm_durations *a, const struct psm_durations *b)
{
	return a->n == b->n && a->median == b->median && a->p90 == b->p90 &&
	       a->biz_median == b->biz_median && a->biz_p90 == b->biz_p90;
}

static void test_metrics(const struct psm_service *sv, const char *what)
{
	struct psm_period p = { T("2026-11-01T00:00:00Z"), T("2026-11-16T00:00:00Z") };
	int64_t now = T("2026-12-01T00:00:00Z");
	struct psm_issue_set set = { 0 };
	struct psm_metrics one, all;
	struct psm_metrics_acc *acc;
	size_t i;
	int r;

	r = psm_metrics_begin(&acc, &p, sv, now);
	for (i = 0; !r && i < NMETRIC; i++) {
		struct psm_issue *is = make(metric_issues[i][0], metric_issues[i][1], "");

		r = psm_metrics_add(acc, is);
		psm_issue_free(is); /* as a scan moves on */
	}
	if (!ok(!r && !psm_metrics_finish(&one, acc), "%s: metrics one issue at a time", what))
		return;
	for (i = 0; i < NMETRIC; i++)
		if (psm_issue_set_add(&set, make(metric_issues[i][0], metric_issues[i][1], "")) < 0)
			exit(1);
	if (!ok(!psm_metrics_compute(&all, set.v, set.n, &p, sv, now), "%s: over the set", what))
		return;

	ok(one.created == 5 && one.closed == 3 && one.duplicates == 1 && one.reopened == 1 &&
	   one.open == 2, "%s: counts (%zu new, %zu closed, %zu dup, %zu reopened, %zu open)",
	   what, one.created, one.closed, one.duplicates, one.reopened, one.open);
	ok(one.first_response.n == 1 && one.first_response.median == 3600 && one.resolution.n == 3 &&
	   one.resolution.median == 4 * 86400 && one.full_resolution.n == 1 &&
	   one.full_resolution.p90 == 9 * 86400, "%s: durations", what);
	ok(one.followups_owed == 3 && one.has_followup_oldest &&
	   one.followup_oldest == p.until - T("2026-11-01T00:00:00Z") && one.followup_oldest_id &&
	   !strcmp(one.followup_oldest_id, "a000000005"),
	   "%s: the oldest follow-up owed keeps its ID after the issue is gone", what);
	ok(one.good == 1 && one.bad == 1 && one.churn == 1 && one.churn_by[0] == 1,
	   "%s: ratings and churn", what);
	/* calendar: a000000006 is past both limits of fix-fast (4h, 2d) */
	ok(one.ntargets == all.ntargets && one.ntargets && one.targets[0].response_met == 1 &&
	   one.targets[0].resolution_met == 1 &&
	   (sv->biz || (one.targets[0].response_overdue == 1 && one.targets[0].resolution_overdue == 1)) &&
	   !memcmp(one.targets, all.targets, one.ntargets * sizeof(*one.targets)),
	   "%s: service targets", what);
	ok(one.created == all.created && one.closed == all.closed && one.open == all.open &&
	   one.duplicates == all.duplicates && one.reopened == all.reopened &&
	   same_durations(&one.first_response, &all.first_response) &&
	   same_durations(&one.resolution, &all.resolution) &&
	   same_durations(&one.full_resolution, &all.full_resolution) &&
	   one.followups_owed == all.followups_owed && one.followup_oldest == all.followup_oldest &&
	   !strcmp(one.followup_oldest_id, all.followup_oldest_id) && one.good == all.good &&
	   one.bad == all.bad && one.churn == all.churn &&
	   !memcmp(one.churn_by, all.churn_by, sizeof(one.churn_by)),
	   "%s: one at a time gives what the set gives", what);
	psm_metrics_release(&one);
	psm_metrics_release(&all);
	psm_issue_set_release(&set);
}

static void test_review(const struct psm_service *sv)
{
	/* the target comes first in path order, its duplicate after */
	static const char *const issues[][2] = {
		{ "b000000001", "status: triaged\nimpact: core\nresponse: fix-fast\nlabels: [login]\n"
			"customer: Acme\nrelease: '3.1'\ncreated: 2026-11-10T00:00:00Z\n"
			"reporters:\n  - {name: Ann, email: ann@acme.example}\n" },
		{ "b000000002", "status: closed\nresolution: fixed\ncreated: 2026-11-16T00:00:00Z\n"
			"closed: 2026-11-18T00:00:00Z\nfirst_closed: 2026-11-18T00:00:00Z\n"
			"reporters:\n  - {name: Bo, email: bo@x.example}\n  - {name: Cy, email: cy@x.example}\n" },
		{ "b000000003", "status: closed\nresolution: duplicate\nduplicate_of: b000000001\n"
			"customer: Beta\ncreated: 2026-11-17T00:00:00Z\nclosed: 2026-11-17T01:00:00Z\n" },
	};
	struct psm_review rv;
	size_t i;
	int r;

	r = psm_review_begin(&rv, sv, NULL, 0, T("2026-11-16T00:00:00Z"), T("2026-12-01T00:00:00Z"));
	for (i = 0; !r && i < sizeof(issues) / sizeof(issues[0]); i++) {
		struct psm_issue *is = make(issues[i][0], issues[i][1], "");

		r = psm_review_add(&rv, is);
		psm_issue_free(is);
	}
	if (!ok(!r && !psm_review_finish(&rv), "review one issue at a time"))
		return;
	ok(rv.ncore == 1 && rv.core[0].reporters == 1 && rv.core[0].customers == 2 &&
	   rv.nlabels == 1 && rv.labels[0].customers == 2,
	   "core: a duplicate met after its target still counts its customer");
	ok(rv.ncore == 1 && !strcmp(rv.core[0].issue->id, "b000000001") &&
	   !strcmp(rv.core[0].issue->title, "Issue b000000001") &&
	   !strcmp(rv.core[0].issue->status, "triaged") && !rv.core[0].issue->resolution &&
	   !strcmp(rv.core[0].issue->path, "issues/b0/b000000001.md"),
	   "a listed issue is copied: ID, title, status, path");
	ok(rv.nowed == 1 && !strcmp(rv.owed[0].issue->resolution, "fixed") &&
	   rv.owed[0].issue->reporters == 2 && rv.nslow == 1 && rv.slow[0].issue == rv.owed[0].issue,
	   "an issue in two lists is copied once, with its reporters and resolution");
	ok(rv.nreleases == 1 && !strcmp(rv.releases[0].name, "3.1") && rv.releases[0].issues == 1,
	   "an untagged release name outlives its issue");
	psm_review_release(&rv);
}

static void test_set_check(void)
{
	static const char *const issues[][3] = {
		{ "c000000001", "status: new\nsource: email\nexternal_id: X-1\ncreated: 2026-11-02T00:00:00Z\n", "" },
		{ "c000000002", "status: triaged\nsource: email\nexternal_id: X-1\ncreated: 2026-11-03T00:00:00Z\n",
		  "## Timeline\n\nhi\n<!-- psm-ref: <m1@x> -->\n" },
		{ "c000000003", "status: closed\nresolution: duplicate\nduplicate_of: c00000000z\n"
			"created: 2026-11-01T00:00:00Z\n", "<!-- psm-ref: <m1@x> -->\n" },
		{ "c000000004", "status: triaged\ncreated: 2026-11-04T00:00:00Z\n",
		  "text\n<!-- psm-ref: <m1@x> -->\n" },
	};
	struct psm_issue_set diag = { 0 };
	struct psm_set_check *c;
	size_t i;
	int r;

	r = psm_set_check_new(&c);
	for (i = 0; !r && i < 5; i++) {
		/* the fifth: c000000001's ID in another file */
		struct psm_issue *is = make(issues[i % 4][0], issues[i % 4][1], issues[i % 4][2]);

		if (i == 4) {
			free(is->path);
			is->path = psm_strdup("issues/zz/other.md");
		}
		r = psm_set_check_add(c, is);
		psm_issue_free(is);
	}
	r = r ? r : psm_set_check_finish(c, &diag);
	psm_set_check_free(c);
	if (!ok(r == 5 && diag.nerrors == 5, "checks across issues one at a time: 5 problems (%d)", r))
		goto out;
	ok(!strcmp(diag.errors[0].path, "issues/zz/other.md") && diag.errors[0].line == 2 &&
	   !strcmp(diag.errors[0].msg, "id 'c000000001' is also used by 'issues/c0/c000000001.md'"),
	   "an ID used twice, at the later file's id");
	ok(!strcmp(diag.errors[1].path, "issues/c0/c000000003.md") && diag.errors[1].line == 6 &&
	   strstr(diag.errors[1].msg, "duplicate_of 'c00000000z' names no issue"),
	   "duplicate_of naming no issue, at its line");
	ok(!strcmp(diag.errors[2].path, "issues/c0/c000000001.md") &&
	   strstr(diag.errors[2].msg, "external_id 'X-1' as 'issues/c0/c000000002.md'") &&
	   strstr(diag.errors[2].msg, "psm dup c000000001 --of c000000002"),
	   "one external item twice: the new copy is the one to merge, IDs as long as they must be");
	ok(!strcmp(diag.errors[3].path, "issues/zz/other.md") &&
	   strstr(diag.errors[3].msg, "as 'issues/c0/c000000001.md'"),
	   "each pair of issues once");
	ok(!strcmp(diag.errors[4].path, "issues/c0/c000000004.md") && diag.errors[4].line == 8 &&
	   strstr(diag.errors[4].msg, "'<m1@x>' as 'issues/c0/c000000002.md'"),
	   "a body's psm-ref marker, at its line; the duplicate's left out");
out:
	psm_issue_set_release(&diag);
}

int main(void)
{
	static const char biz[] = "business_hours:\n  days: [mon-fri]\n  start: '09:00'\n  end: '17:00'\n";
	struct psm_yaml_error err = { 0, 0, STRBUF_INIT };
	struct psm_service *sv = NULL, *bsv = NULL;
	struct psm_config *cfg = NULL;

	setenv("TZ", "UTC", 1);
	if (psm_service_load(&sv, NULL) < 0 || psm_config_parse(&cfg, biz, strlen(biz), &err) < 0 ||
	    psm_service_load(&bsv, cfg) < 0) {
		printf("Bail out! service: %s\n", psm_error_last());
		return 1;
	}
	test_metrics(sv, "calendar");
	test_metrics(bsv, "business hours");
	test_review(sv);
	test_set_check();
	psm_service_free(sv);
	psm_service_free(bsv);
	psm_config_free(cfg);
	strbuf_release(&err.msg);
	return tap_done();
}
