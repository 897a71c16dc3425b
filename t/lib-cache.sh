# Helpers for the cache tests (t820x).

# same ARGS...: `psm ARGS` prints the same stdout and stderr, with the same
# exit code, with the cache as with --no-cache.
same () {
	{ psm "$@"; echo "exit $?"; } >with 2>with.err
	{ psm --no-cache "$@"; echo "exit $?"; } >without 2>without.err
	test_cmp without with &&
	test_cmp without.err with.err
}

# flip_row TABLE COLUMN PATH [TEXT]: change one byte of PATH's row in the
# cache ($db): the middle one, or the first of TEXT.
flip_row () {
	python3 - "$db" "$1" "$2" "$3" "${4:--1}" <<-\EOF
	import sqlite3, sys
	db, table, col, path, at = sys.argv[1:]
	c = sqlite3.connect(db)
	v = bytearray(c.execute("SELECT %s FROM %s WHERE path = ?" % (col, table), (path,)).fetchone()[0])
	v[len(v) // 2 if at == "-1" else bytes(v).index(at.encode())] ^= 0x01
	assert c.execute("UPDATE %s SET %s = ? WHERE path = ?" % (table, col), (bytes(v), path)).rowcount == 1
	c.commit()
	EOF
}
