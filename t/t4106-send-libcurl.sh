#!/bin/sh

test_description='libcurl is loaded only when a message goes out over SMTP

psm does not link libcurl (lib/mail/curl-int.h): every command starts
without it, and a send through psm.smtpServer loads it. When the library
found under its name is not libcurl, the send fails naming it and
nothing is recorded as sent.'

. ./test-lib.sh

command -v cc >/dev/null 2>&1 || test_skip_all 'no C compiler to build a stand-in library'

test_expect_success 'setup: an issue from an e-mail, a stand-in "libcurl" without its functions' '
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
	mkdir fake &&
	echo "int psm_not_curl;" >fake.c &&
	cc -shared -fPIC -o fake/libcurl.so.4 fake.c
'

ID=$(cat id 2>/dev/null)

test_expect_success 'commands start and answer without libcurl' '
	LD_LIBRARY_PATH="$TRASH_DIRECTORY/fake" psm list >out 2>err &&
	grep "Export drops rows" out &&
	test ! -s err &&
	LD_LIBRARY_PATH="$TRASH_DIRECTORY/fake" psm reply $ID -m "Looking into it." >draft 2>err &&
	test ! -s err
'

test_expect_success 'a send over SMTP names the library it could not load; nothing is recorded' '
	git config psm.smtpServer "smtp://127.0.0.1:9" &&
	git rev-parse HEAD >head.before &&
	cp issues/*/$ID*.md before.md &&
	test_must_fail env LD_LIBRARY_PATH="$TRASH_DIRECTORY/fake" psm reply $ID -m "Fixed in 2.4." --send >out 2>err &&
	grep "could not load libcurl (libcurl\.so\.4).*; install libcurl, or unset psm.smtpServer" err &&
	git rev-parse HEAD >head.after &&
	test_cmp head.before head.after &&
	test_cmp before.md issues/*/$ID*.md &&
	git status --porcelain -- issues .psm >st &&
	test ! -s st
'

test_done
