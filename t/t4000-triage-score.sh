#!/bin/sh

test_description='priority scores: psm triage --explain, --queue, list --sort priority

The score is computed when read: impact weight, distinct reporters and
customers, the keyword rule, age and time waiting for triage, each weighted
by the config'"'"'s weights: map.'

. ./test-lib.sh

command -v python3 >/dev/null 2>&1 && test_set_prereq PYTHON

test_expect_success 'setup: four issues a day apart' '
	psm init &&
	psm intake -t "Export to CSV drops the last row" --source email \
		--reporter "Lee Kim <lee@globex.example>" --customer Globex >csv &&
	test_tick &&
	psm intake -t "Cannot sign in after password reset" --source email \
		--reporter "Dana Ortiz <dana@acme.example>" --customer Acme \
		-m "The login page says invalid credentials." >signin &&
	test_tick &&
	psm intake -t "Dark mode please" --source chat >dark &&
	test_tick &&
	psm intake -t "Typo on the pricing page" --source form >typo &&
	# a second reporter from another customer on the sign-in issue
	p=$(psm show --format json $(cat signin) | sed -n "s/^  \"path\": \"\(.*\)\",\$/\1/p") &&
	sed "/^reporters:/a\\
- name: Mei Chen\\
  email: mei@initech.example\\
  customer: Initech\\
  channel: call\\
  at: 2026-11-20T10:02:00Z" "$p" >tmp && mv tmp "$p" &&
	git commit -q -m "second reporter" "$p" &&
	psm check
'

test_expect_success 'explain prints every term, its weight and the sum' '
	PSM_NOW=2026-11-27T10:01:00Z psm triage --explain $(cat signin) >out &&
	sid=$(cat signin) &&
	cat >expect <<-EOF &&
	$sid  Cannot sign in after password reset

	TERM       COUNT  WEIGHT  VALUE    WHY
	impact     0.00   * 1.00  = 0.00   no impact yet
	reporters  2.00   * 2.00  = 4.00   2 distinct
	customers  2.00   * 3.00  = 6.00   2 distinct: Acme, Initech
	keyword    1.00   * 5.00  = 5.00   "sign in": suggests impact core
	age        1.00   * 0.50  = 0.50   7d old
	untriaged  7.00   * 0.30  = 2.10   7d waiting for triage
	priority                  = 17.60  the sum

	The weights are the config'"'"'s weights: map (.psm/config.yml).
	EOF
	test_cmp expect out
'

test_expect_success 'explain --format json has the same terms' '
	PSM_NOW=2026-11-27T10:01:00Z psm triage --explain --format json $(cat signin) >out.json &&
	grep "\"priority\": 17.6," out.json &&
	grep "\"suggested_impact\": \"core\"" out.json &&
	grep "\"keyword\": \"sign in\"" out.json &&
	test $(grep -c "\"term\":" out.json) = 6 &&
	grep -A4 "\"term\": \"customers\"" out.json >cust &&
	grep "\"value\": 6.0" cust
'

test_expect_success JQ 'explain json: values add up to the priority' '
	jq -e "([.terms[].value] | add) == .priority" out.json &&
	jq -e ".terms | map(.term) == [\"impact\",\"reporters\",\"customers\",\"keyword\",\"age\",\"untriaged\"]" out.json
'

test_expect_success 'weights come from the config' '
	cp .psm/config.yml config.orig &&
	sed -e "s/^  keyword: 5.0/  keyword: 50/" config.orig >.psm/config.yml &&
	PSM_NOW=2026-11-27T10:01:00Z psm triage --explain $(cat signin) >out &&
	grep "^keyword .* \* 50.00  = 50.00" out &&
	grep "^priority .*= 62.60" out &&
	cp config.orig .psm/config.yml
'

test_expect_success 'a weight left out of the config takes its default' '
	sed -e "/^  age_per_week:/d" config.orig >.psm/config.yml &&
	PSM_NOW=2026-11-27T10:01:00Z psm triage --explain $(cat signin) >out &&
	grep "^age .* \* 0.50  = 0.50" out &&
	cp config.orig .psm/config.yml
'

