#!/bin/sh

test_description='psm usage import: generated exports whose figures are known

bench/usage-gen.py writes an export of eight weekly cohorts of known size
(every fifth signup does every step, one in five finishes after the
window, a third use the feature from its release on), users in shuffled
order with duplicated events, and the figures psm must find. psm stats
--format json must give exactly those, from JSONL, from CSV, and from two
overlapping parts imported one after the other; a long export of many
users is imported in bounded memory.'

. ./test-lib.sh

command -v python3 >/dev/null 2>&1 && test_set_prereq PYTHON
test -x /usr/bin/time && test_set_prereq TIME
GEN=$PSM_SOURCE_DIR/bench/usage-gen.py

# the figures of psm stats --format json, in the generator's --expect shape
check_figures () {
	psm stats --since 2026-09-07 --until 2026-11-16 --format json >stats.json &&
	python3 - stats.json "$1" <<-\EOF
	import json, sys
	u = json.load(open(sys.argv[1]))["usage"]
	want = json.load(open(sys.argv[2]))
	got = {}
	for w in u["weeks"]:
	    got[w["week"]] = {"active": w["active"], "dashboards": 0}
	for c in u["onboarding"]["cohorts"]:
	    got[c["week"]].update(signups=c["signups"], waiting=c["waiting"],
	                          steps=[s["users"] for s in c["steps"]])
	for w in u["adoption"][0]["weeks"]:
	    got[w["week"]]["dashboards"] = w["users"]
	if got != want:
	    for k in sorted(set(got) | set(want)):
	        if got.get(k) != want.get(k):
	            print(k, "got", got.get(k), "want", want.get(k))
	    sys.exit(1)
	EOF
}

setup_store () {
	psm init "$1" >/dev/null &&
	cat >>"$1/.psm/config.yml" <<-\EOF &&
	onboarding:
	  signup: signed_up
	  steps: [created_project, invited_teammate, shared_report]
	  window: 7d
	adoption:
	  dashboards:
	    events: dashboard_created
	    release: "2026-09-28"
	EOF
	git -C "$1" commit -q -am config
}

test_expect_success PYTHON 'setup: a generated export and its figures' '
	python3 "$GEN" --lines 30000 --expect expect.json >export.jsonl &&
	python3 "$GEN" --lines 30000 --csv >export.csv &&
	test $(wc -l <export.jsonl) -ge 30000 &&
	grep "\"2026-W44\": {" expect.json
'

test_expect_success PYTHON 'JSONL: the figures are the construction'"'"'s' '
	setup_store json &&
	(cd json && psm usage import ../export.jsonl >../out) &&
	(cd json && check_figures ../expect.json)
'

test_expect_success PYTHON 'CSV: the same figures' '
	setup_store csv &&
	(cd csv && psm usage import ../export.csv >../out) &&
	(cd csv && check_figures ../expect.json) &&
	for f in json/.psm/usage/*.yml
	do
		grep -v "^record: " $f >a &&
		grep -v "^record: " csv/.psm/usage/${f##*/} >b &&
		test_cmp a b || return 1
	done
'

test_expect_success PYTHON 'two overlapping parts, one after the other: the same figures' '
	n=$(wc -l <export.jsonl) &&
	head -n $((n * 2 / 3)) export.jsonl >part1 &&
	tail -n $((n * 2 / 3)) export.jsonl >part2 &&
	setup_store parts &&
	(cd parts && psm usage import --jsonl ../part1 >/dev/null && psm usage import --jsonl ../part2 >/dev/null) &&
	(cd parts && check_figures ../expect.json)
'

# 600,000 lines (27 MB) of 200,000 users: psm must stay under 24 MB, less
# than the export (it measured 13 MB; the record of them is 9 MB)
test_expect_success TIME,!SANITIZE 'a long export of many users in bounded memory' '
	awk "BEGIN { print \"user,event,time\"
		for (i = 0; i < 600000; i++)
			printf \"user-%d@example.com,%s,2026-10-%02dT10:00:00Z\\n\", i % 200000, (i < 200000 ? \"signed_up\" : \"page_view\"), 1 + i % 28 }" >long.csv &&
	setup_store long &&
	(cd long && /usr/bin/time -f "%M" -o ../rss psm usage import ../long.csv >../out 2>../err) &&
	grep "long.csv: 600000 events, 400000 not named in the config (activity only)" out &&
	rss=$(tail -n 1 rss) &&
	echo "peak RSS $rss KiB" &&
	test "$rss" -lt 24000 &&
	test $(wc -c <long.csv) -gt 24000000 &&
	cat long/.psm/usage/*.yml | sed -n "s/^  signups: //p" | awk "{ s += \$1 } END { print s }" >signups &&
	echo 200000 >expect &&
	test_cmp expect signups
'

test_done
