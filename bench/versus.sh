#!/bin/sh
# bench/versus.sh OLD-PSM [SIZE]: the same commands through two psm
# binaries, interleaved (bench/pair.py), to show a change did not make
# psm slower: list, stats, check, review and list --format json on a
# store of SIZE issues (default 10000; bench/gen.py, as bench/store.sh
# builds it), and an intake of 300 HTML e-mails into a fresh store (the
# HTML-to-text step). The new binary is PSM (default build/psm).
# Columns: OLD ms, NEW ms, OLD/NEW (above 1: the new one is faster).
set -eu
. "$(dirname "$0")/lib.sh"
old=$(cd "$(dirname "$1")" && pwd -P)/$(basename "$1")
n=${2:-10000}
RUNS=${RUNS:-7}
test -x "$old" || { echo "versus.sh: no psm at $old" >&2; exit 1; }

dir=$BENCH_DIR/store-$n
bench_store "$dir" "$n" gen.py
echo "| command | old ms | new ms | old/new | runs |"
echo "|---|---:|---:|---:|---:|"
for c in list stats check review "list --format json"
do
	(cd "$dir" && python3 "$src/bench/pair.py" --runs "$RUNS" "$n: $c" \
		"$old $c" "$PSM $c")
done

# HTML intake: each run starts from a fresh store.
work=$BENCH_DIR/versus-html
mkdir -p "$work"
python3 - "$work/h.mbox" <<'PY'
import sys
with open(sys.argv[1], "w") as out:
    for i in range(300):
        body = "".join(
            f"<p>Caf&eacute; order {i} line {j} &amp; <b>bold</b> "
            f"<a href='https://x.example/{j}'>link</a> &Auml;rger</p>"
            for j in range(30))
        out.write(f"From u{i}@example.com Mon Nov 30 10:00:00 2026\n"
                  f"From: User {i} <u{i}@example.com>\n"
                  f"Subject: Problem {i} with checkout\n"
                  f"Message-ID: <m{i}@example.com>\n"
                  "Date: Mon, 30 Nov 2026 10:00:00 +0000\n"
                  "MIME-Version: 1.0\n"
                  "Content-Type: text/html; charset=utf-8\n\n"
                  f"<html><body>{body}</body></html>\n\n")
PY
cat >"$work/run.sh" <<'SH'
#!/bin/sh
d=$(mktemp -d "$2/s.XXXXXX") && cd "$d" && git init -q &&
PSM_NOW=2026-12-01T00:00:00Z "$1" init >/dev/null &&
PSM_NOW=2026-12-01T00:00:00Z "$1" intake --mbox "$2/h.mbox" >/dev/null
rc=$?; cd /; rm -rf "$d"; exit $rc
SH
python3 "$src/bench/pair.py" --runs 5 "300 HTML e-mails: intake" \
	"sh $work/run.sh $old $work" "sh $work/run.sh $PSM $work"
