#!/bin/sh

test_description='psm intake --jsonl

One JSON object per line: the fields, defaults from the command line,
errors naming the line while the valid lines are still taken in, and
idempotence on (source, external_id).'

. ./test-lib.sh

test_expect_success 'setup' '
	git init -q &&
	psm init &&
	cat >batch.jsonl <<-\EOF
	{"title": "Sync stops after an hour", "body": "Desktop client, macOS 15.", "source": "chat", "external_id": "chat-101", "reporter": {"name": "Ana Lima", "email": "ana@example.br"}, "customer": "Lima Ltda", "labels": ["sync", "desktop"], "type": "bug", "created": "2026-11-01T09:00:00+02:00"}

	{"title": "Dark mode please", "source": "app-store", "external_id": "r-77", "reporter": "nightowl <nightowl@example.com>", "labels": "ui, Feature Request"}
	{"title": "broken line", "source": "chat",
	["not", "an", "object"]
	{"body": "no title here", "external_id": "x-1"}
	{"title": "Bad label type", "labels": [1, 2]}
	{"title": "Unknown status", "status": "done"}
	{"title": "Odd field", "priority": "high"}
	{"title": "Call notes: export is slow", "source": "call", "external_id": "call-9", "reporter": {"name": "Tom Becker", "contact": "+49 30 1234567"}, "created": "2026-11-03"}
	EOF
'

test_expect_success 'valid lines are taken in, each error names its line' '
	before=$(test_commit_count) &&
	test_expect_code 1 psm intake --jsonl batch.jsonl >out 2>err &&
	test $(test_commit_count) = $((before + 1)) &&
	cut -f1,3 out >actual &&
	cat >expect <<-\EOF &&
	new	batch.jsonl:1
	new	batch.jsonl:3
	new	batch.jsonl:10
	EOF
	test_cmp expect actual &&
	grep "^error: batch.jsonl:4: invalid JSON at column" err &&
	grep "^error: batch.jsonl:5: not a JSON object" err &&
	grep "^error: batch.jsonl:6: missing .title." err &&
	grep "^error: batch.jsonl:7: .labels. must be a list of strings" err &&
	grep "^error: batch.jsonl:8: status .done. is not in the config" err &&
	grep "^error: batch.jsonl:9: unknown field .priority." err &&
	grep "intake: 3 new, 6 failed" err
'

test_expect_success 'fields land where psm keeps them' '
	f=$(grep -l "^title: Sync stops after an hour" issues/*/*.md) &&
	sed -n "2,\$p" "$f" | sed "/^---$/q" | grep -v "^id:" | grep -v "^updated:" >actual &&
	cat >expect <<-\EOF &&
	title: Sync stops after an hour
	status: new
	type: bug
	labels:
	- desktop
	- sync
	customer: Lima Ltda
	source: chat
	external_id: chat-101
	reporters:
	- name: Ana Lima
	  email: ana@example.br
	  channel: chat
	  at: 2026-11-01T07:00:00Z
	created: 2026-11-01T07:00:00Z
	---
	EOF
	test_cmp expect actual &&
	tail -n 1 "$f" >body &&
	echo "Desktop client, macOS 15." >expect &&
	test_cmp expect body
'

test_expect_success 'a "Name <email>" reporter, labels as one string, a contact' '
	f=$(grep -l "^title: Dark mode please" issues/*/*.md) &&
	grep -x -- "- name: nightowl" "$f" &&
	grep -x "  email: nightowl@example.com" "$f" &&
	grep -x -- "- Feature-Request" "$f" &&
	grep -x -- "- ui" "$f" &&
	grep -x "created: $PSM_NOW" "$f" &&
	g=$(grep -l "^title: .Call notes: export is slow" issues/*/*.md) &&
	grep -x "  contact: +49 30 1234567" "$g" &&
	grep -x "created: 2026-11-03" "$g" &&
	psm check
'

test_expect_success 'the same lines again: nothing new, no commit' '
	before=$(test_commit_count) &&
	test_expect_code 1 psm intake --jsonl batch.jsonl >out 2>err &&
	test $(test_commit_count) = $before &&
	cut -f1 out | sort | uniq -c | sed "s/^ *//" >actual &&
	echo "3 skipped" >expect &&
	test_cmp expect actual &&
	grep "already taken in (same external_id)" out
'

test_expect_success 'idempotence is on (source, external_id)' '
	echo "{\"title\": \"Same id, other channel\", \"source\": \"form\", \"external_id\": \"chat-101\"}" |
		psm intake --jsonl >out &&
	cut -f1 out >action &&
	echo new >expect &&
	test_cmp expect action
'

test_expect_success 'standard input, --source and --label as defaults' '
	printf "%s\n" "{\"title\": \"From stdin\", \"external_id\": \"s-1\"}" |
		psm intake --jsonl --source form -l imported - >out &&
	f=$(grep -l "^title: From stdin" issues/*/*.md) &&
	grep -x "source: form" "$f" &&
	grep -x -- "- imported" "$f" &&
	cut -f3 out >where &&
	echo stdin:1 >expect &&
	test_cmp expect where
'

test_expect_success 'a line with no external_id but its own created time is matched on content' '
	line="{\"title\": \"No id\", \"source\": \"chat\", \"created\": \"2026-10-01T00:00:00Z\"}" &&
	echo "$line" | psm intake --jsonl >out1 &&
	echo "$line" | psm intake --jsonl >out2 &&
	cut -f1 out1 out2 >actions &&
	printf "new\nskipped\n" >expect &&
	test_cmp expect actions &&
	grep "same source, created and title" out2
'

test_expect_success 'two lines in one batch with the same key: the second is skipped' '
	printf "%s\n%s\n" "{\"title\": \"Twice\", \"external_id\": \"t-2\"}" \
		"{\"title\": \"Twice again\", \"external_id\": \"t-2\"}" >twice.jsonl &&
	psm intake --jsonl twice.jsonl >out &&
	cut -f1 out >actions &&
	printf "new\nskipped\n" >expect &&
	test_cmp expect actions
'

test_expect_success 'a title with line breaks becomes one line' '
	cat >nl.jsonl <<-\EOF &&
	{"title": "Two\nlines", "external_id": "nl-1"}
	EOF
	psm intake --jsonl nl.jsonl &&
	grep -x "title: Two lines" issues/*/*.md
'

test_expect_success 'a file that cannot be read stops the command' '
	test_expect_code 128 psm intake --jsonl nosuch.jsonl 2>err &&
	grep "could not read .nosuch.jsonl." err
'

test_done
