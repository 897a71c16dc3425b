#!/bin/sh
# bench/cache.sh [SIZE...]: the read commands with the cache (issue 17), at
# SIZE issues (default 1000, 10000 and 100000), each against
# `git status --porcelain` on the same store in the same run, interleaved
# (bench/cache.py); cold reads against a plain read of every issue file;
# `psm list` after one hand edit and one intake. Prints Markdown tables
# (docs/benchmarks.md has them) and appends them to $BENCH_DIR/results.md.
#
# Environment: PSM, BENCH_DIR, SEED as for bench/store.sh (stores from
# bench/gen.py, reused when built by the same generator); ROUNDS: timed
# rounds (default 5; 3 at 100,000 issues). Writes to the stores: the
# cache, one hand edit and one intake per round.
set -eu
. "$(dirname "$0")/lib.sh"

test $# -gt 0 || set -- 1000 10000 100000
mkdir -p "$BENCH_DIR"
for n in "$@"
do
	dir=$BENCH_DIR/store-$n
	bench_store "$dir" "$n" gen.py
	rounds=${ROUNDS:-$(test "$n" -ge 100000 && echo 3 || echo 5)}
	python3 "$src/bench/cache.py" --rounds "$rounds" "$PSM" "$dir" | tee -a "$BENCH_DIR/results.md"
done
