#!/bin/sh
# bench/complete.sh [SIZE...]: how long shell completion waits for psm on
# stores of SIZE issues (default 1000, 10000 and 100000; built as
# bench/store.sh builds them, or reused). Times `psm __complete` for an
# issue ID (a prefix of two characters, as zsh and fish ask with titles and
# bash without; one character; none), a search term's values and the labels
# in use, and the whole bash completion function (completion/psm.bash) for
# an ID; next to starting psm and bash alone, which every run pays. Prints a Markdown table per size (appended to $BENCH_DIR/results.md).
#
# Environment: PSM, BENCH_DIR, SEED and RUNS (default 10) as bench/store.sh.
set -eu
. "$(dirname "$0")/lib.sh"

test $# -gt 0 || set -- 1000 10000 100000

results=$BENCH_DIR/results.md
for n in "$@"
do
	dir=$BENCH_DIR/store-$n
	bench_store "$dir" "$n" gen.py
	id=$(cat "$dir/.git/bench-id")
	two=$(printf %s "$id" | cut -c1-2)
	one=$(printf %s "$id" | cut -c1)
	rows=$BENCH_DIR/complete-rows-$n
	: >"$rows"
	cd "$dir"
	matches=$("$PSM" __complete -- show "$two" | grep -vc '^:')
	labels=$("$PSM" __complete -- tag "$id" + | grep -vc '^:')
	m () {
		python3 "$src/bench/measure.py" --runs "${RUNS:-10}" --warmup 1 "$1" "$2" >>"$rows"
	}
	# what every run pays before completing anything: start psm
	m "psm --version (starting psm, for comparison)" "$PSM --version"
	m "psm __complete -- show $two ($matches IDs, with titles)" "$PSM __complete -- show $two"
	m "psm __complete --no-descriptions -- show $two (bash)" "$PSM __complete --no-descriptions -- show $two"
	m "psm __complete -- show $one" "$PSM __complete -- show $one"
	m "psm __complete -- show '' (every ID)" "$PSM __complete -- show ''"
	m "psm __complete -- list status:" "$PSM __complete -- list status:"
	m "psm __complete -- tag ID + ($labels labels in use)" "$PSM __complete -- tag $id +"
	m "bash: start, source psm.bash (for comparison)" \
		"PATH=$(dirname "$PSM"):\$PATH bash -c '. $src/completion/psm.bash'"
	m "bash: start, source psm.bash, _psm for psm show $two" \
		"PATH=$(dirname "$PSM"):\$PATH bash -c '. $src/completion/psm.bash; COMP_WORDS=(psm show $two); COMP_CWORD=2; _psm'"
	{
		echo
		echo "### Completion at $n issues (psm $("$PSM" --version | sed -n '1s/^psm version //p'))"
		echo
		echo "Load average (1 min) after: $(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo ?)."
		echo
		echo "| command | median ms | min ms | max ms | CPU ms | runs | peak RSS MiB |"
		echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
		awk -F'\t' '{ rss = $7 == "-" ? "-" : sprintf("%.1f", $7 / 1024);
			printf "| `%s` | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, rss }' "$rows"
	} | tee -a "$results"
	cd "$src"
done
