# bench/lib.sh: what every bench/*.sh does first; sourced after `set -eu`.
# Finds psm (PSM, default build/psm in the source tree, made absolute),
# BENCH_DIR (default /tmp/psm-bench) and SEED (default 1), checks for
# python3, and pins a git identity, the locale and no colour so that runs
# compare. PSM_NOW is unset; a script that needs a fixed clock sets it after.
src=$(cd "$(dirname "$0")/.." && pwd -P)
PSM=${PSM:-$src/build/psm}
BENCH_DIR=${BENCH_DIR:-/tmp/psm-bench}
SEED=${SEED:-1}
bench_name=$(basename "$0")

test -x "$PSM" || { echo "$bench_name: no psm at $PSM (build it, or set PSM)" >&2; exit 1; }
PSM=$(cd "$(dirname "$PSM")" && pwd -P)/$(basename "$PSM")
command -v python3 >/dev/null || { echo "$bench_name: needs python3" >&2; exit 1; }

# Commits need an identity; keep the user's config and clock out of it.
GIT_AUTHOR_NAME='Bench Mark' GIT_AUTHOR_EMAIL=bench@example.com
GIT_COMMITTER_NAME='Bench Mark' GIT_COMMITTER_EMAIL=bench@example.com
export GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL
unset PSM_NOW NO_COLOR
LC_ALL=C.UTF-8
export LC_ALL

# bench_store DIR N GENERATOR: make DIR a psm store of N issues written by
# bench/GENERATOR (a Python script; its output kept in .git/bench-id), in
# one packed commit. A store already built from the same N, SEED and
# generator is kept as it is.
bench_store () {
	_bs_stamp="size=$2 seed=$SEED gen=$(cksum <"$src/bench/$3" | cut -d' ' -f1)"
	if test -f "$1/.git/bench-stamp" && test "$(cat "$1/.git/bench-stamp")" = "$_bs_stamp"
	then
		return 0
	fi
	rm -rf "$1"
	mkdir -p "$1"
	(
		cd "$1" &&
		git init -q &&
		"$PSM" init >/dev/null &&
		_bs_start=$(date +%s.%N) &&
		python3 "$src/bench/$3" --seed "$SEED" . "$2" >.git/bench-id &&
		git add -A &&
		git -c gc.auto=0 commit -q -m "bench: $2 issues from $3" &&
		git gc -q &&
		_bs_end=$(date +%s.%N) &&
		echo "$bench_name: built $2 issues in $(awk "BEGIN { print $_bs_end - $_bs_start }") s" >&2 &&
		echo "$_bs_stamp" >.git/bench-stamp
	)
}

# bench_cc NAME: build bench/NAME.c against build/libpsm.a into
# $BENCH_DIR/NAME and print that path.
bench_cc () {
	mkdir -p "$BENCH_DIR"
	cc -O2 -std=c11 -D_GNU_SOURCE -I"$src/include" -I"$src/lib/similar" \
		"$src/bench/$1.c" "$src/build/libpsm.a" \
		$(pkg-config --libs libgit2 yaml-0.1 libcmark jansson glib-2.0 gmime-3.0 libxml-2.0 sqlite3) \
		-lpthread -lm -o "$BENCH_DIR/$1" &&
	echo "$BENCH_DIR/$1"
}
