#!/bin/sh

test_description='psm log ID: the issue'"'"'s life from git, with who and when

Every step of the loop (intake, triage, owner, labels, reply, duplicate,
close, follow-up, reopen, status, edit) shows up once, oldest first, under
the commit that made it with its author and date; psm history is the same
command; nothing is written to get it.'

. ./test-lib.sh

test_expect_success 'setup: one issue through the whole loop' '
	psm init &&
	psm intake -t "Login broken" --source email \
		--reporter "Dana Ortiz <dana@acme.example>" -m "It fails." >id &&
	test_tick &&
	GIT_AUTHOR_NAME="Raj Patel" GIT_AUTHOR_EMAIL=raj@ourapp.example \
		psm triage $(cat id) --impact core --owner raj@ourapp.example >/dev/null &&
	test_tick &&
	psm tag $(cat id) +login +safari >/dev/null &&
	psm reply $(cat id) -m "We can reproduce it." >/dev/null &&
	test_tick &&
	psm intake -t "Cannot log in" --source chat --reporter "Sam <sam@globex.example>" >dup &&
	psm dup $(cat dup) --of $(cat id) >/dev/null &&
	test_tick &&
	psm close $(cat id) --resolution fixed --release-note "Sign-in works after a reset." >/dev/null &&
	psm followup $(cat id) --done >/dev/null &&
	test_tick &&
	psm reopen $(cat id) -m "Still failing on Safari" >/dev/null &&
	psm edit $(cat id) --customer Acme >/dev/null &&
	psm status $(cat id) blocked -m "waiting on Apple" >/dev/null
'

test_expect_success 'the whole life, oldest first, with commit, author and date' '
	psm log $(cat id) >out &&
	sid=$(cat id) &&
	p=$(ls issues/*/$sid*.md) &&
	dupid=$(cat dup) &&
	git log --reverse --format="%h %s" -- "$p" >commits &&
	test_line_count = 10 commits &&
	cat >expect <<-EOF &&
	$sid  $p

	2026-11-20T10:00:00Z  A U Thor <author@example.com>  $(sed -n 1p commits | cut -c1-7)
	  psm intake $sid: Login broken
	    taken in via email from Dana Ortiz <dana@acme.example>: Login broken

	2026-11-20T10:01:00Z  Raj Patel <raj@ourapp.example>  $(sed -n 2p commits | cut -c1-7)
	  psm triage $sid: Login broken
	    status: new -> triaged
	    triage: impact: none -> core
	    triage: response: none -> fix-fast
	    owner: none -> raj@ourapp.example

	2026-11-20T10:02:00Z  A U Thor <author@example.com>  $(sed -n 3p commits | cut -c1-7)
	  psm tag $sid: Login broken
	    label +login
	    label +safari

	2026-11-20T10:02:00Z  A U Thor <author@example.com>  $(sed -n 4p commits | cut -c1-7)
	  psm reply $sid: Login broken
	    reply by author@example.com at 2026-11-20T10:02:00Z

	2026-11-20T10:03:00Z  A U Thor <author@example.com>  $(sed -n 5p commits | cut -c1-7)
	  psm dup $dupid: Cannot log in
	    reporter added: Sam <sam@globex.example> (from $dupid)

	2026-11-20T10:04:00Z  A U Thor <author@example.com>  $(sed -n 6p commits | cut -c1-7)
	  psm close $sid: Login broken
	    closed as fixed
	    release note: Sign-in works after a reset.

	2026-11-20T10:04:00Z  A U Thor <author@example.com>  $(sed -n 7p commits | cut -c1-7)
	  psm followup $sid: Login broken
	    told of the close: dana@acme.example by author@example.com
	    told of the close: sam@globex.example by author@example.com

	2026-11-20T10:05:00Z  A U Thor <author@example.com>  $(sed -n 8p commits | cut -c1-7)
	  psm reopen $sid: Login broken
	    reopened, status triaged
	    internal note by author@example.com at 2026-11-20T10:05:00Z

	2026-11-20T10:05:00Z  A U Thor <author@example.com>  $(sed -n 9p commits | cut -c1-7)
	  psm edit $sid: Login broken
	    customer: none -> Acme

	2026-11-20T10:05:00Z  A U Thor <author@example.com>  $(sed -n 10p commits | cut -c1-7)
	  psm blocked $sid: Login broken
	    status: triaged -> blocked
	    internal note by author@example.com at 2026-11-20T10:05:00Z
	EOF
	test_cmp expect out
'

test_expect_success 'the duplicate: taken in, then closed as a duplicate; psm history is psm log' '
	psm history $(cat dup) >out &&
	grep "taken in via chat from Sam <sam@globex.example>: Cannot log in" out &&
	grep "^    closed as a duplicate of $(cat id)\$" out &&
	psm log $(cat dup) >out2 &&
	test_cmp out out2
'

test_expect_success 'nothing is written to get it' '
	before=$(git rev-parse HEAD) &&
	cp .git/index index.before &&
	ls -lR --full-time .git issues >ls1 &&
	psm log $(cat id) >/dev/null &&
	psm log --format json $(cat id) >/dev/null &&
	test "$(git rev-parse HEAD)" = "$before" &&
	cmp .git/index index.before &&
	ls -lR --full-time .git issues >ls2 &&
	test_cmp ls1 ls2 &&
	test -z "$(git status --porcelain --untracked-files=no)"
'

test_expect_success 'a hand edit reads as what it changed' '
	p=$(ls issues/*/$(cat id)*.md) &&
	sed "s/^status: blocked\$/status: in-progress/" "$p" >tmp && mv tmp "$p" &&
	git commit -q -m "unblock by hand" "$p" &&
	psm log $(cat id) >out &&
	tail -n 3 out >last &&
	cat >expect <<-EOF &&
	$(git log -1 --format="%aI" | sed "s/+00:00\$/Z/")  $(git log -1 --format="%an <%ae>")  $(git rev-parse --short=7 HEAD)
	  unblock by hand
	    status: blocked -> in-progress
	EOF
	test_cmp expect last
