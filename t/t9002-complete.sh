#!/bin/sh

test_description='psm __complete: the candidates the shell completions show

One source for every shell: psm prints the candidates for the last word of
a command line. Commands come from psm_commands[], options from the option
table that prints each command'"'"'s usage, search terms from lib/service/query.c,
their values from the store'"'"'s config, IDs (short, with sanitized titles)
and labels from the issue files. It writes nothing and says nothing on
stderr, also outside a store.'

. ./test-lib.sh

# complete WORD...: the candidates for the last WORD in ./got (words only),
# the directive line in ./directive; the whole output in ./raw.
complete () {
	psm __complete -- "$@" >raw 2>err &&
	test_line_count = 0 err &&
	sed -n '$p' raw >directive &&
	grep "^:" directive >/dev/null &&
	sed '$d' raw | cut -f1 >got
}

# options_of <USAGE: the -x and --long options of a usage's option table
# (as t0950 reads them).
options_of () {
	sed -n -e 's/^    \(-[A-Za-z0-9]\), \(--[a-z0-9][a-z0-9-]*\).*/\1\
\2/p' -e 's/^    \(--[a-z0-9][a-z0-9-]*\).*/\1/p' -e 's/^    \(-[A-Za-z0-9]\) .*/\1/p'
}

test_expect_success 'setup: a store with issues, labels and a config of its own' '
	psm init >/dev/null &&
	write_issue 7kq2m9xabc <<-\EOF &&
	title: Login fails after reset
	status: new
	labels:
	- auth
	- ui
	created: 2026-11-20T10:00:00Z
	updated: 2026-11-20T10:00:00Z
	EOF
	write_issue 7kq2m9xabd <<-\EOF &&
	title: Login fails on Android
	status: new
	created: 2026-11-20T10:00:00Z
	updated: 2026-11-20T10:00:00Z
	EOF
	write_issue 7kq2m9yabc <<-\EOF &&
	title: "Evil \x1b]0;pwned\x07 title \x1b[2J\tend"
	status: new
	labels: [billing, '"'"'quoted-label'"'"']
	created: 2026-11-20T10:00:00Z
	updated: 2026-11-20T10:00:00Z
	EOF
	write_issue 8h2kq0wxyz <<-\EOF &&
	title: Export is slow
	status: closed
	labels:
	  - perf
	  - "bad\x1blabel"
	created: 2026-11-20T10:00:00Z
	updated: 2026-11-20T10:00:00Z
	EOF
	sed -e "s/^- parked\$/- parked\\
- waiting-on-customer/" -e "s/^owners: \[\]\$/owners: [ana@example.com, bo@example.com]/" \
		.psm/config.yml >config.new &&
	mv config.new .psm/config.yml &&
	grep "^- waiting-on-customer" .psm/config.yml &&
	git add -A && git commit -q -m setup
'

test_expect_success 'commands: every one in psm help, with its summary' '
	complete "" &&
	psm help | sed -n "s/^   \([a-z][a-z-]*\)  .*/\1/p" >expect &&
	test_line_count -ge 20 expect &&
	test_cmp expect got &&
	grep "^show	show one issue\$" raw &&
	complete sh &&
	echo show >expect &&
	test_cmp expect got &&
	echo ":" >expect &&
	test_cmp expect directive
'

test_expect_success 'every option of every command, from the table that prints its usage' '
	psm help | sed -n "s/^   \([a-z][a-z-]*\)  .*/\1/p" >commands &&
	while read -r cmd
	do
		psm help "$cmd" | options_of | sort >expect &&
		complete "$cmd" "-" &&
		# tag and triage also offer -LABEL for labels in use
		grep -e "^-[A-Za-z0-9]\$" -e "^--" got | sort >actual &&
		test_cmp expect actual || { echo "options of psm $cmd differ" >&2; return 1; }
	done <commands &&
	complete intake --ti &&
	echo --title >expect &&
	test_cmp expect got &&
	grep "^--title	the issue.s title (one line)\$" raw
'

test_expect_success 'psm'"'"'s own options, and --no- forms only when asked for' '
	complete - &&
	printf "%s\n" -C --no-cache --version >expect &&
	test_cmp expect got &&
	complete list --no- &&
	echo --no-reverse >expect &&
	test_cmp expect got
'

test_expect_success 'issue IDs: the shortest unique prefixes (at least 7), with titles' '
	complete show 7k &&
	printf "%s\n" 7kq2m9xabc 7kq2m9xabd 7kq2m9y >expect &&
	test_cmp expect got &&
	grep "^7kq2m9xabc	Login fails after reset\$" raw &&
	complete show 8 &&
	echo 8h2kq0w >expect &&
	test_cmp expect got &&
	complete show "" &&
	test_line_count = 4 got &&
	complete show 7KQ2M9Y &&
	echo 7kq2m9y >expect &&
	test_cmp expect got &&
	complete show zz &&
	test_line_count = 0 got
