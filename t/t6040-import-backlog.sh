#!/bin/sh

test_description='psm import backlog-md

Backlog.md task files (Markdown with YAML front matter): titles, statuses,
labels, priorities and bodies kept, the task ID as external_id, files that
are not tasks reported, re-imports adding nothing; and the same on the real
tasks in ../shared/corpora/tasks/backlog-md when present.'

. ./test-lib.sh

test_expect_success 'setup' '
	git init -q &&
	psm init &&
	mkdir tasks &&
	cat >tasks/task-1.md <<-\EOF &&
	---
	id: task-1
	title: Add CSV export to the reports page
	status: To Do
	assignee:
	  - '"'"'@dana'"'"'
	created_date: '"'"'2026-09-01 10:30'"'"'
	labels:
	  - reports
	  - export
	priority: high
	dependencies: []
	references:
	  - https://example.com/spec/42
	---

	## Description

	Customers want the monthly report as CSV.

	## Acceptance Criteria
	- [ ] #1 a CSV button
	EOF
	cat >tasks/task-2.md <<-\EOF &&
	---
	id: task-2
	title: "Fix: totals off by one"
	status: In Progress
	created_date: '"'"'2026-09-02'"'"'
	labels: []
	type: bug
	---
	The last row is missing.
	EOF
	cat >tasks/task-3.md <<-\EOF &&
	---
	id: task-3
	title: Remove the old API
	status: Done
	created_date: '"'"'2026-08-01 09:00'"'"'
	updated_date: '"'"'2026-08-15 17:20'"'"'
	priority: low
	type: chore
	---
	Done in v2.
	EOF
	cat >tasks/task-4.md <<-\EOF &&
	---
	id: task-4
	title: Review the onboarding copy
	status: Needs Review
	created_date: '"'"'2026-09-03 08:00'"'"'
	---
	EOF
	printf "# Tasks\n\nNotes, not a task.\n" >tasks/readme.md &&
	printf -- "---\nid: task-9\nstatus: To Do\n---\nno title\n" >tasks/task-9.md &&
	echo "not markdown" >tasks/config.yml
'

test_expect_success 'tasks become issues in one commit; non-tasks are reported' '
	before=$(test_commit_count) &&
	test_expect_code 1 psm import backlog-md tasks >out 2>err &&
	test $(test_commit_count) = $((before + 1)) &&
	cut -f1,3 out >actual &&
	cat >expect <<-\EOF &&
	new	tasks/task-1.md
	new	tasks/task-2.md
	new	tasks/task-3.md
	new	tasks/task-4.md
	EOF
	test_cmp expect actual &&
	grep "^error: tasks/readme.md: not a Backlog.md task: 1:1: missing front matter" err &&
	grep "^error: tasks/task-9.md: not a Backlog.md task: no .title." err &&
	! grep config.yml err &&
	psm check
'

test_expect_success 'To Do: new, priority and labels, assignee as owner, body kept' '
	f=$(grep -l "^external_id: task-1$" issues/*/*.md) &&
	sed -n "2,/^---$/p" "$f" | grep -v "^id:" | grep -v "^updated:" >actual &&
	cat >expect <<-\EOF &&
	title: Add CSV export to the reports page
	status: new
	labels:
	- export
	- priority:high
	- reports
	owner: dana
	source: other
	external_id: task-1
	created: 2026-09-01T10:30:00Z
	backlog_references:
	- https://example.com/spec/42
	---
	EOF
	test_cmp expect actual &&
	sed "1,/^---$/d" "$f" >body &&
	sed "1,/^---$/d" tasks/task-1.md >expect &&
	test_cmp expect body
'

test_expect_success 'In Progress, Done and a status of their own' '
	f=$(grep -l "^external_id: task-2$" issues/*/*.md) &&
	grep -x "status: in-progress" "$f" &&
	grep -x "type: bug" "$f" &&
	grep -x "title: .Fix: totals off by one." "$f" &&
	grep -x "created: 2026-09-02" "$f" &&
	g=$(grep -l "^external_id: task-3$" issues/*/*.md) &&
	grep -x "status: closed" "$g" &&
	grep -x "resolution: fixed" "$g" &&
	grep -x "closed: 2026-08-15T17:20:00Z" "$g" &&
	grep -x "updated: 2026-08-15T17:20:00Z" "$g" &&
	grep -x -- "- priority:low" "$g" &&
	grep -x -- "- type:chore" "$g" &&
	h=$(grep -l "^external_id: task-4$" issues/*/*.md) &&
	grep -x "status: new" "$h" &&
	grep -x -- "- status:Needs-Review" "$h"
'

test_expect_success 'an assignee the config does not allow becomes a label' '
	mkdir other && (
		cd other &&
		git init -q &&
		psm init &&
		sed "s/^owners: \[\]/owners: [sam@example.com]/" .psm/config.yml >c &&
		mv c .psm/config.yml &&
		test_might_fail psm import backlog-md ../tasks >out &&
		f=$(grep -l "^external_id: task-1$" issues/*/*.md) &&
		! grep "^owner:" "$f" &&
		grep -x -- "- assignee:dana" "$f"
	)
'

test_expect_success 're-importing adds nothing' '
	before=$(test_commit_count) &&
	test_expect_code 1 psm import backlog-md tasks >out 2>err &&
	test $(test_commit_count) = $before &&
	cut -f1 out | sort | uniq -c | sed "s/^ *//" >actual &&
	echo "4 skipped" >expect &&
	test_cmp expect actual
'

test_expect_success 'a directory that does not exist stops the import' '
	test_expect_code 128 psm import backlog-md nosuch 2>err &&
	grep "could not read .nosuch." err
'

test_expect_success CORPORA 'the Backlog.md project tasks: each file once' '
	corpus="$PSM_SOURCE_DIR/../shared/corpora/tasks/backlog-md" &&
	mkdir real && (
		cd real &&
		git init -q &&
		psm init &&
		n=$(ls "$corpus"/*.md | wc -l) &&
		tasks=$(for f in "$corpus"/*.md; do head -n 1 "$f"; done | grep -c "^---$") &&
		test_might_fail psm import backlog-md "$corpus" >out 2>err &&
		new=$(grep -c "^new	" out) &&
		failed=$(grep -c "^error: " err || :) &&
		test $new = $tasks &&
		test $((new + failed)) = $n &&
		test $(ls issues/*/*.md | wc -l) = $new &&
		test $(grep -h "^external_id: " issues/*/*.md | sort -u | wc -l) = $new &&
		done=$(for f in "$corpus"/*.md
			do
				head -n 1 "$f" | grep -q "^---$" &&
				grep -q "^status: .\{0,1\}Done" "$f" &&
				echo "$f"
			done | wc -l) &&
		test $(grep -l "^status: closed" issues/*/*.md | wc -l) = $done &&
		psm check &&
		test_might_fail psm import backlog-md "$corpus" >again &&
		test $(grep -c "^skipped	" again) = $new &&
		test $(test_commit_count) = 2
	)
'

test_done
