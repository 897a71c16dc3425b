#!/bin/sh
# ctest-cost: 25

test_description='the site job of docs/ci.md works as written

The shell job is taken from docs/ci.md and run in a shallow clone of a
release tag, as CI checks it out: it fetches history and tags and builds
the site, the same bytes as a full clone builds. The GitHub Pages
workflow parses and builds the site with psm site.'

. ./test-lib.sh
. "$TEST_DIRECTORY"/lib-site.sh

CI_DOC=$PSM_SOURCE_DIR/docs/ci.md

test_expect_success 'setup: the store, and the job from docs/ci.md' '
	setup_site_store &&
	sed -n "/^<!-- t5108/,/^\`\`\`\$/p" "$CI_DOC" | sed "1,2d; \$d" >job.sh &&
	head -n 1 job.sh | grep "^#!/bin/sh" &&
	grep "psm site --out" job.sh
'

test_expect_success 'a tag push in a shallow clone: every release, the same bytes' '
	git clone -q --depth 1 --branch v1.2 "file://$TRASH_DIRECTORY/store" ci &&
	(
		cd ci &&
		test "$(git rev-parse --is-shallow-repository)" = true &&
		SITE_URL=https://example.github.io/notes/ sh ../job.sh </dev/null >../job.out 2>&1 &&
		test "$(git rev-parse --is-shallow-repository)" = false
	) &&
	ls ci/public/releases >actual &&
	printf "1.0.html\n1.1.html\n1.2.html\n" >expect &&
	test_cmp expect actual &&
	grep "<link rel=\"canonical\" href=\"https://example.github.io/notes/roadmap.html\">" ci/public/roadmap.html &&
	git clone -q --branch v1.2 "file://$TRASH_DIRECTORY/store" full &&
	(cd full && psm site --out ../full-site --url https://example.github.io/notes/ >/dev/null 2>&1) &&
	diff -r full-site ci/public
'

test_expect_success 'run again: nothing changes' '
	(
		cd ci &&
		ls -l -i --time-style=full-iso -R public >../before &&
		SITE_URL=https://example.github.io/notes/ sh ../job.sh </dev/null >../job2.out 2>&1 &&
		ls -l -i --time-style=full-iso -R public >../after
	) &&
	test_cmp before after &&
	grep "0 files written" job2.out
'

test_expect_success 'SITE_DIR, and no SITE_URL' '
	(cd ci && SITE_DIR=www sh ../job.sh </dev/null >/dev/null 2>&1) &&
	test -f ci/www/index.html &&
	grep "<link rel=\"canonical\" href=\"https://updates.acme.example/notes/\">" ci/www/index.html
'

test_expect_success PYYAML 'the GitHub Pages workflow parses and builds the site' '
	awk "/^\`\`\`yaml\$/ { n++; f = \"block\" n \".yml\"; next } /^\`\`\`\$/ { f = \"\"; next } f { print >f }" "$CI_DOC" &&
	grep -l "^name: site\$" block*.yml >found &&
	test_line_count = 1 found &&
	python3 -c "
import sys, yaml
w = yaml.safe_load(open(sys.argv[1]))
steps = w[\"jobs\"][\"site\"][\"steps\"]
runs = [s.get(\"run\", \"\") for s in steps]
uses = [s.get(\"uses\", \"\") for s in steps]
assert any(r.startswith(\"psm site --out public\") for r in runs), runs
assert any(u.startswith(\"actions/deploy-pages@\") for u in uses), uses
assert any(u.startswith(\"actions/upload-pages-artifact@\") for u in uses), uses
assert steps[0][\"with\"][\"fetch-depth\"] == 0
assert w[True][\"push\"][\"tags\"] == [\"v*\"], w[True]
" "$(cat found)"
'

test_done
