#!/bin/sh

test_description='cmake --install: every file where README.md says, and the installed psm on its own

A DESTDIR install of this build into a temporary prefix puts each file the
README'"'"'s Install table names where it says, the same as in the source
tree, and lists them in install_manifest.txt (the uninstall list). The
installed psm runs with a PATH that has no build directory in it: its
manual is found by man, its bash completion is loaded by bash-completion,
zsh and fish load theirs without a word on stderr, and git finds the merge
driver on PATH, so concurrent edits of one issue in two clones merge
cleanly (and conflict without it).'

. ./test-lib.sh

command -v cmake >/dev/null 2>&1 ||
	test_skip_all 'cmake is not installed'
test -f "$PSM_BUILD_DIR/cmake_install.cmake" ||
	test_skip_all "$PSM_BUILD_DIR is not a CMake build directory"

DEST=$TRASH_DIRECTORY/dest
PREFIX=/opt/psm
ROOT=$DEST$PREFIX
command -v man >/dev/null 2>&1 && test_set_prereq MAN
command -v zsh >/dev/null 2>&1 && test_set_prereq ZSH
command -v fish >/dev/null 2>&1 && test_set_prereq FISH
test -f /usr/share/bash-completion/bash_completion && test_set_prereq BASH_COMPLETION

# clean_env CMD...: CMD with the installed psm first on a PATH that has no
# build directory, and only what a login would set.
clean_env () {
	env -i HOME="$HOME" TERM=dumb LANG=C.UTF-8 LC_ALL=C.UTF-8 TZ=UTC \
		PATH="$ROOT/bin:/usr/bin:/bin" GIT_CONFIG_NOSYSTEM=1 \
		GIT_CEILING_DIRECTORIES="$GIT_CEILING_DIRECTORIES" \
		GIT_AUTHOR_NAME="$GIT_AUTHOR_NAME" GIT_AUTHOR_EMAIL="$GIT_AUTHOR_EMAIL" \
		GIT_COMMITTER_NAME="$GIT_COMMITTER_NAME" GIT_COMMITTER_EMAIL="$GIT_COMMITTER_EMAIL" \
		GIT_AUTHOR_DATE="$GIT_AUTHOR_DATE" GIT_COMMITTER_DATE="$GIT_COMMITTER_DATE" \
		PSM_NOW="$PSM_NOW" "$@"
}

test_expect_success 'install with DESTDIR into a temporary prefix' '
	DESTDIR=$DEST cmake --install "$PSM_BUILD_DIR" --prefix $PREFIX >log &&
	cp "$PSM_BUILD_DIR/install_manifest.txt" manifest &&
	test -d "$ROOT" &&
	# nothing outside the prefix
	(cd "$DEST" && find . -type f) >all &&
	! grep -v "^\.$PREFIX/" all
'

test_expect_success 'every file in the README'"'"'s Install table is there' '
	sed -n "/^## Install\$/,/^## /p" "$PSM_SOURCE_DIR/README.md" |
		sed -n "s/^| \`\([a-z][^\`]*\)\` |.*/\1/p" >table &&
	test_line_count = 6 table &&
	while read -r path
	do
		case $path in
		*/)
			test -d "$ROOT/$path" || { echo "no folder $path" >&2; return 1; } ;;
		*)
			test -f "$ROOT/$path" || { echo "no file $path" >&2; return 1; } ;;
		esac
	done <table &&
	grep -x "share/doc/psm/" table &&
	grep -x "bin/psm" table
'

test_expect_success 'the installed files are the source files' '
	test -x "$ROOT/bin/psm" &&
	cmp "$PSM_BUILD_DIR/psm" "$ROOT/bin/psm" &&
	cmp "$PSM_SOURCE_DIR/psm.1" "$ROOT/share/man/man1/psm.1" &&
	cmp "$PSM_SOURCE_DIR/completion/psm.bash" "$ROOT/share/bash-completion/completions/psm" &&
	cmp "$PSM_SOURCE_DIR/completion/_psm" "$ROOT/share/zsh/vendor-completions/_psm" &&
	cmp "$PSM_SOURCE_DIR/completion/psm.fish" "$ROOT/share/fish/vendor_completions.d/psm.fish" &&
	cmp "$PSM_SOURCE_DIR/README.md" "$ROOT/share/doc/psm/README.md" &&
	for f in "$PSM_SOURCE_DIR"/docs/*.md
	do
		cmp "$f" "$ROOT/share/doc/psm/${f##*/}" || return 1
	done
'

test_expect_success 'install_manifest.txt lists exactly the installed files' '
	sort manifest >listed &&
	(cd "$DEST" && find . -type f) | sed "s|^\.||" | sort >found &&
	test_cmp found listed &&
	test_line_count -ge 6 listed
'

