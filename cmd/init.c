/* psm init: make the current git repository (or a new one) a psm store. */
#include <stdio.h>

#include "builtin.h"
#include "parse-options.h"

/* A store made where issues/ held the user's own files: say psm keeps its
 * issues beside them, not over them. */
static void warn_foreign(struct psm_store *s)
{
	struct psm_node *names = psm_node_new(PSM_SEQ);
	struct strbuf list = STRBUF_INIT;
	size_t i;

	if (!names || psm_store_foreign(names, s) < 0) {
		psm_node_free(names);
		psm_error_clear(); /* a note, not the command's result */
		return;
	}
	for (i = 0; i < names->n && i < 3; i++)
		strbuf_addf(&list, "%s'" PSM_ISSUE_DIR "/%s'", i ? ", " : "", names->items[i]->str);
	if (names->n > 3)
		strbuf_addf(&list, " and %zu more", names->n - 3);
	if (names->n)
		warning("'" PSM_ISSUE_DIR "/' already holds files that are not psm's (%s): psm leaves "
			"them alone and keeps its issues beside them, in two-character folders",
			list.buf);
	strbuf_release(&list);
	psm_node_free(names);
}

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
	if (changed)
		warn_foreign(s);
	else
		printf("psm store already initialized in %s\n", s->root);
	psm_store_free(s);
	return 0;
}
