#!/bin/sh

test_description='psm changelog: only customer-facing changes, nothing private

By default a release lists the closed issues that are customer-facing
changes: with a release note, or placed in a group and resolved fixed or
documented. Churn records, type account, resolutions answered, duplicate,
cannot-reproduce and wontfix, and the label internal never appear, in any
format, unless --include-private (or --all) asks for them; --check -v says
what was left out and why.'

. ./test-lib.sh
. "$TEST_DIRECTORY"/lib-changelog.sh

PRIVATE="Cancelling our account|Double charge on our card|accountant access|Refactor billing jobs|Phone from the CFO"

test_expect_success 'setup: a week with public and private closes' '
	mkdir store &&
	(
		cd store &&
		psm init >/dev/null &&
		test_tick &&
		git tag v1.0 &&
		mk CHURN "Cancelling our account" bug -l churn --customer Acme &&
		mk CARD "Double charge on our card" account --customer Acme &&
		mk ASK "How do I give my accountant access" docs &&
		mk INT "Refactor billing jobs" bug -l internal &&
		mk WONT "Phone from the CFO" feature &&
		mk FIX "Crash when saving a draft" bug --reporter "Bob <bob@example.com>" &&
		mk NOTE "Slow export" usability &&
		mk BARE "Something odd" bug &&
		mk DOCD "Where is the API key" docs &&
		mk DUP "App crashes on save" bug &&
		close_as CHURN fixed --release-note "Cancelling works." &&
		close_as CARD fixed &&
		close_as ASK answered --release-note "Accountants can be invited." &&
		close_as INT fixed &&
		close_as WONT wontfix --release-note "A phone line for the CFO." &&
		close_as FIX fixed &&
		close_as NOTE answered &&
		close_as BARE fixed &&
		close_as DOCD documented &&
		close_as DUP duplicate --duplicate-of "$(id FIX)" &&
		edit_commit BARE "/^type:/d" &&
		edit_commit NOTE "s/^resolution: answered/resolution: fixed/" &&
		path=$(name_file NOTE) &&
		printf "\n## Release note\n\nExports are faster.\n" >>"$path" &&
		git commit -q -m "note for NOTE" -- "$path"
	)
'

test_expect_success 'the default Markdown lists only customer-facing changes' '
	cat >expect.in <<-\EOF &&
	## [Unreleased]

	### Changed

	- Exports are faster. (@NOTE@)

	### Fixed

	- Crash when saving a draft (@FIX@, reported by 1 customer)

	### Documentation

	- Where is the API key (@DOCD@)
	EOF
	(cd store && fill_ids <../expect.in >../expect && psm changelog v1.0.. >../actual) &&
	test_cmp expect actual
'

test_expect_success 'no private title in any format, nor in CHANGELOG.md' '
	(
		cd store &&
		psm changelog --format json v1.0.. >../out.json &&
		psm changelog --format text v1.0.. >../out.text &&
		psm changelog --format html v1.0.. >../out.html &&
		psm changelog --release 1.1 --write ../CHANGELOG.md v1.0.. >/dev/null
	) &&
	for f in actual out.json out.text out.html CHANGELOG.md
	do
		! grep -E "$PRIVATE" $f || return 1
	done &&
	! grep -E "Cancelling works|Accountants can be invited|phone line" out.json
'

test_expect_success 'the JSON names what was left out and why, without its text' '
	grep "\"version\": 2" out.json &&
	for n in CHURN CARD ASK INT WONT BARE DUP
	do
		grep "\"short_id\": \"$(cat ids/$n)\"" out.json || return 1
	done &&
	grep "\"reason\": \"churn record\"" out.json &&
	grep "\"reason\": \"type account\"" out.json &&
	grep "\"reason\": \"resolution answered\"" out.json &&
	grep "\"reason\": \"label internal\"" out.json &&
	grep "\"reason\": \"resolution wontfix\"" out.json &&
	grep "\"reason\": \"no type, no release note\"" out.json &&
	grep "\"reason\": \"resolution duplicate\"" out.json
'

