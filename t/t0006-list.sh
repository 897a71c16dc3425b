#!/bin/sh

test_description='psm list

Every search term, their AND and OR, open issues by default, the table on a
terminal (aligned, cut to the width, colour unless NO_COLOR), --format tsv
and --format json, and unreadable files named on stderr.'

. ./test-lib.sh

command -v python3 >/dev/null 2>&1 && test_set_prereq PYTHON

# mkissue ID STATUS CREATED TITLE [KEY: VALUE | "labels: a b"]... <BODY
mkissue () {
	_id=$1 _status=$2 _created=$3 _title=$4 &&
	shift 4 &&
	mkdir -p "issues/$(printf %.2s "$_id")" &&
	{
		printf -- "---\nid: %s\ntitle: %s\nstatus: %s\n" "$_id" "$_title" "$_status" &&
		for kv
		do
			case $kv in
			labels:*)
				echo "labels:" &&
				for l in ${kv#labels:}
				do
					echo "- $l"
				done ;;
			*)
				echo "$kv" ;;
			esac
		done &&
		printf "created: %s\nupdated: %s\n---\n" "$_created" "$_created" &&
		cat
	} >"issues/$(printf %.2s "$_id")/$_id.md"
}

# ids [TERMS...]: the short IDs psm list finds, one per line.
ids () {
	psm list --format tsv "$@" >tsv &&
	cut -c1-7 tsv
}

test_expect_success 'setup' '
	psm init &&
	mkissue a100000000 new 2026-11-01T09:00:00Z "Login fails on Safari" \
		"type: bug" "impact: core" "labels: login safari" \
		"owner: ann@example.com" "customer: Acme" "source: email" <<-\EOF &&
	Steps: open the login page in Safari 17.
	EOF
	mkissue b200000000 triaged 2026-11-05T12:00:00Z "CSV export slow" \
		"type: usability" "impact: repeated" "labels: csv" \
		"owner: bob@example.com" "customer: Globex" "source: chat" <<-\EOF &&
	Takes minutes for big accounts; the invoice export too.
	EOF
	mkissue c300000000 in-progress 2026-11-10T00:00:00Z "Docs for API keys unclear" \
		"type: docs" "impact: explanation" "source: form" </dev/null &&
	mkissue d400000000 closed 2026-11-12T08:00:00Z "Dark mode request" \
		"type: feature" "impact: edge" "labels: ui" "customer: Acme" \
		"source: app-store" "resolution: wontfix" </dev/null &&
	mkissue e500000000 blocked 2026-11-15T15:30:00Z "Invoice total wrong" \
		"type: bug" "impact: core" "labels: billing csv" \
		"owner: ann@example.com" "source: email" <<-\EOF &&
	Rounding error on the last line.
	EOF
	psm check &&
	git add issues &&
	git commit -q -m "issues"
'

test_expect_success 'by default: open issues, oldest first' '
	ids >actual &&
	printf "%s\n" a100000 b200000 c300000 e500000 >expect &&
	test_cmp expect actual
'

test_expect_success 'is:open, is:closed, status:' '
	ids is:open >actual &&
	printf "%s\n" a100000 b200000 c300000 e500000 >expect &&
	test_cmp expect actual &&
	ids is:closed >actual &&
	echo d400000 >expect &&
	test_cmp expect actual &&
	ids status:closed >actual &&
	test_cmp expect actual &&
	ids status:triaged >actual &&
	echo b200000 >expect &&
	test_cmp expect actual &&
	ids status:in-progress >actual &&
	echo c300000 >expect &&
	test_cmp expect actual
'

test_expect_success 'type:, impact:, label:, owner:, customer:, source:' '
	printf "%s\n" a100000 e500000 >expect &&
	ids type:bug >actual && test_cmp expect actual &&
	ids impact:core >actual && test_cmp expect actual &&
	ids owner:ann@example.com >actual && test_cmp expect actual &&
	ids source:email >actual && test_cmp expect actual &&
	printf "%s\n" b200000 e500000 >expect &&
	ids label:csv >actual && test_cmp expect actual &&
	echo a100000 >expect &&
	ids customer:Acme >actual && test_cmp expect actual &&
	ids customer:acme >actual && test_cmp expect actual &&
	ids customer:Acme status:closed >actual &&
	echo d400000 >expect &&
	test_cmp expect actual &&
	echo c300000 >expect &&
	ids owner:none >actual && test_cmp expect actual
