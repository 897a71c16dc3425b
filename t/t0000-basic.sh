#!/bin/sh

test_description='the test library itself

Checks the pinned environment, the helpers (test_must_fail, test_cmp,
test_line_count, test_expect_code, test_tick, prerequisites, test_terminal),
and, by running small test scripts of its own, the TAP output, exit codes
and trash-directory handling.'

. ./test-lib.sh

# write_sub_test NAME <SCRIPT: make NAME/NAME.sh, a test script whose body is
# read from stdin.
write_sub_test () {
	mkdir "$1" &&
	{
		printf "test_description='sub-test %s'\n" "$1" &&
		echo 'cd "$SUB_TEST_DIRECTORY" || exit 1' &&
		echo '. ./test-lib.sh' &&
		cat
	} >"$1/$1.sh"
}

# run_sub_test NAME [VAR=VALUE...] [OPTION...]: run NAME/NAME.sh with its
# trash directory under NAME/, leaving NAME/out, NAME/err, NAME/exit-code.
run_sub_test () {
	_sub=$1 &&
	shift &&
	(
		cd "$_sub" &&
		PSM_TRASH_ROOT=$(pwd) &&
		SUB_TEST_DIRECTORY=$TEST_DIRECTORY &&
		export PSM_TRASH_ROOT SUB_TEST_DIRECTORY &&
		while test $# -gt 0
		do
			case $1 in
			*=*) export "$1"; shift ;;
			*) break ;;
			esac
		done &&
		{
			sh "./$_sub.sh" "$@" >out 2>err
			echo $? >exit-code
		}
	)
}

# ---- the pinned environment --------------------------------------------------

test_expect_success 'HOME is the trash directory, holding only our files' '
	test "$HOME" = "$TRASH_DIRECTORY" &&
	test "$(ls -A "$HOME" | tr "\n" " ")" = ".gitconfig .test-output "
'

test_expect_success 'git finds no repository above the trash directory' '
	test_must_fail git rev-parse --git-dir &&
	mkdir -p sub/dir &&
	(
		cd sub/dir &&
		test_must_fail git rev-parse --git-dir
	)
'

test_expect_success 'a new repository is on main and does not see our files' '
	rm -rf sub &&
	git init -q &&
	test "$(git symbolic-ref HEAD)" = refs/heads/main &&
	test -z "$(git status --porcelain --untracked-files=all)" &&
	rm -rf .git
'

test_expect_success 'environment is pinned' '
	test "$TZ" = UTC &&
	test "$LANG" = C.UTF-8 &&
	test "$LC_ALL" = C.UTF-8 &&
	test "$HOME" = "$TRASH_DIRECTORY" &&
	test -z "${XDG_CONFIG_HOME+set}" &&
	test -z "${NO_COLOR+set}" &&
	test -z "${VISUAL+set}" &&
	test "$GIT_CONFIG_NOSYSTEM" = 1 &&
	test "$GIT_AUTHOR_NAME" = "A U Thor" &&
	test "$GIT_AUTHOR_EMAIL" = author@example.com &&
	test "$GIT_COMMITTER_NAME" = "C O Mitter" &&
	test "$GIT_COMMITTER_EMAIL" = committer@example.com &&
	test "$GIT_AUTHOR_DATE" = 2026-11-20T10:00:00Z &&
	test "$GIT_COMMITTER_DATE" = 2026-11-20T10:00:00Z &&
	test "$PSM_NOW" = 2026-11-20T10:00:00Z &&
	test "$EDITOR" = : &&
	test "$PAGER" = cat &&
	test "$TERM" = dumb &&
	test "$ASAN_OPTIONS" = abort_on_error=0:detect_leaks=1 &&
	test "$UBSAN_OPTIONS" = print_stacktrace=1:halt_on_error=1
'

