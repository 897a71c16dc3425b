#!/bin/sh

test_description='psm stats: every figure of a store with known times

A store written directly (issue files with pinned times, one commit), with
replies, closes, a reopen, ratings, follow-ups and churn; every figure of
the text and JSON reports is checked exactly, and so are the edge cases:
nothing answered yet, a period with no ratings, a reopened issue, an issue
exactly at its target, a past period, and grouping by a field.'

. ./test-lib.sh

commit_issues () {
	git add issues .psm &&
	git commit -q -m "${1:-issues}"
}

test_expect_success 'setup: a week of service' '
	psm init &&
	write_issue aaaaaaaaaa <<-\EOF &&
	title: Answered in an hour, fixed in a day
	status: closed
	type: bug
	response: fix-fast
	reporters:
	- name: Ann
	  email: ann@a.example
	created: 2026-11-16T09:00:00Z
	responded: 2026-11-16T10:00:00Z
	closed: 2026-11-17T09:00:00Z
	first_closed: 2026-11-17T09:00:00Z
	resolution: fixed
	followup:
	  done: 2026-11-17T10:00:00Z
	  by: owner@example.com
	ratings:
	- value: good
	  reporter: ann@a.example
	  at: 2026-11-18T08:00:00Z
	EOF
	write_issue bbbbbbbbbb <<-\EOF &&
	title: Answered late, fixed late
	status: closed
	type: bug
	response: fix-fast
	customer: Beta
	reporters:
	- name: Bo
	  email: bo@b.example
	- name: Bea
	  email: bea@b.example
	created: 2026-11-16T12:00:00Z
	responded: 2026-11-16T20:00:00Z
	closed: 2026-11-19T12:00:00Z
	resolution: fixed
	ratings:
	- value: bad
	  reporter: bo@b.example
	  at: 2026-11-20T09:00:00Z
	  comment: took too long
	EOF
	write_issue cccccccccc <<-\EOF &&
	title: Reopened once
	status: closed
	type: usability
	response: investigate
	reporters:
	- name: Cy
	  email: cy@c.example
	created: 2026-11-10T00:00:00Z
	responded: 2026-11-10T02:00:00Z
	first_closed: 2026-11-16T12:00:00Z
	reopened: 1
	closed: 2026-11-18T00:00:00Z
	resolution: fixed
	followup:
	  done: 2026-11-18T01:00:00Z
	EOF
	write_issue dddddddddd <<-\EOF &&
	title: Core issue nobody answered
	status: new
	type: bug
	impact: core
	created: 2026-11-20T00:00:00Z
	EOF
	write_issue eeeeeeeeee <<-\EOF &&
	title: Four hours old exactly
	status: new
	type: bug
	response: fix-fast
	created: 2026-11-22T20:00:00Z
	EOF
	write_issue ffffffffff <<-\EOF &&
	title: Left for a tool that does exports
	status: closed
	type: feature
	labels:
	- churn
	churn_reason: missing capability
	created: 2026-11-18T00:00:00Z
	closed: 2026-11-18T06:00:00Z
	resolution: answered
	EOF
	write_issue gggggggggg <<-\EOF &&
	title: Cancelled, no reason given
	status: triaged
	labels:
	- billing
	- churn
	created: 2026-11-19T00:00:00Z
	EOF
	write_issue hhhhhhhhhh <<-\EOF &&
	title: Old churn, before the period
	status: triaged
	churn_reason: bugs
	created: 2026-11-01T00:00:00Z
	EOF
	write_issue jjjjjjjjjj <<-\EOF &&
	title: Closed long ago, nobody told
	status: closed
	type: bug
	reporters:
	- name: Jo
	  email: jo@j.example
	created: 2026-11-08T00:00:00Z
	closed: 2026-11-10T00:00:00Z
	resolution: fixed
	ratings:
	- value: good
	  at: 2026-11-10T01:00:00Z
	EOF
	commit_issues &&
	psm check
'

cat >expect.week <<\EOF
Period                 2026-11-16T00:00:00Z to 2026-11-23T00:00:00Z

Issues
  new                  6
  closed               4
  duplicates           0
  reopened             1
  still open           4

First response (created to first public reply)
  answered             2
  median               1h
  p90                  8h

Resolution (created to first close)
  resolved             4
  median               1d
  p90                  6d 12h

Full resolution of reopened issues (created to final close)
  resolved             1
  median               8d
  p90                  8d

Service targets
  fix-fast       first response 4h      met 1, breached 1, overdue now 1
                 resolution 2d          met 1, breached 1, overdue now 1

