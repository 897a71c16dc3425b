#!/bin/sh

test_description='--send killed between sending and recording sends nothing twice

psm appends the Message-ID of each message the transport took to
<gitdir>psm/sent before it goes on; a psm killed before its commit leaves
them there, and the next --send records those messages without sending
them again, then forgets them.'

. ./test-lib.sh
. "$TEST_DIRECTORY/lib-smtp.sh"

test_have_prereq SMTPD || test_skip_all 'python3-aiosmtpd is not installed'
test_have_prereq MSMTP || test_skip_all 'msmtp is not installed'

test_expect_success 'setup: an issue with three people, a sendmail that kills psm at the second' '
	psm init &&
	write_issue 7kq2m9xabc <<-\EOF &&
	title: Export drops rows
	status: closed
	resolution: fixed
	closed: 2026-11-21T09:00:00Z
	reporters:
	- name: One
	  email: one@corp.example
	  ref: <one@corp.example>
	- name: Two
	  email: two@corp.example
	  ref: <two@corp.example>
	- name: Three
	  email: three@corp.example
	  ref: <three@corp.example>
	created: 2026-11-20T09:00:00Z
	updated: 2026-11-21T09:00:00Z
	EOF
	git add issues && git commit -q -m "by hand" &&
	smtp_start &&
	cat >killer <<-EOF &&
	#!/bin/sh
	# the second message: psm dies (SIGKILL) before it can record the first
	n=\$(cat "$TRASH_DIRECTORY/count" 2>/dev/null || echo 0)
	n=\$((n + 1))
	echo \$n >"$TRASH_DIRECTORY/count"
	if test \$n = 2
	then
		p=\$PPID
		while test "\$(cat /proc/\$p/comm)" != psm
		do
			p=\$(cut -d" " -f4 /proc/\$p/stat)
		done
		kill -9 \$p
		sleep 5
		exit 1
	fi
	exec $(smtp_msmtp)
	EOF
	chmod +x killer &&
	git config psm.sendmail "\"$TRASH_DIRECTORY/killer\""
'

test_expect_success 'psm killed after the first message went: nothing committed, the log holds it' '
	before=$(test_commit_count) &&
	{ psm followup 7kq2m9x --send >out 2>err; echo $? >rc; } &&
	echo 137 >expect && test_cmp expect rc &&
	test $(test_commit_count) = $before &&
	ls received/*.eml >n && test_line_count = 1 n &&
	grep -x one@corp.example received/0001.env &&
	mid=$(tr -d "\r" <received/0001.eml | sed -n "s/^Message-I[Dd]: //p") &&
	echo "$mid" >expect &&
	test_cmp expect .git/psm/sent
'

test_expect_success 'the re-run records the first without sending it again, sends the others' '
	git config psm.sendmail "$(smtp_msmtp)" &&
	psm followup 7kq2m9x --send >out 2>err &&
	grep "^recorded  7kq2m9x  one@corp.example .*interrupted" out &&
	grep -c "^sent      7kq2m9x  " out >n && echo 2 >expect && test_cmp expect n &&
	ls received/*.eml >n && test_line_count = 3 n &&
	cat received/*.env | grep -v author@example.com | sort >to &&
	printf "one@corp.example\nthree@corp.example\ntwo@corp.example\n" >expect &&
	test_cmp expect to &&
	mid=$(tr -d "\r" <received/0001.eml | sed -n "s/^Message-I[Dd]: //p") &&
	grep -x "<!-- psm-ref: $mid -->" issues/7k/7kq2m9xabc.md &&
	! test -e .git/psm/sent &&
	psm followup >out &&
	grep -x "no follow-ups owed" out &&
	git status --porcelain issues >st && test_line_count = 0 st &&
	psm check
'

smtp_stop
test_done
