#!/bin/sh

test_description='keywords match the ways people write them

The config keywords that suggest impact core are found with their
inflections (logins, logged in, signing in), spelled together or with a
hyphen (signin, sign-in, log-in), through keyword_variants (log in, log
into, locked out, cannot pay) and not inside keyword_exceptions (payment
terms): t4062/phrasings.txt holds the titles, matches and near-misses,
and the keyword psm must suggest for each. Old configs keep working.'

. ./test-lib.sh

P=$TEST_DIRECTORY/t4062/phrasings.txt

# keyword_of ID: the keyword triage --explain names, or null.
keyword_of () {
	psm triage --explain --format json "$1" | sed -n 's/^  "keyword": \(.*\),$/\1/p'
}

test_expect_success 'setup: every phrasing taken in as a title' '
	psm init &&
	grep -v "^#" "$P" >cases &&
	test $(wc -l <cases) -ge 40 &&
	test $(grep -c "^-	" cases) -ge 15 &&
	test $(grep -vc "^-	" cases) -ge 25 &&
	cut -f2 cases | sed -e "s/\\\\/\\\\\\\\/g" -e "s/\"/\\\\\"/g" \
		-e "s/.*/{\"title\": \"&\"}/" >cases.jsonl &&
	psm intake --jsonl <cases.jsonl >out 2>err &&
	test $(grep -c "^new	" out) = $(wc -l <cases)
'

test_expect_success 'each phrasing suggests its keyword, each near-miss none' '
	i=0 &&
	while IFS="	" read -r want title
	do
		i=$((i + 1)) &&
		id=$(grep "	stdin:$i	" out | cut -f2) &&
		got=$(keyword_of $id) &&
		if test "$want" = -
		then
			want=null
		else
			want="\"$want\""
		fi &&
		if test "$got" != "$want"
		then
			echo "$title: want $want, got $got"
		fi || return 1
	done <cases >wrong &&
	test_line_count = 0 wrong
'

test_expect_success 'explain says which keyword and how the text wrote it' '
	id=$(grep "	I logged in but the dashboard is empty\$" out | cut -f2) &&
	psm triage --explain $id >explain &&
	grep "^keyword .* = 5.00 *\"login\" as \"logged in\": suggests impact core\$" explain &&
	psm triage --explain --format json $id >json &&
	grep "^  \"keyword_text\": \"logged in\",\$" json &&
	id=$(grep "	Login page keeps spinning\$" out | cut -f2) &&
	psm triage --explain $id >explain &&
	grep "^keyword .* = 5.00 *\"login\": suggests impact core\$" explain
'

test_expect_success 'the queue suggests core for them' '
	psm triage --queue --format json >queue &&
	test $(grep -c "\"suggested_impact\": \"core\"" queue) = $(grep -vc "^-	" cases)
'

test_expect_success 'keyword_variants and keyword_exceptions are the config'"'"'s' '
	cp .psm/config.yml config.orig &&
	sed -e "/^keyword_variants:/,/^keyword_exceptions:/d" -e "/^- payment term\$/d" \
		config.orig >.psm/config.yml &&
	cat >>.psm/config.yml <<-\EOF &&
	keyword_variants:
	  login: [sso, single sign-on]
	keyword_exceptions: []
	EOF
	psm intake -t "SSO is broken for our whole team" >sso &&
	psm intake -t "Single sign on fails with Okta" >okta &&
	test "$(keyword_of $(cat sso))" = "\"login\"" &&
	test "$(keyword_of $(cat okta))" = "\"login\"" &&
	id=$(grep "	What are your payment terms for enterprise contracts?\$" out | cut -f2) &&
	test "$(keyword_of $id)" = "\"payment\"" &&
	# the variants listed replace the built-in ones, as every config key does
	id=$(grep "	Unable to log into my account since yesterday\$" out | cut -f2) &&
	test "$(keyword_of $id)" = null &&
	cp config.orig .psm/config.yml
'

test_expect_success 'a config from before keyword_variants keeps working, with them' '
	sed -e "/^# Other ways to write a keyword/,/^- payment term\$/d" config.orig >.psm/config.yml &&
	! grep "^keyword_" .psm/config.yml &&
	grep "^keywords:" .psm/config.yml &&
	id=$(grep "	Unable to log into my account since yesterday\$" out | cut -f2) &&
	test "$(keyword_of $id)" = "\"login\"" &&
	id=$(grep "	Can we get net-60 payment terms on the invoice?\$" out | cut -f2) &&
	test "$(keyword_of $id)" = null &&
	psm check &&
	sed "/^keywords:/,/^- checkout\$/c\\
keywords:\\
- crash\\
- data loss" config.orig >.psm/config.yml &&
	psm intake -t "App crashes on start" >crash &&
	psm intake -t "Data loss after sync" >loss &&
	test "$(keyword_of $(cat crash))" = "\"crash\"" &&
	test "$(keyword_of $(cat loss))" = "\"data loss\"" &&
	id=$(grep "	Login page keeps spinning\$" out | cut -f2) &&
	test "$(keyword_of $id)" = null &&
	cp config.orig .psm/config.yml
'

test_done
