#!/bin/sh

test_description='post-command hooks from the git directory

After a write, <gitdir>/psm/hooks/post-<command> runs with the issue as
JSON on stdin; never from tracked files; a failing hook is reported and
the change stays.'

. ./test-lib.sh

ln -s target symlink-probe 2>/dev/null && test -h symlink-probe && test_set_prereq SYMLINKS
rm -f symlink-probe

test_expect_success 'setup' '
	psm init &&
	psm intake -t "Login fails" --reporter "dana@acme.example" >id1 &&
	mkdir -p .git/psm/hooks &&
	cat >.git/psm/hooks/post-close <<-\EOF &&
	#!/bin/sh
	cat >"$HOME/hook.json"
	echo "args: $*" >"$HOME/hook.env"
	echo "hook: $PSM_HOOK id: $PSM_ISSUE_ID path: $PSM_ISSUE_PATH" >>"$HOME/hook.env"
	echo "pwd: $(pwd)" >>"$HOME/hook.env"
	git log -1 --format=%s >>"$HOME/hook.env"
	echo "said by the hook"
	EOF
	chmod +x .git/psm/hooks/post-close
'

test_expect_success 'the hook runs after the commit, with the issue on stdin' '
	psm close $(cat id1) -r fixed >out 2>err &&
	test_cmp id1 out &&
	grep "said by the hook" err &&
	full=$(sed -n "s/^  \"id\": \"\(.*\)\",\$/\1/p" hook.json) &&
	test -n "$full" &&
	grep "\"resolution\": \"fixed\"" hook.json &&
	cat >expect <<-EOF &&
	args: $full
	hook: post-close id: $full path: issues/$(echo $full | cut -c1-2)/$full.md
	pwd: $(pwd)
	psm close $(cat id1): Login fails
	EOF
	test_cmp expect hook.env
'

test_expect_success 'no change, no hook' '
	rm hook.json &&
	psm close $(cat id1) -r fixed 2>err &&
	! test -f hook.json
'

test_expect_success 'a failing hook is reported, exit 1, and the change stays' '
	cat >.git/psm/hooks/post-reopen <<-\EOF &&
	#!/bin/sh
	exit 3
	EOF
	chmod +x .git/psm/hooks/post-reopen &&
	test_expect_code 1 psm reopen $(cat id1) >out 2>err &&
	grep "warning: hook .post-reopen. failed (exit status 3); the change is kept" err &&
	test_cmp id1 out &&
	git log -1 --format=%s | grep "^psm reopen " &&
	git status --porcelain --untracked-files=no >status &&
	test_line_count = 0 status
'

test_expect_success 'a hook that is not executable is not run' '
	cat >.git/psm/hooks/post-tag <<-\EOF &&
	#!/bin/sh
	touch "$HOME/tag-hook-ran"
	EOF
	psm tag $(cat id1) +one &&
	! test -f tag-hook-ran &&
	chmod +x .git/psm/hooks/post-tag &&
	psm tag $(cat id1) +two &&
	test -f tag-hook-ran
'

test_expect_success 'tracked files are never run as hooks' '
	mkdir -p psm/hooks .psm/hooks .git-hooks &&
	for d in psm/hooks .psm/hooks .git-hooks
	do
		printf "#!/bin/sh\ntouch \"\$HOME/tracked-ran\"\n" >$d/post-note &&
		chmod +x $d/post-note || return 1
	done &&
	git add psm .psm/hooks .git-hooks &&
	git commit -q -m "hooks in the work tree" &&
	psm note $(cat id1) -m "a note" &&
	! test -f tracked-ran
'

test_expect_success SYMLINKS 'a hook linking into the work tree is refused' '
	ln -s ../../../psm/hooks/post-note .git/psm/hooks/post-note &&
	test_expect_code 1 psm note $(cat id1) -m "another" 2>err &&
	grep "hook .post-note. ignored: it resolves to .*psm/hooks/post-note. in the work tree" err &&
	! test -f tracked-ran &&
	git log -1 --format=%s | grep "^psm note "
'

test_expect_success 'hooks exist for every loop command' '
	for c in assign reply dup rate followup
	do
		printf "#!/bin/sh\necho %s >>\"\$HOME/ran\"\n" $c >.git/psm/hooks/post-$c &&
		chmod +x .git/psm/hooks/post-$c || return 1
	done &&
	psm intake -t "Other" --reporter "eli@example.com" >id2 &&
	psm assign $(cat id1) me &&
	psm reply $(cat id1) -m "hi" &&
	psm dup $(cat id2) --of $(cat id1) &&
	psm rate $(cat id1) good --reporter eli@example.com &&
	psm close $(cat id1) -r fixed 2>/dev/null &&
	psm followup $(cat id1) --done &&
	cat >expect <<-\EOF &&
	assign
	reply
	dup
	rate
	followup
	EOF
	test_cmp expect ran
'

test_expect_success 'a hook may run psm itself: the lock is released by then' '
	psm intake -t "Third" --reporter "fay@example.com" >id3 &&
	cat >.git/psm/hooks/post-close <<-\EOF &&
	#!/bin/sh
	PSM_LOCK_TIMEOUT=0 psm followup "$1" --done >/dev/null
	EOF
	psm close $(cat id3) -r fixed &&
	git log -2 --format=%s >log &&
	grep "^psm followup $(cat id3): Third\$" log &&
	grep "^psm close $(cat id3): Third\$" log &&
	psm list followup:pending --format tsv >pending &&
	! grep Third pending
'

test_done
