#!/bin/sh

test_description='owners are people: a handle, a name or an e-mail names one person

The config'"'"'s owners may be written "Name <email>", with a handle
("raj: Raj Patel <raj@acme.example>"); psm assign, psm triage --owner,
owner: searches and psm stats --by owner take any of a person'"'"'s names and
mean the same person; a name two people share is refused with both named.
Old configs (plain e-mails or names) keep working (t2010).'

. ./test-lib.sh

owner_of () {
	psm show --format json "$1" | sed -n 's/^  "owner": \(.*\),$/\1/p'
}

test_expect_success 'setup: three people, one with a handle, two called Raj' '
	psm init &&
	sed "/^owners: \[\]\$/d" .psm/config.yml >cfg &&
	cat >>cfg <<-\EOF &&
	owners:
	- raj: Raj Patel <raj@acme.example>
	- Raj Singh <rsingh@acme.example>
	- Mei Chen <mei@acme.example>
	- ops@acme.example
	EOF
	mv cfg .psm/config.yml &&
	git commit -q -m "owners as people" .psm/config.yml &&
	for t in one two three four five
	do
		test_tick &&
		psm intake -t "Issue $t" >>ids || return 1
	done &&
	psm check
'

test_expect_success 'assign by handle writes the e-mail' '
	id=$(sed -n 1p ids) &&
	psm assign $id raj &&
	test "$(owner_of $id)" = "\"raj@acme.example\""
'

test_expect_success 'assign by full name, first name or e-mail; any case' '
	psm assign $(sed -n 2p ids) "Raj Singh" &&
	test "$(owner_of $(sed -n 2p ids))" = "\"rsingh@acme.example\"" &&
	psm assign $(sed -n 3p ids) mei &&
	test "$(owner_of $(sed -n 3p ids))" = "\"mei@acme.example\"" &&
	psm assign $(sed -n 4p ids) MEI@acme.example &&
	test "$(owner_of $(sed -n 4p ids))" = "\"mei@acme.example\"" &&
	psm assign $(sed -n 5p ids) "Mei Chen <mei@acme.example>" &&
	test "$(owner_of $(sed -n 5p ids))" = "\"mei@acme.example\""
'

test_expect_success 'the same person under another name: nothing to change' '
	id=$(sed -n 1p ids) &&
	before=$(git rev-parse HEAD) &&
	psm assign $id "Raj Patel" 2>err &&
	grep "already its owner" err &&
	psm assign $id RAJ@acme.example 2>err &&
	grep "already its owner" err &&
	test "$(git rev-parse HEAD)" = "$before"
'

test_expect_success 'a name two people share lists both and changes nothing' '
	# "raj" is Raj Patel'"'"'s handle: exact, so it wins; a first name is not
	sed "s/^- raj: Raj Patel/- Raj Patel/" .psm/config.yml >cfg &&
	mv cfg .psm/config.yml &&
	id=$(sed -n 3p ids) &&
	before=$(git rev-parse HEAD) &&
	test_must_fail psm assign $id raj 2>err &&
	grep "fatal: .raj. could be Raj Patel <raj@acme.example>, Raj Singh <rsingh@acme.example>" err &&
	test "$(owner_of $id)" = "\"mei@acme.example\"" &&
	test "$(git rev-parse HEAD)" = "$before" &&
	git checkout -- .psm/config.yml
'

test_expect_success 'someone not in the list is refused, naming the people' '
	id=$(sed -n 3p ids) &&
	test_must_fail psm assign $id zed 2>err &&
	grep "unknown owner .zed. (the config.s owners: Raj Patel <raj@acme.example> (raj), Raj Singh <rsingh@acme.example>, Mei Chen <mei@acme.example>, ops@acme.example)" err
'

test_expect_success 'triage --owner takes a handle too' '
	id=$(sed -n 3p ids) &&
	psm triage $id --impact core --owner raj &&
	test "$(owner_of $id)" = "\"raj@acme.example\""
'

test_expect_success 'a file naming the owner by handle or name is valid and the same person' '
	id=$(sed -n 2p ids) &&
	p=$(psm show --format json $id | sed -n "s/^  \"path\": \"\(.*\)\",\$/\1/p") &&
	sed "s/^owner: .*/owner: Raj Patel/" "$p" >tmp && mv tmp "$p" &&
	git commit -q -m "owner by name" "$p" &&
	psm check &&
	sed "s/^owner: .*/owner: Nobody Here/" "$p" >tmp && mv tmp "$p" &&
	test_must_fail psm check >out &&
	grep "owner .Nobody Here. is not in the config.s owners (Raj Patel <raj@acme.example> (raj)," out &&
	git checkout -- "$p"
'

test_expect_success 'owner: finds a person by handle, name, quoted name or e-mail' '
	psm list owner:raj --format tsv | cut -f1 | sort >by-handle &&
	test_line_count = 3 by-handle &&
	psm list "owner:Raj Patel" --format tsv | cut -f1 | sort >by-name &&
	test_cmp by-handle by-name &&
	psm list "owner:\"Raj Patel\"" --format tsv | cut -f1 | sort >by-quoted &&
	test_cmp by-handle by-quoted &&
	psm list owner:raj@acme.example --format tsv | cut -f1 | sort >by-mail &&
	test_cmp by-handle by-mail &&
	psm list owner:mei --format tsv | cut -f1 | sort >mei &&
	test_line_count = 2 mei
'

test_expect_success 'owner: with a name two people share is an error naming both' '
	sed "s/^- raj: Raj Patel/- Raj Patel/" .psm/config.yml >cfg &&
	mv cfg .psm/config.yml &&
	test_must_fail psm list owner:raj 2>err &&
	grep "Raj Patel <raj@acme.example>, Raj Singh <rsingh@acme.example>" err &&
	git checkout -- .psm/config.yml
'

test_expect_success 'owner:me is the person with the git e-mail' '
	GIT_AUTHOR_EMAIL=mei@acme.example psm list owner:me --format tsv >me &&
	test_line_count = 2 me
'

test_expect_success 'stats --by owner: one row per person, whatever name the file holds' '
	psm stats --by owner --format json >stats.json &&
	grep "\"value\": \"raj@acme.example\"" stats.json &&
	! grep "\"value\": \"Raj Patel\"" stats.json
'

test_expect_success '--auto counts a person under any of their names' '
	# open: raj 3 (one written "Raj Patel"), mei 2, Raj Singh 0, ops 0
	psm intake -t "Issue six" >id6 &&
	psm assign $(cat id6) --auto &&
	test "$(owner_of $(cat id6))" = "\"rsingh@acme.example\"" &&
	psm intake -t "Issue seven" >id7 &&
	psm assign $(cat id7) --auto &&
	test "$(owner_of $(cat id7))" = "\"ops@acme.example\""
'

test_expect_success 'completion offers each person by handle, else e-mail, with the name' '
	psm __complete -- assign $(sed -n 1p ids) "" >raw &&
	grep "^raj	Raj Patel <raj@acme.example> (raj)\$" raw &&
	grep "^rsingh@acme.example	Raj Singh <rsingh@acme.example>\$" raw &&
	grep "^ops@acme.example	ops@acme.example\$" raw &&
	psm __complete -- list owner: >raw &&
	grep "^owner:raj	" raw &&
	grep "^owner:mei@acme.example	" raw
'

test_done
