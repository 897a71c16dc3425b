#!/bin/sh

test_description='psm init: a store in a git repository

init in an existing repository and outside any, the committed config and
issues/ folder, running it twice, subdirectories, -C, a missing store, and
a repository without an identity.'

. ./test-lib.sh

# no_identity CMD...: run CMD with no git identity anywhere.
no_identity () {
	(
		unset GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL &&
		"$@"
	)
}

test_expect_success 'init makes an existing repository a store, committed' '
	git init -q repo &&
	(
		cd repo &&
		psm init >../out &&
		grep "^Initialized psm store in $TRASH_DIRECTORY/repo/\$" ../out &&
		test -f .psm/config.yml &&
		test -f issues/README.md &&
		test "$(test_commit_count)" = 1 &&
		test "$(git log -1 --format=%s)" = "psm init" &&
		git ls-tree -r --name-only HEAD >../files &&
		grep -x ".psm/config.yml" ../files &&
		grep -x "issues/README.md" ../files &&
		test -z "$(git status --porcelain)"
	)
'

test_expect_success 'the init commit is authored from the git identity' '
	(
		cd repo &&
		test "$(git log -1 --format="%an <%ae>")" = "A U Thor <author@example.com>"
	)
'

test_expect_success PYYAML 'the config holds the default vocabularies' '
	cat >check.py <<-\EOF &&
	import sys, yaml
	c = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
	assert c["types"] == ["bug", "usability", "feature", "docs", "account"], c["types"]
	resp = {k: v["response"] for k, v in c["impacts"].items()}
	assert resp == {"core": "fix-fast", "repeated": "investigate",
	                "explanation": "docs", "edge": "park",
	                "strategic": "roadmap"}, resp
	assert list(c["impacts"]) == ["core", "repeated", "explanation", "edge",
	                              "strategic"]
	assert c["statuses"] == ["new", "triaged", "in-progress", "blocked",
	                         "parked", "closed"], c["statuses"]
	assert c["resolutions"] == ["fixed", "documented", "answered", "wontfix",
	                            "duplicate", "cannot-reproduce"]
	assert c["sources"] == ["email", "chat", "call", "app-store", "dm", "form",
	                        "github", "other"]
	for k in ["login", "sign in", "onboarding", "payment", "billing", "checkout"]:
	    assert k in c["keywords"], k
	assert c["owners"] == []
	EOF
	python3 check.py repo/.psm/config.yml
'

test_expect_success 'init twice is harmless: no second commit, files unchanged' '
	(
		cd repo &&
		cp .psm/config.yml config.before &&
		git rev-parse HEAD >head.before &&
		psm init >out &&
		grep "already initialized" out &&
		git rev-parse HEAD >head.after &&
		test_cmp head.before head.after &&
		test_cmp config.before .psm/config.yml
	)
'

test_expect_success 'init keeps an edited config' '
	git init -q edited &&
	(
		cd edited &&
		psm init &&
		sed "s/^owners: \[\]\$/owners: [ann@example.com]/" .psm/config.yml >cfg &&
		mv cfg .psm/config.yml &&
		grep -x "owners: \[ann@example.com\]" .psm/config.yml &&
		cp .psm/config.yml expect &&
		psm init &&
		test_cmp expect .psm/config.yml &&
		test "$(test_commit_count)" = 1
	)
'

test_expect_success 'init outside any repository creates one (and the directory)' '
	psm init newstore >out &&
	test -d newstore/.git &&
	test -f newstore/.psm/config.yml &&
	(
		cd newstore &&
		test "$(test_commit_count)" = 1 &&
		test -z "$(git status --porcelain)"
	)
'

test_expect_success 'init in a plain directory makes it a repository' '
	mkdir plain &&
	(
		cd plain &&
		psm init &&
		test "$(git rev-parse --show-toplevel)" = "$TRASH_DIRECTORY/plain" &&
		test "$(test_commit_count)" = 1
	)
'

test_expect_success 'init from a subdirectory makes the top of the repository the store' '
	git init -q deep &&
	mkdir -p deep/a/b &&
	(
		cd deep/a/b &&
		psm init
	) &&
	test -f deep/.psm/config.yml &&
	test -f deep/issues/README.md &&
	test ! -e deep/a/b/.psm
'

