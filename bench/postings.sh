#!/bin/sh
# bench/postings.sh STORE TEXT...: the postings the intake hint reads for
# TEXT in STORE (bench/postings.c). Needs the build in build/.
set -eu
. "$(dirname "$0")/lib.sh"
test $# -ge 2 || { echo "usage: bench/postings.sh STORE TEXT..." >&2; exit 1; }
out=$(bench_cc postings)
"$out" "$@"
