#!/bin/sh

test_description='the index after a psm commit, on the indexes git writes

psm patches the committed paths'"'"' entries into the index file itself
(lib/gitindex.c) and falls back to libgit2 for what that does not handle.
Either way git must see the index as git would have written it: the
committed files clean and staged as in HEAD, the user'"'"'s own changes
untouched, the cache tree (TREE) invalidated exactly where psm wrote, the
resolve-undo (REUC) kept, the untracked cache dropped, version 3 (from
intent-to-add) and version 4 kept. A split index (core.splitIndex) stays
split, psm writing only its small front; psm splits a one-file index once
psm.splitIndex issue files are in it.'

. ./test-lib.sh

command -v python3 >/dev/null 2>&1 && test_set_prereq PYTHON

# index_dump: the index'"'"'s version, extensions and cache tree nodes
# ("tree PATH COUNT", COUNT -1 when invalidated), one per line.
cat >dump-index.py <<'EOF'
import struct, sys
d = open(sys.argv[1], "rb").read()
ver, n = struct.unpack(">II", d[4:12])
print("version", ver)
print("entries", n)
pos, prev = 12, b""
for _ in range(n):
    flags = struct.unpack(">H", d[pos + 60:pos + 62])[0]
    fixed = 64 if flags & 0x4000 else 62
    if ver == 4:
        strip, i = 0, pos + fixed
        while True:
            strip = (strip << 7) | (d[i] & 127)
            if d[i] < 128:
                break
            strip += 1
            i += 1
        end = d.index(b"\0", i + 1)
        prev = prev[:len(prev) - strip] + d[i + 1:end]
        pos = end + 1
    else:
        end = d.index(b"\0", pos + fixed)
        pos += (end - pos + 8) & ~7
while pos < len(d) - 20:
    sig, size = d[pos:pos + 4].decode(), struct.unpack(">I", d[pos + 4:pos + 8])[0]
    print("ext", sig)
    if sig == "link":
        print("shared", d[pos + 8:pos + 28].hex())
    if sig == "TREE":
        p, stack = pos + 8, [("", 1)]
        while stack:
            path, left = stack.pop()
            if not left:
                continue
            stack.append((path, left - 1))
            e = d.index(b"\0", p)
            name = d[p:e].decode()
            nl = d.index(b"\n", e)
            count, sub = map(int, d[e + 1:nl].split())
            p = nl + 1 + (20 if count >= 0 else 0)
            full = path + name + "/" if name else path
            print("tree", full or "/", count)
            stack.append((full, sub))
    pos += 8 + size
EOF

index_dump () {
	python3 "$TRASH_DIRECTORY/dump-index.py" .git/index
}

# check_index: what git sees after psm committed: the files of HEAD's
# commit staged as committed (100644, HEAD's blob) with the stat data of
# the file (diff-files does not refresh the index), git status and the
# staged paths as in expect-status and expect-cached, the index readable
# by git fsck, and no temporary index left.
check_index () {
	git diff-tree --no-commit-id --name-only -r HEAD >committed &&
	test -s committed &&
	while read -r f
	do
		echo "100644 $(git rev-parse HEAD:"$f") 0	$f" >expect &&
		git ls-files -s -- "$f" >actual &&
		test_cmp expect actual &&
		git diff-files --quiet -- "$f" || return 1
	done <committed &&
	git status --porcelain >actual &&
	test_cmp expect-status actual &&
	git diff --cached --name-only >actual &&
	test_cmp expect-cached actual &&
	git fsck --no-progress 2>&1 | { ! grep -v "^dangling"; } &&
	test ! -e .git/psm/index.tmp &&
	test ! -e .git/index.lock
}

# tree_matches_head: with nothing staged by the user, the tree git writes
# from the index (reusing every valid cache tree node) is HEAD's tree.
tree_matches_head () {
	test "$(git write-tree)" = "$(git rev-parse HEAD^{tree})"
}

