#!/bin/sh

test_description='psm check

path:line:col: error: message for every problem, exit 1; --format json;
exit 0 on a clean store; explicit paths.'

. ./test-lib.sh

# put PATH <TEXT: write an issue file (making its folder).
put () {
	mkdir -p "${1%/*}" &&
	cat >"$1"
}

test_expect_success 'setup: a clean store' '
	psm init &&
	psm intake -t "A good issue" --type bug -l csv \
		--reporter "Ann <ann@example.com>" --source email >id &&
	psm intake -t "Another" >/dev/null &&
	put issues/g1/g100000000.md <<-\EOF
	---
	id: g100000000
	title: Hand-made and valid
	status: closed
	resolution: fixed
	created: 2026-11-01T10:00:00Z
	closed: 2026-11-02T10:00:00+01:00
	x-unknown: [kept, fine]
	---
	EOF
'

test_expect_success 'a clean store: exit 0, no output' '
	psm check >out &&
	test_line_count = 0 out &&
	psm check --format json >json &&
	python3 -c "
import json, sys
o = json.load(open(sys.argv[1]))
assert o == {\"version\": 1, \"files\": 3, \"errors\": []}, o
" json
'

test_expect_success 'setup: one broken file per problem' '
	put issues/b1/b100000000.md <<-\EOF &&
	---
	id: b100000000
	title: [unclosed
	status: new
	---
	EOF
	put issues/b2/b200000000.md <<-\EOF &&
	---
	id: b200000000
	status: new
	created: 2026-11-01T10:00:00Z
	---
	EOF
	put issues/b3/b300000000.md <<-\EOF &&
	---
	title: No id
	status: new
	created: 2026-11-01T10:00:00Z
	---
	EOF
	put issues/b4/b400000000.md <<-\EOF &&
	---
	id: b400000000
	title: No status
	created: 2026-11-01T10:00:00Z
	---
	EOF
	put issues/b5/b500000000.md <<-\EOF &&
	---
	id: b500000000
	title: Bad status
	status: wip
	created: 2026-11-01T10:00:00Z
	---
	EOF
	put issues/b6/b600000000.md <<-\EOF &&
	---
	id: b600000000
	title: Bad time
	status: new
	created: yesterday
	updated: 2026-13-01T00:00:00Z
	---
	EOF
	put issues/b7/b700000000.md <<-\EOF &&
	---
	id: b700000000
	title: Bad vocabulary
	status: new
	type: crash
	impact: huge
	source: fax
	created: 2026-11-01T10:00:00Z
	---
	EOF
	put issues/b8/b800000000.md <<-\EOF &&
	---
	id: b800000000
	title: Duplicate of nothing
	status: closed
	resolution: duplicate
	duplicate_of: zz00000000
	created: 2026-11-01T10:00:00Z
	---
	EOF
	put issues/b9/b900000000.md <issues/g1/g100000000.md &&
	put issues/ba/ba00000000.md <<-\EOF
	no front matter
	EOF
'

test_expect_success 'every problem: path:line:col: error: message, exit 1' '
	test_expect_code 1 psm check >actual &&
	cat >expect <<-\EOF &&
	issues/b1/b100000000.md:3:8: error: did not find expected '"'"','"'"' or '"'"']'"'"' while parsing a flow sequence
	issues/ba/ba00000000.md:1:1: error: missing front matter: the file must start with a '"'"'---'"'"' line
	issues/b2/b200000000.md:1:1: error: missing '"'"'title'"'"'
	issues/b3/b300000000.md:1:1: error: missing '"'"'id'"'"'
	issues/b4/b400000000.md:1:1: error: missing '"'"'status'"'"'
	issues/b5/b500000000.md:4:9: error: status '"'"'wip'"'"' is not in the config'"'"'s statuses (new, triaged, in-progress, blocked, parked, closed)
	issues/b6/b600000000.md:5:10: error: '"'"'created'"'"' is not an RFC 3339 time like 2026-11-22T09:00:00Z
	issues/b6/b600000000.md:6:10: error: '"'"'updated'"'"' is not an RFC 3339 time like 2026-11-22T09:00:00Z
	issues/b7/b700000000.md:5:7: error: type '"'"'crash'"'"' is not in the config'"'"'s types (bug, usability, feature, docs, account)
	issues/b7/b700000000.md:6:9: error: impact '"'"'huge'"'"' is not in the config'"'"'s impacts (core, repeated, explanation, edge, strategic)
	issues/b7/b700000000.md:7:9: error: source '"'"'fax'"'"' is not in the config'"'"'s sources (email, chat, call, app-store, dm, form, github, other)
	issues/b9/b900000000.md:2:5: error: id '"'"'g100000000'"'"' does not match the file name
	issues/g1/g100000000.md:2:5: error: id '"'"'g100000000'"'"' is also used by '"'"'issues/b9/b900000000.md'"'"'
	issues/b8/b800000000.md:6:15: error: duplicate_of '"'"'zz00000000'"'"' names no issue in the store
	EOF
	test_cmp expect actual
'

test_expect_success '--format json: version, files and one object per error' '
	test_expect_code 1 psm check --format json >json &&
	cat >check.py <<-\EOF &&
	import json, sys
	o = json.load(open(sys.argv[1], encoding="utf-8"))
	assert o["version"] == 1
	assert o["files"] == 13, o["files"]
	errs = o["errors"]
	assert len(errs) == 14, len(errs)
	for e in errs:
	    assert sorted(e) == ["column", "line", "message", "path"], e
	e = [e for e in errs if e["path"] == "issues/b5/b500000000.md"][0]
	assert (e["line"], e["column"]) == (4, 9), e
	assert e["message"].startswith("status \x27wip\x27 is not in"), e
	text = [l.rstrip("\n") for l in open(sys.argv[2], encoding="utf-8")]
	assert text == ["%s:%d:%d: error: %s" % (e["path"], e["line"], e["column"],
	                e["message"]) for e in errs]
	EOF
	test_expect_code 1 psm check >text &&
	python3 check.py json text
'

test_expect_success 'check of explicit paths checks only those' '
	psm check issues/g1/g100000000.md >out &&
	test_line_count = 0 out &&
	test_expect_code 1 psm check issues/b5/b500000000.md issues/g1/g100000000.md >out &&
	test_line_count = 1 out &&
	grep "^issues/b5/b500000000.md:4:9: error: status" out &&
	test_expect_code 1 psm check --format json issues/b1/b100000000.md >json &&
	python3 -c "
import json, sys
o = json.load(open(sys.argv[1]))
assert o[\"files\"] == 1 and len(o[\"errors\"]) == 1, o
assert o[\"errors\"][0][\"line\"] == 3, o
" json
'

test_expect_success 'explicit paths relative to a subdirectory, or outside the store' '
	(
		cd issues/b6 &&
		test_expect_code 1 psm check b600000000.md >../../out
	) &&
	grep "^b600000000.md:5:10: error: .created." out &&
	put elsewhere/e100000000.md <<-\EOF &&
	---
	id: e100000000
	title: A draft outside the store
	status: new
	created: 2026-11-01T10:00:00Z
	---
	EOF
	psm check elsewhere/e100000000.md &&
	cp elsewhere/e100000000.md elsewhere/draft.md &&
	test_expect_code 1 psm check elsewhere/draft.md >out &&
	grep "^elsewhere/draft.md:2:5: error: id .e100000000. does not match the file name" out &&
	test_expect_code 1 psm check no/such/file.md >out &&
	grep "^no/such/file.md:1:1: error: could not read" out
'

test_expect_success 'check reads only: no file is changed' '
	git status --porcelain -- issues >before &&
	test_might_fail psm check >/dev/null &&
	git status --porcelain -- issues >after &&
	test_cmp before after
'

test_expect_success 'fixing the files makes the store clean again' '
	rm -r issues/b1 issues/b2 issues/b3 issues/b4 issues/b6 issues/b7 issues/b9 issues/ba &&
	sed "s/^status: wip\$/status: parked/" issues/b5/b500000000.md >fixed &&
	mv fixed issues/b5/b500000000.md &&
	sed "s/^duplicate_of: zz00000000\$/duplicate_of: g100000000/" issues/b8/b800000000.md >fixed &&
	mv fixed issues/b8/b800000000.md &&
	psm check >out &&
	test_line_count = 0 out
'

test_done
