#!/bin/sh
# bench/postings.sh STORE TEXT...: the postings the intake hint reads for
# TEXT in STORE (bench/postings.c). Needs the build in build/.
set -eu
. "$(dirname "$0")/lib.sh"
test $# -ge 2 || { echo "usage: bench/postings.sh STORE TEXT..." >&2; exit 1; }
out=$BENCH_DIR/postings
mkdir -p "$BENCH_DIR"
cc -O2 -std=c11 -D_GNU_SOURCE -I"$src/lib" "$src/bench/postings.c" "$src/build/libpsm.a" \
	$(pkg-config --libs libgit2 yaml-0.1 libcmark jansson gmime-3.0 libcrypto) \
	-lpthread -lm -o "$out"
"$out" "$@"
