#!/bin/sh

test_description='psm intake

-t, -m, -F, -, --source, --reporter, --customer, -l, --type, vocabulary
errors, empty titles, no title off a terminal, and $EDITOR on a terminal.'

. ./test-lib.sh

# store_untouched: no commit since "mark", no new or changed file.
store_untouched () {
	test "$(git rev-parse HEAD)" = "$(cat .git/mark)" &&
	test -z "$(git status --porcelain --untracked-files=all)"
}

test_expect_success 'setup' '
	psm init &&
	printf "%s\n" body "body.*" expect actual err out id "editor*" template config >>.git/info/exclude
'

test_expect_success 'intake -t: status new, source other, created and updated now' '
	id=$(psm intake -t "Only a title") &&
	file=$(issue_file "$id") &&
	grep -x "title: Only a title" "$file" &&
	grep -x "status: new" "$file" &&
	grep -x "source: other" "$file" &&
	grep -x "created: 2026-11-20T10:00:00Z" "$file" &&
	grep -x "updated: 2026-11-20T10:00:00Z" "$file" &&
	body_of "$file" >actual &&
	test_line_count = 0 actual
'

test_expect_success 'several -m are paragraphs of the body' '
	id=$(psm intake -t "Paragraphs" -m "First paragraph." -m "Second one.") &&
	printf "First paragraph.\n\nSecond one.\n" >expect &&
	body_of "$(issue_file "$id")" >actual &&
	test_cmp expect actual
'

test_expect_success '-F reads the body from a file, -F - and - from stdin' '
	printf "From a file.\n\n- item\n" >body &&
	id=$(psm intake -t "From file" -F body) &&
	body_of "$(issue_file "$id")" >actual &&
	test_cmp body actual &&
	id=$(psm intake -t "From stdin" -F - <body) &&
	body_of "$(issue_file "$id")" >actual &&
	test_cmp body actual &&
	id=$(psm intake -t "From dash" - <body) &&
	body_of "$(issue_file "$id")" >actual &&
	test_cmp body actual
'

test_expect_success '-F with a missing file is an error' '
	git rev-parse HEAD >.git/mark &&
	test_expect_code 128 psm intake -t x -F no-such-file 2>err &&
	grep "could not read .no-such-file." err &&
	store_untouched
'

test_expect_success '--source, --customer, --type and -l are recorded' '
	id=$(psm intake -t "All fields" --source chat --customer "Acme Corp" \
		--type usability -l onboarding -l "mobile" -l csv) &&
	file=$(issue_file "$id") &&
	grep -x "source: chat" "$file" &&
	grep -x "customer: Acme Corp" "$file" &&
	grep -x "type: usability" "$file" &&
	sed -n "/^labels:/,/^[a-z]/p" "$file" >actual &&
	printf "labels:\n- csv\n- mobile\n- onboarding\ncustomer: Acme Corp\n" >expect &&
	test_cmp expect actual
'

test_expect_success '--reporter "Name <email>" records a reporter with channel and time' '
	id=$(psm intake -t "Reported" --source email --reporter "Ann Example <ann@example.com>") &&
	sed -n "/^reporters:/,/^created:/p" "$(issue_file "$id")" >actual &&
	cat >expect <<-\EOF &&
	reporters:
	- name: Ann Example
	  email: ann@example.com
	  channel: email
	  at: 2026-11-20T10:00:00Z
	created: 2026-11-20T10:00:00Z
	EOF
	test_cmp expect actual
'

test_expect_success '--reporter takes an address alone, a name alone, or a handle' '
	id=$(psm intake -t "r1" --reporter bob@example.com) &&
	grep -x -- "- email: bob@example.com" "$(issue_file "$id")" &&
	id=$(psm intake -t "r2" --reporter "Carol Name") &&
	grep -x -- "- name: Carol Name" "$(issue_file "$id")" &&
	id=$(psm intake -t "r3" --source dm --reporter "Dan <@dan_handle>") &&
	file=$(issue_file "$id") &&
	grep -x "  contact: '"'"'@dan_handle'"'"'" "$file" &&
	grep -x "  channel: dm" "$file" &&
	! grep "email:" "$file"
'

test_expect_success '--format json prints the new issue as JSON' '
	psm intake -t "As JSON" --format json -l x >out &&
	python3 -c "
