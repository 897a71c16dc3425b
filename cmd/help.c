/* psm help [COMMAND]: the command list, or one command's usage. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"
#include "parse-options.h"

/* Edits from a to b, an adjacent swap counting one (as "lsit" for list):
 * the optimal string alignment distance, on names of a few bytes. */
static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, d;
	size_t *row = calloc(3 * (lb + 1), sizeof(*row)), *pp, *p, *c;

	if (!row)
		die("out of memory");
	pp = row;
	p = row + lb + 1;
	c = row + 2 * (lb + 1);
	for (j = 0; j <= lb; j++)
		p[j] = j;
	for (i = 1; i <= la; i++) {
		size_t *t;

		c[0] = i;
		for (j = 1; j <= lb; j++) {
			d = p[j - 1] + (a[i - 1] != b[j - 1]);
			if (p[j] + 1 < d)
				d = p[j] + 1;
			if (c[j - 1] + 1 < d)
				d = c[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    pp[j - 2] + 1 < d)
				d = pp[j - 2] + 1;
			c[j] = d;
		}
		t = pp;
		pp = p;
		p = c;
		c = t;
	}
	d = p[lb];
	free(row);
	return d;
}

int help_similar_commands(const char *name)
{
	const struct cmd_struct *c;
	size_t best = 3, d; /* more than two edits is another word */
	int n = 0;

	for (c = psm_commands; c->name; c++)
		if ((d = distance(name, c->name)) < best && d < strlen(name))
			best = d;
	if (best > 2)
		return 0;
	for (c = psm_commands; c->name; c++)
		if (distance(name, c->name) == best)
			n++;
	fprintf(stderr, "\nThe most similar command%s\n", n == 1 ? " is" : "s are");
	for (c = psm_commands; c->name; c++)
		if (distance(name, c->name) == best)
			fprintf(stderr, "\t%s\n", c->name);
	return n;
}

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

		if (!(c = find_command(argv[0]))) {
			error("no such command '%s' (see 'psm help')", argv[0]);
			help_similar_commands(argv[0]);
			exit(128);
		}
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
