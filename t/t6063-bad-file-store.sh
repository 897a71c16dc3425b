#!/bin/sh

test_description='a store that holds bad files stays usable

Files committed by hand that psm check rejects: one over the limit
issue-file-size (50 MB), one that does not parse, one whose fields are
wrong. Every read command shows the rest, names each bad file on standard
error and exits 1 (as psm list always has); later batches take their items
in; writes on other issues work; a write to a bad file is refused.'

. ./test-lib.sh

test_expect_success 'setup: good issues, then three bad files committed with git' '
	git init -q &&
	psm init &&
	open=$(psm intake -t "Export to CSV is slow" --reporter "Ana <ana@example.com>" --type bug) &&
	done=$(psm intake -t "Invoice total is wrong" --reporter "Bo <bo@example.com>" --type bug) &&
	psm close $done --resolution fixed --release-note "Invoice totals add up again." &&
	echo $open >open-id &&
	echo $done >done-id &&
	mkdir -p issues/hh issues/yy issues/ww &&
	{
		printf -- "---\nid: hhhhhhhhhh\ntitle: huge paste\nstatus: new\ncreated: 2026-11-01T00:00:00Z\n---\n" &&
		head -c 50000000 /dev/zero | tr "\\000" a
	} >issues/hh/hhhhhhhhhh.md &&
	printf -- "---\nid: yyyyyyyyyy\ntitle: [unclosed\nstatus: new\n---\n" >issues/yy/yyyyyyyyyy.md &&
	cat >issues/ww/wwwwwwwwww.md <<-\EOF &&
	---
	id: wwwwwwwwww
	title: Fields psm check rejects
	status: done
	created: last tuesday
	reporters:
	- name: Cy
	  email: cy@example.com
	  ref: <cy-1@example.com>
	---
	body
	EOF
	git add issues && git commit -q -m "bad files, by hand" &&
	test_expect_code 1 psm check >check.out &&
	grep "^issues/hh/hhhhhhhhhh.md:" check.out &&
	grep "^issues/yy/yyyyyyyyyy.md:" check.out &&
	grep "^issues/ww/wwwwwwwwww.md:" check.out
'

# names_bad: err names each bad file and says how many.
names_bad () {
	grep "^error: issues/hh/hhhhhhhhhh.md: file is larger than the limit issue-file-size (16 MiB)" err &&
	grep "^error: issues/yy/yyyyyyyyyy.md:[0-9]*:[0-9]*: " err &&
	grep "^error: issues/ww/wwwwwwwwww.md:[0-9]*:[0-9]*: status .done. is not in the config" err &&
	grep "^error: 3 issue files could not be read or are not valid (see .psm check.)" err
}

test_expect_success 'list: the rest, each bad file named, exit 1' '
	test_expect_code 1 psm list >out 2>err &&
	grep "Export to CSV is slow" out &&
	! grep -i "fields psm check rejects" out &&
	names_bad &&
	test_expect_code 1 psm list is:closed >out 2>err &&
	grep "Invoice total is wrong" out &&
	names_bad
'

test_expect_success 'stats: figures from the rest, exit 1' '
	test_expect_code 1 psm stats >out 2>err &&
	grep "closed  *1" out &&
	names_bad
'

test_expect_success 'review: the week from the rest, exit 1' '
	test_expect_code 1 psm review >out 2>err &&
	grep "Weekly review" out &&
	names_bad
'

test_expect_success 'followup: the owed follow-up is still listed, exit 1' '
	test_expect_code 1 psm followup >out 2>err &&
	grep "Invoice total is wrong" out &&
	names_bad
'

test_expect_success 'export: every good issue, no bad one, exit 1' '
	test_expect_code 1 psm export >out 2>err &&
	test_line_count = 2 out &&
	! grep "wwwwwwwwww" out &&
	names_bad
'

test_expect_success 'triage --queue: the rest, exit 1' '
	test_expect_code 1 psm triage --queue >out 2>err &&
	grep "Export to CSV is slow" out &&
	! grep "Fields psm check rejects" out &&
	names_bad
'

test_expect_success 'roadmap and JSON output: the same contract' '
	test_expect_code 1 psm roadmap >out 2>err &&
	names_bad &&
	test_expect_code 1 psm list --format json >out 2>err &&
	python3 -c "import json,sys; assert len(json.load(open(sys.argv[1]))) == 1" out &&
	names_bad
'

test_expect_success 'a later batch takes its items in and names the bad files' '
	before=$(test_commit_count) &&
	echo "{\"title\": \"Dark mode\", \"external_id\": \"d-1\"}" |
		test_expect_code 1 psm intake --jsonl >out 2>err &&
	grep "^new	.*	Dark mode" out &&
	test $(test_commit_count) = $((before + 1)) &&
	names_bad
'

test_expect_success 'a reply to the invalid issue fails alone; the batch goes on' '
	cat >reply.mbox <<-\EOF &&
	From cy@example.com Mon Nov  9 10:00:00 2026
	From: Cy <cy@example.com>
	Subject: Re: Fields psm check rejects
	Date: Mon, 09 Nov 2026 10:00:00 +0000
	Message-ID: <cy-2@example.com>
	In-Reply-To: <cy-1@example.com>

	Any news?

	From dee@example.com Mon Nov  9 11:00:00 2026
	From: Dee <dee@example.com>
	Subject: Search misses accents
	Date: Mon, 09 Nov 2026 11:00:00 +0000
	Message-ID: <dee-1@example.com>

	Searching for cafe does not find café.
	EOF
	cp issues/ww/wwwwwwwwww.md ww.before &&
	test_expect_code 1 psm intake --mbox reply.mbox >out 2>err &&
	grep "^error: reply.mbox, message 1 (byte 0): refusing to write .issues/ww/wwwwwwwwww.md.: status .done. is not in the config" err &&
	cut -f1,4 out >actual &&
	printf "new\tSearch misses accents\n" >expect &&
	test_cmp expect actual &&
	test_cmp ww.before issues/ww/wwwwwwwwww.md
'

test_expect_success 'writes on other issues work; on a bad file they are refused' '
	open=$(cat open-id) done=$(cat done-id) &&
	psm tag $open +export &&
	psm assign $open ana@example.com &&
	psm reply $open -m "Looking into it." &&
	psm status $open in-progress &&
	psm reopen $done &&
	psm close $done --resolution fixed &&
	test_expect_code 128 psm tag wwwwwwwwww +x 2>err &&
	grep "refusing to write .issues/ww/wwwwwwwwww.md.: status .done. is not in the config" err &&
	test_expect_code 128 psm tag yyyyyyyyyy +x 2>err &&
	grep "issues/yy/yyyyyyyyyy.md" err &&
	test_expect_code 128 psm tag hhhhhhhhhh +x 2>err &&
	grep "issues/hh/hhhhhhhhhh.md.*larger than the limit issue-file-size" err &&
	test -z "$(git status --porcelain -- issues)" &&
	git fsck --no-progress
'

test_done
