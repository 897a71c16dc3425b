#!/bin/sh
# bench/hint-agree.sh STORE [N]: ask the intake hint and the full index
# about N issues (default 200) of STORE and print how often they agree
# (bench/hint-agree.c). Needs the build in build/ (for libpsm.a).
set -eu
. "$(dirname "$0")/lib.sh"
test $# -ge 1 || { echo "usage: bench/hint-agree.sh STORE [N]" >&2; exit 1; }
out=$(bench_cc hint-agree)
"$out" "$@"
