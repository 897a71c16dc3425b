#!/bin/sh

test_description='the issue file format

Plain YAML front matter any reader gets back exactly (PyYAML safe_load, psm
show --format json), block-style lists, one fixed key order, quoting only
where YAML needs it, the body untouched, and files psm only reads are never
rewritten.'

. ./test-lib.sh

# front_matter FILE: the YAML between the two fences.
front_matter () {
	awk 'NR == 1 { next } /^---$/ { exit } { print }' "$1"
}

test_expect_success 'setup' '
	psm init
'

title='Fix: crash on "start" — ünïcode'

test_expect_success 'a full intake writes exactly this file' '
	printf "Steps:\n\n1. open\n2. crash\n" >body &&
	id=$(psm intake -t "$title" -F body --type bug -l import -l csv \
		--customer "Acme Corp" --source email \
		--reporter "Ann Example <ann@example.com>") &&
	echo "$id" >id &&
	file=$(issue_file "$id") &&
	full=$(basename "$file" .md) &&
	cat >expect <<-EOF &&
	---
	$(id_line $full)
	title: '"'"'Fix: crash on "start" — ünïcode'"'"'
	status: new
	type: bug
	labels:
	- csv
	- import
	customer: Acme Corp
	source: email
	reporters:
	- name: Ann Example
	  email: ann@example.com
	  channel: email
	  at: 2026-11-20T10:00:00Z
	created: 2026-11-20T10:00:00Z
	updated: 2026-11-20T10:00:00Z
	---
	Steps:

	1. open
	2. crash
	EOF
	test_cmp expect "$file"
'

test_expect_success PYYAML 'the title round-trips exactly through PyYAML' '
	file=$(issue_file "$(cat id)") &&
	front_matter "$file" >fm.yml &&
	cat >load.py <<-\EOF &&
	import sys, yaml
	d = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
	sys.stdout.write(d["title"] + "\n")
	EOF
	python3 load.py fm.yml >actual &&
	printf "%s\n" "$title" >expect &&
	test_cmp expect actual
'

test_expect_success 'the title round-trips exactly through psm show --format json' '
	psm show --format json "$(cat id)" >show.json &&
	python3 -c "import json,sys; print(json.load(open(sys.argv[1]))[\"title\"])" show.json >actual &&
	printf "%s\n" "$title" >expect &&
	test_cmp expect actual
'

test_expect_success PYYAML 'every value reads back as what psm holds' '
	file=$(issue_file "$(cat id)") &&
	front_matter "$file" >fm.yml &&
	cat >cmp.py <<-\EOF &&
	import json, sys, yaml, datetime
	fm = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
	js = json.load(open(sys.argv[2], encoding="utf-8"))
	def norm(v):
	    if isinstance(v, datetime.datetime):
	        return v.strftime("%Y-%m-%dT%H:%M:%SZ")
	    if isinstance(v, list):
	        return [norm(x) for x in v]
	    if isinstance(v, dict):
	        return {k: norm(x) for k, x in v.items()}
	    return v
	for k, v in fm.items():
	    assert norm(v) == js[k], (k, v, js[k])
	assert list(fm) == ["id", "title", "status", "type", "labels", "customer",
	                    "source", "reporters", "created", "updated"], list(fm)
	EOF
	python3 cmp.py fm.yml show.json
'

test_expect_success 'lists are block style and sorted' '
	file=$(issue_file "$(cat id)") &&
	front_matter "$file" >fm &&
	! grep "\[" fm &&
	sed -n "/^labels:/,/^[a-z]/p" fm >labels &&
	printf "labels:\n- csv\n- import\ncustomer: Acme Corp\n" >expect &&
	test_cmp expect labels
'

test_expect_success 'keys come in one fixed order, whatever the option order' '
	id=$(psm intake --reporter ann@example.com -l b --source chat --customer C \
		--type feature -m body -t "order") &&
	front_matter "$(issue_file "$id")" | sed -n "s/^\([a-z_]*\):.*/\1/p" >keys &&
	printf "%s\n" id title status type labels customer source reporters created updated >expect &&
	test_cmp expect keys
'

