#!/bin/sh

test_description='docs/workflow.md: the week runs on psm commands alone

Every command in the shell blocks of docs/workflow.md is a psm command,
the prose never sends the user to an editor or to git commit, and run in
order on a store holding the issues the page names, every command
succeeds and the week ends as the page says: the blocked item was
blocked through psm, every follow-up is recorded, the tree is clean.'

. ./test-lib.sh

DOC=$PSM_SOURCE_DIR/docs/workflow.md
# the page's team: "psm assign ... me" is Sam, one of the owners
GIT_AUTHOR_EMAIL=sam@example.com
export GIT_AUTHOR_EMAIL

test_expect_success 'every command of the page is a psm command' '
	awk "
		/^\`\`\`sh\$/ { inb = 1; next }
		inb && /^\`\`\`\$/ { inb = 0; next }
		inb { line = line \$0; if (sub(/[\\\\]\$/, \"\", line)) next; print line; line = \"\" }
	" "$DOC" >cmds &&
	test $(wc -l <cmds) -gt 40 &&
	{ grep -v "^psm " cmds || :; } >other &&
	test_line_count = 0 other
'

test_expect_success 'the prose sends nobody to an editor or to git commit' '
	sed -n "/^## Monday/,/^## Why it works/p" "$DOC" >week &&
	! grep -i "editor\|by hand\|in the issue file\|status: blocked\|git commit" week
'

test_expect_success 'setup: a store holding the issues the page names' '
	psm init &&
	sed "s/^owners: \[\]/owners: [sam@example.com, ana@example.com, bo@example.com]/" \
		.psm/config.yml >tmp && mv tmp .psm/config.yml &&
	cat >>.psm/config.yml <<-\EOF &&
	onboarding:
	  signup: signed_up
	  steps: [created_project, invited_teammate]
	adoption:
	  dashboards:
	    events: dashboard_created
	EOF
	git commit -q -m "owners, onboarding" .psm/config.yml &&
	cat >events-2026-W47.jsonl <<-\EOF &&
	{"event": "signed_up", "distinct_id": "u1", "timestamp": "2026-11-16T09:00:00Z"}
	{"event": "created_project", "distinct_id": "u1", "timestamp": "2026-11-16T09:05:00Z"}
	{"event": "invited_teammate", "distinct_id": "u1", "timestamp": "2026-11-17T10:00:00Z"}
	{"event": "signed_up", "distinct_id": "u2", "timestamp": "2026-11-17T09:00:00Z"}
	{"event": "dashboard_created", "distinct_id": "u1", "timestamp": "2026-11-18T09:00:00Z"}
	EOF
	cat >fixture.jsonl <<-\EOF &&
	{"id": "7kq2m9xaaa", "title": "Can'"'"'t sign in after password reset", "customer": "Acme", "source": "email", "created": "2026-11-16T09:00:00Z", "reporter": "Dana Ortiz <dana@acme.example>"}
	{"id": "9f3k2aaaaa", "title": "Login broken after the reset mail", "source": "email", "created": "2026-11-17T09:00:00Z", "reporter": "Eli Park <eli@beta.example>"}
	{"id": "4hd81qqaaa", "title": "SSO login loops for Acme", "customer": "Acme", "created": "2026-11-16T10:00:00Z", "reporter": "Acme Admin <admin@acme.example>"}
	{"id": "2ww9x0raaa", "title": "Onboarding checklist for teams", "labels": ["onboarding"], "created": "2026-11-16T11:00:00Z", "reporter": "Kim <kim@gamma.example>"}
	{"id": "5mm0a1caaa", "title": "CSV import mangles accents", "created": "2026-11-16T12:00:00Z", "reporter": "Fay <fay@delta.example>"}
	{"id": "8zz7b2daaa", "title": "How do I export my data?", "source": "app-store", "created": "2026-11-16T13:00:00Z", "reporter": {"name": "jk88"}}
	{"id": "6gk3v1paaa", "title": "Sign-in page blank after reset", "created": "2026-11-17T10:00:00Z", "reporter": "Gus <gus@eps.example>"}
	{"id": "0hq4r2zaaa", "title": "Blank sign-in page", "created": "2026-11-17T11:00:00Z", "reporter": "Hal <hal@zeta.example>"}
	{"id": "3tq0b6faaa", "title": "Safari login spinner", "status": "closed", "resolution": "fixed", "closed": "2026-11-13T16:00:00Z", "created": "2026-11-10T09:00:00Z", "reporter": "Dana Ortiz <dana@acme.example>", "followup": {"done": "2026-11-13T17:00:00Z", "by": "sam@example.com"}}
	EOF
	psm intake --jsonl fixture.jsonl >out &&
	test $(grep -c "^new	" out) = 9 &&
	psm dup 0hq4r2z --of 6gk3v1p &&
	cat >support.mbox <<-\EOF &&
	From x Thu Nov 19 08:00:00 2026
	From: Lee <lee@eta.example>
	Subject: Invoices show the wrong currency
	Date: Thu, 19 Nov 2026 08:00:00 +0000
	Message-ID: <s1@eta.example>

	The invoice PDF says USD, we pay in EUR.

	EOF
	cat >chat.jsonl <<-\EOF &&
	{"conversation_id": "c1", "author": {"name": "Mo", "email": "mo@theta.example"}, "text": "Dark mode please", "channel": "widget"}
	EOF
	psm check
'

test_expect_success 'the whole week, command by command, in order' '
	while read -r line
	do
		eval "$line" </dev/null >cmd.out 2>cmd.err || {
			echo "failed: $line" >&2
			cat cmd.err >&2
			return 1
		}
	done <cmds
'

test_expect_success 'the week ends as the page says' '
	git log --format=%s >log &&
	grep "^psm blocked 4hd81qq: SSO login loops for Acme\$" log &&
	grep "^psm in-progress 4hd81qq: " log &&
	grep "^psm dup 6gk3v1p: " log &&
	psm show --format json 0hq4r2z | grep "\"duplicate_of\": \"7kq2m9xaaa\"" &&
	psm list followup:pending --format tsv >pending &&
	test_line_count = 0 pending &&
	psm show --format json 8zz7b2d | grep "\"unreachable\": \"app-store review, no address\"" &&
	psm show --format json 7kq2m9x | grep "\"ref\": \"<20261120.4f2a@example.com>\"" &&
	git status --porcelain --untracked-files=no >st &&
	test_line_count = 0 st &&
	grep "^  signups: 2\$" .psm/usage/2026-W47.yml &&
	grep "^  dashboards: 1\$" .psm/usage/2026-W47.yml &&
	psm check &&
	git fsck --no-progress 2>&1 | grep -v "^Checking" >fsck || true &&
	test_line_count = 0 fsck
'

test_done
