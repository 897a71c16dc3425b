#!/bin/sh

test_description='psm usage: the record in the git directory

The week files are counted from a per-user record that is never
committed. A clone without it refuses to add to the counts (they would
count users twice) until --rebuild; --no-commit and a restored old file
catch up from the record; a new event name is said to start counting now;
a damaged record is named; --rebuild replaces every week; a refused write
(a merge in progress) leaves the record as it was; and psm killed at
random moments leaves counts that are the old ones or the new ones, never
fewer, and nothing behind.'

. ./test-lib.sh
. "$TEST_DIRECTORY/lib-usage.sh"

KILLS=${PSM_TEST_KILLS:-12}

# counts DIR: every week file of the store in DIR, without comments and
# record lines, one after the other
counts () {
	for f in "$1"/.psm/usage/*.yml
	do
		echo "== ${f##*/}" &&
		grep -v -e "^#" -e "^record: " "$f" || return 1
	done
}

test_expect_success 'setup: the export in two halves, and the counts of all of it' '
	usage_export >all.jsonl &&
	head -n 30 all.jsonl >first.jsonl &&
	tail -n +31 all.jsonl >second.jsonl &&
	psm init ref >/dev/null &&
	usage_config ref &&
	(cd ref && git commit -q -am config && psm usage import ../all.jsonl >/dev/null) &&
	counts ref >full &&
	psm init store >/dev/null &&
	usage_config store &&
	(cd store && git commit -q -am config && psm usage import ../first.jsonl >/dev/null) &&
	counts store >half &&
	! test_cmp full half >/dev/null
'

test_expect_success 'a clone without the record refuses to add to the counts' '
	git clone -q store clone &&
	(cd clone && psm init >/dev/null) &&
	head=$(git -C clone rev-parse HEAD) &&
	(cd clone && test_expect_code 128 psm usage import ../second.jsonl 2>../err) &&
	echo "fatal: the usage counts of 2026-W46 were made from a record this repository does not have (another clone'"'"'s, or one removed): adding to them would count users twice; count again from every export with psm usage import --rebuild" >expect &&
	test_cmp expect err &&
	test "$(git -C clone rev-parse HEAD)" = "$head" &&
	! test -e clone/.git/psm/usage
'

test_expect_success '--rebuild counts every week again from the exports given' '
	(cd clone && psm usage import --rebuild ../first.jsonl ../second.jsonl >../out) &&
	counts clone >got &&
	test_cmp full got &&
	test "$(sed -n "s/^record: //p" clone/.psm/usage/2026-W46.yml)" != \
	     "$(sed -n "s/^record: //p" store/.psm/usage/2026-W46.yml)"
'

test_expect_success '--no-commit writes the files; a file put back catches up' '
	head=$(git -C store rev-parse HEAD) &&
	(cd store && psm usage import --no-commit ../second.jsonl >/dev/null) &&
	test "$(git -C store rev-parse HEAD)" = "$head" &&
	git -C store status --porcelain >status &&
	grep "^ M .psm/usage/2026-W46.yml" status &&
	counts store >got &&
	test_cmp full got &&
	git -C store checkout -- .psm &&
	git -C store clean -q -f .psm &&
	counts store >got &&
	test_cmp half got &&
	# the record has the second half: importing nothing new brings the files up
	(cd store && psm usage import ../first.jsonl >/dev/null) &&
	counts store >got &&
	test_cmp full got &&
	git -C store status --porcelain >status &&
	test_line_count = 0 status
'

test_expect_success 'an event the record has no column for yet is said to count from now' '
	cat >>store/.psm/config.yml <<-\EOF &&
	  csv-export:
	    events: [csv_exported]
	EOF
	git -C store commit -q -am "count csv exports" &&
	(cd store && psm usage import ../first.jsonl 2>../err >/dev/null) &&
	echo "warning: the usage record had no column for '"'"'csv_exported'"'"': their counts start with this import (importing older exports again is safe)" >expect &&
	head -n 1 err >got &&
	test_cmp expect got &&
	grep "^  csv-export: 0$" store/.psm/usage/2026-W47.yml &&
	(cd store && psm usage import ../first.jsonl 2>../err >/dev/null) &&
	! grep warning err
