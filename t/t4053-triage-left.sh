#!/bin/sh

test_description='what the triage session and queue say is left is true

The summary counts what is left in the queue from the store at the end of
the session: skipped items are still new, and items others took in or
triaged meanwhile count as they are. An empty queue says so on a terminal
and prints nothing (text) or [] (JSON) to a pipe.'

. ./test-lib.sh

command -v python3 >/dev/null 2>&1 && test_set_prereq PYTHON

test_expect_success 'setup' '
	psm init &&
	for t in "Export drops the last row" "Invoices show the wrong tax" "Search ignores accents"
	do
		psm intake -t "$t" >/dev/null || return 1
	done
'

test_expect_success 'a skipped item is still left' '
	printf "s\ni\n5\nq\n" | psm triage >out &&
	grep "^  triaged  *1\$" out &&
	grep "^  skipped  *1\$" out &&
	grep "^  left in the queue  *2\$" out &&
	test $(psm triage --queue --format json | grep -c "\"id\":") = 2
'

test_expect_success TTY 'on a terminal: skipping to the end leaves every item in the queue' '
	printf "ss" | test_terminal psm triage >out 2>err &&
	grep "That was the last item in the queue." out &&
	grep "^  skipped  *2" out &&
	grep "^  left in the queue  *2" out
'

test_expect_success 'items taken in during the session are counted' '
	rm -f out err &&
	mkfifo keys &&
	{ psm triage <keys >out 2>err & } &&
	pid=$! &&
	exec 8>keys &&
	i=0 &&
	while ! grep -q "Triage " out 2>/dev/null && test $i -lt 100
	do
		sleep 0.1
		i=$((i + 1))
	done &&
	psm intake -t "Webhook retries never stop" >/dev/null &&
	psm intake -t "Calendar sync is an hour off" >/dev/null &&
	echo q >&8 &&
	exec 8>&- &&
	wait $pid &&
	grep "^  left in the queue  *4\$" out
'

test_expect_success 'an empty queue: [] in JSON, nothing on a pipe' '
	for id in $(psm triage --queue --format json | sed -n "s/^    \"id\": \"\(.*\)\",\$/\1/p")
	do
		psm triage $id --impact edge >/dev/null || return 1
	done &&
	psm triage --queue >out &&
	test_line_count = 0 out &&
	psm triage --queue --format json >out &&
	echo "[]" >expect &&
	test_cmp expect out
'

test_expect_success TTY 'an empty queue on a terminal says so' '
	test_terminal psm triage --queue >out 2>err &&
	grep "^The triage queue is empty.\$" out &&
	test_terminal psm triage --queue --format json >out 2>err &&
	tr -d "\r" <out >out.json &&
	test_cmp expect out.json &&
	printf q | test_terminal psm triage >out 2>err &&
	grep "^Nothing to triage: the queue is empty." out
'

# The session takes the queue through the cache (cache.h), each item as its
# path and score alone, and counts what is left through it too: the same
# order as psm triage --queue, and the same count, a broken file left out.
test_expect_success PYTHON 'a long queue: the session goes in the queue'"'"'s order' '
	gen_store many 3 400 &&
	(
		cd many &&
		mkdir -p issues/zz &&
		printf -- "---\ntitle: [unclosed\nstatus: new\n---\n" >issues/zz/zzzzzzzzzz.md &&
		test_expect_code 1 psm triage --queue >queue 2>err &&
		grep "zzzzzzzzzz.md" err &&
		n=$(($(wc -l <queue) - 1)) &&
		test $n -gt 50 &&
		awk "NR > 1 && NR <= 42 { print substr(\$1, 1, 7) }" queue >expect &&
		{ for i in $(seq 1 40); do echo s; done; echo q; } >keys &&
		test_expect_code 1 psm triage <keys >out 2>err &&
		sed -n "s/^.*Triage \([0-9a-z]*\) \[.*/\1/p" out | cut -c1-7 >actual &&
		test_cmp expect actual &&
		grep "^  left in the queue  *$n\$" out &&
		grep "^  skipped  *40\$" out
	)
'

test_done
