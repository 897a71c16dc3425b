#!/bin/sh

test_description='psm triage ID (a decision from the command line), park and roadmap

A decision sets the type, impact, response (the impact'"'"'s by default),
owner and labels, status triaged and the triaged time, in one commit of one
file; psm park sets an issue aside until a date; psm roadmap lists the
strategic issues, the most asked-for first.'

. ./test-lib.sh

test_expect_success 'setup' '
	psm init &&
	sed "s/^owners: \[\]/owners:\\
- alice@example.com\\
- bob@example.com\\
- author@example.com/" .psm/config.yml >tmp && mv tmp .psm/config.yml &&
	git commit -q -m owners .psm/config.yml &&
	for t in one two three four five six
	do
		test_tick &&
		psm intake -t "Issue $t" --source email >>ids || return 1
	done &&
	sed -n 1p ids >id1 && sed -n 2p ids >id2 && sed -n 3p ids >id3 &&
	sed -n 4p ids >id4 && sed -n 5p ids >id5 && sed -n 6p ids >id6
'

test_expect_success 'triage ID --impact records the decision in one commit of one file' '
	before=$(test_commit_count) &&
	test_tick &&
	psm triage $(cat id1) --impact core --type bug >out &&
	test_cmp id1 out &&
	test $(test_commit_count) = $((before + 1)) &&
	git show --stat --format= HEAD | grep -c "issues/" >n &&
	echo 1 >expect && test_cmp expect n &&
	git log -1 --format=%s >msg &&
	echo "psm triage $(cat id1): Issue one" >expect &&
	test_cmp expect msg &&
	test "$(field $(cat id1) status)" = "\"triaged\"" &&
	test "$(field $(cat id1) impact)" = "\"core\"" &&
	test "$(field $(cat id1) response)" = "\"fix-fast\"" &&
	test "$(field $(cat id1) type)" = "\"bug\"" &&
	test "$(field $(cat id1) triaged)" = "\"$PSM_NOW\"" &&
	test "$(field $(cat id1) updated)" = "\"$PSM_NOW\""
'

test_expect_success 'the diff holds only the decided fields' '
	git diff HEAD~1 -U0 | grep "^[-+][a-z]" >changed &&
	grep "^+impact: core" changed &&
	! grep -v -e "^[-+]status:" -e "^+type:" -e "^+impact:" -e "^+response:" \
		-e "^+triaged:" -e "^[-+]updated:" changed
'

test_expect_success 'the response follows the impact unless given' '
	test_tick &&
	psm triage $(cat id2) --impact explanation >/dev/null &&
	test "$(field $(cat id2) response)" = "\"docs\"" &&
	test_tick &&
	psm triage $(cat id2) --impact edge --response investigate >/dev/null &&
	test "$(field $(cat id2) impact)" = "\"edge\"" &&
	test "$(field $(cat id2) response)" = "\"investigate\""
'

test_expect_success 'labels: +LABEL adds, -LABEL removes' '
	test_tick &&
	psm triage $(cat id3) +auth +web >/dev/null &&
	sed -n "/^labels:/,/^[a-z]/p" $(path_of $(cat id3)) >labels &&
	grep "^- auth" labels && grep "^- web" labels &&
	test_tick &&
	psm triage $(cat id3) -web >/dev/null &&
	sed -n "/^labels:/,/^[a-z]/p" $(path_of $(cat id3)) >labels &&
	grep "^- auth" labels && ! grep "^- web" labels &&
	test_must_fail psm triage $(cat id3) "+bad,label" 2>err &&
	grep "invalid label" err
'

test_expect_success '--owner, me, and the owners list' '
	test_tick &&
	psm triage $(cat id3) --owner bob@example.com >/dev/null &&
	test "$(field $(cat id3) owner)" = "\"bob@example.com\"" &&
	test_tick &&
	psm triage $(cat id3) --owner me >/dev/null &&
	test "$(field $(cat id3) owner)" = "\"author@example.com\"" &&
	before=$(test_commit_count) &&
	test_must_fail psm triage $(cat id3) --owner mallory@example.com 2>err &&
	grep "unknown owner .mallory@example.com." err &&
	test $(test_commit_count) = $before
'

test_expect_success '--auto: the owner with the fewest open issues, ties in config order' '
	# open issues now: bob 0, alice 0, author 1 (id3): alice first
	test_tick &&
	psm triage $(cat id4) --auto >/dev/null &&
	test "$(field $(cat id4) owner)" = "\"alice@example.com\"" &&
	test_tick &&
	psm triage $(cat id5) --auto >/dev/null &&
	test "$(field $(cat id5) owner)" = "\"bob@example.com\"" &&
	test_expect_code 129 psm triage $(cat id5) --auto --owner me
'

test_expect_success 'refusals change nothing' '
	before=$(test_commit_count) &&
	cp $(path_of $(cat id6)) before.md &&
	test_expect_code 128 psm triage $(cat id6) --impact huge 2>err &&
	grep "unknown impact .huge." err &&
	test_expect_code 128 psm triage $(cat id6) --type rant 2>err &&
	grep "unknown type .rant." err &&
	test_expect_code 128 psm triage $(cat id6) --response never 2>err &&
	grep "unknown response .never." err &&
	test_expect_code 129 psm triage $(cat id6) $(cat id5) &&
	test $(test_commit_count) = $before &&
	test_cmp before.md $(path_of $(cat id6))
'

test_expect_success 'a closed issue is not triaged' '
	psm close $(cat id5) --resolution wontfix >/dev/null &&
	before=$(test_commit_count) &&
	test_expect_code 128 psm triage $(cat id5) --impact core 2>err &&
	grep "is closed" err &&
	test $(test_commit_count) = $before
'

test_expect_success 'in-progress work keeps its status' '
	p=$(path_of $(cat id4)) &&
	sed "s/^status: triaged/status: in-progress/" $p >tmp && mv tmp $p &&
	git commit -q -m wip $p &&
	test_tick &&
	psm triage $(cat id4) --impact repeated >/dev/null &&
	test "$(field $(cat id4) status)" = "\"in-progress\"" &&
	test "$(field $(cat id4) response)" = "\"investigate\""
'

test_expect_success '--format json prints the issue; --no-commit writes only' '
	before=$(test_commit_count) &&
	test_tick &&
	psm triage $(cat id6) --impact explanation --format json --no-commit >out.json &&
	grep "\"impact\": \"explanation\"" out.json &&
	grep "\"status\": \"triaged\"" out.json &&
	test $(test_commit_count) = $before &&
	git status --porcelain >st &&
	grep "$(path_of $(cat id6))" st &&
	git commit -q -a -m "by hand"
'

test_expect_success 'a post-triage hook runs after the commit' '
	mkdir -p .git/psm/hooks &&
	printf "#!/bin/sh\\ncat >\"\$HOME/hook.json\"; echo \"\$1\" >\"\$HOME/hook.arg\"\\n" >.git/psm/hooks/post-triage &&
	chmod +x .git/psm/hooks/post-triage &&
	test_tick &&
	psm triage $(cat id6) --type docs >/dev/null &&
	grep "\"type\": \"docs\"" hook.json &&
	rm .git/psm/hooks/post-triage
'

test_expect_success 'park: status parked until a date, in one commit' '
	test_tick &&
	psm intake -t "Parked one" >p1 &&
	before=$(test_commit_count) &&
	psm park $(cat p1) --until 2026-12-24 >out &&
	test_cmp p1 out &&
	test $(test_commit_count) = $((before + 1)) &&
	git log -1 --format=%s >msg &&
	echo "psm park $(cat p1): Parked one" >expect &&
	test_cmp expect msg &&
	test "$(field $(cat p1) status)" = "\"parked\"" &&
	test "$(field $(cat p1) parked_until)" = "\"2026-12-24\""
'

test_expect_success 'park --until takes a duration too; the past is refused' '
	psm park $(cat p1) --until 2w >/dev/null &&
	test "$(field $(cat p1) parked_until)" = "\"2026-12-04\"" &&
	before=$(test_commit_count) &&
	test_expect_code 128 psm park $(cat p1) --until 2026-11-20 2>err &&
	grep "not after today" err &&
	test_expect_code 128 psm park $(cat p1) --until soon 2>err &&
	grep "invalid date .soon." err &&
	test_expect_code 129 psm park $(cat p1) &&
	test_expect_code 129 psm park --until 2w &&
	test_expect_code 128 psm park $(cat id5) --until 2w 2>err &&
	grep "is closed" err &&
	test $(test_commit_count) = $before
'

test_expect_success 'triaging a parked issue files it and clears the date' '
	test_tick &&
	psm triage $(cat p1) --impact explanation >/dev/null &&
	test "$(field $(cat p1) status)" = "\"triaged\"" &&
	test -z "$(field $(cat p1) parked_until | grep -v null)"
'

# add_reporter ID NAME EMAIL [CUSTOMER]: a reporter by hand (intake takes one)
add_reporter () {
	p=$(path_of $1) &&
	if grep -q "^reporters:" $p
	then
		sed "/^reporters:/a\\
- name: $2\\
  email: $3${4:+\\
  customer: $4}" $p >tmp
	else
		sed "/^created:/i\\
reporters:\\
- name: $2\\
  email: $3${4:+\\
  customer: $4}" $p >tmp
	fi &&
	mv tmp $p
}

test_expect_success 'roadmap: strategic issues by customers, then reporters' '
	test_tick &&
	psm intake -t "SSO with Okta" --customer Acme >r1 &&
	psm intake -t "Public API" >r2 &&
	psm intake -t "Audit log export" >r3 &&
	psm intake -t "Not strategic" >r4 &&
	add_reporter $(cat r2) A a@one.example One &&
	add_reporter $(cat r2) B b@two.example Two &&
	add_reporter $(cat r3) C c@x.example &&
	add_reporter $(cat r3) D d@x.example &&
	add_reporter $(cat r3) E e@x.example &&
	git commit -q -a -m reporters &&
	for r in r1 r2 r3
	do
		psm triage $(cat $r) --impact strategic >/dev/null || return 1
	done &&
	psm triage $(cat r4) --impact core >/dev/null &&
	psm roadmap >out &&
	awk "NR > 1 { print \$1 }" out >ids &&
	{ cat r2 r1 r3; } >expect &&
	test_cmp expect ids &&
	head -1 out | grep "^ID  *CUST  *REP" &&
	grep "^$(cat r2)  *2  *2 " out
'

test_expect_success 'roadmap --format json; closed strategic issues drop out' '
	psm roadmap --format json >out.json &&
	test $(grep -c "\"customer_count\":" out.json) = 3 &&
	psm close $(cat r1) --resolution fixed >/dev/null &&
	psm roadmap >out &&
	! grep "$(cat r1)" out &&
	test_expect_code 129 psm roadmap extra
'

test_expect_success 'options that do not apply are refused, not ignored' '
	test_expect_code 129 psm triage --format json </dev/null 2>err &&
	grep "not the session" err &&
	test_expect_code 129 psm triage --queue --timebox 10m 2>err &&
	grep "timebox" err
'

test_done