test_expect_success 'the pinned variables are exported' '
	env >env.out &&
	for v in TZ=UTC LANG=C.UTF-8 LC_ALL=C.UTF-8 HOME="$TRASH_DIRECTORY" \
		PSM_NOW=2026-11-20T10:00:00Z GIT_CONFIG_NOSYSTEM=1 \
		EDITOR=: PAGER=cat TERM=dumb
	do
		grep -qxF "$v" env.out || return 1
	done &&
	! grep -q "^XDG_CONFIG_HOME=" env.out &&
	! grep -q "^VISUAL=" env.out &&
	! grep -q "^NO_COLOR=" env.out
'

test_expect_success 'git sees the pinned identity, date and config' '
	echo "A U Thor <author@example.com> 1795168800 +0000" >expect &&
	git var GIT_AUTHOR_IDENT >actual &&
	test_cmp expect actual &&
	echo "C O Mitter <committer@example.com> 1795168800 +0000" >expect &&
	git var GIT_COMMITTER_IDENT >actual &&
	test_cmp expect actual &&
	test "$(git config --global init.defaultBranch)" = main &&
	git config --list --show-origin >config &&
	test -s config &&
	! grep -v "^file:$HOME/.gitconfig	" config
'

test_expect_success 'tests run in the trash directory, stdin from /dev/null' '
	test "$(pwd -P)" = "$TRASH_DIRECTORY" &&
	test "$TRASH_DIRECTORY" = "$(cd "$PSM_TRASH_ROOT" && pwd -P)/trash directory.t0000-basic" &&
	! read line
'

test_expect_success 'psm on PATH is the one in PSM_BUILD_DIR' '
	test "$(command -v psm)" = "$PSM_BUILD_DIR/psm"
'

test_expect_success 'a test can cd and set variables...' '
	mkdir elsewhere &&
	cd elsewhere &&
	leaked_variable=yes &&
	test "$(pwd -P)" = "$TRASH_DIRECTORY/elsewhere"
'

test_expect_success '...and neither leaks into the next test' '
	test "$(pwd -P)" = "$TRASH_DIRECTORY" &&
	test -z "${leaked_variable:-}"
'

# ---- helpers ------------------------------------------------------------------

test_expect_success 'test_cmp accepts equal files and shows a diff otherwise' '
	printf "a\nb\n" >one &&
	printf "a\nb\n" >two &&
	printf "a\nc\n" >three &&
	test_cmp one two 2>err &&
	test ! -s err &&
	! test_cmp one three 2>err &&
	grep -x -- "-b" err &&
	grep -x -- "+c" err &&
	! test_cmp one 2>err
'

test_expect_success 'test_line_count' '
	printf "1\n2\n3\n" >three-lines &&
	: >no-lines &&
	test_line_count = 3 three-lines &&
	test_line_count -gt 2 three-lines &&
	test_line_count = 0 no-lines &&
	! test_line_count = 2 three-lines 2>err &&
	grep "test_line_count: line count for three-lines is 3" err
'

test_expect_success 'test_must_fail accepts an orderly failure' '
	test_must_fail false &&
	test_must_fail sh -c "exit 1" &&
	test_must_fail sh -c "exit 124" &&
	test_must_fail sh -c "exit 128" &&
	test_must_fail ok=success true &&
	test_might_fail true &&
	test_might_fail false
'

test_expect_success 'test_must_fail rejects success, crashes and missing commands' '
	! test_must_fail true 2>err &&
	grep "command succeeded" err &&
	! test_must_fail sh -c "kill -SEGV \$\$" 2>err &&
	grep "died by signal 11" err &&
	! test_must_fail sh -c "kill -ABRT \$\$" &&
	! test_must_fail sh -c "exit 129" &&
	! test_must_fail sh -c "exit 125" &&
	! test_must_fail sh -c "exit 126" &&
	! test_must_fail sh -c "exit 127" &&
	! test_must_fail ./no-such-command 2>err &&
	grep "could not run" err &&
	! test_might_fail sh -c "kill -SEGV \$\$"
'

