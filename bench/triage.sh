#!/bin/sh
# bench/triage.sh [N]: psm triage on a store of N issues (default 100000):
# `psm triage --queue`, `psm similar` (fresh index, one file changed, no
# index at all) next to `psm list` in the same run, and the session: the
# time from a keypress to the next screen, with and without a decision
# (a decision writes one file and makes one commit). The store is generated
# straight to disk (bench/gen.py) in one commit. Prints a Markdown table;
# docs/benchmarks.md ("triage") keeps the figures.
#
#	PSM=build/psm sh bench/triage.sh 100000
#
# Environment: PSM (default build/psm), BENCH_DIR (default /tmp/psm-bench;
# a store already built with the same N and seed is reused), RUNS (timed
# runs per command, default 5), SEED (default 1). Needs python3 and git.
set -eu
. "$(dirname "$0")/lib.sh"

RUNS=${RUNS:-5}
n=${1:-100000}
k=20 # keypresses per session run

dir=$BENCH_DIR/triage-$n
bench_store "$dir" "$n" gen.py
cd "$dir"
base=$(git rev-parse HEAD)
git reset -q --hard "$base"
id=$(cat .git/bench-id)
path=issues/$(echo "$id" | cut -c1-2)/$id.md
nopen=$("$PSM" triage --queue --format json | grep -c '"priority":' || true)
rows=$BENCH_DIR/triage-rows-$n
: >"$rows"

m () {
	python3 "$src/bench/measure.py" --runs "${3:-$RUNS}" --warmup 1 "$1" "$2" >>"$rows"
}

# seconds (with a fraction) that a shell command takes, median of RUNS,
# with `reset` run (untimed) before each
timed () {
	i=0
	while test $i -lt "$RUNS"
	do
		eval "$2"
		t0=$(date +%s.%N)
		eval "$1" >/dev/null
		t1=$(date +%s.%N)
		echo "$t1 - $t0" | bc
		i=$((i + 1))
	done | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

m "psm list" "$PSM list"
m "psm list --sort priority" "$PSM list --sort priority"
m "psm triage --queue" "$PSM triage --queue"
"$PSM" similar "$id" >/dev/null # the index is up to date from here on
m "psm similar ID (index up to date)" "$PSM similar $id"
m "psm similar ID (one issue file changed)" "touch $path && $PSM similar $id"
m "psm similar ID (no index: rebuilt)" "rm -f .git/psm/similar.idx && $PSM similar $id" 3
"$PSM" similar "$id" >/dev/null
# What git itself pays to commit one changed issue file here (a decision's
# floor: each one is a commit).
m "git commit (one changed issue file)" "echo 'x: 1' >>$path && git -c gc.auto=0 commit -q -m bench $path"
git reset -q --hard "$base"

# The session: q alone is the cost of starting and showing the first item;
# k skips add k "keypress -> next screen"; k decisions (impact edge: no
# owner question) add k "decision written and committed -> next screen".
keys_q=$(printf 'q\n')
keys_skip=$(i=0; while test $i -lt $k; do printf 's\n'; i=$((i + 1)); done; printf 'q\n')
keys_decide=$(i=0; while test $i -lt $k; do printf 'i\n4\n'; i=$((i + 1)); done; printf 'q\n')
reset="git reset -q --hard $base"
t_q=$(timed "printf '%s\n' '$keys_q' | $PSM triage" "$reset")
t_skip=$(timed "printf '%s\n' \"\$keys_skip\" | $PSM triage" "$reset")
t_decide=$(timed "printf '%s\n' \"\$keys_decide\" | $PSM triage" "$reset")
git reset -q --hard "$base"
per_skip=$(echo "($t_skip - $t_q) * 1000 / $k" | bc -l)
per_decide=$(echo "($t_decide - $t_q) * 1000 / $k" | bc -l)

nfiles=$(find issues -name '*.md' ! -name README.md | wc -l)
{
	echo
	echo "### $n issues ($nfiles files, $nopen in the triage queue; load average $(cut -d' ' -f1 /proc/loadavg))"
	echo
	echo "| command | median ms | min ms | max ms | CPU ms | runs | peak RSS MiB |"
	echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
	awk -F'\t' '{ rss = $7 == "-" ? "-" : sprintf("%.1f", $7 / 1024);
		printf "| `%s` | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, rss }' "$rows"
	echo
	echo "| session (median of $RUNS runs) | seconds | per keypress |"
	echo "| --- | ---: | ---: |"
	printf '| start, first screen, q | %.2f | |\n' "$t_q"
	printf '| %d skips, q | %.2f | %.0f ms from key to next screen |\n' "$k" "$t_skip" "$per_skip"
	printf '| %d decisions (i 4), q | %.2f | %.0f ms from decision to next screen (write + commit + screen) |\n' \
		"$k" "$t_decide" "$per_decide"
} | tee -a "$BENCH_DIR/results.md"
