#!/bin/sh
# ctest-cost: 100

test_description='crash safety: SIGKILL at random points during writes

psm is killed (SIGKILL) at random moments during intake, tag and a large
batch import, many times over. After every kill the store is one that psm
check accepts; the next psm to take the lock finishes or undoes the dead
one'"'"'s transaction (txn.c), so afterwards every issue is either fully
there and committed, or not there at all, the index matches HEAD and no
temporary file or lock is left behind.'

. ./test-lib.sh

KILLS=${PSM_TEST_KILLS:-40}

# rand N: the next number in 0..N-1 from a fixed-seed LCG (state in ./seed).
rand () {
	s=$(cat "$TRASH_DIRECTORY/seed" 2>/dev/null || echo 7031)
	s=$(( (s * 1103515245 + 12345) % 2147483648 ))
	echo $s >"$TRASH_DIRECTORY/seed"
	echo $(( (s / 65536) % $1 ))
}

# kill_during [-MS] CMD...: start CMD, SIGKILL it after 0 to MS-1 ms
# (default 12), or let it end if it is faster.
kill_during () {
	case $1 in
	-[0-9]*) _ms=${1#-}; shift ;;
	*) _ms=12 ;;
	esac
	_kind=$2
	test "${3:-}" = --jsonl && _kind=import
	"$@" >/dev/null 2>&1 &
	pid=$!
	sleep 0.$(printf %03d $(rand $_ms))
	if kill -9 $pid 2>/dev/null
	then
		echo "$_kind" >>../kills
	fi
	wait $pid 2>/dev/null
	test -f .git/psm/lock && echo "$_kind" >>../left-locks
	test -f .git/psm/journal && echo "$_kind" >>../left-journals
	return 0
}

# store_ok: psm check passes and every issue file is complete.
store_ok () {
	psm check >../check.out 2>&1 || {
		cat ../check.out >&2
		return 1
	}
}

test_expect_success 'setup' '
	git init -q store && (
		cd store &&
		psm init >/dev/null &&
		psm intake -t "seed issue" -l keep >../seed-id
	)
'

test_expect_success "kill intake $KILLS times" '
	(
		cd store &&
		k=0 &&
		while test $k -lt $KILLS
		do
			kill_during psm intake -t "killed intake $k" -l "k$k" -m "body of $k" &&
			store_ok || exit 1
			k=$((k + 1))
		done
	)
'

test_expect_success 'kill tag, when psm has it' '
	if ! have_cmd tag
	then
		echo "no psm tag yet: skipped" && exit 0
	fi &&
	(
		cd store &&
		id=$(cat ../seed-id) &&
		k=0 &&
		while test $k -lt $KILLS
		do
			kill_during psm tag "$id" "+t$k" &&
			store_ok || exit 1
			k=$((k + 1))
		done
	)
'

test_expect_success 'kill a large import, when psm has one' '
	if ! psm intake -h 2>&1 | grep -e "--jsonl" >/dev/null
	then
		echo "no psm intake --jsonl yet: skipped" && exit 0
	fi &&
	i=0 &&
	while test $i -lt 300
	do
		printf "{\"title\": \"imported %d\", \"body\": \"text %d\", \"source\": \"form\", \"external_id\": \"ext-%d\"}\n" $i $i $i
		i=$((i + 1))
	done >import.jsonl &&
	(
		cd store &&
		k=0 &&
		while test $k -lt 10
		do
			kill_during -400 psm intake --jsonl ../import.jsonl &&
			store_ok || exit 1
			k=$((k + 1))
		done
	)
'

test_expect_success 'the next write recovers: everything committed or gone' '
	(
		cd store &&
		psm intake -t "after the kills" >/dev/null &&
		test ! -f .git/psm/lock &&
		test ! -f .git/psm/journal &&
		git status --porcelain --untracked-files=all >../status &&
		git diff --cached --quiet HEAD &&
		psm check
	) &&
	test_line_count = 0 status
'

# 20,000 tracked files make git update-index (which writes psm's index
# entries aside, then psm renames the result into place) a few
# milliseconds of each intake. Kills seldom land inside it (the count is
# printed at the end); what is left then is tested by hand in 'recovery'
# below. Every kill here checks the invariants.
test_expect_success 'kill intakes in a big index: the next write recovers' '
	git init -q big && (
		cd big &&
		mkdir bulk &&
		seq 20000 | while read i; do echo $i >bulk/$i; done &&
		# no background gc pruning the 20,000 loose blobs under git fsck
		git config gc.auto 0 &&
		git add bulk &&
		git commit -q -m bulk &&
		psm init >/dev/null &&
		k=0 &&
		while test $k -lt 20
		do
			kill_during -30 psm intake -t "killed big $k" &&
			if test -e .git/index.psm-old
			then
				echo old >>../big-kills
			elif test -e .git/index.psm-next
			then
				echo next >>../big-kills
			fi &&
			psm intake -t "after big $k" >/dev/null 2>&1 &&
			test ! -e .git/index.psm-old &&
			test ! -e .git/index.psm-next &&
			test ! -e .git/index.lock &&
			git status --porcelain --untracked-files=all >../status &&
			test ! -s ../status &&
			git diff --cached --quiet HEAD &&
			git diff-files --quiet &&
			test "$(git ls-files | wc -l)" = "$(git ls-tree -r --name-only HEAD | wc -l)" &&
			git fsck --no-progress 2>&1 | { ! grep -v "^dangling"; } &&
			store_ok || exit 1
			k=$((k + 1))
		done
	)
