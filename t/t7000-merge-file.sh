#!/bin/sh

test_description='psm merge-file: the merge driver for issue files

psm merge-file BASE OURS THEIRS merges front matter key by key (sets for
lists, later/earlier for times, max for reopened), bodies line by line and
timeline entries as a set; conflicts are written between markers inside the
front matter so that git reports them and psm check points at the line.
psm init registers the driver (.gitattributes and git config).'

. ./test-lib.sh

# issue FILE: a base issue file with labels, owner, a reporter and a timeline.
issue () {
	cat >"$1" <<-\EOF
	---
	id: 7kq2m9xabc
	title: Login fails
	status: new
	labels:
	- auth
	- ui
	owner: ana@example.com
	reporters:
	- name: Dana
	  email: dana@acme.example
	  channel: email
	created: 2026-11-20T10:00:00Z
	updated: 2026-11-20T10:00:00Z
	reopened: 1
	---
	Cannot log in.

	Second paragraph.

	## Timeline

	### 2026-11-20T10:05:00Z note — ana@example.com

	First note.
	EOF
}

# edit FILE SED-SCRIPT: change a file in place (portable sed -i).
edit () {
	sed "$2" "$1" >"$1.new" && mv "$1.new" "$1"
}

test_expect_success 'setup: base, ours, theirs' '
	issue base.md &&
	cp base.md ours.md &&
	cp base.md theirs.md
'

test_expect_success 'unchanged sides merge to the same file' '
	psm merge-file -p base.md ours.md theirs.md >out &&
	test_cmp base.md out
'

test_expect_success 'labels merge as sets: add here, remove there, both hold' '
	edit ours.md "s/^- auth$/- auth\n- mobile/" &&
	edit theirs.md "/^- ui$/d" &&
	edit theirs.md "s/^- auth$/- auth\n- urgent/" &&
	psm merge-file -p base.md ours.md theirs.md >out &&
	sed -n "/^labels:/,/^owner:/p" out >labels &&
	printf "%s\n" "labels:" "- auth" "- mobile" "- urgent" "owner: ana@example.com" >expect &&
	test_cmp expect labels
'

test_expect_success 'a scalar changed on one side takes that side, untouched bytes stay' '
	issue ours.md && issue theirs.md &&
	edit theirs.md "s/^status: new/status: triaged/" &&
	edit ours.md "s/^title: Login fails/title: Login fails on Safari/" &&
	psm merge-file -p base.md ours.md theirs.md >out &&
	grep "^status: triaged$" out &&
	grep "^title: Login fails on Safari$" out &&
	sed "s/^status: new/status: triaged/; s/^title: .*/title: Login fails on Safari/" base.md >expect &&
	test_cmp expect out
'

test_expect_success 'updated takes the later, created the earlier, reopened the larger' '
	issue ours.md && issue theirs.md &&
	edit ours.md "s/^updated: .*/updated: 2026-11-22T10:00:00Z/; s/^reopened: 1/reopened: 3/" &&
	edit theirs.md "s/^updated: .*/updated: 2026-11-21T10:00:00Z/; s/^reopened: 1/reopened: 2/" &&
	edit ours.md "s/^created: .*/created: 2026-11-20T11:00:00Z/" &&
	edit theirs.md "s/^created: .*/created: 2026-11-20T09:00:00Z/" &&
	psm merge-file -p base.md ours.md theirs.md >out &&
	grep "^updated: 2026-11-22T10:00:00Z$" out &&
	grep "^created: 2026-11-20T09:00:00Z$" out &&
	grep "^reopened: 3$" out &&
	psm merge-file -p base.md theirs.md ours.md >out2 &&
	test_cmp out out2
'

test_expect_success 'reporters merge by person; a new one on each side is kept' '
	issue ours.md && issue theirs.md &&
	edit ours.md "s/^created:/- name: Eve\n  email: eve@b.example\n  channel: chat\ncreated:/" &&
	edit theirs.md "s/^created:/- name: Fay\n  contact: \"+1 555\"\n  channel: call\ncreated:/" &&
	psm merge-file -p base.md ours.md theirs.md >out &&
	grep "email: dana@acme.example" out &&
	grep "email: eve@b.example" out &&
	grep "contact:.*555" out &&
	test $(grep -c "^- name:" out) = 3
'

test_expect_success 'timeline entries added on both sides are all kept, in time order' '
	issue ours.md && issue theirs.md &&
	printf "\n### 2026-11-21T09:00:00Z reply — bo@example.com\n\nOurs reply.\n" >>ours.md &&
	printf "\n### 2026-11-20T11:00:00Z customer — dana@acme.example\n\nTheirs message.\n" >>theirs.md &&
	psm merge-file -p base.md ours.md theirs.md >out &&
	grep "^### " out >entries &&
	cat >expect <<-\EOF &&
	### 2026-11-20T10:05:00Z note — ana@example.com
	### 2026-11-20T11:00:00Z customer — dana@acme.example
	### 2026-11-21T09:00:00Z reply — bo@example.com
	EOF
	test_cmp expect entries &&
	grep "^Ours reply.$" out && grep "^Theirs message.$" out &&
	psm merge-file -p base.md theirs.md ours.md >out2 &&
	test_cmp out out2
