#!/bin/sh

test_description='psm init in a fresh clone without a git identity

A clone of a store has its files; git config is not cloned, so init is
run again to register the merge driver. With nothing to commit it needs no
identity; when it would have to commit, it still stops before writing
anything.'

. ./test-lib.sh

# no_identity CMD...: run CMD with no git identity anywhere.
no_identity () {
	(
		unset GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL &&
		"$@"
	)
}

test_expect_success 'setup: a store to clone' '
	git init -q origin &&
	(cd origin && psm init && psm intake -t "Login fails" >/dev/null) &&
	git clone -q origin clone
'

test_expect_success 'init in the clone without an identity: success, nothing committed' '
	(
		cd clone &&
		test_must_fail git config merge.psm.driver &&
		before=$(git rev-parse HEAD) &&
		no_identity psm init >../out 2>../err &&
		grep "already initialized" ../out &&
		! test -s ../err &&
		test "$(git rev-parse HEAD)" = "$before" &&
		test "$(git config merge.psm.driver)" = "psm merge-file %O %A %B %P" &&
		test -z "$(git status --porcelain)" &&
		psm list >../list &&
		grep "Login fails" ../list
	)
'

test_expect_success 'with something to commit it still fails first, writing nothing' '
	git clone -q origin clone2 &&
	(
		cd clone2 &&
		git rm -q .gitattributes &&
		git -c user.name=U -c user.email=u@example.com commit -q -m "no attributes" &&
		before=$(git rev-parse HEAD) &&
		test_expect_code 128 no_identity psm init 2>../err &&
		grep "no git identity" ../err &&
		test "$(git rev-parse HEAD)" = "$before" &&
		test ! -e .gitattributes &&
		test -z "$(git status --porcelain)"
	)
'

test_expect_success '--no-commit needs no identity either way' '
	(
		cd clone2 &&
		no_identity psm init --no-commit >../out &&
		grep "merge=psm" .gitattributes
	)
'

test_done