test_expect_success 'test_must_fail rejects sanitizer reports' '
	! test_must_fail sh -c "echo \"x.c:3:7: runtime error: signed integer overflow\" >&2; exit 1" 2>err &&
	grep "sanitizer report" err &&
	! test_must_fail sh -c "echo \"==42==ERROR: AddressSanitizer: heap-use-after-free\" >&2; exit 1" &&
	! test_must_fail sh -c "echo \"==42==ERROR: LeakSanitizer: detected memory leaks\" >&2; exit 23"
'

test_expect_success 'test_must_fail passes the output through' '
	test_must_fail sh -c "echo to-stdout; echo to-stderr >&2; exit 2" >out 2>err &&
	test "$(cat out)" = to-stdout &&
	test "$(cat err)" = to-stderr &&
	test -z "$(ls .test-output | grep stderr)"
'

test_expect_success 'test_expect_code' '
	test_expect_code 0 true &&
	test_expect_code 1 false &&
	test_expect_code 3 sh -c "exit 3" &&
	! test_expect_code 3 sh -c "exit 4" 2>err &&
	grep "exited with 4, we wanted 3" err &&
	! test_expect_code 1 sh -c "echo \"a.c:1:1: runtime error: x\" >&2; exit 1"
'

test_expect_success 'test_tick advances the clock by a minute' '
	test_tick &&
	test "$PSM_NOW" = 2026-11-20T10:01:00Z &&
	test "$GIT_AUTHOR_DATE" = 2026-11-20T10:01:00Z &&
	test "$GIT_COMMITTER_DATE" = 2026-11-20T10:01:00Z &&
	test_tick &&
	test "$PSM_NOW" = 2026-11-20T10:02:00Z
'

test_expect_success 'the clock carries over to the next test' '
	test "$PSM_NOW" = 2026-11-20T10:02:00Z &&
	test "$(env | grep "^PSM_NOW=")" = PSM_NOW=2026-11-20T10:02:00Z &&
	test_tick &&
	test "$PSM_NOW" = 2026-11-20T10:03:00Z
'

test_expect_success 'test_tick dates commits; test_commit_count counts them' '
	git init -q repo &&
	(
		cd repo &&
		test_tick &&
		git commit -q --allow-empty -m one &&
		test_tick &&
		git commit -q --allow-empty -m two &&
		test "$(test_commit_count)" = 2 &&
		test "$(test_commit_count HEAD^)" = 1 &&
		git log --format="%aI %cI %an" >actual &&
		cat >expect <<-\EOF &&
		2026-11-20T10:05:00+00:00 2026-11-20T10:05:00+00:00 A U Thor
		2026-11-20T10:04:00+00:00 2026-11-20T10:04:00+00:00 A U Thor
		EOF
		test_cmp expect actual
	)
'

test_expect_success 'test_tick inside a subshell still counts' '
	test "$PSM_NOW" = 2026-11-20T10:05:00Z
'

# ---- prerequisites ----------------------------------------------------------------

test_expect_success 'test_have_prereq: unknown, negated and lists' '
	! test_have_prereq NO_SUCH_PREREQ &&
	test_have_prereq !NO_SUCH_PREREQ &&
	! test_have_prereq !NO_SUCH_PREREQ,NO_OTHER &&
	test "$_psm_missing_prereq" = NO_OTHER
'

test_expect_success 'test_set_prereq in a test...' '
	test_set_prereq MADE_IN_A_TEST
'

test_expect_success MADE_IN_A_TEST '...is seen by later tests' '
	echo ran >prereq-test-ran
'

test_expect_success '...which really ran' '
	test -f prereq-test-ran
'

test_expect_success 'built-in prerequisites match what is installed' '
	if command -v jq >/dev/null
	then
		test_have_prereq JQ
	else
		! test_have_prereq JQ
	fi &&
	if command -v python3 >/dev/null && python3 -c "import yaml" 2>/dev/null
	then
		test_have_prereq PYYAML
	else
		! test_have_prereq PYYAML
	fi &&
	if test -d "$PSM_SOURCE_DIR/../shared/corpora"
	then
		test_have_prereq CORPORA
	else
		! test_have_prereq CORPORA
	fi &&
	if (command -v python3 >/dev/null && python3 -c "import pty") 2>/dev/null ||
	   command -v script >/dev/null
	then
		test_have_prereq TTY
	else
		! test_have_prereq TTY
	fi
