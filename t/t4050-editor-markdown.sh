#!/bin/sh

test_description='the editor keeps every line the user wrote

psm intake, reply and note open $VISUAL on a terminal. The template is
cut off by git'"'"'s scissors line, so lines starting with # above it are
the user'"'"'s (Markdown headings, "#2 in the list"), never dropped.'

. ./test-lib.sh

# The editor: put the text of $HOME/typed above what psm wrote.
test_expect_success 'setup' '
	psm init &&
	cat >ed.sh <<-\EOF &&
	#!/bin/sh
	cat "$HOME/typed" "$1" >"$1.new" && mv "$1.new" "$1"
	EOF
	chmod +x ed.sh &&
	cat >typed <<-\EOF
	Export to CSV drops the last row

	The last row of every export is missing.

	## What they tried
	- exporting again
	#2 on their list of blockers
	# a line that is not a comment
	EOF
'

test_expect_success TTY 'intake: headings and # lines in the body are kept' '
	VISUAL="\"$HOME/ed.sh\"" test_terminal psm intake >out 2>err &&
	id=$(tr -d "\r" <out | tail -n 1) &&
	psm show --format md "$id" >md &&
	grep "^title: Export to CSV drops the last row" md &&
	grep "^## What they tried\$" md &&
	grep "^#2 on their list of blockers\$" md &&
	grep "^# a line that is not a comment\$" md &&
	! grep -- ">8" md &&
	! grep "Do not modify" md &&
	echo "$id" >ID
'

test_expect_success TTY 'reply and note: # lines are kept (quoted so they stay in the entry)' '
	id=$(cat ID) &&
	printf "Thanks!\n\n## Workaround\nUse the API.\n#2: it is fixed in 1.4\n" >typed &&
	VISUAL="\"$HOME/ed.sh\"" test_terminal psm reply "$id" >out 2>err &&
	printf "Seen on Safari only.\n# repro steps below\n" >typed &&
	VISUAL="\"$HOME/ed.sh\"" test_terminal psm note "$id" >out 2>err &&
	psm show --format md "$id" >md &&
	grep "^\\\\## Workaround\$" md &&
	grep "^\\\\#2: it is fixed in 1.4\$" md &&
	grep "^\\\\# repro steps below\$" md &&
	! grep -- ">8" md &&
	! grep "Do not modify" md
'

test_expect_success TTY 'the template below the scissors line is dropped; nothing typed aborts' '
	: >typed &&
	before=$(test_commit_count) &&
	VISUAL="\"$HOME/ed.sh\"" test_must_fail test_terminal psm intake >out 2>&1 &&
	grep "aborting intake: empty message" out &&
	test $(test_commit_count) = $before
'

test_done
