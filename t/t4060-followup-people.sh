#!/bin/sh

test_description='psm followup person by person

The follow-up of a closed issue is owed to each distinct reporter: psm
followup ID --done --reporter WHO records one person told (with --ref, the
message that told them), --unreachable WHY one who cannot be told, and the
listing shows who is still owed. The old whole-issue followup map reads as
everyone told; a newcomer to such an issue is owed alone. The merge driver
keeps the records of both sides.'

. ./test-lib.sh

# followups_of ID: the followups entry of the issue's file.
followups_of () {
	awk '/^followups:/ { on = 1; print; next } on && (/^[a-z]/ || /^---$/) { exit } on' "$(path_of "$1")"
}

# add_reporter ID NAME KEY VALUE: one more reporter, written by hand.
add_reporter () {
	p=$(path_of "$1") &&
	sed "/^created:/i\\
- name: $2\\
  $3: '$4'\\
  channel: app-store\\
  at: 2026-11-20T10:00:00Z" "$p" >tmp && mv tmp "$p" &&
	git commit -q -m "reporter $2" "$p"
}

test_expect_success 'setup: a closed issue with three people, one without an address' '
	psm init &&
	psm intake -t "Login fails after reset" --source email \
		--reporter "Dana Ortiz <dana@acme.example>" >A &&
	add_reporter $(cat A) "Eli Park" contact "@eli" &&
	p=$(path_of $(cat A)) &&
	sed "/^created:/i\\
- name: jk88\\
  channel: app-store\\
  at: 2026-11-20T10:00:00Z" "$p" >tmp && mv tmp "$p" &&
	git commit -q -m "app-store reviewer" "$p" &&
	test_tick &&
	psm close $(cat A) -r fixed --release-note "Sign-in works after a reset." &&
	psm check
'

test_expect_success 'the listing names each person owed, with a draft each' '
	psm followup >out &&
	grep "^  to Dana Ortiz <dana@acme.example> via email\$" out &&
	grep "^  to Eli Park <@eli> via app-store\$" out &&
	grep "^  to jk88 via app-store\$" out &&
	grep "^  (no address: if they cannot be told, psm followup $(cat A) --unreachable WHY --reporter .jk88.)\$" out &&
	test $(grep -c "^    Hi " out) = 3 &&
	tail -n 1 out >last &&
	echo "3 people on 1 closed issue not told yet (psm followup ID --done [--reporter WHO] when they are)" >expect &&
	test_cmp expect last
'

test_expect_success 'the draft leaves out the team'"'"'s HTML comments in the release note' '
	psm intake -t "Export is slow" --source email --reporter "Kim <kim@c.example>" >K &&
	psm close $(cat K) -r fixed \
		--release-note "Exports are fast again <!-- hotfix: revert after 2.1 --> for big accounts." &&
	grep -F "<!-- hotfix" "$(path_of $(cat K))" &&
	psm followup $(cat K) >out &&
	grep "^    Exports are fast again for big accounts\.\$" out &&
	! grep hotfix out &&
	psm followup $(cat K) --done >/dev/null
'

test_expect_success 'done for one reporter: a record for that person only, one commit' '
	before=$(test_commit_count) &&
	test_tick &&
	psm followup $(cat A) --done --reporter DANA@acme.example --ref "<m1@team.example>" >out &&
	test_cmp A out &&
	test $(test_commit_count) = $((before + 1)) &&
	git log -1 --format=%s >msg &&
	echo "psm followup $(cat A): Login fails after reset" >expect &&
	test_cmp expect msg &&
	followups_of $(cat A) >f &&
	cat >expect <<-\EOF &&
	followups:
	- reporter: dana@acme.example
	  done: 2026-11-20T10:02:00Z
	  by: author@example.com
	  ref: <m1@team.example>
	EOF
	test_cmp expect f &&
	psm check &&
	git status --porcelain --untracked-files=no >st &&
	test_line_count = 0 st
'

