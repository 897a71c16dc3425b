#!/bin/sh

test_description='psm review: the weekly review as Markdown and HTML

A store with known issues and git tags; the whole Markdown review of one
week is checked line by line: new vs closed over eight weeks, the core
issues and labels ranked by distinct reporters and customers (counting a
duplicate'"'"'s customer), the slowest resolved and the open past target,
issues per release (by release field or by the tag before creation),
churn reasons and follow-ups owed. Then the bars on a terminal, the HTML
page, escaping of customer text, and exact ISO week parsing.'

. ./test-lib.sh

# commit_at TIME MESSAGE: an empty commit made at TIME
commit_at () {
	GIT_AUTHOR_DATE=$1 GIT_COMMITTER_DATE=$1 git commit -q --allow-empty -m "$2"
}

test_expect_success 'setup: issues and three releases' '
	psm init &&
	write_issue aaaaaaaaaa <<-\EOF &&
	title: Login loops after SSO
	status: triaged
	impact: core
	labels:
	- login
	- sso
	customer: Acme
	reporters:
	- name: Ann
	  email: ann@acme.example
	- name: Bob
	  email: Bob@Acme.example
	- name: Cat
	  contact: "@cat"
	- name: Bob again
	  email: bob@acme.example
	created: 2026-11-13T00:00:00Z
	EOF
	write_issue bbbbbbbbbb <<-\EOF &&
	title: "Checkout | <b>button</b> & \"quotes\" \e[31mred"
	status: in-progress
	impact: core
	labels:
	- checkout
	customer: Dyn
	reporters:
	- name: Dan
	  email: dan@dyn.example
	- name: Eve
	  email: eve@dyn.example
	created: 2026-11-17T00:00:00Z
	release: "1.1"
	EOF
	write_issue cccccccccc <<-\EOF &&
	title: SSO login loop (duplicate)
	status: closed
	labels:
	- login
	customer: Beta
	reporters:
	- name: Fay
	  email: fay@beta.example
	created: 2026-11-18T00:00:00Z
	closed: 2026-11-18T12:00:00Z
	resolution: duplicate
	duplicate_of: aaaaaaaaaa
	EOF
	write_issue dddddddddd <<-\EOF &&
	title: Core, fixed before the week
	status: closed
	impact: core
	labels:
	- payments
	created: 2026-11-03T00:00:00Z
	closed: 2026-11-10T00:00:00Z
	resolution: fixed
	EOF
	write_issue eeeeeeeeee <<-\EOF &&
	title: Settings page is confusing
	status: triaged
	type: usability
	created: 2026-11-05T00:00:00Z
	EOF
	write_issue ffffffffff <<-\EOF &&
	title: Docs miss the API key step
	status: triaged
	type: docs
	created: 2026-11-14T00:00:00Z
	release: v1.0
	EOF
	write_issue gggggggggg <<-\EOF &&
	title: A question about an old version
	status: new
	created: 2026-11-15T00:00:00Z
	release: v0.9
	EOF
	write_issue hhhhhhhhhh <<-\EOF &&
	title: Gave up during setup
	status: closed
	labels:
	- churn
	churn_reason: weak onboarding
	reporters:
	- name: Hal
	  email: hal@h.example
	created: 2026-11-19T00:00:00Z
	closed: 2026-11-19T10:00:00Z
	resolution: answered
	EOF
	write_issue jjjjjjjjjj <<-\EOF &&
	title: Sixteen days to fix
	status: closed
	response: fix-fast
	created: 2026-11-02T00:00:00Z
	responded: 2026-11-02T01:00:00Z
	closed: 2026-11-18T00:00:00Z
	first_closed: 2026-11-18T00:00:00Z
	resolution: fixed
	reporters:
	- name: Jo
	  email: jo@j.example
	followup:
	  done: 2026-11-18T01:00:00Z
	EOF
	write_issue kkkkkkkkkk <<-\EOF &&
	title: Fixed the same day
	status: closed
	response: fix-fast
	created: 2026-11-17T09:00:00Z
	responded: 2026-11-17T09:30:00Z
	closed: 2026-11-17T15:00:00Z
	resolution: fixed
	reporters:
	- name: Kim
	  email: kim@k.example
	EOF
	git add . &&
	commit_at 2026-11-02T10:00:00Z issues &&
	GIT_COMMITTER_DATE=2026-11-02T10:00:00Z git tag -a v1.0 -m "Release 1.0" &&
	commit_at 2026-11-12T10:00:00Z "release 1.1" &&
	git tag v1.1 &&
	commit_at 2026-11-30T10:00:00Z "release 2.0" &&
	GIT_COMMITTER_DATE=2026-11-30T10:00:00Z git tag -a v2.0 -m "Release 2.0" &&
	git tag not-a-release $(echo data | git hash-object -w --stdin) &&
	psm check
'

cat >expect.md <<\EOF
# Weekly review 2026-W47

Monday 2026-11-16 to Sunday 2026-11-22 (UTC).

## New vs closed

This week: 4 new, 3 closed (and 1 closed as duplicate); 5 open at the end of the week.

The last eight weeks (duplicates apart: merged, not resolved):

| Week         | New   | Closed | Duplicates |
| ------------ | ----: | -----: | ---------: |
| 2026-W40     |     0 |      0 |          0 |
| 2026-W41     |     0 |      0 |          0 |
| 2026-W42     |     0 |      0 |          0 |
| 2026-W43     |     0 |      0 |          0 |
| 2026-W44     |     0 |      0 |          0 |
| 2026-W45     |     3 |      0 |          0 |
| 2026-W46     |     3 |      1 |          0 |
| **2026-W47** | **4** |  **3** |      **1** |

## What blocked users most often

2 core-impact issues open during the week; most reported: "Login loops after SSO" (3 reporters, 2 customers).

Core-impact issues open during the week, by distinct reporters, then customers:

| Issue   | Title                                         | Reporters | Customers | Status      |
| ------- | --------------------------------------------- | --------: | --------: | ----------- |
| aaaaaaa | Login loops after SSO                         |         3 |         2 | triaged     |
| bbbbbbb | Checkout \| \<b\>button\</b\> \& "quotes" red |         2 |         1 | in-progress |

Their labels, by distinct reporters, then customers:

| Label    | Reporters | Customers | Issues |
| -------- | --------: | --------: | -----: |
| login    |         3 |         2 |      1 |
| sso      |         3 |         2 |      1 |
| checkout |         2 |         1 |      1 |

## What took too long

Slowest resolution this week: 16d (Sixteen days to fix). 2 open issues past their target.

Slowest resolved this week (created to first close):

| Issue   | Title                | Took | Target     |
| ------- | -------------------- | ---- | ---------- |
| jjjjjjj | Sixteen days to fix  | 16d  | 2d, missed |
| hhhhhhh | Gave up during setup | 10h  | -          |
| kkkkkkk | Fixed the same day   | 6h   | 2d, met    |

Open past their target at the end of the week, oldest first:

| Issue   | Title                                         | Age | Past                             |
| ------- | --------------------------------------------- | --- | -------------------------------- |
| aaaaaaa | Login loops after SSO                         | 10d | first response 4h, resolution 2d |
| bbbbbbb | Checkout \| \<b\>button\</b\> \& "quotes" red | 6d  | first response 4h, resolution 2d |

## Which release created confusion

Most confusion: v1.0 (2 of 3 issues).

Issues per release (its release field, else created after its tag), newest first:

| Release | Tagged     | Issues | Confusion | Core |
| ------- | ---------- | -----: | --------: | ---: |
| v1.1    | 2026-11-12 |      5 |         0 |    2 |
| v1.0    | 2026-11-02 |      3 |         2 |    1 |
| v0.9    | -          |      1 |         0 |    0 |

## Why customers left

1 churn issue this week; over 12 weeks the top reason is weak onboarding (1 of 1).

Issues labelled churn, or with a churn reason, by reason:

| Reason             | This week | Last 12 weeks |
| ------------------ | --------: | ------------: |
| bugs               |         0 |             0 |
| missing capability |         0 |             0 |
| confusion          |         0 |             0 |
| weak onboarding    |         1 |             1 |
| bad fit            |         0 |             0 |

## Follow-ups owed

2 follow-ups owed; the oldest was closed 5d 9h ago.

Closed, but the reporters were not told (psm followup), oldest first:

| Issue   | Title                | Closed     | Reporters | Resolution |
| ------- | -------------------- | ---------- | --------: | ---------- |
| kkkkkkk | Fixed the same day   | 5d 9h ago  |         1 | fixed      |
| hhhhhhh | Gave up during setup | 3d 14h ago |         1 | answered   |

EOF

test_expect_success 'the whole review of a week, as Markdown' '
	PSM_NOW=2026-11-23T00:00:00Z psm review --week 2026-W47 >actual &&
	test_cmp expect.md actual
'

test_expect_success 'the default week is the one holding now' '
	PSM_NOW=2026-11-22T23:59:59Z psm review >actual &&
	head -n 3 actual >head &&
	cat >expect <<-\EOF &&
	# Weekly review 2026-W47

	Monday 2026-11-16 to Sunday 2026-11-22 (UTC), so far (until 2026-11-22T23:59:59Z).
	EOF
	test_cmp expect head
'

test_expect_success 'a week under way takes its states now' '
	# on Wednesday the 18th at noon: five issues are open (the duplicate
	# closes at that very second), and the same-day fix has been owed its
	# follow-up for 21 hours; the issue closed on the 19th is not owed yet
	PSM_NOW=2026-11-18T12:00:00Z psm review --week 2026-W47 >actual &&
	grep "^This week: 4 new, 3 closed (and 1 closed as duplicate); 5 open now\\.\$" actual &&
	grep "^1 follow-up owed; the oldest was closed 21h ago\\.\$" actual &&
	grep "^Open past their target now, oldest first:\$" actual
'

test_expect_success 'a tag made after the week is not one of its releases' '
	PSM_NOW=2026-12-01T00:00:00Z psm review --week 2026-W47 >actual &&
	! grep "v2\\.0" actual &&
	PSM_NOW=2026-12-01T00:00:00Z psm review --week 2026-W49 >actual &&
	grep "^| v2\\.0    | 2026-11-30 |      0 |         0 |    0 |\$" actual
'

test_expect_success 'a quiet week: no core-impact issue, none late, each said once' '
	# before the first issue was taken in
	PSM_NOW=2026-11-23T00:00:00Z psm review --week 2026-W40 >actual &&
	sed -n "/^## What blocked users most often\$/,/^## /p" actual >section &&
	cat >expect <<-\EOF &&
	## What blocked users most often

	Nothing with core impact was open this week.

	## What took too long
	EOF
	test_cmp expect section &&
	PSM_NOW=2026-11-23T00:00:00Z psm review --week 2026-W40 --format html >page.html &&
	grep -c "Nothing with core impact was open this week" page.html >n &&
	echo 1 >one &&
	test_cmp one n &&
	! grep "carry no labels" page.html &&
	sed -n "/^## What took too long\$/,/^## /p" actual >section &&
	cat >expect <<-\EOF &&
	## What took too long

	No open issue is past its target.

	Nothing was resolved this week.

	## Which release created confusion
	EOF
	test_cmp expect section &&
	sed -n "/^## Why customers left\$/,\$p" actual >section &&
	cat >expect <<-\EOF &&
	## Why customers left

	No churn recorded in the last 12 weeks.

	## Follow-ups owed

	EOF
	echo "No follow-ups owed: every closed issue'"'"'s reporters were told." >>expect &&
	echo >>expect &&
	test_cmp expect section &&
	! grep "by reason" page.html
'

test_expect_success 'durations past a year are years (of 365 days) and days' '
	git init -q old && (
		cd old && psm init >/dev/null &&
		id=$(PSM_NOW=2024-01-01T00:00:00Z psm intake -t "Old report" --type bug) &&
		git tag v1 &&
		PSM_NOW=2026-02-10T00:00:00Z psm close $id --resolution fixed >/dev/null &&
		PSM_NOW=2026-02-12T00:00:00Z psm review --week 2026-W07 >../old.md &&
		PSM_NOW=2026-02-12T00:00:00Z psm review --week 2026-W07 --format html >../old.html
	) &&
	grep "^Slowest resolution this week: 2y 41d (Old report)\\." old.md &&
	grep "^| [a-z0-9]* | Old report | 2y 41d | - *|\$" old.md
'

test_expect_success 'as HTML, a bar chart whose bars would all be zero is left out' '
	sed -n "/<h2>Which release created confusion/,/<\/section>/p" old.html >section &&
	grep "<td>v1</td>" section &&
	! grep "<svg" section &&
	sed -n "/<h2>New vs closed/,/<\/section>/p" old.html >section &&
	grep "<svg" section
'

test_expect_success 'ISO weeks are parsed exactly' '
	PSM_NOW=2027-01-10T00:00:00Z psm review --week 2026-W53 >actual &&
	grep "^Monday 2026-12-28 to Sunday 2027-01-03 (UTC)\\.\$" actual &&
	PSM_NOW=2027-01-10T00:00:00Z psm review --week 2026W01 >actual &&
	grep "^Monday 2025-12-29 to Sunday 2026-01-04 (UTC)\\.\$" actual &&
	test_expect_code 129 psm review --week 2025-W53 2>err &&
	grep "2025 has ISO weeks 01 to 52" err &&
	test_expect_code 129 psm review --week 2026-W00 &&
	test_expect_code 129 psm review --week 2026-W7 &&
	test_expect_code 129 psm review --week 2026-11-16 &&
	test_expect_code 128 env PSM_NOW=2026-11-23T00:00:00Z psm review --week 2026-W49 2>err &&
	grep "has not started" err
'

test_expect_success TTY 'on a terminal the numbers get bars' '
	PSM_NOW=2026-11-23T00:00:00Z test_terminal psm review --week 2026-W47 >out &&
	tr -d "\\r" <out >actual &&
	grep "^| 2026-W46     |     3 ████████████     |      1 ████             |          0 |\$" actual &&
	grep "^| \\*\\*2026-W47\\*\\* | \\*\\*4\\*\\* ████████████████ |  \\*\\*3\\*\\* ████████████     |      \\*\\*1\\*\\* |\$" actual &&
	grep "^| login    |         3 ████████████████ |         2 |      1 |\$" actual &&
	grep "^| checkout |         2 ██████████▋      |         1 |      1 |\$" actual
'

test_expect_success 'as HTML: one standalone page with the same sections and SVG charts' '
	PSM_NOW=2026-11-23T00:00:00Z psm review --week 2026-W47 --format html >page.html &&
	head -n 1 page.html >first &&
	echo "<!DOCTYPE html>" >expect &&
	test_cmp expect first &&
	tail -n 1 page.html >last &&
	echo "</html>" >expect &&
	test_cmp expect last &&
	# nothing outside the page: no scripts, links, images or fonts
	! grep -i -e "<script" -e "<link" -e "<img" -e "src=" -e "@import" -e "url(" page.html &&
	sed -n "s/^<h2>\\(.*\\)<\\/h2>\$/\\1/p" page.html >actual &&
	sed -n "s/^## //p" expect.md >expect &&
	test_cmp expect actual &&
	grep -c "<svg " page.html >count &&
	echo 5 >expect &&
	test_cmp expect count &&
	grep "<td>Checkout | &lt;b&gt;button&lt;/b&gt; &amp; &quot;quotes&quot; red</td>" page.html &&
	! grep "<b>button" page.html &&
	! grep "$(printf "\\033")" page.html &&
	grep "<tr class=\"mark\"><td>2026-W47</td><td class=\"n\">4</td><td class=\"n\">3</td><td class=\"n\">1</td></tr>" page.html
'

test_expect_success 'the SVG charts are well-formed, with bars to scale' '
	python3 - page.html <<-\EOF
	import re, sys
	import xml.dom.minidom
	page = open(sys.argv[1], encoding="utf-8").read()
	svgs = re.findall(r"<svg .*?</svg>", page, re.S)
	assert len(svgs) == 5, len(svgs)
	for s in svgs:
	    xml.dom.minidom.parseString(s)
	# the trend: new and closed share one scale; 4 is the biggest
	widths = re.findall(r"width=\"(\d+)\" height=\"12\"", svgs[0])
	assert widths[-2:] == ["280", "210"], widths
	assert widths[-4:-2] == ["210", "70"], widths
	EOF
'

test_expect_success 'customer text cannot drive the terminal or break the Markdown' '
	PSM_NOW=2026-11-23T00:00:00Z psm review --week 2026-W47 >actual &&
	! grep "$(printf "\\033")" actual &&
	grep -c "^| bbbbbbb | Checkout \\\\| " actual >count &&
	echo 2 >expect &&
	test_cmp expect count
'

test_expect_success 'bad options are usage errors' '
	test_expect_code 129 psm review --format json &&
	test_expect_code 129 psm review extra
'

test_done
