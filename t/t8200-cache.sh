#!/bin/sh

test_description='the read cache: where it lives, --no-cache, never stale

The cache (<gitdir>/psm/cache.db) is derived from the issue files: a read
builds it, --no-cache and PSM_NO_CACHE neither read nor write it, and a
file changed behind psm (in place, by rename, same size and mtime, racily
clean, deleted, added) is read again by the next command. Rows are forged
with python3-sqlite3 to prove the cache is really used, and when.'

. ./test-lib.sh
. "$TEST_DIRECTORY"/lib-cache.sh

if ! python3 -c 'import sqlite3' 2>/dev/null
then
	test_skip_all 'python3 has no sqlite3 module'
fi

# forge SQL...: run SQL on the cache.
forge () {
	python3 - .git/psm/cache.db "$@" <<-\EOF
	import sqlite3, sys
	c = sqlite3.connect(sys.argv[1])
	for q in sys.argv[2:]:
	    c.execute(q)
	c.commit()
	EOF
}

# restat PATH REF: make PATH's row hold PATH's stat data as they are now,
# recorded at REF ("mtime": the file's own mtime, i.e. racily clean;
# "late": ten seconds after it, i.e. clean).
restat () {
	python3 - .git/psm/cache.db "$1" "$2" <<-\EOF
	import os, sqlite3, struct, sys
	db, path, how = sys.argv[1:]
	st = os.lstat(path)
	ref = st.st_mtime_ns + (0 if how == "mtime" else 10 * 10**9)
	blob = struct.pack("<9q", st.st_dev, st.st_ino, st.st_mode, st.st_uid,
	                   st.st_gid, st.st_size, st.st_mtime_ns, st.st_ctime_ns, ref)
	c = sqlite3.connect(db)
	n = c.execute("UPDATE file SET stat = ? WHERE path = ?", (blob, path)).rowcount
	c.commit()
	sys.exit(0 if n == 1 else 1)
	EOF
}

# titles: the titles `psm list` shows, one a line.
titles () {
	psm list --format tsv | cut -f8
}

test_expect_success 'setup' '
	git init -q &&
	psm init >/dev/null &&
	for t in alpha beta gamma delta
	do
		test_tick &&
		psm intake -t "$t issue" -m "the $t body" >/dev/null || return 1
	done &&
	A=$(issue_file "$(psm list --format tsv | grep alpha | cut -f1)") &&
	B=$(issue_file "$(psm list --format tsv | grep beta | cut -f1)") &&
	echo "A=$A B=$B" >paths
'

test_expect_success 'a read builds the cache in the git directory, outside the work tree' '
	rm -f .git/psm/cache.db* &&
	psm list >out &&
	test -s .git/psm/cache.db &&
	git status --porcelain --ignored >status &&
	! grep cache status &&
	python3 -c "import sqlite3; print(sqlite3.connect(\".git/psm/cache.db\").execute(\"select count(*) from file\").fetchone()[0])" >rows &&
	echo 4 >expect &&
	test_cmp expect rows
'

test_expect_success 'the cache is used: a forged row is believed while its stat data match' '
	. ./paths &&
	psm list >/dev/null &&
	forge "UPDATE file SET meta = (SELECT meta FROM file WHERE path = \"$A\") WHERE path = \"$B\"" &&
	titles >out &&
	test $(grep -c "alpha issue" out) = 2 &&
	! grep "beta issue" out
'

test_expect_success '--no-cache and PSM_NO_CACHE read the files alone' '
	titles >cached &&
	psm --no-cache list --format tsv | cut -f8 >files &&
	grep "beta issue" files &&
	! test_cmp files cached >/dev/null &&
	PSM_NO_CACHE=1 psm list --format tsv | cut -f8 >env &&
	test_cmp files env &&
	PSM_NO_CACHE=0 psm list --format tsv | cut -f8 >env0 &&
	test_cmp cached env0
'

