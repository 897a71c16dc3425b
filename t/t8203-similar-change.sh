#!/bin/sh

test_description='the similar index sees what the read cache sees

The similar index (<gitdir>/psm/similar.idx) keeps itself fresh with the
read cache'"'"'s listing of issues/ and its rule for an unchanged file: every
stat field to the nanosecond (ctime too), racily clean files read again.
So a file rewritten in place with the same size and mtime is seen by the
next psm similar and the next triage session, and an index written by an
older psm (which recorded inode, size and mtime only) is rebuilt.'

. ./test-lib.sh
. "$TEST_DIRECTORY"/lib-similar.sh

# rewrite_same FILE OLD NEW: the line OLD of FILE becomes NEW padded with
# spaces to OLD's length, written in place (same inode), and FILE's mtime
# put back: only its ctime tells.
rewrite_same () {
	len=$(printf "%s" "$2" | wc -c) &&
	test $(printf "%s" "$3" | wc -c) -le $len &&
	stat -c "%i %s %y" "$1" >stat.before &&
	cp -p "$1" saved &&
	awk -v old="$2" -v new="$3" -v len=$len '
		$0 == old { $0 = sprintf("%-" len "s", new); n++ }
		{ print }
		END { exit n == 1 ? 0 : 1 }' "$1" >rewritten &&
	test $(wc -c <rewritten) = $(wc -c <"$1") &&
	cat rewritten >"$1" &&
	touch -r saved "$1" &&
	stat -c "%i %s %y" "$1" >stat.after &&
	test_cmp stat.before stat.after
}

test_expect_success 'setup' '
	take_in_first_reports &&
	psm intake -t "Typo on the pricing page" \
		-m "The word monthly is misspelled on the plans table of the pricing page" >typo &&
	test_tick
'

test_expect_success 'psm similar: a file rewritten with the same size and mtime is read again' '
	psm similar $(cat csv) >before &&
	! grep "$(cat dark)" before &&
	test -s .git/psm/similar.idx &&
	rewrite_same "$(issue_file $(cat dark))" \
		"title: Dark mode for the dashboard" "title: CSV export drops final rows" &&
	psm similar $(cat csv) >after &&
	grep "^0\.[0-9][0-9]  $(cat dark)  new  *CSV export drops final rows\$" after &&
	# what it read is kept: the next one answers the same
	psm similar $(cat csv) >again &&
	test_cmp after again
'

test_expect_success 'the triage session: the same rewrite is among the similar issues' '
	psm triage --queue | awk "NR == 2 { print \$1 }" >first &&
	test_cmp signin first &&
	printf "q\n" | psm triage >out 2>err &&
	grep "^Similar issues" out &&
	! grep "$(cat typo)" out &&
	rewrite_same "$(issue_file $(cat typo))" \
		"The word monthly is misspelled on the plans table of the pricing page" \
		"after resetting password the login page says invalid credentials" &&
	printf "q\n" | psm triage >out 2>err &&
	grep "^  [0-9]) 0\.[0-9][0-9]  $(cat typo)  new  *Typo on the pricing page\$" out
'

test_expect_success 'an index from an older psm is rebuilt, not misread' '
	# version 2: inode, mtime and size only
	printf "PSMSIM2\\n\\0\\0\\0\\0\\0\\0\\0\\0" >.git/psm/similar.idx &&
	psm similar $(cat csv) >out &&
	test_cmp after out &&
	printf "PSMSIM4\\n" >expect &&
	head -c 8 .git/psm/similar.idx >magic &&
	test_cmp expect magic &&
	# git checkout puts the files back, and the index follows
	git checkout -- issues &&
	git status --porcelain -- issues .psm >status &&
	! test -s status &&
	psm similar $(cat csv) >out &&
	test_cmp before out &&
	git fsck --no-progress >fsck 2>&1 &&
	! grep -v "^dangling" fsck
'

test_done