# Titles a naive writer gets wrong: YAML 1.1 booleans and nulls, numbers,
# dates and times, indicators, quotes, tabs, controls, trailing spaces.
test_expect_success PYYAML 'tricky titles round-trip through PyYAML and psm' '
	cat >tricky.py <<-\EOF &&
	import json, os, subprocess, sys, yaml
	titles = [
	    "yes", "no", "No", "NO", "on", "off", "y", "n", "true", "False", "null",
	    "Null", "~", "123", "-123", "+1", "0x1F", "0o17", "0b101", "1_000",
	    "1e3", "1.5", ".5", ".inf", "-.inf", ".nan", "1:30", "190:20:30",
	    "2026-11-22", "2026-11-22T07:00:00Z", "2026-11-22 07:00:00",
	    "2026-11-22t07:00:00.5+01:00", "- leading dash", "-", "--x", "---",
	    "...", "? question", "?x", ": colon", "a: b", "ends with colon:",
	    "a #not comment", "#hash", "a#b", "\x27single\x27", "\"double\"",
	    "it\x27s", "tab\there", "bell\x07", "esc\x1b[31mred", "del\x7f",
	    "nel\x85x", "ls\u2028x", "bom\ufeffx", "trailing spaces   ",
	    "@at", "`tick`", "%pct", "!bang", "&amp", "*star", "|pipe", ">gt",
	    "[brackets]", "{braces}", ",comma", "=", "<<", "back\\\\slash",
	    "Fix: crash on \"start\" \u2014 \u00fcn\u00efcode", "\u65e5\u672c\u8a9e",
	    "emoji \U0001F600", "nbsp\u00a0", "x, y: z # w", "nonchar \uffff",
	    "nonchar \ufffe end",
	]
	bad = 0
	for t in titles:
	    out = subprocess.run(["psm", "intake", "--no-commit", "--format", "json",
	                          "-t", t], capture_output=True, check=True).stdout
	    obj = json.loads(out)
	    text = open(obj["path"], encoding="utf-8").read()
	    fm = text.split("\n---\n", 1)[0][4:]
	    got = yaml.safe_load(fm)["title"]
	    shown = json.loads(subprocess.run(["psm", "show", "--format", "json",
	                                       obj["id"]], capture_output=True,
	                                      check=True).stdout)["title"]
	    if got != t or obj["title"] != t or shown != t:
	        bad += 1
	        print("mismatch: %r -> yaml %r, json %r, show %r" % (t, got, obj["title"], shown))
	    os.unlink(obj["path"])
	print("%d titles, %d bad" % (len(titles), bad))
	sys.exit(1 if bad else 0)
	EOF
	python3 tricky.py >out &&
	cat out &&
	grep "^[0-9]* titles, 0 bad" out
'

test_expect_success 'text that is not UTF-8 is refused, nothing written' '
	git rev-parse HEAD >before &&
	test_expect_code 128 psm intake -t "$(printf "caf\351 latin-1")" 2>err &&
	grep "not valid UTF-8" err &&
	test_expect_code 128 psm intake -t ok --customer "$(printf "\377")" 2>err &&
	grep "not valid UTF-8" err &&
	git rev-parse HEAD >after &&
	test_cmp before after &&
	test -z "$(git status --porcelain -- issues)" &&
	psm check
'

test_expect_success 'quoting only where YAML needs it' '
	for t in "Plain title" "CSV import fails on mixed-case headers" "it'"'"'s fine" \
		"ünïcode — dash" "a:b" "C++ & co"
	do
		id=$(psm intake --no-commit -t "$t") &&
		grep -x "title: $t" "$(issue_file "$id")" || return 1
	done &&
	id=$(psm intake --no-commit -t "yes") &&
	grep -x "title: '"'"'yes'"'"'" "$(issue_file "$id")" &&
	id=$(psm intake --no-commit -t "tab	x") &&
	grep -x "title: \"tab\\\\tx\"" "$(issue_file "$id")" &&
	git clean -fq -- issues &&
	test -z "$(git status --porcelain -- issues)"
'

test_expect_success 'times are RFC 3339 UTC, written plain' '
	file=$(issue_file "$(cat id)") &&
	grep -x "created: 2026-11-20T10:00:00Z" "$file" &&
	grep -x "updated: 2026-11-20T10:00:00Z" "$file"
'

test_expect_success 'the body is stored as given' '
	cat >body.md <<-\EOF &&
	# A heading, not a comment

	---

	Text after a thematic break, with `code` and *emphasis*.

	```yaml
	title: not front matter
	---
	```
	Trailing spaces here:   
	and a hard line break above.
	EOF
	id=$(psm intake -t "body" -F body.md) &&
	body_of "$(issue_file "$id")" >actual &&
	test_cmp body.md actual &&
	psm show --format json "$id" >json &&
	python3 -c "import json,sys; sys.stdout.write(json.load(open(sys.argv[1]))[\"body\"])" json >actual &&
	test_cmp body.md actual
