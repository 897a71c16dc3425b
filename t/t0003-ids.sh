#!/bin/sh
# ctest-cost: 20

test_description='issue IDs and the sharded store

IDs of 10 Crockford base32 characters (50 random bits), unique across many
intakes, shown short, any unique prefix accepted, an ambiguous prefix an
error naming the candidates, and no ID that names a path outside the store.'

. ./test-lib.sh

# mkissue ID [TITLE]: a minimal valid issue file with this ID.
mkissue () {
	mkdir -p "issues/$(printf %.2s "$1")" &&
	printf -- "---\nid: %s\ntitle: %s\nstatus: new\ncreated: 2026-11-01T00:00:00Z\n---\n" \
		"$1" "${2:-issue $1}" >"issues/$(printf %.2s "$1")/$1.md"
}

test_expect_success 'setup' '
	psm init
'

test_expect_success 'intake prints a 7-character ID; the file is issues/XY/ID.md' '
	id=$(psm intake -t first) &&
	echo "$id" >first &&
	expr "$id" : "[0-9a-hjkmnp-tv-z]\{7\}\$" &&
	shard=$(printf %.2s "$id") &&
	ls issues/$shard/$id*.md >files &&
	test_line_count = 1 files &&
	full=$(basename "$(cat files)" .md) &&
	expr "$full" : "[0-9a-hjkmnp-tv-z]\{10\}\$" &&
	case $full in "$id"*) ;; *) false ;; esac &&
	grep -x "$(id_line $full)" "issues/$shard/$full.md"
'

