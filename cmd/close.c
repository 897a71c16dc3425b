/*
 * psm close ID --resolution R [-m TEXT] [--release-note TEXT]: status
 * closed; the reporters are now owed a follow-up (psm followup).
 */
#include <string.h>

#include "builtin.h"
#include "hook.h"
#include "loop-util.h"
#include "notify.h"
#include "psm/loop.h"
#include "parse-options.h"

static const char *const close_usage[] = {
	"psm close <id> --resolution <resolution> [-m <text>] [--release-note <text>]",
	"psm close <id> --resolution duplicate --duplicate-of <target>",
	NULL
};

int cmd_close(int argc, const char **argv, struct psm_store *s)
{
	const char *format = NULL, *resolution = NULL, *dup_of = NULL, *release_note = NULL;
	const char *who = NULL, *res;
	int no_commit = 0, code = 0, notify = 0, want_notify;
	struct opt_list msgs = { 0 };
	struct option opts[] = {
		OPT_STRING('r', "resolution", &resolution, "resolution",
			   "fixed, documented, answered, wontfix, duplicate, cannot-reproduce"),
		OPT_STRING(0, "duplicate-of", &dup_of, "target", "with resolution duplicate: the issue it duplicates"),
		OPT_LIST('m', "message", &msgs, "text", "a note for the timeline; several -m are paragraphs"),
		OPT_STRING(0, "release-note", &release_note, "text", "one plain-language line for the changelog"),
		OPT_STRING(0, "format", &format, "fmt", "output: text (the ID) or json"),
		OPT_NO_COMMIT(&no_commit),
		OPT_END(),
	};
	struct strbuf note = STRBUF_INIT, msg = STRBUF_INIT;
	enum output_format fmt;
	struct psm_issue *issue;
	struct psm_txn *t;
	int r;

	argc = parse_options(argc, argv, opts, close_usage, 0);
	if (argc != 1)
		usage_error(close_usage, opts, argc ? "one issue at a time" : "which issue? give its ID");
	if (!resolution) {
		struct strbuf allowed = STRBUF_INIT;

		psm_config_join(&allowed, s->config, "resolutions");
		usage_error(close_usage, opts, "how was it resolved? give --resolution (%s)", allowed.buf);
	}
	check_config_value(s, "resolutions", "resolution", resolution);
	if (!strcmp(resolution, "duplicate") && !dup_of)
		usage_error(close_usage, opts, "resolution 'duplicate' needs --duplicate-of <target>");
	if (strcmp(resolution, "duplicate") && dup_of)
		usage_error(close_usage, opts, "--duplicate-of goes with --resolution duplicate");
	fmt = parse_format(format, "text,json");
	s->no_commit |= no_commit;
	read_text(&note, s, &msgs, NULL, NULL, NULL);
	if (note.len)
		who = who_or_die(s);
	if (dup_of) {
		r = dup_issue(s, argv[0], dup_of, note.len ? note.buf : NULL, release_note, fmt, "close");
		goto out;
	}

	want_notify = notify_wanted(s, "close"); /* a bad psm.notify stops it here */
	t = begin_or_die(s);
	issue = load_in_txn(t, s, argv[0]);
	if (psm_loop_close(issue, resolution, NULL, release_note, now_string()) < 0)
		die_txn_psm(t);
	if (note.len && psm_loop_timeline(issue, "note", who, note.buf, now_string()) < 0)
		die_txn_psm(t);
	commit_message(&msg, s, "close", issue);
	if (!commit_or_die(t, &issue, 1, NULL, msg.buf)) {
		res = psm_issue_get(issue, "resolution");
		strbuf_reset(&msg);
		strbuf_addf(&msg, "already closed as %s", res ? res : "?");
		say_unchanged(s, issue, msg.buf);
	} else {
		code = run_hook(s, "close", issue);
		notify = want_notify;
	}
	print_issue_result(s, issue, fmt);
	if (notify && psm_issue_count(issue, "reporters"))
		code |= notify_close(s, psm_issue_get(issue, "id"));
	psm_issue_free(issue);
	r = code ? EXIT_PROBLEMS : 0;
out:
	opt_list_release(&msgs);
	strbuf_release(&note);
	strbuf_release(&msg);
	return r;
}
