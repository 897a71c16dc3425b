#!/bin/sh

test_description='psm dup: duplicates and their reporters

The duplicate is closed as "duplicate" of the target and its reporters are
appended to the target'"'"'s, one entry per person; reopen takes them back;
chains and cycles are refused.'

. ./test-lib.sh

# reporters_of ID: one line per reporter entry, "email-or-contact via"
reporters_of () {
	sed -n "/^reporters:/,/^[a-z]/p" "$(path_of $1)" |
	awk '/^- / { if (line) print line; line = "" }
		/email:|contact:/ { sub(/.*(email|contact): /, ""); gsub(/["\047]/, ""); line = line $0 }
		/via:/ { sub(/.*via: /, ""); line = line " via " $0 }
		END { if (line) print line }'
}

test_expect_success 'setup' '
	psm init &&
	psm intake -t "Login broken" --source email \
		--reporter "Dana Ortiz <DANA@acme.example>" >target &&
	test_tick &&
	psm tag $(cat target) +login &&
	test_tick &&
	psm intake -t "Cannot sign in" --source chat \
		--reporter "Dana <dana@acme.example>" >dup &&
	# a second person on the duplicate, added by hand as psm intake takes one
	p=$(path_of $(cat dup)) &&
	sed "/^reporters:/a\\
- name: Eli\\
  contact: \"@eli\"\\
  channel: chat\\
  at: 2026-11-20T10:02:00Z" "$p" >tmp && mv tmp "$p" &&
	git commit -q -m "second reporter" "$p" &&
	psm check &&
	reporters_of $(cat dup) >r &&
	test_line_count = 2 r
'

test_expect_success 'dup closes the duplicate and moves its reporters, once per person' '
	before=$(test_commit_count) &&
	test_tick &&
	psm dup $(cat dup) --of $(cat target) >out &&
	test_cmp dup out &&
	test $(test_commit_count) = $((before + 1)) &&
	git show --stat --format= HEAD | grep -c "issues/" >n &&
	echo 2 >expect && test_cmp expect n &&
	git log -1 --format=%s >msg &&
	echo "psm dup $(cat dup): Cannot sign in" >expect &&
	test_cmp expect msg &&
	test "$(field $(cat dup) status)" = "\"closed\"" &&
	test "$(field $(cat dup) resolution)" = "\"duplicate\"" &&
	test "$(field $(cat dup) duplicate_of)" = "\"$(id_of $(cat target))\"" &&
	reporters_of $(cat target) >r &&
	cat >expect <<-EOF &&
	DANA@acme.example
	@eli via $(id_of $(cat dup))
	EOF
	test_cmp expect r &&
	test "$(field $(cat target) reporter_count)" = "2" &&
	psm check
'

test_expect_success 'the target shows its reporter count; the duplicate owes no follow-up' '
	psm list --format tsv >list &&
	grep "^$(id_of $(cat target))	" list | cut -f6 >n &&
	echo 2 >expect && test_cmp expect n &&
	psm list followup:pending --format tsv >pending &&
	test_line_count = 0 pending
'

test_expect_success 'dup again changes nothing' '
	before=$(git rev-parse HEAD) &&
	psm dup $(cat dup) --of $(cat target) 2>err &&
	grep "already a duplicate of" err &&
	test "$(git rev-parse HEAD)" = "$before"
'

test_expect_success 'reopen of the duplicate takes its reporters back, in the same commit' '
	before=$(test_commit_count) &&
	test_tick &&
	psm reopen $(cat dup) &&
	test $(test_commit_count) = $((before + 1)) &&
	git show --stat --format= HEAD | grep -c "issues/" >n &&
	echo 2 >expect && test_cmp expect n &&
	reporters_of $(cat target) >r &&
	echo DANA@acme.example >expect &&
	test_cmp expect r &&
	test "$(field $(cat dup) duplicate_of)" = "null" &&
	test "$(field $(cat dup) status)" = "\"triaged\"" &&
	psm check
'

test_expect_success 'close --resolution duplicate --duplicate-of does what dup does' '
	test_tick &&
	psm close $(cat dup) -r duplicate --duplicate-of $(cat target) &&
	git show --stat --format= HEAD | grep -c "issues/" >n &&
	echo 2 >expect && test_cmp expect n &&
	reporters_of $(cat target) >r &&
	test_line_count = 2 r &&
	grep "via $(id_of $(cat dup))" r
'

test_expect_success 'a duplicate cannot be closed another way without a reopen' '
	before=$(git rev-parse HEAD) &&
	test_must_fail psm close $(cat dup) -r fixed 2>err &&
	grep "closed as a duplicate of .* reopen it first" err &&
	test "$(git rev-parse HEAD)" = "$before"
'

test_expect_success 'a chain is refused: the target is itself a duplicate' '
	psm intake -t "Sign-in loop" --reporter "fay@example.com" >third &&
	before=$(git rev-parse HEAD) &&
	test_must_fail psm dup $(cat third) --of $(cat dup) 2>err &&
	grep "is itself a duplicate of .$(id_of $(cat target))." err &&
	test "$(git rev-parse HEAD)" = "$before" &&
	git status --porcelain --untracked-files=no >status &&
	test_line_count = 0 status
'

# A duplicate with duplicates of its own takes them along: t4065-dup-cluster.sh.

test_expect_success 'a cycle is refused' '
	test_must_fail psm dup $(cat target) --of $(cat dup) 2>err &&
	grep "is itself a duplicate" err &&
	test_must_fail psm dup $(cat target) --of $(cat target) 2>err &&
	grep "cannot be a duplicate of itself" err
'

test_expect_success 'a duplicate of one issue cannot be made a duplicate of another' '
	test_must_fail psm dup $(cat dup) --of $(cat third) 2>err &&
	grep "already a duplicate of" err
'

test_expect_success 'dup needs --of and one ID' '
	test_expect_code 129 psm dup $(cat third) 2>err &&
	grep "give --of" err &&
	test_expect_code 129 psm dup --of $(cat target) 2>err &&
	test_expect_code 129 psm dup $(cat third) $(cat dup) --of $(cat target) 2>err &&
	test_must_fail psm dup $(cat third) --of ZZZZZZZZ 2>err
'

test_expect_success 'a duplicate of a closed, followed-up issue makes its follow-up owed again' '
	test_tick &&
	psm close $(cat target) -r fixed &&
	psm followup $(cat target) --done &&
	psm list followup:pending --format tsv >pending &&
	test_line_count = 0 pending &&
	test_tick &&
	psm dup --format json $(cat third) --of $(cat target) -m "Same bug." >json &&
	grep "\"resolution\": \"duplicate\"" json &&
	grep "Same bug\." json &&
	psm list followup:pending --format tsv >pending &&
	test_line_count = 1 pending &&
	grep "^$(id_of $(cat target))" pending &&
	reporters_of $(cat target) >r &&
	test_line_count = 3 r
'

test_expect_success 'dup --no-commit writes both files only' '
	psm intake -t "Fourth" --reporter "gus@example.com" >fourth &&
	before=$(git rev-parse HEAD) &&
	psm dup --no-commit $(cat fourth) --of $(cat target) &&
	test "$(git rev-parse HEAD)" = "$before" &&
	git status --porcelain --untracked-files=no >status &&
	test_line_count = 2 status &&
	git checkout -- issues
'

test_done
