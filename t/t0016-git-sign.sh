#!/bin/sh

test_description='commits signed as commit.gpgSign asks

A repository that sets commit.gpgSign wants every commit signed (a
protected branch may refuse the rest). libgit2 cannot sign, so psm has
git make the commit object (git commit-tree -S), with the user'"'"'s
gpg.format and user.signingKey. A commit that cannot be signed is not
made, and nothing psm wrote stays behind.'

. ./test-lib.sh
. "$TEST_DIRECTORY/lib-git.sh"

# SSH signatures (git 2.34 and later) need no agent or keyring: a key file.
if command -v ssh-keygen >/dev/null 2>&1 &&
   ssh-keygen -q -t ed25519 -N "" -C psm@test -f "$TRASH_DIRECTORY/key" </dev/null >/dev/null 2>&1
then
	test_set_prereq SSHKEY
fi

test_expect_success SSHKEY 'setup: a store whose config asks for signed commits' '
	git_repo repo &&
	echo "psm@test $(cat key.pub)" >allowed &&
	(
		cd repo &&
		git config gpg.format ssh &&
		git config user.signingKey "$TRASH_DIRECTORY/key.pub" &&
		git config gpg.ssh.allowedSignersFile "$TRASH_DIRECTORY/allowed" &&
		git config commit.gpgSign true
	)
'

test_expect_success SSHKEY 'every psm commit is signed, as git commit would sign it' '
	(
		cd repo &&
		user_state ../before &&
		base=$(git rev-parse HEAD) &&
		several_writes &&
		git rev-list $base..HEAD >../new &&
		test_line_count = 3 ../new &&
		while read c
		do
			git verify-commit "$c" 2>>../verify || exit 1
		done <../new &&
		git log --format="%G? %an <%ae> %s" $base..HEAD >../log &&
		grep -c "^G A U Thor <author@example.com> psm " ../log >../n &&
		echo 3 >../n.expect && test_cmp ../n.expect ../n &&
		git_agrees ../before
	)
'

test_expect_success SSHKEY 'the author, date and message are those of an unsigned commit' '
	(
		cd repo &&
		git cat-file commit HEAD >../signed &&
		grep "^gpgsig -----BEGIN SSH SIGNATURE-----" ../signed &&
		grep "^author A U Thor <author@example.com> [0-9]* +0000$" ../signed &&
		grep "^committer A U Thor <author@example.com> [0-9]* +0000$" ../signed &&
		git log -1 --format=%B HEAD >../msg &&
		head -n 1 ../msg >../subject &&
		grep "^psm close [0-9a-z]*: Export fails$" ../subject
	)
'

test_expect_success SSHKEY 'a commit that cannot be signed is not made, and nothing is left' '
	(
		cd repo &&
		git config user.signingKey "$TRASH_DIRECTORY/no-such-key.pub" &&
		user_state ../before &&
		head=$(git rev-parse HEAD) &&
		find issues -type f | sort >../files.before &&
		test_must_fail psm intake -t "Never committed" -m "x" 2>../err &&
		grep "could not sign the commit (commit.gpgSign is set)" ../err &&
		test "$(git rev-parse HEAD)" = "$head" &&
		find issues -type f | sort >../files.after &&
		test_cmp ../files.before ../files.after &&
		! test -e .git/index.lock &&
		git_agrees ../before &&
		git config user.signingKey "$TRASH_DIRECTORY/key.pub"
	)
'

test_expect_success 'a value git would not read as true or false is refused' '
	git_repo bad &&
	(
		cd bad &&
		git config commit.gpgSign maybe &&
		head=$(git rev-parse HEAD) &&
		test_must_fail psm intake -t "Never committed" -m "x" 2>../err &&
		grep "commit.gpgsign" ../err &&
		test "$(git rev-parse HEAD)" = "$head"
	)
'

test_expect_success 'without commit.gpgSign, or with it false, commits are not signed' '
	git_repo plain &&
	(
		cd plain &&
		psm intake -t "Plain" -m "x" >/dev/null &&
		git config commit.gpgSign false &&
		psm intake -t "Plain too" -m "x" >/dev/null &&
		git log -2 --format=%G? >../sig &&
		printf "N\nN\n" >../sig.expect &&
		test_cmp ../sig.expect ../sig &&
		! git cat-file commit HEAD | grep "^gpgsig"
	)
'

test_done
