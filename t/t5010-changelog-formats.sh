#!/bin/sh

test_description='psm changelog --format: md, json, html and text

The JSON parses and follows docs/changelog.md; the HTML is what cmark makes
of the Markdown; the text is plain and uncoloured off a terminal; customer
text cannot inject markup or control sequences.'

. ./test-lib.sh
. "$TEST_DIRECTORY"/lib-changelog.sh

if command -v cmark >/dev/null 2>&1
then
	test_set_prereq CMARK
fi
if command -v python3 >/dev/null 2>&1
then
	test_set_prereq PYTHON
fi

test_expect_success 'setup' '
	setup_history
'

test_expect_success JQ 'json: the documented shape' '
	(
		cd store &&
		psm changelog --format json --next --link "https://t.example/{id}" v1.0..v1.1 >../out.json &&
		test "$(git rev-parse v1.0^{commit})" = "$(jq -r .range.from_commit ../out.json)" &&
		test "$(git rev-parse v1.1^{commit})" = "$(jq -r .range.to_commit ../out.json)"
	) &&
	test "$(jq -r .version out.json)" = 2 &&
	test "$(jq -r .release out.json)" = 1.1 &&
	test "$(jq -r .date out.json)" = 2026-11-20 &&
	test "$(jq -r .range.from out.json)" = v1.0 &&
	test "$(jq -r .range.to out.json)" = v1.1 &&
	test "$(jq -r "[.groups[].name] | join(\",\")" out.json)" = "Added,Changed,Fixed,Documentation" &&
	test "$(jq -r ".groups[2].entries[0].short_id" out.json)" = "$(cat ids/BUG)" &&
	test "$(jq -r ".groups[2].entries[0].reporters" out.json)" = 2 &&
	test "$(jq -r ".groups[2].entries[0].release_note" out.json)" = null &&
	test "$(jq -r ".groups[2].entries[1].release_note" out.json)" = "Big files no longer crash the app." &&
	jq -r ".groups[2].entries[0].url" out.json | grep "^https://t.example/$(cat ids/BUG)" &&
	test "$(jq -r ".known_issues" out.json)" = null &&
	test "$(jq -r ".coming_next[0].short_id" out.json)" = "$(cat ids/NEXT)" &&
	jq -r ".excluded[] | .short_id + \" \" + .reason" out.json >excluded &&
	cat >expect <<-EOF &&
	$(cat ids/DUP) resolution duplicate
	$(cat ids/WONT) resolution wontfix
	$(cat ids/INT) label internal
	EOF
	test_cmp expect excluded
'

test_expect_success JQ 'json: every entry has every key' '
	(cd store && psm changelog --format json --known-issues --next v1.0..v1.1 >../out.json) &&
	jq -r "[.groups[].entries[], .known_issues[], .coming_next[]] | .[] | keys_unsorted | join(\",\")" out.json | sort -u >keys &&
	echo "id,short_id,title,release_note,markdown,type,status,resolution,labels,closed,reporters,url,path" >expect &&
	test_cmp expect keys
'

test_expect_success PYTHON 'json parses with python too, and its markdown matches the md output' '
	(
		cd store &&
		psm changelog --format json v1.0..v1.1 >../out.json &&
		psm changelog v1.0..v1.1 >../out.md
	) &&
	python3 -c "
