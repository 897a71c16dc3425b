#!/bin/sh

test_description='psm changelog --write: a release in a Keep a Changelog file

A new file gets a title and intro; an existing one gets the section before
its first release (below [Unreleased]), or in place of the release of the
same name; everything else stays byte for byte, and writing twice changes
nothing.'

. ./test-lib.sh
. "$TEST_DIRECTORY"/lib-changelog.sh

test_expect_success 'setup' '
	setup_history
'

test_expect_success 'a new file: title, intro and the release' '
	(
		cd store &&
		psm changelog --release 1.1.0 v1.0..v1.1 >../section &&
		psm changelog --release 1.1.0 --write ../CHANGELOG.md v1.0..v1.1 >../out
	) &&
	cat >expect <<-\EOF &&
	# Changelog

	All notable changes to this project are documented in this file. The format
	is based on [Keep a Changelog](https://keepachangelog.com/en/1.1.0/).

	EOF
	cat section >>expect &&
	test_cmp expect CHANGELOG.md &&
	echo "../CHANGELOG.md: wrote [1.1.0]" >expect.out &&
	test_cmp expect.out out
'

test_expect_success 'writing it again changes nothing' '
	cp CHANGELOG.md before &&
	(cd store && psm changelog --release 1.1.0 --write ../CHANGELOG.md v1.0..v1.1 >../out) &&
	cmp before CHANGELOG.md &&
	grep "is up to date" out
'

# A hand-kept changelog with an [Unreleased] section and link definitions.
write_existing () {
	cat >"$1" <<-\EOF
	# Changelog
	All notable changes to this project will be documented in this file.

	Some  odd   spacing   stays as it is.

	## [Unreleased]

	- Something not released yet

	## [1.0.0] - 2026-01-01

	### Added

	- The first release

	[Unreleased]: https://example.com/compare/v1.0.0...HEAD
	[1.0.0]: https://example.com/releases/v1.0.0
	EOF
}

test_expect_success 'an existing file: the release goes below [Unreleased], the rest is kept' '
	write_existing existing.md &&
	cp existing.md original.md &&
	(cd store && psm changelog --release 1.1.0 --write ../existing.md v1.0..v1.1 >/dev/null) &&
	{
		sed -n "1,9p" original.md &&
		cat section &&
		echo &&
		sed -n "10,\$p" original.md
	} >expect &&
	test_cmp expect existing.md
'

test_expect_success 'and again: nothing changes' '
	cp existing.md before &&
	(cd store && psm changelog --release 1.1.0 --write ../existing.md v1.0..v1.1 >/dev/null) &&
	cmp before existing.md
'

test_expect_success 'a release of the same name is replaced in place' '
	(
		cd store &&
		psm changelog --all --release 1.1.0 v1.0..v1.1 >../section-all &&
		psm changelog --all --release 1.1.0 --write ../existing.md v1.0..v1.1 >/dev/null
	) &&
	! test_cmp section section-all &&
	{
		sed -n "1,9p" original.md &&
		cat section-all &&
		echo &&
		sed -n "10,\$p" original.md
	} >expect &&
	test_cmp expect existing.md
'

test_expect_success 'Unreleased replaces the [Unreleased] section' '
	(
		cd store &&
		psm changelog --write ../existing.md >/dev/null &&
		psm changelog >../unreleased
	) &&
	{
		sed -n "1,5p" original.md &&
		cat unreleased &&
		echo &&
		cat section-all &&
		echo &&
		sed -n "10,\$p" original.md
	} >expect &&
	test_cmp expect existing.md
'

test_expect_success 'a release that ends the file is replaced up to the link definitions' '
	(
		cd store &&
		psm changelog --release 1.0.0 --date 2026-01-01 --write ../existing.md ..v1.0 >/dev/null &&
		psm changelog --release 1.0.0 --date 2026-01-01 ..v1.0 >../section-1.0
	) &&
	sed -n "/^## \\[1.0.0\\]/,\$p" existing.md >tail &&
	{
		cat section-1.0 &&
		echo &&
		sed -n "/^\\[Unreleased\\]:/,\$p" original.md
	} >expect &&
	test_cmp expect tail
'

test_expect_success 'a file with no release yet: appended after its text' '
	printf "# Changes\n\nOur notes." >notes.md &&
	(cd store && psm changelog --release 1.1.0 --write ../notes.md v1.0..v1.1 >/dev/null) &&
	{ printf "# Changes\n\nOur notes.\n\n" && cat section; } >expect &&
	test_cmp expect notes.md &&
	cp notes.md before &&
	(cd store && psm changelog --release 1.1.0 --write ../notes.md v1.0..v1.1 >/dev/null) &&
	cmp before notes.md
'

test_expect_success '--write takes Markdown only' '
	(cd store && test_expect_code 129 psm changelog --format json --write ../x.md 2>../err) &&
	grep "write" err &&
	! test -e x.md
'

test_expect_success 'a symlink is not written through' '
	echo keep >target.md &&
	ln -s target.md link.md &&
	(cd store && test_must_fail psm changelog --write ../link.md v1.0..v1.1 2>../err) &&
	test "$(cat target.md)" = keep
'

test_expect_success 'an unreadable issue file in the range: nothing is written' '
	cp existing.md before &&
	(
		cd store &&
		mk BROKEN "Will break" bug &&
		close_as BROKEN fixed &&
		printf -- "---\nid: [\n---\n" >"$(name_file BROKEN)" &&
		test_expect_code 128 psm changelog --write ../existing.md 2>../err &&
		git checkout -q -- "$(name_file BROKEN)"
	) &&
	grep "$(cat ids/BROKEN)" err &&
	grep "not writing" err &&
	cmp before existing.md
'

test_done
