#!/bin/sh
# ctest-label: stress
# ctest-cost: 115

test_description='convergence: four clones, one hub, random work, merges

In the spirit of Jepsen: a bare hub and four clones. In each round every
clone runs a random sequence (fixed seed) of intake, tag, assign, reply,
close, reopen and dup on the issues it can see, then pulls (a real merge,
through psm merge-file) and pushes. A conflict the driver reports is
resolved the way a person would, by picking one side of each hunk. In the
end every clone holds the same store, every intake exists exactly once,
every label added and not removed is there (and every removed one is not),
every reply is in its issue once, and psm check passes. The numbers of
operations, merges and conflicts are printed as TAP comments.'

. ./test-lib.sh

CLONES=4
ROUNDS=${PSM_TEST_ROUNDS:-6}
OPS=${PSM_TEST_OPS:-6}
LEDGER="$TRASH_DIRECTORY/ledger"

# rand N: next number in 0..N-1 from a fixed-seed LCG kept in a file.
rand () {
	_s=$(cat "$TRASH_DIRECTORY/seed" 2>/dev/null || echo 20261122)
	_s=$(( (_s * 1103515245 + 12345) % 2147483648 ))
	echo $_s >"$TRASH_DIRECTORY/seed"
	echo $(( (_s / 65536) % $1 ))
}

# pick FILE: a random line of FILE (empty when FILE is empty).
pick () {
	_n=$(wc -l <"$1")
	test "$_n" -gt 0 || return 0
	sed -n "$(( $(rand $_n) + 1 ))p" "$1"
}

id_file () {
	echo "issues/$(echo "$1" | cut -c1-2)/$1.md"
}

# run_op C N: one random operation in clone C (the current directory).
run_op () {
	ls issues/*/*.md 2>/dev/null | sed "s|.*/||; s|\.md\$||" >../ids.$1
	grep -l "^status: closed" issues/*/*.md 2>/dev/null | sed "s|.*/||; s|\.md\$||" >../closed.$1
	grep -L "^status: closed" issues/*/*.md 2>/dev/null | grep -v README |
		sed "s|.*/||; s|\.md\$||" >../open.$1
	test_tick
	id=$(pick ../ids.$1)
	op=$(rand 10)
	test -z "$id" && op=0
	case $op in
	0|1)
		t="c$1-$2"
		psm intake -t "$t" --reporter "R $t <$t@r.example>" >/dev/null &&
		echo "intake $t" >>"$LEDGER" ;;
	2|3)
		have_cmd tag || return 0
		l="c$1x$2"
		psm tag "$id" "+$l" >/dev/null && echo "add $id $l" >>"$LEDGER" ;;
	4)
		have_cmd tag || return 0
		l=$(sed -n "/^labels:/,/^[a-z]/s/^- //p" "$(id_file $id)" | sed -n "$(( $(rand 3) + 1 ))p")
		test -n "$l" || return 0
		psm tag "$id" "-$l" >/dev/null && echo "del $id $l" >>"$LEDGER" ;;
	5)
		have_cmd assign || return 0
		psm assign "$id" "owner$(rand 3)@example.com" >/dev/null ;;
	6)
		have_cmd reply || return 0
		psm reply "$id" -m "reply c$1-$2" >/dev/null && echo "reply $id c$1-$2" >>"$LEDGER" ;;
	7)
		have_cmd close || return 0
		id=$(pick ../open.$1)
		test -n "$id" || return 0
		psm close "$id" --resolution fixed >/dev/null ;;
	8)
		have_cmd reopen || return 0
		id=$(pick ../closed.$1)
		test -n "$id" || return 0
		psm reopen "$id" >/dev/null ;;
	9)
		have_cmd dup || return 0
		# only among this clone's own intakes: no clone can make a cycle
		# together with another one
		grep -l "^title: c$1-" $(sed "s|^|issues/??/|; s|\$|.md|" ../open.$1) 2>/dev/null |
			sed "s|.*/||; s|\.md\$||" >../mine.$1
		a=$(pick ../mine.$1) && b=$(pick ../mine.$1) &&
		test -n "$a" && test -n "$b" && test "$a" != "$b" || return 0
		psm dup "$a" --of "$b" >/dev/null ;;
	esac
	_code=$?
	# a refusal (exit 1 or 128) is fine; a crash is not
	test $_code -le 128 || {
		echo "psm crashed (exit $_code) in op $op on clone $1" >&2
		return 1
	}
	test $_code = 0 && echo op >>../ops-ok
	echo op >>../ops
	return 0
}

