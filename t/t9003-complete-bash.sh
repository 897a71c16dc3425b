#!/bin/sh

test_description='bash completion (completion/psm.bash), driven as bash drives it

_psm is called with COMP_WORDS and COMP_CWORD as bash sets them: split at
blanks and at the COMP_WORDBREAKS characters ":" and "=", so "status:ne"
comes as "status" ":" "ne" and the reply must hold only what follows the
":". compopt, which works only inside a real completion, is recorded.'

. ./test-lib.sh

command -v bash >/dev/null 2>&1 || test_skip_all 'bash is not installed'

# drive WORD...: COMPREPLY for the last WORD, one per line, in ./got; the
# compopt calls in ./opts.
drive () {
	bash "$TRASH_DIRECTORY/drive.bash" "$@" >got 2>err &&
	test_line_count = 0 err
}

test_expect_success 'setup: a store, and a driver for _psm' '
	cat >drive.bash <<-\EOF &&
	. "$PSM_SOURCE_DIR/completion/psm.bash" || exit 1
	: >opts
	compopt () { echo "compopt $1 $2" >>opts; }
	COMP_WORDS=("$@")
	COMP_CWORD=$(($# - 1))
	COMP_LINE="$*"
	COMP_POINT=${#COMP_LINE}
	COMP_WORDBREAKS=${BREAKS-$COMP_WORDBREAKS}
	_psm psm "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}" || exit 1
	printf "%s\n" "${COMPREPLY[@]}"
	EOF
	psm init >/dev/null &&
	write_issue 7kq2m9xabc <<-\EOF &&
	title: Login fails after reset
	status: new
	EOF
	write_issue 7kq2m9yabc <<-\EOF &&
	title: Export is slow
	status: new
	EOF
	sed "s/^owners: \[\]\$/owners: [ana@example.com, Bo Li]/" .psm/config.yml >config.new &&
	mv config.new .psm/config.yml &&
	mkdir inbox && : >inbox/one.eml && : >inbox/two.eml
'

test_expect_success 'a command' '
	drive psm sh &&
	echo show >expect &&
	test_cmp expect got &&
	drive psm "" &&
	psm help | sed -n "s/^   \([a-z][a-z-]*\)  .*/\1/p" >expect &&
	test_cmp expect got
'

test_expect_success 'an option' '
	drive psm list --rev &&
	echo --reverse >expect &&
	test_cmp expect got &&
	drive psm close 7kq2m9y --res &&
	echo --resolution >expect &&
	test_cmp expect got
'

test_expect_success 'an issue ID prefix' '
	drive psm show 7kq2m9 &&
	printf "%s\n" 7kq2m9x 7kq2m9y >expect &&
	test_cmp expect got &&
	drive psm show 7kq2m9xa &&
	echo 7kq2m9xa >expect &&
	test_cmp expect got &&
	drive psm reply 7K &&
	printf "%s\n" 7kq2m9x 7kq2m9y >expect &&
	test_cmp expect got
'

test_expect_success 'a status: value, broken at the colon as bash breaks it' '
	drive psm list status : &&
	printf "%s\n" new triaged in-progress blocked parked closed >expect &&
	test_cmp expect got &&
	drive psm list status : in &&
	echo in-progress >expect &&
	test_cmp expect got &&
	drive psm list is:open status : bl &&
	echo blocked >expect &&
	test_cmp expect got &&
	# "status: " and then TAB: a new word
	drive psm list status : "" &&
	grep -x "type:" got &&
	grep -x "status:" got
'

test_expect_success 'a term'"'"'s key: no space after it' '
	drive psm list sta &&
	echo status: >expect &&
	test_cmp expect got &&
	grep "compopt -o nospace" opts
'

test_expect_success 'when COMP_WORDBREAKS has no colon, the whole word' '
	BREAKS=" =" &&
	export BREAKS &&
	drive psm list status:bl &&
	echo status:blocked >expect &&
	test_cmp expect got
'

test_expect_success '--format=VALUE, broken at the =' '
	drive psm list --format = j &&
	echo json >expect &&
	test_cmp expect got &&
	drive psm list --format = &&
	printf "%s\n" table tsv json >expect &&
	test_cmp expect got
'

test_expect_success 'a value with a space comes quoted for the shell' '
	drive psm assign 7kq2m9y B &&
	echo "Bo\\ Li" >expect &&
	test_cmp expect got
'

test_expect_success 'file names where the command takes files' '
	drive psm intake --email inbox/ &&
	printf "%s\n" inbox/one.eml inbox/two.eml >expect &&
	sort got >actual &&
	test_cmp expect actual &&
	grep "compopt -o filenames" opts &&
	drive psm changelog --write = inbox/o &&
	echo inbox/one.eml >expect &&
	test_cmp expect got
'

test_expect_success 'the psm typed by its path, with none on PATH' '
	PATH=/usr/bin:/bin &&
	! command -v psm &&
	drive "$PSM_BUILD_DIR/psm" sta &&
	printf "%s\n" status stats >expect &&
	test_cmp expect got
'

test_done
