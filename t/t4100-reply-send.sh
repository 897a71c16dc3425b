#!/bin/sh

test_description='psm reply --send: a real message in the reporter'"'"'s thread

A real SMTP server on 127.0.0.1 (t/lib/smtp-server.py, python3-aiosmtpd)
receives what psm sends, through psm.smtpServer (libcurl) and through a
sendmail-compatible command (msmtp). Python'"'"'s email module reads what
arrived: headers, threading against the original Message-IDs, the
recipients, the text; the store records exactly what was received.'

. ./test-lib.sh
. "$TEST_DIRECTORY/lib-smtp.sh"

test_have_prereq SMTPD || test_skip_all 'python3-aiosmtpd is not installed'

# shown N: what a mail client shows of the Nth message received
shown () {
	smtp_show "received/$(printf %04d "$1").eml"
}

test_expect_success 'setup: a store, a customer e-mail and a reply in its thread' '
	git init -q &&
	psm init &&
	cat >first.eml <<-\EOF &&
	From: Dana Ortiz <dana@acme.example>
	To: support@team.example
	Subject: =?UTF-8?Q?Can=27t_sign_in_after_r=C3=A9set?=
	Date: Mon, 30 Nov 2026 09:00:00 +0000
	Message-ID: <first@acme.example>

	I cannot sign in after the password reset.
	EOF
	cat >second.eml <<-\EOF &&
	From: Dana Ortiz <dana@acme.example>
	To: support@team.example
	Subject: Re: Can'"'"'t sign in after reset
	Date: Mon, 30 Nov 2026 11:00:00 +0000
	Message-ID: <second@acme.example>
	In-Reply-To: <first@acme.example>
	References: <first@acme.example>

	Still broken this morning.
	EOF
	psm intake --email first.eml second.eml &&
	ID=$(ls issues/*/ | sed -n "s/\.md\$//p" | head -n 1) &&
	echo "$ID" >id &&
	grep "^### .* customer — Dana Ortiz <dana@acme.example>" issues/*/$ID.md &&
	smtp_start &&
	git config psm.smtpServer "smtp://127.0.0.1:$(smtp_port)"
'

ID=$(cat id 2>/dev/null)

test_expect_success 'reply --send through psm.smtpServer: one message, in the thread' '
	before=$(test_commit_count) &&
	psm reply "$ID" -m "Thanks Dana: a fix is on its way. Merci, Zoë." --send >out &&
	test $(test_commit_count) = $((before + 1)) &&
	ls received >files &&
	printf "0001.env\n0001.eml\n" | sort >expect &&
	test_cmp expect files &&
	shown 1 >msg &&
	grep -x "From: A U Thor <author@example.com>" msg &&
	grep -x "To: Dana Ortiz <dana@acme.example>" msg &&
	grep -x "Subject: Re: Can'"'"'t sign in after réset" msg &&
	grep -x "In-Reply-To: <second@acme.example>" msg &&
	grep -x "References: <first@acme.example> <second@acme.example>" msg &&
	grep -x "Content-Type: text/plain; charset=utf-8" msg &&
	grep -x "Defects: 0" msg &&
	grep -x "Thanks Dana: a fix is on its way. Merci, Zoë." msg &&
	grep -c "^To: \|^Cc: \|^Bcc: " msg >n &&
	echo 1 >expect && test_cmp expect n &&
	grep -x "Recipients: dana@acme.example" msg &&
	printf "author@example.com\ndana@acme.example\n" >expect &&
	test_cmp expect received/0001.env
'

test_expect_success 'the store records exactly the message received, in one commit' '
	mid=$(sed -n "s/^Message-ID: //p" msg) &&
	case "$mid" in "<psm.$ID."*"@example.com>") ;; *) false ;; esac &&
	f=$(issue_file "$ID") &&
	grep -x "<!-- psm-ref: $mid -->" "$f" &&
	grep -x "<!-- psm-to: dana@acme.example -->" "$f" &&
	grep "^### .* reply — author@example.com" "$f" &&
	grep -x "sent      ${ID%???}  dana@acme.example  $mid" out &&
	git log -1 --format=%s >subject &&
	grep "^psm reply ${ID%???}: " subject &&
	git show --stat --format= HEAD >stat &&
	test_line_count = 2 stat &&
	git status --porcelain issues .psm >st &&
	test_line_count = 0 st &&
	git fsck --no-progress
