#!/bin/sh
# bench/commit.sh [SIZE...]: issue 14's target. In a store of SIZE issues
# (default 100000; bench/gen.py, seed SEED), time `psm intake` (commit and
# duplicate hint: the default settings) against `git add <file> && git
# commit` of one new file, in the same repository and the same run: runs
# alternate psm, git, psm, git, ... so load drifts hit both alike. Then the
# same with the user's own split index (core.splitIndex true). Prints a
# Markdown table (and appends it to $BENCH_DIR/results.md).
#
# Environment: PSM, BENCH_DIR, SEED as for bench/store.sh; RUNS (default
# 21) pairs of runs per row.
set -eu
. "$(dirname "$0")/lib.sh"

test $# -gt 0 || set -- 100000
mkdir -p "$BENCH_DIR"
results=$BENCH_DIR/results.md

for n in "$@"
do
	dir=$BENCH_DIR/store-$n
	bench_store "$dir" "$n" gen.py
	cd "$dir"
	git config --unset core.splitIndex 2>/dev/null || true
	git update-index --no-split-index
	id=$(cat .git/bench-id)
	"$PSM" similar "$id" >/dev/null	# the hint's index, built if new
	mkdir -p bench-git
	psm_cmd="$PSM intake -t 'Bench: export times out' -m 'Body.' --source email --reporter 'Bench <bench@example.com>'"
	git_cmd="f=bench-git/\$(date +%s%N); echo x >\$f && git add \$f && git -c gc.auto=0 commit -q -m bench"
	{
		echo
		echo "### $n issues, $(git ls-files | wc -l) tracked files (psm $(git -C "$src" describe --always --dirty 2>/dev/null || echo '?'))"
		echo
		echo "| index | psm intake median ms | git add + commit median ms | ratio | runs |"
		echo "| --- | ---: | ---: | ---: | ---: |"
		python3 "$src/bench/pair.py" --runs "${RUNS:-21}" "one file (version $(od -An -tu1 -j7 -N1 .git/index | tr -d ' '))" "$psm_cmd" "$git_cmd"
		git config core.splitIndex true
		git update-index --split-index
		python3 "$src/bench/pair.py" --runs "${RUNS:-21}" "core.splitIndex true" "$psm_cmd" "$git_cmd"
		git config --unset core.splitIndex
		git update-index --no-split-index
	} | tee -a "$results"
	git add -A && git -c gc.auto=0 commit -q -m "bench: after commit.sh" || true
done
