#!/bin/sh

test_description='--send logs in to the SMTP server with git'"'"'s credential helper

psm.smtpUser makes psm ask git credential fill for the password (a
helper, never psm, keeps it), approve it once the server took a message
and reject it when the server refused the login. The password is in no
file psm writes, no commit and no output.'

. ./test-lib.sh
. "$TEST_DIRECTORY/lib-smtp.sh"

test_have_prereq SMTPD || test_skip_all 'python3-aiosmtpd is not installed'

GIT_TERMINAL_PROMPT=0
export GIT_TERMINAL_PROMPT

test_expect_success 'setup: a server that wants a login, a credential helper that has it' '
	psm init &&
	cat >m.eml <<-\EOF &&
	From: Dana Ortiz <dana@acme.example>
	To: support@team.example
	Subject: Export drops rows
	Date: Mon, 30 Nov 2026 09:00:00 +0000
	Message-ID: <dana-1@acme.example>

	Export drops the last row.
	EOF
	psm intake --email m.eml >new &&
	cut -f2 new >id &&
	SMTP_USER=psm-bot SMTP_PASS=s3cret-Pa55 &&
	export SMTP_USER SMTP_PASS &&
	smtp_start &&
	port=$(smtp_port) &&
	git config psm.smtpServer "smtp://127.0.0.1:$port" &&
	git config psm.smtpUser psm-bot &&
	git config credential.helper "store --file=\"$TRASH_DIRECTORY/creds\"" &&
	printf "protocol=smtp\nhost=127.0.0.1:%s\nusername=psm-bot\npassword=s3cret-Pa55\n\n" "$port" |
		git credential approve &&
	grep psm-bot creds &&
	printf "protocol=smtp\nhost=127.0.0.1:%s\nusername=psm-bot\n\n" "$port" |
		git credential fill >filled &&
	grep -x "password=s3cret-Pa55" filled
'

ID=$(cat id 2>/dev/null)

test_expect_success 'the password from the helper logs in; psm keeps it nowhere' '
	psm reply $ID -m "Logged in and sent." --send >out 2>err &&
	ls received/*.eml >n && test_line_count = 1 n &&
	smtp_show received/0001.eml >m &&
	grep -x "Logged in and sent." m &&
	! grep -r "s3cret" .git/config .psm issues out err &&
	git log -p --all >log &&
	! grep "s3cret" log
'

test_expect_success 'a refused login: nothing sent or recorded, and the helper forgets the password' '
	port=$(smtp_port) &&
	sed "s/s3cret-Pa55/wrong-one/" creds >creds.new && mv creds.new creds &&
	grep wrong-one creds &&
	before=$(test_commit_count) &&
	test_expect_code 1 psm reply $ID -m "This one is refused." --send >out 2>err &&
	grep "NOT SENT  .*  dana@acme.example: the SMTP server refused the login" err &&
	test $(test_commit_count) = $before &&
	ls received/*.eml >n && test_line_count = 1 n &&
	! grep "wrong-one" creds
'

test_expect_success 'no password to be had: psm says so and sends nothing' '
	before=$(test_commit_count) &&
	test_must_fail psm reply $ID -m "No password at all." --send >out 2>err &&
	grep "no password for SMTP" err &&
	test $(test_commit_count) = $before
'

smtp_stop
test_done
