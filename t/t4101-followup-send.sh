#!/bin/sh

test_description='psm followup --send: each person owed, told in their own thread

The follow-up draft of each reporter still owed one goes by e-mail to a
real SMTP server on 127.0.0.1 (python3-aiosmtpd), in the thread of that
reporter'"'"'s own messages; each message sent is a reply entry and a
followups record with its Message-ID, one commit for the batch. Who has no
address is listed to tell by hand. A refused recipient, a server that is
down, and the re-run after both.'

. ./test-lib.sh
. "$TEST_DIRECTORY/lib-smtp.sh"

test_have_prereq SMTPD || test_skip_all 'python3-aiosmtpd is not installed'

# mail_to ADDR: the one message received for ADDR, as a client shows it
mail_to () {
	grep -lx "$1" received/*.env >envs &&
	test_line_count = 1 envs &&
	smtp_show "$(sed "s/\.env\$/.eml/" envs)"
}

test_expect_success 'setup: a thread two people wrote in, an app-store review, closed' '
	psm init &&
	cat >dana.eml <<-\EOF &&
	From: Dana Ortiz <dana@acme.example>
	To: support@team.example
	Subject: Export drops rows
	Date: Mon, 30 Nov 2026 09:00:00 +0000
	Message-ID: <dana-1@acme.example>

	Export drops the last row.
	EOF
	cat >lee.eml <<-\EOF &&
	From: Lee Chan <lee@other.example>
	To: support@team.example
	Subject: Re: Export drops rows
	Date: Mon, 30 Nov 2026 10:00:00 +0000
	Message-ID: <lee-1@other.example>
	In-Reply-To: <dana-1@acme.example>

	Same here, 3 rows missing.
	EOF
	psm intake --email dana.eml lee.eml &&
	ID=$(ls issues/*/ | sed -n "s/\.md\$//p") &&
	echo $ID >id &&
	f=$(issue_file $ID) &&
	sed "/^reporters:/a\\
- name: jk88\\
  contact: jk88\\
  channel: app-store" "$f" >tmp && mv tmp "$f" &&
	git commit -q -a -m "an app-store reviewer" &&
	psm close $ID -r fixed --release-note "Exports keep every row." &&
	smtp_start &&
	git config psm.smtpServer "smtp://127.0.0.1:$(smtp_port)"
'

ID=$(cat id 2>/dev/null)
SID=${ID%???}

test_expect_success '--dry-run prints the two messages; nothing sent or recorded' '
	before=$(test_commit_count) &&
	psm followup --send --dry-run >out &&
	grep -c "^From psm@localhost " out >n &&
	echo 2 >expect && test_cmp expect n &&
	grep -x "To: Dana Ortiz <dana@acme.example>" out &&
	grep -x "To: Lee Chan <lee@other.example>" out &&
	grep -x "  $SID  jk88 jk88 via app-store (no e-mail address)" out &&
	test $(test_commit_count) = $before &&
	! test -f received/0001.eml
'