test_expect_success 'setup: a repository with history and a cache tree' '
	git init -q &&
	printf "%s\n" expect actual committed dump "*.before" "expect-*" "*.py" \
		>>.git/info/exclude &&
	mkdir -p docs/sub &&
	echo one >docs/a.txt &&
	echo two >docs/sub/b.txt &&
	echo three >top.txt &&
	git add . &&
	git commit -q -m "user commit" &&
	grep -q TREE .git/index &&
	psm init &&
	: >expect-status &&
	: >expect-cached &&
	check_index
'

test_expect_success PYTHON 'a full cache tree: only the nodes on psm'"'"'s path are invalidated' '
	git write-tree >/dev/null &&
	index_dump >dump &&
	grep -x "tree issues/ 1" dump &&
	psm intake -t "cache tree" &&
	index_dump >dump &&
	grep -x "version 2" dump &&
	grep -x "ext TREE" dump &&
	grep -x "tree / -1" dump &&
	grep -x "tree issues/ -1" dump &&
	grep -x "tree docs/ 2" dump &&
	grep -x "tree docs/sub/ 1" dump &&
	check_index &&
	tree_matches_head
'

test_expect_success 'the next commit after that' '
	psm intake -t "second" &&
	check_index &&
	tree_matches_head &&
	grep -q TREE .git/index
'

test_expect_success 'racily clean entries are smudged so git re-reads them' '
	touch -d @1000000000 .git/index &&
	psm intake -t "racy" &&
	git ls-files --debug -- top.txt >actual &&
	grep "size: 0" actual &&
	check_index &&
	git ls-files --debug -- top.txt >actual &&
	grep "size: 6" actual
'

test_expect_success PYTHON 'version 3 (intent-to-add) stays version 3' '
	echo later >ita.txt &&
	git add -N ita.txt &&
	index_dump >dump &&
	grep -x "version 3" dump &&
	git status --porcelain >expect-status &&
	git diff --cached --name-only >expect-cached &&
	grep "^ A ita.txt" expect-status &&
	psm intake -t "beside intent-to-add" &&
	check_index &&
	index_dump >dump &&
	grep -x "version 3" dump &&
	git rm -q --cached ita.txt &&
	rm ita.txt
'

test_expect_success PYTHON 'version 4 (prefix-compressed names) stays version 4' '
	git update-index --index-version 4 &&
	index_dump >dump &&
	grep -x "version 4" dump &&
	: >expect-status &&
	: >expect-cached &&
	psm intake -t "in a version 4 index" &&
	check_index &&
	tree_matches_head &&
	index_dump >dump &&
	grep -x "version 4" dump &&
	git update-index --index-version 2
'

test_expect_success PYTHON 'the untracked cache is dropped, and git rebuilds it' '
	git config core.untrackedCache true &&
	echo mine >notes.txt &&
	git status --porcelain >/dev/null &&
	index_dump >dump &&
	grep -x "ext UNTR" dump &&
	echo "?? notes.txt" >expect-status &&
	psm intake -t "with an untracked cache" &&
	index_dump >dump &&
	! grep -x "ext UNTR" dump &&
	check_index &&
	tree_matches_head &&
	index_dump >dump &&
	grep -x "ext UNTR" dump &&
	git config core.untrackedCache false &&
	rm notes.txt
'

test_expect_success 'the user'"'"'s staged and unstaged changes survive' '
	echo staged >>docs/a.txt &&
	echo new >docs/sub/new.txt &&
	git add docs/a.txt docs/sub/new.txt &&
	echo unstaged >>top.txt &&
	echo "unstaged too" >>docs/a.txt &&
	git status --porcelain >expect-status &&
	git diff --cached --name-only >expect-cached &&
	git diff --cached >cached.before &&
	psm intake -t "over the user'"'"'s work" &&
	check_index &&
	git diff --cached >actual &&
	test_cmp cached.before actual &&
	git diff-tree -r --name-only HEAD "$(git write-tree)" >actual &&
	test_cmp expect-cached actual &&
	git commit -q -m "the user commits" &&
	git checkout -q -- top.txt docs/a.txt
