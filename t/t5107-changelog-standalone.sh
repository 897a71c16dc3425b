#!/bin/sh

test_description='psm changelog --format html --standalone is a complete page

A doctype, the language, a charset, a title from the site config, the
stylesheet inline, one h1 and the groups as h2; the entries are those of
the fragment. It goes with --format html only, and a conflict marker stops
it as it stops every format.'

. ./test-lib.sh
. "$TEST_DIRECTORY"/lib-changelog.sh

test_expect_success 'setup' '
	setup_history
'

test_expect_success 'a complete page around the release' '
	(cd store && psm changelog v1.0..v1.1 --release 1.1 --format html --standalone) >page.html &&
	head -n 2 page.html >head &&
	printf "<!DOCTYPE html>\n<html lang=\"en\">\n" >expect &&
	test_cmp expect head &&
	grep "<meta charset=\"utf-8\">" page.html &&
	grep "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">" page.html &&
	grep "<title>Release 1.1 · Product updates</title>" page.html &&
	grep "^<style>\$" page.html &&
	grep "prefers-color-scheme: dark" page.html &&
	! grep "<link rel=\"stylesheet\"" page.html &&
	test "$(grep -c "<h1>" page.html)" = 1 &&
	grep "<h1>Release 1.1</h1>" page.html &&
	grep "<time datetime=\"[0-9-]*\">" page.html &&
	grep "<main id=\"main\"" page.html &&
	tail -n 1 page.html >last &&
	echo "</html>" >expect &&
	test_cmp expect last
'

test_expect_success 'the same entries as the fragment' '
	(cd store && psm changelog v1.0..v1.1 --release 1.1 --format html) >fragment.html &&
	sed -n "s/^<h3>\(.*\)<\/h3>\$/\1/p" fragment.html >groups.frag &&
	sed -n "s/^<h2>\(.*\)<\/h2>\$/\1/p" page.html >groups.page &&
	test_cmp groups.frag groups.page &&
	grep -c "^<li>" fragment.html >n.frag &&
	grep -c "^<li>" page.html >n.page &&
	test_cmp n.frag n.page &&
	grep "You can now export any list to CSV." page.html
'

test_expect_success 'the title and language from the site config' '
	(
		cd store &&
		printf "site:\n  title: \"Acme <Notes>\"\n  lang: de\n" >>.psm/config.yml &&
		psm changelog v1.0..v1.1 --release 1.1 --format html --standalone
	) >page2.html &&
	grep "<html lang=\"de\">" page2.html &&
	grep "<title>Release 1.1 · Acme &lt;Notes&gt;</title>" page2.html &&
	(cd store && git checkout -q .psm/config.yml)
'

test_expect_success '--standalone goes with --format html' '
	test_expect_code 129 sh -c "cd store && psm changelog --standalone" 2>err &&
	grep "standalone goes with --format html" err &&
	test_expect_code 129 sh -c "cd store && psm changelog --check --standalone --format json"
'

test_expect_success 'a conflict marker stops it' '
	(
		cd store &&
		p=$(name_file FEAT) &&
		printf "<<<<<<< ours\nx\n=======\ny\n>>>>>>> theirs\n" >>"$p" &&
		test_expect_code 128 psm changelog v1.0.. --format html --standalone >../out 2>../err &&
		git checkout -q "$p"
	) &&
	grep "unresolved merge conflict" err &&
	! test -s out
'

test_done