test_expect_success 'followup --send: each person in their own thread, one commit' '
	before=$(test_commit_count) &&
	psm followup --send >out &&
	test $(test_commit_count) = $((before + 1)) &&
	ls received/*.eml >n && test_line_count = 2 n &&
	mail_to dana@acme.example >dana &&
	grep -x "Recipients: dana@acme.example" dana &&
	grep -x "Subject: Re: Export drops rows" dana &&
	grep -x "In-Reply-To: <dana-1@acme.example>" dana &&
	grep -x "References: <dana-1@acme.example>" dana &&
	grep -x "Hi Dana Ortiz," dana &&
	grep -x "Exports keep every row." dana &&
	mail_to lee@other.example >lee &&
	grep -x "Recipients: lee@other.example" lee &&
	grep -x "In-Reply-To: <lee-1@other.example>" lee &&
	grep -x "References: <lee-1@other.example>" lee &&
	grep -x "Hi Lee Chan," lee &&
	grep "^tell by hand:" out &&
	grep -x "  $SID  jk88 jk88 via app-store (no e-mail address)" out &&
	git log -1 --format=%s >s &&
	echo "psm followup $SID: Export drops rows" >expect &&
	test_cmp expect s &&
	git status --porcelain issues >st && test_line_count = 0 st &&
	git fsck --no-progress
'

test_expect_success 'the store records exactly what arrived: reply entries and followups refs' '
	f=$(issue_file $ID) &&
	for who in dana lee
	do
		mid=$(sed -n "s/^Message-ID: //p" $who) &&
		addr=$(sed -n "s/^Recipients: //p" $who) &&
		grep -x "<!-- psm-ref: $mid -->" "$f" &&
		grep -B1 -x "<!-- psm-ref: $mid -->" "$f" | grep -x "<!-- psm-to: $addr -->" &&
		grep -A3 -x -- "- reporter: $addr" "$f" >rec &&
		grep -x "  ref: \"$mid\"\|  ref: $mid" rec || return 1
	done &&
	grep -c "^### .* reply — author@example.com" "$f" >n &&
	echo 2 >expect && test_cmp expect n &&
	psm followup --format json >json &&
	python3 -c "
import json, sys
v = json.load(open(\"json\"))
assert len(v) == 1, v
people = {p.get(\"contact\") or p.get(\"email\"): p[\"state\"] for p in v[0][\"reporters\"]}
assert people == {\"dana@acme.example\": \"told\", \"lee@other.example\": \"told\", \"jk88\": \"owed\"}, people
"
'

test_expect_success 'a re-run sends nothing twice; the reviewer is still to tell by hand' '
	before=$(test_commit_count) &&
	psm followup --send >out &&
	test $(test_commit_count) = $before &&
	ls received/*.eml >n && test_line_count = 2 n &&
	grep -x "  $SID  jk88 jk88 via app-store (no e-mail address)" out &&
	psm followup $ID --unreachable "app-store review, no address" --reporter jk88 &&
	psm followup --send >out &&
	grep -x "no follow-ups owed" out
'

test_expect_success 'the customer answers the follow-up: it threads back, nothing new' '
	mid=$(sed -n "s/^Message-ID: //p" dana) &&
	cat >answer.eml <<-EOF &&
	From: Dana Ortiz <dana@acme.example>
	To: author@example.com
	Subject: Re: Export drops rows
	Date: Tue, 01 Dec 2026 12:00:00 +0000
	Message-ID: <dana-2@acme.example>
	In-Reply-To: $mid
	References: <dana-1@acme.example> $mid

	Confirmed, thanks.
	EOF
	psm intake --email answer.eml received/*.eml >out &&
	grep "^reply	$SID	" out &&
	grep -c "already taken in" out >n &&
	echo 2 >expect && test_cmp expect n &&
	ls issues/*/*.md >all && test_line_count = 1 all
'

test_expect_success 'setup: three more closed issues, five people' '
	for n in 1 2 3
	do
		cat >m$n.eml <<-EOF &&
		From: Person $n <p$n@corp.example>
		To: support@team.example
		Subject: Problem number $n
		Date: Mon, 30 Nov 2026 0$n:00:00 +0000
		Message-ID: <p$n@corp.example>

		Problem $n.
		EOF
		psm intake --email m$n.eml >new &&
		id=$(cut -f2 new) &&
		echo $id >id$n &&
		psm close $id -r answered >/dev/null || return 1
	done &&
	f=$(issue_file $(cat id3)) &&
	sed "/^reporters:/a\\
- name: Extra One\\
  email: x1@corp.example\\
  channel: email\\