'

test_expect_success PYTHON 'resolve-undo (REUC) is kept' '
	git checkout -q -b side &&
	echo side >docs/a.txt &&
	git commit -q -a -m side &&
	git checkout -q main &&
	echo main >docs/a.txt &&
	git commit -q -a -m main &&
	test_must_fail git merge -q side >/dev/null &&
	git checkout --theirs docs/a.txt &&
	git add docs/a.txt &&
	index_dump >dump &&
	grep -x "ext REUC" dump &&
	git ls-files --resolve-undo >reuc.before &&
	test_line_count = 3 reuc.before &&
	git status --porcelain >expect-status &&
	git diff --cached --name-only >expect-cached &&
	psm intake -t "during a merge" &&
	check_index &&
	git ls-files --resolve-undo >actual &&
	test_cmp reuc.before actual &&
	git commit -q --no-edit &&
	test "$(git show HEAD:docs/a.txt)" = side
'

test_expect_success 'after the merge, git and psm still agree' '
	: >expect-status &&
	: >expect-cached &&
	psm intake -t "after the merge" &&
	check_index &&
	tree_matches_head &&
	psm check >/dev/null &&
	git status --porcelain --untracked-files=all >actual &&
	test_must_fail grep issues/ actual
'

# dead_lock: a lock left by a process that is gone (for journal recovery).
dead_lock () {
	{ sh -c "exit 0" & _dead=$!; } && wait $_dead &&
	echo $_dead >.git/psm/lock
}

test_expect_success PYTHON 'a split index: psm writes only the front, the shared index stays' '
	git config core.splitIndex true &&
	git update-index --split-index &&
	shared=$(ls .git/sharedindex.*) &&
	index_dump >dump &&
	grep -x "ext link" dump &&
	n=$(sed -n "s/^entries //p" dump) &&
	# no shared entry racily clean (those would be copied into the front too)
	touch -d @$(($(date +%s) + 2)) .git/index &&
	psm intake -t "in a split index" &&
	index_dump >dump &&
	grep -x "ext link" dump &&
	grep -x "entries $((n + 1))" dump &&
	grep -x "tree issues/ -1" dump &&
	test "$(ls .git/sharedindex.*)" = "$shared" &&
	test -f ".git/psm/shared-${shared#.git/sharedindex.}.off" &&
	test "$(git ls-files | wc -l)" = "$(git ls-tree -r --name-only HEAD | wc -l)" &&
	check_index &&
	tree_matches_head
'

test_expect_success PYTHON 'a split index: changing an issue whose entry is in the shared index' '
	old=$(ls .git/psm/shared-*.off) &&
	git update-index --split-index &&
	f=$(git ls-files "issues/*/*.md" | head -n 1) &&
	id=$(basename "$f" .md) &&
	psm tag "$id" +from-shared &&
	shared=$(index_dump | sed -n "s/^shared //p") &&
	ls .git/psm/shared-*.off >actual &&
	echo ".git/psm/shared-$shared.off" >expect &&
	test_cmp expect actual &&
	test "$old" != "$(cat actual)" &&
	git diff-tree --no-commit-id --name-only -r HEAD >committed &&
	echo "$f" >expect &&
	test_cmp expect committed &&
	test "$(git ls-files issues | grep -c -x "$f")" = 1 &&
	check_index &&
	tree_matches_head
'

test_expect_success 'a split index: racily clean shared entries are smudged into the front' '
	git update-index --split-index &&
	touch -d @1000000000 .git/index &&
	psm intake -t "racy, split" &&
	git ls-files --debug -- top.txt >actual &&
	grep "size: 0" actual &&
	check_index &&
	git ls-files --debug -- top.txt >actual &&
	grep "size: 6" actual &&
	test -n "$(ls .git/sharedindex.*)"
'

