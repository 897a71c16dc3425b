#!/bin/sh

test_description='psm help, -h, --version and usage errors

help lists the commands; help CMD and CMD -h print the usage from the
command'"'"'s option table and exit 0; an unknown command or option exits
129 with the usage on stderr.'

. ./test-lib.sh

test_expect_success 'psm help lists the foundation commands' '
	psm help >out &&
	grep "^usage: psm \[-C <dir>\] \[--no-cache\] \[--version\] \[--help\] <command>" out &&
	for cmd in init intake list show check help
	do
		grep "^   $cmd  " out || return 1
	done
'

test_expect_success 'psm with no command, -h and --help print the same help' '
	psm help >expect &&
	test_expect_code 129 psm >actual &&
	test_cmp expect actual &&
	psm -h >actual &&
	test_cmp expect actual &&
	psm --help >actual &&
	test_cmp expect actual
'

test_expect_success 'help needs no store' '
	mkdir nowhere &&
	(
		cd nowhere &&
		psm help >/dev/null &&
		psm help list >/dev/null &&
		psm list -h >/dev/null &&
		psm --version >/dev/null
	)
'

test_expect_success 'psm help CMD and psm CMD -h print the same usage, exit 0' '
	psm help >commands &&
	sed -n "s/^   \([a-z][a-z-]*\)  .*/\1/p" commands >names &&
	test $(wc -l <names) -ge 6 &&
	while read cmd
	do
		psm help $cmd >help.out &&
		psm $cmd -h >dash-h.out &&
		psm $cmd --help >dash-help.out &&
		test_cmp help.out dash-h.out &&
		test_cmp help.out dash-help.out &&
		grep "^usage: psm $cmd" help.out || return 1
	done <names
'

test_expect_success 'each foundation command lists its options' '
	psm help intake >out &&
	for opt in -t --title -m --message -F --file --source --reporter \
		--customer -l --label --type --format --no-commit
	do
		grep -e "$opt" out || return 1
	done &&
	psm help list >out &&
	for opt in --format --sort --reverse --limit
	do
		grep -e "$opt" out || return 1
	done &&
	psm help show >out && grep -e "--format" out &&
	psm help check >out && grep -e "--format" out &&
	psm help init >out && grep -e "--no-commit" out
'

test_expect_success 'psm --version' '
	psm --version >out &&
	sed -n 1p out | grep -E "^psm version [0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?\$" &&
	grep "^libgit2 " out &&
	test_line_count = 4 out
'

test_expect_success 'an unknown command: exit 129 with usage' '
	test_expect_code 129 psm frobnicate >out 2>err &&
	test_line_count = 0 out &&
	grep "frobnicate.* is not a psm command" err &&
	grep "psm help" err &&
	grep "^usage: psm" err
'

test_expect_success 'a mistyped command: the most similar one, as git says it' '
	test_expect_code 129 psm lsit >out 2>err &&
	test_line_count = 0 out &&
	printf "%s\n" "psm: '"'"'lsit'"'"' is not a psm command. See '"'"'psm help'"'"'." "" \
		"The most similar command is" "	list" >expect &&
	test_cmp expect err &&
	test_expect_code 129 psm stat 2>err &&
	grep -x "	stats" err &&
	! grep "^usage:" err &&
	test_expect_code 128 psm help trage 2>err &&
	grep "no such command .trage." err &&
	grep -x "	triage" err
'

test_expect_success 'an unknown option: exit 129 with usage' '
	psm init &&
	test_expect_code 129 psm list --bogus >out 2>err &&
	test_line_count = 0 out &&
	grep "unknown option .--bogus." err &&
	grep "^usage: psm list" err &&
	test_expect_code 129 psm show -z abc 2>err &&
	grep "unknown switch .-z." err &&
	grep "^usage: psm show" err &&
	test_expect_code 129 psm --bogus list 2>err &&
	grep "^usage: psm" err &&
	test_expect_code 129 psm check --format=yaml 2>err &&
	grep "unknown format .yaml." err
'

test_expect_success 'a missing option value: exit 129 with usage' '
	test_expect_code 129 psm intake -t 2>err &&
	grep "needs a value" err &&
	grep "^usage: psm intake" err &&
	test_expect_code 129 psm list --limit 2>err &&
	grep "^usage: psm list" err &&
	test_expect_code 129 psm list --limit=many 2>err &&
	grep "whole number" err
'

test_expect_success 'help for an unknown command is an error' '
	test_expect_code 128 psm help frobnicate 2>err &&
	grep "no such command .frobnicate." err &&
	test_expect_code 129 psm help list show 2>err &&
	grep "^usage: psm help" err
'

test_expect_success 'usage errors leave the store untouched' '
	git rev-parse HEAD >before &&
	test_expect_code 129 psm intake --titel x 2>err &&
	git rev-parse HEAD >after &&
	test_cmp before after &&
	test -z "$(git status --porcelain -- issues)"
'

test_done
