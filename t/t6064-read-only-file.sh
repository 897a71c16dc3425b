#!/bin/sh

test_description='a read-only issue file is refused by every write

A user who made an issue file read-only (chmod a-w) meant it: psm refuses
to replace it, naming the file, instead of writing a new writable file over
it. Other issues are written as ever; a batch reports the item alone.'

. ./test-lib.sh

test_expect_success 'setup: an issue made read-only' '
	git init -q &&
	psm init &&
	ro=$(psm intake -t "Frozen by legal" --reporter "Ana <ana@example.com>" --source email) &&
	other=$(psm intake -t "Anything else" --reporter "Bo <bo@example.com>") &&
	echo $ro >ro && echo $other >other &&
	f=$(ls issues/*/$ro*.md) &&
	echo "$f" >path &&
	git log -1 --format=%H >/dev/null &&
	sed -i "s/^  channel: email$/  channel: email\n  ref: <frozen-1@example.com>/" "$f" &&
	git commit -q -a -m "a ref to reply to" &&
	chmod a-w "$f" &&
	cp "$f" before.md
'

# refused CMD...: CMD exits 128 naming the file; the file, its mode and
# the history are as they were.
refused () {
	f=$(cat path) &&
	before=$(test_commit_count) &&
	test_expect_code 128 "$@" 2>err &&
	grep "refusing to write .$f.: the file is read-only" err &&
	test_cmp before.md "$f" &&
	! test -w "$f" -a "$(id -u)" != 0 &&
	test "$(stat -c %a "$f")" = 444 &&
	test $(test_commit_count) = $before &&
	test -z "$(git status --porcelain -- issues)"
}

test_expect_success 'every command that changes one issue refuses it' '
	ro=$(cat ro) other=$(cat other) &&
	refused psm tag $ro +legal &&
	refused psm assign $ro ana@example.com &&
	refused psm status $ro in-progress &&
	refused psm reply $ro -m "We are on it." &&
	refused psm note $ro -m "internal" &&
	refused psm close $ro --resolution fixed &&
	refused psm park $ro --until 2w &&
	refused psm triage $ro --impact core &&
	refused psm dup $ro --of $other &&
	refused psm dup $other --of $ro
'

test_expect_success 'tag by search terms stops before writing anything' '
	other=$(cat other) &&
	refused psm tag +everyone -- is:open &&
	! grep "everyone" issues/*/$other*.md
'

test_expect_success 'reopen and rate, on a closed read-only issue' '
	ro=$(cat ro) &&
	f=$(cat path) &&
	chmod u+w "$f" &&
	psm close $ro --resolution fixed &&
	chmod a-w "$f" &&
	cp "$f" before.md &&
	refused psm reopen $ro &&
	refused psm rate $ro good
'

test_expect_success 'the same commands on another issue still work' '
	other=$(cat other) &&
	psm tag $other +billing &&
	psm reply $other -m "Thanks!" &&
	psm close $other --resolution fixed &&
	test -w issues/*/$other*.md
'

test_expect_success 'a batch: the reply to the read-only issue fails alone' '
	cat >in.mbox <<-\EOF &&
	From ana@example.com Mon Nov  9 10:00:00 2026
	From: Ana <ana@example.com>
	Subject: Re: Frozen by legal
	Date: Mon, 09 Nov 2026 10:00:00 +0000
	Message-ID: <frozen-2@example.com>
	In-Reply-To: <frozen-1@example.com>

	Any news?

	From cy@example.com Mon Nov  9 11:00:00 2026
	From: Cy <cy@example.com>
	Subject: New one
	Date: Mon, 09 Nov 2026 11:00:00 +0000
	Message-ID: <cy-1@example.com>

	Hello.
	EOF
	f=$(cat path) &&
	test_expect_code 1 psm intake --mbox in.mbox >out 2>err &&
	grep "^error: in.mbox, message 1 (byte 0): refusing to write .$f.: the file is read-only" err &&
	cut -f1,4 out >actual &&
	printf "new\tNew one\n" >expect &&
	test_cmp expect actual &&
	test_cmp before.md "$f" &&
	test "$(stat -c %a "$f")" = 444 &&
	psm check
'

test_done
