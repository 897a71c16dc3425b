#!/bin/sh

test_description='psm check puts a YAML fault on the line it is on

libyaml notices a key without a colon, an unclosed quote or an unclosed
bracket only where the next token starts, a line or more later; psm
reports where the faulty construct begins. A duplicate key is named, with
the line of its first occurrence.'

. ./test-lib.sh

# broken LINE: an issue file whose front matter line 4 is LINE
broken () {
	mkdir -p issues/b1 &&
	printf -- "---\nid: b100000000\ntitle: Broken\n%s\nstatus: new\ncreated: 2026-11-20T09:00:00Z\n---\n\nBody.\n" \
		"$1" >issues/b1/b100000000.md
}

test_expect_success 'setup' '
	psm init
'

test_expect_success 'a line without a colon: that line, not the next' '
	broken "just some words" &&
	test_expect_code 1 psm check >out &&
	grep "^issues/b1/b100000000.md:4:1: error: could not find expected .:. while scanning a simple key\$" out
'

test_expect_success 'an unclosed bracket: where it opens' '
	broken "labels: [billing, export" &&
	test_expect_code 1 psm check >out &&
	grep "^issues/b1/b100000000.md:4:9: error: did not find expected .,. or .\]. while parsing a flow sequence\$" out
'

test_expect_success 'an unclosed quote: where it opens, not at the end of the front matter' '
	broken "owner: \"ann@example.com" &&
	test_expect_code 1 psm check >out &&
	grep "^issues/b1/b100000000.md:4:8: error: found unexpected end of stream while scanning a quoted scalar\$" out
'

test_expect_success 'faults libyaml already places keep their place' '
	broken "owner: a: b" &&
	test_expect_code 1 psm check >out &&
	grep "^issues/b1/b100000000.md:4:9: error: mapping values are not allowed in this context\$" out &&
	broken "owner: \"ann\" extra" &&
	test_expect_code 1 psm check >out &&
	grep "^issues/b1/b100000000.md:4:14: error: did not find expected key while parsing a block mapping\$" out
'

test_expect_success 'a duplicate key is named, with its first line' '
	broken "title: Broken again" &&
	test_expect_code 1 psm check >out &&
	grep "^issues/b1/b100000000.md:4:1: error: duplicate key .title. (first on line 3)\$" out
'

test_expect_success 'a duplicate key inside a reporter' '
	broken "reporters:
- name: Ann
  email: ann@example.com
  name: Bob" &&
	test_expect_code 1 psm check --format json >out &&
	grep "\"line\": 7," out &&
	grep "\"column\": 3," out &&
	grep "\"message\": \"duplicate key .name. (first on line 5)\"" out
'

test_done
