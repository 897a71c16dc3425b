#!/bin/sh

test_description='psm usage import: the shapes exports come in, and bad input

CSV (a byte order mark, quoted line breaks), the posthog, mixpanel,
amplitude and segment presets, --map, --tz through GLib (the zone decides
the week), standard input; a line that cannot be read named with its line
number, an unknown event counted as activity, a time without a zone an
error unless --tz says, hostile text kept off the terminal, and the
usage errors.'

. ./test-lib.sh

test_expect_success 'setup' '
	psm init >/dev/null &&
	cat >>.psm/config.yml <<-\EOF &&
	onboarding:
	  signup: signed_up
	  steps: [created_project]
	  window: 2d
	adoption:
	  reports:
	    events: report_run
	EOF
	git commit -q -am config
'

# week FILE-WEEK: the counts of a week file, without comments and record
week () {
	grep -v -e "^#" -e "^record: " .psm/usage/$1.yml
}

test_expect_success 'CSV with a byte order mark, quotes and a line break in a field' '
	printf "\357\273\277user,event,time,note\r\n" >a.csv &&
	printf "%s\r\n" "ann,signed_up,2026-11-16T09:00:00Z,\"said \"\"hi\"\",
then left\"" "ann,created_project,2026-11-17T09:00:00Z," "bob,signed_up,2026-11-16T10:00:00Z,x" \
		"bob,report_run,2026-11-18T10:00:00Z,\"a, b\"" >>a.csv &&
	psm usage import a.csv >out &&
	echo "a.csv: 4 events" >expect &&
	head -n 1 out >first &&
	test_cmp expect first &&
	cat >expect <<-\EOF &&
	version: 1
	week: 2026-W47
	active: 2
	adoption:
	  reports: 1
	onboarding:
	  window: 2d
	  signups: 2
	  steps:
	    created_project: 1
	  waiting: 0
	EOF
	week 2026-W47 >got &&
	test_cmp expect got
'

test_expect_success 'a time without a zone is an error naming the line; the rest is counted' '
	cat >b.csv <<-\EOF &&
	user,event,time
	cat,signed_up,2026-11-16T09:00:00Z
	cat,created_project,2026-11-16 10:00:00
	dan,signed_up,2026-11-19T09:00:00Z
	EOF
	test_expect_code 1 psm usage import b.csv >out 2>err &&
	cat >expect <<-\EOF &&
	error: b.csv:3: time '"'"'2026-11-16 10:00:00'"'"' has no time zone: say which with --tz (e.g. --tz UTC)
	usage import: 1 week file changed, 0 unchanged
	EOF
	test_cmp expect err &&
	echo "b.csv: 2 events, 1 line not read" >expect &&
	head -n 1 out >first &&
	test_cmp expect first &&
	week 2026-W47 | grep -e "signups: 4" -e "created_project: 1" >got &&
	test_line_count = 2 got
'

test_expect_success '--tz says which zone, by GLib'"'"'s rules' '
	psm usage import --tz Europe/Berlin b.csv >out &&
	week 2026-W47 | grep "created_project: 2"
'

test_expect_success 'the zone decides the week: mixpanel seconds in the project'"'"'s zone' '
	# 1795393800 reads 2026-11-23T00:30:00, Monday: in Berlin that is
	# Sunday 23:30 UTC, still week 47; in UTC, week 48
	cat >mp.jsonl <<-\EOF &&
	{"event":"signed_up","properties":{"distinct_id":"eve","time":1795393800,"$os":"iOS"}}
	EOF
	test_expect_code 1 psm usage import --preset mixpanel mp.jsonl 2>err &&
	grep "mp.jsonl:1: time '"'"'1795393800'"'"' counts seconds in the project'"'"'s time zone: say which with --tz" err &&
	! test -f .psm/usage/2026-W48.yml &&
	psm usage import --preset mixpanel --tz Europe/Berlin mp.jsonl &&
	week 2026-W47 | grep "signups: 5" &&
	! test -f .psm/usage/2026-W48.yml &&
	sed "s/\"eve\"/\"fin\"/" mp.jsonl >mp2.jsonl &&
	psm usage import --preset mixpanel --tz UTC mp2.jsonl &&
	week 2026-W48 | grep "signups: 1"
'

test_expect_success 'posthog, amplitude and segment exports' '
	cat >ph.jsonl <<-\EOF &&
	{"uuid":"1","event":"report_run","distinct_id":"anon-9","person_id":"p-fay","timestamp":"2026-11-24T09:00:00.123000+00:00","properties":{}}
	{"uuid":"2","event":"report_run","distinct_id":"fay@x.example","person_id":"p-fay","timestamp":"2026-11-24T10:00:00Z","properties":{}}
	EOF
	psm usage import --preset posthog ph.jsonl >out &&
	grep "ph.jsonl: 2 events" out &&
	week 2026-W48 | grep -e "active: 2" -e "reports: 1" >got &&
	test_line_count = 2 got &&
	cat >amp.json <<-\EOF &&
	{"event_type":"report_run","amplitude_id":5501,"user_id":null,"event_time":"2026-11-24 11:00:00.000000"}
	EOF
	psm usage import --preset amplitude amp.json &&
	week 2026-W48 | grep -e "active: 3" -e "reports: 2" >got &&
	test_line_count = 2 got &&
	cat >seg.jsonl <<-\EOF &&
	{"type":"identify","userId":"gus","traits":{"name":"Gus"},"timestamp":"2026-11-24T09:00:00Z"}
	{"type":"track","event":"report_run","userId":null,"anonymousId":"a-77","timestamp":"2026-11-24T09:00:00Z"}
	{"type":"page","name":"Home","userId":"gus","timestamp":"2026-11-24T09:00:00Z"}
	EOF
	psm usage import --preset segment seg.jsonl >out &&
	echo "seg.jsonl: 1 event, 2 not track calls (skipped)" >expect &&
	head -n 1 out >first &&
	test_cmp expect first &&
	week 2026-W48 | grep -e "active: 4" -e "reports: 3" >got &&
	test_line_count = 2 got
