#!/bin/sh

test_description='batch intake keeps customer text as it was written

CSV columns that no field takes stay one per line wherever the body is
rendered as Markdown, and an mbox body line escaped as ">From " (mboxo and
mboxrd) comes back as the customer wrote it, one ">" less, as mutt and
notmuch read it.'

. ./test-lib.sh

command -v cmark >/dev/null 2>&1 && test_set_prereq CMARK

body_of_title () {
	f=$(grep -l "^title: $1\$" issues/*/*.md) &&
	sed "1,/^---$/d" "$f"
}

test_expect_success 'setup' '
	git init -q &&
	psm init
'

test_expect_success 'CSV: each extra column is its own list item' '
	cat >form.csv <<-\EOF &&
	title,body,Device,App version,Steps
	Crash on start,It crashes.,Pixel 7,4.2.1,"open the app
	tap Start"
	EOF
	psm intake --csv form.csv &&
	body_of_title "Crash on start" >actual &&
	cat >expect <<-\EOF &&
	It crashes.

	- Device: Pixel 7
	- App version: 4.2.1
	- Steps: open the app
	  tap Start
	EOF
	test_cmp expect actual
'

test_expect_success CMARK 'CSV: rendered as Markdown, the columns do not run together' '
	body_of_title "Crash on start" | cmark >html &&
	grep -c "<li>" html >n &&
	echo 3 >expect &&
	test_cmp expect n &&
	grep "<li>Device: Pixel 7</li>" html &&
	grep "<li>App version: 4.2.1</li>" html
'

test_expect_success 'mbox: one level of ">" comes off a ">From " body line' '
	cat >in.mbox <<-\EOF &&
	From kim@example.org Mon Nov  9 10:00:00 2026
	From: Kim <kim@example.org>
	Subject: Quoting a mail
	Date: Mon, 09 Nov 2026 10:00:00 +0000
	Message-ID: <from-1@example.org>

	Here is what the other mail said:
	>From the start it failed.
	>>From a quoted quote.
	> From a reply quote.
	>Fromage is not a From line.

	From lee@example.org Mon Nov  9 11:00:00 2026
	From: Lee <lee@example.org>
	Subject: Second message
	Date: Mon, 09 Nov 2026 11:00:00 +0000
	Message-ID: <from-2@example.org>

	Plain text.
	EOF
	psm intake --mbox in.mbox >out &&
	test_line_count = 2 out &&
	body_of_title "Quoting a mail" >actual &&
	cat >expect <<-\EOF &&
	Here is what the other mail said:
	From the start it failed.
	>From a quoted quote.
	> From a reply quote.
	>Fromage is not a From line.
	EOF
	test_cmp expect actual &&
	body_of_title "Second message" >actual &&
	echo "Plain text." >expect &&
	test_cmp expect actual
'

test_done
