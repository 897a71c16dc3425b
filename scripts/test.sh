#!/bin/sh
# Build psm twice and run the whole test suite on both builds:
#   build       gcc, warnings are errors
#   build-asan  clang, warnings are errors, AddressSanitizer + UBSan
# Exits non-zero if any step fails.  Build logs go to <dir>/build.log and
# are shown only on failure.
set -u
cd "$(dirname "$0")/.." || exit 1
scripts/deps.sh || exit 1

status=0

# build_and_test DIR CC [CMAKE-ARG...]
build_and_test () {
	dir=$1 cc=$2
	shift 2
	echo "== $dir ($cc): configure and build"
	mkdir -p "$dir"
	if ! CC=$cc cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
		-DPSM_WERROR=ON "$@" >"$dir/configure.log" 2>&1
	then
		cat "$dir/configure.log"
		echo "== $dir: configure FAILED" >&2
		return 1
	fi
	if ! cmake --build "$dir" -j2 >"$dir/build.log" 2>&1
	then
		tail -n 80 "$dir/build.log"
		echo "== $dir: build FAILED (full log: $dir/build.log)" >&2
		return 1
	fi
	echo "== $dir ($cc): test"
	if ! ctest --test-dir "$dir" --output-on-failure -j2 $ctest_args
	then
		echo "== $dir: tests FAILED" >&2
		return 1
	fi
}

ctest_args=
build_and_test build gcc || status=1
# Three kinds of script run in the gcc build only ("# ctest-label: ..."):
# stress (many processes, thousands of issues: minutes under the
# sanitizers), source (checks of the source tree, not of what psm does)
# and browser (Chromium checking the pages `psm site` wrote; psm site
# itself runs under the sanitizers in t5100-t5108).
ctest_args="-LE stress|source|browser"
# Two random walks take fewer steps under the sanitizers: the same code
# paths, fewer repetitions (the gcc run keeps the full counts). t8201's
# first 19 steps take each kind of step once.
T8201_STEPS=19 PSM_TEST_KILLS=12
export T8201_STEPS PSM_TEST_KILLS
build_and_test build-asan clang -DPSM_SANITIZE=ON || status=1

if test $status = 0
then
	echo "== all builds and tests passed"
else
	echo "== FAILED" >&2
fi
exit $status
