#!/bin/sh

test_description='docs/format.md matches what psm reads and writes

The example issue file of docs/format.md passes psm check and gives exactly
the example JSON; the JSON members, the known keys and the TSV columns are
the ones the document lists; the quoting examples are what psm writes; and
the benchmark generator (bench/gen.py) writes files psm accepts.'

. ./test-lib.sh

DOC=$PSM_SOURCE_DIR/docs/format.md
command -v python3 >/dev/null 2>&1 && test_set_prereq PYTHON

# doc_block MARKER: the first fenced code block after the line holding MARKER.
doc_block () {
	awk -v m="$1" '
		!seen && index($0, m) { seen = 1; next }
		seen && !inb && /^```/ { inb = 1; next }
		inb && /^```/ { exit }
		inb { print }' "$DOC"
}

# json_keys FILE: the member names of a JSON object (or of the first one in an
# array), one a line, in order.
json_keys () {
	python3 -c '
import json, sys
v = json.load(open(sys.argv[1]))
if isinstance(v, list):
    v = v[0]
print("\n".join(v))' "$1"
}

test_expect_success 'set up a store with the example issue of docs/format.md' '
	psm init &&
	doc_block "Example, as psm writes it:" >example.md &&
	head -n 1 example.md >first &&
	echo --- >expect &&
	test_cmp expect first &&
	id=$(sed -n "s/^id: //p" example.md) &&
	test "$id" = 7kq2m9xabc &&
	mkdir -p issues/7k &&
	cp example.md issues/7k/$id.md
'

test_expect_success 'the example issue passes psm check' '
	psm check >out &&
	test_line_count = 0 out
'

test_expect_success PYTHON 'psm show --format json gives exactly the example JSON' '
	doc_block "Example (\`psm show --format json 7kq2m9x\`):" >expect.json &&
	test_line_count -gt 30 expect.json &&
	psm show --format json 7kq2m9x >actual.json &&
	python3 -c "
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:])
sys.exit(a != b or list(a) != list(b))" expect.json actual.json &&
	test_cmp expect.json actual.json
'

test_expect_success PYTHON 'the known keys are listed in the document, in order' '
	doc_block "psm writes the keys it knows in this order" | tr " " "\n" |
		sed "/^\$/d" >doc-keys &&
	json_keys actual.json >json-keys &&
	sed -n "/^short_id\$/q;p" json-keys >known-keys &&
	test_cmp doc-keys known-keys
'

test_expect_success PYTHON 'every known key and JSON member is described' '
	sed -n "/^short_id\$/,\$p" json-keys >derived &&
	test_line_count = 5 derived &&
	while read -r k
	do
		# a row of the fields table ...
		grep "^| \`$k\` |" "$DOC" >/dev/null || {
			echo "docs/format.md: no row for field $k" >&2
			return 1
		}
	done <known-keys &&
	while read -r k
	do
		# ... or of the derived members table
		grep "^| \`$k\` | " "$DOC" >/dev/null || {
			echo "docs/format.md: no row for member $k" >&2
			return 1
		}
	done <derived
'

test_expect_success PYTHON 'absent fields: null, [] for lists, 0 for reopened' '
	psm intake -t bare >id &&
	psm show --format json "$(cat id)" >bare.json &&
	python3 -c "