'

test_expect_success 'a hostile title is shown without its escape sequences' '
	complete show 7kq2m9y &&
	grep "^7kq2m9y	Evil .*title .*end\$" raw &&
	! grep "$(printf "\033")" raw &&
	! grep "$(printf "\007")" raw &&
	test_line_count = 2 raw
'

test_expect_success '--no-descriptions prints the words alone' '
	psm __complete --no-descriptions -- show 7k >raw &&
	printf "%s\n" 7kq2m9xabc 7kq2m9xabd 7kq2m9y : >expect &&
	test_cmp expect raw
'

test_expect_success 'search terms: every key the parser knows, then values from the config' '
	complete list "" &&
	echo ":nospace" >expect &&
	test_cmp expect directive &&
	for t in status: type: impact: owner: label: is: id: followup: sla: \
		created\< created\> updated\> reporters\>
	do
		grep -x -e "$t" got || return 1
	done &&
	# each term the parser names in its error message is offered
	test_must_fail psm list frobnicate:x 2>err &&
	sed -n "s/.*(terms: \(.*\), or plain words).*/\1/p" err | tr " " "\n" |
		sed -n "s/^\([a-z_]*\)\([:<>]\).*/\1\2/p" >named &&
	test_line_count -ge 10 named &&
	while read -r t
	do
		grep -x -e "$t" got || { echo "term $t not offered" >&2; return 1; }
	done <named &&
	complete list status: &&
	printf "status:%s\n" new triaged in-progress blocked parked waiting-on-customer closed >expect &&
	test_cmp expect got &&
	echo ":" >expect &&
	test_cmp expect directive &&
	complete list is: &&
	printf "%s\n" is:open is:closed >expect &&
	test_cmp expect got &&
	complete list owner: &&
	printf "%s\n" owner:ana@example.com owner:bo@example.com owner:me >expect &&
	test_cmp expect got &&
	complete list id:7kq2m9y &&
	echo id:7kq2m9y >expect &&
	test_cmp expect got &&
	complete list impact:c &&
	echo impact:core >expect &&
	test_cmp expect got &&
	complete list created\> &&
	test_line_count = 0 got
'

test_expect_success 'labels in use (both list forms), not one a terminal would choke on' '
	complete list label: &&
	printf "label:%s\n" auth billing perf quoted-label ui >expect &&
	test_cmp expect got &&
	complete tag 7kq2m9xabc + &&
	printf "+%s\n" auth billing perf quoted-label ui >expect &&
	test_cmp expect got &&
	complete intake -l "" &&
	printf "%s\n" auth billing perf quoted-label ui >expect &&
	test_cmp expect got
'

test_expect_success 'a broken issue file is no label, and no crash' '
	mkdir -p issues/zz &&
	printf -- "---\r" >issues/zz/zz00000000.md &&
	printf -- "---\nlabels: [unclosed\n" >issues/zz/zz00000001.md &&
	printf -- "---\nlabels:\n- \"esc\\\\aped\"\n- '"'"'it'"''"'s'"'"'\n" >issues/zz/zz00000002.md &&
	complete list label: &&
	printf "label:%s\n" auth billing "it'"'"'s" perf quoted-label ui >expect &&
	test_cmp expect got &&
	# a symbolic link to a FIFO: read as empty, not waited on
	mkfifo fifo &&
	ln -s "$TRASH_DIRECTORY/fifo" issues/zz/zz00000003.md &&
	{ timeout 30 psm __complete -- list label: >raw; code=$?; } &&
	rm -r issues/zz fifo && # else every later labels scan would wait on it
	test $code = 0 &&
	sed "\$d" raw >got &&
	test_cmp expect got
'

test_expect_success 'tag and triage: -LABEL offers the labels of the issues named' '
	complete tag 7kq2m9xabc - &&
	printf "%s\n" -auth -ui --format --no-commit >expect &&
	test_cmp expect got &&
	complete triage 7kq2m9xabc --impact core -a &&
	echo -auth >expect &&
	test_cmp expect got &&
	# perf is in use, but not on 7kq2m9xabc
	complete tag 7kq2m9xabc -p &&
	test_line_count = 0 got &&
	complete tag 7kq2m9xabc 7kq2m9y -q &&
	echo -quoted-label >expect &&
	test_cmp expect got &&
	complete tag +x -- sta &&
	echo status: >expect &&
	test_cmp expect got &&
	complete list -- -x sta &&
	echo status: >expect &&
	test_cmp expect got
'