test_expect_success '--no-cache writes no cache' '
	rm -f .git/psm/cache.db* &&
	psm --no-cache list >/dev/null &&
	PSM_NO_CACHE=yes psm stats >/dev/null &&
	! test -e .git/psm/cache.db &&
	psm list >/dev/null &&
	test -e .git/psm/cache.db
'

test_expect_success 'deleting the cache is safe: the same answers, then rebuilt' '
	same list &&
	rm -f .git/psm/cache.db* &&
	same list &&
	test -e .git/psm/cache.db
'

test_expect_success 'a file edited in place is read again' '
	. ./paths &&
	psm list >/dev/null &&
	sed "s/^title: alpha issue/title: alpha edited in place/" "$A" >tmp &&
	cat tmp >"$A" &&
	titles >out &&
	grep "alpha edited in place" out &&
	same list
'

test_expect_success 'a file replaced by rename is read again' '
	. ./paths &&
	psm list >/dev/null &&
	sed "s/^title: .*/title: alpha by rename/" "$A" >"$A.new" &&
	mv "$A.new" "$A" &&
	titles >out &&
	grep "alpha by rename" out &&
	same list
'

test_expect_success 'a file rewritten with the same size and mtime is read again' '
	. ./paths &&
	psm list >/dev/null &&
	cp -p "$A" saved &&
	sed "s/^title: alpha by rename/title: ALPHA BY RENAME/" "$A" >tmp &&
	test $(wc -c <tmp) = $(wc -c <"$A") &&
	cat tmp >"$A" &&
	touch -r saved "$A" &&
	titles >out &&
	grep "ALPHA BY RENAME" out &&
	same list
'

test_expect_success 'a racily clean row is not trusted; a clean one is' '
	. ./paths &&
	psm list >/dev/null &&
	sed "s/^title: .*/title: racy beta/" "$B" >tmp &&
	cat tmp >"$B" &&
	psm list >/dev/null &&
	sed "s/^title: .*/title: later beta/" "$B" >tmp &&
	cat tmp >"$B" &&
	# the row says "racy beta" with the stat data the file has now, as if
	# both writes fell in one clock tick: recorded in that tick, re-read
	restat "$B" mtime &&
	titles >out &&
	grep "later beta" out &&
	# recorded well after it, the row is believed (as git believes its index)
	sed "s/^title: .*/title: racy beta/" "$B" >tmp &&
	cat tmp >"$B" &&
	psm list >/dev/null &&
	sed "s/^title: .*/title: RACY BETA/" "$B" >tmp &&
	cat tmp >"$B" &&
	restat "$B" late &&
	titles >out &&
	grep "racy beta" out &&
	! grep "RACY BETA" out &&
	psm --no-cache list --format tsv | cut -f8 >files &&
	grep "RACY BETA" files
'

test_expect_success 'a file deleted or added behind psm' '
	rm -f .git/psm/cache.db* &&
	. ./paths &&
	psm list >/dev/null &&
	mv "$B" saved.md &&
	titles >out &&
	! grep -i "beta" out &&
	same list &&
	mv saved.md "$B" &&
	titles >out &&
	grep -i "beta" out &&
	same list
'

test_expect_success 'a file made invalid by hand, and a config that changes what is valid' '
	. ./paths &&
	psm check &&
	sed "s/^status: .*/status: bogus/" "$A" >tmp &&
	cat tmp >"$A" &&
	same check &&
	same list &&
	test_must_fail psm check >out &&
	grep bogus out &&
	sed "s/^status: .*/status: new/" "$A" >tmp &&
	cat tmp >"$A" &&
	same check &&
	psm check &&
	cp .psm/config.yml config.saved &&
	printf "types:\n- other\n" >>.psm/config.yml &&
	same check &&
	same list &&
	cp config.saved .psm/config.yml
'

test_expect_success 'a file that is not an issue file name, or does not parse' '
	mkdir -p issues/zz &&
	echo "not front matter" >issues/zz/notes.md &&
	same list &&
	same check &&
	printf -- "---\nid: [unclosed\n---\n" >issues/zz/zzzzzzzzzz.md &&
	same list &&
	same check &&
	same list &&
	rm -r issues/zz &&
	same list
'

test_done