'

test_expect_success 'a damaged record is named, and --rebuild starts again' '
	head=$(git -C store rev-parse HEAD) &&
	part=$(ls store/.git/psm/usage | grep "^b" | head -n 1) &&
	cp store/.git/psm/usage/$part saved-part &&
	echo "not a record line" >>store/.git/psm/usage/$part &&
	(cd store && test_expect_code 128 psm usage import ../first.jsonl 2>../err) &&
	grep "^fatal: the usage record in '"'"'.*/.git/psm/usage'"'"' is damaged (part ${part#b}): count again with psm usage import --rebuild and every export$" err &&
	test "$(git -C store rev-parse HEAD)" = "$head" &&
	! test -e store/.git/psm/usage.new &&
	(cd store && psm usage import --rebuild ../all.jsonl >/dev/null) &&
	counts store >got &&
	grep -v csv-export got >got2 &&
	test_cmp full got2
'

test_expect_success '--rebuild from less data removes the weeks it no longer has' '
	grep 2026-11-2[34] all.jsonl >w48.jsonl &&
	(cd store && psm usage import --rebuild ../w48.jsonl >../out) &&
	cat >expect <<-\EOF &&
	../w48.jsonl: 2 events
	updated .psm/usage/2026-W48.yml
	removed .psm/usage/2026-W46.yml
	removed .psm/usage/2026-W47.yml
	EOF
	test_cmp expect out &&
	git -C store ls-files .psm/usage >files &&
	echo .psm/usage/2026-W48.yml >expect &&
	test_cmp expect files &&
	(cd store && psm usage import --rebuild ../all.jsonl >/dev/null)
'

test_expect_success 'a write psm refuses leaves the record as it was' '
	cp store/.git/psm/usage/meta meta.before &&
	git -C store rev-parse HEAD >store/.git/MERGE_HEAD &&
	(cd store && test_expect_code 128 psm usage import ../w48.jsonl 2>../err) &&
	grep "merge" err &&
	rm store/.git/MERGE_HEAD &&
	test_cmp meta.before store/.git/psm/usage/meta &&
	! test -e store/.git/psm/usage.new &&
	! test -e store/.git/psm/usage.spill
'

test_expect_success 'other commands go on while an export is read; a second import waits' '
	# only week 48 counted, so the import below has weeks to commit
	(cd store && psm usage import --rebuild ../w48.jsonl >/dev/null) &&
	rm -f pipe &&
	mkfifo pipe &&
	# braced: a bare "&" would put the mkfifo above in the background too
	{ (cd store && psm usage import - <../pipe >../bg.out 2>../bg.err) & } &&
	pid=$! &&
	exec 3>pipe &&
	cat first.jsonl >&3 &&
	n=0 &&
	while ! test -f store/.git/psm/usage.lock && test $n -lt 100
	do
		sleep 0.1 && n=$((n + 1))
	done &&
	test -f store/.git/psm/usage.lock &&
	(cd store && PSM_LOCK_TIMEOUT=5 psm intake -t "Asked while an export was read" -m x >../intake.out) &&
	(cd store && PSM_LOCK_TIMEOUT=1 test_expect_code 128 psm usage import ../w48.jsonl 2>../second.err) &&
	grep "another psm is running (pid [0-9]*): try again, or remove '"'"'.*/psm/usage.lock'"'"' if it is not" second.err &&
	cat second.jsonl >&3 &&
	exec 3>&- &&
	wait $pid &&
	git -C store log -2 --format=%s >log &&
	head -n 1 log | grep "^psm usage import: " &&
	tail -n 1 log | grep "^psm intake .*: Asked while an export was read$" &&
	! test -e store/.git/psm/usage.lock &&
	git -C store status --porcelain >status &&
	test_line_count = 0 status
'