test_expect_success '--include-private (or --all) lists them' '
	(
		cd store &&
		psm changelog --include-private v1.0.. >../all &&
		psm changelog --all v1.0.. >../all2
	) &&
	test_cmp all all2 &&
	for n in CHURN CARD ASK INT WONT BARE DUP FIX NOTE DOCD
	do
		grep "($(cat ids/$n)" all || return 1
	done &&
	grep "Cancelling works." all &&
	grep "Double charge on our card" all
'

test_expect_success '--check -v says which closed issues were left out and why' '
	(cd store && test_expect_code 1 psm changelog --check -v v1.0.. >../check.out 2>../check.err) &&
	grep "1 problem among 4 closed issues" check.err &&
	grep -c ": error: " check.out >errors &&
	echo 1 >expect &&
	test_cmp expect errors &&
	grep ": left out (" check.out >left &&
	test_line_count = 7 left &&
	while read -r n reason
	do
		p=$(cd store && name_file $n) &&
		grep -F "$p: left out ($reason" left || return 1
	done <<-\EOF
	CHURN churn record): Cancelling our account
	CARD type account): Double charge on our card
	ASK resolution answered): How do I give my accountant access
	INT label internal): Refactor billing jobs
	WONT resolution wontfix): Phone from the CFO
	BARE no type, no release note): Something odd
	DUP resolution duplicate): App crashes on save
	EOF
'

test_expect_success '--check without -v stays quiet; an untyped fix is still an error' '
	(cd store && test_expect_code 1 psm changelog --check v1.0.. >../check.out 2>../check.err) &&
	grep "^$(cd store && name_file BARE):[0-9]*:[0-9]*: error: closed issue $(cat ids/BARE) has no .type.: it is left out" check.out &&
	test_line_count = 1 check.out &&
	grep "1 problem among 4 closed issues" check.err
'

test_expect_success JQ '--check --format json lists what was left out' '
	(cd store && test_expect_code 1 psm changelog --check --format json v1.0.. >../check.json) &&
	test "$(jq -r ".excluded | length" check.json)" = 7 &&
	test "$(jq -r ".excluded[] | select(.short_id == \"$(cat ids/CARD)\") | .reason" check.json)" = "type account" &&
	test "$(jq -r "[.excluded[] | keys_unsorted | join(\",\")] | unique | .[]" check.json)" = "id,short_id,path,reason"
'

test_expect_success '--verbose goes with --check only' '
	(cd store && test_expect_code 129 psm changelog -v v1.0.. 2>../err) &&
	grep "verbose goes with --check" err
'

test_expect_success 'known issues and coming next leave out private open issues' '
	(
		cd store &&
		mk OPENCARD "Refund for Acme" account -l known-issue &&
		mk OPENCHURN "Beta Corp may leave" bug -l known-issue -l churn &&
		mk KNOWN "Sync is slow" bug -l known-issue &&
		psm changelog --known-issues v1.0.. >../known
	) &&
	grep "Sync is slow" known &&
	! grep -E "Refund for Acme|Beta Corp" known
'

test_expect_success 'the rules come from the config' '
	(
		cd store &&
		cat >>.psm/config.yml <<-\EOF &&
		changelog:
		  groups:
		    Fixed: [bug]
		    Billing: [account]
		  exclude_types: []
		  exclude_resolutions: [duplicate]
		EOF
		psm changelog v1.0.. >../cfg &&
		git checkout -q .psm/config.yml
	) &&
	sed -n "/^### Billing/,/^### Other/p" cfg >billing &&
	grep "Double charge on our card" billing &&
	grep "Accountants can be invited." cfg &&
	grep "A phone line for the CFO." cfg &&
	! grep -E "Cancelling|Refactor billing" cfg
'

test_expect_success 'a churn record by its churn_reason alone is private too' '
	(
		cd store &&
		edit_commit CHURN "s/^- churn$/- customer/" &&
		edit_commit CHURN "s/^resolution: fixed/churn_reason: missing capability\nresolution: fixed/" &&
		! grep "^- churn$" "$(name_file CHURN)" &&
		grep "^churn_reason:" "$(name_file CHURN)" &&
		psm changelog v1.0.. >../actual
	) &&
	! grep "Cancelling" actual
'

test_done
