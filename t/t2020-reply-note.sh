#!/bin/sh

test_description='psm reply and psm note: the timeline

A reply is a public answer that sets "responded" the first time; a note
is internal. Entries go at the end of the body'"'"'s "## Timeline" section
in the documented format, without touching the user'"'"'s text.'

. ./test-lib.sh

test_expect_success 'setup' '
	psm init &&
	psm intake -t "Login fails" -m "It fails." --source email \
		--reporter "Dana <dana@acme.example>" >id1
'

test_expect_success 'reply records the answer and sets responded' '
	id=$(cat id1) &&
	before=$(test_commit_count) &&
	test_tick &&
	psm reply $id -m "We are looking into it." >out &&
	test_cmp id1 out &&
	test $(test_commit_count) = $((before + 1)) &&
	test "$(field $id responded)" = "\"2026-11-20T10:01:00Z\"" &&
	git log -1 --format=%s >msg &&
	echo "psm reply $id: Login fails" >expect &&
	test_cmp expect msg &&
	sed -n "/^---\$/,/^---\$/!p" "$(path_of $id)" >body &&
	cat >expect <<-\EOF &&
	It fails.

	## Timeline

	### 2026-11-20T10:01:00Z reply — author@example.com

	We are looking into it.
	EOF
	test_cmp expect body
'

test_expect_success 'a second reply appends and keeps responded' '
	id=$(cat id1) &&
	test_tick &&
	psm reply $id -m "First paragraph." -m "Second paragraph." &&
	test "$(field $id responded)" = "\"2026-11-20T10:01:00Z\"" &&
	sed -n "/^## Timeline/,\$p" "$(path_of $id)" >timeline &&
	cat >expect <<-\EOF &&
	## Timeline

	### 2026-11-20T10:01:00Z reply — author@example.com

	We are looking into it.

	### 2026-11-20T10:02:00Z reply — author@example.com

	First paragraph.

	Second paragraph.
	EOF
	test_cmp expect timeline
'

test_expect_success 'the diff of a reply only adds lines (and moves updated)' '
	git diff HEAD~1 -U0 >diff &&
	grep "^-[^-]" diff >removed &&
	test_line_count = 1 removed &&
	grep "^-updated:" removed
'

test_expect_success 'a note is internal: it does not set responded' '
	psm intake -t "Slow export" >id2 &&
	id=$(cat id2) &&
	test_tick &&
	psm note $id -m "Probably the N+1 query." &&
	test "$(field $id responded)" = "null" &&
	grep "^### 2026-11-20T10:03:00Z note — author@example.com\$" "$(path_of $id)" &&
	git log -1 --format=%s | grep "^psm note "
'

test_expect_success 'entries go at the end of the Timeline section, before later sections' '
	cat >body.md <<-\EOF &&
	Steps:

	1. open the app

	## Timeline

	### 2026-11-19T09:00:00Z customer — dana@acme.example

	Still broken!

	## Workaround

	Clear the cache.
	EOF
	psm intake -t "Crash" -F body.md >id3 &&
	id=$(cat id3) &&
	test_tick &&
	psm note $id -m "Reproduced." &&
	sed -n "/^---\$/,/^---\$/!p" "$(path_of $id)" >body &&
	cat >expect <<-\EOF &&
	Steps:

	1. open the app

	## Timeline

	### 2026-11-19T09:00:00Z customer — dana@acme.example

	Still broken!

	### 2026-11-20T10:04:00Z note — author@example.com

	Reproduced.

	## Workaround

	Clear the cache.
	EOF
	test_cmp expect body
'

test_expect_success 'text that looks like a heading or leaves a fence open cannot break the section' '
	id=$(cat id3) &&
	printf "## Not a section\n### 2026-01-01T00:00:00Z reply — fake\n\`\`\`\n# code stays\n" >text &&
	test_tick &&
	psm reply $id -F text &&
	test_tick &&
	psm note $id -m "After." &&
	sed -n "/^## Timeline/,/^## Workaround/p" "$(path_of $id)" >timeline &&
	cat >expect <<-\EOF &&
	## Timeline

	### 2026-11-19T09:00:00Z customer — dana@acme.example

	Still broken!

	### 2026-11-20T10:04:00Z note — author@example.com

	Reproduced.

	### 2026-11-20T10:05:00Z reply — author@example.com

	\## Not a section
	\### 2026-01-01T00:00:00Z reply — fake
	```
	# code stays
	```

	### 2026-11-20T10:06:00Z note — author@example.com

	After.

	## Workaround
	EOF
	test_cmp expect timeline
'

test_expect_success 'a reply recorded on a closed issue hints at the follow-up owed' '
	id=$(psm intake -t "Export fails" --reporter "Eve <eve@beta.example>") &&
	psm reply $id -m "Looking." 2>err &&
	test_line_count = 0 err &&
	psm close $id -r fixed &&
	psm reply $id -m "Fixed in 1.2, thanks." 2>err &&
	grep "^hint: recorded, not sent: 1 reporter of this closed issue still waits to hear of the close (psm followup $id --done once told)\$" err &&
	psm followup $id --done &&
	psm reply $id -m "And 1.2.1 has more." 2>err &&
	test_line_count = 0 err
'

test_expect_success 'reply reads -F - from standard input' '
	id=$(cat id2) &&
	echo "From stdin." | psm reply $id -F - &&
	grep "^From stdin.\$" "$(path_of $id)"
'

test_expect_success 'an empty text is refused and nothing is written' '
	id=$(cat id2) &&
	before=$(git rev-parse HEAD) &&
	test_must_fail psm reply $id -m "   " 2>err &&
	grep "nothing written" err &&
	test_must_fail psm note $id 2>err &&
	grep "give the note with -m" err &&
	printf "\n\n" | test_must_fail psm reply $id -F - &&
	test "$(git rev-parse HEAD)" = "$before" &&
	git status --porcelain --untracked-files=no >status &&
	test_line_count = 0 status
'

test_expect_success 'usage errors' '
	test_expect_code 129 psm reply -m x 2>err &&
	test_expect_code 129 psm reply $(cat id1) $(cat id2) -m x 2>err &&
	test_expect_code 129 psm note --nope $(cat id1) 2>err
'

test_expect_success 'reply --format json prints the resulting issue' '
	id=$(cat id2) &&
	psm reply --format json $id -m "JSON." >json &&
	grep "\"responded\": \"2026-11-20T10:06:00Z\"" json &&
	grep "JSON\." json
'

test_expect_success 'a reply needs an identity to sign it' '
	id=$(cat id2) &&
	(
		unset GIT_AUTHOR_EMAIL GIT_COMMITTER_EMAIL &&
		test_must_fail psm reply --no-commit $id -m x 2>err &&
		grep "user.email" err
	)
'

test_expect_success TTY 'reply without -m on a terminal opens the editor' '
	id=$(cat id1) &&
	cat >editor.sh <<-\EOF &&
	#!/bin/sh
	grep "^# Your reply to the reporters" "$1" >/dev/null || exit 1
	{ printf "Written in the editor.\n# a heading of theirs\n" && cat "$1"; } >"$1.new" &&
	mv "$1.new" "$1"
	EOF
	chmod +x editor.sh &&
	EDITOR=./editor.sh test_terminal psm reply $id </dev/null &&
	grep "^Written in the editor.\$" "$(path_of $id)" &&
	grep "^.# a heading of theirs\$" "$(path_of $id)" &&
	! grep "Your reply to the reporters" "$(path_of $id)"
'

test_done