test_expect_success 'the others stay owed; the person told is one line' '
	psm list followup:pending --format tsv >pending &&
	grep "^$(id_of $(cat A))" pending &&
	psm followup >out &&
	grep "^  told Dana Ortiz <dana@acme.example> 2026-11-20 by author@example.com\$" out &&
	! grep "^  to Dana" out &&
	test $(grep -c "^    Hi " out) = 2 &&
	tail -n 1 out | grep "^2 people on 1 closed issue not told yet"
'

test_expect_success 'the same person again changes nothing' '
	before=$(git rev-parse HEAD) &&
	psm followup $(cat A) --done --reporter "Dana Ortiz" 2>err &&
	grep "nothing to change" err &&
	test "$(git rev-parse HEAD)" = "$before"
'

test_expect_success 'an unreachable reporter is marked without blocking the rest' '
	test_tick &&
	psm followup $(cat A) --unreachable "app-store review, no address" --reporter jk88 &&
	followups_of $(cat A) >f &&
	grep "^- reporter: jk88\$" f &&
	grep "^  unreachable: app-store review, no address\$" f &&
	psm followup >out &&
	grep "^  cannot be told: jk88 2026-11-20 by author@example.com (app-store review, no address)\$" out &&
	tail -n 1 out | grep "^1 person on 1 closed issue not told yet" &&
	psm list followup:pending --format tsv | grep "^$(id_of $(cat A))"
'

test_expect_success JQ 'followup --format json: each person with a state' '
	psm followup --format json >json &&
	jq -e ".[0].owed == 1 and .[0].pending == true" json &&
	jq -e "[.[0].reporters[].state] == [\"told\", \"owed\", \"unreachable\"]" json &&
	jq -e ".[0].reporters[0] | .done == \"2026-11-20T10:02:00Z\" and .by == \"author@example.com\"
		and .ref == \"<m1@team.example>\" and .unreachable == null" json &&
	jq -e ".[0].reporters[1] | .done == null and .by == null and (.draft | startswith(\"Hi Eli Park,\"))" json &&
	jq -e ".[0].reporters[2].unreachable == \"app-store review, no address\"" json &&
	psm show --format json $(cat A) >show &&
	jq -e ".followups | length == 2" show &&
	jq -e ".followups[0] | .reporter == \"dana@acme.example\" and .ref == \"<m1@team.example>\"" show
'

test_expect_success 'the last person told: nothing owed, followup:done' '
	test_tick &&
	psm followup $(cat A) --done --reporter "@ELI" &&
	psm followup >out &&
	echo "no follow-ups owed" >expect &&
	test_cmp expect out &&
	psm list followup:done --format tsv | grep "^$(id_of $(cat A))" &&
	psm list followup:pending --format tsv >pending &&
	test_line_count = 0 pending
'

test_expect_success 'refusals: nobody by that name, a name of two people, usage' '
	psm intake -t "Export is slow" --reporter "Sam Lee <sam@one.example>" >B &&
	add_reporter $(cat B) "Sam Lee" email "sam@two.example" &&
	psm close $(cat B) -r fixed &&
	before=$(git rev-parse HEAD) &&
	test_must_fail psm followup $(cat B) --done --reporter nobody@x.example 2>err &&
	grep "fatal: .nobody@x.example. is not a reporter of .$(id_of $(cat B)). (its reporters: sam@one.example, sam@two.example)" err &&
	test_must_fail psm followup $(cat B) --done --reporter "sam lee" 2>err &&
	grep "fatal: .sam lee. names 2 reporters of" err &&
	test_expect_code 129 psm followup $(cat A) $(cat B) --done --reporter sam@one.example 2>err &&
	test_expect_code 129 psm followup $(cat B) --ref "<x@y>" 2>err &&
	test_expect_code 129 psm followup $(cat B) --done --unreachable why 2>err &&
	test_expect_code 129 psm followup $(cat B) --reporter sam@one.example 2>err &&
	psm intake -t "Still open" --reporter "hal@example.com" >C &&
	test_must_fail psm followup $(cat C) --done --reporter hal@example.com 2>err &&
	grep "is not closed" err &&
	test $(git rev-list --count $before..HEAD) = 1
'

