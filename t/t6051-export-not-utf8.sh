#!/bin/sh

test_description='psm export of a body that is not UTF-8

psm check accepts any bytes in a body, and psm show --format json writes
U+FFFD for a byte that is not UTF-8. psm export builds its records with the
same code, so it does the same instead of stopping with "out of memory".'

. ./test-lib.sh

test_expect_success 'setup: an issue whose body has a byte that is not UTF-8' '
	git init -q &&
	psm init &&
	mkdir -p issues/7k &&
	printf -- "---\nid: 7kq2m9xabc\ntitle: Export fails\nstatus: new\ncreated: 2026-11-20T10:00:00Z\n---\nLatin-1 caf\351 here.\n" \
		>issues/7k/7kq2m9xabc.md &&
	psm check
'

test_expect_success 'export writes the record, with U+FFFD for the byte' '
	psm export >out.jsonl &&
	test_line_count = 1 out.jsonl &&
	printf "{\"id\":\"7kq2m9xabc\",\"title\":\"Export fails\",\"status\":\"new\",\"created\":\"2026-11-20T10:00:00Z\",\"body\":\"Latin-1 caf\357\277\275 here.\\\\n\"}\n" >expect &&
	test_cmp expect out.jsonl
'

test_expect_success 'the body is the one psm show --format json writes' '
	psm show --format json 7kq2m9x >show.json &&
	printf "  \"body\": \"Latin-1 caf\357\277\275 here.\\\\n\",\n" >expect &&
	grep -x -F -f expect show.json
'

test_expect_success 'the record imports into an empty store' '
	mkdir copy && (
		cd copy &&
		git init -q &&
		psm init &&
		psm intake --jsonl ../out.jsonl >out &&
		grep "^new" out &&
		psm check &&
		printf "Latin-1 caf\357\277\275 here.\n" >expect &&
		grep -x -F -f expect issues/7k/7kq2m9xabc.md
	)
'

test_done
