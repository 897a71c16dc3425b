#!/bin/sh
# ctest-cost: 24

test_description='psm changelog --check, and ranges in CI clones

--check lists every closed issue in the range that would make a bad entry
(no release note where the config requires one, a missing or unknown type,
an unreadable file) and exits 1, else 0. Ranges are read from git objects:
a clone with no remote and no checkout of the start works; a missing tag or
a shallow clone is an error naming the fix.'

. ./test-lib.sh
. "$TEST_DIRECTORY"/lib-changelog.sh

test_expect_success 'setup' '
	setup_history
'

test_expect_success '--check: a clean range exits 0 and prints nothing' '
	(cd store && psm changelog --check v1.0..v1.1 </dev/null >../out 2>../err) &&
	! test -s out &&
	! test -s err
'

test_expect_success '--check: missing release notes, when the config requires them' '
	(
		cd store &&
		printf "changelog:\n  require_release_note: true\n" >>.psm/config.yml &&
		test_expect_code 1 psm changelog --check v1.0..v1.1 </dev/null >../out 2>../err &&
		psm changelog v1.0..v1.1 >../md &&
		git checkout -q .psm/config.yml &&
		for n in BUG UX DOC HOWTO
		do
			grep "^$(name_file $n):[0-9]*:[0-9]*: error: closed issue $(id $n) has no .## Release note. section" ../out ||
			return 1
		done
	) &&
	test_line_count = 4 out &&
	grep "4 problems among 6 closed issues" err &&
	grep "$(cat ids/BUG)" md
'

test_expect_success '--check: unknown type, no type, unreadable file' '
	(
		cd store &&
		mk BOGUS "Bogus type" bug &&
		close_as BOGUS fixed &&
		edit_commit BOGUS "s/^type: bug\$/type: bogus/" &&
		mk NOTYPE "No type" bug &&
		close_as NOTYPE fixed &&
		edit_commit NOTYPE "/^type:/d" &&
		mk BROKEN "Broken" bug &&
		close_as BROKEN fixed &&
		edit_commit BROKEN "s/^title: .*/title: [unclosed/" &&
		test_expect_code 1 psm changelog --check v1.1..HEAD >../out 2>../err &&
		grep "^$(name_file BOGUS):[0-9]*:[0-9]*: error: type .bogus. is not in the config" ../out &&
		grep "^$(name_file NOTYPE):[0-9]*:[0-9]*: error: closed issue $(id NOTYPE) has no .type." ../out &&
		grep "^$(name_file BROKEN):[0-9]*:[0-9]*: error: .* (at HEAD)" ../out &&
		! grep "$(id LATE)" ../out &&
		! grep "$(id WT)" ../out
	) &&
	test_line_count = 3 out
'

test_expect_success '--check --format json' '
	(cd store && test_expect_code 1 psm changelog --check --format json v1.1..HEAD >../out.json) &&
	if test_have_prereq JQ
	then
		test "$(jq -r .version out.json)" = 2 &&
		test "$(jq -r ".problems | length" out.json)" = 3 &&
		test "$(jq -r .range.from out.json)" = v1.1 &&
		test "$(jq -r .checked out.json)" = 3 &&
		jq -r ".problems[] | .path + \":\" + (.line|tostring)" out.json >paths &&
		test_line_count = 3 paths
	else
		python3 -c "import json; d = json.load(open(\"out.json\")); assert len(d[\"problems\"]) == 3"
	fi
'

test_expect_success 'an unreadable file in the range: listed on stderr, exit 1' '
	(cd store && test_expect_code 1 psm changelog v1.1..HEAD >../out 2>../err) &&
	grep "$(cat ids/BROKEN)" err &&
	grep "$(cat ids/LATE)" out
'

test_expect_success 'files that did not change in the range are not read' '
	(
		cd store &&
		git tag v1.2 &&
		mk AFTER "After 1.2" bug &&
		close_as AFTER fixed &&
		psm changelog --check v1.2..HEAD >../out &&
		psm changelog v1.2..HEAD >../md
	) &&
	! test -s out &&
	grep "$(cat ids/AFTER)" md
'

test_expect_success 'a missing revision names the fix' '
	(cd store && test_expect_code 128 psm changelog v9.9..v1.1 2>../err) &&
	grep "unknown revision .v9.9.*git fetch --tags" err
'

test_expect_success 'a clone without tags: error, then git fetch --tags; no remote needed' '
	(cd store && psm changelog v1.0..v1.1 >../want) &&
	git clone -q --no-tags store notags &&
	(
		cd notags &&
		test_expect_code 128 psm changelog v1.0..v1.1 2>../err &&
		grep "git fetch --tags" ../err &&
		git fetch -q --tags &&
		git remote remove origin &&
		test -z "$(git remote)" &&
		psm changelog v1.0..v1.1 >../actual
	) &&
	test_cmp want actual
'

test_expect_success 'the start need not be checked out, nor the end' '
	(
		cd notags &&
		rm -rf issues &&
		psm changelog v1.0..v1.1 >../actual
	) &&
	test_cmp want actual
'

test_expect_success 'a shallow clone: the error says to unshallow' '
	git clone -q --depth 1 "file://$TRASH_DIRECTORY/store" shallow &&
	(
		cd shallow &&
		test "$(git rev-parse --is-shallow-repository)" = true &&
		test_expect_code 128 psm changelog 2>../err1 &&
		test_expect_code 128 psm changelog --check 2>../err2 &&
		test_expect_code 128 psm changelog v1.0..v1.1 2>../err3
	) &&
	grep "shallow clone.*git fetch --unshallow --tags" err1 &&
	grep "git fetch --unshallow" err2 &&
	grep "unknown revision .v1\.[01]..*shallow clone.*git fetch --unshallow --tags" err3 &&
	(
		cd shallow &&
		git fetch -q --unshallow --tags &&
		psm changelog v1.0..v1.1 >../actual
	) &&
	test_cmp want actual
'

test_expect_success 'a revision that is not a commit is refused' '
	(cd store && test_expect_code 128 psm changelog "v1.0..v1.1^{tree}" 2>../err) &&
	grep "does not name a commit" err
'

test_done
