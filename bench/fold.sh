#!/bin/sh
# bench/fold.sh [SIZE...]: the intake that finds the duplicate hint's log
# due to be folded into a new similar.inv (one in about a thousand), with the
# fold detached (psm.autoDetach, the default) and done in the intake
# (psm.autoDetach false), next to an intake with no fold due, and how long
# the detached fold takes to land (bench/fold.py). Runs on the stores
# bench/store.sh builds (default 1000, 10000 and 100000 issues; built here
# if missing) and adds issues to them.
#
# Environment: PSM, BENCH_DIR, SEED as bench/store.sh; RUNS (default 7).
set -eu
. "$(dirname "$0")/lib.sh"

test $# -gt 0 || set -- 1000 10000 100000

printf '| issues | intake, no fold due | fold due, detached | fold due, in the intake | detached fold landed after |\n'
printf '| ---: | ---: | ---: | ---: | ---: |\n'
for n in "$@"
do
	dir=$BENCH_DIR/store-$n
	bench_store "$dir" "$n" gen.py
	# the hint's index, freshly folded
	(cd "$dir" && "$PSM" similar "$(cat .git/bench-id)" >/dev/null)
	python3 "$src/bench/fold.py" "$dir" "${RUNS:-7}" "$PSM" "$n"
done
