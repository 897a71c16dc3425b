/* psm help [COMMAND]: the command list, or one command's usage. */
#include <stdio.h>
#include <string.h>

#include "builtin.h"
#include "parse-options.h"

int cmd_help(int argc, const char **argv, struct psm_store *s)
{
	static const char *const usage[] = { "psm help [<command>]", NULL };
	struct option opts[] = { OPT_END() };
	const struct cmd_struct *c;

	argc = parse_options(argc, argv, opts, usage, 0);
	if (argc > 1)
		usage_error(usage, opts, "too many arguments");
	if (argc == 1) {
		const char *hargv[] = { argv[0], "-h", NULL };

		if (!(c = find_command(argv[0])))
			die("no such command '%s' (see 'psm help')", argv[0]);
		/* Every command prints its usage from its own option table. */
		return c->fn(2, hargv, NULL);
	}
	printf("usage: psm [-C <dir>] [--no-cache] [--version] [--help] <command> [<args>]\n\n");
	printf("psm keeps product feedback as one Markdown file per issue in your git repository.\n\n");
	printf("commands:\n");
	for (c = psm_commands; c->name; c++)
		printf("   %-12s %s\n", c->name, c->summary);
	printf("\nSee 'psm help <command>' or 'psm <command> -h' for a command's options,\n"
	       "and psm(1) for the whole manual.\n");
	return 0;
}
