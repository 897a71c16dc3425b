#!/bin/sh

test_description='psm list and the service loop

owner:me, owner:none, reporters>N, followup:pending, the REP column and
--sort reporters, on issues shaped by assign, dup and close.'

. ./test-lib.sh

test_expect_success 'setup' '
	psm init &&
	psm intake -t "Mine" --reporter "a@example.com" >mine &&
	test_tick &&
	psm intake -t "Someone else" --reporter "b@example.com" >other &&
	test_tick &&
	psm intake -t "Unowned" --reporter "c@example.com" >unowned &&
	test_tick &&
	psm intake -t "Dup of mine" --reporter "d@example.com" >dup &&
	psm assign $(cat mine) me &&
	psm assign $(cat other) bob@example.com &&
	psm dup $(cat dup) --of $(cat mine)
'

ids () {
	cut -c1-7 | sort
}

test_expect_success 'owner:me lists the issues the git identity owns' '
	psm list owner:me --format tsv | ids >out &&
	cat mine >expect &&
	test_cmp expect out
'

test_expect_success 'owner:none lists open issues without an owner' '
	psm list owner:none --format tsv | ids >out &&
	cat unowned >expect &&
	test_cmp expect out
'

test_expect_success 'reporters>N counts people, duplicates included' '
	psm list "reporters>1" --format tsv | ids >out &&
	cat mine >expect &&
	test_cmp expect out &&
	psm list "reporters>=1" --format tsv | ids >out &&
	test_line_count = 3 out
'

test_expect_success 'the REP column and --sort reporters' '
	psm list >table &&
	head -n 1 table | grep "REP" &&
	grep "^$(cat mine) .* 2 " table &&
	psm list --sort reporters --format tsv | head -n 1 | ids >first &&
	test_cmp mine first
'

test_expect_success 'followup:pending lists closed issues nobody was told about' '
	psm list followup:pending --format tsv >out &&
	test_line_count = 0 out &&
	psm close $(cat other) -r fixed &&
	psm list followup:pending --format tsv | ids >out &&
	test_cmp other out &&
	psm followup $(cat other) --done &&
	psm list followup:pending --format tsv >out &&
	test_line_count = 0 out
'

test_expect_success JQ 'the reporter count treats e-mail case as the same person' '
	psm init &&
	id=$(psm intake -t "Case" --reporter "Ann <Ann@Example.com>") &&
	cat >extra.yml <<-\EOF &&
	- name: Ann again
	  email: ann@example.com
	  channel: chat
	EOF
	file=$(psm list --format json id:$id | jq -r ".[0].path") &&
	awk "/^created:/ { while ((getline l < \"extra.yml\") > 0) print l } { print }" "$file" >tmp &&
	mv tmp "$file" &&
	psm list --format json id:$id | jq -r ".[0].reporter_count" >count &&
	echo 1 >expect &&
	test_cmp expect count
'

test_done
