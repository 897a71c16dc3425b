#!/bin/sh
# bench/simscan.sh STORE [ROUNDS]: how many stat calls, and how long, the
# commands that read the similar index take on STORE (issue 17: one listing
# of issues/ per command): `psm similar ID`, `psm triage --queue` and a
# triage session that quits at once (its queue read through the cache, then
# the similar index). Each command runs once to warm the caches up
# (similar.idx, cache.db), then once under `strace -f -c` for the count of
# newfstatat, statx, lstat and fstat calls, then ROUNDS times (default 3)
# for the median wall time. PSM_BASE, if set, is a second psm measured the
# same way, interleaved (say the build of the commit before; each psm
# rebuilds a similar.idx of another version, the warm-up run pays it).
#
# STORE is written to (its git directory: psm/): use a clone of a bench
# store (`git clone --shared $BENCH_DIR/store-100000 /tmp/x`), never the
# bench store itself.
set -eu
. "$(dirname "$0")/lib.sh"

test $# -ge 1 || { echo "usage: bench/simscan.sh STORE [ROUNDS]" >&2; exit 129; }
store=$(cd "$1" && pwd -P)
rounds=${2:-3}
command -v strace >/dev/null || { echo "$bench_name: needs strace" >&2; exit 1; }
id=$(ls "$store/issues/$(ls "$store/issues" | grep -v '\.md$' | head -1)" | head -1)
id=${id%.md}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# run PSM WHAT: the command WHAT names, in the store
run () {
	case $2 in
	similar) (cd "$store" && "$1" similar "$id" >/dev/null) ;;
	queue) (cd "$store" && "$1" triage --queue >/dev/null) ;;
	session) (cd "$store" && printf 'q\n' | "$1" triage >/dev/null 2>&1) ;;
	esac
}

# stats PSM WHAT: the stat calls of one run
stats () {
	(cd "$store" && case $2 in
	similar) strace -f -c -o "$tmp/s" -e trace=newfstatat,statx,lstat,fstat,stat \
		"$1" similar "$id" >/dev/null ;;
	queue) strace -f -c -o "$tmp/s" -e trace=newfstatat,statx,lstat,fstat,stat \
		"$1" triage --queue >/dev/null ;;
	session) printf 'q\n' | strace -f -c -o "$tmp/s" \
		-e trace=newfstatat,statx,lstat,fstat,stat "$1" triage >/dev/null 2>&1 ;;
	esac)
	# % time, seconds, usecs/call, calls, [errors,] syscall
	awk '$NF ~ /^(newfstatat|statx|lstat|fstat|stat)$/ { n += $4 } END { print n + 0 }' "$tmp/s"
}

# wall PSM WHAT: the median of ROUNDS runs, in ms
wall () {
	i=0
	: >"$tmp/t"
	while test $i -lt "$rounds"
	do
		t0=$(date +%s%N)
		run "$1" "$2"
		t1=$(date +%s%N)
		echo $(( (t1 - t0) / 1000000 )) >>"$tmp/t"
		i=$((i + 1))
	done
	sort -n "$tmp/t" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

n=$(find "$store/issues" -name '*.md' | wc -l)
echo "| command ($n files) | psm | stat calls | median ms ($rounds runs) |"
echo "| --- | --- | ---: | ---: |"
for what in similar queue session
do
	for p in "$PSM" ${PSM_BASE:+"$PSM_BASE"}
	do
		run "$p" "$what"
		s=$(stats "$p" "$what")
		w=$(wall "$p" "$what")
		echo "| $what | $p | $s | $w |"
	done
done
