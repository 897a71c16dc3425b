#!/bin/sh

test_description='psm rate: customer satisfaction

Ratings are recorded in "ratings" with the value, the reporter, the time
and a comment; the reporter must be one of the issue'"'"'s.'

. ./test-lib.sh

test_expect_success 'setup' '
	psm init &&
	psm intake -t "Login fails" --reporter "Dana Ortiz <dana@acme.example>" >id1 &&
	psm intake -t "Two people" --reporter "Eli <eli@example.com>" >id2 &&
	p=$(path_of $(cat id2)) &&
	sed "/^created:/i\\
- name: Fay\\
  contact: \"@fay\"\\
  channel: chat" "$p" >tmp && mv tmp "$p" &&
	git commit -q -m "second reporter" "$p" &&
	psm close $(cat id1) -r fixed
'

test_expect_success 'rate good: the only reporter is implied; one commit' '
	before=$(test_commit_count) &&
	test_tick &&
	psm rate $(cat id1) good >out &&
	test_cmp id1 out &&
	test $(test_commit_count) = $((before + 1)) &&
	sed -n "/^ratings:/,/^[a-z]/p" "$(path_of $(cat id1))" >r &&
	cat >expect <<-\EOF &&
	ratings:
	- value: good
	  reporter: dana@acme.example
	  at: 2026-11-20T10:01:00Z
	EOF
	head -n 4 r >r4 &&
	test_cmp expect r4 &&
	git log -1 --format=%s | grep "^psm rate $(cat id1): Login fails\$" &&
	psm check
'

test_expect_success 'rate bad with a reporter (any case) and a comment replaces their rating' '
	test_tick &&
	psm rate $(cat id1) bad --reporter DANA@acme.example -m "Took a week." &&
	sed -n "/^ratings:/,/^[a-z]/p" "$(path_of $(cat id1))" >r &&
	cat >expect <<-\EOF &&
	ratings:
	- value: bad
	  reporter: dana@acme.example
	  at: 2026-11-20T10:02:00Z
	  comment: Took a week.
	EOF
	head -n 5 r >r5 &&
	test_cmp expect r5
'

test_expect_success 'the reporter may be named by contact or name' '
	psm rate $(cat id2) good --reporter @fay &&
	grep "reporter: .@fay." "$(path_of $(cat id2))" &&
	psm rate $(cat id2) good --reporter eli &&
	grep "reporter: eli@example.com" "$(path_of $(cat id2))"
'

test_expect_success 'with several reporters and none given, the rating is refused' '
	test_must_fail psm rate --format json $(cat id2) bad >json 2>err &&
	grep "say who rated it with --reporter (reporters: eli@example.com, @fay)" err
'

test_expect_success 'refusals: a stranger, a bad value, missing arguments' '
	before=$(git rev-parse HEAD) &&
	test_must_fail psm rate $(cat id1) good --reporter zed@example.com 2>err &&
	grep "not a reporter of this issue (reporters: dana@acme.example)" err &&
	test_expect_code 129 psm rate $(cat id1) great 2>err &&
	grep "good. or .bad" err &&
	test_expect_code 129 psm rate $(cat id1) 2>err &&
	test_expect_code 129 psm rate 2>err &&
	test_must_fail psm rate ZZZZZZZZ good 2>err &&
	test "$(git rev-parse HEAD)" = "$before" &&
	git status --porcelain --untracked-files=no >status &&
	test_line_count = 0 status
'

test_expect_success 'rate --no-commit writes the file only' '
	before=$(git rev-parse HEAD) &&
	psm rate --no-commit $(cat id1) good &&
	test "$(git rev-parse HEAD)" = "$before" &&
	git status --porcelain --untracked-files=no >status &&
	test_line_count = 1 status &&
	git checkout -- issues
'

test_done
