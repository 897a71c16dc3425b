#!/bin/sh

test_description='merge conflict markers anywhere in an issue file

psm check reports a line that git takes for a conflict marker (seven <, =,
> or | at the start of a line, then a space or the line end) anywhere in an
issue file, body included, as path:line:col. Follow-up drafts never carry
one: an issue or template holding a marker stops psm followup with an error
naming the file and line. Customer text that only looks like a marker is
taken in with a backslash before it, so it passes psm check.'

. ./test-lib.sh

command -v cmark >/dev/null 2>&1 && test_set_prereq CMARK

# add_body ID TEXT...: append lines to the issue's body and commit.
add_body () {
	_ab_path=$(path_of "$1") &&
	shift &&
	printf "%s\n" "$@" >>"$_ab_path" &&
	git commit -q -m "edit by hand" -- "$_ab_path"
}

test_expect_success 'setup' '
	psm init >/dev/null &&
	psm intake -t "Export fails" -m "It fails." --reporter "Dana <dana@acme.example>" >id1 &&
	psm close $(cat id1) -r fixed --release-note "Exports work again." >/dev/null &&
	psm check
'

test_expect_success 'a whole conflict in the body: psm check names its first line' '
	add_body $(cat id1) "<<<<<<< HEAD" "Exports work again." "=======" \
		"Exports no longer fail." ">>>>>>> origin/main" &&
	p=$(path_of $(cat id1)) &&
	line=$(grep -n "^<<<<<<< HEAD" "$p" | cut -d: -f1) &&
	test_expect_code 1 psm check >out &&
	grep "^$p:$line:1: error: unresolved merge conflict in the body" out &&
	test_line_count = 1 out &&
	test_expect_code 1 psm check "$p" >out2 &&
	test_cmp out out2
'

test_expect_success JQ 'psm check --format json has it too' '
	test_expect_code 1 psm check --format json >out.json &&
	test "$(jq -r ".errors[0].line" out.json)" = "$(grep -n "^<<<<<<< HEAD" "$(path_of $(cat id1))" | cut -d: -f1)" &&
	jq -r ".errors[0].message" out.json | grep "unresolved merge conflict"
'

test_expect_success 'psm followup stops instead of drafting half a conflict' '
	p=$(path_of $(cat id1)) &&
	line=$(grep -n "^<<<<<<< HEAD" "$p" | cut -d: -f1) &&
	test_expect_code 128 psm followup $(cat id1) >out 2>err &&
	grep "^fatal: $p:$line: unresolved merge conflict in .*before psm drafts a follow-up" err &&
	! test -s out &&
	# store-wide, the bad file is left out and named (a store with one bad
	# file stays usable): nothing of it is drafted
	test_expect_code 1 psm followup --format json >out 2>err &&
	! grep "$(cat id1)" out &&
	! grep -e "<<<<<<<" -e ">>>>>>>" out &&
	grep "$p:$line:1: unresolved merge conflict" err &&
	test_expect_code 1 psm followup >out 2>err &&
	! grep -e "<<<<<<<" -e ">>>>>>>" out &&
	grep "$p:$line:1: unresolved merge conflict" err
'

test_expect_success 'each marker alone is one too, by git'"'"'s rule' '
	p=$(path_of $(cat id1)) &&
	git checkout -q HEAD~1 -- "$p" &&
	git commit -q -m "resolved" -- "$p" &&
	psm check &&
	for m in "<<<<<<<" "=======" ">>>>>>> theirs" "||||||| base" "=======	" "=======$(printf "\r")"
	do
		git checkout -q HEAD -- "$p" &&
		printf "%s\n" "$m" >>"$p" &&
		test_expect_code 1 psm check >out &&
		grep "^$p:[0-9]*:1: error: unresolved merge conflict" out || return 1
	done &&
	git checkout -q HEAD -- "$p"
'

test_expect_success 'lines that only resemble a marker are fine' '
	p=$(path_of $(cat id1)) &&
	printf "%s\n" "========" " =======" "=======x" "<<<<<< six" ">>>>>>>>" "Title" "-------" >>"$p" &&
	psm check &&
	git checkout -q HEAD -- "$p"
'

test_expect_success 'a template holding a marker stops psm followup, naming it' '
	mkdir -p .psm/templates &&
	printf "Hi {name},\n<<<<<<< ours\nFixed.\n=======\nDone.\n>>>>>>> theirs\n" >.psm/templates/fixed.md &&
	test_expect_code 128 psm followup $(cat id1) >out 2>err &&
	grep "^fatal: .psm/templates/fixed.md:2: unresolved merge conflict in the template" err &&
	! test -s out &&
	test_expect_code 128 psm followup --template fixed 2>err &&
	grep ".psm/templates/fixed.md:2:" err
