#!/bin/sh

test_description='psm show

One issue as text for a terminal, as the Markdown file, or as JSON; unknown
and unreadable issues are clear errors; customer text cannot drive the
terminal.'

. ./test-lib.sh

test_expect_success 'setup' '
	psm init &&
	mkdir -p issues/k7 &&
	cat >issues/k7/k700000000.md <<-\EOF &&
	---
	# a comment psm keeps
	id: k700000000
	title: "Fix: crash on \"start\" — ünïcode"
	status: triaged
	type: bug
	impact: core
	labels:
	- csv
	- import
	owner: ann@example.com
	customer: Acme Corp
	source: email
	reporters:
	- name: Bob Example
	  email: bob@example.com
	  channel: email
	  at: 2026-11-18T10:00:00Z
	created: 2026-11-18T10:00:00Z
	updated: 2026-11-19T10:00:00Z
	x-sla: gold
	---
	The import **crashes** when a header is `Start`.

	- first
	- second
	EOF
	git add issues &&
	git commit -q -m issue
'

test_expect_success 'text: title, fields, reporters, times with age, unknown keys, body' '
	psm show k700 >out &&
	head -n 1 out >first &&
	echo "k700000  Fix: crash on \"start\" — ünïcode" >expect &&
	test_cmp expect first &&
	grep "^status  *triaged\$" out &&
	grep "^type  *bug\$" out &&
	grep "^impact  *core\$" out &&
	grep "^owner  *ann@example.com\$" out &&
	grep "^customer  *Acme Corp\$" out &&
	grep "^labels  *csv, import\$" out &&
	grep "^reporters  *Bob Example <bob@example.com> via email, 2026-11-18T10:00:00Z\$" out &&
	grep "^created  *2026-11-18T10:00:00Z (2d ago)\$" out &&
	grep "^updated  *2026-11-19T10:00:00Z (1d ago)\$" out &&
	grep "^x-sla  *gold\$" out &&
	grep "crashes" out &&
	grep "first" out &&
	! grep "$(printf "\033")" out
'

test_expect_success 'text: the follow-up person by person, ratings, reopens' '
	mkdir -p issues/m8 &&
	cat >issues/m8/m800000000.md <<-\EOF &&
	---
	id: m800000000
	title: Export times out
	status: closed
	resolution: fixed
	reporters:
	- name: Dana
	  email: dana@acme.example
	  at: 2026-11-10T10:00:00Z
	- name: Eve
	  email: eve@beta.example
	  at: 2026-11-11T10:00:00Z
	- contact: jk88
	  channel: app-store
	  at: 2026-11-12T10:00:00Z
	created: 2026-11-10T10:00:00Z
	updated: 2026-11-19T10:00:00Z
	closed: 2026-11-19T09:00:00Z
	first_closed: 2026-11-15T09:00:00Z
	reopened: 1
	followups:
	- reporter: dana@acme.example
	  done: 2026-11-19T09:30:00Z
	  by: pat@team.example
	- reporter: jk88
	  done: 2026-11-19T09:31:00Z
	  by: pat@team.example
	  unreachable: app-store review, no address
	ratings:
	- value: good
	  reporter: dana@acme.example
	  at: 2026-11-19T12:00:00Z
	  comment: quick fix, thanks
	---
	Big exports time out.
	EOF
	psm check &&
	psm show m800 >out &&
	grep "^reopened  *1\$" out &&
	grep "^closed  *2026-11-19T09:00:00Z (1d ago)\$" out &&
	grep "^first_closed 2026-11-15T09:00:00Z (5d ago)\$" out &&
	grep "^followup  *told Dana <dana@acme.example>, 2026-11-19T09:30:00Z by pat@team.example\$" out &&
	grep "^  *owed to Eve <eve@beta.example>\$" out &&
	grep "^  *cannot tell jk88, 2026-11-19T09:31:00Z by pat@team.example: app-store review, no address\$" out &&
	grep "^ratings  *good from dana@acme.example, 2026-11-19T12:00:00Z: quick fix, thanks\$" out &&
	psm show k700 >out &&
	! grep "^followup\|^ratings\|^first_closed" out
