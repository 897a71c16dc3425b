#!/bin/sh

test_description='psm changelog: which issues make a release, and how they are grouped

A history with tags v1.0 and v1.1 and closes, duplicates, wontfix, internal
issues and reopens between them; the range forms (A..B, ..B, A, none,
--since), the exclusion and grouping rules, the optional sections, entries
(release note or title, short ID, link, reporter count) and determinism.'

. ./test-lib.sh
. "$TEST_DIRECTORY"/lib-changelog.sh

test_expect_success 'setup: a store with tags v1.0 and v1.1' '
	setup_history &&
	(
		cd store &&
		git rev-parse -q --verify v1.0 &&
		git rev-parse -q --verify v1.1 &&
		test -n "$(git status --porcelain -- issues)"
	)
'

test_expect_success 'v1.0..v1.1: what became closed, grouped, exclusions left out' '
	cat >expect.in <<-\EOF &&
	## [1.1] - 2026-11-20

	### Added

	- You can now export any list to CSV. (@FEAT@, reported by 1 customer)

	### Changed

	- Settings page is confusing (@UX@)

	### Fixed

	- Crash when saving a draft (@BUG@, reported by 2 customers)
	- Big files no longer crash the app. (@REFIX@)

	### Documentation

	- API docs lack examples (@DOC@)
	- How to export? (@HOWTO@)
	EOF
	(cd store && fill_ids <../expect.in >../expect && psm changelog v1.0..v1.1 >../actual) &&
	test_cmp expect actual
'

test_expect_success 'closed and reopened inside the range is not in it' '
	(cd store && psm changelog v1.0..v1.1 >../actual && ! grep "$(id FLIP)" ../actual)
'

test_expect_success 'closed before the range and only edited in it is not in it' '
	(
		cd store &&
		git diff --name-only v1.0 v1.1 >../changed &&
		grep "$(id KEEP)" ../changed &&
		psm changelog v1.0..v1.1 >../actual &&
		! grep "$(id KEEP)" ../actual &&
		! grep "$(id OLD)" ../actual
	)
'

test_expect_success '..B starts at the newest tag before B' '
	(cd store && psm changelog v1.0..v1.1 >../expect && psm changelog ..v1.1 >../actual) &&
	test_cmp expect actual
'

test_expect_success 'no range: from the newest tag to the working tree' '
	cat >expect.in <<-\EOF &&
	## [Unreleased]

	### Fixed

	- Search ignores accents (@LATE@)
	- Typo on the login page (@WT@)
	EOF
	(cd store && fill_ids <../expect.in >../expect && psm changelog >../actual) &&
	test_cmp expect actual
'

test_expect_success 'a single revision runs to the working tree; A..HEAD leaves out uncommitted work' '
	(
		cd store &&
		psm changelog v1.1 >../single &&
		psm changelog v1.1.. >../dots &&
		psm changelog v1.1..HEAD >../head &&
		grep "$(id WT)" ../single &&
		grep "$(id WT)" ../dots &&
		grep "$(id LATE)" ../head &&
		! grep "$(id WT)" ../head
	)
'

test_expect_success 'with no tag, everything closed is in the release' '
	git clone -q --no-tags store notags &&
	(
		cd notags &&
		test -z "$(git tag)" &&
		psm changelog >../actual &&
		for n in OLD REFIX KEEP FEAT BUG UX DOC HOWTO LATE
		do
			grep "$(id $n)" ../actual || return 1
		done &&
		! grep "$(id FLIP)" ../actual &&
		! grep "$(id WONT)" ../actual
	)
'

test_expect_success '--since DATE: closed since then, at the end of the range' '
	(
		cd store &&
		since=$(git log --reverse --format=%cI v1.0..v1.1 | sed 1q) &&
		psm changelog --since "$since" ..v1.1 >../since &&
		psm changelog v1.0..v1.1 >../range &&
		test_cmp ../range ../since &&
		psm changelog --since 2026-01-01 ..v1.1 >../all &&
		grep "$(id OLD)" ../all &&
		grep "$(id KEEP)" ../all &&
		test_must_fail psm changelog --since 2026-11-01 v1.0..v1.1 2>../err &&
		grep "since" ../err &&
		test_must_fail psm changelog --since yesterday 2>../err &&
		grep "invalid date" ../err
	)
'

test_expect_success '--all keeps duplicate, wontfix and internal issues' '
	(
		cd store &&
		psm changelog --all v1.0..v1.1 >../actual &&
		grep "$(id DUP)" ../actual &&
		grep "$(id WONT)" ../actual &&
		grep "$(id INT)" ../actual
	)
'

test_expect_success 'known issues and coming next' '
	cat >expect.in <<-\EOF &&

	### Known issues

	- Sync is slow on big accounts (@KNOWN@)

	### Coming next

	- Calendar view (@NEXT@)
	EOF
	(
		cd store &&
		fill_ids <../expect.in >../expect &&
		psm changelog --known-issues --next v1.0..v1.1 >../full &&
		psm changelog v1.0..v1.1 >../plain &&
		cat ../plain ../expect >../want &&
		test_cmp ../want ../full
	)
'

