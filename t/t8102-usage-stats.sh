#!/bin/sh

test_description='psm stats: onboarding and adoption beside the support figures

The two cohorts of lib-usage.sh, imported, with a release tag and a few
issues: the text report shows each cohort'"'"'s completion, its change on
the cohort before, who is still inside the window and where most stall,
and each feature'"'"'s adoption from its release on, with its change; the
JSON adds a usage member and keeps every other one; a store without usage
counts shows none (its JSON as before); a changed window is noticed and
recounted.'

. ./test-lib.sh
. "$TEST_DIRECTORY/lib-usage.sh"

command -v python3 >/dev/null 2>&1 && test_set_prereq PYTHON

test_expect_success 'setup: issues, a release, the export' '
	psm init >/dev/null &&
	write_issue aaaaaaaaaa <<-\EOF &&
	title: Dashboards are confusing
	status: new
	type: usability
	created: 2026-11-18T09:00:00Z
	EOF
	git add issues &&
	git commit -q -m "an issue" &&
	GIT_COMMITTER_DATE=2026-11-10T12:00:00Z git tag -a -m "1.4" v1.4 &&
	usage_config . &&
	git commit -q -am config &&
	usage_export >export.jsonl &&
	psm usage import export.jsonl >/dev/null
'

cat >expect.text <<\EOF

Onboarding: signups who did every step within 7d (signed_up > created_project > invited_teammate > shared_report)
COHORT    SIGNUPS  REACHED  RATE  CHANGE  STILL IN WINDOW  MOST STALL BEFORE
2026-W46  10       5        50%   -       0                shared_report (3)
2026-W47  4        1        25%   -25     2                created_project (2)

Feature adoption: users of the feature / users active that week, from its release
  dashboards: v1.4, from 2026-W46
  pdf-export: release '1.5' is no tag or date yet, every week
WEEK      ACTIVE  dashboards   pdf-export
2026-W46  10      0 (0%)       0 (0%)
2026-W47  9       3 (33% +33)  0 (0% +0)
EOF

test_expect_success 'the text report: cohorts and adoption for the weeks of the period' '
	psm stats --since 2026-W46 --until 2026-W47 >out &&
	grep "^Period  *2026-11-09T00:00:00Z to 2026-11-23T00:00:00Z" out &&
	grep "^  new  *1$" out &&
	sed -n "/^Onboarding:/,\$p" out >usage &&
	sed 1d expect.text >expect &&
	test_cmp expect usage
'

test_expect_success 'a week before a feature'"'"'s release shows no adoption' '
	git tag -d v1.4 >/dev/null &&
	GIT_COMMITTER_DATE=2026-11-17T12:00:00Z git tag -a -m "1.4" v1.4 &&
	psm stats --since 2026-W46 --until 2026-W47 >out &&
	grep "^  dashboards: v1.4, from 2026-W47$" out &&
	grep "^2026-W46  10      -           0 (0%)$" out &&
	grep "^2026-W47  9       3 (33%)     0 (0% +0)$" out
'

test_expect_success PYTHON 'the JSON adds usage and keeps every other member' '
	psm stats --since 2026-W46 --until 2026-W47 --format json >out.json &&
	python3 - out.json <<-\EOF
	import json, sys
	o = json.load(open(sys.argv[1]))
	assert list(o) == ["version", "period", "business_hours", "by", "all", "groups", "usage"], list(o)
	u = o["usage"]
	assert u["weeks"] == [{"week": "2026-W46", "active": 10}, {"week": "2026-W47", "active": 9}], u["weeks"]
	ob = u["onboarding"]
	assert ob["signup"] == "signed_up" and ob["window"] == 604800, ob
	assert ob["steps"] == ["created_project", "invited_teammate", "shared_report"]
	c46, c47 = ob["cohorts"]
	assert c46 == {"week": "2026-W46", "signups": 10, "reached": 5, "percent": 50, "change": None,
	               "waiting": 0,
	               "steps": [{"step": "created_project", "users": 9},
	                         {"step": "invited_teammate", "users": 8},
	                         {"step": "shared_report", "users": 5}],
	               "stall": {"step": "shared_report", "lost": 3}}, c46
	assert c47["percent"] == 25 and c47["change"] == -25 and c47["waiting"] == 2, c47
	assert c47["stall"] == {"step": "created_project", "lost": 2}, c47
	d, p = u["adoption"]
	assert d == {"feature": "dashboards", "release": "v1.4", "since": "2026-W47",
	             "weeks": [{"week": "2026-W47", "users": 3, "active": 9, "percent": 33, "change": None}]}, d
	assert p["release"] == "1.5" and p["since"] is None, p
	assert [w["change"] for w in p["weeks"]] == [None, 0], p
	EOF
'

test_expect_success 'a store without usage counts shows none' '
	psm init plain >/dev/null &&
	psm -C plain stats >out &&
	! grep -e Onboarding -e adoption out &&
	psm -C plain stats --format json >out.json &&
	! grep usage out.json &&
	grep "^  \"groups\": \[\]$" out.json
'

test_expect_success 'configured but not imported for the period: said so' '
	psm stats --since 2026-10-01 --until 2026-10-31 >out &&
	grep "^Onboarding and adoption: no usage counts for these weeks (psm usage import)$" out
'

test_expect_success 'a changed window is noticed, and recount applies it' '
	sed -i "s/window: 7d/window: 14d/" .psm/config.yml &&
	git commit -q -am "a longer window" &&
	psm stats --since 2026-W46 --until 2026-W47 >out 2>err &&
	grep "warning: the usage counts were made with other onboarding steps, window or features than .psm/config.yml names: run psm usage recount" err &&
	psm usage recount >out 2>err &&
	cat >expect <<-\EOF &&
	updated .psm/usage/2026-W46.yml
	updated .psm/usage/2026-W47.yml
	updated .psm/usage/2026-W48.yml
	EOF
	test_cmp expect out &&
	git log -1 --format=%s >msg &&
	echo "psm usage recount: 3 weeks (2026-W46 to 2026-W48)" >expect &&
	test_cmp expect msg &&
	psm stats --since 2026-W46 --until 2026-W47 >out 2>err &&
	test_line_count = 0 err &&
	# with 14 days u9 shared its report in time, 6 of 10; u7 and u8 still
	# had time when the data ended
	grep "^2026-W46  10       6        60%   -       2                shared_report (2)$" out
'

test_done
