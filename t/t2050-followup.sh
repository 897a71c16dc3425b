#!/bin/sh

test_description='psm followup: closing the loop with the reporters

Closed issues whose reporters were not told are listed with a draft per
reporter from .psm/templates/<resolution>.md (or the built-in text);
psm followup ID --done records the telling.'

. ./test-lib.sh

test_expect_success 'setup' '
	psm init &&
	psm intake -t "Login fails" --source email \
		--reporter "Dana Ortiz <dana@acme.example>" >id1 &&
	p=$(path_of $(cat id1)) &&
	sed "/^created:/i\\
- name: Eli Park\\
  contact: \"+1 555 0100\"\\
  channel: call\\
  at: 2026-11-20T10:00:00Z" "$p" >tmp && mv tmp "$p" &&
	git commit -q -m "second reporter" "$p" &&
	psm intake -t "Export is slow" --reporter "fay@example.com" >id2 &&
	psm intake -t "Nobody reported this" >id3
'

test_expect_success 'nothing closed: no follow-ups owed' '
	psm followup >out &&
	echo "no follow-ups owed" >expect &&
	test_cmp expect out
'

test_expect_success 'a closed issue is listed with a draft naming each reporter' '
	test_tick &&
	psm close $(cat id1) -r fixed --release-note "Sign-in works after a reset." &&
	psm close $(cat id3) -r answered &&
	psm followup >out &&
	grep "^$(cat id1)  fixed  closed 2026-11-20 (0m ago)  Login fails\$" out &&
	! grep "Nobody reported" out &&
	grep "^  to Dana Ortiz <dana@acme.example> via email\$" out &&
	grep "^  to Eli Park <+1 555 0100> via call\$" out &&
	grep "^    Hi Dana Ortiz,\$" out &&
	grep "^    Hi Eli Park,\$" out &&
	grep "^    Sign-in works after a reset.\$" out &&
	grep "^    A U Thor\$" out &&
	grep "^  template: built-in\$" out &&
	tail -n 1 out >last &&
	echo "2 people on 1 closed issue not told yet (psm followup ID --done [--reporter WHO] when they are)" >expect &&
	test_cmp expect last
'

