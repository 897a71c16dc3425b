#!/bin/sh
# bench/store.sh [SIZE...]: build psm stores of SIZE issues (default 1000,
# 10000 and 100000) and time psm on each, next to git and a plain read of
# every issue file. The figures go to docs/benchmarks.md by hand; this
# prints them as a Markdown table (and appends it to $BENCH_DIR/results.md).
#
# Environment:
#   PSM        the psm binary (default: build/psm in the source tree)
#   BENCH_DIR  where the stores go (default /tmp/psm-bench); a store that
#              is already there with the same size and seed is reused
#   RUNS       timed runs per command (default 10; 5 for 100,000 issues)
#   WRITE_RUNS timed runs per write command (default 20): each writes files,
#              and a commit without split index rewrites git's whole index,
#              so the disk's writeback shows only over enough runs
#   SEED       generator seed (default 1)
#
# Needs python3 and git; /usr/bin/time (Debian package "time") for peak
# memory; hyperfine if installed, else medians of plain runs.
set -eu
. "$(dirname "$0")/lib.sh"

test $# -gt 0 || set -- 1000 10000 100000

test -x /usr/bin/time ||
	echo "store.sh: no /usr/bin/time (apt-get install time): no memory figures" >&2

mkdir -p "$BENCH_DIR"
results=$BENCH_DIR/results.md

# m LABEL COMMAND: one row of figures. w: the same for a write command,
# from a disk with nothing left to write back.
m () {
	python3 "$src/bench/measure.py" --runs "$runs" --warmup 1 "$1" "$2" >>"$rows"
}
w () {
	sync
	python3 "$src/bench/measure.py" --runs "${WRITE_RUNS:-20}" --warmup 2 "$1" "$2" >>"$rows"
}
# once LABEL COMMAND: a command whose first run differs from the rest.
once () {
	sync
	python3 "$src/bench/measure.py" --once "$1" "$2" >>"$rows"
}

for n in "$@"
do
	dir=$BENCH_DIR/store-$n
	bench_store "$dir" "$n" gen.py
	id=$(cat "$dir/.git/bench-id")
	runs=${RUNS:-$(test "$n" -ge 100000 && echo 5 || echo 10)}
	rows=$BENCH_DIR/rows-$n
	: >"$rows"
	cd "$dir"

	# The generated files must be valid issues.
	if ! "$PSM" check >"$BENCH_DIR/check-$n.out"
	then
		head "$BENCH_DIR/check-$n.out" >&2
		echo "store.sh: psm check failed on the generated store of $n" >&2
		exit 1
	fi
	nfiles=$(find issues -name '*.md' ! -name README.md | wc -l)
	bytes=$(find issues -name '*.md' ! -name README.md -print0 | xargs -0 cat | wc -c)
	nopen=$("$PSM" list --format tsv | wc -l)

	load0=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo ?)
	m "psm list" "$PSM list"
	m "psm list --format json" "$PSM list --format json"
	m "psm list --format tsv is:closed" "$PSM list --format tsv is:closed"
	m "psm show ID" "$PSM show $id"
	m "psm check" "$PSM check"
	m "git status --porcelain" "git status --porcelain"
	m "read every issue file" "find issues -name '*.md' -print0 | xargs -0 cat"
	# Writes last, so the reads above see the generated store. Each run
	# takes in one more issue and makes one commit; git update-index
	# writes the index (bench/commit.sh compares it with git's own commit).
	intake="$PSM intake -t 'Bench: export times out' -m 'Body.' --source email --reporter 'Bench <bench@example.com>'"
	# The duplicate hint's index, built here if the store is new, so that
	# the intakes below time intakes and not that.
	"$PSM" similar "$id" >/dev/null
	w "psm intake" "$intake"
	w "psm intake --no-commit" "$PSM intake --no-commit -t 'Bench: export times out' -m 'Body.'"
	# psm intake ends with a duplicate hint (psm similar) when the config's
	# similar.on_intake is true, the default: time intake without it too.
	if grep -q '^  on_intake: true' .psm/config.yml
	then
		cp .psm/config.yml .git/bench-config
		sed 's/^  on_intake: true/  on_intake: false/' .git/bench-config >.psm/config.yml
		w "psm intake (similar.on_intake: false)" "$intake"
		w "psm intake --no-commit (similar.on_intake: false)" "$PSM intake --no-commit -t 'Bench: export times out' -m 'Body.'"
		cp .git/bench-config .psm/config.yml
	fi
	# What git itself pays to commit one new file in this repository.
	mkdir -p bench-git
	gitadd="f=bench-git/\$(date +%s%N); echo x >\$f && git add \$f && git -c gc.auto=0 commit -q -m bench"
	w "git add + git commit (one new file)" "$gitadd"
	git add -A && git -c gc.auto=0 commit -q -m "bench: commit --no-commit intakes"
	# Index version 4 (git's feature.manyFiles), then the user's own split
	# index: git writes both; psm only asks it to.
	git update-index --index-version 4
	w "psm intake (index version 4)" "$intake"
	git update-index --index-version 2
	git config core.splitIndex true
	git update-index --split-index
	w "psm intake (core.splitIndex true)" "$intake"
	w "git add + git commit (one new file, core.splitIndex true)" "$gitadd"
	# Back to the generated store's one-file version 2 index.
	git config --unset core.splitIndex
	git update-index --no-split-index

	load1=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo ?)
	{
		echo
		echo "### $n issues ($nfiles files, $(($bytes / 1024)) KiB, $nopen open)"
		echo
		echo "Load average (1 min) before: $load0, after: $load1."
		echo
		echo "| command | median ms | min ms | max ms | CPU ms | runs | peak RSS MiB |"
		echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
		awk -F'\t' '{ rss = $7 == "-" ? "-" : sprintf("%.1f", $7 / 1024);
			printf "| `%s` | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, rss }' "$rows"
	} | tee -a "$results"
done
echo
echo "store.sh: tables appended to $results"