Follow-ups owed        2 (oldest 13d: jjjjjjj)
Satisfaction           50% good (1 of 2 ratings)

Churn                  2 issues
  bugs                 0
  missing capability   1
  confusion            0
  weak onboarding      0
  bad fit              0
  unstated             1
EOF

test_expect_success 'every figure of the week, as text' '
	PSM_NOW=2026-11-23T00:00:00Z psm stats --since 2026-11-16 --until 2026-11-22 >actual &&
	test_cmp expect.week actual
'

test_expect_success 'the same week named as an ISO week, or as an age' '
	PSM_NOW=2026-11-23T00:00:00Z psm stats --since 2026-W47 --until 2026-W47 >actual &&
	test_cmp expect.week actual &&
	PSM_NOW=2026-11-23T00:00:00Z psm stats --since 7d >actual &&
	sed 1d expect.week >expect.body && sed 1d actual >actual.body &&
	test_cmp expect.body actual.body &&
	head -n 1 actual >period &&
	echo "Period                 2026-11-16T00:00:00Z to now, 2026-11-23T00:00:00Z" >expect.period &&
	test_cmp expect.period period
'

test_expect_success 'by default the period takes in the current second' '
	git init -q now && (
		cd now && psm init >/dev/null &&
		id=$(PSM_NOW=2026-11-23T09:00:00Z psm intake -t "Just now") &&
		PSM_NOW=2026-11-23T09:00:00Z psm close $id --resolution fixed >/dev/null &&
		PSM_NOW=2026-11-23T09:00:00Z psm stats --format json >json &&
		PSM_NOW=2026-11-23T09:00:00Z psm stats >text
	) &&
	grep "\"closed\": *1" now/json &&
	grep "\"open\": *0" now/json &&
	grep "\"since\": \"2026-10-24T09:00:00Z\"" now/json &&
	grep "\"until\": \"2026-11-23T09:00:01Z\"" now/json &&
	echo "Period                 2026-10-24T09:00:00Z to now, 2026-11-23T09:00:00Z" >expect &&
	head -n 1 now/text >actual &&
	test_cmp expect actual
'

test_expect_success JQ 'every figure of the week, as JSON' '
	PSM_NOW=2026-11-23T00:00:00Z psm stats --since 2026-11-16 --until 2026-11-22 \
		--format json >json &&
	jq -c . json >actual &&
	cat >expect <<-\EOF &&
	{"version":1,"period":{"since":"2026-11-16T00:00:00Z","until":"2026-11-23T00:00:00Z","at":"2026-11-23T00:00:00Z"},"business_hours":false,"by":null,"all":{"new":6,"closed":4,"duplicates":0,"reopened":1,"open":4,"first_response":{"count":2,"median":3600,"p90":28800,"business_median":null,"business_p90":null},"resolution":{"count":4,"median":86400,"p90":561600,"business_median":null,"business_p90":null},"full_resolution":{"count":1,"median":691200,"p90":691200,"business_median":null,"business_p90":null},"targets":[{"response":"fix-fast","first_response":14400,"resolution":172800,"first_response_met":1,"first_response_breached":1,"first_response_overdue":1,"resolution_met":1,"resolution_breached":1,"resolution_overdue":1}],"followups":{"owed":2,"oldest_age":1123200,"oldest_id":"jjjjjjjjjj"},"satisfaction":{"good":1,"bad":1,"count":2,"percent":50},"churn":{"count":2,"bugs":0,"missing-capability":1,"confusion":0,"weak-onboarding":0,"bad-fit":0,"other":0,"unstated":1}},"groups":[]}
	EOF
	test_cmp expect actual
'

test_expect_success 'a period with no ratings and nothing answered or resolved' '
	PSM_NOW=2026-11-23T00:00:00Z psm stats --since 2026-11-01 --until 2026-11-07 >actual &&
	cat >expect <<-\EOF &&
	Period                 2026-11-01T00:00:00Z to 2026-11-08T00:00:00Z

	Issues
	  new                  1
	  closed               0
	  duplicates           0
	  reopened             0
	  still open           1

	First response (created to first public reply)
	  answered             0
	  median               -
	  p90                  -

	Resolution (created to first close)
	  resolved             0
	  median               -
	  p90                  -

	Full resolution of reopened issues (created to final close)
	  resolved             0
	  median               -
	  p90                  -

	Service targets
	  fix-fast       first response 4h      met 0, breached 0, overdue now 0
	                 resolution 2d          met 0, breached 0, overdue now 0

	Follow-ups owed        0
	Satisfaction           no ratings in the period

	Churn                  1 issue
	  bugs                 1
	  missing capability   0
	  confusion            0
	  weak onboarding      0
	  bad fit              0
	EOF
	test_cmp expect actual
