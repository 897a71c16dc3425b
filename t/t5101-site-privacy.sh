#!/bin/sh

test_description='the public site shows nothing private

The site of a store full of reporters, customers, internal notes, churn
records, account issues and issues the team did not opt in holds none of
their names, addresses or words: a grep of every built file for each
reporter address and customer name in the store finds nothing, while the
public titles are all there. The changelog rule wins over the opt-in
label, and taking the label off takes the issue off the site.'

. ./test-lib.sh
. "$TEST_DIRECTORY"/lib-site.sh

test_expect_success 'setup: the store and its site' '
	setup_site_store &&
	(cd store && psm site --out ../out >/dev/null 2>&1) &&
	test -s out/index.html
'

test_expect_success 'every private word is in the store' '
	while read -r word
	do
		grep -r -q -i -F -e "$word" store/issues || {
			echo "not in the store: $word" >&2
			return 1
		}
	done <private-words
'

test_expect_success 'every reporter address and customer name in the store' '
	sed -n "s/^ *email: //p; s/^ *customer: //p; s/^ *- *name: //p; s/^ *name: //p" store/issues/*/*.md |
		sed "s/^\"\\(.*\\)\"\$/\\1/; s/^'"'"'\\(.*\\)'"'"'\$/\\1/" | sort -u >store-people &&
	test_line_count -ge 10 store-people &&
	cat private-words store-people | sort -u >all-private
'

test_expect_success 'no built file holds any of them' '
	find out -type f >files &&
	test_line_count = 11 files &&
	! grep -r -i -F -f all-private out >leaks &&
	test_line_count = 0 leaks
'

test_expect_success 'the public part is there' '
	for t in "Notes keep syncing after a long time offline." \
		"You can export a whole notebook to PDF." \
		"Moving a note keeps its tags." \
		"Offline mode for the mobile app" \
		"Calendar view of notes" \
		"Shared notebooks" \
		"Search misses notes with accented letters" \
		"Attachments over 20 MB fail to upload"
	do
		grep -r -q -F "$t" out || {
			echo "missing: $t" >&2
			return 1
		}
	done
'

test_expect_success 'private issues are left out of every page and feed' '
	test -s out/index.html && test -s out/feed.xml &&
	for t in "Refund the March" "moving to another tool" "Rotate the database" \
		"Acquire" "Merge the Globex" "Large imports"
	do
		! grep -r -q -F "$t" out || {
			echo "shown: $t" >&2
			return 1
		}
	done
'

test_expect_success 'the changelog rule wins over the opt-in label' '
	(
		cd store &&
		psm tag "$(id CAL)" +internal >/dev/null &&
		psm tag "$(id SEARCH)" +churn >/dev/null &&
		psm site --out ../out >/dev/null 2>&1
	) &&
	! grep -F "Calendar view" out/roadmap.html &&
	! grep -r -F "Search misses" out &&
	(
		cd store &&
		psm tag "$(id CAL)" -internal >/dev/null &&
		psm tag "$(id SEARCH)" -churn >/dev/null
	)
'

test_expect_success 'taking the opt-in label off takes the issue off the site' '
	(
		cd store &&
		psm site --out ../out >/dev/null 2>&1 &&
		grep -F "Calendar view" ../out/roadmap.html &&
		psm tag "$(id CAL)" -public >/dev/null &&
		psm tag "$(id ATTACH)" -public >/dev/null &&
		psm site --out ../out >/dev/null 2>../err
	) &&
	! grep -F "Calendar view" out/roadmap.html &&
	! grep -r -F "Attachments over" out &&
	grep "hint: 4 issues for the roadmap or known issues left off the site" err
'

test_expect_success 'a different opt-in label from the config' '
	(
		cd store &&
		printf "  label: on-site\n" >>.psm/config.yml &&
		psm site --out ../out2 >/dev/null 2>&1 &&
		! grep -r -F "Offline mode" ../out2 &&
		psm tag "$(id OFFLINE)" +on-site >/dev/null &&
		psm site --out ../out2 >/dev/null 2>&1
	) &&
	grep -F "Offline mode" out2/roadmap.html &&
	! grep -F "Public API" out2/roadmap.html
'

test_done