'

test_expect_success 'a hand-written file with comments, unknown keys and flow lists' '
	mkdir -p issues/hw &&
	cat >issues/hw/hw00000000.md <<-\EOF &&
	---
	# written by hand
	id: hw00000000
	title: Hand written
	status: triaged   # a comment
	x-sla: gold
	labels: [b, a]
	x-nested:
	  depth: {n: 1}
	created: 2026-11-01T00:00:00Z
	---
	Body.
	EOF
	git add issues/hw &&
	git commit -q -m "hand written" &&
	psm show --format md hw00 >actual &&
	test_cmp issues/hw/hw00000000.md actual &&
	psm show --format json hw00 >json &&
	python3 -c "
import json, sys
j = json.load(open(sys.argv[1]))
assert j[\"labels\"] == [\"b\", \"a\"], j[\"labels\"]
assert j[\"extra\"] == {\"x-sla\": \"gold\", \"x-nested\": {\"depth\": {\"n\": \"1\"}}}, j[\"extra\"]
assert j[\"status\"] == \"triaged\"
" json
'

# diff_lines: the lines the last commit removed and added.
diff_lines () {
	git diff -U0 HEAD^ HEAD | grep "^[-+]" | grep -v "^+++\|^---"
}

test_expect_success 'a write changes only its own lines; comments and unknown keys stay' '
	test_tick &&
	psm assign hw00 ann@example.com &&
	diff_lines >actual &&
	cat >expect <<-\EOF &&
	+owner: ann@example.com
	+updated: 2026-11-20T10:01:00Z
	EOF
	test_cmp expect actual &&
	grep -x "# written by hand" issues/hw/hw00000000.md &&
	grep -x "status: triaged   # a comment" issues/hw/hw00000000.md &&
	test_tick &&
	psm assign hw00 bob@example.com &&
	diff_lines >actual &&
	cat >expect <<-\EOF &&
	-owner: ann@example.com
	+owner: bob@example.com
	-updated: 2026-11-20T10:01:00Z
	+updated: 2026-11-20T10:02:00Z
	EOF
	test_cmp expect actual
'

test_expect_success 'changing a flow-style list rewrites it in block style, in place' '
	test_tick &&
	psm tag hw00 +c &&
	diff_lines >actual &&
	cat >expect <<-\EOF &&
	-labels: [b, a]
	+labels:
	+- a
	+- b
	+- c
	-updated: 2026-11-20T10:02:00Z
	+updated: 2026-11-20T10:03:00Z
	EOF
	test_cmp expect actual &&
	sed -n "3,6p" issues/hw/hw00000000.md >actual &&
	printf "id: hw00000000\ntitle: Hand written\nstatus: triaged   # a comment\nx-sla: gold\n" >expect &&
	test_cmp expect actual
'

test_expect_success 'a file with CRLF line ends keeps them on every line psm writes' '
	mkdir -p issues/cr &&
	printf -- "---\r\nid: cr00000000\r\ntitle: Written on Windows\r\nstatus: new\r\nlabels: [b]\r\ncreated: 2026-11-20T10:00:00Z\r\n---\r\nThe text.\r\n" \
		>issues/cr/cr00000000.md &&
	git add issues/cr && git commit -q -m "a CRLF file" &&
	test_tick &&
	psm tag cr00 +a &&
	psm note cr00 -m "Seen on two machines." &&
	psm check &&
	tr -d "\r" <issues/cr/cr00000000.md >plain &&
	grep -x -- "- a" plain &&
	grep -x "Seen on two machines." plain &&
	cr=$(printf "\r") &&
	test $(grep -c "$cr\$" issues/cr/cr00000000.md) = $(wc -l <issues/cr/cr00000000.md) &&
	git diff HEAD~2 -- issues/cr >d &&
	! grep "^-The text" d
'

test_expect_success 'reading never rewrites a file' '
	psm list >/dev/null &&
	psm list --format json >/dev/null &&
	psm show hw00 >/dev/null &&
	psm check >/dev/null &&
	test -z "$(git status --porcelain -- issues)"
'

test_expect_success 'the issues folder holds only issue files and its README' '
	git ls-files issues >files &&
	grep -v "^issues/[0-9a-z][0-9a-z]/[0-9a-z]\{10\}\.md$" files >other &&
	echo issues/README.md >expect &&
	test_cmp expect other
'

test_done