import json, sys
d = json.load(open(\"out.json\"))
for g in d[\"groups\"]:
    for e in g[\"entries\"]:
        print(\"- \" + e[\"markdown\"])
" >entries &&
	grep "^- " out.md >md-entries &&
	test_cmp md-entries entries
'

test_expect_success CMARK 'html is what cmark makes of the Markdown' '
	(
		cd store &&
		psm changelog --known-issues --next --link "https://t.example/{id}" v1.0..v1.1 >../out.md &&
		psm changelog --known-issues --next --link "https://t.example/{id}" --format html v1.0..v1.1 >../out.html
	) &&
	cmark <out.md >expect.html &&
	test_cmp expect.html out.html &&
	grep "<h3>Fixed</h3>" out.html
'

test_expect_success 'text: plain, no colour off a terminal' '
	cat >expect.in <<-\EOF &&
	1.1 - 2026-11-22

	Added
	  * You can now export any list to CSV. (@FEAT@, reported by 1 customer)

	Changed
	  * Settings page is confusing (@UX@)

	Fixed
	  * Crash when saving a draft (@BUG@, reported by 2 customers)
	  * Big files no longer crash the app. (@REFIX@)

	Documentation
	  * API docs lack examples (@DOC@)
	  * How to export? (@HOWTO@)

	Coming next
	  * Calendar view (@NEXT@)
	EOF
	(
		cd store &&
		fill_ids <../expect.in >../expect &&
		psm changelog --format text --release 1.1 --date 2026-11-22 --next v1.0..v1.1 >../actual
	) &&
	test_cmp expect actual
'

test_expect_success 'text: an empty release says so' '
	(cd store && psm changelog --format text --release Unreleased v1.1..v1.1 >../actual) &&
	printf "Unreleased\n\n  (no changes)\n" >expect &&
	test_cmp expect actual
'

test_expect_success 'md: an empty release is its heading; stderr says why' '
	(cd store && psm changelog v1.1..v1.1 >../actual 2>../err) &&
	echo "## [1.1] - 2026-11-20" >expect &&
	test_cmp expect actual &&
	echo "hint: no issue was closed between v1.1 and v1.1" >expect &&
	test_cmp expect err &&
	(cd store && psm changelog --format json v1.1..v1.1 >../actual 2>../err) &&
	! test -s err &&
	(cd store && psm changelog --since 2030-01-01 ..v1.1 >../actual 2>../err) &&
	echo "hint: no issue was closed from 2030-01-01T00:00:00Z to v1.1" >expect &&
	test_cmp expect err
'

test_expect_success 'a range that ends at a tag is that release; at a commit, Unreleased' '
	(
		cd store &&
		psm changelog ..v1.1 >../tag &&
		psm changelog --release 1.1.0 ..v1.1 >../named &&
		psm changelog "v1.0..v1.1^{commit}" >../commit
	) &&
	head -1 tag >actual &&
	echo "## [1.1] - 2026-11-20" >expect &&
	test_cmp expect actual &&
	head -1 named >actual &&
	echo "## [1.1.0] - 2026-11-20" >expect &&
	test_cmp expect actual &&
	head -1 commit >actual &&
	echo "## [Unreleased]" >expect &&
	test_cmp expect actual
'

test_expect_success TTY 'text on a terminal is coloured, but not with NO_COLOR' '
	(
		cd store &&
		TERM=xterm test_terminal psm changelog --format text v1.0..v1.1 >../tty &&
		NO_COLOR=1 TERM=xterm test_terminal psm changelog --format text v1.0..v1.1 >../nocolor
	) &&
	grep "$(printf "\033")\\[1m" tty &&
	! grep "$(printf "\033")" nocolor
'

test_expect_success 'hostile titles: no control sequences, no raw HTML' '
	(
		cd store &&
		mk EVIL "$(printf "Evil \033]0;pwned\007<script>alert(1)</script>")" bug &&
		close_as EVIL fixed &&
		psm changelog v1.1..HEAD >../out.md &&
		psm changelog --format text v1.1..HEAD >../out.txt &&
		psm changelog --format html v1.1..HEAD >../out.html
	) &&
	! grep "$(printf "\033")" out.md &&
	! grep "$(printf "\033")" out.txt &&
	! grep "<script>" out.html &&
	grep "&lt;script&gt;" out.html
'

test_expect_success 'html: raw HTML in a release note is shown as text, its words kept' '
	(
		cd store &&
		mk KEYS "Search box" bug &&
		close_as KEYS fixed --release-note "Pressing <Enter> works; Vec<T> and <script>x()</script> too" &&
		psm changelog --format html v1.1..HEAD >../keys.html &&
		psm changelog --format text v1.1..HEAD >../keys.txt
	) &&
	grep -F "<li>Pressing &lt;Enter&gt; works; Vec&lt;T&gt; and &lt;script&gt;x()&lt;/script&gt; too (" keys.html &&
	! grep "raw HTML omitted" keys.html &&
	grep -F "Pressing <Enter> works; Vec<T> and <script>x()</script> too" keys.txt
'

test_expect_success 'an HTML comment in a release note is in no format' '
	(
		cd store &&
		mk NOTED "Slow export" bug &&
		close_as NOTED fixed --release-note "Exports are fast <!-- hotfix, revert in 2.1 --> again" &&
		for f in md text json html
		do
			psm changelog --format $f v1.1..HEAD >../noted.$f || return 1
		done
	) &&
	grep -F "Exports are fast again (" noted.md &&
	grep -F "\"release_note\": \"Exports are fast again\"" noted.json &&
	! grep hotfix noted.md noted.text noted.json noted.html
'

test_expect_success 'unknown formats are usage errors' '
	(cd store && test_expect_code 129 psm changelog --format tsv 2>../err) &&
	grep "unknown format" err &&
	(cd store && test_expect_code 129 psm changelog --check --format md 2>../err) &&
	grep "unknown format" err
'

test_done
