#!/bin/sh

test_description='psm.1 documents every command, option, exit status and variable

Every command listed by "psm help" has a ".SS psm NAME" subsection in psm.1,
every option that "psm help NAME" prints appears in that subsection, every
global option in GLOBAL OPTIONS, every exit code of cmd/common.h in EXIT
STATUS and every environment variable the sources read in ENVIRONMENT; and
groff renders the page without warnings.  The checker is also run on
damaged copies of the page to show that it notices what is missing.'

. ./test-lib.sh

MAN=$PSM_SOURCE_DIR/psm.1
command -v groff >/dev/null 2>&1 && test_set_prereq GROFF
command -v man >/dev/null 2>&1 && test_set_prereq MAN

# man_section FILE TITLE: the text of the .SH or .SS section named TITLE,
# with "\-" as "-" and font escapes and quotes removed.
man_section () {
	sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' -e 's/\\f(..//g' -e 's/\\f\[[A-Z]*\]//g' \
		-e 's/"//g' "$1" |
	awk -v want="$2" '
		/^\.S[HS][ \t]/ { sub(/^\.S[HS][ \t]+/, ""); sub(/[ \t]+$/, ""); insec = ($0 == want); next }
		insec { print }'
}

# has_option FILE OPT: FILE (a section's text) mentions option OPT as a word.
has_option () {
	grep -E -e "(^|[^A-Za-z0-9-])$2([^A-Za-z0-9-]|\$)" "$1" >/dev/null
}

# check_man FILE: every command in ./commands has its subsection in FILE,
# holding every option in ./options/NAME; every option in ./global-options
# is in GLOBAL OPTIONS.  Names what is missing on stderr.
check_man () {
	_bad=0
	while read -r _cmd
	do
		man_section "$1" "psm $_cmd" >section.txt
		if ! test -s section.txt
		then
			echo "psm.1: no '.SS psm $_cmd' subsection for command '$_cmd'" >&2
			_bad=1
			continue
		fi
		while read -r _opt
		do
			if ! has_option section.txt "$_opt"
			then
				echo "psm.1: option '$_opt' of 'psm $_cmd' is not in its subsection" >&2
				_bad=1
			fi
		done <"options/$_cmd"
	done <commands
	man_section "$1" "GLOBAL OPTIONS" >section.txt
	while read -r _opt
	do
		if ! has_option section.txt "$_opt"
		then
			echo "psm.1: global option '$_opt' is not in GLOBAL OPTIONS" >&2
			_bad=1
		fi
	done <global-options
	return $_bad
}

# options_of <USAGE: the -x and --long options of a usage text's option table.
options_of () {
	sed -n -e 's/^    \(-[A-Za-z0-9]\), \(--[a-z0-9][a-z0-9-]*\).*/\1\
\2/p' -e 's/^    \(--[a-z0-9][a-z0-9-]*\).*/\1/p' -e 's/^    \(-[A-Za-z0-9]\) .*/\1/p'
}

test_expect_success 'psm help lists the commands' '
	psm help >help.out &&
	sed -n "/^commands:/,/^\$/s/^   \([a-z][a-z0-9-]*\)  *.*/\1/p" help.out >commands &&
	# the foundation commands, at least; the list only grows
	for c in init intake list show check help
	do
		grep -x "$c" commands || return 1
	done
'

test_expect_success 'each command prints its usage and options' '
	mkdir options &&
	while read -r cmd
	do
		psm help "$cmd" >"usage.$cmd" &&
		head -n 1 "usage.$cmd" | grep "^usage: psm $cmd" &&
		options_of <"usage.$cmd" >"options/$cmd" || return 1
	done <commands &&
	grep -x -e "--no-commit" options/init &&
	grep -x -e "--title" options/intake &&
	grep -x -e "-t" options/intake &&
	grep -x -e "--limit" options/list &&
	grep -x -e "--format" options/check
'

test_expect_success 'psm CMD -h in a store prints what psm help CMD prints' '
	psm init &&
	while read -r cmd
	do
		psm "$cmd" -h >out &&
		test_cmp "usage.$cmd" out || return 1
	done <commands
'

test_expect_success 'the global options come from psm'"'"'s own usage' '
	test_expect_code 129 psm --no-such-option 2>err &&
	options_of <err >global-options &&
	grep -x -e "--version" global-options &&
	grep -x -e "-C" global-options
'

test_expect_success 'psm.1 documents every command and option' '
	check_man "$MAN"
'

# The checker is run on damaged copies: what it reports beyond what it
# reports for psm.1 itself (nothing, once every command is documented).
test_expect_success 'the checker notices an undocumented command' '
	{ check_man "$MAN" 2>err.real; true; } &&
	cp commands commands.real &&
	echo frobnicate >>commands &&
	: >options/frobnicate &&
	test_must_fail check_man "$MAN" 2>err &&
	mv commands.real commands &&
	grep -v -x -F -f err.real err >new &&
	echo "psm.1: no '"'"'.SS psm frobnicate'"'"' subsection for command '"'"'frobnicate'"'"'" >expect &&
	test_cmp expect new
'

test_expect_success 'the checker notices an undocumented option' '
	# psm.1 without the lines that document list --reverse and intake --customer
	grep -v -e "^\.BR \\\\-r \", \" \\\\-\\\\-reverse" \
		-e "^\.BI \\\\-\\\\-customer " "$MAN" >damaged.1 &&
	test $(wc -l <damaged.1) -eq $(($(wc -l <"$MAN") - 2)) &&
	test_must_fail check_man damaged.1 2>err &&
	grep -v -x -F -f err.real err >new &&
	cat >expect <<-\EOF &&
	psm.1: option '"'"'--customer'"'"' of '"'"'psm intake'"'"' is not in its subsection
	psm.1: option '"'"'-r'"'"' of '"'"'psm list'"'"' is not in its subsection
	psm.1: option '"'"'--reverse'"'"' of '"'"'psm list'"'"' is not in its subsection
	EOF
	test_cmp expect new
'

test_expect_success 'psm.1 has the sections a manual needs' '
	for s in NAME SYNOPSIS DESCRIPTION "GLOBAL OPTIONS" "SEARCH TERMS" COMMANDS \
		"EXIT STATUS" ENVIRONMENT FILES "SEE ALSO"
	do
		grep -x "\.SH $s" "$MAN" || { echo "psm.1: no section $s" >&2; return 1; }
	done &&
	grep "^\.TH PSM 1 " "$MAN"
'

test_expect_success 'EXIT STATUS documents every exit code of cmd/common.h' '
	sed -n "s/^#define EXIT_[A-Z_]* \([0-9][0-9]*\)\$/\1/p" \
		"$PSM_SOURCE_DIR/cmd/common.h" >codes &&
	echo 0 >>codes &&
	test_line_count -ge 4 codes &&
	man_section "$MAN" "EXIT STATUS" >section.txt &&
	while read -r code
	do
		grep -x "\.B $code" section.txt || {
			echo "psm.1: exit status $code is not in EXIT STATUS" >&2
			return 1
		}
	done <codes
'

test_expect_success 'ENVIRONMENT documents every variable psm reads' '
	cat "$PSM_SOURCE_DIR"/lib/*/*.c "$PSM_SOURCE_DIR"/cmd/*.c |
	grep -o "getenv(\"[A-Za-z_][A-Za-z0-9_]*\")" |
	sed "s/getenv(\"\(.*\)\")/\1/" | sort -u >vars &&
	grep -x PSM_NOW vars &&
	grep -x NO_COLOR vars &&
	# the git identity is read through a helper, by name
	echo GIT_AUTHOR_NAME >>vars &&
	echo GIT_AUTHOR_EMAIL >>vars &&
	man_section "$MAN" ENVIRONMENT >section.txt &&
	while read -r var
	do
		grep -E "(^|[^A-Z_])$var([^A-Z_]|\$)" section.txt >/dev/null ||
		echo "psm.1: environment variable $var is not in ENVIRONMENT"
	done <vars >missing &&
	cat missing >&2 &&
	test_line_count = 0 missing
'

test_expect_success 'FILES names the store files' '
	man_section "$MAN" FILES >section.txt &&
	for f in .psm/config.yml issues/ psm/lock psm/hooks/
	do
		grep -F "$f" section.txt || return 1
	done
'

test_expect_success GROFF 'groff renders psm.1 without warnings' '
	groff -man -Tutf8 -ww -P-cbou "$MAN" >rendered 2>err &&
	test_line_count = 0 err &&
	# the subsections made it through as headings
	sed -n "s/^\.SS psm //p" "$MAN" >documented &&
	test_line_count -ge 6 documented &&
	while read -r cmd
	do
		grep "^   psm $cmd\$" rendered || return 1
	done <documented
'

test_expect_success MAN 'man -l renders psm.1 without warnings' '
	MANWIDTH=80 man --warnings -l "$MAN" >rendered 2>err &&
	test_line_count = 0 err &&
	grep "^EXIT STATUS" rendered
'

test_expect_success GROFF 'the render check notices a broken escape' '
	sed "s/^psm \\\\- product/psm \\\\(zz product/" "$MAN" >damaged.1 &&
	! cmp "$MAN" damaged.1 &&
	groff -man -Tutf8 -ww damaged.1 >/dev/null 2>err &&
	test_line_count -gt 0 err
'

test_done
