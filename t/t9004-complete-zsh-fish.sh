#!/bin/sh

test_description='zsh and fish completion (completion/_psm, completion/psm.fish)

zsh: an interactive zsh on a pseudo-terminal (zsh/zpty) with compinit and
completion/ in fpath is sent a line and a TAB, then a key bound to a widget
that prints the edited line: what a user would see. fish: complete -C, the
candidates fish would offer, with their descriptions. Each shell is skipped
when it is not installed.'

. ./test-lib.sh

command -v zsh >/dev/null 2>&1 && zsh -f -c 'zmodload zsh/zpty' 2>/dev/null &&
	command -v timeout >/dev/null 2>&1 && test_set_prereq ZSH
command -v fish >/dev/null 2>&1 && test_set_prereq FISH
test_have_prereq ZSH || test_have_prereq FISH ||
	test_skip_all 'neither zsh (with zsh/zpty) nor fish is installed'

test_expect_success 'setup: a store' '
	psm init >/dev/null &&
	write_issue 7kq2m9xabc <<-\EOF &&
	title: Login fails after reset
	status: new
	labels:
	- auth
	EOF
	write_issue 7kq2m9yabc <<-\EOF &&
	title: "Export \x1b[31mis\x1b[0m slow"
	status: new
	EOF
	write_issue 8h2kq0wxyz <<-\EOF
	title: Typo on the pricing page
	status: closed
	labels:
	- perf
	EOF
'

# zsh_complete LINE...: for each LINE, type it and a TAB into an
# interactive zsh, then print the edited line as "LINE -> RESULT".
zsh_complete () {
	cat >drive.zsh <<-\EOF &&
	zmodload zsh/zpty
	zpty z "zsh -f -i"
	zpty -w z 'fpath=("$PSM_SOURCE_DIR/completion" $fpath); autoload -U compinit; compinit -u -D; unsetopt beep'
	# ^X prints the line between \x01 and \x02: what the TAB made of it
	zpty -w z 'dumpbuf() { zle -I; print -rn -- $'"'"'\x01'"'"'"$BUFFER"$'"'"'\x02\n'"'"'; BUFFER=; }; zle -N dumpbuf; bindkey "^X" dumpbuf'
	for line in "$@"; do
		zpty -w -n z "$line"$'\t\x18'
		zpty -r z out $'*\x01*\x02*' || exit 1
		out=${out##*$'\x01'}
		print -r -- "$line -> ${out%%$'\x02'*}"
	done
	zpty -d z
	EOF
	timeout 60 zsh -f drive.zsh "$@" >got
}

test_expect_success ZSH 'zsh: a command, an option and its value, an ID, a term and its value' '
	zsh_complete "psm sh" "psm list --rev" "psm list --format=j" "psm show 8h" \
		"psm list st" "psm list status:in" "psm tag 7kq2m9x +pe" "psm tag 7kq2m9x -a" &&
	cat >expect <<-\EOF &&
	psm sh -> psm show 
	psm list --rev -> psm list --reverse 
	psm list --format=j -> psm list --format=json 
	psm show 8h -> psm show 8h2kq0w 
	psm list st -> psm list status:
	psm list status:in -> psm list status:in-progress 
	psm tag 7kq2m9x +pe -> psm tag 7kq2m9x +perf 
	psm tag 7kq2m9x -a -> psm tag 7kq2m9x -auth 
	EOF
	test_cmp expect got
'

test_expect_success ZSH 'zsh: file names where the command takes files' '
	mkdir inbox && : >inbox/message.eml &&
	zsh_complete "psm intake --email inbox/m" "psm changelog --write=inbox/m" &&
	cat >expect <<-\EOF &&
	psm intake --email inbox/m -> psm intake --email inbox/message.eml 
	psm changelog --write=inbox/m -> psm changelog --write=inbox/message.eml 
	EOF
	test_cmp expect got
'

test_expect_success FISH 'fish: commands and IDs with their descriptions, terms, values' '
	fish -c "source \"$PSM_SOURCE_DIR/completion/psm.fish\"
		complete -C\"psm sh\"
		complete -C\"psm show 7k\"
		complete -C\"psm list status:in\"
		complete -C\"psm list --format \"
		complete -C\"psm tag 7kq2m9x -\"" >got 2>err &&
	test_line_count = 0 err &&
	cat >expect <<-\EOF &&
	show	show one issue
	7kq2m9x	Login fails after reset
	7kq2m9y	Export is slow
	status:in-progress
	json
	table
	tsv
	-auth
	--format	output: text (the IDs) or json
	--no-commit	write the files but do not commit
	EOF
	test_cmp expect got
'

test_expect_success FISH 'fish: file names where the command takes files' '
	mkdir -p inbox && : >inbox/message.eml &&
	fish -c "source \"$PSM_SOURCE_DIR/completion/psm.fish\"
		complete -C\"psm intake --mbox inbox/m\"
		complete -C\"psm changelog --write=inbox/m\"" >got 2>err &&
	test_line_count = 0 err &&
	printf "%s\n" inbox/message.eml --write=inbox/message.eml >expect &&
	test_cmp expect got
'

test_done