'

test_expect_success 'the same reply again sends nothing and records nothing' '
	before=$(test_commit_count) &&
	psm reply "$ID" -m "Thanks Dana: a fix is on its way. Merci, Zoë." --send >out &&
	grep "1 message was sent before, not sent again" out &&
	test $(test_commit_count) = $before &&
	test_line_count = 2 files &&
	ls received >files2 &&
	test_cmp files files2
'

test_expect_success 'a customer reply to psm'"'"'s message threads back into the issue' '
	mid=$(sed -n "s/^Message-ID: //p" msg) &&
	cat >third.eml <<-EOF &&
	From: Dana Ortiz <dana@acme.example>
	To: author@example.com
	Subject: Re: Can'"'"'t sign in after reset
	Date: Tue, 01 Dec 2026 12:00:00 +0000
	Message-ID: <third@acme.example>
	In-Reply-To: $mid

	Works now, thanks!
	EOF
	psm intake --email third.eml >out 2>err &&
	grep "^reply	" out &&
	ls issues/*/*.md >all &&
	test_line_count = 1 all &&
	grep -x "<!-- psm-ref: <third@acme.example> -->" issues/*/$ID.md
'

test_expect_success 'show reads without psm'"'"'s markers; --format md keeps them' '
	psm show $ID >shown &&
	grep "^Works now, thanks!" shown &&
	! grep "psm-ref\|psm-to" shown &&
	psm show --format md $ID >md &&
	grep -x "<!-- psm-ref: <third@acme.example> -->" md &&
	grep -x "<!-- psm-to: dana@acme.example -->" md
'

test_expect_success 'taking in the message psm sent adds nothing' '
	before=$(test_commit_count) &&
	psm intake --email received/0001.eml >out 2>err &&
	grep "already taken in" out &&
	test $(test_commit_count) = $before
'

test_expect_success MSMTP 'reply --send through a sendmail command (msmtp)' '
	git config --unset psm.smtpServer &&
	git config psm.sendmail "$(smtp_msmtp)" &&
	psm reply "$ID" -m "Through msmtp this time." --send >out &&
	shown 2 >msg2 &&
	grep -x "To: Dana Ortiz <dana@acme.example>" msg2 &&
	grep -x "In-Reply-To: <third@acme.example>" msg2 &&
	mid1=$(sed -n "s/^Message-ID: //p" msg) &&
	grep -x "References: <first@acme.example> <second@acme.example> $mid1 <third@acme.example>" msg2 &&
	grep -x "Through msmtp this time." msg2 &&
	printf "author@example.com\ndana@acme.example\n" >expect &&
	test_cmp expect received/0002.env &&
	mid2=$(sed -n "s/^Message-ID: //p" msg2) &&
	grep -x "<!-- psm-ref: $mid2 -->" issues/*/$ID.md
'

test_expect_success MSMTP 'a sendmail command that fails: what failed for whom, nothing recorded' '
	git config psm.sendmail "msmtp --host=127.0.0.1 --port=1 --auth=off --tls=off -t" &&
	before=$(test_commit_count) &&
	cp issues/*/$ID.md before.md &&
	test_expect_code 1 psm reply "$ID" -m "Nobody will get this." --send >out 2>err &&
	grep "NOT SENT  ${ID%???}  dana@acme.example: .msmtp --host=127.0.0.1 --port=1.* exited with" err &&
	grep "error: the message could not be sent: run it again" err &&
	test $(test_commit_count) = $before &&
	test_cmp before.md issues/*/$ID.md
'

test_expect_success '--dry-run prints the messages and sends and records nothing' '
	git config --unset psm.sendmail &&
	git config psm.smtpServer "smtp://127.0.0.1:$(smtp_port)" &&
	before=$(test_commit_count) &&
	ls received >files.before &&
	psm reply "$ID" -m "Just looking." --dry-run >out &&
	head -n 1 out | grep "^From psm@localhost " &&
	grep -x "To: Dana Ortiz <dana@acme.example>" out &&
	grep -x "Just looking." out &&
	test $(test_commit_count) = $before &&
	ls received >files.after &&
	test_cmp files.before files.after &&
	! grep "Just looking" issues/*/$ID.md
