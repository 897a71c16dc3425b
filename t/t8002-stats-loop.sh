#!/bin/sh

test_description='psm stats over a store built by the service-loop commands

End to end: intake, reply, close, reopen, rate, tag and followup --done
at pinned times, then every figure psm stats reports for the week.'

. ./test-lib.sh

# at TIME CMD...: run a psm command at a pinned time
at () {
	PSM_NOW=$1 GIT_AUTHOR_DATE=$1 GIT_COMMITTER_DATE=$1 "$@"
}

if ! psm help reply >/dev/null 2>&1 || ! psm help rate >/dev/null 2>&1
then
	test_skip_all 'the service-loop commands (reply, close, reopen, rate) are not built'
fi

test_expect_success 'setup: a week of work done with psm' '
	psm init &&
	PSM_NOW=2026-11-16T09:00:00Z psm intake -t "Login fails" --type bug \
		--reporter "Ann <ann@a.example>" >a &&
	PSM_NOW=2026-11-16T09:00:00Z psm intake -t "Export is slow" --type bug \
		--reporter "Bo <bo@b.example>" >b &&
	PSM_NOW=2026-11-18T12:00:00Z psm intake -t "Cancelled: too hard to set up" >c &&
	PSM_NOW=2026-11-16T10:00:00Z psm reply $(cat a) -m "Looking into it." &&
	PSM_NOW=2026-11-16T13:00:00Z psm reply $(cat b) -m "Confirmed." &&
	PSM_NOW=2026-11-16T14:00:00Z psm reply $(cat a) -m "A second reply changes nothing." &&
	PSM_NOW=2026-11-16T15:00:00Z psm close $(cat b) --resolution fixed &&
	PSM_NOW=2026-11-16T16:00:00Z psm followup $(cat b) --done &&
	PSM_NOW=2026-11-17T09:00:00Z psm close $(cat a) --resolution fixed &&
	PSM_NOW=2026-11-17T12:00:00Z psm reopen $(cat a) -m "Still fails on Safari." &&
	PSM_NOW=2026-11-18T09:00:00Z psm close $(cat a) --resolution fixed &&
	PSM_NOW=2026-11-17T08:00:00Z psm rate $(cat b) bad --reporter bo@b.example &&
	PSM_NOW=2026-11-18T10:00:00Z psm rate $(cat a) good --reporter ann@a.example &&
	PSM_NOW=2026-11-18T12:00:00Z psm tag $(cat c) +churn &&
	psm check
'

test_expect_success 'the fields the loop wrote are the ones stats reads' '
	psm show --format json $(cat a) >json &&
	grep "\"responded\": \"2026-11-16T10:00:00Z\"" json &&
	grep "\"first_closed\": \"2026-11-17T09:00:00Z\"" json &&
	grep "\"closed\": \"2026-11-18T09:00:00Z\"" json
'

test_expect_success 'every figure of the week' '
	PSM_NOW=2026-11-23T00:00:00Z psm stats --since 2026-W47 --until 2026-W47 >actual &&
	cat >expect <<-EOF &&
	Period                 2026-11-16T00:00:00Z to 2026-11-23T00:00:00Z

	Issues
	  new                  3
	  closed               2
	  duplicates           0
	  reopened             1
	  still open           1

	First response (created to first public reply)
	  answered             2
	  median               1h
	  p90                  4h

	Resolution (created to first close)
	  resolved             2
	  median               6h
	  p90                  1d

	Full resolution of reopened issues (created to final close)
	  resolved             1
	  median               2d
	  p90                  2d

	Service targets
	  fix-fast       first response 4h      met 0, breached 0, overdue now 0
	                 resolution 2d          met 0, breached 0, overdue now 0

	Follow-ups owed        1 (oldest 4d 15h: $(cat a))
	Satisfaction           50% good (1 of 2 ratings)

	Churn                  1 issue
	  bugs                 0
	  missing capability   0
	  confusion            0
	  weak onboarding      0
	  bad fit              0
	  unstated             1
	EOF
	test_cmp expect actual
'

test_expect_success 'the follow-up is no longer owed once done' '
	PSM_NOW=2026-11-23T01:00:00Z psm followup $(cat a) --done &&
	PSM_NOW=2026-11-23T02:00:00Z psm stats >out &&
	grep "^Follow-ups owed        0\$" out &&
	# a period that ended before it was done still sees it owed at its end
	PSM_NOW=2026-11-23T02:00:00Z psm stats --since 2026-W47 --until 2026-W47 >out &&
	grep "^Follow-ups owed        1 (oldest 4d 15h: $(cat a))\$" out &&
	PSM_NOW=2026-11-23T02:00:00Z psm stats --since 2026-11-16 --until 2026-11-20 >out &&
	grep "^Follow-ups owed        1 (oldest 2d 15h: $(cat a))\$" out
'

test_done