'

test_expect_success 'md: the file as stored, byte for byte' '
	psm show --format md k700000000 >out &&
	test_cmp issues/k7/k700000000.md out
'

test_expect_success 'json: one object with every field, path, body and extra' '
	psm show --format json k7000 >out &&
	cat >check.py <<-\EOF &&
	import json, sys
	o = json.load(open(sys.argv[1], encoding="utf-8"))
	assert isinstance(o, dict)
	assert o["id"] == "k700000000" and o["short_id"] == "k700000"
	assert o["title"] == "Fix: crash on \"start\" \u2014 \u00fcn\u00efcode"
	assert o["status"] == "triaged" and o["impact"] == "core"
	assert o["labels"] == ["csv", "import"]
	assert o["reporters"] == [{"name": "Bob Example", "email": "bob@example.com",
	                           "channel": "email", "at": "2026-11-18T10:00:00Z"}]
	assert o["reporter_count"] == 1
	assert o["path"] == "issues/k7/k700000000.md"
	assert o["body"].startswith("The import **crashes**")
	assert o["extra"] == {"x-sla": "gold"}
	assert o["closed"] is None and o["resolution"] is None
	EOF
	python3 check.py out
'

test_expect_success 'show needs exactly one ID' '
	test_expect_code 129 psm show 2>err &&
	grep "which issue" err &&
	grep "usage: psm show" err &&
	test_expect_code 129 psm show k700 k7 2>err &&
	grep "usage: psm show" err &&
	test_expect_code 129 psm show --format yaml k700 2>err &&
	grep "unknown format" err
'

test_expect_success 'an unknown ID is a one-line error, exit 128' '
	test_expect_code 128 psm show zzzzzzz >out 2>err &&
	test_line_count = 0 out &&
	test_line_count = 1 err &&
	grep "^fatal: no issue .zzzzzzz." err
'

test_expect_success 'an unreadable file is named with its line, exit non-zero' '
	mkdir -p issues/m1 &&
	printf -- "---\nid: m100000000\ntitle: ok\nstatus: [new\n---\n" >issues/m1/m100000000.md &&
	test_expect_code 128 psm show m100 >out 2>err &&
	test_line_count = 0 out &&
	grep "issues/m1/m100000000.md:[0-9]*:[0-9]*:" err &&
	test_expect_code 128 psm show --format json m100 2>err &&
	grep "issues/m1/m100000000.md" err &&
	rm -r issues/m1
'

test_expect_success 'escape sequences in customer text never reach the terminal' '
	mkdir -p issues/n1 &&
	printf -- "---\nid: n100000000\ntitle: \"evil \\\\e]0;pwned\\\\a\\\\e[2J title\"\nstatus: new\ncustomer: \"\\\\e[31mred\"\ncreated: 2026-11-18T10:00:00Z\n---\nbody \033[2J\033]8;;http://x\033\\\\link\033]8;;\033\\\\ end\n" \
		>issues/n1/n100000000.md &&
	psm check issues/n1/n100000000.md &&
	psm show n100 >out &&
	! grep "$(printf "\033")" out &&
	grep "evil" out &&
	grep "link" out &&
	psm list --format tsv >out &&
	! grep "$(printf "\033")" out &&
	psm list >out &&
	! grep "$(printf "\033")" out
'

test_expect_success TTY 'nor on a terminal, where psm colours its own text' '
	TERM=xterm &&
	export TERM &&
	test_terminal psm show n100 >out &&
	grep "$(printf "\033")\[" out &&
	! grep "$(printf "\033")\]" out &&
	! grep "$(printf "\033")\[2J" out &&
	! grep "$(printf "\033")\[31m" out &&
	test_terminal psm list >out &&
	! grep "$(printf "\033")\[2J" out &&
	! grep "$(printf "\033")\]" out
'

test_done
