#!/bin/sh
# bench/floor.sh [SIZE...]: the least a warm read must do at SIZE issues
# (default 100000; bench/gen.py stores, cache warm), each part alone
# (bench/floor.c: the listing and lstat of every file, the cache's rows
# stepped through, the scan to its end), beside `git status --porcelain`
# and `psm list` on the same store, wall and CPU time. Needs the build in
# build/ (libpsm.a) and PSM. Prints a Markdown table per size.
set -eu
. "$(dirname "$0")/lib.sh"
test $# -gt 0 || set -- 100000
out=$(bench_cc floor)
for n in "$@"
do
	dir=$BENCH_DIR/store-$n
	bench_store "$dir" "$n" gen.py
	cd "$dir"
	"$PSM" list >/dev/null
	echo "### $n issues"
	echo
	echo "| part | items | median wall ms | median CPU ms |"
	echo "| --- | ---: | ---: | ---: |"
	for cmd in "git status --porcelain" "$PSM list"
	do
		python3 "$src/bench/measure.py" --runs 9 "$cmd" "$cmd >/dev/null" |
		awk -F'\t' -v name="$(echo "$cmd" | sed "s|$PSM|psm|")" \
			'{ printf "| `%s` (whole command) | | %.0f | %.0f |\n", name, $2, $5 }'
	done
	"$out" . 9 | awk -F'\t' '{ printf "| %s | %d | %.1f | %.1f |\n", $1, $2, $3, $4 }'
	echo
	cd - >/dev/null
done