'

# ---- test_terminal --------------------------------------------------------------

test_expect_success TTY 'test_terminal gives an 80x24 terminal' '
	test_terminal sh -c "test -t 0 && test -t 1 && test -t 2 && stty size" >out &&
	echo "24 80" >expect &&
	test_cmp expect out
'

test_expect_success TTY 'test_terminal types its stdin and keeps the status' '
	printf "hello\nworld\n" | test_terminal sh -c "read a && read b && echo \"\$b \$a\"" >out &&
	echo "world hello" >expect &&
	test_cmp expect out &&
	test_terminal sh -c "read a || echo eof" </dev/null >out &&
	echo eof >expect &&
	test_cmp expect out &&
	test_expect_code 3 test_terminal sh -c "exit 3"
'

test_expect_success TTY 'test_terminal keeps stderr apart (python3)' '
	if test "$_psm_tty_impl" = python
	then
		test_terminal sh -c "echo out; echo err >&2" >out 2>err &&
		test "$(cat out)" = out &&
		test "$(cat err)" = err
	fi
'

# ---- the test library as seen from outside ------------------------------------------

test_expect_success 'a passing script: TAP, skips, exit 0, trash removed' '
	write_sub_test sub-pass <<-\EOF &&
	test_expect_success "passes" "true"
	test_expect_success NO_SUCH_PREREQ "needs a missing prereq" "false"
	test_expect_success !NO_SUCH_PREREQ "negated missing prereq" "true"
	test_expect_success JQ,NO_SUCH_PREREQ,!NOT_THIS_ONE_EITHER "needs two" "false"
	test_expect_success "sets a prereq" "test_set_prereq MADE_HERE"
	test_expect_success MADE_HERE "uses it" "true"
	test_done
	EOF
	run_sub_test sub-pass &&
	test "$(cat sub-pass/exit-code)" = 0 &&
	missing=NO_SUCH_PREREQ &&
	if ! test_have_prereq JQ
	then
		missing=JQ,NO_SUCH_PREREQ
	fi &&
	cat >expect <<-EOF &&
	ok 1 - passes
	ok 2 # skip needs a missing prereq (missing NO_SUCH_PREREQ)
	ok 3 - negated missing prereq
	ok 4 # skip needs two (missing $missing)
	ok 5 - sets a prereq
	ok 6 - uses it
	# passed all 6 test(s)
	1..6
	EOF
	test_cmp expect sub-pass/out &&
	test ! -s sub-pass/err &&
	test ! -e "sub-pass/trash directory.sub-pass"
'

test_expect_success 'a failing script: not ok, the commands, stderr tail, exit 1' '
	write_sub_test sub-fail <<-\EOF &&
	test_expect_success "fails" "
	echo on-stdout &&
	echo diagnostic-on-stderr >&2 &&
	false
	"
	test_expect_success "passes after" "true"
	test_done
	EOF
	run_sub_test sub-fail &&
	test "$(cat sub-fail/exit-code)" = 1 &&
	trash="$TRASH_DIRECTORY/sub-fail/trash directory.sub-fail" &&
	{
		printf "%s\n" "not ok 1 - fails" &&
		printf "#\t%s\n" "" "echo on-stdout &&" \
			"echo diagnostic-on-stderr >&2 &&" "false" "" &&
		printf "%s\n" "# --- tail of stderr ($trash/.test-output/1.err) ---" \
			"# diagnostic-on-stderr" \
			"ok 2 - passes after" \
			"# failed 1 among 2 test(s)" \
			"1..2" \
			"# trash directory kept: $trash"
	} >expect &&
	test_cmp expect sub-fail/out &&
	test -d "$trash" &&
	test "$(cat "$trash/.test-output/1.out")" = on-stdout
