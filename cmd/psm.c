/* psm: the dispatcher. Global options, then one command from the table. */
#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "builtin.h"
#include "complete.h"
#include "parse-options.h"
#include "psm-version.h"
#include "psm/version.h"

const struct cmd_struct psm_commands[] = {
	{ "init", cmd_init, 0, "make this git repository (or a new one) a psm store", "<dir>" },
	{ "intake", cmd_intake, NEED_STORE, "take in a new issue", "<file>..." },
	{ "import", cmd_import, NEED_STORE, "migrate issues from GitHub or Backlog.md (one commit)", "github|backlog-md <file>" },
	{ "export", cmd_export, NEED_STORE, "write issues as JSON records that intake --jsonl reads back", "<term>..." },
	{ "list", cmd_list, NEED_STORE, "list issues matching search terms", "<term>..." },
	{ "show", cmd_show, NEED_STORE, "show one issue", "<id>" },
	{ "log", cmd_log, NEED_STORE, "an issue's history from git: intake, triage, owners, replies, close (alias: history)", "<id>" },
	{ "check", cmd_check, NEED_STORE, "validate issue files", "<file>..." },
	{ "triage", cmd_triage, NEED_STORE, "the triage queue, a decision, or a session (like git add -p)", "<id> +<label>" },
	{ "similar", cmd_similar, NEED_STORE, "likely duplicates of an issue, closest first", "<id>" },
	{ "park", cmd_park, NEED_STORE, "set an issue aside until a date", "<id>" },
	{ "roadmap", cmd_roadmap, NEED_STORE, "strategic issues, the most asked-for first", "" },
	{ "tag", cmd_tag, NEED_STORE, "add and remove labels: psm tag ID... +LABEL -LABEL", "<id>... +<label> -- <term>..." },
	{ "status", cmd_status, NEED_STORE, "set an open issue's status: in-progress, blocked, triaged", "<id> <status>" },
	{ "assign", cmd_assign, NEED_STORE, "set or clear an issue's owner", "<id> <owner>" },
	{ "edit", cmd_edit, NEED_STORE, "change any field of an issue, or the file in your editor", "<id>" },
	{ "reply", cmd_reply, NEED_STORE, "record a public answer to the reporters", "<id>" },
	{ "note", cmd_note, NEED_STORE, "add an internal note to an issue's timeline", "<id>" },
	{ "close", cmd_close, NEED_STORE, "close an issue with a resolution", "<id>" },
	{ "reopen", cmd_reopen, NEED_STORE, "reopen a closed issue", "<id>" },
	{ "dup", cmd_dup, NEED_STORE, "close an issue as a duplicate and move its reporters", "<id>" },
	{ "followup", cmd_followup, NEED_STORE, "closed issues whose reporters were not told, with drafts", "<id>..." },
	{ "rate", cmd_rate, NEED_STORE, "record a customer's rating of how an issue was handled", "<id> good|bad" },
	{ "stats", cmd_stats, NEED_STORE, "service figures: response and resolution times, targets, satisfaction, churn", "" },
	{ "usage", cmd_usage, NEED_STORE, "onboarding and adoption counts from analytics exports (import, recount)", "import|recount <file>..." },
	{ "review", cmd_review, NEED_STORE, "the weekly review: blockers, slow fixes, releases, churn, follow-ups", "" },
	{ "merge-file", cmd_merge_file, 0, "merge driver for git: three-way merge of an issue file", "<file>..." },
	{ "changelog", cmd_changelog, NEED_STORE, "release notes: issues closed between two revisions", "" },
	{ "site", cmd_site, NEED_STORE, "the public site: changelog pages, roadmap, known issues, feeds", "" },
	{ "help", cmd_help, 0, "show help for psm or a command", "<command>" },
	{ NULL, NULL, 0, NULL, NULL }
};

const struct cmd_struct *find_command(const char *name)
{
	const struct cmd_struct *c;

	if (!strcmp(name, "history")) /* another name for log, as in hg and svn */
		name = "log";
	for (c = psm_commands; c->name; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

static const char *const psm_usage[] = {
	"psm [-C <dir>] [--no-cache] [--version] [--help] <command> [<args>]",
	NULL
};

static const char *dir;
static int version, no_cache;
/* At file scope for `psm __complete` (complete.c), which offers them. */
const struct option psm_options[] = {
	OPT_STRING('C', NULL, &dir, "dir", "run as if psm was started in <dir>"),
	OPT_BOOL(0, "no-cache", &no_cache, "read the issue files alone, not the cache (also PSM_NO_CACHE=1)"),
	OPT_BOOL(0, "version", &version, "print psm's version"),
	OPT_END(),
};

/* The build's version (git describe), then the libraries' at run time. */
static int print_version(void)
{
	struct strbuf libs = STRBUF_INIT;

	if (psm_library_versions(&libs) < 0)
		die_psm();
	printf("psm version %s\n%s", PSM_VERSION, libs.buf);
	strbuf_release(&libs);
	return finish_stdout(0);
}

int main(int argc, const char **argv)
{
	const struct option *opts = psm_options;
	int help = 0, r;
	const struct cmd_struct *cmd;
	struct psm_store *store = NULL;

	setlocale(LC_CTYPE, "");
	/* to a pipe or a file: 64 KiB writes, not stdio's 4 KiB (a listing
	 * of 100,000 issues is 80 MB of JSON) */
	if (!isatty(STDOUT_FILENO))
		setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	/* A closed pipe (psm list | head) ends us quietly, as it does git. */
	signal(SIGPIPE, SIG_DFL);
	/* Past a file size limit a write fails (EFBIG) and psm cleans up and
	 * says so, instead of dying with a temporary file and its lock left. */
	signal(SIGXFSZ, SIG_IGN);
	if (argc > 1 && !strcmp(argv[1], "__complete"))
		return complete_main(argc - 1, argv + 1);
	if (argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")))
		help = 1;
	else
		argc = parse_options(argc, argv, opts, psm_usage, PARSE_OPT_STOP_AT_NON_OPTION);
	if (version)
		return print_version();
	if (dir && chdir(dir) < 0)
		die("cannot change to '%s': %s", dir, strerror(errno));
	if (!argc || help) {
		const char *hargv[] = { "help", NULL };
		int shown = cmd_help(1, hargv, NULL);

		/* asked for, it is an answer; in place of a command (a script's
		 * empty $cmd), a usage error, so the script stops */
		return shown || help ? shown : 129;
	}
	cmd = find_command(argv[0]);
	if (!cmd) {
		fprintf(stderr, "psm: '%s' is not a psm command. See 'psm help'.\n", argv[0]);
		/* a likely typo gets its command, as git does, not the usage */
		if (!help_similar_commands(argv[0]))
			usage_with_options(psm_usage, opts, 1);
		return EXIT_USAGE;
	}
	/* "psm CMD -h" needs no store, just as "psm help CMD" (which calls it) */
	if ((cmd->flags & NEED_STORE) &&
	    !(argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")))) {
		const char *env = getenv("PSM_NO_CACHE");

		store = setup_store();
		store->no_cache = no_cache || (env && *env && strcmp(env, "0"));
		store->build = PSM_VERSION;
	}
	r = cmd->fn(argc, argv, store);
	git_notes(store);
	psm_store_free(store);
	return finish_stdout(r);
}
