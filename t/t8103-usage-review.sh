#!/bin/sh

test_description='psm review: onboarding and adoption beside the support figures

The cohorts of lib-usage.sh, imported, with a release tag: the review of
2026-W47 gives the funnel of the latest cohort whose window has closed, the
cohorts of eight weeks, each feature'"'"'s adoption this week and since its
release, and, beside the issues per release, the adoption of what it
shipped; the HTML page draws a funnel and a line per feature (inline SVG,
no script) and escapes names from the config.'

. ./test-lib.sh
. "$TEST_DIRECTORY/lib-usage.sh"

test_expect_success 'setup: an issue against a release, the tag, the export' '
	psm init >/dev/null &&
	write_issue aaaaaaaaaa <<-\EOF &&
	title: Dashboards are confusing
	status: new
	type: usability
	release: "1.4"
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

cat >expect.md <<\EOF
## Which release created confusion

Most confusion: v1.4 (1 of 1 issues). Used this week: dashboards (v1.4) 33% of active users.

Issues per release (its release field, else created after its tag), newest first:

| Release | Tagged     | Issues | Confusion | Core |
| ------- | ---------- | -----: | --------: | ---: |
| v1.4    | 2026-11-10 |      1 |         1 |    0 |

What they shipped, used this week (of the week's active users):

| Release | Feature    | Users | Adoption | Change |
| ------- | ---------- | ----: | -------: | -----: |
| v1.4    | dashboards |     3 |      33% |    +33 |

## Onboarding

Cohort 2026-W46 (the latest whose 7d window closed by the end of this week): 5 of 10 signups (50%) did every step; most stall before shared\_report (3 stop there).

Its funnel (each step: the signups who had done it and every step before, within the window):

| Step              | Users | Of signups | Lost here |
| ----------------- | ----: | ---------: | --------: |
| signed\_up        |    10 |       100% |         - |
| created\_project  |     9 |        90% |         1 |
| invited\_teammate |     8 |        80% |         1 |
| shared\_report    |     5 |        50% |         3 |

Cohorts of the last eight weeks (the latest may still be inside their window):

| Cohort       | Signups | Did every step | Rate    | Change | Most stall before      |
| ------------ | ------: | -------------: | ------: | -----: | ---------------------- |
| **2026-W46** |  **10** |          **5** | **50%** |  **-** | **shared\_report (3)** |
| 2026-W47     |       4 |              1 |     25% |    -25 | created\_project (2)   |

## Feature adoption

dashboards 33% (+33); pdf-export 0% (+0) of this week's active users.

This week: users who used each feature, of the users active in the week:

| Feature    | Release        | Users | Active | Adoption | Change |
| ---------- | -------------- | ----: | -----: | -------: | -----: |
| dashboards | v1.4           |     3 |      9 |      33% |    +33 |
| pdf-export | not tagged yet |     0 |      9 |       0% |     +0 |

Adoption by week since each release:

| Week         | dashboards | pdf-export |
| ------------ | ---------- | ---------- |
| 2026-W46     | 0%         | 0%         |
| **2026-W47** | **33%**    | **0%**     |

EOF

test_expect_success 'the review of 2026-W47: releases, onboarding, adoption' '
	PSM_NOW=2026-11-24T12:00:00Z psm review --week 2026-W47 >out &&
	sed -n "/^## Which release/,/^## Why customers/p" out | sed "\$d" >got &&
	test_cmp expect.md got
'

test_expect_success 'the HTML page: a funnel and a line per feature, no script' '
	PSM_NOW=2026-11-24T12:00:00Z psm review --week 2026-W47 --format html >page.html &&
	! grep -i "<script" page.html &&
	sed -n "/<h2>Onboarding/,/<h2>Feature adoption/p" page.html >onboarding &&
	# three bands join the four bars of the funnel
	grep -c "<polygon class=\"fc\"" onboarding >n &&
	echo 3 >expect &&
	test_cmp expect n &&
	grep "<text x=\"468\" y=\"15\">10 (100%)</text>" onboarding &&
	grep "<text x=\"468\" y=\"81\">5 (50%)</text>" onboarding &&
	sed -n "/<h2>Feature adoption/,/<h2>Why customers/p" page.html >adoption &&
	grep -c "<polyline class=\"ln c[01]\"" adoption >n &&
	echo 2 >expect &&
	test_cmp expect n &&
	grep "<circle class=\"c0\" cx=\"[0-9.]*\" cy=\"[0-9.]*\" r=\"3\"><title>dashboards 2026-W47: 33%</title></circle>" adoption
'

test_expect_success 'names from the config are escaped for HTML and Markdown' '
	cat >>.psm/config.yml <<-\EOF &&
	  "<b>bold</b> & co":
	    events: dashboard_created
	EOF
	git commit -q -am "a feature with markup in its name" &&
	psm usage recount >/dev/null &&
	PSM_NOW=2026-11-24T12:00:00Z psm review --week 2026-W47 --format html >page.html &&
	grep "&lt;b&gt;bold&lt;/b&gt; &amp; co" page.html &&
	! grep "<b>bold" page.html &&
	psm review --week 2026-W47 >page.md &&
	grep "\\\\<b\\\\>bold\\\\</b\\\\> \\\\& co" page.md
'

test_expect_success 'a week before any cohort closed' '
	psm review --week 2026-W46 >out &&
	grep "^Cohort 2026-W45 (the latest whose 7d window closed by the end of this week): no signups.$" out &&
	sed -n "/^Its funnel/,/^Cohorts/p" out >funnel &&
	! grep "^|" funnel
'

test_expect_success 'the week under way: the latest cohort whose window has closed by now' '
	# Tuesday of 2026-W48: the cohort of 2026-W47 is inside its window
	# until the end of Sunday, so the one before is shown
	PSM_NOW=2026-11-24T12:00:00Z psm review >out &&
	head -1 out >title &&
	echo "# Weekly review 2026-W48" >expect &&
	test_cmp expect title &&
	grep "^Cohort 2026-W46 (the latest whose 7d window has closed): 5 of 10 signups (50%) did every step" out &&
	grep "^| \*\*2026-W46\*\* |" out
'

test_expect_success '--week last: the week before this one, whole' '
	PSM_NOW=2026-11-30T09:00:00Z psm review --week last >out &&
	head -1 out >title &&
	echo "# Weekly review 2026-W48" >expect &&
	test_cmp expect title &&
	grep "^Cohort 2026-W47 (the latest whose 7d window closed by the end of this week): 1 of 4 signups (25%) did every step" out &&
	PSM_NOW=2026-11-30T09:00:00Z psm review --week this >out &&
	head -1 out >title &&
	echo "# Weekly review 2026-W49" >expect &&
	test_cmp expect title &&
	test_expect_code 129 psm review --week lastweek 2>err &&
	grep "invalid week .lastweek." err
'

test_expect_success 'a store without usage counts reviews as before' '
	psm init plain >/dev/null &&
	psm -C plain review >out &&
	! grep -e "^## Onboarding" -e "^## Feature adoption" -e "What they shipped" out &&
	grep -c "^## " out >n &&
	echo 6 >expect &&
	test_cmp expect n
'

test_done
