#!/bin/sh
test_description='psm status: in-progress, blocked and back'
. ./test-lib.sh

test_expect_success 'setup' '
	git init -q store && cd store && psm init >/dev/null &&
	psm intake -t "Export hangs" --reporter "Ann <ann@example.com>" >../id
'

test_expect_success 'status in-progress: one commit, only the status and updated lines' '
	cd store && id=$(cat ../id) &&
	test_tick &&
	psm status $id in-progress >out &&
	test_cmp ../id out &&
	git log -1 --format=%s >msg &&
	grep "^psm in-progress $id: Export hangs\$" msg &&
	git show --stat --format= HEAD >stat &&
	test_line_count = 2 stat &&
	git diff HEAD~1 -U0 | grep "^[-+][a-z]" >changed &&
	printf "%s\n" "-status: new" "+status: in-progress" "-updated: 2026-11-20T10:00:00Z" "+updated: 2026-11-20T10:01:00Z" >expect &&
	test_cmp expect changed
'

test_expect_success 'blocked with a reason adds a note to the timeline' '
	cd store && id=$(cat ../id) &&
	psm status $id blocked -m "waiting on the payment provider" &&
	psm show --format json $id >json &&
	grep "\"status\": \"blocked\"" json &&
	psm show --format md $id >md &&
	grep "^## Timeline" md &&
	grep "waiting on the payment provider" md &&
	psm list status:blocked --format tsv >list &&
	test_line_count = 1 list
'

test_expect_success 'same status again makes no commit' '
	cd store && id=$(cat ../id) &&
	before=$(git rev-list --count HEAD) &&
	psm status $id blocked 2>err &&
	test "$(git rev-list --count HEAD)" = "$before"
'

test_expect_success 'refuses closed, parked and new with the command to use' '
	cd store && id=$(cat ../id) &&
	test_must_fail psm status $id closed 2>err &&
	grep "psm close" err &&
	test_must_fail psm status $id parked 2>err &&
	grep "psm park" err &&
	test_must_fail psm status $id new 2>err &&
	grep "psm reopen" err
'

test_expect_success 'refuses a status not in the config, naming the list' '
	cd store && id=$(cat ../id) &&
	test_must_fail psm status $id doing 2>err &&
	grep "doing" err && grep "in-progress" err
'

test_expect_success 'refuses a closed issue' '
	cd store && id=$(cat ../id) &&
	psm close $id --resolution fixed >/dev/null &&
	test_must_fail psm status $id in-progress 2>err &&
	grep "reopen" err
'

test_done
