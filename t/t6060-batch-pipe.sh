#!/bin/sh
# ctest-cost: 30

test_description='batch intake reads standard input as a stream

Every batch format that reads standard input (intake --mbox, --email,
--jsonl, --csv, import github -) takes the same items from a file, from a
pipe, and from a pipe whose writer sends a few bytes at a time (short
reads); a batch in which every item failed exits non-zero.'

. ./test-lib.sh

F=$TEST_DIRECTORY/t6000
GH=$TEST_DIRECTORY/t6030/gh-issues.json
CORPUS=$PSM_SOURCE_DIR/../shared/corpora/email/notmuch

# slowly [FILE]: copy FILE (standard input) to standard output 7 bytes at a
# time with a pause between writes, so the reader sees many short reads.
slowly () {
	python3 -c '
import os, sys, time
data = open(sys.argv[1], "rb").read() if len(sys.argv) > 1 else sys.stdin.buffer.read()
for i in range(0, len(data), 7):
    os.write(1, data[i:i + 7])
    time.sleep(0.001)
' "$@"
}

# fresh DIR: a new store in DIR.
fresh () {
	rm -rf "$1" &&
	git init -q "$1" &&
	(cd "$1" && psm init >/dev/null)
}

# items FILE: what happened to each item (action, where, title), IDs left out.
items () {
	cut -f1,3,4 "$1" | sed "s/^\([a-z]*\)	stdin/\1	INPUT/; s/^\([a-z]*\)	[^	,:]*\([,:]\)/\1	INPUT\2/"
}