test_expect_success 'done without --reporter tells everyone still owed, and keeps earlier records' '
	test_tick &&
	psm followup $(cat B) --done --reporter "<sam@two.example>" --ref "<m2@team.example>" &&
	test_tick &&
	psm followup $(cat B) --done &&
	psm show --format json $(cat B) >show &&
	grep -c "\"reporter\": \"sam@" show >n &&
	echo 2 >expect &&
	test_cmp expect n &&
	grep "\"ref\": \"<m2@team.example>\"" show &&
	grep "\"done\": \"2026-11-20T10:05:00Z\"" show
'

test_expect_success 'the old whole-issue map means everyone told; a newcomer is owed alone' '
	psm intake -t "Old follow-up" --reporter "ann@old.example" >D &&
	add_reporter $(cat D) "Bo" email "bo@old.example" &&
	psm close $(cat D) -r fixed &&
	p=$(path_of $(cat D)) &&
	sed "/^resolution:/a\\
followup:\\
  done: 2026-11-19T09:00:00Z\\
  by: old@team.example" "$p" >tmp && mv tmp "$p" &&
	git commit -q -m "an old psm recorded the follow-up" "$p" &&
	psm check &&
	psm followup >out &&
	! grep "Old follow-up" out &&
	psm list followup:done --format tsv | grep "^$(id_of $(cat D))" &&
	psm intake -t "Old follow-up again" --reporter "cy@new.example" >E &&
	test_tick &&
	psm dup $(cat E) --of $(cat D) &&
	! grep "^followup:" "$p" &&
	followups_of $(cat D) >f &&
	grep "^- reporter: ann@old.example\$" f &&
	grep "^- reporter: bo@old.example\$" f &&
	! grep "cy@new.example" f &&
	grep -c "^  done: 2026-11-19T09:00:00Z\$" f >n &&
	echo 2 >expect &&
	test_cmp expect n &&
	psm followup >out &&
	grep "^  to cy@new.example via other\$" out &&
	grep "^  told ann@old.example 2026-11-19 by old@team.example\$" out &&
	tail -n 1 out | grep "^1 person on 1 closed issue"
'

test_expect_success 'a re-close with another resolution makes everyone owed again' '
	test_tick &&
	psm close $(cat A) -r documented &&
	! grep "^followups:" "$(path_of $(cat A))" &&
	psm followup --format json >json &&
	grep -c "\"state\": \"owed\"" json >n &&
	echo 4 >expect &&
	test_cmp expect n
'

test_expect_success 'two clones tell different people: the merge keeps both records' '
	psm intake -t "Merged follow-up" --reporter "x1@m.example" >M &&
	add_reporter $(cat M) "Y" email "y2@m.example" &&
	psm close $(cat M) -r fixed &&
	git branch side &&
	test_tick &&
	psm followup $(cat M) --done --reporter x1@m.example &&
	git checkout -q side &&
	test_tick &&
	psm followup $(cat M) --done --reporter y2@m.example &&
	git checkout -q - &&
	git merge -q --no-edit side &&
	psm check &&
	followups_of $(cat M) >f &&
	grep "^- reporter: x1@m.example\$" f &&
	grep "^- reporter: y2@m.example\$" f &&
	! grep "^<<<<<<<" "$(path_of $(cat M))" &&
	psm list followup:done --format tsv | grep "^$(id_of $(cat M))"
'

test_expect_success 'psm check names a follow-up record without a time' '
	p=$(path_of $(cat M)) &&
	cp "$p" saved &&
	sed "0,/^  done: .*/s//  done: soon/" "$p" >tmp && mv tmp "$p" &&
	test_must_fail psm check >out &&
	grep "follow-up .done. is not an RFC 3339 time" out &&
	mv saved "$p"
'

test_expect_success 'psm check names a follow-up that came back without a time' '
	p=$(path_of $(cat M)) &&
	cp "$p" saved &&
	sed "0,/^  done: .*/s//&\n  bounced: yesterday/" "$p" >tmp && mv tmp "$p" &&
	grep "^  bounced: yesterday" "$p" &&
	test_must_fail psm check >out &&
	grep "follow-up .bounced. is not an RFC 3339 time" out &&
	mv saved "$p"
'

test_done