test_expect_success 'many intakes: every ID unique, valid and sharded' '
	i=0 &&
	while test $i -lt 200
	do
		psm intake --no-commit -t "issue $i" >/dev/null || return 1
		i=$((i + 1))
	done &&
	find issues -name "*.md" ! -name README.md >paths &&
	test_line_count = 201 paths &&
	sed "s|.*/||; s|\.md\$||" paths | sort >ids &&
	sort -u ids >uniq &&
	test_cmp ids uniq &&
	! grep -v -x "[0-9a-hjkmnp-tv-z]\{10\}" ids &&
	while read p
	do
		id=${p##*/} &&
		id=${id%.md} &&
		test "$p" = "issues/$(printf %.2s "$id")/$id.md" || return 1
	done <paths &&
	ls issues | grep -v README.md >shards &&
	test $(wc -l <shards) -gt 100
'

test_expect_success 'IDs use the whole alphabet (they are random, not a counter)' '
	cut -c1 ids | sort -u >first-chars &&
	test $(wc -l <first-chars) -ge 28 &&
	cut -c10 ids | sort -u >last-chars &&
	test $(wc -l <last-chars) -ge 28 &&
	git clean -fq -- issues
'

test_expect_success 'any unique prefix of four or more names the issue, in any case' '
	id=$(cat first) &&
	full=$(basename issues/*/$id*.md .md) &&
	for p in $(printf %.4s "$full") $id "$full" \
		$(echo "$full" | tr a-z A-Z)
	do
		psm show --format json "$p" >json &&
		grep "\"id\": \"$full\"" json || return 1
	done
'

test_expect_success 'crafted IDs that share prefixes' '
	mkissue abcdefgh00 &&
	mkissue abcdefgh01 &&
	mkissue abcdefgh11 &&
	mkissue abcd000000 &&
	mkissue ab00000000 &&
	git add issues &&
	git commit -q -m crafted
'

test_expect_success 'an ambiguous prefix is an error naming every candidate' '
	test_expect_code 128 psm show abcdefgh0 2>err &&
	test_line_count = 1 err &&
	grep "ambiguous issue ID .abcdefgh0." err &&
	grep "abcdefgh00" err &&
	grep "abcdefgh01" err &&
	! grep "abcdefgh11" err &&
	test_expect_code 128 psm show abcd 2>err &&
	for id in abcdefgh00 abcdefgh01 abcdefgh11 abcd000000
	do
		grep $id err || return 1
	done &&
	! grep ab00000000 err
'

test_expect_success 'under four characters names no issue, even a unique prefix' '
	for p in a ab ab0 "$(printf %.3s "$(basename issues/*/$(cat first)*.md)")"
	do
		test_expect_code 128 psm show "$p" 2>err &&
		grep "^fatal: issue ID .$p. is too short: give at least 4 of its characters" err &&
		test_expect_code 128 psm close "$p" -r fixed 2>err || return 1
	done &&
	psm check
'

test_expect_success 'a longer prefix disambiguates' '
	psm show --format json abcdefgh1 >json &&
	grep "\"id\": \"abcdefgh11\"" json &&
	psm show --format json abcdefgh01 >json &&
	grep "\"id\": \"abcdefgh01\"" json &&
	psm show --format json ab00 >json &&
	grep "\"id\": \"ab00000000\"" json
'

test_expect_success 'short IDs grow until they are unique' '
	psm list --format tsv id:abcdefgh >tsv &&
	test_line_count = 3 tsv &&
	psm list --format tsv id:ABCDEFGH >tsv &&
	test_line_count = 3 tsv &&
	psm list id:abcdefgh >table &&
	grep "^abcdefgh00 " table &&
	grep "^abcdefgh01 " table &&
	psm show --format json abcd0 >json &&
	grep "\"short_id\": \"abcd000\"" json
'

test_expect_success 'write commands take prefixes the same way' '
	psm assign abcd0 ann@example.com &&
	grep -x "owner: ann@example.com" issues/ab/abcd000000.md &&
	git rev-parse HEAD >before &&
	test_expect_code 128 psm assign abcdefgh ann@example.com 2>err &&
	grep "ambiguous issue ID .abcdefgh." err &&
	git rev-parse HEAD >after &&
	test_cmp before after &&
	test_expect_code 128 psm assign ../../etc ann@example.com 2>err &&
	grep "invalid issue ID" err
'

test_expect_success 'an unknown ID is a clear error' '
	test_expect_code 128 psm show zzzzzzz 2>err &&
	test_line_count = 1 err &&
	grep "no issue .zzzzzzz." err
'

test_expect_success 'IDs that are paths are refused, and nothing outside is read' '
	mkdir -p outside &&
	echo secret >outside/x.md &&
	mkissue xy00000000 &&
	for bad in ../../etc ../outside/x "issues/ab/abcdefgh00" ab/cd /etc/passwd \
		"abc def" "" . .. "abcdefgh000" "abil" "ab.md" "-"
	do
		test_expect_code 128 psm show "$bad" >out 2>err &&
		test_line_count = 0 out &&
		grep "invalid issue ID\|no issue" err || return 1
	done &&
	test_expect_code 128 psm show ../outside/x 2>err &&
	grep "invalid issue ID" err &&
	! grep secret err
'

test_expect_success 'a file whose id is a path is reported, never followed' '
	mkdir -p issues/zz &&
	printf -- "---\nid: ../../outside/x\ntitle: evil\nstatus: new\ncreated: 2026-11-01T00:00:00Z\n---\n" \
		>issues/zz/zz00000000.md &&
	test_expect_code 1 psm check >out &&
	grep "^issues/zz/zz00000000.md:2:5: error: invalid id" out &&
	test_expect_code 1 psm list --format json >json 2>err &&
	grep "^error: issues/zz/zz00000000.md:2:5: invalid id" err &&
	! grep "outside" json &&
	rm issues/zz/zz00000000.md
'

test_expect_success 'files that are not named like issues are named, not read' '
	mkdir -p issues/qq &&
	cp issues/ab/ab00000000.md issues/qq/notanid.md &&
	test_expect_code 1 psm list >out 2>err &&
	grep "issues/qq/notanid.md: not an issue file name" err &&
	test_expect_code 1 psm check >out &&
	grep "^issues/qq/notanid.md:1:1: error: not an issue file name" out &&
	rm -r issues/qq
'

test_done