'

test_expect_success 'test_must_fail on a crash fails the test (sub-test)' '
	write_sub_test sub-crash <<-\EOF &&
	test_expect_success "segfault" "test_must_fail sh -c \"kill -SEGV \\\$\\\$\""
	test_expect_success "sanitizer" "
	test_must_fail sh -c \"echo \\\"x.c:1:1: runtime error: null\\\" >&2; exit 1\"
	"
	test_expect_success "not found" "test_must_fail ./no-such-command"
	test_expect_success "orderly failure" "test_must_fail sh -c \"exit 1\""
	test_done
	EOF
	run_sub_test sub-crash &&
	test "$(cat sub-crash/exit-code)" = 1 &&
	grep "^not ok 1 - segfault\$" sub-crash/out &&
	grep "^# test_must_fail: died by signal 11" sub-crash/out &&
	grep "^not ok 2 - sanitizer\$" sub-crash/out &&
	grep "^# test_must_fail: sanitizer report" sub-crash/out &&
	grep "^not ok 3 - not found\$" sub-crash/out &&
	grep "^ok 4 - orderly failure\$" sub-crash/out &&
	grep "^# failed 3 among 4 test(s)\$" sub-crash/out
'

test_expect_success '-v and PSM_TEST_VERBOSE show the output; default hides it' '
	write_sub_test sub-verbose <<-\EOF &&
	test_expect_success "talks" "echo visible-output && echo visible-error >&2"
	test_done
	EOF
	run_sub_test sub-verbose &&
	test "$(cat sub-verbose/exit-code)" = 0 &&
	! grep visible sub-verbose/out &&
	test ! -s sub-verbose/err &&
	run_sub_test sub-verbose -v &&
	test "$(cat sub-verbose/exit-code)" = 0 &&
	grep -x visible-output sub-verbose/out &&
	grep -x "ok 1 - talks" sub-verbose/out &&
	grep -x visible-error sub-verbose/err &&
	run_sub_test sub-verbose PSM_TEST_VERBOSE=1 &&
	grep -x visible-output sub-verbose/out &&
	grep -x visible-error sub-verbose/err
'

test_expect_success '-i stops at the first failure' '
	run_sub_test sub-fail -i &&
	test "$(cat sub-fail/exit-code)" = 1 &&
	grep "^not ok 1 - fails" sub-fail/out &&
	! grep "passes after" sub-fail/out &&
	! grep "^1\.\." sub-fail/out
'

test_expect_success 'test_skip_all exits 77 with a TAP skip plan' '
	write_sub_test sub-skip <<-\EOF &&
	test_skip_all "nothing to do here"
	test_expect_success "never runs" "false"
	test_done
	EOF
	run_sub_test sub-skip &&
	test "$(cat sub-skip/exit-code)" = 77 &&
	echo "1..0 # SKIP nothing to do here" >expect &&
	test_cmp expect sub-skip/out &&
	test ! -e "sub-skip/trash directory.sub-skip"
'

test_expect_success 'a script that forgets test_done fails' '
	write_sub_test sub-no-done <<-\EOF &&
	test_expect_success "passes" "true"
	EOF
	run_sub_test sub-no-done &&
	test "$(cat sub-no-done/exit-code)" = 1 &&
	grep "^Bail out! .* without calling test_done" sub-no-done/out
'

test_expect_success 'a missing psm binary bails out' '
	write_sub_test sub-bail <<-\EOF &&
	test_expect_success "passes" "true"
	test_done
	EOF
	run_sub_test sub-bail PSM_BUILD_DIR=/nonexistent &&
	test "$(cat sub-bail/exit-code)" = 1 &&
	grep "^Bail out! no psm binary at /nonexistent/psm" sub-bail/out &&
	! grep "^ok" sub-bail/out &&
	test ! -e "sub-bail/trash directory.sub-bail"
'

test_done