'

test_expect_success 'body text merges line by line beside the timeline' '
	issue ours.md && issue theirs.md &&
	edit ours.md "s/^Cannot log in./Cannot log in at all./" &&
	edit theirs.md "s/^Second paragraph./Second paragraph, edited./" &&
	printf "\n### 2026-11-21T09:00:00Z reply — bo@example.com\n\nOurs reply.\n" >>ours.md &&
	psm merge-file -p base.md ours.md theirs.md >out &&
	grep "^Cannot log in at all.$" out &&
	grep "^Second paragraph, edited.$" out &&
	grep "^Ours reply.$" out
'

test_expect_success 'the result replaces OURS, exit 0 when clean' '
	cp ours.md a.md &&
	psm merge-file base.md a.md theirs.md issues/7k/7kq2m9xabc.md &&
	test_cmp out a.md
'

test_expect_success 'a scalar changed both ways is a conflict: markers, exit 1' '
	issue ours.md && issue theirs.md &&
	edit ours.md "s/^owner: .*/owner: bo@example.com/; s/^- ui$/- ui\n- zz/" &&
	edit theirs.md "s/^owner: .*/owner: cy@example.com/" &&
	cp ours.md a.md &&
	test_expect_code 1 psm merge-file base.md a.md theirs.md 2>err &&
	grep "1 conflict" err &&
	sed -n "/^<<<<<<< /,/^>>>>>>> /p" a.md >block &&
	printf "%s\n" "<<<<<<< ours" "owner: bo@example.com" "=======" \
		"owner: cy@example.com" ">>>>>>> theirs" >expect &&
	test_cmp expect block &&
	grep "^- zz$" a.md
'

test_expect_success 'closed here, parked there: each side keeps its status keys together' '
	issue ours.md && issue theirs.md &&
	edit ours.md "s/^status: new/status: closed/; s/^reopened: 1/reopened: 1\nclosed: 2026-11-21T09:00:00Z\nresolution: fixed/" &&
	edit theirs.md "s/^status: new/status: parked/; s/^owner: .*/owner: cy@example.com/; s/^reopened: 1/reopened: 1\n# until the vendor ships 2.0\nparked_until: 2026-12-15/" &&
	cp ours.md a2.md &&
	test_expect_code 1 psm merge-file base.md a2.md theirs.md 2>err &&
	grep "1 conflict" err &&
	sed -n "/^<<<<<<< /,/^>>>>>>> /p" a2.md >block &&
	printf "%s\n" "<<<<<<< ours" "status: closed" "closed: 2026-11-21T09:00:00Z" \
		"resolution: fixed" "=======" "status: parked" "# until the vendor ships 2.0" \
		"parked_until: 2026-12-15" \
		">>>>>>> theirs" >expect &&
	test_cmp expect block &&
	test $(grep -c "^resolution:" a2.md) = 1 &&
	test $(grep -c "^parked_until:" a2.md) = 1 &&
	grep "^owner: cy@example.com\$" a2.md &&
	sed "/^<<<<<<< /,/^=======/d; /^>>>>>>> /d" a2.md >kept-theirs &&
	grep "^status: parked\$" kept-theirs &&
	! grep "^resolution:\|^closed:" kept-theirs
'

test_expect_success 'the status changed on one side only merges as before' '
	issue ours.md && issue theirs.md &&
	edit ours.md "s/^status: new/status: closed/; s/^reopened: 1/reopened: 1\nclosed: 2026-11-21T09:00:00Z\nresolution: fixed/" &&
	edit theirs.md "s/^owner: .*/owner: cy@example.com/" &&
	cp ours.md a3.md &&
	psm merge-file base.md a3.md theirs.md &&
	grep "^status: closed\$" a3.md &&
	grep "^resolution: fixed\$" a3.md &&
	grep "^owner: cy@example.com\$" a3.md
'

test_expect_success 'psm check points at the conflict line' '
	git init -q store && (
		cd store &&
		psm init >/dev/null &&
		mkdir -p issues/7k &&
		cp ../a.md issues/7k/7kq2m9xabc.md &&
		test_expect_code 1 psm check >out &&
		line=$(grep -n "^<<<<<<<" issues/7k/7kq2m9xabc.md | cut -d: -f1) &&
		grep "^issues/7k/7kq2m9xabc.md:$line:1: error: unresolved merge conflict" out
	)
'

test_expect_success 'a side that is not an issue file merges as plain lines' '
	printf "a\nb\nc\n" >b.txt &&
	printf "A\nb\nc\n" >o.txt &&
	printf "a\nb\nC\n" >t.txt &&
	psm merge-file -p b.txt o.txt t.txt >out &&
	printf "A\nb\nC\n" >expect &&
	test_cmp expect out &&
	printf "x\nb\nc\n" >t2.txt &&
	test_expect_code 1 psm merge-file -p b.txt o.txt t2.txt >out &&
	grep "^<<<<<<< ours" out