'

test_expect_success 'created> and created< with dates, times and ages' '
	echo e500000 >expect &&
	ids "created>2026-11-10" >actual && test_cmp expect actual &&
	printf "%s\n" c300000 e500000 >expect &&
	ids "created>=2026-11-10" >actual && test_cmp expect actual &&
	echo a100000 >expect &&
	ids "created<2026-11-05" >actual && test_cmp expect actual &&
	ids "created<2026-11-05T12:00:00Z" >actual && test_cmp expect actual &&
	printf "%s\n" a100000 b200000 >expect &&
	ids "created<=2026-11-05T12:00:00Z" >actual && test_cmp expect actual &&
	echo e500000 >expect &&
	ids "created>7d" >actual && test_cmp expect actual &&
	printf "%s\n" b200000 c300000 >expect &&
	ids "created>2026-11-02" "created<2026-11-12" >actual && test_cmp expect actual
'

test_expect_success 'free words match title and body, ignoring case' '
	echo a100000 >expect &&
	ids safari >actual && test_cmp expect actual &&
	ids SAFARI >actual && test_cmp expect actual &&
	printf "%s\n" b200000 e500000 >expect &&
	ids invoice >actual && test_cmp expect actual &&
	echo e500000 >expect &&
	ids rounding >actual && test_cmp expect actual
'

test_expect_success 'several terms AND together' '
	echo e500000 >expect &&
	ids type:bug label:csv >actual && test_cmp expect actual &&
	ids invoice owner:ann@example.com type:bug >actual && test_cmp expect actual &&
	ids type:bug label:csv safari >actual &&
	test_line_count = 0 actual
'

test_expect_success 'OR: every term of one side; each side open only unless it says' '
	printf "%s\n" a100000 b200000 e500000 >expect &&
	ids label:csv OR customer:acme >actual &&
	test_cmp expect actual &&
	printf "%s\n" a100000 d400000 e500000 >expect &&
	ids type:bug OR is:closed >actual &&
	test_cmp expect actual &&
	printf "%s\n" b200000 c300000 >expect &&
	ids type:usability OR type:docs OR label:nothing >actual &&
	test_cmp expect actual &&
	# lower case "or" is a word, as before
	ids csv or safari >actual &&
	test_line_count = 0 actual &&
	for bad in "OR type:bug" "type:bug OR" "type:bug OR OR type:docs" OR
	do
		test_expect_code 128 psm list $bad 2>err &&
		grep "^fatal: .OR. needs a search term on each side" err || return 1
	done
'

test_expect_success 'an old tracker ID: external_id:, or a word; closed ones hinted' '
	mkissue f600000000 closed 2026-11-16T09:00:00Z "Imported from the old tracker" \
		"external_id: BACK-634" "resolution: fixed" </dev/null &&
	ids external_id:back-634 >actual &&
	echo f600000 >expect &&
	test_cmp expect actual &&
	ids BACK-634 is:closed >actual &&
	test_cmp expect actual &&
	psm list BACK-634 >out 2>err &&
	test_line_count = 0 out &&
	echo "hint: no open issue matches; 1 closed one does: add is:closed" >expect &&
	test_cmp expect err &&
	psm list "dark mode" OR back-634 >out 2>err &&
	grep "closed ones do: add is:closed" err &&
	psm list label:nothing >out 2>err &&
	! test -s err &&
	psm list safari >out 2>err &&
	! test -s err &&
	rm -r issues/f6
'

test_expect_success 'no match prints nothing and succeeds' '
	psm list label:nothing >out &&
	test_line_count = 0 out &&
	psm list --format json label:nothing >json &&
	echo "[]" >expect &&
	test_cmp expect json
'

test_expect_success 'bad terms are errors' '
	test_expect_code 128 psm list colour:red 2>err &&
	grep "unknown search term .colour:red." err &&
	test_expect_code 128 psm list "created>soon" 2>err &&
	grep "invalid time .soon." err &&
	test_expect_code 128 psm list is:maybe 2>err &&
	grep "is:open or is:closed" err &&
	test_expect_code 128 psm list is:blocked 2>err &&
	grep "^fatal: unknown term .is:blocked.: use status:blocked (is: takes open or closed)\$" err
'