test_expect_success 'another clone'"'"'s counts arrive while an export is read: nothing is written' '
	(cd store && psm usage import --rebuild ../w48.jsonl >/dev/null) &&
	rm -f pipe &&
	mkfifo pipe &&
	{ (cd store && test_expect_code 128 psm usage import - <../pipe >../bg.out 2>../bg.err) & } &&
	pid=$! &&
	exec 3>pipe &&
	cat first.jsonl >&3 &&
	n=0 &&
	while ! test -f store/.git/psm/usage.lock && test $n -lt 100
	do
		sleep 0.1 && n=$((n + 1))
	done &&
	test -f store/.git/psm/usage.lock &&
	# as a pull would: counts of another clone arrive in a commit
	cp ref/.psm/usage/2026-W46.yml store/.psm/usage/ &&
	git -C store add .psm/usage/2026-W46.yml &&
	git -C store commit -q -m "counts from another clone" &&
	head=$(git -C store rev-parse HEAD) &&
	cat second.jsonl >&3 &&
	exec 3>&- &&
	wait $pid &&
	echo "fatal: the usage counts of 2026-W46 were made from a record this repository does not have (another clone'"'"'s, or one removed): adding to them would count users twice; count again from every export with psm usage import --rebuild" >expect &&
	test_cmp expect bg.err &&
	test "$(git -C store rev-parse HEAD)" = "$head" &&
	test_cmp ref/.psm/usage/2026-W46.yml store/.psm/usage/2026-W46.yml &&
	git -C store status --porcelain >status &&
	test_line_count = 0 status &&
	! test -e store/.git/psm/usage.lock &&
	! test -e store/.git/psm/usage.new &&
	! test -e store/.git/psm/usage.spill
'

# page_views N: N page views by 500 users in 2026-W48
page_views () {
	awk -v n="$1" 'BEGIN {
		for (i = 0; i < n; i++)
			printf "{\"user\":\"p%d\",\"event\":\"page_view\",\"time\":\"2026-11-2%dT10:00:00Z\"}\n", i % 500, 3 + i % 3
	}'
}

# rand N: the next number in 0..N-1 from a fixed-seed LCG (state in ./seed)
rand () {
	s=$(cat "$TRASH_DIRECTORY/seed" 2>/dev/null || echo 8104)
	s=$(( (s * 1103515245 + 12345) % 2147483648 ))
	echo $s >"$TRASH_DIRECTORY/seed"
	echo $(( (s / 65536) % $1 ))
}

test_expect_success 'killed at random moments: the counts are the old or the new, never fewer' '
	# a longer export: the same events and many page views
	{
		cat all.jsonl &&
		page_views 20000
	} >long.jsonl &&
	psm init long-ref >/dev/null &&
	usage_config long-ref &&
	(cd long-ref && git commit -q -am config && psm usage import ../long.jsonl >/dev/null) &&
	counts long-ref >long-full &&
	psm init k >/dev/null &&
	usage_config k &&
	(cd k && git commit -q -am config && psm usage import ../first.jsonl >/dev/null) &&
	counts k >k-half &&
	n=0 &&
	while test $n -lt $KILLS
	do
		(
			cd k || exit 1
			psm usage import ../long.jsonl >/dev/null 2>&1 &
			pid=$! &&
			sleep 0.$(printf %03d $(rand 600)) &&
			kill -9 $pid 2>/dev/null;
			wait $pid 2>/dev/null;
			psm usage recount >/dev/null 2>../recount.err
		) || { cat recount.err; return 1; }
		counts k >now &&
		{ test_cmp k-half now >/dev/null 2>&1 || test_cmp long-full now >/dev/null 2>&1 ||
		  { echo "kill $n: counts are neither" && cat now && return 1; }; } &&
		git -C k status --porcelain >status &&
		test_line_count = 0 status &&
		! test -e k/.git/psm/usage.new &&
		! test -e k/.git/psm/usage.old &&
		! test -e k/.git/psm/usage.spill &&
		! test -e k/.git/psm/usage.lock &&
		! test -e k/.git/psm/lock || return 1
		n=$((n + 1))
	done &&
	(cd k && psm usage import ../long.jsonl >/dev/null) &&
	counts k >now &&
	test_cmp long-full now &&
	git -C k fsck --no-progress 2>fsck &&
	test_line_count = 0 fsck
'

test_done