import json, sys
o = json.load(open(sys.argv[1]))
assert o[\"labels\"] == [] and o[\"reporters\"] == [] and o[\"ratings\"] == [], o
assert o[\"reopened\"] == 0, o
assert o[\"owner\"] is None and o[\"impact\"] is None and o[\"followup\"] is None, o
assert o[\"extra\"] == {} and o[\"body\"] == \"\", o
assert o[\"reporter_count\"] == 0 and len(o[\"short_id\"]) >= 7, o
" bare.json
'

test_expect_success PYTHON 'keys psm does not know go to extra, as strings' '
	f=issues/7k/7kq2m9xabc.md &&
	sed "s/^status: new/status: new\\nacme_sla: 4\\nacme_tags: [a, b]/" $f >tmp &&
	mv tmp $f &&
	psm check &&
	psm show --format json 7kq2m9x >extra.json &&
	python3 -c "
import json, sys
o = json.load(open(sys.argv[1]))
assert o[\"extra\"] == {\"acme_sla\": \"4\", \"acme_tags\": [\"a\", \"b\"]}, o[\"extra\"]
assert list(o)[-1] == \"extra\"
" extra.json
'

test_expect_success PYTHON 'a body that is not UTF-8 still has its body member' '
	printf "caf\\351\\n" >>issues/7k/7kq2m9xabc.md &&
	psm show --format json 7kq2m9x >bad.json &&
	python3 -c "
import json, sys
o = json.load(open(sys.argv[1]))
assert o[\"body\"].endswith(\"caf\\ufffd\\n\"), repr(o[\"body\"])
" bad.json &&
	psm list --format json >list.json &&
	python3 -c "
import json, sys
a = json.load(open(sys.argv[1]))
assert all(\"body\" in o for o in a) and len(a) == 2, a
" list.json
'

test_expect_success 'list --format tsv has the eight documented columns' '
	psm list --format tsv id:7kq2m9x >tsv &&
	test_line_count = 1 tsv &&
	awk -F "	" "{ print NF }" tsv >nf &&
	echo 8 >expect &&
	test_cmp expect nf &&
	printf "7kq2m9xabc\tnew\tbug\t\t\t1\t2026-11-20T10:00:00Z\tFix: crash on \"start\" — ünïcode\n" >expect &&
	test_cmp expect tsv &&
	# the document lists them in this order
	sed -n "/^## psm list.s TSV/,/^## /s/^| [1-8] | \(.*\) |\$/\1/p" "$DOC" >cols &&
	test_line_count = 8 cols &&
	head -n 1 cols | grep "^\`id\`" &&
	tail -n 1 cols | grep "^\`title\`"
'

test_expect_success PYTHON 'psm check --format json has the documented members' '
	f=issues/7k/7kq2m9xabc.md &&
	sed "s/^status: new/status: done/" $f >tmp && mv tmp $f &&
	test_expect_code 1 psm check --format json >check.json &&
	python3 -c "
import json, sys
o = json.load(open(sys.argv[1]))
assert list(o) == [\"version\", \"files\", \"errors\"], o
assert o[\"version\"] == 1 and o[\"files\"] == 2, o
e = o[\"errors\"][0]
assert list(e) == [\"path\", \"line\", \"column\", \"message\"], e
assert e[\"path\"] == \"issues/7k/7kq2m9xabc.md\" and e[\"line\"] == 4 and e[\"column\"] == 9, e
" check.json &&
	test_expect_code 1 psm check >check.txt &&
	grep "^issues/7k/7kq2m9xabc.md:4:9: error: status .done. is not in the config.s statuses" check.txt
'

test_expect_success 'psm writes the quoting examples of the document' '
	psm intake -t "Fix: crash on \"start\" — ünïcode" --customer "Acme, Inc." -l yes >id1 &&
	psm intake -t 2026-11-20 >id2 &&
	psm intake -t "'"'"'quoted'"'"'" >id3 &&
	for i in 1 2 3
	do
		cat issues/*/$(cat id$i)*.md || return 1
	done >written &&
	grep -x "title: '"'"'Fix: crash on \"start\" — ünïcode'"'"'" written &&
	grep -x "customer: Acme, Inc." written &&
	grep -x -- "- '"'"'yes'"'"'" written &&
	grep -x "title: '"'"'2026-11-20'"'"'" written &&
	grep -x "title: '"'"''"'"''"'"'quoted'"'"''"'"''"'"'" written &&
	# and the document shows the same lines
	grep -F "\`title: '"'"'2026-11-20'"'"'\`" "$DOC" &&
	grep -F "\`customer: Acme, Inc.\`" "$DOC"
'

test_expect_success PYYAML 'PyYAML reads back the strings psm wrote' '
	for i in 1 2 3
	do
		f=$(ls issues/*/$(cat id$i)*.md) &&
		psm show --format json $(cat id$i) >j$i &&
		python3 -c "
import json, sys, yaml
text = open(sys.argv[1], encoding=\"utf-8\").read().split(\"---\n\")[1]
y = yaml.safe_load(text)
j = json.load(open(sys.argv[2]))
for k in (\"title\", \"customer\", \"labels\"):
    want = j[k] if j[k] != [] else None
    assert y.get(k) == want, (k, y.get(k), want)
" "$f" j$i || return 1
	done
'

test_expect_success PYTHON 'bench/gen.py writes issues that psm check accepts' '
	mkdir gen &&
	(
		cd gen &&
		git init -q &&
		psm init --no-commit >/dev/null &&
		python3 "$PSM_SOURCE_DIR/bench/gen.py" --seed 7 . 200 >first-id &&
		psm check >out &&
		test_line_count = 0 out &&
		find issues -name "*.md" ! -name README.md >files &&
		test_line_count = 200 files &&
		psm list --format tsv is:open >open &&
		psm list --format tsv is:closed >closed &&
		test $(($(wc -l <open) + $(wc -l <closed))) = 200 &&
		psm show "$(cat first-id)" >shown &&
		grep "^reporters\|^status" shown
	)
'

test_done
