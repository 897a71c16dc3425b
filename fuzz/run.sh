#!/bin/sh
# fuzz/run.sh [-t SECONDS] [-j JOBS] [NAME...]: build psm's libFuzzer
# harnesses with clang (-fsanitize=fuzzer,address,undefined) in build-fuzz/
# and run each for SECONDS (default 60) on a copy of its seed corpus
# fuzz/corpus/NAME. Prints the executions run; a crash or a broken property
# stops with the reproducer's path and exits 1. NAMES: issue query merge usage.
#   fuzz/run.sh -t 0     build only, then replay the seed corpora once
set -u
cd "$(dirname "$0")/.." || exit 1
secs=60
while test $# -gt 0
do
	case $1 in
	-t) secs=$2; shift 2 ;;
	-h|--help) sed -n '2,8s/^# \{0,1\}//p' "$0"; exit 0 ;;
	*) break ;;
	esac
done
names=${*:-issue query merge usage}
out=build-fuzz
CC=${CC:-clang}
command -v "$CC" >/dev/null || { echo "fuzz/run.sh: $CC not found" >&2; exit 1; }

mkdir -p "$out/obj" || exit 1
flags="-g -O1 -std=c11 -D_POSIX_C_SOURCE=200809L -D_XOPEN_SOURCE=700 -D_DEFAULT_SOURCE
	-DPSM_VERSION=\"fuzz\" -fno-omit-frame-pointer -fsanitize=address,undefined
	-fno-sanitize-recover=undefined -Iinclude -Ifuzz
	$(pkg-config --cflags libgit2 yaml-0.1 libcmark jansson gmime-3.0 libxml-2.0 libcurl sqlite3)"
libs="$(pkg-config --libs libgit2 yaml-0.1 libcmark jansson gmime-3.0 libxml-2.0 libcurl sqlite3) -lm -lpthread"

# libpsm, instrumented for coverage (fuzzer-no-link), rebuilt when newer
objs=
for src in lib/*/*.c
do
	o=$out/obj/$(basename "$(dirname "$src")")-$(basename "$src" .c).o
	if ! test -f "$o" || test "$src" -nt "$o" || test -n "$(find include lib -name '*.h' -newer "$o" | head -1)"
	then
		# shellcheck disable=SC2086
		$CC $flags -fsanitize=fuzzer-no-link -c "$src" -o "$o" || exit 1
	fi
	objs="$objs $o"
done

status=0
for name in $names
do
	bin=$out/fuzz-$name
	# shellcheck disable=SC2086
	$CC $flags -fsanitize=fuzzer "fuzz/fuzz-$name.c" $objs $libs -o "$bin" || exit 1
	corpus=$out/corpus-$name
	mkdir -p "$corpus" && cp fuzz/corpus/$name/* "$corpus/" 2>/dev/null
	if test "$secs" = 0
	then
		"$bin" -runs=0 fuzz/corpus/$name >"$out/$name.log" 2>&1 || {
			tail -n 30 "$out/$name.log"; status=1; }
		echo "fuzz-$name: replayed $(ls fuzz/corpus/$name | wc -l) seeds"
		continue
	fi
	# -timeout: one input taking over 10 s is a bug too; -rss_limit_mb: bounded memory
	"$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$out/crash-$name-" -dict=fuzz/psm.dict \
		"$corpus" fuzz/corpus/$name >"$out/$name.log" 2>&1
	code=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/$name.log")
	echo "fuzz-$name: ${runs:-?} executions in ${secs}s, corpus $(ls "$corpus" | wc -l) inputs, exit $code"
	if test $code != 0
	then
		grep -E "ERROR|property failed|SUMMARY|Test unit written" "$out/$name.log" | head -n 10
		status=1
	fi
done
exit $status
