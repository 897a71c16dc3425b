#!/bin/sh
# fuzz/run.sh [-t SECONDS] [-j JOBS] [NAME...]: build psm's libFuzzer
# harnesses with clang (-fsanitize=fuzzer,address,undefined) in build-fuzz/
# and run each for SECONDS (default 60) on a copy of its seed corpus
# fuzz/corpus/NAME, JOBS at a time (default: the CPUs). Prints the
# executions run; a crash or a broken property names the reproducer's path
# and exits 1. NAMES: issue query merge usage.
#   fuzz/run.sh -t 0     build only, then replay the seed corpora once
set -u
cd "$(dirname "$0")/.." || exit 1
secs=60
jobs=$(nproc 2>/dev/null || echo 1)
while test $# -gt 0
do
	case $1 in
	-t) secs=$2; shift 2 ;;
	-j) jobs=$2; shift 2 ;;
	-h|--help) sed -n '2,9s/^# \{0,1\}//p' "$0"; exit 0 ;;
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
libs="$(pkg-config --libs libgit2 yaml-0.1 libcmark jansson gmime-3.0 libxml-2.0 sqlite3) -ldl -lm -lpthread"

# libpsm, instrumented for coverage (fuzzer-no-link), rebuilt when newer;
# JOBS compilers at a time
objs= stale=
newest_h=$(ls -t include/psm/*.h lib/*/*.h | head -1)
for src in lib/*/*.c
do
	o=$out/obj/$(basename "$(dirname "$src")")-$(basename "$src" .c).o
	if ! test -f "$o" || test "$src" -nt "$o" || test "$newest_h" -nt "$o"
	then
		stale="$stale $src"
	fi
	objs="$objs $o"
done
export CC flags out
# shellcheck disable=SC2016,SC2086
printf '%s\n' $stale | grep . | xargs -r -P "$jobs" -I{} sh -c '
	src={}; o=$out/obj/$(basename "$(dirname "$src")")-$(basename "$src" .c).o
	$CC $flags -fsanitize=fuzzer-no-link -c "$src" -o "$o"' || exit 1

for name in $names
do
	# shellcheck disable=SC2086
	$CC $flags -fsanitize=fuzzer "fuzz/fuzz-$name.c" $objs $libs -o "$out/fuzz-$name" || exit 1
done

# run_one NAME: fuzz (or replay) one harness; its verdict in $out/NAME.result
run_one () {
	name=$1 bin=$out/fuzz-$1 corpus=$out/corpus-$1
	if test "$secs" = 0
	then
		if "$bin" -runs=0 fuzz/corpus/$name >"$out/$name.log" 2>&1
		then
			echo "fuzz-$name: replayed $(ls fuzz/corpus/$name | wc -l) seeds" >"$out/$name.result"
		else
			{ tail -n 30 "$out/$name.log"; echo "fuzz-$name: FAILED"; } >"$out/$name.result"
		fi
		return
	fi
	mkdir -p "$corpus" && cp fuzz/corpus/$name/* "$corpus/" 2>/dev/null
	# -timeout: one input taking over 10 s is a bug too; -rss_limit_mb: bounded memory
	"$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$out/crash-$name-" -dict=fuzz/psm.dict \
		"$corpus" fuzz/corpus/$name >"$out/$name.log" 2>&1
	code=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/$name.log")
	{
		echo "fuzz-$name: ${runs:-?} executions in ${secs}s, corpus $(ls "$corpus" | wc -l) inputs, exit $code"
		if test $code != 0
		then
			grep -E "ERROR|property failed|SUMMARY|Test unit written" "$out/$name.log" | head -n 10
			# where: the first frames, so a CI log alone names the line
			grep -E "^ +#[0-9]+ " "$out/$name.log" | head -n 8
			echo "fuzz-$name: FAILED"
		fi
	} >"$out/$name.result"
}

# JOBS harnesses at a time; the verdicts in the order of NAMES
running=0
for name in $names
do
	rm -f "$out/$name.result"
	run_one "$name" &
	running=$((running + 1))
	if test $running -ge "$jobs"
	then
		wait
		running=0
	fi
done
wait
status=0
for name in $names
do
	if test -f "$out/$name.result"
	then
		cat "$out/$name.result"
	else
		echo "fuzz-$name: no result"
	fi
	grep -q "^fuzz-$name: \(FAILED\|no result\)" "$out/$name.result" 2>/dev/null && status=1
	test -f "$out/$name.result" || status=1
done
exit $status
