#!/bin/sh

test_description='psm site never publishes half a merge conflict

A release note with conflict markers committed and tagged stops psm site
with an error naming the file and line, before anything is written; so do
markers in a known issue'"'"'s workaround or in the site'"'"'s config. An
issue the site does not show does not stop it.'

. ./test-lib.sh
. "$TEST_DIRECTORY"/lib-site.sh

test_expect_success 'setup: a release note conflict committed and tagged' '
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
		git tag v1.1 &&
		grep "^<<<<<<< " "$(name_file FIX)"
	)
'

test_expect_success 'psm site stops, naming the file and line; nothing is written' '
	(
		cd store &&
		p=$(name_file FIX) &&
		line=$(grep -n "^<<<<<<< " "$p" | cut -d: -f1) &&
		test_expect_code 128 psm site --out ../out >../stdout 2>../err &&
		grep "^fatal: $p:$line: unresolved merge conflict in .*" ../err
	) &&
	! test -s stdout &&
	! test -e out
'

test_expect_success 'an existing site is left as it was' '
	(
		cd store &&
		git tag -d v1.1 >/dev/null &&
		psm site --out ../out >/dev/null 2>&1 &&
		git tag v1.1
	) &&
	cp -R out before &&
	test_expect_code 128 sh -c "cd store && psm site --out ../out" 2>err &&
	grep "unresolved merge conflict" err &&
	diff -r before out
'

test_expect_success 'resolved in a later release: a new tag still stops at the old one' '
	(
		cd store &&
		p=$(name_file FIX) &&
		sed -e "/^<<<<<<< /d" -e "/^=======\$/,/^>>>>>>> /d" "$p" >"$p.new" &&
		mv "$p.new" "$p" &&
		test_tick &&
		git commit -q -am "resolve the release note" &&
		git tag v1.2 &&
		test_expect_code 128 psm site --out ../out 2>../err &&
		grep "unresolved merge conflict" ../err &&
		printf "site:\n  tags: \"v1.[02]\"\n" >>.psm/config.yml &&
		psm site --out ../out >/dev/null 2>&1
	) &&
	test -f out/releases/1.2.html &&
	! test -e out/releases/1.1.html &&
	! grep -r "<<<<<<<\|>>>>>>>" out
'

test_expect_success 'a conflict in a known issue shown stops it; in one not shown it does not' '
	(
		cd store &&
		mk KNOWN "Login loops on Safari" bug -l known-issue -l public &&
		p=$(name_file KNOWN) &&
		printf "\n## Workaround\n\n<<<<<<< ours\nUse Firefox.\n=======\nClear cookies.\n>>>>>>> theirs\n" >>"$p" &&
		test_tick &&
		git commit -q -am "conflicted workaround" &&
		line=$(grep -n "^<<<<<<< " "$p" | cut -d: -f1) &&
		test_expect_code 128 psm site --out ../out 2>../err &&
		grep "^fatal: $p:$line: unresolved merge conflict in .*before psm publishes it on the site" ../err &&
		edit_commit KNOWN "/^- public\$/d" &&
		psm site --out ../out >/dev/null 2>&1
	) &&
	! grep -r "Safari" out
'

test_expect_success 'a conflict in the site config stops it' '
	(
		cd store &&
		printf "  description: \"Our product\n<<<<<<< ours\nnews\n=======\nupdates\n>>>>>>> theirs\n\"\n" >>.psm/config.yml &&
		line=$(grep -n "^<<<<<<< " .psm/config.yml | cut -d: -f1) &&
		test_expect_code 128 psm site --out ../out 2>../err &&
		grep "^fatal: .psm/config.yml:$line: unresolved merge conflict" ../err
	)
'

test_done
