/*
 * psm status ID STATUS [-m REASON]: move an open issue through the work
 * states (triaged, in-progress, blocked, or any the config adds). Closing,
 * reopening and parking have their own commands because they record more.
 */
#include <string.h>

#include "builtin.h"
#include "hook.h"
#include "loop-util.h"
#include "psm/loop.h"
#include "parse-options.h"
#include "psm/query.h"

static const char *const status_usage[] = {
	"psm status <id> <status> [-m <reason>]",
	NULL
};

static const char *const own_command[][2] = {
	{ "closed", "psm close" }, { "parked", "psm park" }, { "new", "psm reopen" },
	{ NULL, NULL }
};

int status_is_settable(const char *status)
{
	int i;

	for (i = 0; own_command[i][0]; i++)
		if (!strcmp(status, own_command[i][0]))
			return 0;
	return 1;
}

int cmd_status(int argc, const char **argv, struct psm_store *s)
{
	const char *format = NULL;
	struct opt_list msgs = { 0 };
	int no_commit = 0, code = 0, i;
	struct option opts[] = {
		OPT_LIST('m', "message", &msgs, "text", "why (added to the timeline as a note)"),
		OPT_STRING(0, "format", &format, "fmt", "output: text (the ID) or json"),
		OPT_NO_COMMIT(&no_commit),
		OPT_END(),
	};
	struct strbuf msg = STRBUF_INIT, reason = STRBUF_INIT;
	enum output_format fmt;
	struct psm_issue *issue;
	struct psm_txn *t;
	const char *status;

	argc = parse_options(argc, argv, opts, status_usage, 0);
	if (argc != 2)
		usage_error(status_usage, opts, "give an issue ID and a status");
	fmt = parse_format(format, "text,json");
	s->no_commit |= no_commit;
	status = argv[1];
	for (i = 0; own_command[i][0]; i++)
		if (!strcmp(status, own_command[i][0]))
			die("use '%s' to make an issue %s: it records more than the status",
			    own_command[i][1], status);
	check_config_value(s, "statuses", "status", status);
	read_text(&reason, s, &msgs, NULL, NULL, NULL);

	t = begin_or_die(s);
	issue = load_in_txn(t, s, argv[0]);
	if (!psm_issue_is_open(issue))
		die_txn(t, "issue '%s' is closed: reopen it first ('psm reopen %s')", argv[0], argv[0]);
	if (!psm_streq(psm_issue_get(issue, "status"), status)) {
		if (psm_issue_set(issue, "status", status) < 0 ||
		    psm_issue_set(issue, "updated", now_string()) < 0)
			die_txn_psm(t);
		if (reason.len && psm_loop_timeline(issue, "note", who_or_die(s), reason.buf,
						    now_string()) < 0)
			die_txn_psm(t);
	}
	/* "psm blocked 7kq2m9x: title" says what happened */
	commit_message(&msg, s, status, issue);
	if (!commit_or_die(t, &issue, 1, NULL, msg.buf))
		say_unchanged(s, issue, "it already has that status");
	else
		code = run_hook(s, "status", issue);
	print_issue_result(s, issue, fmt);

	psm_issue_free(issue);
	opt_list_release(&msgs);
	strbuf_release(&msg);
	strbuf_release(&reason);
	return code ? EXIT_PROBLEMS : 0;
}