'

test_expect_success '--to-file writes .eml files a mail client can send, and records nothing' '
	before=$(test_commit_count) &&
	psm reply "$ID" -m "For my own client." --to-file outbox >out &&
	ls outbox >eml &&
	test_line_count = 1 eml &&
	grep "^outbox/psm\.$ID\.[0-9a-f]*\.eml\$" out &&
	smtp_show outbox/$(cat eml) >m &&
	grep -x "To: Dana Ortiz <dana@acme.example>" m &&
	grep -x "For my own client." m &&
	test $(test_commit_count) = $before &&
	! grep "For my own client" issues/*/$ID.md
'

test_expect_success 'setup: an issue with three reporters, one without an address' '
	write_issue 7kq2m9xabc <<-\EOF &&
	title: Export drops rows
	status: triaged
	reporters:
	- name: "Eve\r\nBcc: spy@evil.example"
	  email: eve@one.example
	  subject: "Export drops rows\r\nBcc: victim@evil.example"
	  channel: email
	  ref: <eve-1@one.example>
	- name: jk88
	  contact: jk88
	  channel: app-store
	- name: Lee
	  email: lee@two.example
	  channel: email
	  ref: <lee-1@two.example>
	created: 2026-11-20T09:00:00Z
	updated: 2026-11-20T09:00:00Z
	EOF
	git add issues && git commit -q -m "by hand"
'

test_expect_success 'customer text cannot add a header; who has no address is listed to tell by hand' '
	rm -rf received/* &&
	psm reply 7kq2m9x -m "We found the cause." --send >out &&
	grep -A1 "^tell by hand:" out >hand &&
	grep "7kq2m9x  jk88 jk88 via app-store (no e-mail address)" hand &&
	for n in 1 2
	do
		shown $n >m$n &&
		grep -x "Defects: 0" m$n &&
		grep -c "^To: " m$n >c && echo 1 >expect && test_cmp expect c &&
		! grep "^Bcc: \|^Cc: " m$n || return 1
	done &&
	grep -x "To: \"Eve Bcc: spy@evil.example\" <eve@one.example>" m1 &&
	grep -x "Recipients: eve@one.example" m1 &&
	grep -x "Recipients: lee@two.example" m2 &&
	grep -x "Subject: Re: Export drops rows Bcc: victim@evil.example" m1 &&
	grep -x "To: Lee <lee@two.example>" m2 &&
	grep -x "Subject: Re: Export drops rows" m2 &&
	grep -x "In-Reply-To: <lee-1@two.example>" m2 &&
	! grep -i "^bcc:" received/0001.eml received/0002.eml &&
	cat received/0001.env received/0002.env >env &&
	printf "author@example.com\neve@one.example\nauthor@example.com\nlee@two.example\n" >expect &&
	test_cmp expect env &&
	grep -c "^<!-- psm-ref: " issues/7k/7kq2m9xabc.md >n &&
	echo 2 >expect && test_cmp expect n
'

test_expect_success 'nothing with a conflict marker or an empty text goes out' '
	rm -rf received/* &&
	before=$(test_commit_count) &&
	printf "Fixed.\n=======\nNot fixed.\n" >conflicted &&
	test_must_fail psm reply 7kq2m9x -F conflicted --send 2>err &&
	grep "merge conflict marker" err &&
	test_must_fail psm reply 7kq2m9x -m "   " --send 2>err &&
	grep "nothing written\|is empty" err &&
	test $(test_commit_count) = $before &&
	ls received >n && test_line_count = 0 n
'

test_expect_success 'more messages than psm.sendConfirm need --yes off a terminal' '
	git config psm.sendConfirm 1 &&
	test_must_fail psm reply 7kq2m9x -m "Two people get this." --send </dev/null 2>err &&
	grep "2 messages to send, more than psm.sendConfirm (1): add --yes" err &&
	ls received >n && test_line_count = 0 n &&
	psm reply 7kq2m9x -m "Two people get this." --send --yes >out &&
	ls received/*.eml >n && test_line_count = 2 n &&
	git config --unset psm.sendConfirm
'

test_expect_success TTY 'on a terminal psm asks: no sends nothing, yes sends' '
	git config psm.sendConfirm 1 &&
	rm -rf received/* &&
	echo n | test_terminal psm reply 7kq2m9x -m "Asked first." --send >out 2>&1 &&
	grep "Send 2 messages? \[y/N\]" out &&
	grep "nothing sent" out &&
	! test -f received/0001.eml &&
	! grep "Asked first" issues/7k/7kq2m9xabc.md &&
	echo y | test_terminal psm reply 7kq2m9x -m "Asked first." --send >out 2>&1 &&
	ls received/*.eml >n && test_line_count = 2 n &&
	grep -c "Asked first" issues/7k/7kq2m9xabc.md >n && echo 2 >expect && test_cmp expect n &&
	git config --unset psm.sendConfirm
'

test_expect_success 'the server refuses every recipient: none sent, nothing recorded' '
	rm -rf received/* &&
	printf "eve@one.example\nlee@two.example\n" >smtp-refuse &&
	before=$(test_commit_count) &&
	test_expect_code 1 psm reply 7kq2m9x -m "Nobody gets this." --send >out 2>err &&
	grep "^error: none of the 2 messages could be sent: run it again once the transport works\$" err &&
	test $(test_commit_count) = $before &&
	! grep "Nobody gets this" issues/7k/7kq2m9xabc.md
'

test_expect_success 'the server refuses one recipient mid-batch: the others are sent and recorded' '
	rm -rf received/* &&
	echo eve@one.example >smtp-refuse &&
	before=$(test_commit_count) &&
	test_expect_code 1 psm reply 7kq2m9x -m "Part one of a batch." --send >out 2>err &&
	grep "NOT SENT  7kq2m9x  eve@one.example: .*550" err &&
	grep "1 of 2 messages could not be sent" err &&
	grep "^sent      7kq2m9x  lee@two.example" out &&
	test $(test_commit_count) = $((before + 1)) &&
	ls received/*.eml >n && test_line_count = 1 n &&
	grep -x "<!-- psm-to: lee@two.example -->" issues/7k/7kq2m9xabc.md &&
	! grep -B3 "^<!-- psm-to: eve@one.example -->" issues/7k/7kq2m9xabc.md | grep "Part one"
'

test_expect_success 'the server is down: nothing sent, nothing recorded, non-zero' '
	smtp_stop &&
	before=$(test_commit_count) &&
	cp issues/7k/7kq2m9xabc.md before.md &&
	test_expect_code 1 psm reply 7kq2m9x -m "Part one of a batch." --send >out 2>err &&
	grep "NOT SENT  7kq2m9x  eve@one.example: .*onnect" err &&
	test $(test_commit_count) = $before &&
	test_cmp before.md issues/7k/7kq2m9xabc.md
'

test_expect_success 'a re-run after both sends only what was not sent' '
	rm -f smtp-refuse &&
	smtp_start &&
	git config psm.smtpServer "smtp://127.0.0.1:$(smtp_port)" &&
	psm reply 7kq2m9x -m "Part one of a batch." --send >out &&
	grep "1 message was sent before, not sent again" out &&
	grep "^sent      7kq2m9x  eve@one.example" out &&
	ls received/*.eml >n && test_line_count = 2 n &&
	smtp_show received/0002.eml >m &&
	grep -x "Recipients: eve@one.example" m &&
	grep -x "Part one of a batch." m &&
	grep -c "Part one of a batch." issues/7k/7kq2m9xabc.md >n &&
	echo 2 >expect && test_cmp expect n
'

test_expect_success 'psm.from names the sender' '
	rm -rf received/* &&
	git config psm.from "Acme Support <help@team.example>" &&
	psm reply "$ID" -m "From the team address." --send &&
	shown 1 >m &&
	grep -x "From: Acme Support <help@team.example>" m &&
	grep "^Message-ID: <psm\.$ID\..*@team.example>" m &&
	head -n 1 received/0001.env >env &&
	echo help@team.example >expect && test_cmp expect env &&
	git config --unset psm.from
'

smtp_stop
test_done
