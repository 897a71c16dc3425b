#!/bin/sh

test_description='psm intake --email, --mbox and --maildir

Messages from t/t6000/ (written for these tests): encoded-word subjects,
multipart/alternative, HTML-only mail, non-UTF-8 charsets, attachments, a
file that is not mail, an mbox with a headerless message, replies threading
onto the issue they answer, and re-imports that add nothing.'

. ./test-lib.sh

F=$TEST_DIRECTORY/t6000

# body_of_title TITLE: the body of the one issue with that title
body_of_title () {
	f=$(grep -l "^title: $1\$" issues/*/*.md) &&
	test $(echo "$f" | wc -l) = 1 &&
	sed '1,/^---$/d' "$f"
}

test_expect_success 'setup' '
	git init -q &&
	psm init
'

test_expect_success 'a batch of messages is one commit; a broken one fails alone' '
	before=$(test_commit_count) &&
	test_expect_code 1 psm intake --email "$F/encoded-b.eml" "$F/encoded-q.eml" \
		"$F/alternative.eml" "$F/html-only.eml" "$F/windows-1252.eml" \
		"$F/attachment.eml" "$F/broken.eml" >out 2>err &&
	test $(test_commit_count) = $((before + 1)) &&
	grep -c "^new	" out >count &&
	echo 6 >expect &&
	test_cmp expect count &&
	grep "broken.eml: not an e-mail message" err &&
	grep "intake: 6 new, 1 failed" err &&
	git log -1 --format=%s >msg &&
	echo "psm intake: 6 new" >expect &&
	test_cmp expect msg &&
	git status --porcelain issues >status &&
	test_line_count = 0 status
'

test_expect_success 'encoded-word subjects are decoded, Re:/Fwd:/[list] dropped' '
	grep -x "title: Café checkout fails" issues/*/*.md &&
	grep -x "title: Résumé upload broken" issues/*/*.md &&
	grep -x "  email: zoe@example.no" issues/*/*.md &&
	grep -x -- "- name: Zoë Ødegaard" issues/*/*.md &&
	grep -x -- "- name: Renée Dupré" issues/*/*.md
'

test_expect_success 'From, Date and Message-ID become reporter, created and ref' '
	f=$(grep -l "title: Café checkout fails" issues/*/*.md) &&
	grep -x "source: email" "$f" &&
	grep -x "  channel: email" "$f" &&
	grep -x "  ref: <b64-subject@example.no>" "$f" &&
	grep -x "created: 2026-11-02T08:15:00Z" "$f" &&
	grep -x "  at: 2026-11-02T08:15:00Z" "$f"
'

test_expect_success 'quoted-printable ISO-8859-1 becomes UTF-8' '
	body_of_title "Résumé upload broken" >body &&
	grep "Grüße aus Köln! The résumé upload says \"file too large\" for a 200 KB PDF." body
'

test_expect_success 'windows-1252 8bit text becomes UTF-8' '
	body_of_title "Price shows wrong currency" >body &&
	grep "The price shows € instead of £ – “café” menu." body
'

test_expect_success 'multipart/alternative: the text/plain part is the body' '
	body_of_title "Export button greyed out" >body &&
	echo "The plain part: the export button stays grey." >expect &&
	test_cmp expect body
'

test_expect_success 'HTML-only mail becomes readable text' '
	body_of_title "Invoice PDF is blank" >body &&
	cat >expect <<-\EOF &&
	Hello,

	the invoice PDF for March is blank & the download takes ages.

	- Chrome 130
	- Firefox 131

	See my screenshot (https://example.jp/shot.png).
	Thanks
	EOF
	test_cmp expect body
'

test_expect_success 'attachments are named in the body, not stored' '
	body_of_title "Invoice total is wrong" >body &&
	tail -n 1 body >last &&
	echo "Attachments: invoice-1043.pdf (application/pdf), screen.png (image/png)" >expect &&
	test_cmp expect last &&
	! grep -r "PDF-1.4" issues
'

test_expect_success 'the same messages again add nothing' '
	before=$(test_commit_count) &&
	psm intake --email "$F/encoded-b.eml" "$F/encoded-q.eml" "$F/alternative.eml" >out 2>err &&
	test $(test_commit_count) = $before &&
	cut -f1 out >actions &&
	printf "skipped\nskipped\nskipped\n" >expect &&
	test_cmp expect actions &&
	grep "already taken in (same Message-ID)" out &&
	grep "intake: 0 new, 3 skipped" err
'

test_expect_success 'a reply joins the timeline of the issue it answers' '
	test_tick &&
	psm intake --email <"$F/reply.eml" >out &&
	cut -f1 out >action &&
	echo reply >expect &&
	test_cmp expect action &&
	f=$(grep -l "title: Export button greyed out" issues/*/*.md) &&
	grep -x "### 2026-11-05T14:00:00Z customer — Pat Plain <pat@example.com>" "$f" &&
	grep -x "It also happens in the desktop app." "$f" &&
	grep -x "<!-- psm-ref: <reply-1@example.com> -->" "$f" &&
	grep -x "updated: $PSM_NOW" "$f" &&
	test $(ls issues/*/*.md | wc -l) = 6 &&
	psm check
'

test_expect_success 'the reply taken in twice is skipped' '
	psm intake --email "$F/reply.eml" >out &&
	cut -f1 out >action &&
	echo skipped >expect &&
	test_cmp expect action &&
	f=$(grep -l "title: Export button greyed out" issues/*/*.md) &&
	test $(grep -c "psm-ref: <reply-1@example.com>" "$f") = 1
'

test_expect_success 'mbox: message number and byte offset of a bad message' '
	before=$(test_commit_count) &&
	test_expect_code 1 psm intake --mbox "$F/support.mbox" >out 2>err &&
	test $(test_commit_count) = $((before + 1)) &&
	grep "support.mbox, message 2 (byte 264): not an e-mail message: no From, Subject, Date or Message-ID header" err &&
	cut -f1 out >actions &&
	printf "new\nnew\nreply\n" >expect &&
	test_cmp expect actions &&
	grep -x "title: Password reset mail never arrives" issues/*/*.md &&
	grep -x "title: Dark mode request" issues/*/*.md
'

test_expect_success 'mbox: a reply found through References threads too' '
	f=$(grep -l "title: Password reset mail never arrives" issues/*/*.md) &&
	grep -x "### 2026-11-09T12:00:00Z customer — Kim Mbox <kim@example.org>" "$f" &&
	grep -x "Still nothing, and I checked the spam folder." "$f"
'

test_expect_success 'a file that is not an mbox is reported' '
	echo "hello" >not.mbox &&
	test_expect_code 1 psm intake --mbox not.mbox 2>err &&
	grep "not.mbox: .not.mbox. is not an mbox" err
'

test_expect_success 'maildir: cur/ and new/ are read, tmp/ is not; re-run adds nothing' '
	mkdir -p md/cur md/new md/tmp &&
	sed "s/alternative@/md-1@/" "$F/alternative.eml" >md/cur/1.eml &&
	sed "s/reply-1@/md-2@/; s/<alternative@/<md-1@/g" "$F/reply.eml" >md/new/2.eml &&
	cp "$F/html-only.eml" md/tmp/3.eml &&
	psm intake --maildir md >out &&
	cut -f1 out >actions &&
	printf "new\nreply\n" >expect &&
	test_cmp expect actions &&
	psm intake --maildir md >out &&
	cut -f1 out >actions &&
	printf "skipped\nskipped\n" >expect &&
	test_cmp expect actions
'

test_expect_success 'the summary counts in words: one reply, two replies' '
	mkdir -p md2/new &&
	sed "s/alternative@/md-3@/" "$F/alternative.eml" >md2/new/1.eml &&
	sed "s/reply-1@/md-4@/; s/<alternative@/<md-3@/g" "$F/reply.eml" >md2/new/2.eml &&
	sed "s/reply-1@/md-5@/; s/<alternative@/<md-3@/g" "$F/reply.eml" >md2/new/3.eml &&
	psm intake --maildir md2 >out 2>err &&
	grep -x "intake: 1 new, 2 replies" err &&
	git log -1 --format=%s >msg &&
	echo "psm intake: 1 new, 2 replies" >expect &&
	test_cmp expect msg
'

test_expect_success '--format json reports every item, failures too' '
	test_expect_code 1 psm intake --format json --email "$F/broken.eml" "$F/attachment.eml" >out.json &&
	grep "\"action\": \"failed\"" out.json &&
	grep "\"action\": \"skipped\"" out.json &&
	grep "\"failed\": 1" out.json
'

test_expect_success JQ '--format json is valid JSON with counts' '
	psm intake --format json --email "$F/attachment.eml" >out.json &&
	jq -r ".counts.skipped, .items[0].action, .items[0].where, .version" out.json >actual &&
	printf "1\nskipped\n%s\n1\n" "$F/attachment.eml" >expect &&
	test_cmp expect actual
'

test_expect_success '--source, --customer, --label and --type apply to new issues' '
	sed "s/attachment@/defaults@/; s/Invoice total is wrong/Defaults apply/" \
		"$F/attachment.eml" >d.eml &&
	psm intake --email --source form --customer Acme -l billing --type bug d.eml &&
	f=$(grep -l "title: Defaults apply" issues/*/*.md) &&
	grep -x "source: form" "$f" &&
	grep -x "customer: Acme" "$f" &&
	grep -x "type: bug" "$f" &&
	grep -x -- "- billing" "$f"
'

test_expect_success 'batch options do not mix with -t, or with each other' '
	test_expect_code 129 psm intake --email -t x "$F/reply.eml" &&
	test_expect_code 129 psm intake --email --mbox "$F/reply.eml" &&
	test_expect_code 129 psm intake --email --map a=title "$F/reply.eml"
'

test_expect_success '--no-commit writes the files only' '
	before=$(test_commit_count) &&
	sed "s/attachment@/nocommit@/; s/Invoice total is wrong/Not committed/" \
		"$F/attachment.eml" >n.eml &&
	psm intake --no-commit --email n.eml &&
	test $(test_commit_count) = $before &&
	grep -l "title: Not committed" issues/*/*.md
'

# Every message of the notmuch corpus is accounted for exactly once.
test_expect_success 'a customer'"'"'s message the team forwarded: its author is the reporter' '
	cat >>.psm/config.yml <<-\EOF &&
	team:
	- ourapp.example
	EOF
	git commit -q -m team .psm/config.yml &&
	cat >fwd.eml <<-\EOF &&
	From: Mo Support <mo@ourapp.example>
	To: support@ourapp.example
	Subject: Fwd: Saved card declined at checkout
	Date: Mon, 07 Dec 2026 08:00:00 +0000
	Message-ID: <fwd-1@ourapp.example>

	From the sales inbox.

	---------- Forwarded message ---------
	From: Zoe Kim <zoe@customer.example>
	Date: Sun, Dec 6, 2026 at 9:14 PM
	Subject: Saved card declined at checkout
	To: <sales@ourapp.example>

	Paying with my saved card fails every time.
	EOF
	psm intake --email fwd.eml >out &&
	id=$(cut -f2 out) &&
	psm show --format json $id >json &&
	grep "\"name\": \"Zoe Kim\"" json &&
	grep "\"email\": \"zoe@customer.example\"" json &&
	grep "\"ref\": \"<fwd-1@ourapp.example>\"" json &&
	! grep "\"email\": \"mo@ourapp.example\"" json &&
	grep "^title: Saved card declined at checkout\$" "$(path_of $id)"
'

test_expect_success 'a forward from outside the team, or without a block, keeps its sender' '
	sed -e "s/mo@ourapp.example/pat@partner.example/" -e "s/fwd-1@/fwd-2@/" fwd.eml >partner.eml &&
	psm intake --email partner.eml >out &&
	psm show --format json $(cut -f2 out) >json &&
	grep "\"email\": \"pat@partner.example\"" json &&
	! grep "\"email\": \"zoe@customer.example\"" json &&
	sed -e "/Forwarded message/d" -e "s/fwd-1@/fwd-3@/" fwd.eml >plain.eml &&
	psm intake --email plain.eml >out &&
	psm show --format json $(cut -f2 out) >json &&
	grep "\"email\": \"mo@ourapp.example\"" json
'

test_expect_success 'mail no person wrote is named and skipped, never a reply' '
	f=$(grep -l "psm-ref: <reply-1@example.com>" issues/*/*.md) &&
	id=$(basename "$f" .md) &&
	psm close $id --resolution fixed >/dev/null &&
	cp "$f" closed.md &&
	cat >ooo.eml <<-\EOF &&
	From: Pat Plain <pat@example.com>
	Subject: Automatic reply: Re: Export button greyed out
	Date: Tue, 08 Dec 2026 09:00:00 +0000
	Message-ID: <ooo-1@example.com>
	In-Reply-To: <reply-1@example.com>
	Auto-Submitted: auto-replied

	I am away until 4 January.
	EOF
	cat >bounce.eml <<-\EOF &&
	Return-Path: <>
	From: Mail Delivery System <MAILER-DAEMON@mx.example.com>
	Subject: Undelivered Mail Returned to Sender
	Date: Tue, 08 Dec 2026 09:05:00 +0000
	Message-ID: <bounce-1@mx.example.com>
	MIME-Version: 1.0
	Content-Type: multipart/report; report-type=delivery-status; boundary="B"

	--B
	Content-Type: text/plain

	<pat@example.com>: 550 5.1.1 User unknown
	--B
	Content-Type: message/delivery-status

	Action: failed
	--B
	Content-Type: text/rfc822-headers

	From: us@ourapp.example
	Message-Id: <our-followup@ourapp.example>
	In-Reply-To: <reply-1@example.com>
	--B--
	EOF
	cat >receipt.eml <<-\EOF &&
	From: Pat Plain <pat@example.com>
	Subject: Read: Re: Export button greyed out
	Date: Tue, 08 Dec 2026 09:10:00 +0000
	Message-ID: <mdn-1@example.com>
	In-Reply-To: <reply-1@example.com>
	MIME-Version: 1.0
	Content-Type: multipart/report; report-type=disposition-notification; boundary="R"

	--R
	Content-Type: text/plain

	Your message was displayed.
	--R
	Content-Type: message/disposition-notification

	Disposition: manual-action/MDN-sent-manually; displayed
	--R--
	EOF
	cat >vacation.eml <<-\EOF &&
	From: Zed <zed@other.example>
	Subject: Re: our newsletter
	Date: Tue, 08 Dec 2026 10:00:00 +0000
	Message-ID: <vac-1@other.example>
	X-Autoreply: yes

	Away until Monday.
	EOF
	cat >notice.eml <<-\EOF &&
	From: Help Desk <helpdesk@example.com>
	Subject: [#4411] Re: Export button greyed out
	Date: Tue, 08 Dec 2026 10:30:00 +0000
	Message-ID: <notice-1@example.com>
	In-Reply-To: <reply-1@example.com>
	Auto-Submitted: auto-generated

	We received your message and opened ticket #4411.
	EOF
	before=$(test_commit_count) &&
	n=$(ls issues/*/*.md | wc -l) &&
	psm intake --email ooo.eml bounce.eml receipt.eml vacation.eml notice.eml >out 2>err &&
	short=$(printf %.7s $id) &&
	printf "skipped\t$short\tooo.eml\tnot taken in: an automatic reply (Auto-Submitted: auto-replied)\n" >expect &&
	printf "skipped\t$short\tbounce.eml\tnot taken in: a delivery report (multipart/report); mail sent for this issue may not have arrived\n" >>expect &&
	printf "skipped\t$short\treceipt.eml\tnot taken in: a read receipt (multipart/report)\n" >>expect &&
	printf "skipped\t-\tvacation.eml\tnot taken in: an automatic reply (X-Autoreply)\n" >>expect &&
	printf "skipped\t$short\tnotice.eml\tnot taken in: an automatic message (Auto-Submitted: auto-generated)\n" >>expect &&
	test_cmp expect out &&
	grep "intake: 0 new, 5 skipped" err &&
	test $(test_commit_count) = $before &&
	test $(ls issues/*/*.md | wc -l) = $n &&
	test_cmp closed.md "$f" &&
	psm triage --queue --format json >q.json &&
	! grep "\"$id\"" q.json
'

# dsn_mail FILE DATE MESSAGE-ID ACTION: a delivery report of the message
# <psm.fu-1@ourapp.example>, as Postfix writes one (a folded
# Diagnostic-Code)
dsn_mail () {
	cat >"$1" <<-EOF
	Return-Path: <>
	From: Mail Delivery System <MAILER-DAEMON@mx.example.com>
	Subject: Undelivered Mail Returned to Sender
	Date: $2
	Message-ID: $3
	MIME-Version: 1.0
	Content-Type: multipart/report; report-type=delivery-status; boundary="B"

	--B
	Content-Type: text/plain

	I am sorry to have to inform you that your message could not be delivered.
	--B
	Content-Type: message/delivery-status

	Reporting-MTA: dns; mx.example.com

	Final-Recipient: rfc822; pat@example.com
	Action: $4
	Status: 5.1.1
	Diagnostic-Code: smtp; 550 5.1.1 <pat@example.com>: Recipient address
	    rejected: User unknown
	--B
	Content-Type: message/rfc822

	From: us@ourapp.example
	To: pat@example.com
	Subject: Re: Export button greyed out
	Message-ID: <psm.fu-1@ourapp.example>
	In-Reply-To: <reply-1@example.com>

	It is fixed.
	--B--
	EOF
}

test_expect_success 'a bounce of a follow-up makes its person owed one again' '
	f=$(grep -l "psm-ref: <reply-1@example.com>" issues/*/*.md) &&
	id=$(basename "$f" .md) && short=$(printf %.7s $id) &&
	PSM_NOW=2026-12-08T08:00:00Z psm followup $id --done --ref "<psm.fu-1@ourapp.example>" \
		--reporter pat@example.com >/dev/null &&
	psm followup --format json >owed.json &&
	! grep "\"$id\"" owed.json &&
	dsn_mail dsn.eml "Tue, 08 Dec 2026 09:30:00 +0000" "<dsn-1@mx.example.com>" failed &&
	before=$(test_commit_count) &&
	psm intake --email dsn.eml >out 2>err &&
	printf "updated\t$short\tdsn.eml\ta delivery report (multipart/report): the follow-up to pat@example.com did not arrive (550 5.1.1 <pat@example.com>: Recipient address rejected: User unknown): owed one again\n" >expect &&
	test_cmp expect out &&
	test $(test_commit_count) = $((before + 1)) &&
	grep -x "  bounced: 2026-12-08T09:30:00Z" "$f" &&
	grep -x "  bounce: '"'"'550 5.1.1 <pat@example.com>: Recipient address rejected: User unknown'"'"'" "$f" &&
	psm check &&
	psm followup --format json >owed.json &&
	grep "\"$id\"" owed.json &&
	grep "\"bounced\": \"2026-12-08T09:30:00Z\"" owed.json &&
	grep "\"state\": \"owed\"" owed.json &&
	psm followup $id >text &&
	grep -F "  (the follow-up sent 2026-12-08 came back 2026-12-08: 550 5.1.1" text &&
	grep -x "   a wrong address: mend it with psm edit $short, then send again)" text &&
	psm show $id >shown &&
	grep "owed to Pat Plain <pat@example.com>: the follow-up sent 2026-12-08T08:00:00Z came back 2026-12-08T09:30:00Z (550 5.1.1" shown &&
	psm log $id >log &&
	grep "follow-up came back: pat@example.com (550 5.1.1 <pat@example.com>: Recipient address rejected: User unknown)" log &&
	git status --porcelain "$f" >status &&
	! test -s status
'

test_expect_success 'the same bounce again, or a delay, changes nothing' '
	f=$(grep -l "psm-ref: <reply-1@example.com>" issues/*/*.md) &&
	id=$(basename "$f" .md) && short=$(printf %.7s $id) &&
	dsn_mail delay.eml "Tue, 08 Dec 2026 09:40:00 +0000" "<dsn-2@mx.example.com>" delayed &&
	before=$(test_commit_count) &&
	cp "$f" before.md &&
	psm intake --email dsn.eml delay.eml >out 2>err &&
	printf "skipped\t$short\tdsn.eml\tnot taken in: a delivery report (multipart/report): the follow-up to pat@example.com did not arrive (550 5.1.1 <pat@example.com>: Recipient address rejected: User unknown); recorded already\n" >expect &&
	printf "skipped\t$short\tdelay.eml\tnot taken in: a delivery report (multipart/report); mail sent for this issue is delayed, not lost yet\n" >>expect &&
	test_cmp expect out &&
	test $(test_commit_count) = $before &&
	test_cmp before.md "$f"
'

test_expect_success 'told again, the old bounce no longer counts' '
	f=$(grep -l "psm-ref: <reply-1@example.com>" issues/*/*.md) &&
	id=$(basename "$f" .md) && short=$(printf %.7s $id) &&
	PSM_NOW=2026-12-08T12:00:00Z psm followup $id --done --ref "<psm.fu-1@ourapp.example>" \
		--reporter pat@example.com >/dev/null &&
	! grep "bounce" "$f" &&
	psm followup --format json >owed.json &&
	! grep "\"$id\"" owed.json &&
	before=$(test_commit_count) &&
	psm intake --email dsn.eml >out 2>err &&
	printf "skipped\t$short\tdsn.eml\tnot taken in: a delivery report (multipart/report); mail sent for this issue may not have arrived\n" >expect &&
	test_cmp expect out &&
	test $(test_commit_count) = $before
'

test_expect_success 'a program'"'"'s message that answers nothing psm holds is taken in' '
	cat >form.eml <<-\EOF &&
	From: Forms <notifications@forms.example>
	Subject: New contact form submission
	Date: Tue, 08 Dec 2026 10:45:00 +0000
	Message-ID: <form-1@forms.example>
	Auto-Submitted: auto-generated
	Return-Path: <>

	Name: Ana Lima
	Message: The invoice PDF is blank when I download it.
	EOF
	psm intake --email form.eml >out &&
	cut -f1 out >action &&
	echo new >expect &&
	test_cmp expect action &&
	body_of_title "New contact form submission" >body &&
	grep -x "Message: The invoice PDF is blank when I download it." body
'

test_expect_success 'a person'"'"'s reply through a mailing list is still a reply' '
	f=$(grep -l "psm-ref: <reply-1@example.com>" issues/*/*.md) &&
	cat >listed.eml <<-\EOF &&
	From: Pat Plain <pat@example.com>
	Subject: Re: [support] Export button greyed out
	Date: Tue, 08 Dec 2026 11:00:00 +0000
	Message-ID: <listed-1@example.com>
	In-Reply-To: <reply-1@example.com>
	Precedence: list
	List-Id: <support.ourapp.example>

	Still greyed out for me.
	EOF
	psm intake --email listed.eml >out &&
	cut -f1 out >action &&
	echo reply >expect &&
	test_cmp expect action &&
	grep -x "Still greyed out for me." "$f" &&
	grep "^customer_replied: " "$f"
'

test_expect_success 'a reply keeps its own text, not the thread quoted under it' '
	f=$(grep -l "psm-ref: <reply-1@example.com>" issues/*/*.md) &&
	cat >quoting.eml <<-\EOF &&
	From: Pat Plain <pat@example.com>
	Subject: Re: Export button greyed out
	Date: Tue, 08 Dec 2026 12:00:00 +0000
	Message-ID: <quoting-1@example.com>
	In-Reply-To: <listed-1@example.com>

	Found it: it is greyed out only in Safari.

	On Tue, Dec 8, 2026 at 11:00 AM Pat Plain <pat@example.com>
	wrote:
	> Still greyed out for me.
	>
	> On Nov 5, 2026, at 14:00, Pat Plain wrote:
	> > It also happens in the desktop app.
	EOF
	cat >between.eml <<-\EOF &&
	From: Pat Plain <pat@example.com>
	Subject: Re: Export button greyed out
	Date: Tue, 08 Dec 2026 13:00:00 +0000
	Message-ID: <between-1@example.com>
	In-Reply-To: <quoting-1@example.com>

	On Tue, Dec 8, 2026, Mo Support wrote:
	> Which version of Safari?
	17.1
	> On which macOS?
	Sonoma
	EOF
	psm intake --email quoting.eml between.eml >out &&
	cut -f1 out >actions &&
	printf "reply\nreply\n" >expect &&
	test_cmp expect actions &&
	sed -n "/^### 2026-12-08T12:00:00Z customer/,/^<!-- psm-ref: <quoting-1/p" "$f" >entry &&
	cat >expect <<-\EOF &&
	### 2026-12-08T12:00:00Z customer — Pat Plain <pat@example.com>

	Found it: it is greyed out only in Safari.

	<!-- psm-quote: 6 lines of the message it answers left out -->
	<!-- psm-ref: <quoting-1@example.com> -->
	EOF
	test_cmp expect entry &&
	grep -x "> On which macOS?" "$f" &&
	grep -x "Sonoma" "$f" &&
	grep -x "> Which version of Safari?" "$f" &&
	psm check
'

test_expect_success 'an HTML-only reply: its blockquote or rule and header block go too' '
	f=$(grep -l "psm-ref: <reply-1@example.com>" issues/*/*.md) &&
	cat >gmail-html.eml <<-\EOF &&
	From: Pat Plain <pat@example.com>
	Subject: Re: Export button greyed out
	Date: Tue, 08 Dec 2026 14:00:00 +0000
	Message-ID: <html-reply-1@example.com>
	In-Reply-To: <between-1@example.com>
	MIME-Version: 1.0
	Content-Type: text/html; charset=utf-8

	<div dir="ltr">Safari 17.2 fixed it, thanks!</div><br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">On Tue, Dec 8, 2026 at 1:30 PM Mo Support &lt;<a href="mailto:mo@example.com">mo@example.com</a>&gt; wrote:<br></div><blockquote class="gmail_quote"><div>Could you try Safari 17.2?</div><div><br></div><div>Mo</div></blockquote></div>
	EOF
	cat >outlook-html.eml <<-\EOF &&
	From: Pat Plain <pat@example.com>
	Subject: RE: Export button greyed out
	Date: Tue, 08 Dec 2026 15:00:00 +0000
	Message-ID: <html-reply-2@example.com>
	In-Reply-To: <html-reply-1@example.com>
	MIME-Version: 1.0
	Content-Type: text/html; charset=utf-8

	<div>And the desktop app works too.</div><hr style="display:inline-block;width:98%"><div id="divRplyFwdMsg"><font><b>From:</b> Mo Support &lt;mo@example.com&gt;<br><b>Sent:</b> Tuesday, December 8, 2026 2:30 PM<br><b>Subject:</b> Re: Export button greyed out</font><div>&nbsp;</div></div><div>And the desktop app?</div>
	EOF
	psm intake --email gmail-html.eml outlook-html.eml >out &&
	cut -f1 out >actions &&
	printf "reply\nreply\n" >expect &&
	test_cmp expect actions &&
	sed -n "/^### 2026-12-08T14:00:00Z customer/,/^<!-- psm-ref: <html-reply-2/p" "$f" >entry &&
	cat >expect <<-\EOF &&
	### 2026-12-08T14:00:00Z customer — Pat Plain <pat@example.com>

	Safari 17.2 fixed it, thanks!

	<!-- psm-quote: 4 lines of the message it answers left out -->
	<!-- psm-ref: <html-reply-1@example.com> -->

	### 2026-12-08T15:00:00Z customer — Pat Plain <pat@example.com>

	And the desktop app works too.

	<!-- psm-quote: 5 lines of the message it answers left out -->
	<!-- psm-ref: <html-reply-2@example.com> -->
	EOF
	test_cmp expect entry &&
	psm check
'

test_expect_success CORPORA 'the notmuch corpus: nothing lost or duplicated' '
	corpus="$PSM_SOURCE_DIR/../shared/corpora/email/notmuch" &&
	mkdir corpus && (
		cd corpus &&
		git init -q &&
		psm init &&
		n=$(find "$corpus" -type f | wc -l) &&
		test_might_fail psm intake --maildir "$corpus" >out 2>err &&
		new=$(grep -c "^new	" out) &&
		replies=$(grep -c "^reply	" out) &&
		skipped=$(grep -c "^skipped	" out || :) &&
		failed=$(grep -c "^error: " err || :) &&
		test $((new + replies + skipped + failed)) = $n &&
		test $(ls issues/*/*.md | wc -l) = $new &&
		test $(grep -h "^<!-- psm-ref: " issues/*/*.md | wc -l) = $replies &&
		test $(grep -h "^<!-- psm-ref: " issues/*/*.md | sort -u | wc -l) = $replies &&
		psm check &&
		test_might_fail psm intake --maildir "$corpus" >again 2>err2 &&
		test $(grep -c "^skipped	" again) = $((new + replies + skipped)) &&
		test $(test_commit_count) = 2
	)
'

test_done
