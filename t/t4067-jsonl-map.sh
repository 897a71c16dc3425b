#!/bin/sh

test_description='psm intake --jsonl --map, with nested fields

A chat tool'"'"'s export (conversation_id, author.email, created_at, tags)
goes in without jq: --map PATH=FIELD reads a key, or a nested one by its
dotted path, as a field; what no map takes is kept in the body, as --csv
keeps unmapped columns.'

. ./test-lib.sh

MAPS="--map conversation_id=external_id --map author.email=reporter_email
	--map author.name=reporter_name --map text=title --map text=body
	--map created_at=created --map tags=labels"

test_expect_success 'setup: a chat export' '
	psm init &&
	cat >chat.jsonl <<-\EOF
	{"conversation_id": "c_8812", "created_at": "2026-11-19T09:12:00Z", "author": {"name": "Dana Ortiz", "email": "dana@acme.example", "id": "U1"}, "text": "Login fails after the password reset", "channel": "widget", "tags": ["login", "mobile app"], "attachments": [{"name": "shot.png", "size": 5120}]}
	{"conversation_id": 8813, "created_at": "2026-11-19T10:00:00Z", "author": {"name": "Raj", "email": "raj@beta.example"}, "text": "Export to CSV drops the last row", "user.plan": "pro", "rating": null}
	EOF
'

test_expect_success 'nested fields fill the issue; the rest is kept in the body' '
	psm intake --jsonl chat.jsonl --source chat $MAPS >out 2>err &&
	test $(grep -c "^new	" out) = 2 &&
	id=$(sed -n 1p out | cut -f2) &&
	p=$(path_of $id) &&
	grep "^title: Login fails after the password reset\$" "$p" &&
	grep "^external_id: c_8812\$" "$p" &&
	grep "^created: 2026-11-19T09:12:00Z\$" "$p" &&
	grep "^source: chat\$" "$p" &&
	sed -n "/^labels:/,/^[a-z]/p" "$p" >labels &&
	grep "^- login\$" labels && grep "^- mobile-app\$" labels &&
	sed -n "/^reporters:/,/^[a-z]/p" "$p" >reps &&
	grep "^- name: Dana Ortiz\$" reps &&
	grep "^  email: dana@acme.example\$" reps &&
	grep "^  channel: chat\$" reps &&
	grep "^  at: 2026-11-19T09:12:00Z\$" reps &&
	sed "1,/^---\$/d" "$p" >body &&
	cat >expect <<-\EOF &&
	Login fails after the password reset

	- author.id: U1
	- channel: widget
	- attachments.0.name: shot.png
	- attachments.0.size: 5120
	EOF
	test_cmp expect body &&
	psm check
'

test_expect_success 'a number is text; a key with a dot is found as written; null is nothing' '
	id=$(sed -n 2p out | cut -f2) &&
	p=$(path_of $id) &&
	grep "^external_id: .8813.\$" "$p" &&
	sed "1,/^---\$/d" "$p" >body &&
	grep "^- user.plan: pro\$" body &&
	! grep rating body
'

test_expect_success 'the same export again is skipped, by source and external_id' '
	before=$(git rev-parse HEAD) &&
	psm intake --jsonl chat.jsonl --source chat $MAPS >out &&
	test $(grep -c "^skipped	" out) = 2 &&
	test "$(git rev-parse HEAD)" = "$before"
'

test_expect_success 'a map to - drops the value; a path no record has is warned about' '
	printf "{\"subject\": \"Invites expire\", \"meta\": {\"ua\": \"Firefox\", \"ip\": \"10.0.0.1\"}}\n" >one.jsonl &&
	psm intake --jsonl one.jsonl --map subject=title --map meta.ip=- --map meta.nope=customer >out 2>err &&
	grep "warning: --map .meta.nope=customer.: no record has .meta.nope." err &&
	p=$(path_of $(cut -f2 out)) &&
	sed "1,/^---\$/d" "$p" >body &&
	echo "- meta.ua: Firefox" >expect &&
	test_cmp expect body
'

test_expect_success 'a field filled twice keeps its first value; the others stay in the body' '
	cat >twice.jsonl <<-\EOF &&
	{"subject": "Export is empty", "title": "old title", "alt": "another title", "who": "kim@acme.example", "reporter": {"email": "bot@acme.example"}, "text": "The CSV export has no rows."}
	EOF
	psm intake --jsonl twice.jsonl --map subject=title --map alt=title \
		--map who=reporter_email --map text=body >out &&
	p=$(path_of $(cut -f2 out)) &&
	grep -x "title: Export is empty" "$p" &&
	grep -x -- "- email: kim@acme.example" "$p" &&
	sed "1,/^---\$/d" "$p" >body &&
	cat >expect <<-\EOF &&
	The CSV export has no rows.

	- alt: another title
	- title: old title
	- reporter.email: bot@acme.example
	EOF
	test_cmp expect body
'

test_expect_success 'keys named as forms name fields: the --map that reads them, once per file' '
	cat >form.jsonl <<-\EOF &&
	{"title": "Export is empty", "email": "kim@acme.example", "company": "Acme"}
	{"title": "Export is slow", "email": "lee@beta.example", "company": "Beta", "Rating": 2}
	EOF
	test_expect_code 1 psm intake --jsonl form.jsonl >out 2>err &&
	grep "^error: form.jsonl:1: unknown field .email." err &&
	cat >expect <<-\EOF &&
	hint: form.jsonl: keys '"'"'email'"'"', '"'"'company'"'"' are not psm fields
	hint: to read them as fields: --map email=reporter_email --map company=customer
	EOF
	grep "^hint: form.jsonl\|^hint: to read" err >actual &&
	test_cmp expect actual &&
	psm intake --jsonl form.jsonl --map email=reporter_email >out 2>err &&
	grep "^hint: form.jsonl: key .company. went into each body\$" err &&
	grep "^hint: to read it as a field: --map company=customer\$" err &&
	psm intake --jsonl form.jsonl --map email=reporter_email --map company=customer >out 2>err &&
	! grep "^hint: form.jsonl" err
'

test_expect_success 'refusals: a field psm does not know, a map without =' '
	test_expect_code 128 psm intake --jsonl one.jsonl --map subject=headline 2>err &&
	grep "invalid --map .subject=headline.: .headline. is not a field (title, body" err &&
	test_expect_code 128 psm intake --jsonl one.jsonl --map subject 2>err &&
	grep "use --map PATH=FIELD" err &&
	test_expect_code 129 psm intake --email --map a=title one.jsonl 2>err &&
	# without --map, a key psm does not know is still an error
	test_expect_code 1 psm intake --jsonl one.jsonl 2>err &&
	grep "unknown field .subject." err
'

test_done
