#!/bin/sh

test_description='psm assign: set, clear and pick owners

An owner by name, "me", --none, --auto (fewest open issues, ties in config
order), the configured owners list, and the refusals.'

. ./test-lib.sh

owner_of () {
	psm show --format json "$1" | sed -n 's/^  "owner": \(.*\),$/\1/p'
}

test_expect_success 'setup' '
	psm init &&
	for t in one two three four five
	do
		test_tick &&
		psm intake -t "Issue $t" >>ids || return 1
	done &&
	sed -n 1p ids >id1
'

test_expect_success 'assign sets the owner in one commit' '
	id=$(cat id1) &&
	before=$(test_commit_count) &&
	test_tick &&
	psm assign $id dana@acme.example >out &&
	test_cmp id1 out &&
	test $(test_commit_count) = $((before + 1)) &&
	test "$(owner_of $id)" = "\"dana@acme.example\"" &&
	git log -1 --format=%s >msg &&
	echo "psm assign $id: Issue one" >expect &&
	test_cmp expect msg &&
	git diff HEAD~1 -U0 | grep "^[-+][a-z]" >changed &&
	grep "^+owner: dana@acme.example\$" changed &&
	! grep -v -e "^+owner:" -e "^[-+]updated:" changed
'

test_expect_success 'assigning the same owner again changes nothing' '
	id=$(cat id1) &&
	before=$(git rev-parse HEAD) &&
	psm assign $id dana@acme.example 2>err &&
	grep "nothing to change (already its owner)" err &&
	test "$(git rev-parse HEAD)" = "$before"
'

test_expect_success 'me is the git identity e-mail' '
	id=$(cat id1) &&
	psm assign $(echo $id | cut -c1-4) me &&
	test "$(owner_of $id)" = "\"author@example.com\""
'

test_expect_success 'me without an identity is refused' '
	id=$(cat id1) &&
	(
		unset GIT_AUTHOR_EMAIL GIT_COMMITTER_EMAIL &&
		test_must_fail psm assign $id me 2>err &&
		grep "user.email" err
	)
'

test_expect_success '--none clears the owner; again: no commit' '
	id=$(cat id1) &&
	psm assign $id --none &&
	test "$(owner_of $id)" = "null" &&
	before=$(git rev-parse HEAD) &&
	psm assign $id --none 2>err &&
	grep "it has no owner" err &&
	test "$(git rev-parse HEAD)" = "$before"
'

test_expect_success 'usage errors' '
	id=$(cat id1) &&
	test_expect_code 129 psm assign 2>err &&
	test_expect_code 129 psm assign $id 2>err &&
	grep "exactly one of" err &&
	test_expect_code 129 psm assign $id bob --auto 2>err &&
	test_expect_code 129 psm assign $id --auto --none 2>err &&
	test_expect_code 129 psm assign $id a b 2>err
'

test_expect_success '--auto needs configured owners' '
	id=$(cat id1) &&
	test_must_fail psm assign $id --auto 2>err &&
	grep "owners:" err
'

test_expect_success 'configure owners' '
	sed "s/^owners: \[\]\$/owners: [ana@example.com, bo@example.com, cy@example.com]/" \
		.psm/config.yml >cfg &&
	mv cfg .psm/config.yml &&
	grep "^owners: \[ana" .psm/config.yml &&
	git commit -q -m "owners" .psm/config.yml
'

test_expect_success 'an owner not in the list is refused, naming the list' '
	id=$(cat id1) &&
	before=$(git rev-parse HEAD) &&
	test_must_fail psm assign $id mallory@example.com 2>err &&
	grep "unknown owner .mallory@example.com." err &&
	grep "ana@example.com, bo@example.com, cy@example.com" err &&
	test_must_fail psm assign $id me 2>err &&
	grep "unknown owner .author@example.com." err &&
	test "$(git rev-parse HEAD)" = "$before"
'

test_expect_success '--auto rotates through tied owners in config order' '
	for n in 1 2 3 4
	do
		psm assign $(sed -n ${n}p ids) --auto || return 1
	done &&
	for n in 1 2 3 4
	do
		owner_of $(sed -n ${n}p ids) || return 1
	done >owners &&
	cat >expect <<-\EOF &&
	"ana@example.com"
	"bo@example.com"
	"cy@example.com"
	"ana@example.com"
	EOF
	test_cmp expect owners
'

test_expect_success '--auto picks the owner with the fewest open issues' '
	# ana 2, bo 1, cy 1: bo first in the list among the fewest
	psm assign $(sed -n 5p ids) --auto &&
	test "$(owner_of $(sed -n 5p ids))" = "\"bo@example.com\"" &&
	# closing two of bo'"'"'s and ana'"'"'s issues leaves cy with the most
	psm close $(sed -n 2p ids) --resolution fixed &&
	psm close $(sed -n 5p ids) --resolution fixed &&
	psm close $(sed -n 1p ids) --resolution fixed &&
	# open: ana 1 (issue 4), bo 0, cy 1 (issue 3)
	psm intake -t "Issue six" >id6 &&
	psm assign $(cat id6) --auto &&
	test "$(owner_of $(cat id6))" = "\"bo@example.com\""
'

test_expect_success '--auto does not count the issue itself' '
	# issue 6 is bo'"'"'s; re-picking it must not see bo as busier
	before=$(git rev-parse HEAD) &&
	psm assign $(cat id6) --auto 2>err &&
	test "$(git rev-parse HEAD)" = "$before" &&
	grep "already its owner" err
'

test_expect_success 'assign --format json prints the resulting issue' '
	psm assign --format json $(cat id6) cy@example.com >json &&
	grep "\"owner\": \"cy@example.com\"" json &&
	grep "\"id\": \"$(cat id6)" json
'

test_expect_success 'assign --no-commit writes the file only' '
	before=$(git rev-parse HEAD) &&
	psm assign --no-commit $(cat id6) ana@example.com &&
	test "$(git rev-parse HEAD)" = "$before" &&
	git status --porcelain --untracked-files=no >status &&
	test_line_count = 1 status &&
	git checkout -- issues
'

test_expect_success 'an unknown ID is refused' '
	test_must_fail psm assign ZZZZZZZZ ana@example.com 2>err &&
	test -s err
'

test_done
