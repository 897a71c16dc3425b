#!/bin/sh

test_description='psm similar on real task texts (the backlog-md corpus)

Pairs of tasks that are obviously about the same thing must rank first
for each other. The corpus is read in place (psm import backlog-md into a
scratch store), never copied into psm. docs/triage.md has the figures.'

. ./test-lib.sh

corpus=$PSM_SOURCE_DIR/../shared/corpora/tasks/backlog-md

# id_by_title TITLE-PART: the one issue whose title contains it
id_by_title () {
	awk -v s="$1" "/^title: / && index(tolower(\$0), tolower(s)) { print FILENAME }" \
		issues/*/*.md | sed "s|.*/||; s|\.md\$||" >ids.tmp &&
	test $(wc -l <ids.tmp) = 1 &&
	cat ids.tmp
}

# first A B: the issue titled B is the closest match of the issue titled A
first () {
	a=$(id_by_title "$1") && b=$(id_by_title "$2") &&
	psm similar $a -n 1 --format json >hit.json &&
	grep -q "\"id\": \"$b\"" hit.json || {
		echo "for '$1' the first is not '$2' but:" >&2
		psm similar $a -n 5 >&2
		return 1
	}
}

test_expect_success CORPORA 'import the corpus into a scratch store' '
	psm init &&
	# exit 1: one file of the corpus is not a task (no front matter)
	test_might_fail psm import backlog-md "$corpus" >out 2>err &&
	test $(ls issues/*/*.md | wc -l) -ge 150 &&
	# closed tasks are duplicate candidates too: widen the window
	sed "s/^  window: 30d/  window: 5000w/" .psm/config.yml >tmp &&
	mv tmp .psm/config.yml &&
	test_set_prereq IMPORTED
'

test_expect_success IMPORTED 'obvious pairs rank first, both ways where both are listed' '
	first "handle port congestion" "port congestion handling works on macOS" &&
	first "Fix port availability probe" "handle port congestion" &&
	first "Show parent and subtask hierarchy" "parent and subtask presentation in the Web UI" &&
	first "parent and subtask presentation in the Web UI" "parent and subtask presentation in the TUI" &&
	first "parent and subtask presentation in the TUI" "parent and subtask presentation in the Web UI" &&
	first "acceptance criteria progress on browser" "acceptance criteria completion on TUI" &&
	first "acceptance criteria completion on TUI" "acceptance criteria progress on browser" &&
	first "Fail closed on ambiguous draft identities" "Fail closed on ambiguous document and decision identity" &&
	first "Fix CLI auto-commit" "Scope autoCommit" &&
	first "Scope autoCommit" "Fix CLI auto-commit" &&
	first "Web UI: Display and edit task type" "TUI: Display task type" &&
	first "Fail fast on wrong-typed config values" "Fail fast with a clear error on malformed config" &&
	first "Replace overlap-refresh polling" "Replace deep-link test polling" &&
	first "Stop idle browser refresh loop" "Preserve genuine task publications during duplicate preview" &&
	first "Implement defaultAssignee" "Allow explicit unassign in CLI and TUI when defaultAssignee"
'

test_expect_success IMPORTED 'in a cluster of three, the first is one of the other two' '
	psm similar $(id_by_title "Hide empty status columns on Board") -n 1 >hit &&
	grep -i -e "hide empty board columns" -e "hideEmptyColumns" hit &&
	psm similar $(id_by_title "Add task type field") -n 1 >hit &&
	grep -i "task type\|type flag\|type-based" hit
'

test_expect_success IMPORTED 'unrelated tasks score low' '
	psm similar $(id_by_title "Package Backlog.md with bun2nix") -n 1 --format json >hit.json &&
	! grep "\"score\": 0\.[3-9]" hit.json
'

test_done
