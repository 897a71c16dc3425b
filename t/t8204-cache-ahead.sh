#!/bin/sh
# ctest-cost: 40

test_description='the next chunk loaded ahead never changes an answer

The scan reads issues a chunk of 512 files at a time and loads the next
chunk on a thread of its own while one is handed out. In a store of 1,300
issues (three chunks): building the cache, a warm read, hand edits in
every chunk (in place, with the same size and mtime, deleted, added),
damaged rows in the chunk being handed out, in the one loaded ahead, and
in the last, and rows that pass their checksum but do not unpack (found
on the reading thread while the next chunk loads): each command answers
as --no-cache does.'

. ./test-lib.sh
. "$TEST_DIRECTORY"/lib-cache.sh

if ! python3 -c 'import sqlite3' 2>/dev/null
then
	test_skip_all 'python3 has no sqlite3 module'
fi

db=.git/psm/cache.db

all_agree () {
	same list &&
	same list --format json &&
	same list crash &&
	same check &&
	same stats --format json &&
	same triage --queue &&
	same roadmap &&
	same followup &&
	same review
}

# nth N: the Nth issue file in path order (the scan's order), from 0.
nth () {
	ls issues/*/*.md | sed -n "$(($1 + 1))p"
}

# open_from N: the first open issue at or after the Nth file: `list`
# shows it, so a damaged row of it that went unread would show.
open_from () {
	ls issues/*/*.md | sed -n "$(($1 + 1)),\$p" | xargs grep -L "^status: closed" | head -n 1
}

# damage TABLE COLUMN N: change one byte in the middle of the row of the
# first open issue at or after the Nth file.
damage () {
	flip_row "$1" "$2" "$(open_from $3)"
}

# warm: the cache brought up to date (an invalid file makes list exit 1).
warm () {
	psm list >/dev/null 2>&1
	test $? -le 1
}

# forge N: the row of the first open issue at or after the Nth file made
# to claim one entry more than it holds, its checksum made again: found
# only when the row is unpacked, on the reading thread.
forge () {
	python3 - "$db" "$(open_from $1)" <<-\EOF
	import sqlite3, sys
	M = (1 << 64) - 1
	def h64(data, seed):
	    n = len(data)
	    h = (seed ^ (n * 0x9e3779b97f4a7c15)) & M
	    i = 0
	    while i + 8 <= n or i < n:
	        w = int.from_bytes(data[i:i + 8].ljust(8, b"\0"), "little")
	        w = (w * 0x87c37b91114253d5) & M
	        w = ((w << 31) | (w >> 33)) & M
	        h ^= (w * 0x4cf5ad432745937f) & M
	        if i + 8 <= n:
	            h = ((((h << 27) | (h >> 37)) & M) * 5 + 0x52dce729) & M
	        i += 8
	    h ^= h >> 33
	    h = (h * 0xff51afd7ed558ccd) & M
	    h ^= h >> 33
	    h = (h * 0xc4ceb9fe1a85ec53) & M
	    return h ^ (h >> 33)
	db, path = sys.argv[1:]
	c = sqlite3.connect(db)
	v = bytes(c.execute("SELECT meta FROM file WHERE path = ?", (path,)).fetchone()[0])
	seed = 0x70736d6d657461
	assert h64(v[:-8], seed).to_bytes(8, "little") == v[-8:], "checksum as psm makes it"
	assert v[0] < 0x7f
	w = bytes([v[0] + 1]) + v[1:-8]
	w += h64(w, seed).to_bytes(8, "little")
	assert c.execute("UPDATE file SET meta = ? WHERE path = ?", (w, path)).rowcount == 1
	c.commit()
	EOF
}

rows () {
	python3 - "$db" <<-\EOF
	import sqlite3, sys
	print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM file").fetchone()[0])
	EOF
}

test_expect_success 'setup: 1,300 issues, three chunks' '
	git init -q &&
	psm init >/dev/null &&
	python3 - <<-\EOF &&
	import os
	abc = "0123456789abcdefghjkmnpqrstvwxyz"
	for i in range(1300):
	    id = abc[i // 32 % 32] + abc[i % 32] + abc[i // 1024] + "".join(abc[(i * 7 + k * 13) % 32] for k in range(7))
	    d = "issues/" + id[:2]
	    os.makedirs(d, exist_ok=True)
	    status = ["new", "triaged", "closed", "in-progress"][i % 4]
	    extra = "resolution: fixed\nclosed: 2026-11-19T10:00:00Z\n" if status == "closed" else ""
	    with open(d + "/" + id + ".md", "w") as f:
	        f.write("---\nid: %s\ntitle: issue %d %s\nstatus: %s\n%s"
	                "impact: %s\nreporters:\n- name: R%d\n  email: r%d@example.com\n"
	                "created: 2026-11-%02dT10:%02d:00Z\nupdated: 2026-11-%02dT10:00:00Z\n---\n\n"
	                "Body %d %s\n" % (id, i, ["crash", "slow", "login"][i % 3], status, extra,
	                ["core", "strategic", "edge"][i % 3], i % 23, i % 23,
	                1 + i % 28, i % 60, 1 + i % 28, i, "x" * (i % 70)))
	EOF
	git add -A &&
	git commit -q -m issues &&
	test $(ls issues/*/*.md | wc -l) = 1300
'

test_expect_success 'the cache built, then read warm' '
	rm -f $db $db-wal $db-shm &&
	all_agree &&
	test $(rows) = 1300 &&
	all_agree
'

test_expect_success 'hand edits in every chunk' '
	for n in 5 700 1290
	do
		f=$(nth $n) &&
		sed "s/^title: issue/title: edited issue/" "$f" >tmp &&
		mv tmp "$f" || return 1
	done &&
	f=$(nth 520) &&
	touch -r "$f" stamp &&
	sed "s/^status: new/status: old/; s/^status: triaged/status: blocked/; s/^status: closed/status: parked/" "$f" >tmp &&
	test $(wc -c <tmp) = $(wc -c <"$f") &&
	! cmp -s tmp "$f" &&
	cat tmp >"$f" &&
	touch -r stamp "$f" &&
	rm "$(nth 1100)" &&
	mkdir -p issues/zz &&
	sed "s/^id: .*/id: zzzzzzzzzz/" "$(nth 3)" >issues/zz/zzzzzzzzzz.md &&
	all_agree
'

test_expect_success 'a damaged row in the first chunk' '
	warm &&
	damage file meta 100 &&
	all_agree &&
	test $(rows) = $(ls issues/*/*.md | wc -l)
'

test_expect_success 'damaged rows in the chunk loaded ahead and in the last' '
	warm &&
	damage file meta 600 &&
	damage file meta 1250 &&
	all_agree &&
	warm &&
	damage body body 900 &&
	all_agree &&
	warm &&
	damage file problems 30 &&
	damage file meta 31 &&
	all_agree &&
	test $(rows) = $(ls issues/*/*.md | wc -l)
'

test_expect_success 'a row that unpacks wrong though its checksum holds' '
	warm &&
	forge 40 &&
	all_agree &&
	warm &&
	forge 650 &&
	all_agree &&
	test $(rows) = $(ls issues/*/*.md | wc -l)
'

test_done
