#!/bin/sh

test_description='psm stats and psm list sla:breached with business hours and targets

Business hours in Europe/Berlin (Monday to Friday, 09:00 to 17:00): a reply
across a weekend counts only working time, days in targets are working
days, and sla:breached lists the open issues past a target at the time it
is asked, answered late or not at all.'

. ./test-lib.sh

test_expect_success 'setup: Berlin business hours and issues around a weekend' '
	psm init &&
	cat >>.psm/config.yml <<-\EOF &&
	business_hours:
	  timezone: Europe/Berlin
	  days: [mon-fri]
	  start: "09:00"
	  end: "17:00"
	EOF
	# Friday 16:00 Berlin time; answered Monday 10:30; closed Tuesday 16:00
	write_issue kkkkkkkkkk <<-\EOF &&
	title: Asked on Friday afternoon
	status: closed
	response: fix-fast
	created: 2026-11-20T15:00:00Z
	responded: 2026-11-23T09:30:00Z
	closed: 2026-11-24T15:00:00Z
	first_closed: 2026-11-24T15:00:00Z
	resolution: fixed
	EOF
	write_issue mmmmmmmmmm <<-\EOF &&
	title: Friday, half an hour before closing time
	status: new
	response: fix-fast
	created: 2026-11-20T15:30:00Z
	EOF
	write_issue nnnnnnnnnn <<-\EOF &&
	title: Core, a week unanswered
	status: triaged
	impact: core
	created: 2026-11-16T08:00:00Z
	EOF
	write_issue pppppppppp <<-\EOF &&
	title: No target for this response
	status: triaged
	response: investigate
	created: 2026-11-01T08:00:00Z
	EOF
	write_issue qqqqqqqqqq <<-\EOF &&
	title: Done in two hours
	status: closed
	response: fix-fast
	created: 2026-11-18T08:00:00Z
	responded: 2026-11-18T09:00:00Z
	closed: 2026-11-18T10:00:00Z
	resolution: fixed
	EOF
	# Monday 09:00, answered 14:30: five and a half working hours
	write_issue rrrrrrrrrr <<-\EOF &&
	title: Answered after lunch
	status: in-progress
	response: fix-fast
	created: 2026-11-23T08:00:00Z
	responded: 2026-11-23T13:30:00Z
	EOF
	git add . &&
	git commit -q -m setup &&
	psm check
'

test_expect_success 'sla:breached on Monday morning: the weekend does not count' '
	# Monday 11:30 in Berlin: the Friday issue has waited 3 working hours
	PSM_NOW=2026-11-23T10:30:00Z psm list --format tsv sla:breached | cut -f1 >actual &&
	echo nnnnnnnnnn >expect &&
	test_cmp expect actual
'

test_expect_success 'sla:breached on Monday afternoon: unanswered, and answered late' '
	PSM_NOW=2026-11-23T15:00:00Z psm list --format tsv sla:breached | cut -f1 >actual &&
	printf "%s\n" nnnnnnnnnn mmmmmmmmmm rrrrrrrrrr >expect &&
	test_cmp expect actual &&
	PSM_NOW=2026-11-23T15:00:00Z psm list --format tsv sla:breached type:bug >actual &&
	test ! -s actual
'

test_expect_success 'a bad sla: term is refused' '
	test_must_fail psm list sla:met 2>err &&
	grep "sla:breached" err
'

test_expect_success JQ 'durations in calendar and business time, targets in working days' '
	PSM_NOW=2026-11-25T12:00:00Z psm stats --since 2026-W48 --until 2026-W48 \
		--format json >json &&
	test "$(jq -c "[.business_hours, .all.new, .all.closed, .all.open]" json)" = "[true,1,1,4]" &&
	test "$(jq -c .all.first_response json)" = "{\"count\":2,\"median\":19800,\"p90\":239400,\"business_median\":9000,\"business_p90\":19800}" &&
	test "$(jq -c .all.resolution json)" = "{\"count\":1,\"median\":345600,\"p90\":345600,\"business_median\":57600,\"business_p90\":57600}" &&
	jq -c ".all.targets[]" json >actual &&
	cat >expect <<-\EOF &&
	{"response":"fix-fast","first_response":14400,"resolution":57600,"first_response_met":1,"first_response_breached":1,"first_response_overdue":2,"resolution_met":1,"resolution_breached":0,"resolution_overdue":3}
	EOF
	test_cmp expect actual
'

test_expect_success 'the text report shows both clocks' '
	PSM_NOW=2026-11-25T12:00:00Z psm stats --since 2026-W48 --until 2026-W48 >out &&
	sed -n "/^First response/,/^\$/p" out >actual &&
	cat >expect <<-\EOF &&
	First response (created to first public reply)
	  answered             2
	  median               5h 30m    business 2h 30m
	  p90                  2d 18h    business 5h 30m

	EOF
	test_cmp expect actual &&
	grep "^Business hours         set" out &&
	grep "^Service targets (in business hours)\$" out &&
	grep "^  fix-fast       first response 4h      met 1, breached 1, overdue now 2\$" out &&
	grep "^                 resolution 16h         met 1, breached 0, overdue now 3\$" out
'

test_expect_success 'configured targets: hours, working days, and no target' '
	cp .psm/config.yml config.orig &&
	cat >>.psm/config.yml <<-\EOF &&
	targets:
	  fix-fast:
	    first_response: 2h
	    resolution: 1d
	  investigate:
	    resolution: 1w
	EOF
	PSM_NOW=2026-11-25T12:00:00Z psm stats --format json >json &&
	test "$(jq -c "[.all.targets[] | [.response, .first_response, .resolution]]" json)" = \
		"[[\"fix-fast\",7200,28800],[\"investigate\",null,144000]]" &&
	# the investigate issue has been open 17 working days: past a working week
	PSM_NOW=2026-11-25T12:00:00Z psm list --format tsv sla:breached response:investigate | cut -f1 >actual &&
	echo pppppppppp >expect &&
	test_cmp expect actual &&
	cp config.orig .psm/config.yml
'

test_expect_success 'without business hours the weekend counts' '
	cp .psm/config.yml config.orig &&
	sed "/^business_hours:/,\$d" config.orig >.psm/config.yml &&
	PSM_NOW=2026-11-23T10:30:00Z psm list --format tsv sla:breached | cut -f1 >actual &&
	printf "%s\n" nnnnnnnnnn mmmmmmmmmm >expect &&
	test_cmp expect actual &&
	cp config.orig .psm/config.yml
'

test_expect_success 'a bad business_hours or targets config stops with its name' '
	cp .psm/config.yml config.orig &&
	sed "s|Europe/Berlin|Mars/Olympus|" config.orig >.psm/config.yml &&
	test_expect_code 128 psm stats 2>err &&
	grep "unknown time zone .Mars/Olympus. in business_hours.timezone" err &&
	test_expect_code 128 psm list sla:breached 2>err &&
	grep "Mars/Olympus" err &&
	cp config.orig .psm/config.yml &&
	printf "targets:\n  fix-fast:\n    first_response: soon\n" >>.psm/config.yml &&
	test_expect_code 128 psm stats 2>err &&
	grep "invalid targets.fix-fast.first_response .soon." err &&
	cp config.orig .psm/config.yml
'

test_done