'

test_expect_success 'a draft that would hold a marker line stops too' '
	printf "{title}\nHi {name}, it is fixed.\n" >.psm/templates/fixed.md &&
	id2=$(psm intake -t "<<<<<<< HEAD is shown in the editor" --reporter "eve@example.com") &&
	psm close $id2 -r fixed >/dev/null &&
	test_expect_code 128 psm followup $id2 >out 2>err &&
	grep "line 1 of the follow-up draft would look like a merge conflict marker" err &&
	id4=$(psm intake -t "$(printf "\033[0m")=======" --reporter "fay@example.com") &&
	psm close $id4 -r fixed >/dev/null &&
	test_expect_code 128 psm followup $id4 2>err &&
	grep "line 1 of the follow-up draft" err &&
	psm followup $(cat id1) >out &&
	grep "Hi Dana, it is fixed." out &&
	rm .psm/templates/fixed.md
'

test_expect_success 'intake: a customer line like a marker goes in escaped, and passes check' '
	id3=$(psm intake -t "Merge tool shows odd lines" -m "$(printf "It shows\n=======\n>>>>>>> theirs\nand more.")") &&
	p=$(path_of $id3) &&
	grep "^\\\\=======\$" "$p" &&
	grep "^\\\\>>>>>>> theirs\$" "$p" &&
	psm check &&
	echo $id3 >id3
'

test_expect_success CMARK 'Markdown shows the escaped lines as the customer wrote them' '
	sed "1,/^---\$/d" "$(path_of $(cat id3))" | cmark >out.html &&
	grep "^=======\$" out.html &&
	grep "^&gt;&gt;&gt;&gt;&gt;&gt;&gt; theirs\$" out.html
'

test_expect_success 'batch intake: escaped the same way, the item is taken in' '
	printf "%s\n" "{\"title\": \"Newsletter footer\", \"body\": \"Hello\\n=======\\nFooter\\n\", \"external_id\": \"n1\", \"source\": \"chat\"}" >in.jsonl &&
	psm intake --jsonl in.jsonl >out &&
	grep "^new" out &&
	psm list --format json >all.json &&
	grep "Newsletter footer" all.json &&
	grep -l "^title: Newsletter footer" issues/*/*.md >f &&
	grep "^\\\\=======\$" "$(cat f)" &&
	psm check
'

test_expect_success 'replies and customer messages in the timeline are escaped' '
	psm reply $(cat id1) -m "$(printf "Try this:\n=======\ndone")" >/dev/null &&
	psm note $(cat id1) -m "$(printf "<<<<<<< mine")" >/dev/null &&
	p=$(path_of $(cat id1)) &&
	grep "^\\\\=======\$" "$p" &&
	grep "^\\\\<<<<<<< mine\$" "$p" &&
	psm check &&
	psm followup $(cat id1) >out &&
	grep "Hi Dana" out
'

# More owed issues than one thread makes drafts for (cmd/ring.c): every
# draft is made before the first is printed, and the error named is the
# first issue's in the listing's order, however the threads ran. A store
# of its own: the ones above hold refused drafts too.
test_expect_success 'among many owed issues, two bad drafts: nothing printed, the first named' '
	mkdir many &&
	(
		cd many &&
		git init -q &&
		psm init >/dev/null &&
		mkdir -p .psm/templates &&
		printf "{title}\nHi {name}, it is fixed.\n" >.psm/templates/fixed.md &&
		for i in $(seq 1 60)
		do
			case $i in
			23|41) t="<<<<<<< HEAD number $i" ;;
			*) t="Bulk issue $i" ;;
			esac &&
			id=$(psm intake -t "$t" --reporter "r$i@example.com" 2>/dev/null) &&
			psm close $id -r fixed >/dev/null &&
			echo "$id $i" >>bulk || return 1
		done &&
		bad23=$(path_of $(grep " 23\$" bulk | cut -d" " -f1)) &&
		bad41=$(path_of $(grep " 41\$" bulk | cut -d" " -f1)) &&
		first=$(printf "%s\n%s\n" "$bad23" "$bad41" | sort | head -n 1) &&
		for i in 1 2 3 4 5
		do
			test_expect_code 128 psm followup >out 2>err &&
			! test -s out &&
			test_line_count = 1 err &&
			grep "^fatal: $first: line 1 of the follow-up draft would look like" err &&
			test_expect_code 128 psm followup --format json >out 2>err &&
			! test -s out &&
			grep "^fatal: $first: line 1 of the follow-up draft" err || return 1
		done &&
		rm .psm/templates/fixed.md &&
		psm followup >out &&
		test $(grep -c "^  to r[0-9]*@example.com" out) = 60
	)
'

test_done
