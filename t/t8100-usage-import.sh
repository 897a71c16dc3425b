#!/bin/sh

test_description='psm usage import: counts known by construction

An export is built line by line from two cohorts of known size whose
users finish known onboarding steps (some after the window, some in
another order) and use a feature in known weeks; it is imported shuffled,
with duplicates, whole and as two overlapping halves. The week files must
hold exactly the counts the construction says, in one commit, with no
user id anywhere in the repository; importing again changes nothing.'

. ./test-lib.sh
. "$TEST_DIRECTORY"/lib-usage.sh

test_expect_success 'setup: a store, the config, two cohorts' '
	psm init store >/dev/null &&
	usage_config store &&
	(cd store && git commit -q -am "count onboarding and adoption") &&
	usage_export >ordered.jsonl &&
	# out of order: newest first
	sed -n "1!G;h;\$p" ordered.jsonl >export.jsonl &&
	test_line_count = 51 export.jsonl
'

cat >expect-w46 <<\EOF
version: 1
week: 2026-W46
active: 10
adoption:
  dashboards: 0
  pdf-export: 0
onboarding:
  window: 7d
  signups: 10
  steps:
    created_project: 9
    invited_teammate: 8
    shared_report: 5
  waiting: 0
EOF
cat >expect-w47 <<\EOF
version: 1
week: 2026-W47
active: 9
adoption:
  dashboards: 3
  pdf-export: 0
onboarding:
  window: 7d
  signups: 4
  steps:
    created_project: 2
    invited_teammate: 1
    shared_report: 1
  waiting: 2
EOF
cat >expect-w48 <<\EOF
version: 1
week: 2026-W48
active: 2
adoption:
  dashboards: 1
  pdf-export: 1
onboarding:
  window: 7d
  signups: 0
  steps:
    created_project: 0
    invited_teammate: 0
    shared_report: 0
  waiting: 0
EOF

# counts FILE: a week file without its comment and record lines
counts () {
	grep -v -e "^#" -e "^record: " "$1"
}

test_expect_success 'the import writes one file per week, in one commit' '
	(cd store && psm usage import ../export.jsonl >../out 2>../err) &&
	cat >expect <<-\EOF &&
	../export.jsonl: 51 events, 1 not named in the config (activity only)
	new .psm/usage/2026-W46.yml
	new .psm/usage/2026-W47.yml
	new .psm/usage/2026-W48.yml
	EOF
	test_cmp expect out &&
	echo "usage import: 3 week files changed, 0 unchanged" >expect &&
	test_cmp expect err &&
	test $(git -C store rev-list --count HEAD) = 3 &&
	git -C store log -1 --format=%s >msg &&
	echo "psm usage import: 3 weeks (2026-W46 to 2026-W48)" >expect &&
	test_cmp expect msg &&
	git -C store show --name-only --format= HEAD >files &&
	printf "%s\n" .psm/usage/2026-W46.yml .psm/usage/2026-W47.yml .psm/usage/2026-W48.yml >expect &&
	test_cmp expect files &&
	git -C store status --porcelain >status &&
	test_line_count = 0 status &&
	git -C store fsck --no-progress 2>fsck &&
	test_line_count = 0 fsck
'

# By construction (lib-usage.sh says how):
test_expect_success 'the counts are the construction'"'"'s' '
	counts store/.psm/usage/2026-W46.yml >w46 &&
	counts store/.psm/usage/2026-W47.yml >w47 &&
	counts store/.psm/usage/2026-W48.yml >w48 &&
	test_cmp expect-w46 w46 &&
	test_cmp expect-w47 w47 &&
	test_cmp expect-w48 w48
'

test_expect_success 'no user id is in the repository, nor in the record' '
	git -C store log -p --all >history &&
	grep "dashboards: 3" history &&
	! grep -e acme.example -e beta.example history &&
	git -C store grep -e acme -e beta $(git -C store rev-list --all) -- . >found;
	test_line_count = 0 found &&
	ls store/.git/psm/usage >record &&
	grep meta record &&
	! grep -r -e acme.example -e beta.example store/.git/psm/usage
'

test_expect_success 'importing the same export again changes nothing' '
	head=$(git -C store rev-parse HEAD) &&
	(cd store && psm usage import ../export.jsonl >../out 2>../err) &&
	echo "usage import: the counts did not change" >expect &&
	test_cmp expect err &&
	! grep -e "^new" -e "^updated" out &&
	test "$(git -C store rev-parse HEAD)" = "$head" &&
	(cd store && psm usage import ../ordered.jsonl ../export.jsonl 2>../err) &&
	test_cmp expect err &&
	test "$(git -C store rev-parse HEAD)" = "$head"
'

test_expect_success 'two overlapping exports count each user once' '
	psm init other >/dev/null &&
	usage_config other &&
	(cd other && git commit -q -am config) &&
	# a shuffled order (fixed), cut into two halves that share 11 lines
	awk "BEGIN { srand(7) } { printf \"%.6f %s\\n\", rand(), \$0 }" ordered.jsonl |
		sort -n | cut -d" " -f2- >shuffled.jsonl &&
	head -n 31 shuffled.jsonl >first.jsonl &&
	tail -n 31 shuffled.jsonl >second.jsonl &&
	(cd other && psm usage import ../first.jsonl >../out1 &&
	 psm usage import ../second.jsonl >../out2) &&
	grep "^new" out1 &&
	for w in 2026-W46 2026-W47 2026-W48
	do
		counts other/.psm/usage/$w.yml >got &&
		test_cmp expect-$(echo $w | sed s/2026-W/w/) got || return 1
	done &&
	test $(git -C other rev-list --count HEAD) = 4
'

test_done
