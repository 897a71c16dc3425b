#!/bin/sh

test_description='a customer reply to a closed issue comes back to triage

An e-mail reply (or a new GitHub comment) threaded into a closed issue sets
customer_replied, which puts the issue back in the triage queue, marked as
such in the queue, its JSON and the session, with its close and history
kept. Reopening, or the decision to keep it closed, clears it.'

. ./test-lib.sh

# mail N DATE [IN-REPLY-TO]: message <mN@acme.example> from Dana
mail () {
	{
		echo "From: Dana Ortiz <dana@acme.example>"
		echo "To: support@example.com"
		echo "Subject: ${3:+Re: }Export drops the last row"
		echo "Date: $2"
		echo "Message-ID: <m$1@acme.example>"
		test -z "$3" || echo "In-Reply-To: <m$3@acme.example>"
		echo
		echo "Message $1: the last row of the CSV export is missing."
	} >m$1.eml
}

test_expect_success 'setup: an e-mail, answered and closed' '
	psm init &&
	mail 1 "Fri, 20 Nov 2026 08:00:00 +0000" &&
	psm intake --email m1.eml >out &&
	cut -f2 out >A &&
	psm close $(cat A) -r fixed >/dev/null &&
	psm triage --queue --format json >q &&
	echo "[]" >expect &&
	test_cmp expect q
'

test_expect_success 'a reply written before the close, taken in after it, brings it back' '
	mail 2 "Fri, 20 Nov 2026 08:30:00 +0000" 1 &&
	closed=$(field $(cat A) closed) &&
	test_tick &&
	psm intake --email m2.eml >out &&
	grep "^reply	$(cat A)	" out &&
	test "$(field $(cat A) status)" = "\"closed\"" &&
	test "$(field $(cat A) closed)" = "$closed" &&
	test "$(field $(cat A) resolution)" = "\"fixed\"" &&
	test "$(field $(cat A) customer_replied)" = "\"$PSM_NOW\"" &&
	grep "^customer_replied: $PSM_NOW\$" "$(path_of $(cat A))" &&
	psm check
'

test_expect_success 'the queue says why it is there' '
	psm triage --queue >q &&
	grep "^$(cat A)  .*closed .*(customer replied after close) Export drops the last row\$" q &&
	psm triage --queue --format json >q.json &&
	grep "\"queue_reason\": \"customer_replied\"" q.json &&
	grep "\"customer_replied\": \"$PSM_NOW\"" q.json
'