test_expect_success 'option values: config lists, help words, files' '
	complete close 7kq2m9y --resolution "" &&
	printf "%s\n" fixed documented answered wontfix duplicate cannot-reproduce >expect &&
	test_cmp expect got &&
	complete close 7kq2m9y -r w &&
	echo wontfix >expect &&
	test_cmp expect got &&
	complete triage 7kq2m9y --impact "" &&
	grep "^core	prevents completing the core task\$" raw &&
	test_line_count = 5 got &&
	complete list --format "" &&
	printf "%s\n" table tsv json >expect &&
	test_cmp expect got &&
	complete changelog --format "" &&
	printf "%s\n" md json html text >expect &&
	test_cmp expect got &&
	complete list --format=j &&
	echo --format=json >expect &&
	test_cmp expect got &&
	complete list --sort pri &&
	echo priority >expect &&
	test_cmp expect got &&
	complete dup 7kq2m9y --of 8 &&
	echo 8h2kq0w >expect &&
	test_cmp expect got &&
	complete intake -F "" &&
	test_line_count = 0 got &&
	echo ":files" >expect &&
	test_cmp expect directive &&
	complete intake -m "" &&
	test_line_count = 0 got &&
	echo ":" >expect &&
	test_cmp expect directive
'

test_expect_success 'arguments: what the command table says each command takes' '
	complete status 7kq2m9y "" &&
	printf "%s\n" triaged in-progress blocked waiting-on-customer >expect &&
	test_cmp expect got &&
	complete assign 7kq2m9y "" &&
	printf "%s\n" ana@example.com bo@example.com me >expect &&
	test_cmp expect got &&
	complete rate 7kq2m9y "" &&
	printf "%s\n" good bad >expect &&
	test_cmp expect got &&
	complete import g &&
	echo github >expect &&
	test_cmp expect got &&
	complete import github "" &&
	echo ":files" >expect &&
	test_cmp expect directive &&
	complete merge-file a b "" &&
	test_cmp expect directive &&
	complete init "" &&
	echo ":dirs" >expect &&
	test_cmp expect directive &&
	complete help tr &&
	echo triage >expect &&
	test_cmp expect got &&
	complete show 7kq2m9y "" &&
	test_line_count = 0 got &&
	complete status --format json 7kq2m9y b &&
	echo blocked >expect &&
	test_cmp expect got
'

test_expect_success '-C DIR: the store there; a directory after -C' '
	mkdir elsewhere &&
	(
		cd elsewhere &&
		git init -q &&
		psm init >/dev/null &&
		complete show 8 &&
		test_line_count = 0 got &&
		complete -C .. show 8 &&
		echo 8h2kq0w >expect &&
		test_cmp expect got &&
		complete -C "" &&
		echo ":dirs" >expect &&
		test_cmp expect directive
	)
'

test_expect_success 'outside a store: commands and options, no IDs, nothing on stderr' '
	nostore=$(mktemp -d) &&
	(
		cd "$nostore" &&
		complete show "" &&
		test_line_count = 0 got &&
		complete list status: &&
		test_line_count = 0 got &&
		complete li &&
		echo list >expect &&
		test_cmp expect got &&
		complete list --rev &&
		echo --reverse >expect &&
		test_cmp expect got
	) &&
	rm -rf "$nostore"
'

test_expect_success 'up to 200 IDs with titles; past that, the next character' '
	mkdir many &&
	(
		cd many &&
		git init -q &&
		psm init >/dev/null &&
		i=0 &&
		while test $i -lt 201
		do
			id=$(printf "ab%08d" $i) &&
			write_issue $id <<-\EOF || return 1
			title: Many
			status: new
			EOF
			i=$((i + 1))
		done &&
		complete show ab &&
		test_line_count = 201 got &&
		! grep "	" raw &&
		complete show ab0000019 &&
		test_line_count = 10 got &&
		grep "^ab00000190	Many\$" raw &&
		write_issue cd00000000 <<-\EOF &&
		title: One more
		status: new
		EOF
		complete show "" &&
		printf "%s\n" a c >expect &&
		test_cmp expect got &&
		echo ":nospace" >expect &&
		test_cmp expect directive &&
		complete show A &&
		echo ab >expect &&
		test_cmp expect got &&
		complete show c &&
		echo cd00000 >expect &&
		test_cmp expect got
	)
'

test_expect_success 'completing writes nothing' '
	: >marker &&
	complete show 7k &&
	complete tag 7kq2m9xabc - &&
	complete list label: &&
	complete status 7kq2m9y "" &&
	find .git -newer marker >changed &&
	test_line_count = 0 changed &&
	git status --porcelain -- issues .psm >status &&
	test_line_count = 0 status
'

test_expect_success 'a usage error' '
	test_expect_code 129 psm __complete show 2>err &&
	grep "usage: psm __complete" err
'

test_done
