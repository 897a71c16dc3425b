#!/bin/sh
# ctest-cost: 25

test_description='hostile input: control sequences, YAML bombs, paths, symlinks

Customer text with terminal escapes (CSI, OSC, C1, bidi overrides) is inert
in show and list output, on a pipe and on a terminal, and JSON escapes it.
Files built to hurt a parser (billion laughs, deep nesting, 100 MB, a NUL
byte, invalid UTF-8) each get a clear error quickly, and the rest of the
store still lists. IDs and duplicate_of never lead outside the store, a
symlink in the store is not written through, and nothing tracked in the
repository is ever run.'

. ./test-lib.sh

ESC=$(printf '\033')
BEL=$(printf '\007')
CSI1=$(printf '\302\233')	# U+009B, the one-byte CSI
RLO=$(printf '\342\200\256')	# U+202E right-to-left override
EVIL="x${ESC}[2J${ESC}]0;pwned${BEL}${CSI1}31mred${RLO}gnp.exe${ESC}]8;;http://e.example${ESC}\\link"

# no_controls FILE: none of the hostile bytes survived.
no_controls () {
	! grep -q "$ESC" "$1" &&
	! grep -q "$BEL" "$1" &&
	! grep -q "$CSI1" "$1" &&
	! grep -q "$RLO" "$1"
}

test_expect_success 'setup: a store with a hostile title and body' '
	git init -q store && (
		cd store &&
		psm init >/dev/null &&
		psm intake -t "$EVIL" -m "body $EVIL" --customer "$EVIL" >../id &&
		psm intake -t "a good issue" >/dev/null &&
		grep -l "^title: a good issue" issues/*/*.md | sed "s|.*/||; s|\\.md\$||" >../good
	)
'

test_expect_success 'show and list on a pipe: no control sequences' '
	(
		cd store &&
		psm show $(cat ../id) >../show.out &&
		psm list >../list.out
	) &&
	no_controls show.out &&
	no_controls list.out &&
	grep "pwned" show.out &&
	grep "red" list.out
'

test_expect_success TTY 'show and list on a terminal: only psm'"'"'s own colours' '
	(
		cd store &&
		test_terminal psm show $(cat ../id) >../tshow.out &&
		test_terminal psm list >../tlist.out &&
		NO_COLOR=1 test_terminal psm list >../tlist-nc.out
	) &&
	for f in tshow.out tlist.out
	do
		! grep -q "$BEL" $f && ! grep -q "$CSI1" $f && ! grep -q "$RLO" $f &&
		! grep -q "${ESC}\[2J" $f && ! grep -q "${ESC}\]" $f || exit 1
	done &&
	no_controls tlist-nc.out &&
	grep "pwned" tshow.out
'

test_expect_success 'JSON output escapes every control, and keeps the text' '
	(cd store && psm show --format json $(cat ../id)) >show.json &&
	no_controls show.json &&
	grep "\\\\u001B" show.json &&
	grep "\\\\u009B" show.json &&
	grep "\\\\u202E" show.json &&
	if command -v python3 >/dev/null
	then
		python3 -c "