test_expect_success 'the session shows the reply and offers reopen or keep closed' '
	before=$(test_commit_count) &&
	printf "i\nq\n" | psm triage >out &&
	test $(test_commit_count) = $before &&
	grep "^customer replied after close · closed 20..-..-.. as fixed\$" out &&
	grep "^  Message 2: the last row of the CSV export is missing.\$" out &&
	! grep "psm-ref" out &&
	grep -c "^<!-- psm-ref: " issues/*/$(cat A)*.md &&
	grep "Triage $(cat A) \[r,k,s,u,q,?\]? i\$" out &&
	grep "^It is closed and the customer wrote since: r reopens it, k keeps it closed.\$" out
'

test_expect_success 'k keeps it closed: one commit, out of the queue, history kept' '
	before=$(test_commit_count) &&
	test_tick &&
	printf "k\n" | psm triage >out &&
	test $(test_commit_count) = $((before + 1)) &&
	git log -1 --format=%s | grep "^psm triage $(cat A): Export drops the last row\$" &&
	grep "^  kept closed  *1\$" out &&
	grep "^  left in the queue  *0\$" out &&
	test "$(field $(cat A) status)" = "\"closed\"" &&
	test "$(field $(cat A) customer_replied)" = null &&
	grep "Message 2: the last row" "$(path_of $(cat A))" &&
	psm triage --queue >q &&
	test_line_count = 0 q
'

test_expect_success 'the next reply brings it back; r reopens it (first close kept)' '
	mail 3 "Mon, 23 Nov 2026 08:00:00 +0000" 2 &&
	closed=$(field $(cat A) closed) &&
	psm intake --email m3.eml >/dev/null &&
	test_tick &&
	printf "r\n" | psm triage >out &&
	grep "^  reopened  *1\$" out &&
	git log -1 --format=%s | grep "^psm reopen $(cat A): Export drops the last row\$" &&
	test "$(field $(cat A) status)" = "\"triaged\"" &&
	test "$(field $(cat A) reopened)" = 1 &&
	test "$(field $(cat A) first_closed)" = "$closed" &&
	test "$(field $(cat A) customer_replied)" = null &&
	test "$(field $(cat A) closed)" = null
'

test_expect_success 'a reply to an open issue is no news for triage' '
	mail 4 "Mon, 23 Nov 2026 09:00:00 +0000" 3 &&
	psm intake --email m4.eml >/dev/null &&
	test "$(field $(cat A) customer_replied)" = null &&
	psm triage --queue >q &&
	test_line_count = 0 q
'

test_expect_success 'from the command line: --keep-closed, or psm reopen' '
	psm close $(cat A) -r fixed >/dev/null &&
	mail 5 "Tue, 24 Nov 2026 09:00:00 +0000" 4 &&
	psm intake --email m5.eml >/dev/null &&
	test_must_fail psm triage $(cat A) --impact core 2>err &&
	grep "is closed: reopen it before triaging it (or keep it closed after the customer.s reply: --keep-closed)" err &&
	psm triage $(cat A) --keep-closed >/dev/null &&
	test "$(field $(cat A) customer_replied)" = null &&
	test_must_fail psm triage $(cat A) --keep-closed 2>err &&
	grep "has no customer reply after its close to acknowledge" err &&
	mail 6 "Tue, 24 Nov 2026 10:00:00 +0000" 5 &&
	psm intake --email m6.eml >/dev/null &&
	psm reopen $(cat A) >/dev/null &&
	test "$(field $(cat A) customer_replied)" = null
'

test_expect_success 'psm check: customer_replied is a time' '
	p=$(path_of $(cat A)) &&
	sed "s/^status: .*/&\\
customer_replied: soon/" "$p" >tmp && mv tmp "$p" &&
	test_expect_code 1 psm check >out &&
	grep "error: .customer_replied. is not an RFC 3339 time" out &&
	git checkout -- "$p"
'

test_expect_success 'GitHub: a new comment on a closed issue comes back; an imported history does not' '
	cat >gh.json <<-\EOF &&
	[{"author": {"login": "lena"}, "body": "Broken.", "closedAt": "2026-10-20T16:45:00Z",
	  "comments": [{"author": {"login": "lena"}, "authorAssociation": "NONE", "body": "Thanks!",
	                "createdAt": "2026-10-19T10:00:00Z", "url": "https://github.com/acme/app/issues/2#c1"}],
	  "createdAt": "2026-10-05T09:15:00Z", "labels": [], "number": 2, "state": "CLOSED",
	  "title": "Webhook example uses the old header", "url": "https://github.com/acme/app/issues/2"}]
	EOF
	psm import github gh.json >out &&
	g=$(cut -f2 out) &&
	test "$(field $g customer_replied)" = null &&
	python3 -c "
import json, sys
a = json.load(open(\"gh.json\"))
a[0][\"comments\"].append({\"author\": {\"login\": \"lena\"}, \"authorAssociation\": \"NONE\",
    \"body\": \"It is broken again.\", \"createdAt\": \"2026-11-21T10:00:00Z\",
    \"url\": \"https://github.com/acme/app/issues/2#c2\"})
json.dump(a, open(\"gh2.json\", \"w\"))
" &&
	psm import github gh2.json >out &&
	test "$(field $g customer_replied)" = "\"$PSM_NOW\"" &&
	psm triage --queue --format json | grep "\"queue_reason\": \"customer_replied\""
'

test_done