- name: Extra Two\\
  email: x2@corp.example\\
  channel: email" "$f" >tmp && mv tmp "$f" &&
	git commit -q -a -m "more reporters" &&
	rm -rf received/*
'

test_expect_success '--reporter sends to the people named only' '
	psm followup $(cat id3) --reporter x1@corp.example --send >out &&
	ls received/*.eml >n && test_line_count = 1 n &&
	grep -x x1@corp.example received/0001.env &&
	psm followup --format json $(cat id3) >json &&
	grep -c "\"state\": \"owed\"" json >n &&
	echo 2 >expect && test_cmp expect n &&
	rm -rf received/*
'

test_expect_success 'more than psm.sendConfirm messages need --yes off a terminal' '
	git config psm.sendConfirm 3 &&
	test_must_fail psm followup --send </dev/null 2>err &&
	grep "4 messages to send, more than psm.sendConfirm (3): add --yes" err &&
	! test -f received/0001.eml
'

test_expect_success 'the server refuses one recipient mid-batch: the rest are sent and recorded' '
	echo p2@corp.example >smtp-refuse &&
	before=$(test_commit_count) &&
	test_expect_code 1 psm followup --send --yes >out 2>err &&
	grep "NOT SENT  .*  p2@corp.example: .*550" err &&
	grep "1 of 4 messages could not be sent" err &&
	ls received/*.eml >n && test_line_count = 3 n &&
	test $(test_commit_count) = $((before + 1)) &&
	psm followup --format json >json &&
	python3 -c "
import json
owed = sorted(p.get(\"email\") for i in json.load(open(\"json\")) for p in i[\"reporters\"] if p[\"state\"] == \"owed\")
assert owed == [\"p2@corp.example\"], owed
"
'

test_expect_success 'the server is down: nothing recorded, non-zero, and who was not told' '
	smtp_stop &&
	before=$(test_commit_count) &&
	test_expect_code 1 psm followup --send --yes >out 2>err &&
	grep "NOT SENT  .*  p2@corp.example: .*onnect" err &&
	test $(test_commit_count) = $before
'

test_expect_success 'a re-run after both sends only what was not sent' '
	rm -f smtp-refuse &&
	rm -rf received/* &&
	smtp_start &&
	git config psm.smtpServer "smtp://127.0.0.1:$(smtp_port)" &&
	psm followup --send >out &&
	ls received/*.eml >n && test_line_count = 1 n &&
	grep -x p2@corp.example received/0001.env &&
	psm followup >out &&
	grep -x "no follow-ups owed" out
'

test_expect_success 'reply --send on a closed issue marks the reporter told' '
	cat >m4.eml <<-\EOF &&
	From: Person 4 <p4@corp.example>
	To: support@team.example
	Subject: Problem number 4
	Date: Mon, 30 Nov 2026 04:00:00 +0000
	Message-ID: <p4@corp.example>

	Problem 4.
	EOF
	psm intake --email m4.eml >new &&
	id=$(cut -f2 new) &&
	psm close $id -r wontfix >/dev/null &&
	psm reply $id -m "We will not build this, and here is why." --send &&
	f=$(issue_file $id) &&
	grep -A3 -x -- "- reporter: p4@corp.example" "$f" >rec &&
	grep "  ref: .*<psm\.$(id_of $id)\." rec &&
	psm followup >out &&
	grep -x "no follow-ups owed" out
'

test_expect_success MSMTP 'followup --send through msmtp' '
	git config --unset psm.smtpServer &&
	git config psm.sendmail "$(smtp_msmtp)" &&
	cat >m5.eml <<-\EOF &&
	From: Person 5 <p5@corp.example>
	To: support@team.example
	Subject: Problem number 5
	Date: Mon, 30 Nov 2026 05:00:00 +0000
	Message-ID: <p5@corp.example>

	Problem 5.
	EOF
	psm intake --email m5.eml >new &&
	id=$(cut -f2 new) &&
	psm close $id -r fixed --release-note "Problem 5 is gone." >/dev/null &&
	rm -rf received/* &&
	psm followup --send >out &&
	smtp_show received/0001.eml >m &&
	grep -x "Recipients: p5@corp.example" m &&
	grep -x "In-Reply-To: <p5@corp.example>" m &&
	grep -x "Problem 5 is gone." m &&
	grep -x p5@corp.example received/0001.env
'

test_expect_success 'the team'"'"'s own addresses get nothing (config team)' '
	echo "team: [team.example]" >>.psm/config.yml &&
	git commit -q -a -m "the team" &&
	write_issue 7kq2m9xabc <<-\EOF &&
	title: Forwarded by a colleague
	status: closed
	resolution: fixed
	closed: 2026-11-21T09:00:00Z
	reporters:
	- name: Sam Colleague
	  email: sam@team.example
	  ref: <sam@team.example>
	- name: Customer
	  email: c@corp.example
	  ref: <c@corp.example>
	created: 2026-11-20T09:00:00Z
	updated: 2026-11-21T09:00:00Z
	EOF
	git add issues && git commit -q -m "by hand" &&
	rm -rf received/* &&
	psm followup 7kq2m9x --send >out &&
	psm reply 7kq2m9x -m "Also a reply." --send >>out &&
	cat received/*.env | grep -v "^author@example.com\$" | sort -u >to &&
	echo c@corp.example >expect &&
	test_cmp expect to &&
	! grep "sam@team.example" out
'

smtp_stop
test_done