'

test_expect_success 'changes not committed yet come last' '
	psm assign --no-commit $(cat id) dana@acme.example >/dev/null &&
	psm log $(cat id) >out &&
	tail -n 2 out >last &&
	cat >expect <<-\EOF &&
	not committed (in the work tree)
	    owner: raj@ourapp.example -> dana@acme.example
	EOF
	test_cmp expect last &&
	git checkout -- issues
'

test_expect_success 'errors: no ID, an unknown one, a usage error' '
	test_expect_code 129 psm log 2>err &&
	test_must_fail psm log zzzzzzz 2>err &&
	grep "no issue .zzzzzzz." err &&
	test_expect_code 129 psm log $(cat id) $(cat dup) 2>err
'

test_expect_success 'each person told, or who cannot be, is a line of its own' '
	psm intake -t "Export hangs" --source app-store --reporter jk88 >store &&
	psm dup $(psm intake -t "Export hangs on big files" --source email \
		--reporter "Eve <eve@initech.example>") --of $(cat store) >/dev/null &&
	psm close $(cat store) --resolution fixed >/dev/null &&
	psm followup $(cat store) --unreachable "app-store review, no address" \
		--reporter jk88 >/dev/null &&
	test_tick &&
	psm followup $(cat store) --done >/dev/null &&
	psm log $(cat store) >out &&
	tail -n 7 out >last &&
	cat >expect <<-EOF &&
	2026-11-20T10:05:00Z  A U Thor <author@example.com>  $(git log -1 --skip=1 --format=%h | cut -c1-7)
	  psm followup $(cat store): Export hangs
	    cannot be told of the close: jk88 (app-store review, no address) by author@example.com

	2026-11-20T10:06:00Z  A U Thor <author@example.com>  $(git log -1 --format=%h | cut -c1-7)
	  psm followup $(cat store): Export hangs
	    told of the close: eve@initech.example by author@example.com
	EOF
	test_cmp expect last &&
	psm log --format json $(cat store) >log.json &&
	grep -A6 "\"event\": \"unreachable\"," log.json >ev &&
	grep "\"field\": \"followups\"," ev &&
	grep "\"to\": \"jk88\"," ev &&
	grep "\"via\": \"app-store review, no address\"" ev
'

test_done
