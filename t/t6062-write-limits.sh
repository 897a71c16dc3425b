#!/bin/sh
# ctest-cost: 35

test_description='every write passes the check psm check makes

An issue file psm could not read back (over the limit issue-file-size,
16 MiB) or that psm check rejects is never written, whatever writes it:
single intake, each batch format, import, a reply, dup. A batch reports
the item (line or message number, the limit by name and value) and takes
in the rest; a single write stops with the store as it was.'

. ./test-lib.sh

LIMIT=16777216

# text N: N bytes of words on one line.
text () {
	python3 -c 'import sys; n = int(sys.argv[1]); s = "customer words " * (n // 15 + 1); sys.stdout.write(s[:n])' "$1"
}

# unchanged: no commit since $before, nothing left in the work tree.
unchanged () {
	test $(test_commit_count) = $before &&
	test -z "$(git status --porcelain -- issues)"
}

test_expect_success 'setup' '
	git init -q &&
	psm init &&
	text 17000000 >big.txt &&
	echo "$LIMIT" >limit
'

test_expect_success 'intake -F: a body over the limit is refused, nothing written' '
	before=$(test_commit_count) &&
	test_expect_code 128 psm intake -t "Huge paste" -F big.txt 2>err &&
	grep "big.txt. is larger than an issue file may be: over the limit issue-file-size (16 MiB)" err &&
	unchanged &&
	# the body fits the limit, the file with its front matter does not
	text $((LIMIT - 10)) >under.txt &&
	test_expect_code 128 psm intake -t "Huge paste" -F under.txt 2>err &&
	grep "refusing to write .issues/.*: the issue file would be [0-9]* bytes: over the limit issue-file-size (16 MiB)" err &&
	unchanged
'

test_expect_success 'jsonl: the line over the limit is reported, the others go in' '
	{
		echo "{\"title\": \"Small one\", \"external_id\": \"j-1\"}" &&
		printf "{\"title\": \"Huge one\", \"external_id\": \"j-2\", \"body\": \"" &&
		cat big.txt &&
		echo "\"}" &&
		echo "{\"title\": \"Small two\", \"external_id\": \"j-3\"}"
	} >big.jsonl &&
	before=$(test_commit_count) &&
	test_expect_code 1 psm intake --jsonl big.jsonl >out 2>err &&
	grep "^error: big.jsonl:2: the issue file would be [0-9]* bytes: over the limit issue-file-size (16 MiB)$" err &&
	cut -f1,3,4 out >actual &&
	printf "new\tbig.jsonl:1\tSmall one\nnew\tbig.jsonl:3\tSmall two\n" >expect &&
	test_cmp expect actual &&
	test $(test_commit_count) = $((before + 1)) &&
	psm check
'

test_expect_success 'csv: the row over the limit is reported by its line' '
	{
		echo "title,external_id,body" &&
		echo "Row one,c-1,fine" &&
		printf "Row two,c-2," && cat big.txt && echo &&
		echo "Row three,c-3,fine"
	} >big.csv &&
	test_expect_code 1 psm intake --csv big.csv >out 2>err &&
	grep "^error: big.csv:3: the issue file would be [0-9]* bytes: over the limit issue-file-size (16 MiB)$" err &&
	test_line_count = 2 out &&
	psm check
'

mail () {
	printf "From: Kim <kim@example.org>\nSubject: %s\nDate: Mon, 09 Nov 2026 1%s:00:00 +0000\nMessage-ID: <%s@example.org>\n" "$1" "$2" "$3" &&
	test -z "$4" || printf "In-Reply-To: <%s@example.org>\n" "$4"
	echo
}

test_expect_success 'mbox: the message over the limit is reported by its number' '
	{
		echo "From kim@example.org Mon Nov  9 10:00:00 2026" &&
		mail "Mail one" 0 m-1 && echo "fine" && echo &&
		echo "From kim@example.org Mon Nov  9 11:00:00 2026" &&
		mail "Mail two" 1 m-2 && cat big.txt && echo && echo &&
		echo "From kim@example.org Mon Nov  9 12:00:00 2026" &&
		mail "Mail three" 2 m-3 && echo "fine"
	} >big.mbox &&
	test_expect_code 1 psm intake --mbox big.mbox >out 2>err &&
	grep "^error: big.mbox, message 2 (byte [0-9]*): the issue file would be [0-9]* bytes: over the limit issue-file-size (16 MiB)$" err &&
	cut -f1,4 out >actual &&
	printf "new\tMail one\nnew\tMail three\n" >expect &&
	test_cmp expect actual &&
	psm check
