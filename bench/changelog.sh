#!/bin/sh
# bench/changelog.sh [N [K]]: psm changelog between two tags K closures apart
# (default 500) on a store of N issues (default 100000), next to
# `git diff --stat A B -- issues` in the same run, on the same repository.
# The store is generated straight to disk (bench/gen.py) in one commit; the
# K closures are spread over 10 commits between the tags v1.0 and v1.1, and
# the repository is packed, as a real one would be. Prints a Markdown table;
# docs/benchmarks.md ("changelog") keeps the figures. CPU ms (user + system)
# is the steadier figure on a busy machine.
#
#	PSM=build/psm sh bench/changelog.sh 100000 500
#
# Environment: PSM (default build/psm), BENCH_DIR (default /tmp/psm-bench;
# a store already built with the same N, K and seed is reused), RUNS (timed
# runs per command, default 10), SEED (default 1). Needs python3 and git.
set -eu
. "$(dirname "$0")/lib.sh"

RUNS=${RUNS:-10}
n=${1:-100000}
k=${2:-500}

# pick K: K open issues spread evenly over the store (so over the shards,
# as real closures are), one path a line.
pick () {
	python3 - "$1" <<-\EOF
	import os, sys
	k = int(sys.argv[1])
	paths = sorted(os.path.join(r, f) for r, _, fs in os.walk("issues")
	               for f in fs if len(f) == 13 and f.endswith(".md"))
	open_ = [p for p in paths if "\nstatus: closed\n" not in open(p).read()]
	print("\n".join(open_[i * len(open_) // k] for i in range(k)))
	EOF
}

# close_some PART PARTS <PICKED: close the picked issues whose line number
# is PART modulo PARTS; half of them get a release note.
close_some () {
	python3 -c '
import re, sys
part, parts = map(int, sys.argv[1:])
for i, p in enumerate(sys.stdin.read().split()):
    if i % parts != part:
        continue
    text = open(p).read()
    head, body = text[4:].split("\n---\n", 1)
    head = re.sub(r"\nstatus: [^\n]*", "\nstatus: closed", head, count=1)
    head += "\nclosed: 2027-01-01T00:%02d:%02dZ\nresolution: fixed" % (part, i % 60)
    if i % 2:
        body += "\n## Release note\n\nFixed in this release (%d).\n" % i
    open(p, "w").write("---\n" + head + "\n---\n" + body)
' "$1" "$2"
}

# A store built before with the same figures is reused; bump layout when
# the way it is built changes.
dir=$BENCH_DIR/changelog-$n-$k
stamp="n=$n k=$k seed=$SEED gen=$(cksum <"$src/bench/gen.py" | cut -d' ' -f1) layout=2"
if ! test -f "$dir/.git/bench-stamp" || test "$(cat "$dir/.git/bench-stamp")" != "$stamp"
then
	rm -rf "$dir"
	mkdir -p "$dir"
	cd "$dir"
	git init -q
	"$PSM" init >/dev/null
	start=$(date +%s.%N)
	python3 "$src/bench/gen.py" --seed "$SEED" . "$n" >/dev/null
	git add -A
	git -c gc.auto=0 commit -q -m "bench: $n generated issues"
	git tag v1.0
	pick "$k" >.git/bench-pick
	for part in 0 1 2 3 4 5 6 7 8 9
	do
		close_some "$part" 10 <.git/bench-pick
		git -c gc.auto=0 commit -q -a -m "bench: close issues (part $part)"
	done
	closed=$(wc -l <.git/bench-pick)
	git tag v1.1
	git gc -q
	end=$(date +%s.%N)
	echo "changelog.sh: built $n issues and $closed closures in $(awk "BEGIN { print $end - $start }") s" >&2
	echo "$stamp" >.git/bench-stamp
fi
cd "$dir"

rows=$BENCH_DIR/changelog-rows
: >"$rows"
m () {
	python3 "$src/bench/measure.py" --runs "$RUNS" --warmup 1 "$1" "$2" >>"$rows"
}
entries=$("$PSM" changelog v1.0..v1.1 | grep -c '^- ')
changed=$(git diff --name-only v1.0 v1.1 -- issues | wc -l)

m "git diff --stat v1.0 v1.1 -- issues" "git diff --stat v1.0 v1.1 -- issues"
m "psm changelog v1.1..v1.1 (empty: start-up alone)" "$PSM changelog v1.1..v1.1"
m "psm changelog v1.0..v1.1" "$PSM changelog v1.0..v1.1"
m "psm changelog --format json v1.0..v1.1" "$PSM changelog --format json v1.0..v1.1"
m "psm changelog --format html v1.0..v1.1" "$PSM changelog --format html v1.0..v1.1"
m "psm changelog --check v1.0..v1.1" "$PSM changelog --check v1.0..v1.1 || test \$? = 1"
m "psm changelog ..v1.1 (start found by describe)" "$PSM changelog ..v1.1"
m "psm changelog (v1.1 to the working tree)" "$PSM changelog"
m "git status --porcelain -- issues" "git status --porcelain -- issues"
m "psm changelog --known-issues --next v1.0..v1.1 (reads every file)" "$PSM changelog --known-issues --next v1.0..v1.1"
m "git grep -c known-issue v1.1 -- issues (reads every file)" "git grep -c known-issue v1.1 -- issues || true"

echo
echo "### changelog: $n issues, v1.0..v1.1 = $k closures in 10 commits ($changed files changed, $entries entries)"
echo
echo "| command | median ms | min ms | max ms | CPU ms | runs | peak RSS MiB |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
awk -F'\t' '{ rss = $7 == "-" ? "-" : sprintf("%.1f", $7 / 1024);
	printf "| `%s` | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, rss }' "$rows"
