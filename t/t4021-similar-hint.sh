#!/bin/sh

test_description='the intake hint reads similar.inv in place

psm intake answers "likely duplicates?" from <gitdir>/psm/similar.inv and
the shards whose directory changed since, not from the whole index, so it
costs the same at any store size; what it re-read goes to similar.log.'

. ./test-lib.sh
. "$TEST_DIRECTORY"/lib-similar.sh

test_expect_success 'setup: a store with an index' '
	take_in_first_reports &&
	psm similar $(cat signin) >/dev/null &&
	test -f .git/psm/similar.inv &&
	! test -e .git/psm/similar.log
'

test_expect_success 'an intake hints from similar.inv and logs only what it re-read' '
	psm intake -t "Login fails once the password was reset" \
		-m "I reset my password and now login says my credentials are invalid." >login 2>err &&
	test_line_count = 1 login &&
	grep "^hint:  *0\.[0-9][0-9]  $(cat signin)  new  *Cannot sign in after password reset" err &&
	test -f .git/psm/similar.log &&
	grep -a "$(cat login)" .git/psm/similar.log &&
	! grep -a "$(cat csv)" .git/psm/similar.log
'

test_expect_success 'issues taken in by a teammate arrive by git pull and are hinted' '
	test_tick &&
	git clone -q . mate &&
	echo mate >>.git/info/exclude &&
	(
		cd mate &&
		psm intake -t "Dark theme for the settings dashboard" -m "Dark mode please." >../mate-id
	) &&
	git pull -q mate HEAD &&
	test_tick &&
	psm intake -t "Please add a dark mode to the dashboard" -m "A dark theme for night work." \
		>/dev/null 2>err &&
	grep "$(cat mate-id)" err &&
	grep "$(cat dark)" err
'

test_expect_success 'an issue removed by git is no longer hinted' '
	test_tick &&
	git rm -q "$(path_of $(cat mate-id))" &&
	git commit -q -m "drop it" &&
	psm intake -t "Dark mode on the dashboard at night" >/dev/null 2>err &&
	grep "$(cat dark)" err &&
	! grep "$(cat mate-id)" err
'

test_expect_success 'a damaged or missing similar.inv is rebuilt by the next intake' '
	test_tick &&
	printf "PSMINV2\\n garbage" >.git/psm/similar.inv &&
	psm intake -t "CSV export misses its final row" >/dev/null 2>err &&
	grep "$(cat csv)" err &&
	test "$(head -c 8 .git/psm/similar.inv)" = PSMINV2 &&
	test $(wc -c <.git/psm/similar.inv) -gt 100 &&
	rm .git/psm/similar.inv &&
	test_tick &&
	psm intake -t "The CSV export loses a row" >/dev/null 2>err &&
	grep "$(cat csv)" err &&
	test -f .git/psm/similar.inv
'

test_expect_success 'psm similar folds the log into a new similar.inv' '
	test_tick &&
	psm intake -t "Password reset then no login" >/dev/null 2>&1 &&
	test -f .git/psm/similar.log &&
	psm similar $(cat signin) >/dev/null &&
	! test -e .git/psm/similar.log
'

test_expect_success 'past PSM_TEST_SIMILAR_LOG_MAX logged issues the hint folds the log itself' '
	test_tick &&
	psm intake -t "Sign in broken after reset" >/dev/null 2>&1 &&
	test -f .git/psm/similar.log &&
	test_tick &&
	PSM_TEST_SIMILAR_LOG_MAX=0 psm intake -t "Reset password, cannot sign in" \
		>/dev/null 2>err &&
	grep "$(cat signin)" err &&
	! test -e .git/psm/similar.log
'

test_expect_success 'a fold due: the hint answers from the log, then the intake folds it' '
	test_tick &&
	psm intake -t "Sign-in loop after a password reset" >/dev/null 2>&1 &&
	test -f .git/psm/similar.log &&
	cp .git/psm/similar.inv inv-before &&
	test_tick &&
	PSM_TEST_SIMILAR_LOG_MAX=1 psm intake -t "Password reset, sign in refused" \
		>/dev/null 2>err &&
	grep "$(cat signin)" err &&
	! test -e .git/psm/similar.log &&
	! test -e .git/psm/similar.lock &&
	! cmp -s inv-before .git/psm/similar.inv
'

test_expect_success 'a fold while another process holds similar.lock: left to that one' '
	test_tick &&
	psm intake -t "Cannot sign in since the reset" >/dev/null 2>&1 &&
	echo $$ >.git/psm/similar.lock &&
	test_tick &&
	PSM_TEST_SIMILAR_LOG_MAX=1 psm intake -t "Reset my password, still no sign in" \
		>/dev/null 2>err &&
	grep "$(cat signin)" err &&
	test -f .git/psm/similar.log &&
	test "$(cat .git/psm/similar.lock)" = $$
'

test_expect_success 'a lock left by a dead process is taken over' '
	sh -c "echo \$\$" >.git/psm/similar.lock &&
	test_tick &&
	PSM_TEST_SIMILAR_LOG_MAX=1 psm intake -t "Sign in fails: password reset" \
		>/dev/null 2>err &&
	grep "$(cat signin)" err &&
	! test -e .git/psm/similar.log &&
	! test -e .git/psm/similar.lock
'

test_expect_success 'psm.autoDetach (the default): a detached psm folds, the intake does not wait' '
	test_tick &&
	psm intake -t "No sign in after resetting the password" >/dev/null 2>&1 &&
	test -f .git/psm/similar.log &&
	cp .git/psm/similar.inv inv-before &&
	test_tick &&
	git config psm.autoDetach true &&
	# the child folds only once fold-go exists: the intake has returned
	# (and released its output) before, with the log still there
	id=$(PSM_TEST_SIMILAR_LOG_MAX=1 PSM_TEST_FOLD_WAIT="$PWD/fold-go" \
		psm intake -t "Password reset broke sign in" 2>err) &&
	git config --unset psm.autoDetach &&
	test -n "$id" &&
	grep "$(cat signin)" err &&
	test -f .git/psm/similar.log &&
	cmp inv-before .git/psm/similar.inv &&
	: >fold-go &&
	i=0 &&
	while { test -e .git/psm/similar.log || test -e .git/psm/similar.lock; } &&
		test $i -lt 600
	do
		sleep 0.1
		i=$((i + 1))
	done &&
	! test -e .git/psm/similar.log &&
	! test -e .git/psm/similar.lock &&
	! cmp -s inv-before .git/psm/similar.inv &&
	psm similar "$id" >hits &&
	grep "$(cat signin)" hits
'

test_expect_success 'a bad psm.autoDetach stops every command, naming the key' '
	git config psm.autoDetach maybe &&
	test_must_fail psm list 2>err &&
	grep "psm.autoDetach" err &&
	git config --unset psm.autoDetach
'

test_expect_success 'the files are never committed' '
	git status --porcelain --untracked-files=all >st &&
	! grep similar st &&
	! git log --all --format= --name-only | grep similar
'

test_done