test_expect_success 'the config turns known issues on; --no-known-issues off' '
	(
		cd store &&
		cp .psm/config.yml ../config.save &&
		printf "changelog:\n  known_issues: true\n" >>.psm/config.yml &&
		psm changelog v1.0..v1.1 >../on &&
		psm changelog --no-known-issues v1.0..v1.1 >../off &&
		cp ../config.save .psm/config.yml &&
		grep "^### Known issues" ../on &&
		! grep "^### Known issues" ../off
	)
'

test_expect_success 'a heading with a release name and date; the default date is the end commit'"'"'s' '
	(
		cd store &&
		psm changelog --release 1.1.0 --date 2026-11-22 v1.0..v1.1 >../actual &&
		test "$(head -n 1 ../actual)" = "## [1.1.0] - 2026-11-22" &&
		psm changelog --release 1.1.0 v1.0..v1.1 >../actual &&
		test "$(head -n 1 ../actual)" = "## [1.1.0] - $(git log -1 --format=%cs v1.1)" &&
		test_must_fail psm changelog --date 22.11.2026 2>../err &&
		grep "invalid date" ../err &&
		test_must_fail psm changelog --release "a]b" 2>../err &&
		grep "invalid release name" ../err
	)
'

test_expect_success '--link makes each ID a link' '
	(
		cd store &&
		full=$(basename "$(name_file BUG)" .md) &&
		psm changelog --link "https://example.com/i/{id}" v1.0..v1.1 >../actual &&
		grep -F -e "- Crash when saving a draft ([$(id BUG)](https://example.com/i/$full), reported by 2 customers)" ../actual &&
		printf "changelog:\n  link: https://x.example/{short_id}\n" >>.psm/config.yml &&
		psm changelog v1.0..v1.1 >../actual &&
		git checkout -q .psm/config.yml &&
		grep -F "([$(id BUG)](https://x.example/$(id BUG))" ../actual
	)
'

test_expect_success 'the same store and range give the same bytes' '
	(
		cd store &&
		psm changelog --known-issues --next --format json v1.0..v1.1 >../one &&
		psm changelog --known-issues --next --format json v1.0..v1.1 >../two &&
		cmp ../one ../two &&
		psm changelog --release 1.1.0 v1.0..v1.1 >../one &&
		PSM_NOW=2030-01-01T00:00:00Z psm changelog --release 1.1.0 v1.0..v1.1 >../two &&
		cmp ../one ../two
	)
'

test_expect_success 'groups come from the config: resolution and label rules win over type' '
	(
		cd store &&
		cat >>.psm/config.yml <<-\EOF &&
		changelog:
		  groups:
		    Fixed:
		      types: [bug]
		    Docs:
		      resolutions: [documented]
		    New:
		      types: [feature, usability]
		EOF
		psm changelog v1.0..v1.1 >../actual &&
		git checkout -q .psm/config.yml
	) &&
	grep -n "^### " actual >headings &&
	cat >expect <<-\EOF &&
	3:### Fixed
	8:### Docs
	13:### New
	EOF
	test_cmp expect headings &&
	sed -n "/### Docs/,/### New/p" actual >docs &&
	grep "How to export" docs
'

test_expect_success 'a bad changelog config is an error naming the key' '
	(
		cd store &&
		printf "changelog:\n  groups: [bug]\n" >>.psm/config.yml &&
		test_expect_code 128 psm changelog v1.0..v1.1 2>../err &&
		git checkout -q .psm/config.yml &&
		grep "changelog.groups must be" ../err
	)
'

test_expect_success 'titles are text: Markdown in them is escaped' '
	(
		cd store &&
		mk MD "1. <b>bold</b> *stars* [link](x)" bug &&
		close_as MD fixed &&
		psm changelog v1.1..HEAD >../actual
	) &&
	grep -F -e "- 1\\. \\<b\\>bold\\</b\\> \\*stars\\* \\[link\\](x) (" actual
'

# write_closed_bug ID TITLE: a closed bug, written by hand.
write_closed_bug () {
	mkdir -p "issues/$(printf %.2s "$1")" &&
	cat >"issues/$(printf %.2s "$1")/$1.md" <<-EOF
	---
	id: $1
	title: $2
	status: closed
	type: bug
	created: 2026-11-20T10:00:00Z
	closed: 2026-11-20T11:00:00Z
	resolution: fixed
	---
	EOF
}

test_expect_success 'short IDs grow until they are unique, at a commit and in the working tree' '
	(
		cd store &&
		write_closed_bug zzzzzzzz0a "Twin one" &&
		write_closed_bug zzzzzzzz1a "Twin two" &&
		git add issues/zz &&
		git commit -q -m twins &&
		psm changelog v1.1..HEAD >../committed &&
		write_closed_bug yyyyyyy0aa "Triplet one" &&
		write_closed_bug yyyyyyy1aa "Triplet two" &&
		psm changelog >../worktree &&
		rm -r issues/yy
	) &&
	grep -F "Twin one (zzzzzzzz0)" committed &&
	grep -F "Twin two (zzzzzzzz1)" committed &&
	grep -F "Twin one (zzzzzzzz0)" worktree &&
	grep -F "Triplet one (yyyyyyy0)" worktree &&
	grep -F "Triplet two (yyyyyyy1)" worktree
'

test_expect_success 'a range with three dots is refused' '
	(cd store && test_expect_code 128 psm changelog v1.0...v1.1 2>../err) &&
	grep "use A..B" err
'

test_done