'

test_expect_success 'each killed intake is either fully there or not at all' '
	(
		cd store &&
		psm list --format tsv all >../list 2>&1 ||
		psm list --format tsv >../list
	) &&
	k=0 &&
	present=0 &&
	while test $k -lt $KILLS
	do
		f=$(cd store && grep -l "^title: killed intake $k\$" issues/*/*.md 2>/dev/null)
		if test -n "$f"
		then
			grep "^- k$k\$" "store/$f" >/dev/null &&
			grep "^body of $k\$" "store/$f" >/dev/null &&
			(cd store && git cat-file -e "HEAD:$f") || {
				echo "incomplete: killed intake $k in $f" >&2
				exit 1
			}
			present=$((present + 1))
		fi
		k=$((k + 1))
	done &&
	echo $present >present
'

test_expect_success 'the import landed whole or not at all' '
	n=$(cd store && grep -l "^title: imported " issues/*/*.md 2>/dev/null | wc -l) &&
	echo "# imported issues present: $n" &&
	test $n = 0 || test $n = 300
'

# dead_lock: a lock left by a process that is gone.
dead_lock () {
	{ sh -c "exit 0" & _dead=$!; } && wait $_dead &&
	echo $_dead >.git/psm/lock
}

test_expect_success 'recovery, uncommitted: the old file comes back, a new one goes' '
	(
		cd store &&
		f=$(grep -l "^title: seed issue" issues/*/*.md) &&
		cp "$f" ../before &&
		sed "s/^title: .*/title: half-written change/" "$f" >"$f.new" && mv "$f.new" "$f" &&
		mkdir -p issues/zz && cp "$f" issues/zz/zzzzzzzzzz.md &&
		mkdir -p .git/psm/journal.d && cp ../before .git/psm/journal.d/0 &&
		printf "psm-journal-1 %s\n1 0 %s\n0 1 issues/zz/zzzzzzzzzz.md\n" \
			$(git rev-parse HEAD) "$f" >.git/psm/journal &&
		: >"issues/zz/.zzzzzzzzzz.md.tmpAbC123" &&
		dead_lock &&
		psm intake -t "recovers the journal" >/dev/null &&
		test_cmp ../before "$f" &&
		test ! -e issues/zz/zzzzzzzzzz.md &&
		test ! -e issues/zz/.zzzzzzzzzz.md.tmpAbC123 &&
		test ! -e .git/psm/journal &&
		test -z "$(git status --porcelain --untracked-files=all)"
	)
'

# dead_index_lock: the index.lock a killed psm leaves ("psm PID").
dead_index_lock () {
	{ sh -c "exit 0" & _dead=$!; } && wait $_dead &&
	echo "psm $_dead" >.git/index.lock
}

test_expect_success 'recovery, committed: the new index stays, what the dead psm kept goes' '
	(
		cd store &&
		psm intake -t "committed before the kill" >/dev/null &&
		f=$(grep -l "^title: committed before the kill" issues/*/*.md) &&
		printf "psm-journal-1 %s\n0 0 %s\n" $(git rev-parse HEAD~1) "$f" >.git/psm/journal &&
		cp .git/index .git/index.psm-old &&
		cp .git/index .git/index.psm-next &&
		dead_index_lock &&
		dead_lock &&
		psm intake -t "after a committed kill" >/dev/null &&
		test -f "$f" &&
		test ! -e .git/index.lock &&
		test ! -e .git/index.psm-old &&
		test ! -e .git/index.psm-next &&
		git diff --cached --quiet HEAD &&
		test -z "$(git status --porcelain --untracked-files=all)"
	)
'

test_expect_success 'recovery, uncommitted: the index the dead psm kept comes back' '
	(
		cd store &&
		cp .git/index .git/index.psm-old &&
		mkdir -p issues/zz && cp "$(git ls-files "issues/*/*.md" | head -n 1)" issues/zz/zzzzzzzzzy.md &&
		git update-index --add issues/zz/zzzzzzzzzy.md &&
		printf "psm-journal-1 %s\n0 0 issues/zz/zzzzzzzzzy.md\n" $(git rev-parse HEAD) >.git/psm/journal &&
		dead_index_lock &&
		dead_lock &&
		psm intake -t "after an uncommitted kill" >/dev/null &&
		test ! -e issues/zz/zzzzzzzzzy.md &&
		test -z "$(git ls-files issues/zz/zzzzzzzzzy.md)" &&
		test ! -e .git/index.psm-old &&
		git diff --cached --quiet HEAD &&
		test -z "$(git status --porcelain --untracked-files=all)"
	)
'

test_expect_success 'recovery, committed, index.lock gone: the entries are brought up to date' '
	(
		cd store &&
		psm intake -t "committed, lock removed by hand" >/dev/null &&
		f=$(grep -l "^title: committed, lock removed by hand" issues/*/*.md) &&
		git rm -q --cached "$f" &&
		printf "psm-journal-1 %s\n0 0 %s\n" $(git rev-parse HEAD~1) "$f" >.git/psm/journal &&
		dead_lock &&
		psm intake -t "after the lock was removed" >/dev/null &&
		test -f "$f" &&
		git diff --cached --quiet HEAD &&
		git diff-files --quiet &&
		test -z "$(git status --porcelain --untracked-files=all)"
	)
'

test_expect_success 'recovery leaves a live git'"'"'s index.lock alone, and says so' '
	(
		cd store &&
		head=$(git rev-parse HEAD) &&
		psm intake -t "live lock" --no-commit >/dev/null &&
		f=$(grep -l "^title: live lock" issues/*/*.md) &&
		git add "$f" && git commit -q -m "live lock" &&
		printf "psm-journal-1 %s\n0 0 %s\n" $(git rev-parse HEAD~1) "$f" >.git/psm/journal &&
		: >.git/index.lock &&
		dead_lock &&
		test_must_fail psm intake -t "blocked by git" 2>../err &&
		grep "index.lock.* exists; another git process seems to be running" ../err &&
		test -e .git/index.lock &&
		rm .git/index.lock &&
		psm intake -t "after git let go" >/dev/null &&
		test -z "$(git status --porcelain --untracked-files=all)"
	)
'

# A killed psm's pid may be given to another process before the next psm
# looks: the locks hold "PID START" (its start time, /proc/PID/stat field
# 22), and a pid now running with another start time is not the owner.
test_expect_success 'locks of a dead psm whose pid now belongs to another process are taken over' '
	(
		cd store || exit 1
		psm intake -t "committed, pid recycled" >/dev/null &&
		f=$(grep -l "^title: committed, pid recycled" issues/*/*.md) &&
		printf "psm-journal-1 %s\n0 0 %s\n" $(git rev-parse HEAD~1) "$f" >.git/psm/journal &&
		: >.git/index.psm-lock &&
		{ sleep 30 & live=$!; } &&
		echo "psm $live 1" >.git/index.lock &&
		echo "$live 1" >.git/psm/lock &&
		PSM_LOCK_TIMEOUT=0 psm intake -t "after a recycled pid" >/dev/null;
		code=$?;
		kill $live; wait $live;
		test $code = 0 &&
		test ! -e .git/index.lock &&
		test ! -e .git/index.psm-lock &&
		test ! -e .git/psm/lock &&
		test ! -e .git/psm/journal &&
		test -f "$f" &&
		test -z "$(git status --porcelain --untracked-files=all)"
	)
'

test_expect_success 'a live process named with its start time keeps both locks' '
	if ! test -r /proc/$$/stat
	then
		echo "no /proc: skipped" && exit 0
	fi &&
	(
		cd store || exit 1
		{ sleep 30 & live=$!; } &&
		start=$(sed "s/.*) //" /proc/$live/stat | cut -d" " -f20) &&
		echo "$live $start" >.git/psm/lock &&
		PSM_LOCK_TIMEOUT=0.2 test_expect_code 128 psm intake -t "blocked by psm" 2>../err-psm;
		c1=$?;
		rm -f .git/psm/lock &&
		echo "psm $live $start" >.git/index.lock &&
		test_expect_code 128 psm intake -t "blocked by psm index" 2>../err-index;
		c2=$?;
		kill $live; wait $live;
		rm -f .git/index.lock;
		test $c1 = 0 && test $c2 = 0 &&
		! grep -rl "blocked by psm" issues &&
		test -z "$(git status --porcelain --untracked-files=all)"
	) &&
	grep "another psm is running (pid [0-9]*):" err-psm &&
	grep "index.lock.* exists; another git process seems to be running" err-index
'

test_expect_success 'history is linear and every commit holds whole issues' '
	(
		cd store &&
		test $(git rev-list --merges HEAD | wc -l) = 0 &&
		git fsck --no-progress 2>&1 | grep -v "^dangling" >../fsck || true
	) &&
	test_line_count = 0 fsck
'

# per_cmd FILE: "intake 40, tag 38, intake 9" style counts of FILE's lines.
per_cmd () {
	sort "$TRASH_DIRECTORY/$1" 2>/dev/null | uniq -c | awk '{ printf "%s%s %d", (NR > 1 ? ", " : ""), $2, $1 }'
}
echo "# kills inside the index update: $(cat "$TRASH_DIRECTORY/big-kills" 2>/dev/null | grep -c old) left the old index kept for a rollback, $(cat "$TRASH_DIRECTORY/big-kills" 2>/dev/null | grep -c next) the new one not yet in place"
echo "# SIGKILLs delivered: $(cat "$TRASH_DIRECTORY/kills" 2>/dev/null | wc -l) ($(per_cmd kills)); stale locks left: $(per_cmd left-locks); journals left (recovered by the next write): $(per_cmd left-journals); killed intakes that landed: $(cat "$TRASH_DIRECTORY/present" 2>/dev/null)"

test_done
