#!/bin/sh

test_description='psm edit ID on a terminal: the issue file in $VISUAL, like visudo

The file is checked on save as psm check would; a problem is shown with
its line, and psm offers to edit again or abort; nothing is written until
the file is valid, and nothing when someone else wrote the issue
meanwhile. A file psm cannot read at all can be fixed this way too.'

. ./test-lib.sh

# The editor runs the script in $HOME/steps/N for its Nth run (the file is $1).
test_expect_success 'setup' '
	psm init &&
	cat >ed.sh <<-\EOF &&
	#!/bin/sh
	n=$(cat "$HOME/runs" 2>/dev/null || echo 0)
	n=$((n + 1))
	echo $n >"$HOME/runs"
	. "$HOME/steps/$n"
	EOF
	chmod +x ed.sh &&
	mkdir steps &&
	psm intake -t "Login broken" --source email \
		--reporter "Dana Ortiz <dana@acme.example>" -m "It fails." >id &&
	path=$(ls issues/*/*.md) &&
	echo "$path" >path
'

fresh_steps () {
	rm -f "$HOME/runs" "$HOME"/steps/*
}

test_expect_success TTY 'a valid edit: one commit, updated set, the rest as typed' '
	fresh_steps &&
	cat >steps/1 <<-\EOF &&
	sed -e "s/^title: .*/title: Login broken after a reset/" \
	    -e "/^source:/i\\
	# asked about on the phone too" -e "s/^It fails\\.\$/It fails on Safari./" "$1" >"$1.new"
	mv "$1.new" "$1"
	EOF
	before=$(test_commit_count) &&
	test_tick &&
	VISUAL="\"$HOME/ed.sh\"" test_terminal psm edit $(cat id) </dev/null >out 2>err &&
	test $(test_commit_count) = $((before + 1)) &&
	git log -1 --format=%s >msg &&
	echo "psm edit $(cat id): Login broken after a reset" >expect &&
	test_cmp expect msg &&
	grep "^# asked about on the phone too\$" $(cat path) &&
	grep "^It fails on Safari.\$" $(cat path) &&
	grep "^updated: 2026-11-20T10:01:00Z\$" $(cat path) &&
	! ls .git/PSM_EDIT_* &&
	psm check
'

test_expect_success TTY 'unchanged: nothing to change, no commit' '
	fresh_steps &&
	: >steps/1 &&
	before=$(git rev-parse HEAD) &&
	VISUAL="\"$HOME/ed.sh\"" test_terminal psm edit $(cat id) </dev/null >out 2>err &&
	grep "nothing to change" err &&
	test "$(git rev-parse HEAD)" = "$before"
'

test_expect_success TTY 'a problem is shown with its line; e edits again; only then written' '
	fresh_steps &&
	cp $(cat path) orig.md &&
	cat >steps/1 <<-\EOF &&
	sed "s/^status: new/status: done/" "$1" >"$1.new" && mv "$1.new" "$1"
	EOF
	cat >steps/2 <<-\EOF &&
	# nothing was written while the user fixes it
	cmp "$HOME/orig.md" "$HOME/$(cat "$HOME/path")" || exit 1
	grep "^status: done" "$1" || exit 1
	sed "s/^status: done/status: triaged/" "$1" >"$1.new" && mv "$1.new" "$1"
	EOF
	before=$(test_commit_count) &&
	echo e | VISUAL="\"$HOME/ed.sh\"" test_terminal psm edit $(cat id) >out 2>err &&
	grep "^$(cat path):4:9: error: status .done. is not in the config.s statuses" err &&
	grep "(e)dit the file again, (a)bort" err &&
	test "$(cat runs)" = 2 &&
	test $(test_commit_count) = $((before + 1)) &&
	grep "^status: triaged\$" $(cat path)
'

test_expect_success TTY 'abort: nothing written, what was typed is kept' '
	fresh_steps &&
	cp $(cat path) orig.md &&
	cat >steps/1 <<-\EOF &&
	sed "s/^id: .*/id: 0000000000/" "$1" >"$1.new" && mv "$1.new" "$1"
	EOF
	before=$(git rev-parse HEAD) &&
	echo a | VISUAL="\"$HOME/ed.sh\"" test_expect_code 1 test_terminal psm edit $(cat id) >out 2>err &&
	grep "error: id .0000000000. does not match the file name" err &&
	grep "nothing was written; what you typed is in .*PSM_EDIT_$(cat id).md" err &&
	grep "^id: 0000000000" .git/PSM_EDIT_$(cat id).md &&
	test_cmp orig.md $(cat path) &&
	test "$(git rev-parse HEAD)" = "$before"
'

test_expect_success TTY 'the text an abort kept is never overwritten by the next edit' '
	fresh_steps &&
	: >steps/1 &&
	VISUAL="\"$HOME/ed.sh\"" test_must_fail test_terminal psm edit $(cat id) </dev/null >out 2>err &&
	grep "an earlier psm edit of .$(cat id). left its text in .*PSM_EDIT_$(cat id).md" err &&
	! test -f runs &&
	grep "^id: 0000000000" .git/PSM_EDIT_$(cat id).md &&
	rm .git/PSM_EDIT_$(cat id).md
'

test_expect_success TTY 'someone else writes the issue meanwhile: nothing is overwritten' '
	fresh_steps &&
	cat >steps/1 <<-\EOF &&
	psm tag "$(cat "$HOME/id")" +safari >/dev/null || exit 1
	sed "s/^title: .*/title: Mine/" "$1" >"$1.new" && mv "$1.new" "$1"
	EOF
	VISUAL="\"$HOME/ed.sh\"" test_must_fail test_terminal psm edit $(cat id) </dev/null >out 2>err &&
	grep "changed while you were editing it: nothing was written; your version is in" err &&
	git log -1 --format=%s >msg &&
	grep "^psm tag" msg &&
	grep "^- safari\$" $(cat path) &&
	! grep "^title: Mine" $(cat path) &&
	grep "^title: Mine" .git/PSM_EDIT_$(cat id).md &&
	test -z "$(git status --porcelain --untracked-files=no)" &&
	rm .git/PSM_EDIT_$(cat id).md
'

test_expect_success TTY 'a file psm cannot read is fixed in the editor' '
	fresh_steps &&
	sed "s/^title: .*/title: [unclosed/" $(cat path) >tmp && mv tmp $(cat path) &&
	git commit -q -m "a bad hand edit" $(cat path) &&
	test_must_fail psm check &&
	test_must_fail psm edit $(cat id) --type bug 2>err &&
	cat >steps/1 <<-\EOF &&
	sed "s/^title: \\[unclosed/title: Login broken after a reset/" "$1" >"$1.new" && mv "$1.new" "$1"
	EOF
	VISUAL="\"$HOME/ed.sh\"" test_terminal psm edit $(cat id) </dev/null >out 2>err &&
	psm check &&
	git log -1 --format=%s >msg &&
	grep "^psm edit $(cat id): Login broken after a reset" msg
'

test_expect_success TTY 'the editor failing writes nothing' '
	fresh_steps &&
	echo "exit 3" >steps/1 &&
	before=$(git rev-parse HEAD) &&
	VISUAL="\"$HOME/ed.sh\"" test_must_fail test_terminal psm edit $(cat id) </dev/null >out 2>err &&
	grep "the editor .* failed; nothing was written" err &&
	test "$(git rev-parse HEAD)" = "$before"
'

test_done