# resolve: pick "ours" in every conflict hunk, as a person might, and commit.
resolve () {
	for f in $(git diff --name-only --diff-filter=U)
	do
		echo "$f" >>../conflicts
		cp "$f" ../conflict.$(wc -l <../conflicts)
		awk '
			/^<<<<<<< / { side = 1; next }
			/^=======$/ && side == 1 { side = 2; next }
			/^>>>>>>> / && side == 2 { side = 0; next }
			side != 2 { print }
		' "$f" >"$f.resolved" && mv "$f.resolved" "$f" && git add "$f" || return 1
	done
	git commit -q --no-edit
}

# sync C: pull (merge) and push; resolve conflicts if the driver reports any.
sync_clone () {
	if ! git pull -q --no-rebase --no-edit origin main >../pull.out 2>&1
	then
		grep -q CONFLICT ../pull.out || {
			cat ../pull.out >&2
			return 1
		}
		resolve || return 1
	fi
	git push -q origin main 2>../push.out || {
		cat ../push.out >&2
		return 1
	}
}

test_expect_success 'setup: hub and clones' '
	git init -q --bare hub.git &&
	git clone -q hub.git c0 2>/dev/null && (
		cd c0 &&
		psm init >/dev/null &&
		git push -q origin HEAD:main
	) &&
	c=1 &&
	while test $c -le $CLONES
	do
		git clone -q hub.git c$c && (
			cd c$c &&
			psm init >/dev/null &&
			test "$(git config merge.psm.driver)" = "psm merge-file %O %A %B %P"
		) || exit 1
		c=$((c + 1))
	done
'

test_expect_success "$ROUNDS rounds of $OPS random operations per clone, pull, push" '
	r=0 &&
	while test $r -lt $ROUNDS
	do
		c=1 &&
		while test $c -le $CLONES
		do
			(
				cd c$c &&
				GIT_AUTHOR_EMAIL=c$c@example.com GIT_COMMITTER_EMAIL=c$c@example.com &&
				export GIT_AUTHOR_EMAIL GIT_COMMITTER_EMAIL &&
				k=0 &&
				while test $k -lt $OPS
				do
					run_op $c $r.$k || exit 1
					k=$((k + 1))
				done &&
				sync_clone
			) || exit 1
			c=$((c + 1))
		done &&
		r=$((r + 1))
	done
'

test_expect_success 'after a last pull every clone holds the same store' '
	c=1 &&
	while test $c -le $CLONES
	do
		(cd c$c && git pull -q --no-rebase --no-edit origin main) || exit 1
		c=$((c + 1))
	done &&
	(cd hub.git && git rev-parse main) >hub-head &&
	c=1 &&
	while test $c -le $CLONES
	do
		(cd c$c && git rev-parse HEAD) >head.$c &&
		test_cmp hub-head head.$c &&
		(cd c$c && test -z "$(git status --porcelain)") || exit 1
		c=$((c + 1))
	done
'

test_expect_success 'every intake exists exactly once' '
	grep "^intake " ledger | cut -d" " -f2 | sort >expect &&
	(cd c1 && grep -h "^title: " issues/*/*.md) | sed "s/^title: //" | sort >actual &&
	test_cmp expect actual
'

test_expect_success 'labels added and not removed are there; removed ones are not' '
	grep "^add " ledger | while read -r _ id l
	do
		f=c1/$(id_file $id)
		if grep "^del $id $l\$" ledger >/dev/null
		then
			! grep "^- $l\$" "$f" || {
				echo "removed label $l is back on $id" >&2
				exit 1
			}
		else
			grep "^- $l\$" "$f" >/dev/null || {
				echo "label $l lost from $id" >&2
				exit 1
			}
		fi
	done
'

test_expect_success 'every reply is in its issue, once' '
	grep "^reply " ledger | while read -r _ id text
	do
		test $(grep -c "^reply $text\$" c1/$(id_file $id)) = 1 || {
			echo "reply $text: not once in $id" >&2
			exit 1
		}
	done
'

test_expect_success 'psm check passes in every clone' '
	c=1 &&
	while test $c -le $CLONES
	do
		(cd c$c && psm check) || exit 1
		c=$((c + 1))
	done
'

ops=$(cat "$TRASH_DIRECTORY/ops" 2>/dev/null | wc -l)
ok=$(cat "$TRASH_DIRECTORY/ops-ok" 2>/dev/null | wc -l)
merges=$(cd "$TRASH_DIRECTORY/hub.git" 2>/dev/null && git rev-list --merges main | wc -l)
conflicts=$(cat "$TRASH_DIRECTORY/conflicts" 2>/dev/null | wc -l)
intakes=$(grep -c "^intake " "$LEDGER" 2>/dev/null)
echo "# operations: $ops ($ok succeeded, $intakes intakes); merge commits: $merges; files resolved by hand: $conflicts"

test_done