import json, sys
t = json.load(open(\"show.json\"))[\"title\"]
sys.exit(0 if t == sys.argv[1] else 1)" "$EVIL"
	fi
'

test_expect_success 'check and error messages do not replay the sequences' '
	(
		cd store &&
		test_must_fail psm show "nosuch$EVIL" 2>../err
	) &&
	no_controls err
'

# put NAME: install stdin as issue file issues/<sh>/NAME.md.
put () {
	mkdir -p store/issues/$(echo $1 | cut -c1-2) &&
	cat >store/issues/$(echo $1 | cut -c1-2)/$1.md
}

# elapsed CMD...: run CMD, print its wall-clock milliseconds to ./ms.
elapsed () {
	_t0=$(date +%s%N)
	"$@"
	_code=$?
	echo $(( ($(date +%s%N) - _t0) / 1000000 )) >ms
	return $_code
}

test_expect_success 'a batch takes a title in as its words: escape sequences go whole' '
	(
		cd store &&
		printf "%s\n" "{\"title\": \"x\\u001b[2J\\u001b]0;pwned\\u0007\\u009b31mred gnp.exe\\u001b]8;;http://e.example\\u001b\\\\link\", \"body\": \"b\"}" >evil.jsonl &&
		psm intake --jsonl evil.jsonl >out &&
		test "$(field $(cut -f2 out) title)" = "\"xred gnp.exelink\"" &&
		cat >evil.eml <<-\EOF &&
		From: Mallory <m@evil.example>
		Subject: =?utf-8?q?Crash_=1B[31mred=1B[0m_on=07_save?=
		Date: Mon, 16 Nov 2026 10:00:00 +0000
		Message-ID: <evil-subject@evil.example>

		Hello.
		EOF
		psm intake --email evil.eml >out &&
		test "$(field $(cut -f2 out) title)" = "\"Crash red on save\""
	)
'

test_expect_success 'a title with controls reaches the customer as its words' '
	(
		cd store &&
		id=$(psm intake -t "Save${BEL} fails ${ESC}[1mnow" --reporter "Dana <dana@acme.example>") &&
		psm close $id -r fixed &&
		psm followup $id >draft &&
		grep "You told us about \"Save fails now\"" draft &&
		psm followup $id --send --dry-run >mail &&
		grep "^Subject: Re: Save fails now\$" mail &&
		! grep "$(printf "\357\277\275")" mail
	)
'

test_expect_success 'billion laughs: refused, not expanded' '
	{
		echo "---" &&
		echo "id: bbbbbbbbbb" &&
		echo "title: laughs" &&
		echo "status: new" &&
		echo "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]" &&
		c=b && p=a &&
		for c in b c d e f g h i
		do
			echo "$c: &$c [*$p, *$p, *$p, *$p, *$p, *$p, *$p, *$p, *$p]"
			p=$c
		done &&
		echo "---"
	} | put bbbbbbbbbb &&
	(cd store && elapsed test_expect_code 1 psm check >../out) &&
	grep "issues/bb/bbbbbbbbbb.md:5:[0-9]*: error: YAML anchors and aliases are not allowed" out &&
	test $(cat store/ms) -lt 5000
'

test_expect_success 'deep nesting: refused' '
	{
		printf -- "---\nid: dddddddddd\ntitle: deep\nstatus: new\nx: " &&
		awk "BEGIN { for (i = 0; i < 5000; i++) printf \"[\"; for (i = 0; i < 5000; i++) printf \"]\"; print \"\" }" &&
		echo "---"
	} | put dddddddddd &&
	(cd store && elapsed test_expect_code 1 psm check >../out) &&
	grep "issues/dd/dddddddddd.md:5:[0-9]*: error: nesting too deep" out &&
	test $(cat store/ms) -lt 5000
'

test_expect_success 'a NUL byte: refused' '
	printf -- "---\nid: nnnnnnnnnn\ntitle: \"a\\\\0b\"\nstatus: new\n---\n" | put nnnnnnnnnn &&
	printf -- "---\nid: mmmmmmmmmm\ntitle: raw\000nul\nstatus: new\n---\n" | put mmmmmmmmmm &&
	(cd store && test_expect_code 1 psm check >../out) &&
	grep "issues/nn/nnnnnnnnnn.md:3:[0-9]*: error: NUL byte" out &&
	grep "issues/mm/mmmmmmmmmm.md:[0-9]*:[0-9]*: error: " out
'

test_expect_success 'invalid UTF-8: refused' '
	printf -- "---\nid: uuuuuuuuuu\ntitle: bad \377\376 bytes\nstatus: new\n---\n" | put uuuuuuuuuu &&
	(cd store && test_expect_code 1 psm check >../out) &&
	grep "issues/uu/uuuuuuuuuu.md:[0-9]*:[0-9]*: error: " out
'

test_expect_success 'a 100 MB file: refused quickly, without reading it all' '
	{
		printf -- "---\nid: hhhhhhhhhh\ntitle: huge\nstatus: new\n---\n" &&
		head -c 100000000 /dev/zero | tr "\\000" a
	} | put hhhhhhhhhh &&
	(cd store && elapsed test_expect_code 1 psm check >../out) &&
	grep "issues/hh/hhhhhhhhhh.md:[0-9]*:[0-9]*: error: file is larger than" out &&
	test $(cat store/ms) -lt 5000
'

test_expect_success !SANITIZE 'bounded memory: list with every bad file under a 256 MB limit' '
	(
		cd store &&
		ulimit -v 262144 &&
		test_expect_code 1 psm list >../list.out 2>../list.err
	) &&
	grep "a good issue" list.out
'

test_expect_success 'the rest of the store still lists; list exits 1 naming each bad file' '
	(cd store && test_expect_code 1 psm list >../list.out 2>../list.err) &&
	grep "a good issue" list.out &&
	for f in bb/bbbbbbbbbb dd/dddddddddd nn/nnnnnnnnnn mm/mmmmmmmmmm uu/uuuuuuuuuu hh/hhhhhhhhhh
	do
		grep "issues/$f.md" list.err || exit 1
	done &&
	rm -rf store/issues/bb store/issues/dd store/issues/nn store/issues/mm \
		store/issues/uu store/issues/hh
'

test_expect_success 'IDs cannot name paths: refused before any file is touched' '
	mkdir -p outside &&
	echo secret >outside/x.md &&
	(
		cd store &&
		for bad in ../outside/x ../../outside/x /etc/passwd "issues/../../outside/x" "7k/../.."
		do
			test_expect_code 128 psm show "$bad" 2>../err &&
			grep "invalid issue ID" ../err || exit 1
		done &&
		if have_cmd tag
		then
			test_must_fail psm tag ../outside/x +pwn
		fi
	) &&
	echo secret >expect && test_cmp expect outside/x.md
'

test_expect_success 'duplicate_of pointing outside the store: never read or written' '
	mkdir -p outside/is/.. && echo keep >outside/evil.md &&
	id=$(cat good) &&
	f=store/issues/$(echo $id | cut -c1-2)/$id.md &&
	sed -e "s/^status: new/status: closed/" \
	    -e "s|^created:|resolution: duplicate\nduplicate_of: ../../../outside/evil\ncreated:|" "$f" >"$f.new" &&
	mv "$f.new" "$f" &&
	(
		cd store &&
		test_expect_code 1 psm check >../out;
		grep "duplicate_of .* names no issue" ../out &&
		psm show $id >/dev/null &&
		if have_cmd reopen
		then
			psm reopen $id >/dev/null 2>&1
			test $? -le 128
		fi &&
		git checkout -q -- issues
	) &&
	echo keep >expect && test_cmp expect outside/evil.md &&
	test ! -e outside/evil.md.tmp &&
	ls outside >ls && printf "evil.md\nis\nx.md\n" >expect && test_cmp expect ls
'

test_expect_success 'a symlinked issue file is not written through' '
	id=$(cat good) && sh=$(echo $id | cut -c1-2) &&
	cp store/issues/$sh/$id.md outside/target.md &&
	cp outside/target.md expect &&
	rm store/issues/$sh/$id.md &&
	ln -s ../../../outside/target.md store/issues/$sh/$id.md &&
	if have_cmd tag
	then
		(cd store && test_expect_code 128 psm tag $id +pwn 2>../err) &&
		grep "symlink" err
	fi &&
	test_cmp expect outside/target.md &&
	rm store/issues/$sh/$id.md &&
	(cd store && git checkout -q -- issues)
'

test_expect_success 'a symlinked shard directory is not written through' '
	id=$(cat good) && sh=$(echo $id | cut -c1-2) &&
	mkdir -p outside/shard &&
	cp store/issues/$sh/$id.md outside/shard/ &&
	rm -r store/issues/$sh &&
	ln -s ../../outside/shard store/issues/$sh &&
	cp outside/shard/$id.md expect &&
	if have_cmd tag
	then
		(cd store && test_expect_code 128 psm tag $id +pwn 2>../err) &&
		grep "symlink" err
	fi &&
	test_cmp expect outside/shard/$id.md &&
	ls outside/shard >ls && echo $id.md >expect && test_cmp expect ls &&
	rm store/issues/$sh &&
	(cd store && git checkout -q -- issues)
'

test_expect_success 'nothing tracked in the repository is ever run' '
	(
		cd store &&
		for d in .psm/hooks hooks .githooks .git-hooks issues/hooks
		do
			mkdir -p $d &&
			for h in post-intake post-tag post-close post-reply post-commit pre-commit post-merge
			do
				printf "#!/bin/sh\necho ran >>\"%s/ran\"\n" "$TRASH_DIRECTORY" >$d/$h &&
				chmod +x $d/$h || exit 1
			done
		done &&
		printf "*.md filter=evil\n" >>.gitattributes &&
		git add -A && git commit -qm "hostile hooks" &&
		# a hook in the git directory that is really a tracked file
		mkdir -p .git/psm/hooks &&
		for h in post-intake post-tag post-close post-reply
		do
			ln -s ../../../hooks/$h .git/psm/hooks/$h || exit 1
		done &&
		id=$(psm intake -t "hooks?") &&
		psm list >/dev/null && psm show $id >/dev/null && psm check >/dev/null &&
		for c in "tag $id +x" "assign $id a@b.example" "reply $id -m hi" \
			 "close $id --resolution fixed" "reopen $id"
		do
			set -- $c
			if have_cmd $1
			then
				# 1: done, but a hook was refused (and said so)
				psm "$@" >/dev/null 2>>../hook-warnings
				test $? -le 1 || exit 1
			fi
		done
	) &&
	test ! -e ran
'

test_done
