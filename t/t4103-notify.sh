#!/bin/sh

test_description='psm.notify: status notifications by e-mail, off by default

With git config psm.notify close, psm close e-mails each reporter their
follow-up (the release note for a fix, the reason for a decline) and marks
them told; with park, psm park -m REASON tells them it was set aside, why,
and until when. Without psm.notify nothing is sent.'

. ./test-lib.sh
. "$TEST_DIRECTORY/lib-smtp.sh"

test_have_prereq SMTPD || test_skip_all 'python3-aiosmtpd is not installed'

# new_mail N: take in a message from pN@corp.example; its short ID in idN
new_mail () {
	cat >m$1.eml <<-EOF &&
	From: Person $1 <p$1@corp.example>
	To: support@team.example
	Subject: Request number $1
	Date: Mon, 30 Nov 2026 0$1:00:00 +0000
	Message-ID: <p$1@corp.example>

	Please add thing $1.
	EOF
	psm intake --email m$1.eml >new &&
	cut -f2 new >id$1
}

test_expect_success 'setup' '
	psm init &&
	smtp_start &&
	git config psm.smtpServer "smtp://127.0.0.1:$(smtp_port)"
'

test_expect_success 'off by default: close and park send nothing' '
	new_mail 1 &&
	psm close $(cat id1) -r fixed --release-note "Thing 1 is in." &&
	new_mail 2 &&
	psm park $(cat id2) --until 2w -m "Not this quarter." &&
	! test -f received/0001.eml &&
	psm followup >out &&
	grep "^$(cat id1)" out
'

test_expect_success 'close with psm.notify close: the follow-up goes out, told, two commits' '
	git config psm.notify close &&
	new_mail 3 &&
	before=$(test_commit_count) &&
	psm close $(cat id3) -r fixed --release-note "Thing 3 is in." >out &&
	test $(test_commit_count) = $((before + 2)) &&
	smtp_show received/0001.eml >m &&
	grep -x "Recipients: p3@corp.example" m &&
	grep -x "In-Reply-To: <p3@corp.example>" m &&
	grep -x "Thing 3 is in." m &&
	psm followup $(cat id3) --format json >json &&
	grep "\"state\": \"told\"" json
'

test_expect_success 'a decline says so, with the reason' '
	new_mail 4 &&
	psm close $(cat id4) -r wontfix --release-note "It would slow every export down for everyone." &&
	smtp_show received/0002.eml >m &&
	grep -x "Recipients: p4@corp.example" m &&
	grep "decided not to change this" m &&
	grep -x "It would slow every export down for everyone." m
'

test_expect_success 'park with psm.notify park: the reason and the date, as a reply entry' '
	git config psm.notify "close, park" &&
	new_mail 5 &&
	test_must_fail psm park $(cat id5) --until 2027-03-01 2>err &&
	grep "give the reason with -m" err &&
	! test -f received/0003.eml &&
	psm park $(cat id5) --until 2027-03-01 -m "We are rebuilding exports first." >out &&
	smtp_show received/0003.eml >m &&
	grep -x "Recipients: p5@corp.example" m &&
	grep -x "We are rebuilding exports first." m &&
	grep "after 2027-03-01" m &&
	f=$(issue_file $(cat id5)) &&
	grep -x "status: parked" "$f" &&
	grep -x "<!-- psm-to: p5@corp.example -->" "$f"
'

test_expect_success 'an unknown word in psm.notify is refused before anything is written' '
	git config psm.notify "close, reopen" &&
	new_mail 6 &&
	test_must_fail psm park $(cat id6) --until 2w -m "x" 2>err &&
	grep "psm.notify: .reopen. is not an event" err &&
	grep -x "status: new" $(issue_file $(cat id6)) &&
	test_must_fail psm close $(cat id6) -r fixed 2>err &&
	grep "psm.notify: .reopen. is not an event" err &&
	grep -x "status: new" $(issue_file $(cat id6)) &&
	git config --unset psm.notify
'

smtp_stop
test_done