test_expect_success 'an ID given as a plain word matches nothing, with a hint' '
	psm list a100000 >out 2>err &&
	test_line_count = 0 out &&
	grep "^hint: .a100000. is an issue.s ID: psm show a100000, or psm list id:a100000\$" err &&
	psm list id:a100000 >out &&
	grep "^a100000 " out &&
	psm list nothing-here >out 2>err &&
	test_line_count = 0 err &&
	psm list safari >out 2>err &&
	test_line_count = 0 err
'

test_expect_success '--format tsv: one line per issue, fixed fields' '
	psm list --format tsv >actual &&
	printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n" \
		a100000000 new bug core ann@example.com 0 2026-11-01T09:00:00Z "Login fails on Safari" \
		b200000000 triaged usability repeated bob@example.com 0 2026-11-05T12:00:00Z "CSV export slow" \
		c300000000 in-progress docs explanation "" 0 2026-11-10T00:00:00Z "Docs for API keys unclear" \
		e500000000 blocked bug core ann@example.com 0 2026-11-15T15:30:00Z "Invoice total wrong" \
		>expect &&
	test_cmp expect actual
'

test_expect_success '--format json: an array of issue objects with every field and path' '
	psm list --format json >open.json &&
	cat >check.py <<-\EOF &&
	import json, sys
	a = json.load(open(sys.argv[1], encoding="utf-8"))
	assert isinstance(a, list) and len(a) == int(sys.argv[2]), a
	known = ["id", "title", "status", "type", "impact", "response", "labels",
	         "owner", "customer", "source", "reporters", "created", "updated",
	         "responded", "closed", "resolution", "duplicate_of", "release"]
	for o in a:
	    for k in known + ["path", "body", "short_id"]:
	        assert k in o, (k, o)
	    assert o["path"] == "issues/%s/%s.md" % (o["id"][:2], o["id"]), o["path"]
	    assert isinstance(o["labels"], list) and isinstance(o["reporters"], list)
	byid = {o["id"]: o for o in a}
	if "a100000000" in byid:
	    o = byid["a100000000"]
	    assert o["title"] == "Login fails on Safari"
	    assert o["labels"] == ["login", "safari"]
	    assert o["owner"] == "ann@example.com" and o["customer"] == "Acme"
	    assert o["created"] == "2026-11-01T09:00:00Z"
	    assert o["body"] == "Steps: open the login page in Safari 17.\n"
	    assert o["response"] is None and o["short_id"] == "a100000"
	EOF
	python3 check.py open.json 4 &&
	psm list --format json status:closed >closed.json &&
	python3 check.py closed.json 1
'

test_expect_success JQ '--format json works with jq' '
	psm list --format json >json &&
	jq -e "type == \"array\" and length == 4" json &&
	jq -r ".[].short_id" json >actual &&
	printf "%s\n" a100000 b200000 c300000 e500000 >expect &&
	test_cmp expect actual
'

test_expect_success 'off a terminal the table has no colour' '
	psm list >out &&
	! grep "$(printf "\033")" out &&
	head -n 1 out >header &&
	grep "^ID  *STATUS  *TYPE  *IMPACT  *OWNER  *REP  *AGE  *TITLE\$" header &&
	test_line_count = 5 out
'

# table_check FILE: the table is aligned (each row'"'"'s title starts under
# TITLE) and no line is wider than 80 columns.
cat >table_check.py <<\EOF
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
plain = re.sub("\x1b\\[[0-9;]*m", "", text)
lines = plain.rstrip("\n").split("\n")
col = lines[0].index("TITLE")
for name in ("STATUS", "TYPE", "IMPACT"):
    c = lines[0].index(name)
    for l in lines[1:]:
        assert l[c - 1] == " " and l[c] != " ", (name, l)
titles = {"a100000": "Login fails on Safari", "b200000": "CSV export slow",
          "c300000": "Docs for API keys unclear", "e500000": "Invoice total wrong",
          "f600000": "A very long title that goes on and on well past the edge"}
for l in lines[1:]:
    assert len(l) <= 80, (len(l), l)
    want, shown = titles[l[:7]], l[col:]
    if shown.endswith("\u2026"):
        assert len(shown) >= 24 and want.startswith(shown[:-1]), (l, col)
    else:
        assert shown == want, (l, col)
print("%d rows, title at column %d" % (len(lines) - 1, col))
EOF