test_expect_success 'a split index: the user'"'"'s staged and unstaged changes survive' '
	echo "staged, shared" >>docs/a.txt &&
	git add docs/a.txt &&
	git update-index --split-index &&
	echo "staged, front" >docs/sub/front.txt &&
	git add docs/sub/front.txt &&
	echo unstaged >>top.txt &&
	git status --porcelain >expect-status &&
	git diff --cached --name-only >expect-cached &&
	git diff --cached >cached.before &&
	psm intake -t "over the user'"'"'s work, split" &&
	check_index &&
	git diff --cached >actual &&
	test_cmp cached.before actual &&
	git commit -q -m "the user commits, split" &&
	git checkout -q -- top.txt &&
	: >expect-status &&
	: >expect-cached
'

# journal_new PATH: a journal of a dead psm that was adding PATH (not in
# HEAD) and did not commit; the next psm undoes it, removing PATH's entry.
journal_new () {
	mkdir -p .git/psm &&
	printf "psm-journal-1 %s\n0 1 %s\n" $(git rev-parse HEAD) "$1" >.git/psm/journal &&
	dead_lock
}

test_expect_success 'a split index: undoing an add removes a shared entry (delete bit)' '
	mkdir -p issues/zz &&
	cp "$(git ls-files "issues/*/*.md" | head -n 1)" issues/zz/zzzzzzzzzz.md &&
	git add issues/zz/zzzzzzzzzz.md &&
	git update-index --split-index &&
	journal_new issues/zz/zzzzzzzzzz.md &&
	psm intake -t "recovers a split index" >/dev/null &&
	test ! -e issues/zz/zzzzzzzzzz.md &&
	test -z "$(git ls-files issues/zz/zzzzzzzzzz.md)" &&
	test -z "$(git status --porcelain --untracked-files=all)" &&
	check_index &&
	tree_matches_head
'

test_expect_success 'a split index: undoing an add drops the entry'"'"'s replacement too' '
	mkdir -p issues/zz &&
	cp "$(git ls-files "issues/*/*.md" | head -n 1)" issues/zz/zzzzzzzzzz.md &&
	git add issues/zz/zzzzzzzzzz.md &&
	git update-index --split-index &&
	echo "changed after the split" >>issues/zz/zzzzzzzzzz.md &&
	git add issues/zz/zzzzzzzzzz.md &&
	journal_new issues/zz/zzzzzzzzzz.md &&
	psm intake -t "recovers a replaced entry" >/dev/null &&
	test -z "$(git ls-files issues/zz/zzzzzzzzzz.md)" &&
	test -z "$(git status --porcelain --untracked-files=all)" &&
	check_index &&
	tree_matches_head
'

test_expect_success PYTHON 'a split index at version 4: patched, still split, still version 4' '
	git update-index --index-version 4 &&
	git update-index --split-index &&
	index_dump >dump &&
	grep -x "version 4" dump &&
	grep -x "ext link" dump &&
	psm intake -t "split, version 4" >/dev/null &&
	index_dump >dump &&
	grep -x "version 4" dump &&
	grep -x "ext link" dump &&
	check_index &&
	tree_matches_head &&
	git update-index --index-version 2 &&
	git update-index --split-index
'

test_expect_success 'a split index psm cannot patch (skip-worktree): refused with what to do' '
	f=$(git ls-files "issues/*/*.md" | head -n 1) &&
	id=$(basename "$f" .md) &&
	git update-index --skip-worktree "$f" &&
	git rev-parse HEAD >expect-head-before &&
	test_must_fail psm tag "$id" +flagged 2>err &&
	grep "git update-index --no-split-index" err &&
	rm err &&
	git rev-parse HEAD >expect-head-after &&
	test_cmp expect-head-before expect-head-after &&
	git update-index --no-skip-worktree "$f" &&
	test -z "$(git status --porcelain --untracked-files=all)" &&
	psm tag "$id" +flagged &&
	check_index
'

test_expect_success PYTHON 'split index off again: a whole index, and psm goes on' '
	git config core.splitIndex false &&
	git update-index --no-split-index &&
	index_dump >dump &&
	! grep -x "ext link" dump &&
	psm intake -t "no longer split" >/dev/null &&
	check_index &&
	tree_matches_head
