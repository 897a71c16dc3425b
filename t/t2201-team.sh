#!/bin/sh

test_description='the team'"'"'s own addresses are owed no follow-up and are no customers

The config'"'"'s team list (addresses and domains) and the owners'"'"' e-mail
addresses are the team: psm followup, followup:pending, psm stats and
psm review leave them out of what is owed, drafts go to customers only, and
a team address never becomes a customer through customer_domains.'

. ./test-lib.sh

test_expect_success 'setup: a team domain, an owner, issues reported by the team' '
	psm init &&
	sed "/^owners: \[\]\$/d" .psm/config.yml >cfg &&
	cat >>cfg <<-\EOF &&
	owners:
	- Raj Patel <raj@ourapp.example>
	- Lin Wu <lin.wu@contractors.example>
	team:
	- ourapp.example
	- pat@freelance.example
	customer_domains:
	  acme.example: Acme
	  ourapp.example: OurApp
	  contractors.example: Contractors
	EOF
	mv cfg .psm/config.yml &&
	git commit -q -m "the team" .psm/config.yml &&
	psm intake -t "Dogfooding: export is slow" --source email \
		--reporter "QA <qa@eu.ourapp.example>" >only-team &&
	psm intake -t "Typo in the settings page" --source email \
		--reporter "Pat <pat@freelance.example>" >freelancer &&
	psm intake -t "Settings page typo" --source email \
		--reporter "Lin Wu <lin.wu@contractors.example>" >dup1 &&
	psm dup $(cat dup1) --of $(cat freelancer) &&
	psm intake -t "Cannot export to PDF" --source email \
		--reporter "Dana Ortiz <dana@acme.example>" >mixed &&
	psm intake -t "PDF export broken" --source email \
		--reporter "Raj Patel <raj@ourapp.example>" >dup2 &&
	psm dup $(cat dup2) --of $(cat mixed) &&
	for f in only-team freelancer mixed
	do
		test_tick &&
		psm close $(cat $f) --resolution fixed || return 1
	done
'

test_expect_success 'psm followup owes only the issue a customer reported' '
	psm followup >out &&
	grep "^1 person on 1 closed issue not told yet" out &&
	grep "Cannot export to PDF" out &&
	! grep "Dogfooding" out &&
	! grep "Typo in the settings" out
'

test_expect_success 'the draft goes to the customer, not to the teammate' '
	psm followup --format json $(cat mixed) >out.json &&
	grep "\"email\": \"dana@acme.example\"" out.json &&
	! grep "\"email\": \"raj@ourapp.example\"" out.json &&
	psm followup $(cat mixed) >out &&
	grep "to Dana Ortiz <dana@acme.example>" out &&
	! grep "to Raj Patel" out
'

test_expect_success 'followup:pending and the JSON pending flag agree' '
	psm list followup:pending --format tsv | cut -f1 >pending &&
	test_line_count = 1 pending &&
	grep "^$(cat mixed)" pending &&
	psm followup --format json $(cat only-team) >team.json &&
	grep "\"pending\": false" team.json
'

test_expect_success 'psm stats and psm review count one follow-up owed' '
	psm stats --format json >stats.json &&
	grep "\"owed\": 1," stats.json &&
	psm review >review.md &&
	sed -n "/^## Follow-ups owed/,\$p" review.md >owed &&
	grep "^1 follow-up owed" owed &&
	grep "Cannot export to PDF" owed &&
	! grep "Dogfooding" owed &&
	! grep "Typo in the settings" owed
'

test_expect_success 'a team address never becomes a customer' '
	psm triage --explain --format json $(cat only-team) >team.json &&
	grep "\"customers\": \\[\\]" team.json &&
	psm triage --explain --format json $(cat mixed) >mixed.json &&
	grep "\"name\": \"Acme\"" mixed.json &&
	! grep "\"name\": \"OurApp\"" mixed.json
'

test_expect_success 'an owner outside the team domains is on the team too' '
	psm triage --explain --format json $(cat freelancer) >free.json &&
	grep "\"customers\": \\[\\]" free.json
'

test_expect_success 'without a team, a reporter is owed as before' '
	sed -e "/^team:/,/^- pat@/d" -e "/^owners:/,/^- Lin Wu/d" .psm/config.yml >cfg &&
	mv cfg .psm/config.yml &&
	! grep "^team:" .psm/config.yml &&
	psm followup >out &&
	grep "^5 people on 3 closed issues not told yet" out &&
	git checkout -- .psm/config.yml
'

test_done
