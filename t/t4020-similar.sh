#!/bin/sh

test_description='psm similar: likely duplicates, the derived index, intake hints

TF-IDF cosine over title and body words; open issues and ones closed
within similar.window; a merged duplicate speaks for its target; the index
lives in the git directory, is never committed and is rebuilt when stale.'

. ./test-lib.sh
. "$TEST_DIRECTORY"/lib-similar.sh

test_expect_success 'setup: a handful of reports' '
	take_in_first_reports &&
	psm intake -t "Invoice PDF shows the wrong currency" -m "Invoices are in USD, our account is in EUR." >pdf &&
	test_tick &&
	psm intake -t "Login fails once the password was reset" \
		-m "I reset my password and now login says my credentials are invalid." >login 2>err &&
	test_tick &&
	psm intake -t "CSV export is missing rows" -m "Last rows of the report never make it into the CSV." >csv2 2>err2
'

test_expect_success 'intake names the likely duplicate on stderr; stdout stays the ID' '
	test_line_count = 1 login &&
	grep "^hint: likely duplicates; to merge: psm dup $(cat login) --of <id>" err &&
	grep "^hint:  *0\.[0-9][0-9]  $(cat signin)  new  *Cannot sign in after password reset" err &&
	grep "$(cat csv)" err2
'

test_expect_success 'the obvious duplicate ranks first' '
	psm similar $(cat login) >out &&
	head -1 out | grep "^0\.[0-9][0-9]  $(cat signin)  new  *Cannot sign in after password reset\$" &&
	psm similar $(cat csv2) | head -1 | grep "$(cat csv)" &&
	psm similar $(cat signin) | head -1 | grep "$(cat login)"
'

test_expect_success 'scores fall: better matches first, unrelated ones low or absent' '
	psm similar $(cat login) >out &&
	awk "{ print \$1 }" out >scores &&
	sort -r scores >sorted &&
	test_cmp sorted scores &&
	! grep "$(cat dark)" out
'

test_expect_success '-n and --min-score limit the list' '
	psm similar $(cat csv) -n 1 >out &&
	test_line_count = 1 out &&
	psm similar $(cat csv) --min-score 0.99 >out &&
	test_line_count = 0 out &&
	test_expect_code 129 psm similar $(cat csv) --min-score 2 &&
	test_expect_code 129 psm similar $(cat csv) -n 0 &&
	test_expect_code 129 psm similar &&
	test_expect_code 128 psm similar zzzzzzz
'

test_expect_success 'JSON: id, short_id, score, status, title, via' '
	psm similar $(cat login) --format json >out.json &&
	grep "\"short_id\": \"$(cat signin)\"" out.json &&
	grep "\"score\": 0\.[0-9]*," out.json &&
	grep "\"via\": null" out.json &&
	grep "\"status\": \"new\"" out.json
'

test_expect_success 'the index is in the git directory and never committed' '
	test -f .git/psm/similar.idx &&
	git status --porcelain --untracked-files=all -- issues .psm >st &&
	test_line_count = 0 st &&
	! git ls-files | grep similar &&
	! git log --all --format= --name-only | grep similar
'

test_expect_success 'a deleted or damaged index is rebuilt with the same answers' '
	psm similar $(cat login) >before &&
	rm .git/psm/similar.idx &&
	psm similar $(cat login) >after &&
	test_cmp before after &&
	test -f .git/psm/similar.idx &&
	printf "PSMSIM2\\n garbage" >.git/psm/similar.idx &&
	psm similar $(cat login) >after &&
	test_cmp before after &&
	head -c 100 .git/psm/similar.idx >cut && mv cut .git/psm/similar.idx &&
	psm similar $(cat login) >after &&
	test_cmp before after
'

test_expect_success 'an issue file edited by hand is re-read' '
	psm similar $(cat dark) >out &&
	! grep "$(cat pdf)" out &&
	p=$(path_of $(cat pdf)) &&
	sed "s/^title: .*/title: Dark mode for invoices and the dashboard/" $p >tmp &&
	mv tmp $p &&
	psm similar $(cat dark) >out &&
	head -1 out | grep "$(cat pdf)  new  *Dark mode for invoices" &&
	git checkout -q $p
'

test_expect_success 'a deleted issue file drops out' '
	p=$(path_of $(cat csv2)) &&
	mv $p saved.md &&
	psm similar $(cat csv) >out &&
	! grep "$(cat csv2)" out &&
	mv saved.md $p
'

test_expect_success 'closed issues count only within similar.window' '
	test_tick &&
	psm close $(cat csv2) --resolution fixed >/dev/null &&
	psm similar $(cat csv) >out &&
	grep "$(cat csv2)  closed " out &&
	PSM_NOW=2027-01-30T00:00:00Z psm similar $(cat csv) >out &&
	! grep "$(cat csv2)" out &&
	sed "s/^  window: 30d/  window: 100d/" .psm/config.yml >tmp && mv tmp .psm/config.yml &&
	PSM_NOW=2027-01-30T00:00:00Z psm similar $(cat csv) >out &&
	grep "$(cat csv2)" out &&
	git checkout -q .psm/config.yml
'

test_expect_success 'a merged duplicate speaks for its target' '
	test_tick &&
	psm dup $(cat login) --of $(cat signin) >/dev/null &&
	psm intake -t "Password reset breaks login" -m "Since the reset, login rejects my credentials." >third 2>/dev/null &&
	psm similar $(cat third) >out &&
	head -1 out | grep "$(cat signin)" &&
	! grep "^[0-9.]*  $(cat login)" out &&
	psm similar $(cat third) --format json >out.json &&
	grep "\"via\": \"[0-9a-z]*\"" out.json
'

test_expect_success 'no hint when nothing is similar, or when similar.on_intake is false' '
	psm intake -t "Keyboard shortcuts for the editor" >kb 2>err &&
	test_line_count = 0 err &&
	sed "s/^  on_intake: true/  on_intake: false/" .psm/config.yml >tmp && mv tmp .psm/config.yml &&
	psm intake -t "Export CSV loses the last row" >x 2>err &&
	test_line_count = 0 err &&
	git checkout -q .psm/config.yml
'

test_expect_success 'courtesies (please, thanks, hi) make nothing similar' '
	psm intake -t "Please merge my two accounts" \
		-m "Hi, thanks for the help. Please merge them. Regards, Kim" >merge 2>err &&
	psm intake -t "Please add a sepia theme" \
		-m "Hello, thanks! Please add it. Cheers, Lou" >sepia 2>err &&
	test_line_count = 0 err &&
	psm similar $(cat sepia) >out &&
	! grep "$(cat merge)" out
'

test_expect_success 'titles are shown without their control sequences' '
	psm intake -t "$(printf "Dashboard dark \\033]0;owned\\007mode \\033[31mred")" >evil 2>/dev/null &&
	psm similar $(cat dark) >out &&
	grep "$(cat evil)" out &&
	! grep "$(printf "\\033")" out &&
	! grep "$(printf "\\007")" out
'

test_done