'

test_expect_success '--map names the columns; standard input; anonymous lines' '
	cat >c.csv <<-\EOF &&
	Visitor,Action,When
	hal,report_run,2026-11-25T09:00:00Z
	,report_run,2026-11-25T09:00:00Z
	EOF
	psm usage import --map Visitor=user --map Action=event --map When=time - <c.csv >out &&
	echo "stdin: 1 event, 1 without a user id (not counted)" >expect &&
	head -n 1 out >first &&
	test_cmp expect first &&
	week 2026-W48 | grep -e "active: 5" -e "reports: 4" >got &&
	test_line_count = 2 got
'

test_expect_success 'unknown events are counted as activity only' '
	printf "%s\n" "{\"user\":\"ivy\",\"event\":\"\$pageview\",\"time\":\"2026-11-25T09:00:00Z\"}" >u.jsonl &&
	psm usage import u.jsonl >out &&
	echo "u.jsonl: 1 event, 1 not named in the config (activity only)" >expect &&
	head -n 1 out >first &&
	test_cmp expect first &&
	week 2026-W48 | grep -e "active: 6" -e "reports: 4" >got &&
	test_line_count = 2 got
'

test_expect_success 'ten bad lines are named, the rest counted; no escape reaches the terminal' '
	{
		echo "user,event,time" &&
		for i in 1 2 3 4 5 6 7 8 9 10 11 12
		do
			printf "x%s,report_run,\"\033]0;pwned\007\033[31mred\"\n" $i || return 1
		done
	} >bad.csv &&
	test_expect_code 1 psm usage import bad.csv >out 2>err &&
	grep -c "^error: bad.csv:[0-9]*: time" err >n &&
	echo 10 >expect &&
	test_cmp expect n &&
	grep "^error: bad.csv: 2 more lines could not be read" err &&
	grep "^error: bad.csv:11:" err &&
	! grep "^error: bad.csv:12:" err &&
	! grep "$(printf "\033")" err &&
	! grep "$(printf "\007")" err
'

test_expect_success 'a CSV without an event column stops before anything is written' '
	head=$(git rev-parse HEAD) &&
	printf "user,when\nann,2026-11-16T09:00:00Z\n" >nocol.csv &&
	test_expect_code 128 psm usage import nocol.csv 2>err &&
	echo "fatal: nocol.csv: no column for the event name (looked for '"'"'event'"'"'; use --map COLUMN=event)" >expect &&
	test_cmp expect err &&
	test "$(git rev-parse HEAD)" = "$head" &&
	git status --porcelain -- .psm >status &&
	test_line_count = 0 status &&
	! test -d .git/psm/usage.new &&
	! test -d .git/psm/usage.spill &&
	! test -f .git/psm/lock
'

test_expect_success 'usage errors' '
	test_expect_code 129 psm usage 2>err &&
	grep "import or recount" err &&
	test_expect_code 129 psm usage export x 2>err &&
	grep "unknown subcommand '"'"'export'"'"'" err &&
	test_expect_code 129 psm usage import 2>err &&
	grep "which export" err &&
	test_expect_code 129 psm usage import --preset heap a.csv 2>err &&
	grep "unknown preset '"'"'heap'"'"' (posthog, mixpanel, amplitude, segment)" err &&
	test_expect_code 129 psm usage import --tz Mars/Base a.csv 2>err &&
	grep "unknown time zone '"'"'Mars/Base'"'"'" err &&
	test_expect_code 129 psm usage import --map a=b a.csv 2>err &&
	grep "invalid --map '"'"'a=b'"'"'" err &&
	test_expect_code 129 psm usage import --csv --jsonl a.csv 2>err &&
	test_expect_code 129 psm usage recount a.csv 2>err &&
	test_expect_code 128 psm usage import no-such.csv 2>err &&
	grep "could not read '"'"'no-such.csv'"'"'" err
'

test_expect_success 'a store that counts nothing says so' '
	psm init bare >/dev/null &&
	test_expect_code 128 psm -C bare usage import ../a.csv 2>err &&
	echo "fatal: .psm/config.yml names no onboarding steps and no adoption features: nothing to count (docs/metrics.md)" >expect &&
	test_cmp expect err &&
	printf "onboarding:\n  signup: s\n  steps: nope\n" >>bare/.psm/config.yml &&
	test_expect_code 128 psm -C bare usage import ../a.csv 2>err &&
	grep "onboarding.steps: expected a list of event names, in order (in .psm/config.yml)" err
'

test_expect_success 'completion offers the subcommands and the presets' '
	psm __complete -- usage "" >out &&
	printf "import\nrecount\n:\n" >expect &&
	test_cmp expect out &&
	psm __complete -- usage import --preset "" >out &&
	printf "posthog\nmixpanel\namplitude\nsegment\n:\n" >expect &&
	test_cmp expect out
'

test_done
