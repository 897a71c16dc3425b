#!/bin/sh

test_description='people on an e-mail thread become reporters

A second customer writing in the thread of an issue (a colleague the
first one copied in) is added to its reporters: counted, and owed a
follow-up like the first. The team answering in the thread is not, and a
person already there is not added twice.'

. ./test-lib.sh

# msg FROM DATE ID [PARENT]: one mbox message about the export.
msg () {
	echo "From x Mon Nov  9 10:00:00 2026"
	echo "From: $1"
	echo "To: support@example.com"
	echo "Subject: ${4:+Re: }Export to CSV drops the last row"
	echo "Date: $2"
	echo "Message-ID: <$3@example.org>"
	test -z "$4" || echo "In-Reply-To: <$4@example.org>"
	echo
	echo "Message $3 about the export."
	echo
}

test_expect_success 'setup: a thread with a colleague copied in, and our own answer' '
	psm init &&
	sed "s/^owners: \[\]/owners:\\
- Pat Team <pat@team.example>/" .psm/config.yml >tmp && mv tmp .psm/config.yml &&
	git commit -q -m owners .psm/config.yml &&
	{
		msg "Dana Ortiz <dana@acme.example>" "Mon, 09 Nov 2026 10:00:00 +0000" t1 &&
		msg "Raj Patel <RAJ@acme.example>" "Mon, 09 Nov 2026 11:00:00 +0000" t2 t1 &&
		msg "Pat Team <pat@team.example>" "Mon, 09 Nov 2026 12:00:00 +0000" t3 t2 &&
		msg "Raj Patel <raj@acme.example>" "Mon, 09 Nov 2026 13:00:00 +0000" t4 t3 &&
		msg "author@example.com" "Mon, 09 Nov 2026 13:30:00 +0000" t5 t4
	} >thread.mbox &&
	psm intake --mbox thread.mbox >out 2>err &&
	printf "new\nreply\nreply\nreply\nreply\n" >expect &&
	cut -f1 out >actions &&
	test_cmp expect actions &&
	sed -n 1p out | cut -f2 >A &&
	psm check
'

test_expect_success 'the colleague is a reporter, once; the team answering is not' '
	p=$(path_of $(cat A)) &&
	awk "/^reporters:/ { on = 1; next } on && /^[a-z]/ { exit } on" "$p" >reps &&
	cat >expect <<-\EOF &&
	- name: Dana Ortiz
	  email: dana@acme.example
	  channel: email
	  at: 2026-11-09T10:00:00Z
	  ref: <t1@example.org>
	- name: Raj Patel
	  email: RAJ@acme.example
	  channel: email
	  at: 2026-11-09T11:00:00Z
	  ref: <t2@example.org>
	EOF
	test_cmp expect reps &&
	psm show --format json $(cat A) | grep "\"reporter_count\": 2," &&
	psm list --format tsv | grep "^$(id_of $(cat A))	new	.*	2	" &&
	! grep "pat@team.example" reps &&
	! grep "author@example.com" reps &&
	# Raj wrote twice; Pat (an owner) and the git identity answered
	grep "^### .* — " "$(path_of $(cat A))" | cut -d" " -f2- >entries &&
	cat >expect <<-\EOF &&
	2026-11-09T11:00:00Z customer — Raj Patel <RAJ@acme.example>
	2026-11-09T12:00:00Z reply — Pat Team <pat@team.example>
	2026-11-09T13:00:00Z customer — Raj Patel <raj@acme.example>
	2026-11-09T13:30:00Z reply — author@example.com
	EOF
	test_cmp expect entries &&
	test "$(field $(cat A) responded)" = "\"2026-11-09T12:00:00Z\""
'

test_expect_success 'both people are owed the follow-up' '
	psm close $(cat A) -r fixed &&
	psm followup >out &&
	grep "^  to Dana Ortiz <dana@acme.example> via email\$" out &&
	grep "^  to Raj Patel <RAJ@acme.example> via email\$" out &&
	tail -n 1 out | grep "^2 people on 1 closed issue"
'

test_expect_success 'a newcomer after the follow-up is owed alone; the others stay told' '
	test_tick &&
	psm followup $(cat A) --done &&
	msg "Lee Wu <lee@acme.example>" "Tue, 10 Nov 2026 09:00:00 +0000" t6 t4 >late.mbox &&
	psm intake --mbox late.mbox >out &&
	grep "^reply	" out &&
	psm followup >out &&
	grep "^  to Lee Wu <lee@acme.example> via email\$" out &&
	grep "^  told Dana Ortiz <dana@acme.example> " out &&
	grep "^  told Raj Patel <RAJ@acme.example> " out &&
	tail -n 1 out | grep "^1 person on 1 closed issue" &&
	psm show --format json $(cat A) | grep "\"reporter_count\": 3," &&
	# the same mailboxes again add nothing
	before=$(git rev-parse HEAD) &&
	psm intake --mbox thread.mbox late.mbox >out 2>err &&
	test "$(git rev-parse HEAD)" = "$before" &&
	test $(grep -c "^skipped	" out) = 6
'

test_expect_success 'a teammate of the config'"'"'s team list writing in the thread is not added' '
	psm triage $(cat A) --keep-closed &&
	cat >>.psm/config.yml <<-\EOF &&
	team:
	- ourapp.example
	EOF
	git commit -q -m team .psm/config.yml &&
	msg "Mo Support <mo@eu.ourapp.example>" "Wed, 11 Nov 2026 09:00:00 +0000" t7 t6 >team.mbox &&
	psm intake --mbox team.mbox >out &&
	grep "^reply	" out &&
	awk "/^reporters:/ { on = 1; next } on && /^[a-z]/ { exit } on" \
		"$(path_of $(cat A))" >reps &&
	test $(grep -c "^- name:" reps) = 3 &&
	! grep "ourapp" reps &&
	psm show --format json $(cat A) | grep "\"reporter_count\": 3," &&
	# what Mo wrote is on the timeline all the same, as the team'"'"'s reply,
	# and the closed issue stays out of the triage queue
	grep "^### 2026-11-11T09:00:00Z reply — Mo Support <mo@eu.ourapp.example>\$" \
		"$(path_of $(cat A))" &&
	test "$(field $(cat A) customer_replied)" = null &&
	psm triage --queue --format json >q.json &&
	! grep "$(id_of $(cat A))" q.json
'

test_done
