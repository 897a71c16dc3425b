#!/bin/sh

test_description='every write is one commit of exactly the changed file

Author from git config, a message saying what happened, the user'"'"'s other
staged and unstaged changes left alone, the index entry of the committed
file matching the commit, fresh repositories, subdirectories, --no-commit,
commit: false in the config, and PSM_NOW.'

. ./test-lib.sh

# committed_files [REV]: the paths REV changed, one per line.
committed_files () {
	git diff-tree --no-commit-id --name-only -r --root "${1:-HEAD}"
}

test_expect_success 'setup: a repository with history and a store' '
	git init -q &&
	# the tests'"'"' scratch files are not the user'"'"'s changes
	printf "%s\n" before after expect actual stat err id config staged temps body \
		committed fresh "*.before" "*.after" >>.git/info/exclude &&
	echo one >tracked.txt &&
	echo two >other.txt &&
	git add tracked.txt other.txt &&
	git commit -q -m "user commit" &&
	psm init &&
	test "$(test_commit_count)" = 2
'

test_expect_success 'intake makes exactly one commit holding exactly the issue file' '
	git rev-parse HEAD >before &&
	id=$(psm intake -t "CSV import fails on mixed-case headers") &&
	test "$(git rev-parse HEAD^)" = "$(cat before)" &&
	test "$(test_commit_count)" = 3 &&
	issue_file "$id" >expect &&
	committed_files >actual &&
	test_cmp expect actual &&
	git show --stat --format= HEAD >stat &&
	grep "1 file changed" stat
'

test_expect_success 'the commit message says what happened' '
	id=$(psm list --format tsv | cut -f1 | cut -c1-7) &&
	echo "psm intake $id: CSV import fails on mixed-case headers" >expect &&
	git log -1 --format=%s >actual &&
	test -z "$(git log -1 --format=%b)" &&
	test_cmp expect actual
'

test_expect_success 'the commit is authored from the git identity, at PSM_NOW' '
	git log -1 --format="%an <%ae>|%aI|%cI" >actual &&
	echo "A U Thor <author@example.com>|2026-11-20T10:00:00+00:00|2026-11-20T10:00:00+00:00" >expect &&
	test_cmp expect actual
'

test_expect_success 'without identity variables, user.name and user.email are used' '
	git config user.name "Config Person" &&
	git config user.email config@example.com &&
	(
		unset GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL &&
		psm intake -t "from config identity"
	) &&
	test "$(git log -1 --format="%an <%ae>")" = "Config Person <config@example.com>"
'

test_expect_success 'PSM_NOW pins created, updated and the commit time' '
	test_tick &&
	id=$(psm intake -t "ticked") &&
	file=$(issue_file "$id") &&
	grep -x "created: 2026-11-20T10:01:00Z" "$file" &&
	grep -x "updated: 2026-11-20T10:01:00Z" "$file" &&
	test "$(git log -1 --format=%aI)" = "2026-11-20T10:01:00+00:00" &&
	id=$(PSM_NOW=2030-01-02T03:04:05Z psm intake -t "far future") &&
	grep -x "created: 2030-01-02T03:04:05Z" "$(issue_file "$id")" &&
	test "$(git log -1 --format=%aI)" = "2030-01-02T03:04:05+00:00" &&
	id=$(PSM_NOW=@86400 psm intake --no-commit -t "epoch") &&
	grep -x "created: 1970-01-02T00:00:00Z" "$(issue_file "$id")" &&
	rm "$(issue_file "$id")"
'

test_expect_success 'a bad PSM_NOW is an error and writes nothing' '
	git rev-parse HEAD >before &&
	test_expect_code 128 env PSM_NOW=yesterday psm intake -t "never" 2>err &&
	grep "invalid PSM_NOW" err &&
	git rev-parse HEAD >after &&
	test_cmp before after &&
	! grep -r "never" issues
'

