#!/bin/sh

test_description='text psm hands to other tools carries no control sequences

Customer text (titles, names, release notes) goes into commit messages that
git log prints, hook payloads a hook may print or forward, and follow-up
drafts sent to customers. Each is made safe like terminal output: escape
sequences (CSI, OSC) removed; C0 and C1 controls, DEL and bidi overrides
and isolates shown as U+FFFD; newlines kept where the text has lines.'

. ./test-lib.sh

ESC=$(printf '\033')
BEL=$(printf '\007')
CSI1=$(printf '\302\233')	# U+009B, the one-byte CSI
RLO=$(printf '\342\200\256')	# U+202E right-to-left override
LRI=$(printf '\342\201\246')	# U+2066 left-to-right isolate
DEL=$(printf '\177')
SOH=$(printf '\001')
EVIL="Crash ${ESC}[2J${ESC}]0;pwned${BEL}on save ${CSI1}31m${RLO}gnp.exe${LRI}x${DEL}y${SOH}z"

# no_controls FILE: none of the hostile bytes is in FILE.
no_controls () {
	! grep -q "$ESC" "$1" &&
	! grep -q "$BEL" "$1" &&
	! grep -q "$CSI1" "$1" &&
	! grep -q "$RLO" "$1" &&
	! grep -q "$LRI" "$1" &&
	! grep -q "$DEL" "$1" &&
	! grep -q "$SOH" "$1"
}

test_expect_success 'setup' '
	psm init >/dev/null &&
	mkdir -p .git/psm/hooks &&
	cat >.git/psm/hooks/post-tag <<-\EOF &&
	#!/bin/sh
	cat >"$HOME/hook.json"
	EOF
	chmod +x .git/psm/hooks/post-tag
'

test_expect_success 'the commit message of an intake has no control sequence' '
	psm intake -t "$EVIL" --reporter "Dana <dana@acme.example>" >id &&
	git log -1 --format=%B >msg &&
	no_controls msg &&
	grep "^psm intake $(cat id): Crash on save " msg
'

test_expect_success 'git log prints the subject inert, with its words' '
	git log -1 --format=%s >subject &&
	no_controls subject &&
	grep "gnp.exe" subject &&
	grep "x.*y.*z" subject
'

test_expect_success 'every write command goes through the same filter' '
	id=$(cat id) &&
	psm tag $id +ui >/dev/null &&
	psm assign $id ana@example.com >/dev/null &&
	psm reply $id -m "We are on it." >/dev/null &&
	psm note $id -m "Looks like the autosave." >/dev/null &&
	psm close $id -r fixed --release-note "Saving works again." >/dev/null &&
	psm followup $id --done >/dev/null &&
	git log --format=%B -6 >log &&
	test $(grep -c "^psm [a-z]* $id: Crash on save" log) = 6 &&
	no_controls log
'

test_expect_success 'triage, status and dup commits, and the reflog, too' '
	id3=$(psm intake -t "Saving ${ESC}[2Jcrashes${RLO}") &&
	psm triage $id3 --impact core >/dev/null &&
	psm status $id3 blocked -m "waiting" >/dev/null &&
	psm dup $id3 --of $(cat id) >/dev/null &&
	git log --format=%B -3 >log &&
	test $(grep -c "^psm .* $id3: Saving crashes" log) = 3 &&
	git reflog -3 >reflog &&
	git cat-file commit HEAD >raw &&
	no_controls log &&
	no_controls reflog &&
	no_controls raw
'

test_expect_success 'the hook payload carries the text escaped, never raw' '
	psm tag $(cat id) +billing >/dev/null &&
	test -s hook.json &&
	no_controls hook.json &&
	grep "\"title\": \"Crash \\\\u001B\[2J.*\\\\u202Egnp.exe" hook.json
'

test_expect_success 'follow-up drafts: no control sequence in text or JSON, names kept' '
	printf "Mal${ESC}]0;owned${BEL}lory${RLO} <m@example.com>" >rep &&
	id2=$(psm intake -t "Export ${CSI1}2Jfails" --reporter "$(cat rep)") &&
	psm close $id2 -r fixed --release-note "Exports work${RLO} again${ESC}[5m." >/dev/null &&
	psm followup $id2 >out &&
	psm followup --format json $id2 >out.json &&
	no_controls out &&
	no_controls out.json &&
	grep "\"draft\": \"Hi Mallory" out.json >drafts &&
	test_line_count = 1 drafts &&
	! grep "\\\\u[0-9A-F]\{4\}" drafts &&
	grep "Exports work" drafts &&
	grep "Hi Mallory" out
'

test_expect_success JQ 'the JSON draft is the sanitised text, lines kept' '
	jq -r ".[0].reporters[0].draft" out.json >draft &&
	head -n 1 draft >first &&
	printf "Hi Mallory\357\277\275,\n" >expect &&
	test_cmp expect first &&
	test $(wc -l <draft) -gt 4
'

test_done