'

# issue_entries: the entries under issues/ in the index.
issue_entries () {
	git ls-files issues/ | wc -l
}

test_expect_success PYTHON 'psm.splitIndex: psm splits a one-file index once that many issue files are in it' '
	echo err >>.git/info/exclude &&
	git config --unset core.splitIndex &&
	rm -f .git/sharedindex.* &&
	git config psm.splitIndex $(($(issue_entries) + 2)) &&
	psm intake -t "one below the mark" >/dev/null 2>err &&
	! grep "psm split" err &&
	index_dump >dump &&
	! grep -x "ext link" dump &&
	test -z "$(ls .git | grep sharedindex)" &&
	psm intake -t "at the mark" >/dev/null 2>err &&
	grep "^hint: psm split git'"'"'s index" err &&
	grep "git config psm.splitIndex false" err &&
	index_dump >dump &&
	grep -x "ext link" dump &&
	grep -x "entries 0" dump &&
	grep -x "ext TREE" dump &&
	shared=$(sed -n "s/^shared //p" dump) &&
	test -f .git/sharedindex.$shared &&
	python3 "$TRASH_DIRECTORY/dump-index.py" .git/sharedindex.$shared >dump &&
	! grep "^ext" dump &&
	test "$(git ls-files | wc -l)" = "$(git ls-tree -r --name-only HEAD | wc -l)" &&
	check_index &&
	tree_matches_head
'

test_expect_success PYTHON 'after the split: psm writes only the front, and says nothing more' '
	shared=$(index_dump | sed -n "s/^shared //p") &&
	psm intake -t "after the split" >/dev/null 2>err &&
	! grep "psm split" err &&
	index_dump >dump &&
	grep -x "shared $shared" dump &&
	check_index &&
	tree_matches_head
'

test_expect_success PYTHON 'git keeps the index split (core.splitIndex unset)' '
	echo more >top.txt &&
	git add top.txt &&
	git commit -q -m "user commit in a split index" &&
	index_dump >dump &&
	grep -x "ext link" dump &&
	git status --porcelain >actual &&
	test ! -s actual
'

test_expect_success PYTHON 'psm.splitIndex false, or core.splitIndex false: psm keeps the index whole' '
	git update-index --no-split-index &&
	git config psm.splitIndex false &&
	psm intake -t "psm.splitIndex false" >/dev/null 2>err &&
	! grep "psm split" err &&
	index_dump >dump &&
	! grep -x "ext link" dump &&
	git config psm.splitIndex 1 &&
	git config core.splitIndex false &&
	psm intake -t "core.splitIndex false" >/dev/null 2>err &&
	! grep "psm split" err &&
	index_dump >dump &&
	! grep -x "ext link" dump &&
	check_index
'

test_expect_success PYTHON 'core.splitIndex true: psm splits at its next commit, whatever psm.splitIndex says' '
	git config core.splitIndex true &&
	git config psm.splitIndex false &&
	psm intake -t "core.splitIndex true" >/dev/null 2>err &&
	grep "^hint: psm split" err &&
	index_dump >dump &&
	grep -x "ext link" dump &&
	check_index &&
	tree_matches_head
'

test_expect_success 'a bad psm.splitIndex is an error that names the key, before any write' '
	git config --unset core.splitIndex &&
	git rev-parse HEAD >expect-head-before &&
	git config psm.splitIndex lots &&
	test_must_fail psm intake -t "not taken" 2>err &&
	grep "bad value '"'"'lots'"'"' for git config '"'"'psm.splitIndex'"'"'" err &&
	git config psm.splitIndex -5 &&
	test_must_fail psm list 2>err &&
	grep "psm.splitIndex" err &&
	git rev-parse HEAD >expect-head-after &&
	test_cmp expect-head-before expect-head-after &&
	git config --unset psm.splitIndex &&
	psm list >/dev/null
'

test_done
