# Helpers for the cache tests (t820x).

# same ARGS...: `psm ARGS` prints the same stdout and stderr, with the same
# exit code, with the cache as with --no-cache.
same () {
	{ psm "$@"; echo "exit $?"; } >with 2>with.err
	{ psm --no-cache "$@"; echo "exit $?"; } >without 2>without.err
	test_cmp without with &&
	test_cmp without.err with.err
}
