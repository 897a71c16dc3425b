#!/bin/sh

test_description='which repository psm writes to: the one git would

psm asks git where the repository, its work tree and its index are, so
GIT_DIR, GIT_WORK_TREE, GIT_INDEX_FILE, GIT_CEILING_DIRECTORIES, -C, .git
files and linked worktrees mean what they mean to git. Objects and the
index keep core.sharedRepository'"'"'s permissions. A repository libgit2 1.5
cannot read (SHA-256, an extension it does not know) is refused before
anything is written, saying what and why.'

. ./test-lib.sh
. "$TEST_DIRECTORY/lib-git.sh"

test_expect_success 'a bare repository with GIT_WORK_TREE: no nested .git, commits in GIT_DIR' '
	git init -q --bare hub.git &&
	mkdir wt &&
	GIT_DIR=$PWD/hub.git GIT_WORK_TREE=$PWD/wt psm init >out &&
	test ! -e wt/.git &&
	test -f wt/.psm/config.yml &&
	(
		GIT_DIR=$PWD/hub.git GIT_WORK_TREE=$PWD/wt &&
		export GIT_DIR GIT_WORK_TREE &&
		cd wt &&
		id=$(psm intake -t "In a bare repository" -m "x") &&
		test ! -e .git &&
		git log --format=%s >../log &&
		grep "psm intake $id" ../log &&
		git diff-files --quiet &&
		git status --porcelain >../st && test_line_count = 0 ../st &&
		psm show "$id" >../show && grep "In a bare repository" ../show &&
		git fsck --full --no-progress
	)
'

test_expect_success 'relative GIT_DIR and GIT_WORK_TREE from a subdirectory, as git reads them' '
	git init -q rel && (
		cd rel && psm init >/dev/null && mkdir -p docs/deep
	) &&
	(
		cd rel/docs/deep &&
		GIT_DIR=../../.git GIT_WORK_TREE=../.. psm intake -t "relative" >../../../id &&
		GIT_DIR=../../.git GIT_WORK_TREE=../.. git log -1 --format=%s >../../../log
	) &&
	grep "psm intake $(cat id)" log &&
	test ! -e rel/docs/.git && test ! -e rel/docs/deep/.git
'

test_expect_success 'GIT_INDEX_FILE: psm updates that index, not .git/index' '
	git_repo alt && (
		cd alt &&
		cp .git/index ../index.before &&
		cp .git/index "$TRASH_DIRECTORY/alt-index" &&
		id=$(GIT_INDEX_FILE="$TRASH_DIRECTORY/alt-index" psm intake -t "other index") &&
		cmp .git/index ../index.before &&
		f=$(git ls-tree -r --name-only HEAD issues | grep "$id") &&
		GIT_INDEX_FILE="$TRASH_DIRECTORY/alt-index" git ls-files "$f" >../ls &&
		test_line_count = 1 ../ls &&
		GIT_INDEX_FILE="$TRASH_DIRECTORY/alt-index" git diff-files --quiet -- issues &&
		test -z "$(git ls-files "$f")"
	)
'

test_expect_success 'a .git file (--separate-git-dir)' '
	git init -q --separate-git-dir="$PWD/sep.git" sep &&
	test -f sep/.git && (
		cd sep &&
		psm init >/dev/null &&
		id=$(psm intake -t "separate") &&
		git log -1 --format=%s >../log &&
		git diff-files --quiet &&
		test -f .git
	) &&
	grep "psm intake" log &&
	test -f sep.git/HEAD
'

test_expect_success 'a linked worktree: its own index and branch, the main one untouched' '
	git_repo main && (
		cd main &&
		git commit -q -m "the user commits" &&
		git stash -q &&
		git worktree add -q ../linked -b side &&
		cp .git/index ../main-index &&
		main_head=$(git rev-parse main) &&
		cd ../linked &&
		user_state ../linked-before &&
		id=$(psm intake -t "from the worktree") &&
		test "$(git rev-parse --abbrev-ref HEAD)" = side &&
		git log -1 --format=%s | grep "psm intake $id" &&
		git_agrees ../linked-before &&
		cd ../main &&
		cmp .git/index ../main-index &&
		test "$(git rev-parse main)" = "$main_head" &&
		git worktree list >../wl && test_line_count = 2 ../wl
	)
'

test_expect_success 'GIT_CEILING_DIRECTORIES stops the search, as for git' '
	git init -q ceil && (cd ceil && psm init >/dev/null && mkdir -p sub) &&
	(
		cd ceil/sub &&
		GIT_CEILING_DIRECTORIES="$TRASH_DIRECTORY/ceil" &&
		export GIT_CEILING_DIRECTORIES &&
		test_must_fail git status >/dev/null 2>&1 &&
		test_must_fail psm list 2>../../err
	) &&
	grep "not a psm store" err
'

test_expect_success '-C runs psm as if started there' '
	psm -C ceil intake -t "via -C" >id &&
	git -C ceil log -1 --format=%s | grep "psm intake $(cat id)"
'

test_expect_success 'core.sharedRepository=group: objects and index as git would make them' '
	git init -q --shared=group shared && (
		cd shared &&
		umask 077 &&
		psm init >/dev/null &&
		psm intake -t "shared" -m "x" >/dev/null &&
		ls -l .git/index | cut -c5-7 >../mode &&
		echo "rw-" >../expect && test_cmp ../expect ../mode &&
		find .git/objects -type f ! -perm -g=r >../unreadable &&
		test_line_count = 0 ../unreadable &&
		find .git/objects -type d ! -perm -g=rwx >../closed &&
		test_line_count = 0 ../closed &&
		find .git/refs .git/logs -type f ! -perm -g=rw >../refs &&
		test_line_count = 0 ../refs
	)
'

test_expect_success 'a SHA-256 repository is refused before anything is written' '
	git init -q --object-format=sha256 s256 && (
		cd s256 &&
		test_expect_code 128 psm init 2>../err &&
		test ! -e .psm &&
		test -z "$(git status --porcelain --untracked-files=all)"
	) &&
	grep "object format is .sha256." err &&
	grep "libgit2" err
'

test_expect_success 'an extension libgit2 does not know is refused, naming it' '
	git init -q ext && (
		cd ext &&
		git config core.repositoryformatversion 1 &&
		git config extensions.partialClone origin &&
		test_expect_code 128 psm init 2>../err &&
		test ! -e .psm
	) &&
	grep "extension .partialclone." err
'

test_expect_success 'reftable refs (extensions.refStorage): refused with git'"'"'s own reason' '
	git init -q reftable && (
		cd reftable &&
		git config core.repositoryformatversion 1 &&
		git config extensions.refStorage reftable &&
		test_expect_code 128 psm list 2>../err &&
		test ! -e .psm
	) &&
	grep -i "refstorage" err
'

test_expect_success 'extensions.worktreeConfig: psm reads config.worktree too' '
	git init -q wtc && (
		cd wtc &&
		git config core.repositoryformatversion 1 &&
		git config extensions.worktreeConfig true &&
		git config --worktree user.email worktree@example.com &&
		psm init >/dev/null &&
		(unset GIT_AUTHOR_EMAIL GIT_COMMITTER_EMAIL && psm intake -t "worktree config" >/dev/null) &&
		git log -1 --format=%ae >../ae
	) &&
	echo worktree@example.com >expect &&
	test_cmp expect ae
'

test_done
