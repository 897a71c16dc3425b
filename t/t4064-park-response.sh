#!/bin/sh

test_description='response park parks the issue

Impact edge takes response park by default; a triage decision with
response park parks the issue for the config'"'"'s triage.park_for (4w)
instead of leaving it triaged, so it comes back to the queue then.'

. ./test-lib.sh

test_expect_success 'setup' '
	psm init &&
	for t in one two three four five six
	do
		psm intake -t "Edge case $t" >$t || return 1
	done
'

test_expect_success 'impact edge parks it for four weeks, in one commit' '
	before=$(test_commit_count) &&
	psm triage $(cat one) --impact edge >out &&
	test_cmp one out &&
	test $(test_commit_count) = $((before + 1)) &&
	test "$(git log -1 --format=%s)" = "psm triage $(cat one): Edge case one" &&
	test "$(field $(cat one) status)" = "\"parked\"" &&
	test "$(field $(cat one) response)" = "\"park\"" &&
	test "$(field $(cat one) parked_until)" = "\"2026-12-18\"" &&
	test "$(field $(cat one) triaged)" = "\"$PSM_NOW\"" &&
	psm triage --queue --format json >q &&
	! grep "\"Edge case one\"" q
'

test_expect_success 'response park with another impact parks too; another response, or work in progress, does not' '
	psm triage $(cat two) --impact strategic --response park &&
	test "$(field $(cat two) status)" = "\"parked\"" &&
	psm triage $(cat three) --impact edge --response investigate &&
	test "$(field $(cat three) status)" = "\"triaged\"" &&
	test "$(field $(cat three) parked_until)" = null &&
	# work in progress keeps its status
	psm intake -t "Edge case in progress" >eight &&
	psm status $(cat eight) in-progress &&
	psm triage $(cat eight) --impact edge &&
	test "$(field $(cat eight) status)" = "\"in-progress\"" &&
	test "$(field $(cat eight) parked_until)" = null
'

test_expect_success 'triage.park_for sets the time; a config without it parks for 4w' '
	sed "s/^  park_for: 4w\$/  park_for: 2w/" .psm/config.yml >tmp && mv tmp .psm/config.yml &&
	grep "^  park_for: 2w\$" .psm/config.yml &&
	psm triage $(cat four) --impact edge &&
	test "$(field $(cat four) parked_until)" = "\"2026-12-04\"" &&
	sed "/^  park_for:/d" .psm/config.yml >tmp && mv tmp .psm/config.yml &&
	psm triage $(cat five) --impact edge &&
	test "$(field $(cat five) parked_until)" = "\"2026-12-18\"" &&
	git checkout -q .psm/config.yml
'

test_expect_success 'a bad triage.park_for is named, and nothing is written' '
	sed "s/^  park_for: 4w\$/  park_for: soon/" .psm/config.yml >tmp && mv tmp .psm/config.yml &&
	before=$(git rev-parse HEAD) &&
	test_must_fail psm triage $(cat six) --impact edge 2>err &&
	grep "triage.park_for" err &&
	test "$(git rev-parse HEAD)" = "$before" &&
	test "$(field $(cat six) status)" = "\"new\"" &&
	git checkout -q .psm/config.yml
'

test_expect_success 'the session: impact edge counts as parked' '
	psm triage $(cat six) --impact core &&
	psm intake -t "Edge case in the session" >seven &&
	test $(psm triage --queue --format json | grep -c "\"id\":") = 1 &&
	printf "i\n4\nq\n" | psm triage >out &&
	test "$(field $(cat seven) status)" = "\"parked\"" &&
	grep "^  parked  *1\$" out &&
	grep "^  triaged  *0\$" out
'

test_expect_success 'it is back in the queue when the date comes' '
	PSM_NOW=2026-12-18T09:00:00Z psm triage --queue --format json >q &&
	grep "\"Edge case one\"" q &&
	grep "\"queue_reason\": \"parked\"" q
'

test_done
