#!/bin/sh
# bench/import.sh [N]: time `psm intake --jsonl` of N JSON lines (default
# 100000) into an empty store, and, in the same run and on the same disk,
# `git add` + `git commit` of the N issue files it wrote (copied to a fresh
# repository), and the cost of one single-issue `psm intake` (so what N
# commits would take). Figures go to stdout; docs/benchmarks.md keeps them.
#
#	PSM=build/psm sh bench/import.sh 100000
set -eu
n=${1:-100000}
root=$(cd "$(dirname "$0")/.." && pwd)
psm=${PSM:-$root/build/psm}
case $psm in /*) ;; *) psm=$(pwd)/$psm ;; esac
test -x "$psm" || { echo "bench: no psm at $psm (set PSM=...)" >&2; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/psm-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export GIT_AUTHOR_NAME=Bench GIT_AUTHOR_EMAIL=bench@example.com \
	GIT_COMMITTER_NAME=Bench GIT_COMMITTER_EMAIL=bench@example.com
unset PSM_NOW

# seconds since the epoch, with nanoseconds
now() { date +%s.%N; }
elapsed() { echo "$2 - $1" | bc; }

awk -v n="$n" 'BEGIN {
	for (i = 1; i <= n; i++)
		printf "{\"title\":\"Checkout fails for order %d\",\"body\":\"The payment page spins and then shows an error. Order %d, browser %d.\\n\",\"source\":\"form\",\"reporter\":{\"name\":\"Customer %d\",\"email\":\"c%d@example.com\"},\"customer\":\"Acct%d\",\"labels\":[\"bench\",\"checkout\"],\"type\":\"bug\",\"created\":\"2026-01-01T00:00:00Z\",\"external_id\":\"order-%d\"}\n", i, i, i % 7, i, i, i % 97, i
}' >"$tmp/lines.jsonl"

mkdir "$tmp/store"
cd "$tmp/store"
git init -q
"$psm" init >/dev/null
t0=$(now)
"$psm" intake --jsonl "$tmp/lines.jsonl" >/dev/null 2>"$tmp/err"
t1=$(now)
issues=$(find issues -name '*.md' ! -name README.md | wc -l)
commits=$(git rev-list --count HEAD)
t_psm=$(elapsed "$t0" "$t1")
t2=$(now)
"$psm" intake --jsonl "$tmp/lines.jsonl" >/dev/null 2>"$tmp/err2"
t3=$(now)
t_again=$(elapsed "$t2" "$t3")

mkdir "$tmp/git"
tc0=$(now)
cp -r issues "$tmp/git/"
tc1=$(now)
t_cp=$(elapsed "$tc0" "$tc1")
cd "$tmp/git"
git init -q
t4=$(now)
git add -A
git commit -q -m "$n files"
t5=$(now)
t_git=$(elapsed "$t4" "$t5")

# one issue per commit, as N separate intakes would do: time a few
mkdir "$tmp/single"
cd "$tmp/single"
git init -q
"$psm" init >/dev/null
k=20
t6=$(now)
i=0
while test $i -lt $k
do
	"$psm" intake -t "Single $i" -m "body" --source form >/dev/null 2>&1
	i=$((i + 1))
done
t7=$(now)
per=$(echo "($t7 - $t6) / $k" | bc -l)

printf 'lines: %s, issues written: %s, commits after init: %s\n' "$n" "$issues" "$((commits - 1))"
printf 'psm intake --jsonl (empty store):     %8.2f s\n' "$t_psm"
printf 'psm intake --jsonl again (all held):  %8.2f s\n' "$t_again"
printf 'git add -A && git commit (same files): %7.2f s\n' "$t_git"
printf '(cp -r of those files, for scale:      %7.2f s)\n' "$t_cp"
printf 'one psm intake (one commit), mean of %d: %.3f s -> x %s = %.0f s\n' "$k" "$per" "$n" "$(echo "$per * $n" | bc -l)"