test_expect_success 'staged and unstaged changes are neither committed nor disturbed' '
	echo staged >>tracked.txt &&
	git add tracked.txt &&
	echo unstaged >>tracked.txt &&
	echo "unstaged only" >>other.txt &&
	echo new >staged-new.txt &&
	git add staged-new.txt &&
	echo untracked >untracked.txt &&
	git diff --cached >cached.before &&
	git diff >worktree.before &&
	git status --porcelain >status.before &&
	cp tracked.txt tracked.before &&
	id=$(psm intake -t "dirty tree") &&
	issue_file "$id" >expect &&
	committed_files >actual &&
	test_cmp expect actual &&
	git diff --cached >cached.after &&
	git diff >worktree.after &&
	test_cmp cached.before cached.after &&
	test_cmp worktree.before worktree.after &&
	test_cmp tracked.before tracked.txt &&
	git status --porcelain >status.after &&
	test_cmp status.before status.after &&
	git show HEAD:tracked.txt >committed &&
	echo one >expect &&
	test_cmp expect committed
'

test_expect_success 'the index entry of the committed file matches the commit' '
	id=$(psm list --format tsv "dirty tree" | cut -f1) &&
	file=$(issue_file "$id") &&
	git diff --cached --quiet -- issues/ &&
	git diff --quiet -- "$file" &&
	test "$(git rev-parse :"$file")" = "$(git rev-parse HEAD:"$file")" &&
	git ls-files --error-unmatch "$file"
'

test_expect_success 'clean up the dirty tree' '
	git reset -q --hard &&
	rm -f untracked.txt staged-new.txt &&
	test -z "$(git status --porcelain --untracked-files=all)"
'

test_expect_success 'a fresh repository with no commits' '
	git init -q fresh &&
	(
		cd fresh &&
		echo mine >mine.txt &&
		git add mine.txt &&
		psm init &&
		test "$(test_commit_count)" = 1 &&
		! git ls-tree -r --name-only HEAD | grep mine.txt &&
		git diff --cached --name-only >staged &&
		echo mine.txt >expect &&
		test_cmp expect staged &&
		id=$(psm intake -t "first issue") &&
		test "$(test_commit_count)" = 2 &&
		git diff --cached --quiet -- issues/ &&
		test -z "$(git status --porcelain -- issues .psm)"
	)
'

test_expect_success 'intake from a subdirectory commits the file at the top' '
	mkdir -p sub/dir &&
	(
		cd sub/dir &&
		id=$(psm intake -t "from a subdirectory") &&
		cd ../.. &&
		issue_file "$id" >expect &&
		committed_files >actual &&
		test_cmp expect actual
	) &&
	test ! -e sub/dir/issues
'

test_expect_success 'a detached HEAD gets the commit too' '
	git checkout -q --detach &&
	git rev-parse HEAD >before &&
	psm intake -t "detached" &&
	test "$(git rev-parse HEAD^)" = "$(cat before)" &&
	git checkout -q main
'

test_expect_success '--no-commit writes the file only' '
	git rev-parse HEAD >before &&
	id=$(psm intake --no-commit -t "for review") &&
	git rev-parse HEAD >after &&
	test_cmp before after &&
	file=$(issue_file "$id") &&
	grep "title: for review" "$file" &&
	echo "?? $file" >expect &&
	git status --porcelain --untracked-files=all >actual &&
	test_cmp expect actual &&
	git add "$file" &&
	git commit -q -m "reviewed" &&
	psm show "$id" >/dev/null
'

test_expect_success '--no-commit needs no identity' '
	(
		unset GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL &&
		git config --unset user.name &&
		git config --unset user.email &&
		psm intake --no-commit -t "anonymous draft" >id &&
		test_expect_code 128 psm intake -t "anonymous" 2>err &&
		grep "no git identity" err
	) &&
	git clean -fq -- issues
'

test_expect_success 'commit: false in the config writes files only' '
	sed "s/^commit: true\$/commit: false/" .psm/config.yml >config &&
	mv config .psm/config.yml &&
	grep -x "commit: false" .psm/config.yml &&
	git commit -q -a -m "write files only" &&
	git rev-parse HEAD >before &&
	id=$(psm intake -t "not committed") &&
	git rev-parse HEAD >after &&
	test_cmp before after &&
	test -f "$(issue_file "$id")" &&
	git status --porcelain --untracked-files=all >actual &&
	echo "?? $(issue_file "$id")" >expect &&
	test_cmp expect actual
'

test_expect_success 'no lock or temporary file is left behind' '
	test ! -e .git/psm/lock &&
	find . -name ".*.tmp*" >temps &&
	test_line_count = 0 temps
'

test_done