test_expect_success 'setup: inputs for every batch format' '
	cp "$F/support.mbox" in.mbox &&
	cp "$F/reply.eml" in.eml &&
	cat >in.jsonl <<-\EOF &&
	{"title": "Sync stops after an hour", "source": "chat", "external_id": "c-1", "reporter": "Ana <ana@example.br>"}

	{"title": "Dark mode please", "source": "app-store", "external_id": "r-7"}
	{"title": "broken line",
	{"title": "Export is slow", "source": "call", "external_id": "call-9", "created": "2026-11-03"}
	EOF
	cat >in.csv <<-\EOF &&
	title,external_id,source,Device
	Crash on start,f-1,form,Pixel 7
	"Login loops, then ""Continue""",f-2,form,
	Too many,f-3,form,x,y
	EOF
	cp "$GH" in.json
'

# run_three NAME EXPECT-CODE CMD...: CMD on the file, on a pipe, on a slow
# pipe, each in a fresh store; the three lists of items must be the same.
run_three () {
	name=$1 code=$2 &&
	shift 2 &&
	fresh "file-$name" &&
	(cd "file-$name" && test_expect_code $code "$@" "../in.$name" >../out-file 2>../err-file) &&
	fresh "pipe-$name" &&
	(cd "pipe-$name" && cat "../in.$name" | test_expect_code $code "$@" >../out-pipe 2>../err-pipe) &&
	fresh "slow-$name" &&
	(cd "slow-$name" && slowly "../in.$name" | test_expect_code $code "$@" >../out-slow 2>../err-slow) &&
	items out-file >expect &&
	test -s expect &&
	items out-pipe >actual &&
	test_cmp expect actual &&
	items out-slow >actual &&
	test_cmp expect actual &&
	for s in file pipe slow
	do
		(cd "$s-$name" && psm check) || return 1
	done
}

test_expect_success '--mbox: a file, a pipe and a slow pipe give the same issues' '
	run_three mbox 1 psm intake --mbox &&
	cat >expect <<-\EOF &&
	new	INPUT, message 1 (byte 0)	Password reset mail never arrives
	new	INPUT, message 3 (byte 374)	Dark mode request
	reply	INPUT, message 4 (byte 585)	Password reset mail never arrives
	EOF
	items out-slow >actual &&
	test_cmp expect actual &&
	grep "^error: stdin, message 2 (byte 264): not an e-mail message" err-slow &&
	grep "intake: 2 new, 1 reply, 1 failed" err-pipe
'

test_expect_success '--mbox from standard input redirected from a file' '
	fresh redirect &&
	(cd redirect && test_expect_code 1 psm intake --mbox <../in.mbox >../out 2>../err) &&
	items out >actual &&
	items out-file >expect &&
	test_cmp expect actual
'

test_expect_success '--email: one message from a pipe and a slow pipe' '
	fresh email-pipe &&
	(cd email-pipe && cat ../in.eml | psm intake --email >../out-pipe) &&
	fresh email-slow &&
	(cd email-slow && slowly ../in.eml | psm intake --email >../out-slow) &&
	items out-pipe >expect &&
	grep "^new	INPUT	" expect &&
	items out-slow >actual &&
	test_cmp expect actual
'

test_expect_success '--jsonl: a file, a pipe and a slow pipe give the same issues' '
	run_three jsonl 1 psm intake --jsonl &&
	cut -f1,2 actual >actions &&
	cat >expect <<-\EOF &&
	new	INPUT:1
	new	INPUT:3
	new	INPUT:5
	EOF
	test_cmp expect actions &&
	grep "^error: stdin:4: invalid JSON" err-slow
'

test_expect_success '--csv: a file, a pipe and a slow pipe give the same issues' '
	run_three csv 1 psm intake --csv &&
	cut -f1,2 actual >actions &&
	cat >expect <<-\EOF &&
	new	INPUT:2
	new	INPUT:3
	EOF
	test_cmp expect actions &&
	grep "^error: stdin:4: more fields than the header" err-slow
'

test_expect_success 'import github -: a file, a pipe and a slow pipe give the same issues' '
	fresh file-json && (cd file-json && test_expect_code 1 psm import github ../in.json >../out-file 2>/dev/null) &&
	fresh pipe-json && (cd pipe-json && cat ../in.json | test_expect_code 1 psm import github - >../out-pipe 2>/dev/null) &&
	fresh slow-json && (cd slow-json && slowly ../in.json | test_expect_code 1 psm import github - >../out-slow 2>/dev/null) &&
	items out-file >expect &&
	test_line_count = 2 expect &&
	items out-pipe >actual &&
	test_cmp expect actual &&
	items out-slow >actual &&
	test_cmp expect actual
'

test_expect_success 'a batch in which every item failed exits non-zero, through a pipe too' '
	fresh allbad &&
	(
		cd allbad &&
		printf "From x\n\nno headers at all\n" | test_expect_code 1 psm intake --mbox 2>../err &&
		grep "intake: 0 new, 1 failed" ../err &&
		printf "not an mbox\n" | test_expect_code 1 psm intake --mbox 2>../err &&
		grep "stdin.*is not an mbox" ../err &&
		printf "{\"body\": \"no title\"}\n" | test_expect_code 1 psm intake --jsonl 2>../err &&
		grep "intake: 0 new, 1 failed" ../err &&
		printf "title,Other\n,only other\n" | test_expect_code 1 psm intake --csv 2>../err &&
		grep "intake: 0 new, 1 failed" ../err &&
		test $(test_commit_count) = 1
	)
'

test -d "$CORPUS" && test_set_prereq NOTMUCH

test_expect_success NOTMUCH 'a real mailbox (the notmuch corpus) through a slow pipe' '
	for f in "$CORPUS"/*.eml
	do
		printf "From corpus@example.org Mon Nov  9 10:00:00 2026\n" &&
		sed "s/^\(>*From \)/>\1/" "$f" &&
		echo || return 1
	done >in.corpus &&
	fresh file-corpus &&
	(cd file-corpus && test_might_fail psm intake --mbox ../in.corpus >../out-file 2>/dev/null) &&
	fresh slow-corpus &&
	(cd slow-corpus && slowly ../in.corpus | test_might_fail psm intake --mbox >../out-slow 2>/dev/null) &&
	items out-file >expect &&
	test_line_count -gt 30 expect &&
	items out-slow >actual &&
	test_cmp expect actual
'

test_done
