#!/bin/sh

test_description='the site'"'"'s HTML passes tidy

Every page of the site, and psm changelog --format html --standalone, is
checked with tidy (HTML5, warnings shown): no error and no warning. tidy
5.6 does not know ARIA 1.1'"'"'s aria-current yet and calls it proprietary;
that one warning is allowed. A broken page shows the check can fail.'

. ./test-lib.sh
. "$TEST_DIRECTORY"/lib-site.sh

test_have_prereq TIDY ||
	test_skip_all "tidy is not installed (scripts/deps.sh)"

# tidy_clean FILE: no error, no warning but the aria-current one.
tidy_clean () {
	tidy -q -e --show-warnings yes "$1" >/dev/null 2>tidy.out
	_tc=$?
	grep -v "proprietary attribute \"aria-current\"" tidy.out >tidy.left
	if test $_tc -ge 2 || test -s tidy.left
	then
		echo "tidy on $1:" >&2
		cat tidy.out >&2
		return 1
	fi
}

test_expect_success 'setup: the store and its site' '
	setup_site_store &&
	(cd store && psm site --out ../out >/dev/null 2>&1)
'

test_expect_success 'every page is clean' '
	ls out/*.html out/releases/*.html >pages &&
	test_line_count = 6 pages &&
	while read -r f
	do
		tidy_clean "$f" || return 1
	done <pages
'

test_expect_success 'the standalone changelog page is clean' '
	(cd store && psm changelog v1.0..v1.1 --release 1.1 --format html --standalone --known-issues --next) >standalone.html &&
	tidy_clean standalone.html
'

test_expect_success 'the check fails on a broken page' '
	sed "s|</main>||" out/index.html >broken.html &&
	! tidy_clean broken.html 2>err &&
	grep "main" err
'

test_done
