#!/bin/sh

test_description='psm export

Issues as the records psm intake --jsonl reads: export then import into an
empty store gives the same issues, byte for byte; --format json; search
terms; an export fed back to its own store adds nothing.'

. ./test-lib.sh

test_expect_success 'setup: a store with a bit of everything' '
	git init -q &&
	psm init &&
	psm intake -t "Login fails on Safari" -m "Since 17.2." --source email \
		--reporter "Dana Ortiz <dana@acme.example>" --customer Acme --type bug -l login >id1 &&
	test_tick &&
	psm intake -t "Please add dark mode" --source app-store \
		--reporter "nightowl <nightowl@mail.example>" --type feature >id2 &&
	test_tick &&
	psm intake -t "Where is the billing address?" --source call -l billing >id3 &&
	test_tick &&
	psm note $(cat id1) -m "Reproduced on 17.2, not on 17.1." &&
	test_tick &&
	psm close $(cat id3) --resolution answered -m "Settings, then Billing." &&
	f=$(ls issues/*/$(cat id2)*.md) &&
	# a key psm does not know, where a person would add it: last
	awk "/^---\$/ && ++n == 2 { print \"team: mobile\" } { print }" "$f" >tmp &&
	mv tmp "$f" &&
	grep -x "team: mobile" "$f" &&
	printf "Plain \"quoted\" text\twith a tab, and ünïcode.\n" >>"$f" &&
	git commit -qam "hand edit" &&
	psm check
'

test_expect_success 'export writes one JSON object per line, oldest first' '
	psm export >all.jsonl &&
	test_line_count = 3 all.jsonl &&
	head -n 1 all.jsonl >first &&
	grep "\"title\":\"Login fails on Safari\"" first &&
	grep "\"team\":\"mobile\"" all.jsonl &&
	grep "\"extra\":{\"team\":\"mobile\"}" all.jsonl
'

test_expect_success 'export, then import into an empty store: the same issues' '
	mkdir copy && (
		cd copy &&
		git init -q &&
		psm init &&
		psm intake --jsonl ../all.jsonl >out &&
		cut -f1 out | sort | uniq -c | sed "s/^ *//" >actual &&
		echo "3 new" >expect &&
		test_cmp expect actual &&
		psm export >../again.jsonl &&
		psm check
	) &&
	test_cmp all.jsonl again.jsonl &&
	diff -r issues copy/issues
'

test_expect_success '--format json is an array that imports the same way' '
	psm export --format json >all.json &&
	head -c 1 all.json >first-char &&
	printf "[" >expect &&
	test_cmp expect first-char &&
	mkdir copy2 && (
		cd copy2 &&
		git init -q &&
		psm init &&
		psm intake --jsonl ../all.json >out &&
		test_line_count = 3 out
	) &&
	diff -r issues copy2/issues
'

test_expect_success 'an export fed back to its own store adds nothing' '
	before=$(test_commit_count) &&
	psm intake --jsonl all.jsonl >out &&
	test $(test_commit_count) = $before &&
	cut -f1 out | sort -u >actual &&
	echo skipped >expect &&
	test_cmp expect actual &&
	grep "same id" out
'

test_expect_success 'search terms pick what is exported; no terms is everything' '
	psm export is:closed >closed.jsonl &&
	test_line_count = 1 closed.jsonl &&
	grep "\"resolution\":\"answered\"" closed.jsonl &&
	psm export label:login >login.jsonl &&
	test_line_count = 1 login.jsonl &&
	psm export source:nosuch >none.jsonl &&
	test_line_count = 0 none.jsonl
'

test_expect_success 'an empty store exports nothing; a bad format is a usage error' '
	mkdir empty && (
		cd empty &&
		git init -q &&
		psm init &&
		psm export >out &&
		test_line_count = 0 out &&
		psm export --format json >out.json &&
		echo "[]" >expect &&
		test_cmp expect out.json &&
		test_expect_code 129 psm export --format tsv
	)
'

test_expect_success CORPORA 'the round trip on real mail and tasks is byte for byte' '
	corpora="$PSM_SOURCE_DIR/../shared/corpora" &&
	mkdir real real-copy && (
		cd real &&
		git init -q &&
		psm init &&
		test_might_fail psm intake --maildir "$corpora/email/notmuch" >/dev/null &&
		test_might_fail psm import backlog-md "$corpora/tasks/backlog-md" >/dev/null &&
		psm import github "$TEST_DIRECTORY/t6030/gh-issues.json" >/dev/null 2>&1 ||
		test $? = 1
	) &&
	(cd real && psm export) >real.jsonl &&
	test $(wc -l <real.jsonl) -gt 100 &&
	(
		cd real-copy &&
		git init -q &&
		psm init &&
		psm intake --jsonl ../real.jsonl >/dev/null &&
		psm export >../real-again.jsonl
	) &&
	test_cmp real.jsonl real-again.jsonl &&
	diff -r real/issues real-copy/issues
'

test_done