test_expect_success JQ 'followup --format json: the documented fields' '
	psm followup --format json >json &&
	jq -e "length == 1" json &&
	jq -e ".[0] | .id and .short_id and .title == \"Login fails\" and .resolution == \"fixed\"
		and .closed == \"2026-11-20T10:01:00Z\" and .pending == true
		and .release_note == \"Sign-in works after a reset.\" and .template == \"built-in\"
		and (.owner == null) and (.customer == null)" json &&
	jq -e ".[0].reporters | length == 2" json &&
	jq -e ".[0].reporters[0] | .name == \"Dana Ortiz\" and .email == \"dana@acme.example\"
		and .contact == null and .channel == \"email\" and .via == null
		and (.draft | startswith(\"Hi Dana Ortiz,\n\"))" json &&
	jq -e ".[0].reporters[1] | .contact == \"+1 555 0100\" and (.draft | contains(\"Hi Eli Park,\"))" json
'

test_expect_success 'a template in the store replaces the built-in text' '
	mkdir -p .psm/templates &&
	cat >.psm/templates/fixed.md <<-\EOF &&
	Dear {name},

	"{title}" ({short_id}, {id}) is {resolution}.

	{release_note}

	{no_such_placeholder} -- {sender}
	EOF
	psm followup --format json >json &&
	psm followup >out &&
	grep "^  template: .psm/templates/fixed.md\$" out &&
	sed -n "/to Dana Ortiz/,/to Eli/p" out >draft &&
	cat >expect <<-EOF &&
	  to Dana Ortiz <dana@acme.example> via email

	    Dear Dana Ortiz,

	    "Login fails" ($(cat id1), $(psm show --format json $(cat id1) | sed -n "s/^  \"id\": \"\(.*\)\",\$/\1/p")) is fixed.

	    Sign-in works after a reset.

	    {no_such_placeholder} -- A U Thor

	  to Eli Park <+1 555 0100> via call
	EOF
	test_cmp expect draft
'

test_expect_success 'default.md covers resolutions without their own template' '
	echo "Hello {name}: {title} is now {resolution}." >.psm/templates/default.md &&
	test_tick &&
	psm close $(cat id2) -r wontfix &&
	psm followup >out &&
	grep "^    Hello fay@example.com: Export is slow is now wontfix.\$" out &&
	grep "^  template: .psm/templates/default.md\$" out
'

test_expect_success 'followup --template prints the template in effect' '
	psm followup --template fixed >out 2>err &&
	test_cmp .psm/templates/fixed.md out &&
	grep "^# .psm/templates/fixed.md\$" err &&
	rm .psm/templates/default.md &&
	psm followup --template cannot-reproduce >out 2>err &&
	grep "could not make it happen" out &&
	grep "^# built-in\$" err
'

test_expect_success 'a resolution cannot reach a template outside .psm/templates' '
	echo "EVIL {name}" >.psm/evil.md &&
	sed "s/^resolutions:\$/resolutions: []\nold_resolutions:/" .psm/config.yml >cfg &&
	mv cfg .psm/config.yml &&
	psm intake -t "Odd" --reporter "gus@example.com" >id4 &&
	psm close $(cat id4) -r ../evil &&
	psm followup $(cat id4) >out &&
	! grep EVIL out &&
	grep "^  template: built-in\$" out &&
	# leave no issue the restored config rejects (read commands name it)
	psm reopen $(cat id4) &&
	git checkout -- .psm/config.yml
'

test_expect_success 'followup ID --done records when and by whom, in one commit' '
	id=$(cat id1) &&
	before=$(test_commit_count) &&
	test_tick &&
	psm followup $id --done >out &&
	test_cmp id1 out &&
	test $(test_commit_count) = $((before + 1)) &&
	sed -n "/^followups:/,/^[a-z]/p" "$(path_of $id)" >f &&
	grep "^- reporter: dana@acme.example\$" f &&
	grep "^- reporter: +1 555 0100\$" f &&
	grep "^  done: 2026-11-20T10:03:00Z\$" f &&
	grep "^  by: author@example.com\$" f &&
	git log -1 --format=%s | grep "^psm followup $id: Login fails\$" &&
	psm followup >out &&
	! grep "Login fails" out &&
	psm list followup:done --format tsv | grep "^$(psm show --format json $id | sed -n "s/^  \"id\": \"\(.*\)\",\$/\1/p")"
'

test_expect_success 'a second --done changes nothing' '
	before=$(git rev-parse HEAD) &&
	psm followup $(cat id1) --done 2>err &&
	grep "already recorded" err &&
	test "$(git rev-parse HEAD)" = "$before"
'

test_expect_success 'followup ID shows the drafts even when done' '
	psm followup $(cat id1) >out &&
	grep "Hi\|Dear" out
'

test_expect_success 'refusals: open issue, no reporters, no ID' '
	psm intake -t "Still open" --reporter "hal@example.com" >id5 &&
	before=$(git rev-parse HEAD) &&
	test_must_fail psm followup $(cat id5) --done 2>err &&
	grep "is not closed" err &&
	test_must_fail psm followup $(cat id5) 2>err &&
	grep "is not closed" err &&
	test_must_fail psm followup $(cat id3) --done 2>err &&
	grep "has no reporters" err &&
	test_expect_code 129 psm followup --done 2>err &&
	test_expect_code 129 psm followup --template fixed $(cat id1) 2>err &&
	test "$(git rev-parse HEAD)" = "$before"
'

test_expect_success 'customer text cannot drive the terminal' '
	printf "Mal\033]0;owned\007lory <m@example.com>" >rep &&
	psm intake -t "Escape $(printf "\033[31m")red" --reporter "$(cat rep)" >id6 &&
	psm close $(cat id6) -r fixed &&
	psm followup >out &&
	! grep "$(printf "\033")" out &&
	grep "Mal" out
'

test_expect_success 'short IDs in the listing grow until they are unique' '
	p=$(path_of $(cat id6)) &&
	id=$(basename "$p" .md) &&
	case $id in *0) twin=${id%?}1 ;; *) twin=${id%?}0 ;; esac &&
	sed "s/^id: .*/id: $twin/" "$p" >"${p%/*}/$twin.md" &&
	git add "${p%/*}/$twin.md" &&
	git commit -q -m twin &&
	psm followup >out &&
	grep "^$id  fixed" out &&
	grep "^$twin  fixed" out &&
	psm followup --format json >json &&
	grep "\"short_id\": \"$id\"" json &&
	grep "\"short_id\": \"$twin\"" json &&
	psm followup --done $twin
'

test_expect_success 'followup --done --format json prints the issue' '
	psm followup --format json --done $(cat id2) >json &&
	grep "\"by\": \"author@example.com\"" json
'

test_expect_success 'followup --done takes several IDs in one commit' '
	psm intake -t "Seven" --reporter "i@example.com" >id7 &&
	psm intake -t "Eight" --reporter "j@example.com" >id8 &&
	psm close $(cat id7) -r fixed &&
	psm close $(cat id8) -r fixed &&
	before=$(test_commit_count) &&
	psm followup --format json --done $(cat id7) $(cat id8) >json &&
	test $(test_commit_count) = $((before + 1)) &&
	git log -1 --format=%s >msg &&
	echo "psm followup 2 issues" >expect &&
	test_cmp expect msg &&
	head -c 1 json | grep "\[" &&
	grep -c "\"by\": \"author@example.com\"" json >n &&
	echo 2 >expect &&
	test_cmp expect n
'

test_done
