#!/bin/sh

test_description='the JSON of list, triage --queue and roadmap, written directly

list --format json writes each issue as the text jansson dumps of it (the
object psm show --format json prints, one level in); triage --queue and
roadmap splice their own members in after the issue'\''s. An issue whose
body is not UTF-8 goes through jansson as before (U+FFFD). Checked from the
files and from the cache, against psm show, byte for byte.'

. ./test-lib.sh

command -v python3 >/dev/null 2>&1 && test_set_prereq PYTHON

test_expect_success 'setup: hostile text, nesting, extra fields, a Latin-1 body' '
	git init -q &&
	psm init &&
	mkdir -p issues/7k issues/8m issues/9p &&
	printf -- "---\nid: 7kq2m9xabc\ntitle: \"tab\\\\t \\\\\"q\\\\\" back\\\\\\\\slash \\\\e[31mred \\\\u202E bidi \\\\u2028 \\\\x7f \\\\u00e9\"\nstatus: new\ntype: bug\nimpact: core\nlabels: []\nreporters:\n- name: \"Ann \\\\x01\"\n  email: ann@example.com\n  channel: email\n- contact: \"@bo \\\\u202E\"\n  channel: chat\ncreated: 2026-11-20T10:00:00Z\nx-meta:\n  list: [1, [], {}]\n  none: {}\n---\nBody with \"quotes\", \\\\back and a tab\there.\n" \
		>issues/7k/7kq2m9xabc.md &&
	printf -- "---\nid: 8mq2m9xabc\ntitle: Latin-1 mail\nstatus: new\ncreated: 2026-11-21T10:00:00Z\n---\nLatin-1 caf\351 here.\n" \
		>issues/8m/8mq2m9xabc.md &&
	printf -- "---\nid: 9pq2m9xabc\ntitle: Wants SSO\nstatus: triaged\ntype: feature\nimpact: strategic\ncustomer: Acme\ncreated: 2026-11-22T10:00:00Z\nreporters:\n- name: Bo\n  email: bo@acme.example\n  channel: call\n---\nNeeds SAML.\n" \
		>issues/9p/9pq2m9xabc.md &&
	psm check &&
	git add issues &&
	git commit -q -m issues &&
	printf "    \"body\": \"Latin-1 caf\357\277\275 here.\\\\n\",\n" >latin1 &&
	printf "%s\n" "\\u001B[31mred \\u202E bidi \\u2028 \\u007F" >escaped
'

# expect.py KIND LISTING: each element of the listing is psm show
# --format json of its issue, every line two spaces in; KIND names the
# members the command adds after the issue's, in that order.
cat >expect.py <<'EOF'
import json, subprocess, sys
kind, path = sys.argv[1], sys.argv[2]
added = {"list": [], "triage": ["priority", "suggested_impact", "queue_reason"],
         "roadmap": ["customer_count", "priority"]}[kind]
text = open(path, "rb").read()
items = json.loads(text)
assert items, "an empty listing"
out = []
for it in items:
    show = subprocess.run(["psm", "show", "--format", "json", it["id"]],
                          check=True, capture_output=True).stdout.rstrip(b"\n")
    lines = [b"  " + l for l in show.split(b"\n")]
    if added:
        assert list(it)[-len(added):] == added, list(it)
        lines[-1:] = []
        lines[-1] += b","
        extra = json.dumps({k: it[k] for k in added}, indent=2, ensure_ascii=False)
        lines += [b"  " + l for l in extra.encode().split(b"\n")[1:-1]] + [b"  }"]
    out.append(b"\n".join(lines))
want = b"[\n" + b",\n".join(out) + b"\n]\n"
if text != want:
    sys.stdout.buffer.write(b"want:\n" + want + b"got:\n" + text)
    sys.exit(1)
EOF

for how in "" "--no-cache"
do
	test_expect_success PYTHON "list --format json ${how:-(cache)}: each issue as psm show writes it" "
		psm $how list --format json >list.json &&
		python3 expect.py list list.json &&
		grep -x -F -f latin1 list.json &&
		grep -F -f escaped list.json
	"

	test_expect_success PYTHON "triage --queue --format json ${how:-(cache)}: its members after the issue's" "
		psm $how triage --queue --format json >queue.json &&
		python3 expect.py triage queue.json &&
		test \$(grep -c '\"queue_reason\": \"new\"' queue.json) = 2
	"

	test_expect_success PYTHON "roadmap --format json ${how:-(cache)}: its members after the issue's" "
		psm $how roadmap --format json >roadmap.json &&
		python3 expect.py roadmap roadmap.json &&
		grep -F '\"customer_count\": 1' roadmap.json
	"
done

test_expect_success 'reading wrote nothing' '
	test -z "$(git status --porcelain -- issues .psm)"
'

test_done
