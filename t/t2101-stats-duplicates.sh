#!/bin/sh

test_description='duplicates are counted on their own, not as resolved

An issue closed as a duplicate was merged when someone saw it was one:
psm stats and psm review count such issues apart and leave them out of
resolution times, resolution targets and satisfaction (text and JSON).'

. ./test-lib.sh

test_expect_success 'setup: two fixes and three duplicates merged within the hour' '
	psm init &&
	write_issue a100000000 <<-\EOF &&
	title: Login fails after reset
	status: closed
	response: fix-fast
	reporters:
	- name: Ann
	  email: ann@acme.example
	created: 2026-11-16T09:00:00Z
	closed: 2026-11-17T09:00:00Z
	resolution: fixed
	ratings:
	- value: good
	  reporter: ann@acme.example
	  at: 2026-11-18T09:00:00Z
	EOF
	write_issue a200000000 <<-\EOF &&
	title: Export drops the last row
	status: closed
	response: fix-fast
	created: 2026-11-16T09:00:00Z
	closed: 2026-11-19T09:00:00Z
	resolution: fixed
	EOF
	for n in 1 2 3
	do
		write_issue d${n}00000000 <<-EOF || return 1
		title: Cannot log in ($n)
		status: closed
		response: fix-fast
		reporters:
		- name: Dup $n
		  email: dup$n@beta.example
		created: 2026-11-17T10:00:00Z
		closed: 2026-11-17T11:00:00Z
		resolution: duplicate
		duplicate_of: a100000000
		ratings:
		- value: bad
		  reporter: dup$n@beta.example
		  at: 2026-11-18T10:00:00Z
		EOF
	done &&
	git add . && git commit -q -m issues &&
	psm check
'

test_expect_success 'stats: duplicates apart; resolution and satisfaction without them' '
	PSM_NOW=2026-11-23T00:00:00Z psm stats --since 2026-W47 --until 2026-W47 >out &&
	grep "^  closed  *2\$" out &&
	grep "^  duplicates  *3\$" out &&
	sed -n "/^Resolution (created to first close)/,/^\$/p" out >res &&
	grep "^  resolved  *2\$" res &&
	grep "^  median  *1d\$" res &&
	grep "^  p90  *3d\$" res &&
	grep "resolution 2d  *met 1, breached 1, overdue now 0" out &&
	grep "^Satisfaction  *100% good (1 of 1 rating)\$" out
'

test_expect_success 'stats --format json: the same figures' '
	PSM_NOW=2026-11-23T00:00:00Z psm stats --since 2026-W47 --until 2026-W47 --format json >json &&
	grep "\"closed\": 2," json &&
	grep "\"duplicates\": 3," json &&
	sed -n "/\"resolution\": {/,/}/p" json >res &&
	grep "\"count\": 2," res &&
	grep "\"median\": 86400," res &&
	grep "\"resolution_met\": 1," json &&
	grep "\"resolution_breached\": 1," json &&
	sed -n "/\"satisfaction\": {/,/}/p" json >sat &&
	grep "\"good\": 1," sat &&
	grep "\"bad\": 0," sat &&
	grep "\"percent\": 100" sat
'

test_expect_success 'stats --by: a DUP column' '
	PSM_NOW=2026-11-23T00:00:00Z psm stats --since 2026-W47 --until 2026-W47 --by type >out &&
	head -n 3 out | tail -n 1 | grep "^TYPE  *NEW  *CLOSED  *DUP  *REOPENED" &&
	grep "^(all)  *5  *2  *3  *0  *0 " out
'

test_expect_success 'review: duplicates apart in new vs closed, never among the slowest resolved' '
	PSM_NOW=2026-11-23T00:00:00Z psm review --week 2026-W47 >out &&
	grep "^This week: 5 new, 2 closed (and 3 closed as duplicates); 0 open at the end of the week\\.\$" out &&
	grep "^| \\*\\*2026-W47\\*\\* | \\*\\*5\\*\\* |  \\*\\*2\\*\\* |      \\*\\*3\\*\\* |\$" out &&
	sed -n "/^Slowest resolved this week/,/^\$/p;/^| Issue   | Title/,/^\$/p" out >slow &&
	grep "Export drops the last row" slow &&
	! grep "Cannot log in" slow
'

test_done
