#!/bin/sh
# bench/usage.sh [LINES]: time psm usage import of a LINES-line export
# (default 2000000) into an empty store, and its peak memory: JSONL and CSV
# written by bench/usage-gen.py (whose figures psm must find, checked
# here), the same file imported again (nothing changes), and a CSV of one
# distinct user per two lines (the record at its largest for the lines).
# Prints a Markdown table for the "usage" section of docs/benchmarks.md
# (and appends it to $BENCH_DIR/results.md).
#
# Environment:
#   PSM        the psm binary (default: build/psm in the source tree)
#   BENCH_DIR  where the exports and stores go (default /tmp/psm-bench)
#   SEED       generator seed (default 1)
set -eu
. "$(dirname "$0")/lib.sh"

n=${1:-2000000}
dir=$BENCH_DIR/usage-$n
mkdir -p "$dir"
cd "$dir"
PSM_NOW=2027-01-01T00:00:00Z
export PSM_NOW

# scale 20: 5,920 users in eight cohorts, most lines page views
if ! test -f export.jsonl || ! test -f expect.json
then
	python3 "$src/bench/usage-gen.py" --lines "$n" --scale 20 --seed "$SEED" --expect expect.json >export.jsonl
	python3 "$src/bench/usage-gen.py" --lines "$n" --scale 20 --seed "$SEED" --csv >export.csv
	awk -v n="$n" 'BEGIN { print "user,event,time"
		for (i = 0; i < n; i++)
			printf "user-%d@example.com,%s,2026-10-%02dT10:00:00Z\n", i % (n / 2),
				(i < n / 2 ? "signed_up" : "page_view"), 1 + i % 28 }' >many.csv
fi

store () {
	rm -rf "$1"
	git init -q "$1"
	(
		cd "$1"
		"$PSM" init >/dev/null
		cat >>.psm/config.yml <<-\EOF
		onboarding:
		  signup: signed_up
		  steps: [created_project, invited_teammate, shared_report]
		  window: 7d
		adoption:
		  dashboards:
		    events: dashboard_created
		    release: "2026-09-28"
		EOF
		git commit -q -am config
	)
}

rows=$dir/rows
: >"$rows"
load0=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo ?)
m () {
	(cd "$1" && python3 "$src/bench/measure.py" --once "$2" "$3") >>"$rows"
}
size () {
	du -k "$1" | tail -n 1 | awk '{ printf "%.0f", $1 / 1024 }'
}

store s-jsonl
m s-jsonl "JSONL, empty store" "$PSM usage import ../export.jsonl"
m s-jsonl "JSONL, the same again (no change)" "$PSM usage import ../export.jsonl"
store s-csv
m s-csv "CSV, empty store" "$PSM usage import ../export.csv"
store s-many
m s-many "CSV, $((n / 2)) users" "$PSM usage import ../many.csv"

# the figures are the generator's
(cd s-jsonl && "$PSM" stats --since 2026-09-07 --until 2026-11-16 --format json) >stats.json
python3 - stats.json expect.json <<\EOF
import json, sys
u = json.load(open(sys.argv[1]))["usage"]
want = json.load(open(sys.argv[2]))
got = {w["week"]: {"active": w["active"], "dashboards": 0} for w in u["weeks"]}
for c in u["onboarding"]["cohorts"]:
    got[c["week"]].update(signups=c["signups"], waiting=c["waiting"],
                          steps=[s["users"] for s in c["steps"]])
for w in u["adoption"][0]["weeks"]:
    got[w["week"]]["dashboards"] = w["users"]
if got != want:
    sys.exit("usage.sh: psm's figures are not the generator's")
EOF

load1=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo ?)
{
	echo
	echo "### psm usage import: $n lines"
	echo
	echo "Exports: JSONL $(size export.jsonl) MiB, CSV $(size export.csv) MiB ($(wc -l <export.jsonl) lines, 5,920 users), CSV of $((n / 2)) users $(size many.csv) MiB."
	echo "Records: $(size s-jsonl/.git/psm/usage) MiB and $(size s-many/.git/psm/usage) MiB."
	echo "Load average (1 min) before: $load0, after: $load1. The figures are the generator's."
	echo
	echo "| import | wall s | CPU s | peak RSS MiB |"
	echo "| --- | ---: | ---: | ---: |"
	awk -F'\t' '{ rss = $7 == "-" ? "-" : sprintf("%.1f", $7 / 1024);
		printf "| %s | %.1f | %.1f | %s |\n", $1, $2 / 1000, $5 / 1000, rss }' "$rows"
} | tee -a "$BENCH_DIR/results.md"