test_expect_success 'the installed psm runs with a clean PATH' '
	clean_env sh -c "command -v psm" >where &&
	echo "$ROOT/bin/psm" >expect &&
	test_cmp expect where &&
	clean_env psm --version >version &&
	grep "^psm version [0-9]" version &&
	grep "^libgit2 [0-9]" version &&
	mkdir store &&
	(
		cd store &&
		clean_env psm init >/dev/null &&
		clean_env psm intake -t "Installed psm takes an issue" -m "Body." >id &&
		clean_env psm list --format tsv >list &&
		grep "Installed psm takes an issue" list &&
		clean_env psm check &&
		git fsck --no-progress
	)
'

test_expect_success MAN 'man finds the installed manual' '
	MANPATH=$ROOT/share/man man -w psm >where &&
	echo "$ROOT/share/man/man1/psm.1" >expect &&
	test_cmp expect where &&
	MANPATH=$ROOT/share/man MANWIDTH=80 man psm >page 2>err &&
	grep "^NAME" page &&
	grep "^ *psm  *-  *product service management" page &&
	test_line_count = 0 err
'

test_expect_success BASH_COMPLETION 'bash-completion loads the installed completion, which completes a command' '
	cat >load.bash <<-\EOF &&
	. /usr/share/bash-completion/bash_completion
	__load_completion psm || exit 1
	complete -p psm
	COMP_WORDS=(psm sh) COMP_CWORD=1 COMP_LINE="psm sh" COMP_POINT=6
	_psm
	printf "%s\n" "${COMPREPLY[@]}"
	EOF
	clean_env XDG_DATA_DIRS="$ROOT/share" bash load.bash >out 2>err &&
	test_line_count = 0 err &&
	printf "%s\n" "complete -F _psm psm" show >expect &&
	test_cmp expect out
'

test_expect_success ZSH 'zsh loads the installed _psm from its vendor-completions' '
	cat >load.zsh <<-\EOF &&
	fpath=("$ZDIR" $fpath)
	autoload -U compinit && compinit -u -D && print -r -- $_comps[psm] &&
	autoload +X _psm && print -r -- loaded
	EOF
	clean_env ZDIR="$ROOT/share/zsh/vendor-completions" zsh -f load.zsh >out 2>err &&
	test_line_count = 0 err &&
	printf "%s\n" _psm loaded >expect &&
	test_cmp expect out
'

test_expect_success FISH 'fish finds the installed psm.fish by itself and completes a command' '
	clean_env XDG_DATA_DIRS="$ROOT/share" XDG_CONFIG_HOME="$HOME/fish-config" \
		fish -c "complete -C\"psm sh\"" >out 2>err &&
	test_line_count = 0 err &&
	printf "show\tshow one issue\n" >expect &&
	test_cmp expect out
'

test_expect_success 'setup: a hub and two clones of a store' '
	git init -q --bare hub.git &&
	git clone -q hub.git a 2>/dev/null &&
	(
		cd a &&
		clean_env psm init >/dev/null &&
		clean_env psm intake -t "Sign-in loops" -l auth >../id &&
		git push -q origin HEAD:main
	) &&
	git clone -q hub.git b &&
	git clone -q hub.git c
'

test_expect_success 'a merge of two clones runs the installed driver through PATH' '
	id=$(cat id) &&
	(cd a && test_tick && clean_env psm tag $id +android && git push -q origin HEAD:main) &&
	(
		cd b &&
		clean_env psm init >out &&
		grep "already initialized" out &&
		git config merge.psm.driver >driver &&
		echo "psm merge-file %O %A %B %P" >expect &&
		test_cmp expect driver &&
		test_tick &&
		clean_env psm tag $id +ios &&
		clean_env git -c pull.rebase=false pull -q --no-edit origin main &&
		clean_env psm show --format json $id >json &&
		grep "\"android\"" json && grep "\"ios\"" json && grep "\"auth\"" json &&
		clean_env psm check &&
		test -z "$(git status --porcelain -- issues)"
	)
'

test_expect_success 'without psm on PATH the same merge conflicts' '
	id=$(cat id) &&
	(
		cd c &&
		clean_env psm init >/dev/null &&
		test_tick &&
		clean_env psm tag $id +web &&
		# what a user without the install has: the driver registered,
		# no psm on PATH (git and the shell it runs the driver with only)
		mkdir ../nopsm &&
		ln -s "$(command -v git)" ../nopsm/git &&
		ln -s "$(command -v sh)" ../nopsm/sh &&
		test_must_fail env PATH="$(cd .. && pwd)/nopsm" \
			git -c pull.rebase=false pull -q --no-edit origin main >out 2>&1 &&
		git diff --name-only --diff-filter=U >conflicted &&
		test_line_count = 1 conflicted
	)
'

test_done
