#!/bin/sh

test_description='psm rate: every rating names who gave it, once per person

With several reporters a rating must say whose it is (the error lists
them); a second rating by the same person replaces the first, in one
commit, so satisfaction counts people, not clicks.'

. ./test-lib.sh

test_expect_success 'setup: an issue two people reported' '
	psm init &&
	psm intake -t "Export drops the last row" --reporter "Ann <ann@acme.example>" >A &&
	psm intake -t "CSV export is missing a row" --reporter "Bob <bob@beta.example>" >B &&
	psm dup $(cat B) --of $(cat A) >/dev/null &&
	psm close $(cat A) -r fixed >/dev/null
'

test_expect_success 'several reporters and none named: refused, listing them' '
	before=$(git rev-parse HEAD) &&
	test_must_fail psm rate $(cat A) good 2>err &&
	grep "^fatal: several people reported .$(cat A).: say who rated it with --reporter (reporters: ann@acme.example, bob@beta.example)\$" err &&
	test "$(git rev-parse HEAD)" = "$before" &&
	! grep "^ratings:" "$(path_of $(cat A))"
'

test_expect_success 'the same person rating again replaces their rating, in one commit' '
	test_tick &&
	psm rate $(cat A) bad --reporter ann@acme.example -m "Took a week." >/dev/null &&
	test_tick &&
	psm rate $(cat A) good --reporter bob@beta.example >/dev/null &&
	before=$(test_commit_count) &&
	test_tick &&
	psm rate $(cat A) good --reporter ANN@acme.example -m "Works now." >/dev/null &&
	test $(test_commit_count) = $((before + 1)) &&
	sed -n "/^ratings:/,/^[a-z]/p" "$(path_of $(cat A))" | sed "\$d" >r &&
	cat >expect <<-EOF &&
	ratings:
	- value: good
	  reporter: ann@acme.example
	  at: $PSM_NOW
	  comment: Works now.
	- value: good
	  reporter: bob@beta.example
	  at: 2026-11-20T10:02:00Z
	EOF
	test_cmp expect r &&
	git show --stat --format= HEAD >stat &&
	grep "1 file changed" stat &&
	psm check
'

test_expect_success 'satisfaction counts each person once' '
	psm stats --since 2026-11-01 --format json >json &&
	grep "\"good\": 2," json &&
	grep "\"bad\": 0," json
'

test_done
