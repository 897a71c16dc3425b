#!/bin/sh

test_description='psm changelog never publishes half a merge conflict

Two clones write different release notes for one issue; the merge leaves
conflict markers in its body and someone commits them. psm changelog
--check reports the marker line (path:line:col) and exits 1; psm changelog
stops with an error naming the file and line in every format, and --write
leaves CHANGELOG.md alone, until the conflict is resolved. An issue the
changelog leaves out does not stop it.'

. ./test-lib.sh
. "$TEST_DIRECTORY"/lib-changelog.sh

test_expect_success 'setup: a release note conflict committed by mistake' '
	mkdir store &&
	(
		cd store &&
		psm init >/dev/null &&
		test_tick &&
		git tag v1.0 &&
		mk FIX "Export fails on big lists" bug &&
		mk OK "Crash on start" bug &&
		close_as OK fixed &&
		close_as FIX fixed --release-note "Exports of big lists work." &&
		git checkout -q -b other &&
		psm close $(id FIX) --resolution fixed --release-note "Big lists export again." >/dev/null &&
		git checkout -q main &&
		psm close $(id FIX) --resolution fixed --release-note "Large exports no longer fail." >/dev/null &&
		test_must_fail git merge -q --no-edit other >/dev/null 2>&1 &&
		git add -A &&
		git commit -q --no-edit &&
		grep "^<<<<<<< " "$(name_file FIX)" &&
		test -z "$(git status --porcelain)"
	)
'

test_expect_success 'psm check and changelog --check report the marker line' '
	(
		cd store &&
		p=$(name_file FIX) &&
		line=$(grep -n "^<<<<<<< " "$p" | cut -d: -f1) &&
		test_expect_code 1 psm check >../check.out &&
		grep "^$p:$line:1: error: unresolved merge conflict in the body" ../check.out &&
		test_expect_code 1 psm changelog --check v1.0.. >../cl.out 2>../cl.err &&
		grep "^$p:$line:1: error: unresolved merge conflict in the body" ../cl.out &&
		test_line_count = 1 ../cl.out &&
		grep "1 problem among 2 closed issues" ../cl.err
	)
'

test_expect_success 'every format stops, naming the file and line; nothing printed' '
	(
		cd store &&
		p=$(name_file FIX) &&
		line=$(grep -n "^<<<<<<< " "$p" | cut -d: -f1) &&
		for f in md json html text
		do
			test_expect_code 128 psm changelog --format $f v1.0.. >../out.$f 2>../err.$f &&
			grep "^fatal: $p:$line: unresolved merge conflict in .*before psm writes a changelog with it" ../err.$f &&
			! test -s ../out.$f || return 1
		done
	)
'

test_expect_success '--write leaves CHANGELOG.md as it was' '
	(
		cd store &&
		printf "# Changelog\n\nOld text.\n" >../CHANGELOG.md &&
		cp ../CHANGELOG.md ../before &&
		test_expect_code 128 psm changelog --release 1.1 --write ../CHANGELOG.md v1.0.. 2>../err &&
		grep "unresolved merge conflict" ../err &&
		test_cmp ../before ../CHANGELOG.md
	)
'

test_expect_success 'resolved: the changelog prints the chosen note' '
	(
		cd store &&
		p=$(name_file FIX) &&
		sed -e "/^<<<<<<< /d" -e "/^=======\$/,/^>>>>>>> /d" "$p" >"$p.new" &&
		mv "$p.new" "$p" &&
		git commit -q -m "resolve" -- "$p" &&
		psm check &&
		psm changelog v1.0.. >../final
	) &&
	grep "Large exports no longer fail." final &&
	! grep "Big lists export again." final &&
	! grep -E "^(<<<<<<<|=======|>>>>>>>)" final
'

test_expect_success 'a marker in an issue that is left out stops nothing; --include-private stops' '
	(
		cd store &&
		mk ACC "Invoice address wrong" account &&
		close_as ACC fixed &&
		path=$(name_file ACC) &&
		printf "=======\n" >>"$path" &&
		git commit -q -m "stray marker" -- "$path" &&
		psm changelog v1.0.. >../ok.out &&
		grep "Crash on start" ../ok.out &&
		! grep "Invoice" ../ok.out &&
		test_expect_code 128 psm changelog --include-private v1.0.. 2>../err &&
		grep "$path:" ../err &&
		git rm -q "$path" &&
		git commit -q -m "drop it"
	)
'

test_expect_success 'known issues: an open issue with a marker stops --known-issues' '
	(
		cd store &&
		mk KNOWN "Sync is slow" bug -l known-issue &&
		path=$(name_file KNOWN) &&
		psm changelog --known-issues v1.0.. >../known &&
		grep "Sync is slow" ../known &&
		printf ">>>>>>> theirs\n" >>"$path" &&
		test_expect_code 128 psm changelog --known-issues v1.0.. 2>../err &&
		grep "$path:" ../err &&
		psm changelog v1.0.. >../plain &&
		git checkout -q -- "$path"
	)
'

test_done
