/* psm: the dispatcher. Global options, then one command from the table. */
#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "builtin.h"
#include "parse-options.h"

const struct cmd_struct psm_commands[] = {
	{ "init", cmd_init, 0, "make this git repository (or a new one) a psm store" },
	{ "intake", cmd_intake, NEED_STORE, "take in a new issue" },
	{ "list", cmd_list, NEED_STORE, "list issues matching search terms" },
	{ "show", cmd_show, NEED_STORE, "show one issue" },
	{ "check", cmd_check, NEED_STORE, "validate issue files" },
	{ "help", cmd_help, 0, "show help for psm or a command" },
	{ NULL, NULL, 0, NULL }
};

const struct cmd_struct *find_command(const char *name)
{
	const struct cmd_struct *c;

	for (c = psm_commands; c->name; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

static const char *const psm_usage[] = {
	"psm [-C <dir>] [--version] [--help] <command> [<args>]",
	NULL
};

int main(int argc, const char **argv)
{
	const char *dir = NULL;
	int version = 0, help = 0, r;
	struct option opts[] = {
		OPT_STRING('C', NULL, &dir, "dir", "run as if psm was started in <dir>"),
		OPT_BOOL(0, "version", &version, "print psm's version"),
		OPT_END(),
	};
	const struct cmd_struct *cmd;
	struct psm_store *store = NULL;

	setlocale(LC_CTYPE, "");
	/* A closed pipe (psm list | head) ends us quietly, as it does git. */
	signal(SIGPIPE, SIG_DFL);
	if (argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")))
		help = 1;
	else
	argc = parse_options(argc, argv, opts, psm_usage, PARSE_OPT_STOP_AT_NON_OPTION);
	if (version) {
		printf("psm version %s\n", PSM_VERSION);
		return finish_stdout(0);
	}
	if (dir && chdir(dir) < 0)
		die("cannot change to '%s': %s", dir, strerror(errno));
	if (!argc || help) {
		const char *hargv[] = { "help", NULL };

		return cmd_help(1, hargv, NULL);
	}
	cmd = find_command(argv[0]);
	if (!cmd) {
		fprintf(stderr, "psm: '%s' is not a psm command. See 'psm help'.\n", argv[0]);
		return EXIT_USAGE;
	}
	if (cmd->flags & NEED_STORE)
		store = setup_store();
	r = cmd->fn(argc, argv, store);
	psm_store_free(store);
	return finish_stdout(r);
}
