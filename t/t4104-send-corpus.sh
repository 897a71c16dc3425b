#!/bin/sh

test_description='the notmuch corpus: taken in, answered with --send, answers taken in

The e-mail corpus of ../shared/corpora/email/notmuch (real threads of the
notmuch list; skipped when absent) is taken in; every issue is answered
with psm reply --send to a real SMTP server on loopback; what arrived
parses, threads onto the Message-IDs of that issue and goes to its
reporters only. Then the messages psm sent and the customers'"'"' answers
to them are taken in: they thread back into the same issues and create
nothing new.'

. ./test-lib.sh
. "$TEST_DIRECTORY/lib-smtp.sh"

CORPUS=$PSM_SOURCE_DIR/../shared/corpora/email/notmuch
test -d "$CORPUS" || CORPUS=/work/shared/corpora/email/notmuch
test -d "$CORPUS" || test_skip_all 'no notmuch corpus in ../shared/corpora/email'
test_have_prereq SMTPD || test_skip_all 'python3-aiosmtpd is not installed'

test_expect_success 'setup: the corpus taken in' '
	psm init &&
	psm intake --maildir "$CORPUS" >intake.out 2>intake.err &&
	ls issues/*/*.md | sed "s|.*/||; s|\.md\$||" >ids &&
	test_line_count -gt 20 ids &&
	cp ids ids.before &&
	smtp_start &&
	git config psm.smtpServer "smtp://127.0.0.1:$(smtp_port)"
'

test_expect_success 'every issue answered with --send: one commit each, what was sent is recorded' '
	before=$(test_commit_count) &&
	while read id
	do
		psm reply $id -m "Thank you for writing to us about this; we are looking at it." \
			--send --yes >>sent.out 2>>sent.err || return 1
	done <ids &&
	grep -c "^sent " sent.out >n.sent &&
	ls received/*.eml >eml &&
	test_line_count = $(cat n.sent) eml &&
	test $(cat n.sent) -gt 20 &&
	test $(test_commit_count) -gt $before &&
	git status --porcelain issues >st && test_line_count = 0 st &&
	git fsck --no-progress
'

test_expect_success 'each message parses, threads onto its issue and goes to its reporter only' '
	"$SMTP_PYTHON" - received sent.out <<-\EOF
	import glob, os, re, sys
	from email import policy
	from email.parser import BytesParser
	from email.utils import getaddresses
	sent = {}
	for line in open(sys.argv[2]):
	    f = line.split()
	    if f[:1] != ["sent"]:
	        continue
	    sent[f[3]] = (f[1], f[2])  # Message-ID -> (short ID, address)
	files = sorted(glob.glob(os.path.join(sys.argv[1], "*.eml")))
	assert len(files) > 20 and len(files) == len(sent), (len(files), len(sent))
	for path in files:
	    m = BytesParser(policy=policy.default).parse(open(path, "rb"))
	    env = open(path[:-4] + ".env").read().split()
	    mid = str(m["Message-ID"]).strip()
	    sid, addr = sent[mid]
	    assert not m.defects and not any(p.defects for p in m.walk()), path
	    rcpt = [a for n, a in getaddresses([str(v) for v in m.get_all("To", [])])]
	    assert rcpt == [addr] and env[1:] == [addr], (path, rcpt, env)
	    assert not m.get_all("Cc") and not m.get_all("Bcc"), path
	    irt = str(m["In-Reply-To"] or "").strip()
	    refs = str(m["References"] or "").split()
	    assert irt and irt in refs, (path, irt, refs)
	    issue = glob.glob("issues/*/%s*.md" % sid)
	    assert len(issue) == 1, sid
	    text = open(issue[0]).read()
	    for r in refs:
	        assert r in text, (path, r)  # every ref is one psm recorded there
	    assert "<!-- psm-ref: %s -->" % mid in text, path
	    assert m.get_content().startswith("Thank you for writing"), path
	print("checked", len(sent))
	EOF
'

test_expect_success 'taking in what psm sent adds nothing' '
	before=$(test_commit_count) &&
	psm intake --email received/*.eml >again.out 2>again.err &&
	! grep "^new	" again.out &&
	test $(test_commit_count) = $before &&
	ls issues/*/*.md | sed "s|.*/||; s|\.md\$||" >ids.after &&
	test_cmp ids.before ids.after
'

test_expect_success 'the customers'"'"' answers thread back into the same issues, nothing new' '
	mkdir answers &&
	"$SMTP_PYTHON" - received answers <<-\EOF &&
	import glob, os, sys
	from email import policy
	from email.message import EmailMessage
	from email.parser import BytesParser
	for i, path in enumerate(sorted(glob.glob(os.path.join(sys.argv[1], "*.eml")))):
	    m = BytesParser(policy=policy.default).parse(open(path, "rb"))
	    a = EmailMessage()
	    a["From"] = str(m["To"])
	    a["To"] = str(m["From"])
	    a["Subject"] = "Re: " + str(m["Subject"])
	    a["Date"] = "Wed, 02 Dec 2026 10:%02d:00 +0000" % (i % 60)
	    a["Message-ID"] = "<answer-%d@customer.example>" % i
	    a["In-Reply-To"] = str(m["Message-ID"])
	    a["References"] = str(m["Message-ID"])
	    a.set_content("Thanks for the answer (%d)." % i)
	    open(os.path.join(sys.argv[2], "%04d.eml" % i), "wb").write(bytes(a))
	EOF
	psm intake --email answers/*.eml >answers.out 2>answers.err &&
	! grep "^new	" answers.out &&
	grep -c "^reply	" answers.out >n &&
	test_cmp n.sent n &&
	ls issues/*/*.md | sed "s|.*/||; s|\.md\$||" >ids.after &&
	test_cmp ids.before ids.after &&
	"$SMTP_PYTHON" - sent.out <<-\EOF
	import glob
	for line in open("sent.out"):
	    f = line.split()
	    if f[:1] != ["sent"]:
	        continue
	    sid, mid = f[1], f[3]
	    text = open(glob.glob("issues/*/%s*.md" % sid)[0]).read()
	    assert mid in text
	n = sum(open(p).read().count("@customer.example> -->") for p in glob.glob("issues/*/*.md"))
	assert n == sum(1 for _ in open("sent.out") if _.startswith("sent ")), n
	EOF
'

smtp_stop
test_done
