#!/bin/sh

test_description='psm close and psm reopen

Resolutions from the config, the release note section, the first close
time kept across reopens, the reopen count, and the refusals.'

. ./test-lib.sh

test_expect_success 'setup' '
	psm init &&
	psm intake -t "Login fails" -m "It fails." --source email \
		--reporter "Dana <dana@acme.example>" >id1 &&
	psm intake -t "No reporter here" >id2
'

test_expect_success 'close sets status, closed, resolution and first_closed in one commit' '
	id=$(cat id1) &&
	before=$(test_commit_count) &&
	test_tick &&
	psm close $id --resolution fixed >out &&
	test_cmp id1 out &&
	test $(test_commit_count) = $((before + 1)) &&
	test "$(field $id status)" = "\"closed\"" &&
	test "$(field $id resolution)" = "\"fixed\"" &&
	test "$(field $id closed)" = "\"2026-11-20T10:01:00Z\"" &&
	test "$(field $id first_closed)" = "\"2026-11-20T10:01:00Z\"" &&
	git log -1 --format=%s >msg &&
	echo "psm close $id: Login fails" >expect &&
	test_cmp expect msg &&
	git show --stat --format= HEAD | grep -c "issues/" >n &&
	echo 1 >expect &&
	test_cmp expect n &&
	psm check
'

test_expect_success 'a closed issue with reporters owes a follow-up' '
	psm list followup:pending --format tsv >list &&
	test_line_count = 1 list &&
	grep "^$(cat id1)" list
'

test_expect_success 'closing again the same way changes nothing' '
	id=$(cat id1) &&
	before=$(git rev-parse HEAD) &&
	psm close $id --resolution fixed 2>err &&
	grep "already closed as fixed" err &&
	test "$(git rev-parse HEAD)" = "$before"
'

test_expect_success 'close --release-note writes the Release note section' '
	id=$(cat id1) &&
	test_tick &&
	psm close $id -r fixed --release-note "Signing in after a password reset
works again." &&
	sed -n "/^## Release note/,\$p" "$(path_of $id)" >section &&
	cat >expect <<-\EOF &&
	## Release note

	Signing in after a password reset works again.
	EOF
	test_cmp expect section &&
	# a re-close keeps the close time
	test "$(field $id closed)" = "\"2026-11-20T10:01:00Z\""
'

test_expect_success 'a new release note replaces the old one' '
	id=$(cat id1) &&
	psm close $id -r fixed --release-note "Password resets no longer break sign-in." &&
	sed -n "/^## Release note/,\$p" "$(path_of $id)" >section &&
	cat >expect <<-\EOF &&
	## Release note

	Password resets no longer break sign-in.
	EOF
	test_cmp expect section &&
	grep -c "^## Release note" "$(path_of $id)" >n &&
	echo 1 >expect && test_cmp expect n
'

test_expect_success 'close -m adds a note to the timeline' '
	id=$(cat id2) &&
	test_tick &&
	psm close $id -r answered -m "Answered on the phone." &&
	grep "^### 2026-11-20T10:03:00Z note — author@example.com\$" "$(path_of $id)" &&
	grep "^Answered on the phone.\$" "$(path_of $id)" &&
	test "$(field $id responded)" = "null"
'

test_expect_success 'an issue without reporters owes no follow-up' '
	psm list followup:pending --format tsv >list &&
	! grep "^$(cat id2)" list
'

test_expect_success 'close refusals: no resolution, unknown resolution, duplicate without target' '
	psm intake -t "Open one" >id3 &&
	id=$(cat id3) &&
	before=$(git rev-parse HEAD) &&
	test_expect_code 129 psm close $id 2>err &&
	grep "give --resolution (fixed, documented, answered, wontfix, duplicate, cannot-reproduce)" err &&
	test_must_fail psm close $id --resolution done 2>err &&
	grep "unknown resolution .done. (the config.s resolutions: fixed, documented" err &&
	test_expect_code 129 psm close $id --resolution duplicate 2>err &&
	grep "needs --duplicate-of" err &&
	test_expect_code 129 psm close $id --resolution fixed --duplicate-of $(cat id1) 2>err &&
	grep "goes with --resolution duplicate" err &&
	test_must_fail psm close $id --resolution fixed --release-note "  " 2>err &&
	grep "release note is empty" err &&
	test_expect_code 129 psm close -r fixed 2>err &&
	test "$(git rev-parse HEAD)" = "$before" &&
	git status --porcelain --untracked-files=no >status &&
	test_line_count = 0 status
'

test_expect_success 'reopen: triaged, close fields gone, counted, first close kept' '
	id=$(cat id1) &&
	test_tick &&
	psm reopen $id -m "Dana says it is back." >out &&
	test_cmp id1 out &&
	test "$(field $id status)" = "\"triaged\"" &&
	test "$(field $id closed)" = "null" &&
	test "$(field $id resolution)" = "null" &&
	test "$(field $id reopened)" = "1" &&
	test "$(field $id first_closed)" = "\"2026-11-20T10:01:00Z\"" &&
	grep "^reopened: 1\$" "$(path_of $id)" &&
	grep "^Dana says it is back.\$" "$(path_of $id)" &&
	git log -1 --format=%s | grep "^psm reopen $id: Login fails\$" &&
	psm check
'

test_expect_success 'a second close keeps first_closed; a second reopen counts 2' '
	id=$(cat id1) &&
	test_tick &&
	psm close $id -r fixed &&
	test "$(field $id closed)" = "\"2026-11-20T10:05:00Z\"" &&
	test "$(field $id first_closed)" = "\"2026-11-20T10:01:00Z\"" &&
	test_tick &&
	psm reopen $id &&
	grep "^reopened: 2\$" "$(path_of $id)" &&
	psm check
'

test_expect_success 'reopen clears the follow-up record' '
	id=$(cat id1) &&
	psm close $id -r fixed &&
	psm followup $id --done &&
	grep "^followups:" "$(path_of $id)" &&
	psm reopen $id &&
	! grep "^followups\?:" "$(path_of $id)"
'

test_expect_success 'reopen of an open issue is refused' '
	id=$(cat id3) &&
	before=$(git rev-parse HEAD) &&
	test_must_fail psm reopen $id 2>err &&
	grep "is not closed" err &&
	test "$(git rev-parse HEAD)" = "$before" &&
	test_expect_code 129 psm reopen 2>err
'

test_expect_success 'close and reopen --format json print the resulting issue' '
	id=$(cat id3) &&
	psm close --format json $id -r wontfix >json &&
	grep "\"resolution\": \"wontfix\"" json &&
	psm reopen --format json $id >json &&
	grep "\"reopened\": 1," json &&
	grep "\"status\": \"triaged\"" json
'

test_expect_success 'close --no-commit writes the file only' '
	id=$(cat id3) &&
	before=$(git rev-parse HEAD) &&
	psm close --no-commit $id -r fixed &&
	test "$(git rev-parse HEAD)" = "$before" &&
	git status --porcelain --untracked-files=no >status &&
	test_line_count = 1 status &&
	git checkout -- issues
'

test_expect_success 'the diff of a close touches only the close fields' '
	id=$(cat id3) &&
	test_tick &&
	psm close $id -r fixed &&
	git diff HEAD~1 -U0 | grep "^[-+][a-z]" >changed &&
	! grep -v -e "^[-+]status:" -e "^[-+]closed:" -e "^[-+]resolution:" \
		-e "^[-+]updated:" changed
'

test_done
