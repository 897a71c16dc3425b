#!/bin/sh

test_description='psm log --format json, merges, removed files, hostile text

The JSON of docs/format.md ("psm log'"'"'s JSON"); a merge of two clones
shows each change once, under the commit that made it; a removed issue is
found by its full ID; customer text stays out of the terminal raw.'

. ./test-lib.sh

command -v python3 >/dev/null 2>&1 && test_set_prereq PYTHON3

test_expect_success 'setup' '
	psm init &&
	psm intake -t "Export drops a row" --source chat \
		--reporter "Lee Kim <lee@globex.example>" >id &&
	test_tick &&
	psm triage $(cat id) --impact repeated >/dev/null
'

test_expect_success PYTHON3 'the JSON: version, entries with commit, author, date and events' '
	psm log --format json $(cat id) >log.json &&
	python3 - "$(cat id)" "$(git rev-parse HEAD)" <<-\EOF
	import json, sys
	sid, head = sys.argv[1], sys.argv[2]
	d = json.load(open("log.json"))
	assert list(d) == ["version", "id", "short_id", "path", "entries"], list(d)
	assert d["version"] == 1 and d["short_id"] == sid and d["id"].startswith(sid)
	assert d["path"] == "issues/%s/%s.md" % (d["id"][:2], d["id"])
	e = d["entries"]
	assert len(e) == 2
	assert list(e[0]) == ["commit", "date", "author", "summary", "merge",
	                      "shallow_root", "unreadable", "events"], list(e[0])
	assert e[1]["commit"] == head and e[1]["date"] == "2026-11-20T10:01:00Z"
	assert e[0]["author"] == {"name": "A U Thor", "email": "author@example.com"}
	keys = ["event", "field", "from", "to", "who", "at", "via"]
	for x in e:
	    for v in x["events"]:
	        assert list(v) == keys, list(v)
	assert e[0]["events"] == [{"event": "intake", "field": None, "from": None,
	    "to": "Export drops a row", "who": "Lee Kim <lee@globex.example>",
	    "at": "2026-11-20T10:00:00Z", "via": "chat"}], e[0]["events"]
	kinds = [(v["event"], v["field"], v["from"], v["to"]) for v in e[1]["events"]]
	assert kinds == [("status", "status", "new", "triaged"),
	                 ("triage", "impact", None, "repeated"),
	                 ("triage", "response", None, "investigate")], kinds
	EOF
'

test_expect_success 'a merge of two clones: each change once, under its own commit' '
	git branch side &&
	psm tag $(cat id) +export >/dev/null &&
	git checkout -q side &&
	test_tick &&
	psm assign $(cat id) lee@globex.example >/dev/null &&
	git checkout -q - &&
	test_tick &&
	git merge -q --no-edit side &&
	psm check &&
	p=$(ls issues/*/$(cat id)*.md) &&
	grep "^- export\$" "$p" &&
	grep "^owner: lee@globex.example\$" "$p" &&
	psm log $(cat id) >out &&
	test $(grep -c "label +export" out) = 1 &&
	test $(grep -c "owner: none -> lee@globex.example" out) = 1 &&
	grep "(merge)\$" out &&
	grep -A2 "(merge)\$" out >merge &&
	! grep "label\|owner" merge
'

test_expect_success 'a removed issue: found by its full ID, the removal last' '
	psm intake -t "Spam" >spam &&
	full=$(psm show --format json $(cat spam) | sed -n "s/^  \"id\": \"\(.*\)\",\$/\1/p") &&
	git rm -q issues/*/$full.md &&
	git commit -q -m "remove spam" &&
	psm log $full >out &&
	tail -n 1 out >last &&
	echo "    file removed" >expect &&
	test_cmp expect last
'

test_expect_success 'a version psm cannot read, then its repair: no second intake' '
	psm intake -t "Sync is slow" >slow &&
	p=$(ls issues/*/$(cat slow)*.md) &&
	cp "$p" good.md &&
	sed "s/^title: .*/title: [unclosed/" good.md >"$p" &&
	git commit -q -m "broken by hand" "$p" &&
	cp good.md "$p" &&
	git commit -q -m "fixed by hand" "$p" &&
	psm log $(cat slow) >out &&
	test $(grep -c "taken in" out) = 1 &&
	grep -A2 "broken by hand" out >broken &&
	grep "psm cannot read the file here: 3:8: " broken &&
	grep -A1 "fixed by hand" out >fixed &&
	grep "^    the file is readable again\$" fixed &&
	psm log --format json $(cat slow) >slow.json &&
	grep "\"event\": \"repaired\"" slow.json
'

test_expect_success 'hostile text in a title and a commit message stays out of the terminal' '
	esc=$(printf "\033") &&
	psm intake -t "Crash ${esc}[2J${esc}]0;owned${esc}\\ here" >hostile &&
	p=$(ls issues/*/$(cat hostile)*.md) &&
	sed "s/^title: .*/title: \"Cleared ${esc}[2J\"/" "$p" >tmp && mv tmp "$p" &&
	git commit -q -m "fix ${esc}[31mred${esc}[m" "$p" &&
	psm log $(cat hostile) >out &&
	! grep "$esc" out &&
	grep "fix .*red" out
'

test_done
