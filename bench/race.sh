#!/bin/sh
# bench/race.sh [N] [ISSUES]: git's own read-then-lock race, measured.
# In a fresh store of ISSUES generated issues (default 1000), N psm
# intakes (default 200) run against N `git add` + `git commit` of another
# file, at once. `git commit` reads the index before it locks it, so one
# that read it before a psm commit writes back an index without psm's new
# file (docs/reliability.md). Counts the psm commits that landed and the
# issue files git's index lost; then the same for git alone: N `git add`
# of new files against N `git add` + `git commit`.
set -eu
. "$(dirname "$0")/lib.sh"
n=${1:-200}
size=${2:-1000}
dir=$BENCH_DIR/race-$size
rm -rf "$dir"
mkdir -p "$dir"
cd "$dir"
git init -q .
git config gc.auto 0
"$PSM" init >/dev/null
python3 "$src/bench/gen.py" --seed "$SEED" . "$size" >/dev/null
git add -A && git commit -q -m "$size issues"
(
	i=0
	while test $i -lt "$n"
	do
		{ echo $i >>notes.txt && git add notes.txt && git commit -qm "user $i"; } >/dev/null 2>&1 || :
		i=$((i + 1))
	done
) &
u=$!
i=0
: >ids
while test $i -lt "$n"
do
	"$PSM" intake -t "race $i" >>ids 2>>psm-errors || :
	i=$((i + 1))
done
wait $u || :
landed=$(wc -l <ids)
lost=0
while read -r id
do
	f=$(git log -1 --format= --name-only --grep="^psm intake $id:" HEAD -- issues)
	git ls-files --error-unmatch "$f" >/dev/null 2>&1 || lost=$((lost + 1))
done <ids
echo "psm: $n intakes against $n git add + git commit, $size issues: $landed landed, $lost dropped from git's index; refusals: $(grep -vc '^hint' psm-errors)"
# git alone: the same race between two gits
(
	i=0
	while test $i -lt "$n"
	do
		{ echo $i >>notes.txt && git add notes.txt && git commit -qm "user $i"; } >/dev/null 2>&1 || :
		i=$((i + 1))
	done
) &
u=$!
i=0
mkdir -p added
: >staged
while test $i -lt "$n"
do
	{ echo $i >added/$i && git add added/$i 2>/dev/null && echo added/$i >>staged; } || :
	i=$((i + 1))
done
wait $u || :
lost=0
while read -r f
do
	git ls-files --error-unmatch "$f" >/dev/null 2>&1 || lost=$((lost + 1))
done <staged
echo "git: $n git add of new files against $n git add + git commit: $(wc -l <staged) staged, $lost of them dropped from the index"
