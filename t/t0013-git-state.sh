#!/bin/sh

test_description='states in which psm does not write, or says what it did

A write command refuses, naming the state and the way out, while a merge,
rebase, cherry-pick, revert, git am or bisect is in progress (a commit
would land inside it); --no-commit still writes the files. On a detached
HEAD psm commits and warns. A sparse checkout that leaves the store out
makes read commands fail instead of showing an empty store, and writes
refuse. A clone whose .gitattributes names the merge driver but whose
config lacks it gets it registered, once, with a note.'

. ./test-lib.sh
. "$TEST_DIRECTORY/lib-git.sh"

# refused STATE: a write fails naming STATE, HEAD and the store as they
# were; --no-commit writes the file.
refused () {
	head=$(git rev-parse HEAD) &&
	git status --porcelain >../st.before &&
	test_expect_code 128 psm intake -t "during $1" 2>../err &&
	grep "cannot commit: $1 is in progress" ../err &&
	grep "no-commit" ../err &&
	test "$(git rev-parse HEAD)" = "$head" &&
	git status --porcelain >../st.after &&
	test_cmp ../st.before ../st.after &&
	id=$(psm intake --no-commit -t "files only during $1") &&
	test "$(git rev-parse HEAD)" = "$head" &&
	psm show "$id" >/dev/null &&
	rm -f issues/*/"$id"*.md
}

test_expect_success 'setup: a store with a branch that conflicts' '
	git init -q repo && (
		cd repo &&
		echo base >file && git add file && git commit -q -m base &&
		psm init >/dev/null &&
		git checkout -q -b other &&
		echo other >file && git commit -q -am other &&
		git checkout -q main &&
		echo main >file && git commit -q -am main
	)
'

test_expect_success 'a conflicted merge' '
	(
		cd repo &&
		test_must_fail git merge -q other >/dev/null 2>&1 &&
		refused "a merge" &&
		grep "git merge --abort" ../err &&
		git merge --abort
	)
'

test_expect_success 'a rebase stopped on a conflict' '
	(
		cd repo &&
		git checkout -q other &&
		test_must_fail git rebase -q main >/dev/null 2>&1 &&
		refused "a rebase" &&
		grep "git rebase --abort" ../err &&
		git rebase --abort &&
		git checkout -q main
	)
'

test_expect_success 'a cherry-pick stopped on a conflict' '
	(
		cd repo &&
		test_must_fail git cherry-pick other >/dev/null 2>&1 &&
		refused "a cherry-pick" &&
		git cherry-pick --abort
	)
'

test_expect_success 'a revert stopped on a conflict' '
	(
		cd repo &&
		echo again >file && git commit -q -am again &&
		test_must_fail git revert --no-edit HEAD~1 >/dev/null 2>&1 &&
		refused "a revert" &&
		git revert --abort
	)
'

test_expect_success 'git am stopped on a patch that does not apply' '
	(
		cd repo &&
		git format-patch -1 --stdout other >../p.mbox &&
		test_must_fail git am -q ../p.mbox >/dev/null 2>&1 &&
		refused "'"'"'git am'"'"'" &&
		git am --abort
	)
'

test_expect_success 'a bisect' '
	(
		cd repo &&
		git bisect start HEAD HEAD~2 >/dev/null &&
		refused "a bisect" &&
		grep "git bisect reset" ../err &&
		git bisect reset >/dev/null 2>&1
	)
'

test_expect_success 'after the states: psm writes again' '
	(
		cd repo &&
		id=$(psm intake -t "all clear") &&
		git log -1 --format=%s | grep "psm intake $id"
	)
'

test_expect_success 'a detached HEAD: psm commits there and warns as git does' '
	(
		cd repo &&
		git checkout -q --detach HEAD &&
		id=$(psm intake -t "on no branch" 2>../err) &&
		grep "warning: HEAD is detached" ../err &&
		grep "git switch -c" ../err &&
		git log -1 --format=%s HEAD | grep "psm intake $id" &&
		test_must_fail git symbolic-ref -q HEAD &&
		! git log -1 --format=%s main | grep "on no branch" &&
		git checkout -q main
	)
'

test_expect_success 'a sparse checkout without the store: reads fail saying so, writes refuse' '
	git init -q sparse && (
		cd sparse &&
		mkdir src && echo x >src/a.c && git add src && git commit -q -m src &&
		psm init >/dev/null &&
		psm intake -t "hidden by sparse" >/dev/null &&
		git sparse-checkout set src &&
		test ! -d issues &&
		test_expect_code 128 psm list >../out 2>../err &&
		test_line_count = 0 ../out &&
		grep "issues/. is outside the sparse checkout" ../err &&
		grep "git sparse-checkout add issues .psm" ../err &&
		test_expect_code 128 psm check 2>../err &&
		grep "outside the sparse checkout" ../err &&
		head=$(git rev-parse HEAD) &&
		test_expect_code 128 psm intake -t "outside the cone" 2>../err &&
		test "$(git rev-parse HEAD)" = "$head" &&
		test ! -d issues &&
		git sparse-checkout add issues .psm &&
		psm list >../out &&
		grep "hidden by sparse" ../out
	)
'

test_expect_success 'a non-cone sparse checkout that leaves part of the store out' '
	(
		cd sparse &&
		psm intake -t "another" >/dev/null &&
		git sparse-checkout disable &&
		git sparse-checkout set --no-cone "/*" "!/issues/$(ls issues | grep -v README | head -n 1)/" &&
		test_expect_code 128 psm list 2>../err &&
		grep "outside the sparse checkout" ../err &&
		git sparse-checkout disable &&
		psm list >/dev/null
	)
'

test_expect_success 'a clone without the merge driver: registered once, with a note' '
	git clone -q repo clone && (
		cd clone &&
		test_must_fail git config merge.psm.driver &&
		psm list >/dev/null 2>../err &&
		grep "registered psm.s merge driver" ../err &&
		git config merge.psm.driver >../driver &&
		grep "psm merge-file" ../driver &&
		psm list >/dev/null 2>../err2 &&
		test_line_count = 0 ../err2
	)
'

test_expect_success 'a config psm cannot write: psm check reports the missing driver' '
	git clone -q repo ro && (
		cd ro &&
		: >.git/config.lock &&
		psm list >/dev/null 2>../err &&
		test_line_count = 0 ../err &&
		test_expect_code 1 psm check >../out 2>../err;
		rm .git/config.lock &&
		grep "^.gitattributes:1:1: error: names psm.s merge driver" ../out &&
		grep "git config merge.psm.driver" ../out &&
		psm check >/dev/null 2>&1
	)
'

test_done
