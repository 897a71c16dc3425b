#!/bin/sh
# bench/tz.sh [N [ZONE...]]: business-hours time zones read the old way
# (TZ, tzset() and localtime_r() stepped through 1970-2100, as psm did
# before issue 16) against GLib's GTimeZone (psm_bizhours_offset()): N
# instants (default 200,000) per zone, how many offsets differ and the
# time each way takes (bench/tz.c). Exits 1 when an offset differs. The
# figures go to docs/benchmarks.md by hand. Needs the build in build/.
set -eu
. "$(dirname "$0")/lib.sh"
out=$(bench_cc tz)
"$out" "$@"