test_expect_success TTY 'on a terminal: an aligned table cut to the width' '
	mkissue f600000000 new 2026-11-16T00:00:00Z \
		"A very long title that goes on and on well past the edge of an eighty column terminal" \
		</dev/null &&
	test_terminal psm list >out &&
	python3 "$TRASH_DIRECTORY/table_check.py" out &&
	grep "^f600000 .*…\$" out &&
	! grep "eighty column terminal" out
'

test_expect_success TTY 'on a terminal: colour unless NO_COLOR' '
	TERM=xterm-256color &&
	export TERM &&
	test_terminal psm list >out &&
	grep "$(printf "\033")\[" out &&
	python3 "$TRASH_DIRECTORY/table_check.py" out &&
	test_terminal env NO_COLOR=1 psm list >out &&
	! grep "$(printf "\033")" out &&
	test_terminal env TERM=dumb psm list >out &&
	! grep "$(printf "\033")" out
'

test_expect_success 'a broken file is named on stderr; the others are still listed' '
	rm -rf issues/f6 &&
	mkdir -p issues/zz &&
	printf -- "---\nid: zz00000000\ntitle: [unclosed\nstatus: new\n---\n" >issues/zz/zz00000000.md &&
	test_expect_code 1 psm list --format tsv >out 2>err &&
	test_line_count = 4 out &&
	grep "^error: issues/zz/zz00000000.md:[0-9]*:[0-9]*: " err &&
	grep "1 issue file could not be read" err &&
	test_expect_code 1 psm list --format json >json 2>err &&
	python3 -c "import json,sys; assert len(json.load(open(sys.argv[1]))) == 4" json &&
	grep "issues/zz/zz00000000.md" err &&
	test_expect_code 1 psm list >out 2>err &&
	grep "zz00000000" err &&
	! grep "zz00000000" out
'

test_expect_success 'a file without front matter is named too' '
	printf "just text\n" >issues/zz/zz00000001.md &&
	test_expect_code 1 psm list --format tsv >out 2>err &&
	test_line_count = 4 out &&
	grep "issues/zz/zz00000001.md:1:1: missing front matter" err &&
	grep "2 issue files could not be read" err &&
	rm -r issues/zz
'

test_expect_success 'sort, reverse and limit' '
	psm list --format tsv -s title >tsv &&
	cut -f8 tsv >actual &&
	printf "%s\n" "CSV export slow" "Docs for API keys unclear" "Invoice total wrong" \
		"Login fails on Safari" >expect &&
	test_cmp expect actual &&
	psm list --format tsv -r -n 2 >tsv &&
	cut -c1-7 tsv >actual &&
	printf "%s\n" e500000 c300000 >expect &&
	test_cmp expect actual
'

test_expect_success PYTHON,JQ 'a JSON listing of many issues: every one, in order' '
	gen_store many 5 700 &&
	(
		cd many &&
		psm list --format tsv | cut -f1 >expect &&
		test $(wc -l <expect) -gt 300 &&
		psm list --format json >json &&
		jq -r ".[].id" json >ids &&
		test_cmp expect ids &&
		psm list --format json -s title -r >json &&
		jq -r ".[].title" json >titles &&
		psm list --format tsv -s title -r | cut -f8 >expect &&
		test_cmp expect titles &&
		psm --no-cache list --format json -s title -r >json.files &&
		test_cmp json.files json
	)
'

# The table of many issues is measured and made on every core
# (cmd/ring.c): its rows are the TSV's, in order, and every title starts
# in the column of the header's TITLE.
test_expect_success PYTHON 'a table of many issues: every row, in order, aligned' '
	(
		cd many &&
		for cols in "" 100 60
		do
			COLUMNS=$cols psm list -s title -r >table &&
			psm list --format tsv -s title -r >tsv &&
			test $(wc -l <tsv) -gt 300 &&
			sed 1d table | cut -d" " -f1 >table.ids &&
			cut -f1 tsv | cut -c1-$(head -n 1 table.ids | wc -c | awk "{ print \$1 - 1 }") >tsv.ids &&
			test_cmp tsv.ids table.ids &&
			python3 -c "
import sys
lines = open(\"table\", encoding=\"utf-8\").read().splitlines()
at = lines[0].index(\"TITLE\")
width = int(sys.argv[1] or 0)
for l in lines[1:]:
    assert l[at - 2:at] == \"  \" and l[at] != \" \", l
    assert not width or len(l) <= width, l
" "$cols" || return 1
		done
	)
'

test_done
