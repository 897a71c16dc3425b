#!/bin/sh

test_description='psm changelog: customer text is inert in every format

Titles and release notes with escape sequences, C0 and C1 controls, DEL and
bidi overrides or isolates reach the Markdown, text, HTML and JSON output
and CHANGELOG.md without any of them: the JSON strings are the sanitised
text too (no \u202E to decode). A --release name holding such a character
is refused, as one with a bracket is.'

. ./test-lib.sh
. "$TEST_DIRECTORY"/lib-changelog.sh

ESC=$(printf '\033')
BEL=$(printf '\007')
CSI1=$(printf '\302\233')
RLO=$(printf '\342\200\256')
PDI=$(printf '\342\201\251')
DEL=$(printf '\177')

no_controls () {
	! grep -q "$ESC" "$1" &&
	! grep -q "$BEL" "$1" &&
	! grep -q "$CSI1" "$1" &&
	! grep -q "$RLO" "$1" &&
	! grep -q "$PDI" "$1" &&
	! grep -q "$DEL" "$1" &&
	! grep -q "\\\\u202[A-Ea-e]" "$1" &&
	! grep -q "\\\\u206[6-9]" "$1" &&
	! grep -q "\\\\u00[19][0-9A-Fa-f]" "$1" &&
	! grep -q "\\\\u007[Ff]" "$1"
}

test_expect_success 'setup' '
	mkdir store &&
	(
		cd store &&
		psm init >/dev/null &&
		test_tick &&
		git tag v1.0 &&
		mk T "Crash ${ESC}[2J${ESC}]0;pwned${BEL}on ${CSI1}31msave${RLO}exe.txt${PDI}${DEL}" bug &&
		close_as T fixed &&
		mk N "Export fails" feature &&
		close_as N fixed --release-note "Exports ${RLO}work${ESC}[5m again${CSI1}2J." &&
		mk K "Sync ${ESC}]8;;http://e.example${ESC}\\slow${RLO}" bug -l known-issue
	)
'

test_expect_success 'every format and CHANGELOG.md: no control or bidi character' '
	(
		cd store &&
		psm changelog --known-issues v1.0.. >../out.md &&
		psm changelog --known-issues --format text v1.0.. >../out.text &&
		psm changelog --known-issues --format html v1.0.. >../out.html &&
		psm changelog --known-issues --format json v1.0.. >../out.json &&
		psm changelog --known-issues --release 1.1 --write ../CHANGELOG.md v1.0.. >/dev/null
	) &&
	for f in out.md out.text out.html out.json CHANGELOG.md
	do
		no_controls $f || return 1
	done &&
	grep "Crash on" out.md &&
	grep "Exports" out.md &&
	grep "Sync" out.md &&
	grep "Exports" CHANGELOG.md
'

test_expect_success JQ 'the JSON strings are the sanitised text' '
	jq -r ".groups[].entries[].title, .groups[].entries[].release_note, .groups[].entries[].markdown, .known_issues[].title" out.json >strings &&
	no_controls strings &&
	grep "^Crash on save" strings &&
	grep "^Exports .work again" strings
'

test_expect_success 'a release name with a control, C1 or bidi character is refused' '
	(
		cd store &&
		for name in "1.1${RLO}" "1.1${CSI1}2J" "1.1${DEL}" "1.1${ESC}[2J" "1.1$(printf "\342\201\246")x"
		do
			test_expect_code 128 psm changelog --release "$name" v1.0.. >../out 2>../err &&
			grep "invalid release name" ../err &&
			! test -s ../out || return 1
		done &&
		psm changelog --release "1.1 – ünïcode" v1.0.. >../out &&
		grep "^## \[1.1 – ünïcode\]" ../out
	)
'

test_done