test_expect_success 'psm finds the store from any subdirectory' '
	mkdir -p repo/docs/deep &&
	(
		cd repo/docs/deep &&
		id=$(psm intake -t "from a subdirectory") &&
		psm show "$id" >out &&
		grep "from a subdirectory" out &&
		psm list >list &&
		grep "from a subdirectory" list &&
		psm check
	) &&
	ls repo/issues/*/*.md >files &&
	test_line_count = 1 files &&
	test ! -e repo/docs/deep/issues
'

test_expect_success 'psm -C DIR runs as if started in DIR' '
	psm -C repo list >list &&
	grep "from a subdirectory" list &&
	id=$(psm -C repo/docs intake -t "via -C") &&
	psm -C repo show "$id" >out &&
	grep "via -C" out &&
	psm -C "$TRASH_DIRECTORY/newstore" list >empty &&
	test_line_count = 0 empty
'

test_expect_success 'psm -C with a missing directory fails clearly' '
	test_expect_code 128 psm -C no-such-dir list 2>err &&
	test_line_count = 1 err &&
	grep "cannot change to .no-such-dir." err
'

test_expect_success 'a git repository without a store: one-line error, exit 128' '
	git init -q nostore &&
	(
		cd nostore &&
		for cmd in list "show abc" check "intake -t x"
		do
			test_expect_code 128 psm $cmd 2>../err &&
			test_line_count = 1 ../err &&
			grep "^fatal: not a psm store" ../err &&
			grep "psm init" ../err || return 1
		done &&
		test -z "$(git status --porcelain --untracked-files=all)"
	)
'

test_expect_success 'outside any repository: one-line error, exit 128' '
	mkdir outside &&
	(
		cd outside &&
		test_expect_code 128 psm list 2>err &&
		test_line_count = 1 err &&
		grep "^fatal: not a psm store" err &&
		grep "psm init" err
	) &&
	test ! -e outside/.git
'

test_expect_success 'init without a git identity: clear error, nothing written' '
	git init -q anon &&
	(
		cd anon &&
		test_expect_code 128 no_identity psm init 2>../err &&
		test_line_count = 1 ../err &&
		grep "no git identity" ../err &&
		grep "git config user.email" ../err &&
		test ! -e .psm &&
		test ! -e issues &&
		test_must_fail git rev-parse -q --verify HEAD &&
		test -z "$(git status --porcelain --untracked-files=all)"
	)
'

test_expect_success 'init without an identity outside a repository writes no store' '
	test_expect_code 128 no_identity psm init anon2 2>err &&
	grep "no git identity" err &&
	test ! -e anon2/.psm
'

test_expect_success 'the identity may come from git config' '
	(
		cd anon &&
		git config user.name "Conf Name" &&
		git config user.email conf@example.com &&
		no_identity psm init &&
		test "$(git log -1 --format="%an <%ae>|%cn <%ce>")" = \
			"Conf Name <conf@example.com>|Conf Name <conf@example.com>"
	)
'

test_expect_success 'intake without a git identity: clear error, store untouched' '
	(
		cd repo &&
		git rev-parse HEAD >head.before &&
		test_expect_code 128 no_identity psm intake -t "nobody" 2>err &&
		test_line_count = 1 err &&
		grep "no git identity" err &&
		git rev-parse HEAD >head.after &&
		test_cmp head.before head.after &&
		! grep -r "nobody" issues
	)
'

test_expect_success 'init --no-commit writes the files without committing' '
	git init -q nocommit &&
	(
		cd nocommit &&
		no_identity psm init --no-commit &&
		test -f .psm/config.yml &&
		test -f issues/README.md &&
		test_must_fail git rev-parse -q --verify HEAD
	)
'

test_expect_success 'init refuses a bare repository' '
	git init -q --bare bare.git &&
	test_expect_code 128 psm -C bare.git init 2>err &&
	grep "bare repository" err &&
	test ! -e bare.git/.psm
'

test_expect_success 'init where issues/ holds files of its own: a warning, the files alone' '
	git init -q own && (
		cd own &&
		mkdir issues &&
		echo "# Known issues of the firmware" >issues/README.md &&
		echo "Boot loop on cold start." >issues/0042-boot-loop.md &&
		git add issues && git commit -q -m docs &&
		psm init >out 2>err &&
		grep "^warning: .issues/. already holds files that are not psm.s (.issues/0042-boot-loop.md.): psm leaves them alone" err &&
		git diff --exit-code HEAD~1 -- issues &&
		id=$(psm intake -t "First psm issue") &&
		psm list >list &&
		grep "^$id " list &&
		psm check &&
		psm init >out 2>err &&
		test_line_count = 0 err
	)
'

test_expect_success 'init in a fresh repository says nothing of issues/' '
	git init -q fresh && (
		cd fresh &&
		psm init >out 2>err &&
		test_line_count = 0 err &&
		test -f issues/README.md
	)
'

test_expect_success 'init takes at most one directory' '
	test_expect_code 129 psm init a b 2>err &&
	grep "usage: psm init" err
'

test_done
