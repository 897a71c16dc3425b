#!/bin/sh
# ctest-label: stress
# ctest-cost: 40

test_description='10,000 issue files: no split index, and git keeps working

Earlier psm versions split git'"'"'s index themselves from 10,000 issue
files, with a writer of their own whose layout made git 2.39 crash in
reset --hard, checkout, merge and read-tree. psm now never splits an index
and writes no index itself: at 10,000 issue files (and with a split index
the user turned on) git'"'"'s everyday commands still succeed after psm'"'"'s
writes.'

. ./test-lib.sh
. "$TEST_DIRECTORY/lib-git.sh"

command -v python3 >/dev/null 2>&1 || test_skip_all "needs python3 for bench/gen.py"

# everyday NAME: git's commands that crashed on the old index, after psm
# wrote an intake and a tag.
everyday () {
	id=$(psm intake -t "$1" -m "x") &&
	psm tag "$id" +after >/dev/null &&
	git diff-files --quiet -- issues &&
	git diff --cached --quiet HEAD -- issues &&
	git fsck --no-progress >../fsck 2>&1 &&
	git reset -q --hard &&
	git checkout -q -b "branch-$1" HEAD~1 &&
	git checkout -q main &&
	git merge -q "branch-$1" &&
	git read-tree -m -u HEAD &&
	git status --porcelain --untracked-files=all >../st &&
	test_line_count = 0 ../st
}

test_expect_success 'setup: a store of 10,000 issues' '
	git init -q store && (
		cd store &&
		git config gc.auto 0 &&
		psm init >/dev/null &&
		python3 "$PSM_SOURCE_DIR/bench/gen.py" --seed 3 . 10000 >/dev/null &&
		git add issues && git commit -q -m "10,000 issues" &&
		test "$(git ls-files issues | wc -l)" -gt 10000
	)
'

test_expect_success 'a one-file index stays one file; reset, checkout, merge, read-tree work' '
	(
		cd store &&
		everyday one &&
		test -z "$(git rev-parse --shared-index-path)" &&
		! ls .git/sharedindex.* 2>/dev/null
	)
'

test_expect_success 'the user'"'"'s own split index: git'"'"'s commands still work' '
	(
		cd store &&
		git config core.splitIndex true &&
		git update-index --split-index &&
		everyday split &&
		test -n "$(git rev-parse --shared-index-path)" &&
		test "$(ls .git/sharedindex.* | wc -l)" -le 2
	)
'

test_done
