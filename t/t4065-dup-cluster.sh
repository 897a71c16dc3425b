#!/bin/sh

test_description='psm dup merges clusters

psm dup A --of B when A already has duplicates: they move to B with their
reporters, A becomes a duplicate of B, all in one commit; no chain is
left, B counts everyone, and a reopen takes people back as before.'

. ./test-lib.sh

# reporters_of ID: "email via" per reporter
reporters_of () {
	psm show --format json "$1" |
	awk '/^  "reporters": \[/ { on = 1; next } on && /^  \]/ { exit }
		on && /"email":/ { e = $2 } on && /"via":/ { v = $2 }
		on && /^    }/ { print e, (v == "" ? "-" : v); e = v = "" }' | tr -d '",'
}

test_expect_success 'setup: a cluster of three, and the issue it duplicates' '
	psm init &&
	psm intake -t "Login fails after reset" --reporter "dana@acme.example" >A &&
	psm intake -t "Cannot log in after password reset" --reporter "eve@beta.example" >X 2>/dev/null &&
	psm intake -t "Password reset breaks login" --reporter "fay@gamma.example" >Y 2>/dev/null &&
	psm intake -t "Sign-in broken since the reset mail" --reporter "gus@delta.example" >B 2>/dev/null &&
	psm dup $(cat X) --of $(cat A) &&
	psm dup $(cat Y) --of $(cat A) &&
	reporters_of $(cat A) >r &&
	test_line_count = 3 r
'

test_expect_success 'dup A --of B moves A'"'"'s duplicates to B, in one commit' '
	before=$(test_commit_count) &&
	test_tick &&
	psm dup $(cat A) --of $(cat B) >out 2>err &&
	test_cmp A out &&
	test $(test_commit_count) = $((before + 1)) &&
	git show --stat --format=%s HEAD >show &&
	head -1 show >subject &&
	echo "psm dup $(cat A): Login fails after reset" >expect &&
	test_cmp expect subject &&
	grep "4 files changed" show &&
	grep "^moved 2 duplicates of $(cat A) to $(cat B), with their reporters: " err &&
	grep "$(cat X)" err && grep "$(cat Y)" err &&
	git status --porcelain --untracked-files=no >st &&
	test_line_count = 0 st &&
	psm check
'

test_expect_success 'B has everyone, each brought by their own duplicate; no chain is left' '
	b=$(id_of $(cat B)) &&
	test "$(field $(cat A) duplicate_of)" = "\"$b\"" &&
	test "$(field $(cat X) duplicate_of)" = "\"$b\"" &&
	test "$(field $(cat Y) duplicate_of)" = "\"$b\"" &&
	test "$(field $(cat X) resolution)" = "\"duplicate\"" &&
	reporters_of $(cat B) | sort >r &&
	sort >expect <<-EOF &&
	gus@delta.example -
	eve@beta.example $(id_of $(cat X))
	fay@gamma.example $(id_of $(cat Y))
	dana@acme.example $(id_of $(cat A))
	EOF
	test_cmp expect r &&
	reporters_of $(cat A) >r &&
	echo "dana@acme.example -" >expect &&
	test_cmp expect r &&
	test "$(field $(cat B) reporter_count)" = 4
'

test_expect_success 'a reopen takes a moved duplicate'"'"'s people back from B' '
	psm reopen $(cat X) &&
	reporters_of $(cat B) >r &&
	! grep eve@beta.example r &&
	test_line_count = 3 r
'

test_expect_success 'the reverse of a duplicate is refused, nothing written' '
	psm intake -t "Export slow" --reporter "h@x.example" >C &&
	psm intake -t "Export very slow" --reporter "i@x.example" >D &&
	psm dup $(cat D) --of $(cat C) &&
	before=$(git rev-parse HEAD) &&
	test_must_fail psm dup $(cat C) --of $(cat D) 2>err &&
	grep "fatal: .$(cat D). is itself a duplicate of .$(cat C).: reopen it first (psm reopen $(cat D))" err &&
	test "$(git rev-parse HEAD)" = "$before"
'

test_expect_success 'moved onto a closed, followed-up issue, the newcomers are owed' '
	psm intake -t "Export crashes" --reporter "j@x.example" >E &&
	psm close $(cat E) -r fixed &&
	psm followup $(cat E) --done &&
	psm dup $(cat C) --of $(cat E) &&
	psm followup >out &&
	grep "^  to h@x.example via other\$" out &&
	grep "^  to i@x.example via other\$" out &&
	grep "^  told j@x.example " out
'

test_done