test_expect_success 'the impact term is the config weight of the impact set' '
	test_tick &&
	psm triage $(cat dark) --impact strategic >/dev/null &&
	psm triage --explain $(cat dark) >out &&
	grep "^impact  *2.00  *\* 1.00  *= 2.00  *impact strategic" out &&
	grep "^untriaged .*not waiting" out
'

test_expect_success 'the queue: new issues, highest priority first' '
	psm triage --queue >out &&
	cut -c1-7 out | sed "s/ *\$//" >ids &&
	{ echo ID; cut -c1-7 signin; cut -c1-7 csv; cut -c1-7 typo; } >expect &&
	test_cmp expect ids &&
	grep "^$(cut -c1-7 signin) .* core .*Cannot sign in" out
'

test_expect_success 'the queue as JSON carries the priority and the suggestion' '
	psm triage --queue --format json >q.json &&
	test $(grep -c "\"priority\":" q.json) = 3 &&
	grep "\"suggested_impact\": \"core\"" q.json &&
	test $(grep -c "\"suggested_impact\": null" q.json) = 2 &&
	psm triage --queue --format json --limit 1 >one.json &&
	test $(grep -c "\"priority\":" one.json) = 1
'

test_expect_success 'a parked issue comes back to the queue on its date' '
	psm park $(cat typo) --until 2026-11-25 >/dev/null &&
	psm triage --queue >out &&
	! grep "$(cut -c1-7 typo)" out &&
	PSM_NOW=2026-11-25T00:00:00Z psm triage --queue >out &&
	grep "^$(cut -c1-7 typo) .* parked " out
'

test_expect_success 'closed issues are never in the queue' '
	psm close $(cat csv) --resolution wontfix >/dev/null &&
	psm triage --queue >out &&
	! grep "$(cut -c1-7 csv)" out
'

test_expect_success 'an empty queue prints nothing (and [] as JSON)' '
	psm triage $(cat signin) --impact core >/dev/null &&
	psm triage --queue >out &&
	test_must_be_empty_or_absent () { ! test -s "$1"; } &&
	test_must_be_empty_or_absent out &&
	psm triage --queue --format json >out.json &&
	test "$(cat out.json)" = "[]"
'

test_expect_success 'list --sort priority: highest first; -r reverses' '
	psm list --sort priority --format tsv >out &&
	cut -f1 out >ids &&
	{ id_of $(cat signin); id_of $(cat dark); id_of $(cat typo); } >expect &&
	test_cmp expect ids &&
	psm list --sort priority -r --format tsv | cut -f1 >rids &&
	{ id_of $(cat typo); id_of $(cat dark); id_of $(cat signin); } >expect &&
	test_cmp expect rids
'

test_expect_success 'usage errors exit 129' '
	test_expect_code 129 psm triage --queue $(cat signin) &&
	test_expect_code 129 psm triage --explain &&
	test_expect_code 129 psm triage --queue --explain &&
	test_expect_code 129 psm triage --queue --format html &&
	test_expect_code 129 psm triage --explain $(cat signin) --impact core
'

test_expect_success 'explain of an unknown issue dies' '
	test_expect_code 128 psm triage --explain zzzzzzz 2>err &&
	grep "no issue" err
'

# A queue of many issues is made on every core (cmd/ring.c) and printed in
# order: the table's rows are the JSON's, priorities never rising, and
# list --sort priority agrees.
test_expect_success PYTHON,JQ 'a long queue: the table, the JSON and list agree, in order' '
	gen_store many 7 600 &&
	(
		cd many &&
		COLUMNS=120 psm triage --queue >table &&
		psm triage --queue --format json >q.json &&
		jq -r ".[].short_id" q.json >json.ids &&
		test $(wc -l <json.ids) -gt 100 &&
		sed 1d table | cut -d" " -f1 >table.ids &&
		test_cmp json.ids table.ids &&
		jq -r ".[].priority" q.json >prio &&
		sort -g -r -s prio >prio.sorted &&
		test_cmp prio.sorted prio &&
		jq -r ".[].id" q.json >json.full &&
		psm list --sort priority --format tsv status:new | cut -f1 >list.new &&
		test $(wc -l <list.new) -gt 100 &&
		grep -F -x -f list.new json.full >expect &&
		test_cmp expect list.new
	)
'

test_done
