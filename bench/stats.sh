#!/bin/sh
# bench/stats.sh [SIZE]: time psm stats and psm review on a store of SIZE
# issues (default 100000) with a service history (bench/stats-gen.py: one
# commit of generated files), next to psm list in the same run, then again
# with business hours in the configuration. Prints a Markdown table for the
# "stats" section of docs/benchmarks.md (and appends it to
# $BENCH_DIR/results.md).
#
# Environment:
#   PSM        the psm binary (default: build/psm in the source tree)
#   BENCH_DIR  where the store goes (default /tmp/psm-bench); a store that
#              is already there with the same size and seed is reused
#   RUNS       timed runs per command (default 5)
#   SEED       generator seed (default 1)
set -eu
. "$(dirname "$0")/lib.sh"

RUNS=${RUNS:-5}
n=${1:-100000}

# The generated history spans 2025 and 2026: pin the clock at its end so
# the figures (and the work behind them) are the same on every run.
PSM_NOW=2027-01-01T00:00:00Z LC_ALL=C.UTF-8
export PSM_NOW LC_ALL

dir=$BENCH_DIR/stats-$n
bench_store "$dir" "$n" stats-gen.py
cd "$dir"
git checkout -q -- .psm/config.yml
"$PSM" check >/dev/null || { echo "stats.sh: psm check failed on the generated store" >&2; exit 1; }

rows=$BENCH_DIR/stats-rows-$n
: >"$rows"
load0=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo ?)
m () {
	python3 "$src/bench/measure.py" --runs "$RUNS" --warmup 1 "$1" "$2" >>"$rows"
}

m "psm list" "$PSM list"
m "psm list --format tsv is:closed" "$PSM list --format tsv is:closed"
m "psm stats" "$PSM stats"
m "psm stats --since 2025-01-01" "$PSM stats --since 2025-01-01"
m "psm stats --since 2025-01-01 --format json" "$PSM stats --since 2025-01-01 --format json"
m "psm stats --since 2025-01-01 --by customer" "$PSM stats --since 2025-01-01 --by customer"
m "psm list sla:breached" "$PSM list sla:breached"
m "psm review --week 2026-W52" "$PSM review --week 2026-W52"
m "psm review --week 2026-W52 --format html" "$PSM review --week 2026-W52 --format html"

# The same with business hours: every duration is also counted in working time.
cat >>.psm/config.yml <<\EOF
business_hours:
  timezone: Europe/Berlin
  days: [mon-fri]
  start: "09:00"
  end: "17:00"
EOF
m "psm stats --since 2025-01-01 (business hours)" "$PSM stats --since 2025-01-01"
m "psm list sla:breached (business hours)" "$PSM list sla:breached"
figures=$("$PSM" stats --since 2025-01-01 --format json |
	python3 -c 'import json, sys; a = json.load(sys.stdin)["all"]
print("%d new, %d closed, %d answered, %d resolved, %d ratings, %d churn" % (a["new"], a["closed"],
      a["first_response"]["count"], a["resolution"]["count"], a["satisfaction"]["count"], a["churn"]["count"]))')
git checkout -q -- .psm/config.yml

load1=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo ?)
{
	echo
	echo "### psm stats: $n issues ($figures, over 2025-2026)"
	echo
	echo "Load average (1 min) before: $load0, after: $load1."
	echo
	echo "| command | median ms | min ms | max ms | CPU ms | runs | peak RSS MiB |"
	echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
	awk -F'\t' '{ rss = $7 == "-" ? "-" : sprintf("%.1f", $7 / 1024);
		printf "| `%s` | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, rss }' "$rows"
} | tee -a "$BENCH_DIR/results.md"
