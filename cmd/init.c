/* psm init: make the current git repository (or a new one) a psm store. */
#include <stdio.h>

#include "builtin.h"
#include "parse-options.h"

int cmd_init(int argc, const char **argv, struct psm_store *unused)
{
	static const char *const usage[] = { "psm init [--no-commit] [<dir>]", NULL };
	int no_commit = 0, changed;
	struct option opts[] = {
		OPT_NO_COMMIT(&no_commit),
		OPT_END(),
	};
	struct psm_store *s;
	const char *dir;

	argc = parse_options(argc, argv, opts, usage, 0);
	if (argc > 1)
		usage_error(usage, opts, "too many arguments");
	dir = argc ? argv[0] : ".";
	if (psm_store_init(&s, dir, no_commit, &changed) < 0)
		die_psm();
	if (changed)
		printf("Initialized psm store in %s\n", s->root);
	else
		printf("psm store already initialized in %s\n", s->root);
	psm_store_free(s);
	return 0;
}
