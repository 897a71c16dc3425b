#!/bin/sh

test_description='the triage session confirms each decision on one line

After each decision is committed, and before the next item is shown, the
session says what it did on one line: triaged with impact, response and
owner; parked until when; duplicate of which issue with how many people;
closed as what; reopened or kept closed. Scripted and on a terminal.'

. ./test-lib.sh

test_expect_success 'setup: five items in the queue' '
	psm init &&
	sed "s/^owners: \[\]/owners:\\
- alice@example.com/" .psm/config.yml >tmp && mv tmp .psm/config.yml &&
	git commit -q -m owners .psm/config.yml &&
	psm intake -t "Cannot sign in after password reset" --customer Acme \
		--reporter "Dana <dana@acme.example>" \
		-m "After resetting my password the login page says invalid credentials." >A &&
	test_tick &&
	psm intake -t "Login fails once the password was reset" \
		--reporter "Eve <eve@beta.example>" \
		-m "I reset my password and now login says my credentials are invalid." >B 2>/dev/null &&
	test_tick &&
	psm intake -t "Dark mode for the dashboard" >C &&
	test_tick &&
	psm intake -t "Typo on the pricing page" >D &&
	test_tick &&
	psm intake -t "Webhook retries never stop" >E &&
	psm triage --queue | awk "NR > 1 { print \$1 }" >order &&
	cat A B C D E >expect &&
	test_cmp expect order
'

test_expect_success 'each decision is confirmed on one line, before the next item' '
	printf "%s\n" i 1 1 d 1 p 2 c 1 i 4 q | psm triage >out 2>err &&
	grep "^✓ " out >confirmed &&
	cat >expect <<-EOF &&
	✓ $(cat A) triaged: impact core, response fix-fast, owner alice@example.com
	✓ $(cat B) duplicate of $(cat A): 1 reporter brought, 2 in all
	✓ $(cat C) parked until 2026-12-04
	✓ $(cat D) closed as fixed
	✓ $(cat E) parked until 2026-12-18 (impact edge, response park)
	EOF
	test_cmp expect confirmed &&
	# each comes right after the answer that decided it, before the next item
	grep -A1 "who owns it: 1 alice@example.com (0 open), m me, a auto, n none? 1\$" out |
		tail -n 1 >next &&
	echo "✓ $(cat A) triaged: impact core, response fix-fast, owner alice@example.com" >expect &&
	test_cmp expect next &&
	sed -n "/^✓ $(cat B) /{n;n;p;}" out | grep "── 3 of 5"
'

test_expect_success 'a reopen and a keep-closed are confirmed too' '
	cat >reply.eml <<-\EOF &&
	From: Ann <ann@x.example>
	Subject: Webhooks again
	Date: Fri, 20 Nov 2026 11:00:00 +0000
	Message-ID: <w1@x.example>

	Retries never stop.
	EOF
	psm intake --email reply.eml >new &&
	id=$(cut -f2 new) &&
	psm close $id -r fixed &&
	sed "s/^Message-ID: <w1@/Message-ID: <w2@/; s/^Subject: /Subject: Re: /" reply.eml >r2.eml &&
	printf "In-Reply-To: <w1@x.example>\n" >hdr &&
	{ head -4 r2.eml; cat hdr; tail -n +5 r2.eml; } >r3.eml &&
	psm intake --email r3.eml &&
	printf "%s\n" k q | psm triage >out &&
	grep "^✓ $id kept closed\$" out &&
	sed "s/<w2@/<w3@/" r3.eml >r4.eml &&
	psm intake --email r4.eml &&
	printf "%s\n" r q | psm triage >out &&
	grep "^✓ $id reopened: back to triaged\$" out
'

test_expect_success TTY 'on a terminal: the confirmation follows the keypress' '
	psm intake -t "Billing page is blank on Safari" >T1 &&
	printf "i5q" | test_terminal psm triage >out 2>err &&
	grep "^✓ $(cat T1) triaged: impact strategic, response roadmap, owner none" out &&
	! grep "$(printf "\\033")" out
'

test_done