'

test_expect_success '--email: one message over the limit' '
	{ mail "Mail four" 3 m-4 && cat big.txt; } >big.eml &&
	test_expect_code 1 psm intake --email big.eml 2>err &&
	grep "^error: big.eml: the issue file would be [0-9]* bytes: over the limit issue-file-size (16 MiB)$" err
'

test_expect_success 'a reply that would grow an issue past the limit fails alone' '
	text 16000000 >near.txt &&
	{
		echo "From kim@example.org Mon Nov  9 13:00:00 2026" &&
		mail "Mail five" 3 m-5 && cat near.txt && echo && echo &&
		echo "From kim@example.org Mon Nov  9 14:00:00 2026" &&
		mail "Re: Mail five" 4 m-6 m-5 && head -c 1000000 big.txt && echo && echo &&
		echo "From kim@example.org Mon Nov  9 15:00:00 2026" &&
		mail "Re: Mail one" 5 m-7 m-1 && echo "a small reply"
	} >grow.mbox &&
	test_expect_code 1 psm intake --mbox grow.mbox >out 2>err &&
	grep "^error: grow.mbox, message 2 (byte [0-9]*): refusing to write .issues/[^ ]*.md.: the issue file would be [0-9]* bytes: over the limit issue-file-size (16 MiB)$" err &&
	cut -f1,4 out >actual &&
	printf "new\tMail five\nreply\tMail one\n" >expect &&
	test_cmp expect actual &&
	f=$(grep -l "^title: Mail five" issues/*/*.md) &&
	! grep "m-6@example.org" "$f" &&
	test $(wc -c <"$f") -lt $LIMIT &&
	psm check
'

test_expect_success 'psm reply and note on that issue: refused, the file as it was' '
	f=$(grep -l "^title: Mail five" issues/*/*.md) &&
	id=$(basename "$f" .md) &&
	cp "$f" before.md &&
	before=$(test_commit_count) &&
	test_expect_code 128 psm reply $id -F big.txt 2>err &&
	grep "over the limit issue-file-size (16 MiB)" err &&
	head -c 1000000 big.txt >mb.txt &&
	test_expect_code 128 psm reply $id -F mb.txt 2>err &&
	grep "refusing to write .$f.: the issue file would be [0-9]* bytes: over the limit issue-file-size (16 MiB)" err &&
	test_expect_code 128 psm note $id -F mb.txt 2>err &&
	grep "refusing to write .$f.: the issue file would be" err &&
	unchanged &&
	test_cmp before.md "$f" &&
	psm reply $id -m "A short answer fits." &&
	psm check
'

test_expect_success 'dup: moving reporters onto a file at the limit is refused' '
	# a valid issue file of exactly the limit, committed by hand
	mkdir -p issues/zz &&
	{
		printf -- "---\nid: zzzzzzzzzz\ntitle: At the limit\nstatus: new\nsource: email\n" &&
		printf "created: 2026-11-01T00:00:00Z\n---\n"
	} >head.md &&
	text $((LIMIT - $(wc -c <head.md))) >pad &&
	cat head.md pad >issues/zz/zzzzzzzzzz.md &&
	test $(wc -c <issues/zz/zzzzzzzzzz.md) = $LIMIT &&
	git add issues/zz && git commit -q -m "an issue at the limit" &&
	psm check &&
	small=$(psm intake -t "Same problem" --reporter "Dana <dana@example.com>") &&
	before=$(test_commit_count) &&
	test_expect_code 128 psm dup $small --of zzzzzzzzzz 2>err &&
	grep "refusing to write .issues/zz/zzzzzzzzzz.md.: the issue file would be [0-9]* bytes: over the limit issue-file-size (16 MiB)" err &&
	unchanged &&
	test $(wc -c <issues/zz/zzzzzzzzzz.md) = $LIMIT
