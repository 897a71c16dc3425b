#!/bin/sh

test_description='the priority weighs what a customer is worth

An optional customers table in the config (plan, mrr) and plans (what a
plan is worth) add a worth term to the priority: thousands of monthly
revenue of the issue'"'"'s distinct customers, times weights.worth, explained
by psm triage --explain. Without the table the score is what it was.'

. ./test-lib.sh

term () {
	sed -n "s/^$2 .*= \([0-9.]*\) .*/\1/p" "$1"
}

test_expect_success 'setup: three issues alike but for their customer' '
	psm init &&
	psm intake -t "Export drops the last row" --customer Acme >A &&
	psm intake -t "Export drops the last row" --customer Initech >B &&
	psm intake -t "Export drops the last row" --customer Nobody >C &&
	psm triage --explain --format json $(cat A) >json &&
	test $(grep -c "\"term\":" json) = 6 &&
	psm triage --explain $(cat A) >before &&
	! grep "^worth" before
'

test_expect_success 'a customers table adds the worth term, explained' '
	cat >>.psm/config.yml <<-\EOF &&
	customers:
	  Acme:
	    plan: enterprise
	    mrr: 4200
	  Initech:
	    plan: pro
	  Nobody Else:
	    mrr: 10
	plans:
	  pro: 500
	EOF
	git commit -q -m customers .psm/config.yml &&
	psm triage --explain $(cat A) >a &&
	grep "^worth  *4.20  *\* 1.00  = 4.20  *MRR: Acme 4200 (enterprise)\$" a &&
	psm triage --explain $(cat B) >b &&
	grep "^worth  *0.50  *\* 1.00  = 0.50  *MRR: Initech 500 (pro plan)\$" b &&
	psm triage --explain $(cat C) >c &&
	grep "^worth  *0.00  *\* 1.00  = 0.00  *no customer in the config.s customers\$" c &&
	pa=$(term a priority) && pb=$(term b priority) && pc=$(term c priority) &&
	test "$(awk "BEGIN { printf \"%.2f\", $pa - $pc }")" = 4.20 &&
	test "$(awk "BEGIN { printf \"%.2f\", $pb - $pc }")" = 0.50
'

test_expect_success 'the queue ranks the customer worth more first' '
	psm triage --queue | awk "NR > 1 { print \$1 }" >order &&
	cat A B C >expect &&
	test_cmp expect order
'

test_expect_success 'explain --format json has the term; the values add up' '
	psm triage --explain --format json $(cat A) >json &&
	test $(grep -c "\"term\":" json) = 7 &&
	tr -d "\n " <json >flat &&
	grep "{\"term\":\"worth\",\"count\":4.2,\"weight\":1.0,\"weight_key\":\"worth\",\"value\":4.2}" flat
'

test_expect_success 'weights.worth scales it; a reporter'"'"'s customer counts once, any case' '
	sed "s/^  untriaged_per_day: 0.3\$/&\\
  worth: 2/" .psm/config.yml >tmp && mv tmp .psm/config.yml &&
	psm triage --explain $(cat A) >a &&
	grep "^worth  *4.20  *\* 2.00  = 8.40 " a &&
	psm intake -t "Invite mail is late" --customer acme >D &&
	p=$(psm show --format json $(cat D) | sed -n "s/^  \"path\": \"\(.*\)\",\$/\1/p") &&
	sed "/^created:/i\\
reporters:\\
- name: Ann\\
  customer: INITECH\\
- name: Bo\\
  customer: initech\\
- name: Cy\\
  customer: ACME" "$p" >tmp && mv tmp "$p" &&
	psm check &&
	psm triage --explain $(cat D) >d &&
	grep "^worth  *4.70  *\* 2.00  = 9.40  *MRR: Acme 4200 (enterprise), Initech 500 (pro plan)\$" d
'

test_expect_success 'a customer from the reporter'"'"'s e-mail domain is worth as much; the team is not' '
	cat >>.psm/config.yml <<-\EOF &&
	customer_domains:
	  acme.example: Acme
	  ourapp.example: Initech
	team:
	- ourapp.example
	EOF
	git commit -q -m domains .psm/config.yml &&
	psm intake -t "Reports time out" --source email \
		--reporter "Dana Ortiz <dana@acme.example>" >E &&
	psm triage --explain $(cat E) >e &&
	grep "^worth  *4.20  *\* 2.00  = 8.40  *MRR: Acme 4200 (enterprise)\$" e &&
	psm intake -t "Reports time out for us too" --source email \
		--reporter "Mo <mo@ourapp.example>" >F &&
	psm triage --explain $(cat F) >f &&
	grep "^worth  *0.00  .*no customer in the config.s customers\$" f
'

test_done
