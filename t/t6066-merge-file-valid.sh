#!/bin/sh

test_description='the merge driver never claims success for a file psm check rejects

Two branches each add a long timeline entry to one issue: each side is
valid, their union is over the limit issue-file-size. psm merge-file then
writes both sides between conflict markers and exits 1, so git reports a
conflict instead of committing a file no psm command could read. A problem
both sides already have does not stop a merge.'

. ./test-lib.sh

# text N: N bytes of words on one line.
text () {
	python3 -c 'import sys; n = int(sys.argv[1]); s = "words of a long log " * (n // 20 + 1); sys.stdout.write(s[:n])' "$1"
}

test_expect_success 'setup: one issue, two branches each adding 9 MB to it' '
	git init -q &&
	psm init &&
	id=$(psm intake -t "Sync log attached" --reporter "Ana <ana@example.com>") &&
	echo $id >id &&
	f=$(ls issues/*/$id*.md) &&
	echo "$f" >path &&
	text 9000000 >ours.txt &&
	text 9000001 >theirs.txt &&
	git checkout -q -b theirs &&
	test_tick &&
	psm note $id -F theirs.txt &&
	git checkout -q - &&
	test_tick &&
	psm note $id -F ours.txt &&
	git show HEAD~1:"$f" >base.md &&
	git show HEAD:"$f" >ours.md &&
	git show theirs:"$f" >theirs.md &&
	psm check
'

test_expect_success 'merge-file: over the limit is a conflict, both sides kept, exit 1' '
	cp ours.md work.md &&
	test_expect_code 1 psm merge-file base.md work.md theirs.md "$(cat path)" 2>err &&
	grep "1 conflict in .$(cat path).: the merged file would not pass psm check (the issue file would be [0-9]* bytes: over the limit issue-file-size (16 MiB)), so both sides are left between conflict markers" err &&
	head -n 1 work.md >first &&
	echo "<<<<<<< ours" >expect &&
	test_cmp expect first &&
	grep -x "=======" work.md &&
	tail -n 1 work.md >last &&
	echo ">>>>>>> theirs" >expect &&
	test_cmp expect last &&
	sed "1d;/^=======$/,\$d" work.md >side &&
	test_cmp ours.md side &&
	sed "1,/^=======$/d;\$d" work.md >side &&
	test_cmp theirs.md side
'

test_expect_success 'git merge through the driver reports the conflict' '
	test_expect_code 1 git merge -q --no-edit theirs >out 2>&1 &&
	grep "CONFLICT" out &&
	git ls-files -u -- "$(cat path)" >unmerged &&
	test_line_count = 3 unmerged &&
	test_expect_code 1 psm check >out &&
	grep "$(cat path)" out &&
	git merge --abort &&
	git status --porcelain -- issues >st &&
	! test -s st
'

test_expect_success 'a problem both sides have already does not stop a clean merge' '
	sed "s/^status: new$/status: qa-review/" base.md >b.md &&
	sed "s/^status: new$/status: qa-review/; s/^title: .*/title: Sync log attached (macOS)/" base.md >o.md &&
	sed "s/^status: new$/status: qa-review/; s/^source: other$/source: email/" base.md >t.md &&
	psm merge-file b.md o.md t.md "$(cat path)" 2>err &&
	! test -s err &&
	grep "^title: Sync log attached (macOS)$" o.md &&
	grep "^source: email$" o.md &&
	grep "^status: qa-review$" o.md
'

test_expect_success 'a clean merge that stays valid is as before' '
	sed "s/^title: .*/title: Sync log attached (macOS)/" base.md >o2.md &&
	sed "s/^source: other$/source: email/" base.md >t2.md &&
	psm merge-file base.md o2.md t2.md "$(cat path)" 2>err &&
	! test -s err &&
	grep "^title: Sync log attached (macOS)$" o2.md &&
	grep "^source: email$" o2.md &&
	! grep "^<<<<<<<" o2.md
'

test_done