'

test_expect_success 'an empty base (both sides added the file) still merges by key' '
	: >empty &&
	issue ours.md && issue theirs.md &&
	edit theirs.md "s/^- ui$/- ui\n- extra/" &&
	psm merge-file -p empty ours.md theirs.md >out &&
	grep "^- extra$" out
'

test_expect_success 'usage errors exit 129, missing files 128' '
	test_expect_code 129 psm merge-file base.md ours.md &&
	test_expect_code 128 psm merge-file base.md nosuch.md theirs.md
'

test_expect_success 'psm init writes .gitattributes and registers the driver' '
	git init -q reg && (
		cd reg &&
		psm init >/dev/null &&
		echo "issues/** merge=psm" >expect &&
		test_cmp expect .gitattributes &&
		git ls-files .gitattributes >tracked &&
		test_line_count = 1 tracked &&
		test "$(git config merge.psm.driver)" = "psm merge-file %O %A %B %P" &&
		test -n "$(git config merge.psm.name)" &&
		git check-attr merge issues/7k/7kq2m9xabc.md >attr &&
		grep "merge: psm" attr
	)
'

test_expect_success 'psm init on a fresh clone registers the driver again' '
	git clone -q reg clone && (
		cd clone &&
		test_must_fail git config merge.psm.driver &&
		psm init >../out &&
		grep "already initialized" ../out &&
		test "$(git config merge.psm.driver)" = "psm merge-file %O %A %B %P" &&
		test -z "$(git status --porcelain)"
	)
'

test_expect_success 'an existing .gitattributes gets the line appended once' '
	git init -q attrs && (
		cd attrs &&
		printf "*.png binary" >.gitattributes &&
		psm init >/dev/null &&
		printf "*.png binary\nissues/** merge=psm\n" >expect &&
		test_cmp expect .gitattributes &&
		psm init >/dev/null &&
		test_cmp expect .gitattributes
	)
'

# Two branches of one store, each changing the same issue: git merge with
# the driver from psm init.
setup_branches () {
	git init -q "$1" && (
		cd "$1" &&
		psm init >/dev/null &&
		id=$(psm intake -t "Crash on save" -l ui -l auth --reporter "Dana <dana@a.example>") &&
		echo "$id" >../id &&
		git checkout -q -b other &&
		git checkout -q main
	)
}

test_expect_success 'git merge with the driver: a label on each side, clean' '
	setup_branches m1 && (
		cd m1 &&
		f=$(git ls-files "issues/*/*.md" | grep -v README) &&
		edit "$f" "s/^- ui$/- ui\n- zebra/" && git commit -qam "ours: +zebra" &&
		git checkout -q other &&
		edit "$f" "s/^- auth$/- aardvark\n- auth/" && git commit -qam "theirs: +aardvark" &&
		git checkout -q main &&
		git merge -q --no-edit other &&
		grep "^- zebra$" "$f" && grep "^- aardvark$" "$f" &&
		psm check
	)
'

test_expect_success 'git merge with the driver: a real conflict stops the merge' '
	(
		cd m1 &&
		f=$(git ls-files "issues/*/*.md" | grep -v README) &&
		git checkout -q other &&
		edit "$f" "s/^status: new/status: triaged/" && git commit -qam "triaged" &&
		git checkout -q main &&
		edit "$f" "s/^status: new/status: blocked/" && git commit -qam "blocked" &&
		test_must_fail git merge -q --no-edit other &&
		git ls-files -u >unmerged &&
		test_line_count = 3 unmerged &&
		test_expect_code 1 psm check >out &&
		grep "unresolved merge conflict" out &&
		git merge --abort
	)
'

test_expect_success 'without the driver, one key per line keeps most merges clean' '
	git init -q plain && (
		cd plain &&
		psm init >/dev/null &&
		git rm -q --cached .gitattributes && rm .gitattributes &&
		git config --unset merge.psm.driver &&
		git commit -qm "no driver" &&
		id=$(psm intake -t "Slow sync" -l alpha -l mid -l zulu --type bug) &&
		f=$(git ls-files "issues/*/*.md" | grep -v README) &&
		git checkout -q -b other &&
		edit "$f" "s/^title: .*/title: Slow sync on Android/" &&
		edit "$f" "s/^- alpha$/- alpha\n- beta/" && git commit -qam "theirs" &&
		git checkout -q main &&
		edit "$f" "s/^source: .*/source: email/" &&
		edit "$f" "s/^- zulu$/- yak\n- zulu/" && git commit -qam "ours" &&
		git merge -q --no-edit other &&
		grep "^title: Slow sync on Android$" "$f" && grep "^source: email$" "$f" &&
		sed -n "/^labels:/,/^source:/p" "$f" >labels &&
		printf "%s\n" labels: "- alpha" "- beta" "- mid" "- yak" "- zulu" "source: email" >expect &&
		test_cmp expect labels &&
		psm check
	)
'

test_done