'

test_expect_success 'import github: an item over the limit, and comments that would be' '
	python3 - <<-\EOF &&
	import json
	big = open("big.txt").read()
	items = [
	    {"number": 1, "title": "Fine", "body": "ok", "state": "OPEN",
	     "createdAt": "2026-10-01T08:00:00Z", "author": {"login": "octo"},
	     "url": "https://github.com/acme/app/issues/1", "labels": [], "comments": []},
	    {"number": 2, "title": "Huge", "body": big, "state": "OPEN",
	     "createdAt": "2026-10-01T09:00:00Z", "author": {"login": "octo"},
	     "url": "https://github.com/acme/app/issues/2", "labels": [], "comments": []},
	]
	json.dump(items, open("gh1.json", "w"))
	items[0]["comments"] = [
	    {"author": {"login": "octo"}, "authorAssociation": "NONE", "body": big[:9000000],
	     "createdAt": "2026-10-02T10:00:00Z", "url": "https://github.com/acme/app/issues/1#c1"},
	    {"author": {"login": "octo"}, "authorAssociation": "NONE", "body": big[:9000000],
	     "createdAt": "2026-10-02T11:00:00Z", "url": "https://github.com/acme/app/issues/1#c2"}]
	del items[1]
	json.dump(items, open("gh2.json", "w"))
	EOF
	test_expect_code 1 psm import github gh1.json >out 2>err &&
	grep "^error: gh1.json: #2: the issue file would be [0-9]* bytes: over the limit issue-file-size (16 MiB)$" err &&
	test_line_count = 1 out &&
	f=$(grep -l "^title: Fine" issues/*/*.md) &&
	cp "$f" before.md &&
	test_expect_code 1 psm import github gh2.json >out 2>err &&
	grep "^error: gh2.json: #1: comments not taken in: refusing to write .$f.: the issue file would be" err &&
	test_cmp before.md "$f" &&
	psm check
'

test_expect_success 'import backlog-md: a task over the limit' '
	mkdir tasks &&
	printf -- "---\nid: task-1\ntitle: Small task\nstatus: To Do\n---\n\nfine\n" >tasks/task-1.md &&
	{ printf -- "---\nid: task-2\ntitle: Huge task\nstatus: To Do\n---\n\n" && cat big.txt; } >tasks/task-2.md &&
	test_expect_code 1 psm import backlog-md tasks >out 2>err &&
	grep "^error: tasks/task-2.md: the issue file would be [0-9]* bytes: over the limit issue-file-size (16 MiB)$" err &&
	test_line_count = 1 out
'

test_expect_success 'a write that would leave a field psm check rejects is refused too' '
	f=$(grep -l "^title: Small one" issues/*/*.md) &&
	id=$(basename "$f" .md) &&
	sed "s/^created: .*/created: last tuesday/" "$f" >tmp && mv tmp "$f" &&
	git commit -q -a -m "a bad created, by hand" &&
	before=$(test_commit_count) &&
	test_expect_code 128 psm tag $id +billing 2>err &&
	grep "refusing to write .$f.: .created. is not an RFC 3339 time" err &&
	unchanged &&
	other=$(grep -l "^title: Small two" issues/*/*.md) &&
	psm tag $(basename "$other" .md) +billing &&
	sed "s/^created: last tuesday/created: 2026-11-03T00:00:00Z/" "$f" >tmp && mv tmp "$f" &&
	psm tag $id +billing &&
	git reset -q --hard
'

test_expect_success 'psm check names the limit too' '
	mkdir -p issues/yy &&
	{ printf -- "---\nid: yyyyyyyyyy\ntitle: Too big\nstatus: new\ncreated: 2026-11-01T00:00:00Z\n---\n" && cat big.txt; } >issues/yy/yyyyyyyyyy.md &&
	test_expect_code 1 psm check >out &&
	grep "^issues/yy/yyyyyyyyyy.md:1:1: error: file is larger than the limit issue-file-size (16 MiB)$" out &&
	rm -r issues/yy
'

test_done
