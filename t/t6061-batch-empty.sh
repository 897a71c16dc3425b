#!/bin/sh

test_description='an empty batch input is zero items, exit 0

A daily cron job that imports whatever arrived must not fail on a day when
nothing did: an empty mbox, an empty or header-only CSV, an empty JSONL
file, an empty maildir, an empty --email input and an empty GitHub export
are zero items, exit 0, and no commit, from a file and from standard input
alike. An input with items that all failed still exits 1.'

. ./test-lib.sh

test_expect_success 'setup' '
	git init -q &&
	psm init &&
	: >empty &&
	printf "\n\n  \n" >blank &&
	mkdir -p md/cur md/new md/tmp plain backlog
'

# nothing CMD...: CMD takes no item, exits 0, commits nothing.
nothing () {
	before=$(test_commit_count) &&
	"$@" >out 2>err &&
	! test -s out &&
	grep "^[a-z -]*: 0 new$" err &&
	test $(test_commit_count) = $before &&
	test -z "$(git status --porcelain -- issues .psm)"
}

test_expect_success 'an empty mbox: a file, standard input, a pipe, blank lines' '
	nothing psm intake --mbox empty &&
	nothing psm intake --mbox <empty &&
	cat empty | nothing psm intake --mbox &&
	nothing psm intake --mbox blank &&
	cat blank | nothing psm intake --mbox
'

test_expect_success 'an empty CSV: nothing at all, blank lines, only a header' '
	nothing psm intake --csv empty &&
	nothing psm intake --csv <empty &&
	cat empty | nothing psm intake --csv &&
	nothing psm intake --csv blank &&
	printf "title,body\n" >header.csv &&
	nothing psm intake --csv header.csv &&
	cat header.csv | nothing psm intake --csv
'

test_expect_success 'an empty JSONL input' '
	nothing psm intake --jsonl empty &&
	cat empty | nothing psm intake --jsonl &&
	cat blank | nothing psm intake --jsonl
'

test_expect_success 'an empty maildir and an empty folder' '
	nothing psm intake --maildir md &&
	nothing psm intake --maildir plain
'

test_expect_success 'an empty --email input' '
	nothing psm intake --email empty &&
	cat empty | nothing psm intake --email
'

test_expect_success 'an empty GitHub export, and an empty backlog folder' '
	nothing psm import github empty &&
	cat empty | nothing psm import github - &&
	echo "[]" | nothing psm import github - &&
	nothing psm import backlog-md backlog
'

test_expect_success 'JSON output for an empty input: zero counts, not committed' '
	cat empty | psm intake --mbox --format json >out &&
	grep "\"new\": 0" out &&
	grep "\"failed\": 0" out &&
	grep "\"committed\": false" out &&
	grep "\"items\": \[\]" out
'

test_expect_success 'an input whose only item failed still exits 1' '
	printf "From x\n\nno headers\n" | test_expect_code 1 psm intake --mbox 2>err &&
	grep "0 new, 1 failed" err &&
	printf "title,body\n,no title\n" | test_expect_code 1 psm intake --csv 2>err &&
	grep "0 new, 1 failed" err
'

test_done
