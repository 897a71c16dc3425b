#!/bin/sh
# bench/startup.sh OLD-PSM [SIZE]: what a psm process costs before it does
# any work, through two binaries in alternation (bench/pair.py): `psm
# --version` (start-up alone: loading the linked libraries), `psm show ID`
# and `psm list` on a store of SIZE issues (default 1000; bench/gen.py,
# warm cache), with `git status --porcelain` on the same store for scale.
# The new binary is PSM (default build/psm). Columns: OLD ms, NEW ms,
# OLD/NEW (above 1: the new one is faster). The figures go to
# docs/benchmarks.md by hand.
set -eu
. "$(dirname "$0")/lib.sh"
old=$(cd "$(dirname "$1")" && pwd -P)/$(basename "$1")
n=${2:-1000}
RUNS=${RUNS:-41}
test -x "$old" || { echo "startup.sh: no psm at $old" >&2; exit 1; }

dir=$BENCH_DIR/store-$n
bench_store "$dir" "$n" gen.py
cd "$dir"
id=$(git ls-files issues | sed -n '2s|.*/||; 2s|\.md$||p')
"$old" list >/dev/null
"$PSM" list >/dev/null
echo "| command | old ms | new ms | old/new | runs |"
echo "|---|---:|---:|---:|---:|"
python3 "$src/bench/pair.py" --runs "$RUNS" "psm --version" "$old --version" "$PSM --version"
python3 "$src/bench/pair.py" --runs "$RUNS" "$n: psm show" "$old show $id" "$PSM show $id"
python3 "$src/bench/pair.py" --runs "$RUNS" "$n: psm list" "$old list" "$PSM list"
python3 "$src/bench/pair.py" --runs "$RUNS" "$n: git status (both columns)" \
	"git status --porcelain" "git status --porcelain"
