#!/bin/sh

test_description='the same message taken in on two clones

Intake is idempotent per clone; two clones that take in the same mailbox
before they sync make two issues, which git merges without a conflict.
psm check reports each such pair (a shared Message-ID, external ID or
threaded reply) as an error naming both files and the psm dup that merges
them; psm dup then carries the replies the kept issue lacks, never one it
already holds, and later replies thread into the kept issue.'

. ./test-lib.sh

# msg ID SUBJECT DATE [PARENT]: one message of an mbox on stdout
msg () {
	echo "From MAILER-DAEMON Thu Jan  1 00:00:00 1970"
	echo "From: Dana Ortiz <dana@acme.example>"
	echo "To: support@example.com"
	echo "Subject: ${4:+Re: }$2"
	echo "Date: $3"
	echo "Message-ID: <$1@acme.example>"
	test -z "$4" || echo "In-Reply-To: <$4@acme.example>"
	echo
	echo "Message $1 about $2."
	echo
}

test_expect_success 'setup: a hub and two clones' '
	git init -q --bare hub.git &&
	git init -q one &&
	(cd one && psm init >/dev/null && git remote add origin ../hub.git &&
	 git push -q origin HEAD:main) &&
	git clone -q -b main hub.git two &&
	msg m1 "Export drops the last row" "Fri, 20 Nov 2026 08:00:00 +0000" >m1.mbox &&
	{ cat m1.mbox && msg m2 "Export drops the last row" "Fri, 20 Nov 2026 09:00:00 +0000" m1; } >m12.mbox &&
	{ msg x1 "Invoices in the wrong currency" "Fri, 20 Nov 2026 10:00:00 +0000" &&
	  msg x2 "Invoices in the wrong currency" "Fri, 20 Nov 2026 11:00:00 +0000" x1; } >x.mbox
'

test_expect_success 'each clone takes the mail in on its own; they sync without a conflict' '
	(cd one && psm intake --mbox ../m1.mbox >../out && cut -f2 ../out >../A1 &&
	 psm triage $(cat ../A1) --impact core >/dev/null &&
	 psm note $(cat ../A1) -m "Asked Dana for the export file." >/dev/null &&
	 psm intake --mbox ../x.mbox >../out &&
	 git push -q origin HEAD:main) &&
	(cd two && psm intake --mbox ../m12.mbox >../out && sed -n 1p ../out | cut -f2 >../A2 &&
	 grep "^reply	$(cat ../A2)	" ../out &&
	 psm intake --mbox ../x.mbox >../out &&
	 git pull -q --no-rebase origin main && git push -q origin HEAD:main) &&
	(cd one && git pull -q --no-rebase origin main && git status --porcelain >../st &&
	 test_line_count = 0 ../st && psm list --format tsv >../list && test_line_count = 4 ../list &&
	 psm intake --mbox ../m12.mbox >../out 2>../err) &&
	grep -c "^skipped" out >n && echo 2 >expect && test_cmp expect n
'

test_expect_success 'psm check names both files and the psm dup that merges them' '
	(cd one && test_expect_code 1 psm check >../check) &&
	test_line_count = 2 check &&
	a1=$(cd one && path_of $(cat ../A1)) && a2=$(cd one && path_of $(cat ../A2)) &&
	grep "^$a2:[0-9]*:[0-9]*: error: the same source reference .<m1@acme.example>. as .$a1.: one item taken in twice (on two clones?); merge them: psm dup $(cat A2) --of $(cat A1)\$" check &&
	grep "error: the same source reference .<x1@acme.example>. as .issues/.*; merge them: psm dup [0-9a-z]* --of [0-9a-z]*\$" check &&
	(cd one && test_expect_code 1 psm check --format json >../check.json) &&
	grep "\"message\": \"the same source reference" check.json
'

test_expect_success 'psm dup as suggested: replies carried once, nothing doubled' '
	sed -n "s/.*merge them: //p" check >cmds &&
	(cd one && while read cmd
	 do
		$cmd >/dev/null || return 1
	 done <../cmds &&
	 psm check &&
	 a1=$(path_of $(cat ../A1)) && a2=$(path_of $(cat ../A2)) &&
	 echo 1 >../expect &&
	 grep -c "psm-ref: <m2@acme.example>" "$a1" >../n && test_cmp ../expect ../n &&
	 grep -c "psm-ref: <m2@acme.example>" "$a2" >../n && test_cmp ../expect ../n &&
	 grep -c "^- name: Dana Ortiz" "$a1" >../n && test_cmp ../expect ../n &&
	 test "$(field $(cat ../A2) duplicate_of)" = "$(field $(cat ../A1) id)" &&
	 xt=$(grep "<x1@acme.example>" ../check | sed "s/.*--of //") &&
	 grep -c "psm-ref: <x2@acme.example>" "$(path_of $xt)" >../n && test_cmp ../expect ../n &&
	 grep -c "^- name: Dana Ortiz" "$(path_of $xt)" >../n && test_cmp ../expect ../n &&
	 git status --porcelain >../st && test_line_count = 0 ../st)
'

test_expect_success 'the carried reply keeps its place in time; a new reply goes to the kept issue' '
	(cd one && a1=$(path_of $(cat ../A1)) &&
	 grep "^### " "$a1" >../heads &&
	 sed -n 1p ../heads | grep "^### 2026-11-20T09:00:00Z customer — Dana Ortiz" &&
	 sed -n 2p ../heads | grep "^### 2026-11-20T10:0.:00Z note — " &&
	 msg m3 "Export drops the last row" "Mon, 23 Nov 2026 09:00:00 +0000" m2 >../m3.mbox &&
	 psm intake --mbox ../m3.mbox >../out &&
	 grep "^reply	$(cat ../A1)	" ../out &&
	 ! grep -c "m3@acme" "$(path_of $(cat ../A2))" &&
	 git push -q origin HEAD:main)
'

test_expect_success 'the other clone takes it all cleanly' '
	(cd two && git pull -q --no-rebase origin main && psm check &&
	 git status --porcelain >../st && test_line_count = 0 ../st && git fsck --no-progress 2>&1 | grep -v "^dangling" >../fsck; test_line_count = 0 ../fsck) &&
	(cd one && git fsck --no-progress 2>&1 | grep -v "^dangling" >../fsck; test_line_count = 0 ../fsck)
'

test_expect_success 'a chat export taken in on both clones: (source, external_id) shared' '
	echo "{\"external_id\": \"T-17\", \"title\": \"Cannot invite a teammate\", \"source\": \"chat\"}" >chat.jsonl &&
	(cd one && psm intake --jsonl ../chat.jsonl >/dev/null && git push -q origin HEAD:main) &&
	(cd two && git pull -q --no-rebase origin main && git reset -q --hard HEAD~1 &&
	 psm intake --jsonl ../chat.jsonl >/dev/null && git pull -q --no-rebase origin main &&
	 test_expect_code 1 psm check >../check) &&
	test_line_count = 1 check &&
	grep "error: the same source .chat. and external_id .T-17. as .issues/.*; merge them: psm dup [0-9a-z]* --of [0-9a-z]*\$" check &&
	cmd=$(sed "s/.*merge them: //" check) &&
	(cd two && $cmd >/dev/null && psm check)
'

test_done
