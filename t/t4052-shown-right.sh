#!/bin/sh

test_description='bodies are shown as text, not as re-escaped Markdown

psm show and the triage screen render the Markdown body to plain text for
the terminal: no backslash escapes (card\_declined, Thanks\!, -\>), no
HTML entities for control characters (ESC is shown as U+241B, still passed
through the terminal-safety filter), and field names line up whatever
fields the issue has (duplicate_of).'

. ./test-lib.sh

esc=$(printf "\033")

test_expect_success 'setup' '
	psm init &&
	cat >body.md <<-\EOF &&
	Payment fails with card_declined. Thanks!
	Flow: cart -> checkout -> error, see [the FAQ](https://example.com/faq).

	## What they tried
	- another card
	- *another* **browser**
	EOF
	printf "\nBlinking text: \033[5mhello\033[0m and a bell \007 here.\n" >>body.md &&
	psm intake -t "Checkout declines every card" -F body.md >A
'

test_expect_success 'psm show: plain text, no escapes or entities' '
	psm show $(cat A) >out &&
	grep "^Payment fails with card_declined. Thanks!\$" out &&
	grep "^Flow: cart -> checkout -> error, see the FAQ (https://example.com/faq).\$" out &&
	grep "^## What they tried\$" out &&
	grep "^- another browser\$" out &&
	! grep "\\\\[_!>]" out &&
	! grep "&#" out
'

test_expect_success 'psm show: ESC is a visible placeholder, never the byte' '
	psm show $(cat A) >out &&
	grep "^Blinking text: ␛\[5mhello␛\[0m and a bell ␇ here.\$" out &&
	! grep "$esc" out
'

test_expect_success 'the triage screen: the same text' '
	echo q | psm triage >out &&
	grep "^  Payment fails with card_declined. Thanks!\$" out &&
	grep "^  Flow: cart -> checkout -> error, see the FAQ (https://example.com/faq).\$" out &&
	grep "^  - another card\$" out &&
	grep "^  Blinking text: ␛\[5mhello␛\[0m and a bell ␇ here.\$" out &&
	! grep "\\\\[_!>]" out &&
	! grep "&#" out &&
	! grep "$esc" out
'

test_expect_success 'psm show: duplicate_of does not break the alignment' '
	psm intake -t "Card declined at checkout" >B &&
	psm dup $(cat B) --of $(cat A) >/dev/null &&
	id=$(psm show --format json $(cat A) | sed -n "s/^  \"id\": \"\(.*\)\",\$/\1/p") &&
	psm show $(cat B) >out &&
	grep "^status       closed\$" out &&
	grep "^resolution   duplicate\$" out &&
	grep "^duplicate_of $id\$" out &&
	grep "^created      " out
'

test_done
