#!/bin/sh

test_description='docs/format.md matches what psm usage writes and psm stats prints

The example week file of docs/format.md is what psm usage import writes
for the cohorts of lib-usage.sh (but for its record id), the example usage
member is what psm stats --format json prints for that week, and the
configuration example of docs/metrics.md counts those cohorts the same.'

. ./test-lib.sh
. "$TEST_DIRECTORY/lib-usage.sh"

DOC=$PSM_SOURCE_DIR/docs/format.md
command -v python3 >/dev/null 2>&1 && test_set_prereq PYTHON

# doc_block MARKER: the first fenced code block after the line holding
# MARKER in $DOC.
doc_block () {
	awk -v m="$1" '
		!seen && index($0, m) { seen = 1; next }
		seen && !inb && /^```/ { inb = 1; next }
		inb && /^```/ { exit }
		inb { print }' "$DOC"
}

test_expect_success 'setup: the export of lib-usage.sh, a release tag' '
	psm init >/dev/null &&
	GIT_COMMITTER_DATE=2026-11-10T12:00:00Z git tag -a -m "1.4" v1.4 &&
	usage_config . &&
	git commit -q -am config &&
	usage_export >export.jsonl &&
	psm usage import export.jsonl >/dev/null
'

test_expect_success 'the example week file is what psm writes' '
	doc_block "It holds counts of distinct users and no user id:" >example.yml &&
	grep "^week: 2026-W46$" example.yml &&
	grep -v "^record: " example.yml >expect &&
	grep -v "^record: " .psm/usage/2026-W46.yml >got &&
	test_cmp expect got &&
	grep "^record: [0-9a-f]\{32\}$" example.yml &&
	grep "^record: [0-9a-f]\{32\}$" .psm/usage/2026-W46.yml
'

test_expect_success PYTHON 'the example usage member is what psm stats prints' '
	awk "/^## psm stats.s usage member/ { s = 1 } s && /^\`\`\`json/ { b = 1; next } b && /^\`\`\`/ { exit } b { print }" "$DOC" >example.json &&
	psm stats --since 2026-W46 --until 2026-W46 --format json >stats.json &&
	python3 - example.json stats.json <<-\EOF
	import json, sys
	want = json.loads("{" + open(sys.argv[1]).read() + "}")["usage"]
	got = json.load(open(sys.argv[2]))["usage"]
	assert got == want, (got, want)
	EOF
'

test_expect_success 'the configuration example of docs/metrics.md is read as it says' '
	psm init other >/dev/null &&
	DOC=$PSM_SOURCE_DIR/docs/metrics.md doc_block "In \`.psm/config.yml\`:" >config.yml &&
	grep "^onboarding:" config.yml &&
	cat config.yml >>other/.psm/config.yml &&
	(cd other && psm usage import ../export.jsonl >../out) &&
	grep -v "^record: " other/.psm/usage/2026-W46.yml >got &&
	grep -v "^record: " .psm/usage/2026-W46.yml >expect &&
	test_cmp expect got
'

test_done
