#!/bin/sh
# bench/hint-agree.sh STORE [N]: ask the intake hint and the full index
# about N issues (default 200) of STORE and print how often they agree
# (bench/hint-agree.c). Needs the build in build/ (for libpsm.a).
set -eu
. "$(dirname "$0")/lib.sh"
test $# -ge 1 || { echo "usage: bench/hint-agree.sh STORE [N]" >&2; exit 1; }
out=$BENCH_DIR/hint-agree
mkdir -p "$BENCH_DIR"
cc -O2 -std=c11 -D_GNU_SOURCE -I"$src/lib" "$src/bench/hint-agree.c" "$src/build/libpsm.a" \
	$(pkg-config --libs libgit2 yaml-0.1 libcmark jansson gmime-3.0 libcrypto) \
	-lpthread -lm -o "$out"
"$out" "$@"