import json, sys
j = json.load(open(sys.argv[1]))
assert j[\"title\"] == \"As JSON\" and j[\"status\"] == \"new\", j
assert j[\"labels\"] == [\"x\"] and len(j[\"id\"]) == 10, j
assert j[\"path\"] == \"issues/%s/%s.md\" % (j[\"id\"][:2], j[\"id\"])
" out
'

test_expect_success 'values outside the vocabulary are refused, naming the allowed ones' '
	git rev-parse HEAD >.git/mark &&
	test_expect_code 128 psm intake -t x --source fax 2>err &&
	test_line_count = 1 err &&
	grep "unknown source .fax." err &&
	grep "email, chat, call, app-store, dm, form, github, other" err &&
	test_expect_code 128 psm intake -t x --type bogus 2>err &&
	grep "unknown type .bogus." err &&
	grep "bug, usability, feature, docs, account" err &&
	store_untouched
'

test_expect_success 'the vocabulary comes from the config' '
	sed "s/^- chat\$/- fax/" .psm/config.yml >config &&
	mv config .psm/config.yml &&
	id=$(psm intake --no-commit -t "by fax" --source fax) &&
	grep -x "source: fax" "$(issue_file "$id")" &&
	test_expect_code 128 psm intake -t x --source chat 2>err &&
	grep "unknown source .chat." err &&
	git checkout -q .psm/config.yml &&
	git clean -fq -- issues
'

test_expect_success 'invalid labels are refused' '
	git rev-parse HEAD >.git/mark &&
	for l in "two words" "a,b" "+plus" "-minus" ""
	do
		test_expect_code 128 psm intake -t x -l "$l" 2>err &&
		grep "invalid label" err || return 1
	done &&
	store_untouched
'

test_expect_success 'an empty or blank title is refused' '
	git rev-parse HEAD >.git/mark &&
	test_expect_code 128 psm intake -t "" 2>err &&
	test_line_count = 1 err &&
	grep "title is empty" err &&
	test_expect_code 128 psm intake -t "   " 2>err &&
	grep "title is empty" err &&
	test_expect_code 128 psm intake -t "two
lines" 2>err &&
	grep "one line" err &&
	store_untouched
'

test_expect_success 'no title off a terminal is an error, not an editor' '
	git rev-parse HEAD >.git/mark &&
	cat >editor-fail.sh <<-\EOF &&
	#!/bin/sh
	echo "editor ran" >editor-ran
	EOF
	chmod +x editor-fail.sh &&
	EDITOR="\"$TRASH_DIRECTORY/editor-fail.sh\"" &&
	export EDITOR &&
	test_expect_code 128 psm intake 2>err &&
	test_line_count = 1 err &&
	grep "a title is required" err &&
	test_expect_code 128 psm intake -m "body only" 2>err &&
	grep "a title is required" err &&
	test ! -e editor-ran &&
	store_untouched
'

test_expect_success 'unexpected arguments are a usage error' '
	test_expect_code 129 psm intake -t x extra 2>err &&
	grep "unexpected argument .extra." err &&
	grep "usage: psm intake" err &&
	test_expect_code 129 psm intake --bogus 2>err &&
	grep "usage: psm intake" err
'

# The editor runs through the shell like git's: a path with spaces (the
# trash directory's) needs quotes inside the variable.
test_expect_success TTY 'no title on a terminal opens $EDITOR: first line title, rest body' '
	cat >editor.sh <<-\EOF &&
	#!/bin/sh
	# keep the template to check it, then write the message
	cp "$1" template
	{ printf "Title from the editor\n\nBody line one.\n# a heading line\nBody line two.\n" &&
	  cat template; } >"$1"
	EOF
	chmod +x editor.sh &&
	EDITOR="\"$TRASH_DIRECTORY/editor.sh\"" &&
	export EDITOR &&
	test_terminal psm intake >out &&
	id=$(tr -d "\r" <out) &&
	expr "$id" : "[0-9a-z]\{7\}\$" &&
	file=$(issue_file "$id") &&
	grep -x "title: Title from the editor" "$file" &&
	printf "Body line one.\n# a heading line\nBody line two.\n" >expect &&
	body_of "$file" >actual &&
	test_cmp expect actual &&
	grep "^# ------------------------ >8 ------------------------\$" template &&
	test "$(git log -1 --format=%s)" = "psm intake $id: Title from the editor"
'

test_expect_success TTY '$VISUAL wins over $EDITOR' '
	VISUAL="\"$TRASH_DIRECTORY/editor.sh\"" &&
	EDITOR=false &&
	export VISUAL EDITOR &&
	test_terminal psm intake >out &&
	id=$(tr -d "\r" <out) &&
	grep -x "title: Title from the editor" "$(issue_file "$id")"
'

test_expect_success TTY 'an empty message aborts and writes nothing' '
	git rev-parse HEAD >.git/mark &&
	cat >editor-empty.sh <<-\EOF &&
	#!/bin/sh
	: >"$1"
	EOF
	chmod +x editor-empty.sh &&
	EDITOR="\"$TRASH_DIRECTORY/editor-empty.sh\"" &&
	export EDITOR &&
	test_expect_code 128 test_terminal psm intake >out 2>err &&
	grep "empty message" err &&
	store_untouched &&
	EDITOR=: &&
	test_expect_code 128 test_terminal psm intake >out 2>err &&
	grep "empty message" err &&
	store_untouched
'

test_expect_success TTY 'a failing editor writes nothing' '
	git rev-parse HEAD >.git/mark &&
	EDITOR=false &&
	export EDITOR &&
	test_expect_code 128 test_terminal psm intake >out 2>err &&
	grep "editor" err &&
	store_untouched
'

test_expect_success TTY 'with a title on a terminal no editor is opened' '
	rm -f editor-ran &&
	EDITOR="\"$TRASH_DIRECTORY/editor-fail.sh\"" &&
	export EDITOR &&
	test_terminal psm intake -t "no editor" >out &&
	test ! -e editor-ran
'

test_done
