#!/bin/sh
# ctest-cost: 90

test_description='a damaged or unusable cache is never trusted

A truncated cache, one overwritten with random bytes, a row whose bytes
were changed, a cache of another format version, one psm may not open, one
that is not a file, a git directory where no cache can be made, and a psm
killed while it builds the cache: each command answers as --no-cache does,
and the cache is made again where it can be.'

. ./test-lib.sh
. "$TEST_DIRECTORY"/lib-cache.sh

if ! python3 -c 'import sqlite3' 2>/dev/null
then
	test_skip_all 'python3 has no sqlite3 module'
fi

db=.git/psm/cache.db

# all_agree: the reads that go through the cache, with and without it.
all_agree () {
	same list &&
	same list --format json &&
	same check &&
	same stats --format json &&
	same triage --queue &&
	same roadmap &&
	same followup &&
	same review
}

# sql QUERY: run QUERY on the cache, print what it returns.
sql () {
	python3 - "$db" "$1" <<-\EOF
	import sqlite3, sys
	c = sqlite3.connect(sys.argv[1])
	for row in c.execute(sys.argv[2]):
	    print(*row)
	c.commit()
	EOF
}

# flip TABLE COLUMN N [TEXT]: change one byte (in the middle, or TEXT's first) of the
# row of the Nth open issue psm list shows.
flip () {
	psm --no-cache list --format json | sed -n "s/^    \"path\": \"\(.*\)\",\$/\1/p" |
	sed -n "$(($3 + 1))p" >flip.path &&
	test -s flip.path &&
	flip_row "$1" "$2" "$(cat flip.path)" "$4"
}

# healthy: the cache is a sound database with a row for every issue file.
healthy () {
	echo ok >expect.ok &&
	sql "PRAGMA integrity_check" >check.ok &&
	test_cmp expect.ok check.ok &&
	ls issues/*/*.md | wc -l >expect.n &&
	sql "SELECT count(*) FROM file" >n &&
	test_cmp expect.n n
}

test_expect_success 'setup: a store of 300 issues' '
	git init -q &&
	psm init >/dev/null &&
	python3 - <<-\EOF &&
	import os
	abc = "0123456789abcdefghjkmnpqrstvwxyz"
	for i in range(300):
	    id = "".join(abc[(i * 7 + k * 13 + i // 32) % 32] for k in range(10))
	    id = abc[i // 32 % 32] + abc[i % 32] + id[2:]
	    d = "issues/" + id[:2]
	    os.makedirs(d, exist_ok=True)
	    status = ["new", "triaged", "closed"][i % 3]
	    extra = "resolution: fixed\nclosed: 2026-11-19T10:00:00Z\n" if status == "closed" else ""
	    with open(d + "/" + id + ".md", "w") as f:
	        f.write("---\nid: %s\ntitle: issue number %d\nstatus: %s\n%s"
	                "impact: %s\nreporters:\n- name: R%d\n  email: r%d@example.com\n"
	                "created: 2026-11-%02dT10:00:00Z\nupdated: 2026-11-%02dT10:00:00Z\n---\n\n"
	                "Body %d: crash on login %s\n" % (id, i, status, extra,
	                ["core", "strategic", "edge"][i % 3], i % 17, i % 17,
	                1 + i % 19, 1 + i % 19, i, "x" * (i % 50)))
	EOF
	git add -A &&
	git commit -q -m issues &&
	psm check &&
	psm list >/dev/null &&
	healthy
'

test_expect_success 'a truncated cache is dropped and made again' '
	size=$(wc -c <$db) &&
	truncate -s $((size / 3)) $db &&
	rm -f $db-wal $db-shm &&
	all_agree &&
	healthy
'

test_expect_success 'a cache overwritten with random bytes is dropped and made again' '
	python3 -c "
import random, sys
random.seed(8202)
with open(sys.argv[1], \"r+b\") as f:
    f.seek(4096)
    f.write(bytes(random.getrandbits(8) for _ in range(20000)))
" $db &&
	rm -f $db-wal $db-shm &&
	all_agree &&
	healthy
'

test_expect_success 'a file of another kind in its place is replaced' '
	rm -f $db-wal $db-shm &&
	echo "not a database" >$db &&
	all_agree &&
	healthy
'

test_expect_success 'a row whose bytes were changed is never believed' '
	psm list >/dev/null &&
	flip file meta 7 "issue number" &&
	all_agree &&
	psm list >/dev/null &&
	flip file meta 8 &&
	all_agree &&
	healthy
'

test_expect_success 'problems, bodies and stat data with changed bytes are never believed' '
	psm list >/dev/null &&
	flip file problems 3 &&
	all_agree &&
	psm list >/dev/null &&
	flip body body 5 &&
	all_agree &&
	psm list >/dev/null &&
	flip file stat 9 &&
	all_agree &&
	healthy
'

test_expect_success 'a cache of another format version is emptied and made again' '
	psm list >/dev/null &&
	sql "UPDATE meta SET value = \"psm-cache 0\" WHERE key = \"key\"" &&
	# the rows would lie: the version tells them apart
	sql "UPDATE file SET meta = (SELECT meta FROM file ORDER BY path LIMIT 1) WHERE path = (SELECT path FROM file ORDER BY path LIMIT 1 OFFSET 1)" &&
	all_agree &&
	sql "SELECT value FROM meta WHERE key = \"key\"" >key &&
	grep "^psm-cache 2" key &&
	healthy
'

test_expect_success 'a cache that is not a file: the files alone answer' '
	rm -f $db $db-wal $db-shm &&
	mkdir $db &&
	all_agree &&
	rmdir $db
'

test_expect_success 'a git directory where no cache can be made still answers' '
	rm -rf .git/psm &&
	echo "in the way" >.git/psm &&
	all_agree &&
	rm .git/psm &&
	psm list >/dev/null &&
	healthy
'

test_expect_success NOT_ROOT 'an unreadable cache and a read-only git directory' '
	chmod 000 $db &&
	all_agree &&
	chmod 644 $db &&
	rm -rf .git/psm &&
	mkdir .git/psm &&
	chmod a-w .git/psm &&
	all_agree &&
	! test -e $db &&
	chmod u+w .git/psm
'

test_expect_success 'a psm killed while it builds the cache leaves nothing to trust' '
	for delay in 0.02 0.05 0.1 0.2 0.4
	do
		rm -f $db $db-wal $db-shm &&
		# a hand edit first: the cache is rebuilt over a changed file too
		{ psm list >/dev/null 2>&1 & } &&
		pid=$! &&
		sleep $delay &&
		kill -9 $pid 2>/dev/null
		wait $pid 2>/dev/null
		all_agree || return 1
	done &&
	healthy
'

test_expect_success 'killed while it rewrites rows over a cache: the same' '
	psm list >/dev/null &&
	for f in issues/*/*.md
	do
		echo "touched" >>"$f" || return 1
	done &&
	for delay in 0.02 0.1 0.3
	do
		{ psm check >/dev/null 2>&1 & } &&
		pid=$! &&
		sleep $delay &&
		kill -9 $pid 2>/dev/null
		wait $pid 2>/dev/null
		all_agree || return 1
	done &&
	healthy
'

test_done
