#!/bin/sh

test_description='a reporter'"'"'s e-mail domain names the customer

With no customer on the reporter, the config'"'"'s customer_domains maps the
e-mail domain (or a parent domain) to a customer for the priority'"'"'s
customer term, psm triage --explain (which says where it came from),
psm roadmap and psm review. Free-mail domains (the shipped list and the
config'"'"'s free_mail) never map, whatever the table says.'

. ./test-lib.sh

test_expect_success 'setup: a domain table; e-mail intake without --customer' '
	psm init &&
	cat >>.psm/config.yml <<-\EOF &&
	customer_domains:
	  acme.example: Acme
	  globex.example: Globex
	  gmail.com: Gmail Users
	  mail.initech.example: Initech
	free_mail:
	- corpmail.example
	EOF
	git commit -q -m "customer domains" .psm/config.yml &&
	psm intake -t "Cannot sign in after password reset" --source email \
		--reporter "Dana Ortiz <dana@acme.example>" >acme &&
	psm intake -t "Export drops a row" --source email \
		--reporter "Sam <sam@eu.globex.example>" >globex &&
	psm intake -t "Dark mode please" --source email \
		--reporter "Kim <kim.lee@gmail.com>" >gmail &&
	psm intake -t "Slow search" --source email \
		--reporter "Jo <jo@corpmail.example>" >corpmail &&
	psm intake -t "Crash on start" --source email \
		--reporter "Al <al@initech.example>" >initech
'

test_expect_success 'explain: the customer term counts the mapped domain and says so' '
	psm triage --explain $(cat acme) >out &&
	grep "^customers  1.00   \* 3.00  = 3.00   1 distinct: Acme (from the reporter.s domain acme.example)\$" out &&
	# read, never written: the file has no customer
	psm show --format json $(cat acme) >show.json &&
	grep "\"customer\": null" show.json
'

test_expect_success 'a subdomain maps through its parent domain' '
	psm triage --explain --format json $(cat globex) >out.json &&
	grep -A1 "\"name\": \"Globex\"" out.json >g &&
	grep "\"domain\": \"globex.example\"" g &&
	grep -A4 "\"term\": \"customers\"" out.json | grep "\"count\": 1.0"
'

test_expect_success 'free mail never maps, even when the table names it; a company does' '
	psm triage --explain $(cat gmail) >out &&
	grep "^customers  0.00 .* 0 distinct\$" out &&
	psm triage --explain $(cat corpmail) >out &&
	grep "^customers  0.00 .* 0 distinct\$" out &&
	# a key covers its subdomains, never its parent
	psm triage --explain $(cat initech) >out &&
	grep "^customers  0.00 .* 0 distinct\$" out &&
	psm intake -t "Crash on start again" --source email \
		--reporter "Al <al@mail.initech.example>" >initech2 &&
	psm triage --explain $(cat initech2) >out &&
	grep "^customers  1.00 .* 1 distinct: Initech (from the reporter.s domain mail.initech.example)\$" out
'

test_expect_success 'the issue'"'"'s own customer and a mapped one count once each' '
	psm intake -t "Invoices show the wrong VAT" --source email --customer Acme \
		--reporter "Dana Ortiz <dana@acme.example>" >own &&
	psm triage --explain $(cat own) >out &&
	grep "^customers  1.00 .* 1 distinct: Acme\$" out &&
	# a duplicate from Globex brings a second customer
	psm intake -t "VAT wrong on invoices" --source email \
		--reporter "Sam <sam@globex.example>" >dup &&
	psm dup $(cat dup) --of $(cat own) &&
	psm triage --explain $(cat own) >out &&
	grep "^customers  2.00 .* 2 distinct: Acme, Globex (from the reporter.s domain globex.example)\$" out
'

test_expect_success 'the queue ranks by it: the mapped customer above free mail' '
	psm triage --queue --format json >queue.json &&
	prio () {
		grep -A40 "\"title\": \"$1\"" queue.json | sed -n "s/^    \"priority\": \(.*\),\$/\1/p" | head -n 1
	} &&
	test "$(prio "Export drops a row")" = 5.0 &&
	test "$(prio "Dark mode please")" = 2.0
'

test_expect_success 'roadmap counts the mapped customer' '
	psm triage $(cat globex) --impact strategic &&
	psm roadmap --format json >road.json &&
	grep "\"customer_count\": 1" road.json
'

test_expect_success 'review counts the mapped customer among what blocked users' '
	psm triage $(cat acme) --impact core &&
	psm review >review.md &&
	sed -n "/^## What blocked users most often/,/^## /p" review.md >blocked &&
	grep "most reported: \"Cannot sign in after password reset\" (1 reporter, 1 customer)" blocked &&
	grep "| Cannot sign in after password reset  *|  *1 |  *1 | triaged |" blocked
'

test_done
