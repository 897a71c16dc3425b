#!/bin/sh
# ctest-cost: 30

test_description='the CI examples of docs/ci.md work as written

The generic shell job is taken from docs/ci.md and run in a shallow CI-like
clone: it fetches history and tags, checks, and on a tag writes the release
notes; with problems it fails. The YAML examples parse.'

. ./test-lib.sh
. "$TEST_DIRECTORY"/lib-changelog.sh

CI_DOC=$PSM_SOURCE_DIR/docs/ci.md

test_expect_success 'setup: the store, and the job from docs/ci.md' '
	setup_history &&
	sed -n "/^<!-- t5040/,/^\`\`\`\$/p" "$CI_DOC" | sed "1,2d; \$d" >job.sh &&
	head -n 1 job.sh | grep "^#!/bin/sh" &&
	grep "psm changelog --check" job.sh
'

test_expect_success 'a pull request in a shallow clone: history is fetched, checks pass' '
	git clone -q --depth 1 "file://$TRASH_DIRECTORY/store" pr &&
	(
		cd pr &&
		test "$(git rev-parse --is-shallow-repository)" = true &&
		sh ../job.sh </dev/null &&
		test "$(git rev-parse --is-shallow-repository)" = false &&
		! test -e release-notes.md
	)
'

test_expect_success 'a tag push: release notes from the previous tag' '
	git clone -q --depth 1 --branch v1.1 "file://$TRASH_DIRECTORY/store" tag &&
	(
		cd tag &&
		CI_TAG=v1.1 sh ../job.sh </dev/null &&
		test -s release-notes.md &&
		test -s release-notes.html &&
		test -s release-notes.json
	) &&
	(cd store && psm changelog --release 1.1 --known-issues v1.0..v1.1 >../expect) &&
	test_cmp expect tag/release-notes.md &&
	grep "<h2>\\[1.1\\]" tag/release-notes.html &&
	if test_have_prereq JQ
	then
		test "$(jq -r .range.from tag/release-notes.json)" = v1.0
	fi
'

test_expect_success 'problems fail the job' '
	(
		cd pr &&
		printf "changelog:\n  require_release_note: true\n" >>.psm/config.yml &&
		test_must_fail sh ../job.sh </dev/null >../out 2>../err
	) &&
	grep "has no .## Release note. section" out
'

test_expect_success PYYAML 'the YAML examples parse' '
	awk "/^\`\`\`yaml\$/ { n++; f = \"block\" n \".yml\"; next } /^\`\`\`\$/ { f = \"\"; next } f { print >f }" "$CI_DOC" &&
	ls block*.yml >blocks &&
	test_line_count -ge 3 blocks &&
	for f in block*.yml
	do
		python3 -c "import sys, yaml; yaml.safe_load(open(sys.argv[1]))" "$f" || return 1
	done &&
	python3 -c "
import yaml
w = yaml.safe_load(open(\"block2.yml\"))
assert set(w[\"jobs\"]) == {\"check\", \"release-notes\"}, w[\"jobs\"].keys()
runs = [s.get(\"run\", \"\") for s in w[\"jobs\"][\"check\"][\"steps\"]]
assert any(\"psm changelog --check\" in r for r in runs)
assert any(\"psm check\" in r for r in runs)
"
'

test_done
