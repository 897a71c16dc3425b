#!/bin/sh

test_description='the psm triage session, scripted (keys one per line) and on a terminal

One item at a time: header, body, similar issues numbered, a prompt of
single keys. Each decision is committed when made; undo puts the files
back; the time box stops the session; customer text cannot drive the
terminal.'

. ./test-lib.sh

# keys KEY...: run a session with these keys, one per line
keys () {
	printf "%s\n" "$@" | psm triage >out 2>err
}

test_expect_success 'setup' '
	psm init &&
	sed "s/^owners: \[\]/owners:\\
- alice@example.com\\
- bob@example.com/" .psm/config.yml >tmp && mv tmp .psm/config.yml &&
	git commit -q -m owners .psm/config.yml &&
	psm intake -t "Cannot sign in after password reset" --customer Acme \
		--reporter "Dana <dana@acme.example>" \
		-m "After resetting my password the login page says invalid credentials." >A &&
	test_tick &&
	psm intake -t "Login fails once the password was reset" \
		--reporter "Eve <eve@beta.example>" \
		-m "I reset my password and now login says my credentials are invalid." >B 2>/dev/null &&
	test_tick &&
	psm intake -t "$(printf "Checkout \\033]0;pwned\\007button \\033[2Jdoes nothing")" \
		-m "$(printf "Clicking **checkout** does nothing.\\n\\n\\033[31mred\\033[m and \\033]8;;http://x\\033\\\\link")" >E &&
	test_tick &&
	psm intake -t "Dark mode for the dashboard" -m "A dark theme would be easier on the eyes." >C &&
	test_tick &&
	psm intake -t "Typo on the pricing page" >D &&
	psm triage --queue | awk "NR > 1 { print \$1 }" >order &&
	cat A B E C D >expect &&
	test_cmp expect order
'

test_expect_success 'q: the first item is shown, nothing is written' '
	before=$(test_commit_count) &&
	keys q &&
	test $(test_commit_count) = $before &&
	grep "1 of 5" out &&
	grep "^$(cat A)  Cannot sign in after password reset\$" out &&
	grep "^new · age [0-9]*m · source other · customer Acme · 1 reporter · priority " out &&
	grep "^suggested impact: core (keyword \"sign in\")" out &&
	grep "^  After resetting my password the login page says invalid credentials.\$" out &&
	grep "^Similar issues (d then the number: duplicate of it):" out &&
	grep "^  1) 0\.[0-9][0-9]  $(cat B)  new  *Login fails once the password was reset\$" out &&
	grep "Triage $(cat A) \[t,i,o,d,p,c,s,u,q,?\]? q\$" out &&
	grep "^  triaged  *0\$" out &&
	grep "^  left in the queue  *5\$" out
'

test_expect_success 'a whole session: impact with an owner, duplicate, close, park, skip' '
	before=$(test_commit_count) &&
	test_tick &&
	keys i 1 1  d 1  c 1  p 2  s &&
	test $(test_commit_count) = $((before + 4)) &&
	git log -4 --format=%s >msgs &&
	cat >expect <<-EOF &&
	psm park $(cat C): Dark mode for the dashboard
	psm close $(cat E): Checkout button does nothing
	psm dup $(cat B): Login fails once the password was reset
	psm triage $(cat A): Cannot sign in after password reset
	EOF
	test_cmp expect msgs &&
	test "$(field $(cat A) impact)" = "\"core\"" &&
	test "$(field $(cat A) response)" = "\"fix-fast\"" &&
	test "$(field $(cat A) owner)" = "\"alice@example.com\"" &&
	test "$(field $(cat A) status)" = "\"triaged\"" &&
	test "$(field $(cat A) triaged)" = "\"$PSM_NOW\"" &&
	test "$(field $(cat B) status)" = "\"closed\"" &&
	test "$(field $(cat B) resolution)" = "\"duplicate\"" &&
	test "$(field $(cat B) duplicate_of)" = "\"$(psm show --format json $(cat A) | sed -n "s/^  \"id\": \"\(.*\)\",\$/\1/p")\"" &&
	test "$(field $(cat E) resolution)" = "\"fixed\"" &&
	test "$(field $(cat C) status)" = "\"parked\"" &&
	test "$(field $(cat C) parked_until)" = "\"2026-12-04\"" &&
	test "$(field $(cat D) status)" = "\"new\""
'

test_expect_success 'the summary counts each kind and lists fix-fast owners' '
	grep "^That was the last item in the queue.\$" out &&
	grep "^Triage session: 5 items seen in " out &&
	grep "^  triaged  *1\$" out &&
	grep "^  duplicates merged  *1\$" out &&
	grep "^  parked  *1\$" out &&
	grep "^  closed  *1\$" out &&
	grep "^  skipped  *1\$" out &&
	grep "^  fix-fast  *1\$" out &&
	grep "^    $(cat A)  alice@example.com  *Cannot sign in after password reset\$" out &&
	# D was skipped: still new, still in the queue
	grep "^  left in the queue  *1\$" out
'

test_expect_success 'the duplicate brought its reporter to the target' '
	psm show $(cat A) >show &&
	grep "eve@beta.example" show
'

test_expect_success 'customer text cannot drive the terminal' '
	grep "Checkout" out &&
	! grep "$(printf "\\033")" out &&
	! grep "$(printf "\\007")" out &&
	grep "red" out
'

test_expect_success 'undo puts the files back in a new commit and shows the item again' '
	test_tick &&
	psm intake -t "Report builder is slow" >F &&
	test_tick &&
	psm intake -t "Webhook retries never stop" >F2 &&
	base=$(git rev-parse HEAD) &&
	keys s i 4 u q &&
	git log -2 --format=%s >msgs &&
	cat >expect <<-EOF &&
	psm triage undo $(cat F): Report builder is slow
	psm triage $(cat F): Report builder is slow
	EOF
	test_cmp expect msgs &&
	git diff --exit-code $base HEAD &&
	grep "^Undone: $(cat F) is back as it was.\$" out &&
	test $(grep -c "^$(cat F)  Report builder is slow\$" out) = 2 &&
	grep "^  triaged  *0\$" out
'

test_expect_success 'undo of a duplicate puts back both files' '
	test_tick &&
	psm intake -t "Sign in broken after I reset my password" \
		-m "The login page says my credentials are invalid." >G 2>/dev/null &&
	base=$(git rev-parse HEAD) &&
	keys d 1 u q &&
	test "$(git log -1 --format=%s)" = "psm triage undo $(cat G): Sign in broken after I reset my password" &&
	git diff --exit-code $base HEAD &&
	grep "^  duplicates merged  *0\$" out
'

test_expect_success 'undo with nothing decided says so; unknown keys get a hint' '
	keys u x "?" q &&
	grep "^Nothing to undo: no decision made in this session yet.\$" out &&
	grep "^Unknown key .x. (? for help).\$" out &&
	grep "^u - undo the last decision" out
'

test_expect_success 'type and owner are staged, then written with the decision' '
	psm triage --queue | awk "NR > 1 { print \$1 }" >q &&
	first=$(sed -n 1p q) && second=$(sed -n 2p q) &&
	before=$(test_commit_count) &&
	test_tick &&
	keys t 2 o 2 i 3 i 4 q &&
	grep "type=usability owner=bob@example.com Triage $first" out &&
	test $(test_commit_count) = $((before + 2)) &&
	test "$(field $first type)" = "\"usability\"" &&
	test "$(field $first owner)" = "\"bob@example.com\"" &&
	test "$(field $first impact)" = "\"explanation\"" &&
	test "$(field $second impact)" = "\"edge\"" &&
	# what was staged for one item does not carry over to the next
	test "$(field $second type)" = null &&
	test "$(field $second owner)" = null
'

test_expect_success 'Esc or Enter cancels a menu; end of input quits cleanly' '
	before=$(test_commit_count) &&
	printf "i\n\nd\n" | psm triage >out 2>err &&
	test $(test_commit_count) = $before &&
	grep "^Triage session:" out
'

test_expect_success 'the time box stops offering items once spent' '
	for t in one two three
	do
		psm intake -t "Box item $t" >/dev/null || return 1
	done &&
	{ echo s; sleep 2; echo s; echo s; echo s; } | psm triage --timebox 1s >out &&
	grep "^The time box (0:01) is spent: stopping here.\$" out &&
	grep "^  skipped  *2\$" out &&
	test_expect_code 128 psm triage --timebox soon </dev/null
'

test_expect_success 'a decision is in git even when the session is killed' '
	psm intake -t "Killed session item" >K &&
	before=$(test_commit_count) &&
	mkfifo keys &&
	{ psm triage <keys >out 2>&1 & } &&
	pid=$! &&
	exec 8>keys &&
	printf "i\n5\n" >&8 &&
	i=0 &&
	while test $(test_commit_count) = $before && test $i -lt 100
	do
		sleep 0.1
		i=$((i + 1))
	done &&
	kill $pid &&
	exec 8>&- &&
	test $(test_commit_count) = $((before + 1)) &&
	git log -1 --format=%s | grep "^psm triage "
'

test_expect_success 'an item decided elsewhere meanwhile is not decided again' '
	psm intake -t "Decided elsewhere" >X &&
	psm intake -t "Next in line" >Y &&
	first=$(psm triage --queue | awk "NR == 2 { print \$1 }") &&
	# an earlier step'"'"'s out holds a "Triage" line too: wait for this one'"'"'s
	rm -f keys2 out err && mkfifo keys2 &&
	{ psm triage <keys2 >out 2>err & } &&
	pid=$! &&
	exec 9>keys2 &&
	i=0 &&
	while ! grep -q "Triage $first" out 2>/dev/null && test $i -lt 100
	do
		sleep 0.1
		i=$((i + 1))
	done &&
	psm triage $first --impact strategic >/dev/null &&
	before=$(test_commit_count) &&
	printf "i\n1\nn\ns\nq\n" >&9 &&
	exec 9>&- &&
	wait $pid &&
	test $(test_commit_count) = $before &&
	grep "error: $first changed since it was shown (status triaged now)" err &&
	test "$(field $first impact)" = "\"strategic\""
'

test_expect_success 'an empty queue' '
	psm triage --queue --format json | grep "\"id\":" | sed "s/.*\"\([0-9a-z]*\)\",/\1/" >left &&
	for id in $(cat left)
	do
		psm triage $id --impact edge >/dev/null || return 1
	done &&
	echo q | psm triage >out &&
	grep "^Nothing to triage: the queue is empty.\$" out
'

# ---- on a terminal ------------------------------------------------------------

test_expect_success TTY 'terminal: single keypresses, no Enter' '
	psm intake -t "Billing page is blank on Safari" --customer Acme >T1 &&
	psm intake -t "Team invites expire too soon" >T2 &&
	before=$(test_commit_count) &&
	printf "i12s" | test_terminal psm triage >out 2>err &&
	test $(test_commit_count) = $((before + 1)) &&
	test "$(field $(cat T1) owner)" = "\"bob@example.com\"" &&
	test "$(field $(cat T1) response)" = "\"fix-fast\"" &&
	grep "^suggested impact: core (keyword \"billing\")" out &&
	grep "Triage $(cat T1) \[t,i,o,d,p,c,s,u,q,?\]? i" out &&
	grep "fix-fast: who owns it: 1 alice@example.com ([0-9]* open), 2 bob@example.com ([0-9]* open), m me, a auto, n none? 2" out &&
	grep "^  skipped  *1\$" out
'

test_expect_success TTY 'terminal: a word typed by mistake is one wrong key, not many' '
	before=$(test_commit_count) &&
	{ printf "kill" && sleep 2 && printf "cfixed" && sleep 2 && printf "\\033q"; } |
	test_terminal psm triage >out 2>err &&
	test $(test_commit_count) = $before &&
	test $(grep -c "^Unknown key" out) = 1 &&
	grep "^Unknown key .k. (? for help).\$" out &&
	! grep "^impact:" out &&
	! grep "^park" out &&
	test $(grep -c "^Choose a number" out) = 1 &&
	grep "^  triaged  *0\$" out &&
	grep "^  closed  *0\$" out
'

test_expect_success TTY 'terminal: a long body is cut to the 24-line screen' '
	i=1 &&
	while test $i -le 60
	do
		echo "- Line $i of the report." || return 1
		i=$((i + 1))
	done >long.txt &&
	psm intake -t "Calendar sync breaks onboarding" -F long.txt >L &&
	psm triage --queue | awk "NR == 2 { print \$1 }" >top &&
	test_cmp L top &&
	printf "q" | test_terminal psm triage >out 2>err &&
	grep "^ *- Line 1 of the report.\$" out &&
	! grep "Line 60 of the report" out &&
	shown=$(grep -c "^ *- Line [0-9]* of the report.\$" out) &&
	test $shown -le 16 &&
	grep "^  … $((60 - shown)) more lines (psm show $(cat L))\$" out
'

test_expect_success TTY 'terminal: Esc and arrow keys cancel; the terminal is restored' '
	printf "t\\033\\033[Aq" | test_terminal sh -c "psm triage; stty -a" >out 2>err &&
	grep "^type: 1 bug" out &&
	grep "^  triaged  *0\$" out &&
	grep " icanon" out &&
	! grep -- "-icanon" out
'

test_expect_success TTY 'terminal: restored when killed' '
	test_terminal sh -c "psm triage </dev/tty >/dev/null & p=\$!; sleep 1; kill \$p; wait \$p; echo status=\$?; stty -a" </dev/null >out 2>err &&
	grep "^status=143" out &&
	grep " icanon" out &&
	! grep -- "-icanon" out
'

test_done