'

test_expect_success JQ 'no ratings and no answers are null in JSON, not zero' '
	PSM_NOW=2026-11-23T00:00:00Z psm stats --since 2026-11-01 --until 2026-11-07 \
		--format json >json &&
	test "$(jq -c .all.satisfaction json)" = "{\"good\":0,\"bad\":0,\"count\":0,\"percent\":null}" &&
	test "$(jq -c .all.first_response json)" = "{\"count\":0,\"median\":null,\"p90\":null,\"business_median\":null,\"business_p90\":null}" &&
	test "$(jq -c .all.followups json)" = "{\"owed\":0,\"oldest_age\":null,\"oldest_id\":null}"
'

test_expect_success JQ 'a past period takes its states at its end' '
	# at the end of 2026-11-16: two issues answered that day (one in time),
	# four open (the reopened one counts as open before its final close),
	# and the issue closed on 11-10 owed its follow-up for 7 days
	PSM_NOW=2026-11-23T00:00:00Z psm stats --since 2026-11-16 --until 2026-11-16 \
		--format json >json &&
	test "$(jq -c "[.all.new, .all.open, .all.closed, .period.at]" json)" = "[2,4,0,\"2026-11-17T00:00:00Z\"]" &&
	test "$(jq -c ".all.targets[0] | [.first_response_met, .first_response_breached, .first_response_overdue]" json)" = "[1,1,0]" &&
	test "$(jq -c .all.followups json)" = "{\"owed\":1,\"oldest_age\":604800,\"oldest_id\":\"jjjjjjjjjj\"}"
'

test_expect_success 'grouped by type, with the issues without one last' '
	PSM_NOW=2026-11-23T00:00:00Z psm stats --since 2026-W47 --until 2026-W47 --by type >actual &&
	cat >expect <<-\EOF &&
	Period                 2026-11-16T00:00:00Z to 2026-11-23T00:00:00Z

	TYPE       NEW  CLOSED  DUP  REOPENED  OPEN  RESPONSE MED/P90  RESOLUTION MED/P90  MET/BREACHED  OWED  SATISFIED  CHURN
	bug        4    2       0    0         2     1h / 8h           1d / 3d             2/2           2     50% of 2   0
	feature    1    1       0    0         0     -                 6h / 6h             0/0           0     -          1
	usability  0    1       0    1         0     -                 6d 12h / 6d 12h     0/0           0     -          0
	(none)     1    0       0    0         2     -                 -                   0/0           0     -          1
	(all)      6    4       0    1         4     1h / 8h           1d / 6d 12h         2/2           2     50% of 2   2
	EOF
	test_cmp expect actual
'

test_expect_success JQ 'grouped by customer in JSON: a value per group, null for none' '
	PSM_NOW=2026-11-23T00:00:00Z psm stats --since 2026-W47 --until 2026-W47 --by customer \
		--format json >json &&
	test "$(jq -c "[.by, (.groups[] | [.value, .new, .closed])]" json)" = "[\"customer\",[\"Beta\",1,1],[null,5,3]]"
'

test_expect_success 'bad options are usage errors' '
	test_expect_code 129 psm stats --by status &&
	test_expect_code 129 psm stats --since yesterday &&
	test_expect_code 129 psm stats --since 2025-W53 &&
	test_expect_code 129 psm stats --since 2026-11-20 --until 2026-11-19 &&
	test_expect_code 129 psm stats --format csv &&
	test_expect_code 129 psm stats extra
'

test_expect_success 'a customer name cannot drive the terminal' '
	write_issue kkkkkkkkkk <<-\EOF &&
	title: Hostile customer name
	status: new
	customer: "Evil\e]0;owned\aCorp\e[2J"
	created: 2026-11-20T00:00:00Z
	EOF
	PSM_NOW=2026-11-23T00:00:00Z psm stats --since 2026-W47 --until 2026-W47 --by customer >out &&
	! grep "$(printf "\033")" out &&
	grep "^Evil" out &&
	rm issues/kk/kkkkkkkkkk.md
'

test_expect_success 'an unreadable issue file is named and the exit code is 1' '
	mkdir -p issues/zz &&
	printf "no front matter\n" >issues/zz/zzzzzzzzzz.md &&
	test_expect_code 1 psm stats --since 2026-W47 --until 2026-W47 >out 2>err &&
	grep "issues/zz/zzzzzzzzzz.md" err &&
	grep "^  new                  6\$" out &&
	rm -r issues/zz
'

test_done
