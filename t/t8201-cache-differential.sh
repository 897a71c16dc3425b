#!/bin/sh
# ctest-cost: 100

test_description='the read cache never changes an answer

A seeded random sequence (T8201_SEED, default 1; T8201_STEPS steps,
default 24) of psm writes, hand edits (in place, by rename, same size and
mtime, invalid ones, deletions), git checkout, merge, stash, reset --hard
and rebase, and readers running at once, on a store of 8 issues taken in
and T8201_BULK more written (default 600: two chunks, the second loaded
ahead). After every step each read command prints the same bytes on
stdout and stderr, with the same exit code, with the cache as with
--no-cache.'

. ./test-lib.sh

seed=${T8201_SEED:-1}
steps=${T8201_STEPS:-24}
# issues written at the start beside the eight taken in: with 600, the
# scan has two chunks and loads the second while it hands out the first
bulk=${T8201_BULK:-600}
echo "# seed $seed, $steps steps, $bulk more issues"

# rnd N: a number below N from the seeded generator (state in ./rng).
rnd () {
	_r=$(cat rng) &&
	_r=$(((_r * 1103515245 + 12345) % 2147483648)) &&
	echo $_r >rng &&
	echo $(((_r / 65536) % $1))
}

# any_issue: the path of an issue file, chosen at random.
any_issue () {
	ls issues/*/*.md >all 2>/dev/null &&
	_n=$(wc -l <all) &&
	test $_n -gt 0 &&
	sed -n "$(($(rnd $_n) + 1))p" all
}

any_id () {
	_f=$(any_issue) &&
	basename "$_f" .md
}

word () {
	set -- crash login export invoice slow sync printer refund dark-mode upload &&
	shift $(rnd 10) &&
	echo $1
}

# try CMD...: a write that may be refused (reopen an open issue...), never
# one that crashes.
try () {
	"$@" >/dev/null 2>&1
	test $? -le 128 # die() is 128; a signal is more
}

# reads: every read command, stdout, stderr and exit code, into DIR.
reads () {
	mkdir -p "$1" &&
	_i=0 &&
	while read -r _cmd
	do
		_i=$((_i + 1)) &&
		{ eval "psm $2 $_cmd" >"$1/$_i.out" 2>"$1/$_i.err"; echo "$_cmd: exit $?" >>"$1/$_i.out"; }
	done <commands
}

# agree: the reads with the cache are those without it, byte for byte.
agree () {
	rm -rf with without &&
	reads with "" &&
	reads without --no-cache &&
	diff -r without with
}

# one FILE [OPTION]: `psm list`, its stdout, stderr and exit code in FILE
# (an invalid file makes it exit 1: part of the answer).
one () {
	{ psm $2 list >"$1" 2>"$1.err"; echo "exit $?" >>"$1"; cat "$1.err" >>"$1"; }
}

# commit_hand_edits: what was edited by hand, committed (before git moves).
commit_hand_edits () {
	git add -A issues .psm &&
	{ git diff --cached --quiet || git commit -q -m "hand edits"; }
}

cat >commands <<\EOF
list
list is:closed --format tsv
list --format json
list --sort priority -n 5
list crash
triage --queue
stats --format json
review
roadmap
check
followup
export
EOF

test_expect_success 'setup' '
	echo $seed >rng &&
	git init -q &&
	psm init >/dev/null &&
	for t in "crash on login" "slow export" "invoice wrong" "sync lost data" \
		 "printer offline" "refund missing" "dark-mode colours" "upload fails"
	do
		test_tick &&
		psm intake -t "$t" -m "It started after the $(word) change." \
			--reporter "Cu Stomer <c$(rnd 5)@example.com>" --customer "acme$(rnd 3)" \
			--type bug >/dev/null || return 1
	done &&
	python3 - $bulk <<-\EOF &&
	import os, sys
	abc = "0123456789abcdefghjkmnpqrstvwxyz"
	for i in range(int(sys.argv[1])):
	    id = "z" + abc[i // 32 % 32] + abc[i % 32] + abc[i // 1024 % 32] + "".join(abc[(i * 7 + k * 11) % 32] for k in range(6))
	    os.makedirs("issues/" + id[:2], exist_ok=True)
	    with open("issues/%s/%s.md" % (id[:2], id), "w") as f:
	        f.write("---\nid: %s\ntitle: bulk issue %d\nstatus: %s\ntype: bug\n"
	                "reporters:\n- name: B%d\n  email: b%d@example.com\n"
	                "created: 2026-10-%02dT09:%02d:00Z\nupdated: 2026-10-%02dT09:00:00Z\n---\n\n"
	                "It happens on %s.\n" % (id, i, ["new", "triaged"][i % 2], i % 9, i % 9,
	                1 + i % 28, i % 60, 1 + i % 28, ["login", "export", "sync"][i % 3]))
	EOF
	git add issues &&
	git commit -q -m bulk &&
	agree
'

i=0
while test $i -lt $steps
do
	i=$((i + 1))
	# every kind of step once, in a seeded order, then at random
	kind=$(awk -v seed=$seed -v i=$i 'BEGIN {
		srand(seed); for (k = 0; k < 19; k++) p[k] = k
		for (k = 18; k > 0; k--) { j = int(rand() * (k + 1)); t = p[k]; p[k] = p[j]; p[j] = t }
		if (i <= 19) print p[i - 1]; else { srand(seed * 1000 + i); print int(rand() * 19) }
	}')
	case $kind in
	0) what='psm intake' do='try psm intake -t "$(word) $(word) issue" -m "$(word) body" --reporter "R <r$(rnd 4)@example.com>"' ;;
	1) what='psm tag' do='try psm tag $(any_id) +$(word)' ;;
	2) what='psm assign' do='try psm assign $(any_id) dev$(rnd 3)@example.com' ;;
	3) what='psm close' do='try psm close $(any_id) --resolution fixed -m done --release-note "fixed $(word)"' ;;
	4) what='psm reopen' do='try psm reopen $(any_id)' ;;
	5) what='psm reply and note' do='_id=$(any_id) && try psm reply $_id -m "we look at $(word)" && try psm note $_id -m "inside: $(word)"' ;;
	6) what='hand edit in place' do='_f=$(any_issue) && echo "More about $(word)." >>"$_f"' ;;
	7) what='hand edit by rename' do='_f=$(any_issue) && sed "s/^title: .*/title: renamed $(word)/" "$_f" >"$_f.tmp" && mv "$_f.tmp" "$_f"' ;;
	8) what='same size and mtime' do='_f=$(any_issue) && cp -p "$_f" saved && sed "/^title:/y/abcdefghijklmnopqrstuvwxyz/ABCDEFGHIJKLMNOPQRSTUVWXYZ/" "$_f" >tmp && cat tmp >"$_f" && touch -r saved "$_f"' ;;
	9) what='invalid hand edit' do='_f=$(any_issue) && sed "s/^status: .*/status: bogus$(rnd 2)/" "$_f" >tmp && cat tmp >"$_f"' ;;
	10) what='file deleted by hand' do='_f=$(any_issue) && rm "$_f"' ;;
	11) what='git checkout of a branch and back' do='commit_hand_edits && git checkout -q -B side && _f=$(any_issue) && echo "side $(word)" >>"$_f" && git commit -q -am side && git checkout -q main' ;;
	12) what='git merge' do='commit_hand_edits && { git rev-parse -q --verify side >/dev/null || git branch side; } && git merge -q --no-edit side >/dev/null 2>&1 || { git merge --abort 2>/dev/null; true; }' ;;
	13) what='git stash and pop' do='_f=$(any_issue) && echo "stashed $(word)" >>"$_f" && git stash -q && agree && git stash pop -q' ;;
	14) what='git reset --hard' do='echo "lost $(word)" >>"$(any_issue)" && git reset -q --hard HEAD~$(rnd 2)' ;;
	15) what='git rebase' do='commit_hand_edits && git checkout -q -B topic HEAD~1 && _f=$(any_issue) && echo "topic $(word)" >>"$_f" && git commit -q -am topic && { git rebase -q main >/dev/null 2>&1 || git rebase --abort; } && git checkout -q main' ;;
	16) what='git checkout of an older commit and back' do='commit_hand_edits && git checkout -q HEAD~2 && agree && git checkout -q main' ;;
	17) what='readers at once, with a writer' do='rm -f .git/psm/cache.db* && one before --no-cache && { one r1 & one r2 & psm intake -t "meanwhile $(word)" >/dev/null & one r3 & wait; } && one after --no-cache && for r in r1 r2 r3; do cmp -s $r before || test_cmp after $r || return 1; done' ;;
	18) what='the cache removed' do='rm -f .git/psm/cache.db*' ;;
	esac
	test_tick
	test_expect_success "step $i: $what" "
		$do &&
		agree
	"
done

test_expect_success 'the last state, from a cache rebuilt from nothing' '
	rm -f .git/psm/cache.db* &&
	agree &&
	agree
'

test_done
