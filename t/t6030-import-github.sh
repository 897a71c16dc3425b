#!/bin/sh

test_description='psm import github

The JSON of gh issue list --state all --json
number,title,body,labels,state,createdAt,closedAt,author,url,comments (a
fixture in t/t6030/): open and closed issues keep dates, labels and state,
comments go into the timeline, the URL is the reference, and re-importing
changes nothing.'

. ./test-lib.sh

GH=$TEST_DIRECTORY/t6030/gh-issues.json

gh_issue_file () {
	grep -l "^external_id: https://github.com/acme/app/issues/$1\$" issues/*/*.md
}

test_expect_success 'setup' '
	git init -q &&
	psm init
'

test_expect_success 'one commit for the export; an item without URL fails alone' '
	before=$(test_commit_count) &&
	test_expect_code 1 psm import github "$GH" >out 2>err &&
	test $(test_commit_count) = $((before + 1)) &&
	cut -f1,3 out >actual &&
	cat >expect <<-EOF &&
	new	$GH: #1
	new	$GH: #2
	EOF
	test_cmp expect actual &&
	grep "#3: missing .url." err &&
	git log -1 --format=%s >msg &&
	echo "psm import github: 2 new" >expect &&
	test_cmp expect msg &&
	psm check
'

test_expect_success 'an open issue: fields, labels, reporter, body' '
	f=$(gh_issue_file 1) &&
	sed -n "2,/^---$/p" "$f" | grep -v "^id:" >actual &&
	cat >expect <<-\EOF &&
	title: Draft disappears on save
	status: new
	labels:
	- bug
	- good-first-issue
	source: github
	external_id: https://github.com/acme/app/issues/1
	reporters:
	- name: Octo Cat
	  contact: '"'"'@octo'"'"'
	  channel: github
	  at: 2026-10-01T08:00:00Z
	  ref: https://github.com/acme/app/issues/1
	created: 2026-10-01T08:00:00Z
	updated: 2026-10-02T12:30:00Z
	responded: 2026-10-02T10:00:00Z
	---
	EOF
	test_cmp expect actual
'

test_expect_success 'comments are the timeline: members reply, others are the customer' '
	f=$(gh_issue_file 1) &&
	sed "1,/^---$/d" "$f" >body &&
	cat >expect <<-\EOF &&
	When I press **Save** the draft disappears.

	## Steps
	1. write
	2. save

	## Timeline

	### 2026-10-02T10:00:00Z reply — @maintainer-mo

	Thanks! Which browser?

	<!-- psm-ref: https://github.com/acme/app/issues/1#issuecomment-1001 -->

	### 2026-10-02T12:30:00Z customer — @octo

	Firefox 131 on Linux.

	<!-- psm-ref: https://github.com/acme/app/issues/1#issuecomment-1002 -->
	EOF
	test_cmp expect body
'

test_expect_success 'a closed issue keeps its dates: closed, resolution fixed' '
	f=$(gh_issue_file 2) &&
	grep -x "status: closed" "$f" &&
	grep -x "resolution: fixed" "$f" &&
	grep -x "created: 2026-10-05T07:15:00Z" "$f" &&
	grep -x "closed: 2026-10-20T16:45:00Z" "$f" &&
	grep -x "first_closed: 2026-10-20T16:45:00Z" "$f" &&
	grep -x "updated: 2026-10-20T16:45:00Z" "$f" &&
	grep -x -- "- name: lena-f" "$f" &&
	grep -x -- "- docs" "$f"
'

test_expect_success 're-importing the same export changes nothing' '
	before=$(test_commit_count) &&
	git ls-files -s issues >index-before &&
	test_expect_code 1 psm import github "$GH" >out 2>err &&
	test $(test_commit_count) = $before &&
	git ls-files -s issues >index-after &&
	test_cmp index-before index-after &&
	git status --porcelain issues >status &&
	test_line_count = 0 status &&
	cut -f1 out >actual &&
	printf "skipped\nskipped\n" >expect &&
	test_cmp expect actual
'

test_expect_success JQ 'a later export adds only the new comments' '
	test_tick &&
	jq ".[0].comments += [{\"author\": {\"login\": \"octo\"}, \"authorAssociation\": \"NONE\", \"body\": \"Still happens in 2.1.\", \"createdAt\": \"2026-11-01T09:00:00Z\", \"url\": \"https://github.com/acme/app/issues/1#issuecomment-1003\"}] | .[0:2]" \
		"$GH" >later.json &&
	psm import github later.json >out &&
	cut -f1,4 out >actual &&
	printf "updated\t1 new comment\nskipped\talready imported\n" >expect &&
	test_cmp expect actual &&
	f=$(gh_issue_file 1) &&
	grep -x "### 2026-11-01T09:00:00Z customer — @octo" "$f" &&
	test $(grep -c "psm-ref: " "$f") = 3 &&
	grep -x "updated: $PSM_NOW" "$f" &&
	psm import github later.json >out &&
	cut -f1 out | sort -u >actual &&
	echo skipped >expect &&
	test_cmp expect actual
'

test_expect_success 'not JSON, or not an array, stops the import' '
	echo "{" >bad.json &&
	test_expect_code 128 psm import github bad.json 2>err &&
	grep "bad.json:.*not JSON" err &&
	echo "{}" >obj.json &&
	test_expect_code 128 psm import github obj.json 2>err &&
	grep "not a JSON array" err
'

test_expect_success 'usage errors' '
	test_expect_code 129 psm import &&
	test_expect_code 129 psm import jira x.json &&
	test_expect_code 129 psm import github
'

test_done
