#!/bin/sh

test_description='failed writes leave the store as it was

A write cut short (file size limit) or refused (read-only folder) leaves no
issue file, no temporary file, no lock and no commit; the next write works.
The C unit test t/unit/test-store.c checks the temporary file + rename
underneath (an old file stays whole when the new one cannot be written).'

. ./test-lib.sh

# store_as_before: no commit since "mark", nothing new in the work tree, no
# temporary file anywhere, no lock.
store_as_before () {
	test "$(git rev-parse HEAD)" = "$(cat .git/mark)" &&
	test -z "$(git status --porcelain --untracked-files=all)" &&
	find . -name ".git" -prune -o -name "*.tmp*" -print >temps &&
	test_line_count = 0 temps &&
	test ! -e .git/psm/lock
}

test_expect_success 'setup' '
	psm init &&
	printf "%s\n" big.md err out temps >>.git/info/exclude &&
	i=0 &&
	while test $i -lt 2000
	do
		echo "Line $i of a long customer e-mail pasted into the body." || return 1
		i=$((i + 1))
	done >big.md &&
	psm intake -t "before" >/dev/null
'

test_expect_success 'a write cut short by a file size limit leaves nothing behind' '
	git rev-parse HEAD >.git/mark &&
	test_must_fail sh -c "ulimit -f 16 && exec psm intake -t huge -F big.md" 2>err &&
	grep "could not write" err &&
	store_as_before &&
	! grep -rl "huge" issues
'

test_expect_success 'the next write works' '
	psm intake -t "after" -F big.md >out &&
	test "$(git log -1 --format=%s)" = "psm intake $(cat out): after" &&
	psm check
'

test_expect_success NOT_ROOT 'a read-only issues folder: clear error, nothing written' '
	git rev-parse HEAD >.git/mark &&
	chmod a-w issues issues/* &&
	test_expect_code 128 psm intake -t "read-only" 2>err &&
	chmod u+w issues issues/* &&
	grep "could not" err &&
	store_as_before
'

test_expect_success 'a failed commit puts the file back' '
	git rev-parse HEAD >.git/mark &&
	: >.git/index.lock &&
	test_expect_code 128 psm intake -t "index locked" 2>err &&
	rm -f .git/index.lock &&
	grep "index" err &&
	store_as_before &&
	! grep -rl "index locked" issues
'

test_done
