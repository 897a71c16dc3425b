/*
 * psm reply ID -m TEXT: a public answer to the reporters, in the timeline;
 * the first one sets `responded` (time to first response).
 * psm note ID -m TEXT: an internal note, which is not a response.
 */
#include <string.h>

#include "builtin.h"
#include "hook.h"
#include "loop-util.h"
#include "psm/loop.h"
#include "parse-options.h"

static int timeline_command(int argc, const char **argv, struct psm_store *s, const char *kind)
{
	const char *format = NULL, *file = NULL;
	int no_commit = 0, code;
	struct opt_list msgs = { 0 };
	struct option opts[] = {
		OPT_LIST('m', "message", &msgs, "text", "the text; several -m are paragraphs"),
		OPT_STRING('F', "file", &file, "file", "read the text from <file> ('-': standard input)"),
		OPT_STRING(0, "format", &format, "fmt", "output: text (the ID) or json"),
		OPT_NO_COMMIT(&no_commit),
		OPT_END(),
	};
	const char *const reply_usage[] = {
		"psm reply <id> [-m <text> | -F <file>]   (no text: $EDITOR on a terminal)", NULL
	};
	const char *const note_usage[] = {
		"psm note <id> [-m <text> | -F <file>]    (no text: $EDITOR on a terminal)", NULL
	};
	const char *const *usage = !strcmp(kind, "reply") ? reply_usage : note_usage;
	struct strbuf text = STRBUF_INIT, tmpl = STRBUF_INIT, msg = STRBUF_INIT;
	enum output_format fmt;
	struct psm_issue *issue;
	const char *who, *title;
	struct psm_txn *t;

	argc = parse_options(argc, argv, opts, usage, 0);
	if (argc != 1)
		usage_error(usage, opts, argc ? "one issue at a time" : "which issue? give its ID");
	fmt = parse_format(format, "text,json");
	s->no_commit |= no_commit;
	who = who_or_die(s);

	/* read the text before taking the lock: the editor may take a while */
	issue = load_issue_or_die(s, argv[0]);
	title = psm_issue_get(issue, "title");
	strbuf_addstr(&tmpl, "# Do not modify or remove the line above: everything below it is ignored.\n");
	strbuf_addf(&tmpl, "# %s for %s: %s\n", !strcmp(kind, "reply") ?
		    "Your reply to the reporters" : "An internal note (reporters do not see it)",
		    short_id(s, issue), title ? title : "");
	strbuf_addstr(&tmpl, "# Write it above the line; an empty text aborts.\n");
	read_text(&text, s, &msgs, file, !strcmp(kind, "reply") ? "PSM_REPLY_EDITMSG" : "PSM_NOTE_EDITMSG",
		  tmpl.buf);
	if (!text.len)
		die("nothing written: give the %s with -m <text>%s", kind,
		    msgs.n || file ? "" : " (or run on a terminal for the editor)");
	psm_issue_free(issue);

	t = begin_or_die(s);
	issue = load_in_txn(t, s, argv[0]);
	if (psm_loop_timeline(issue, kind, who, text.buf, now_string()) < 0)
		die_txn_psm(t);
	commit_message(&msg, s, kind, issue);
	commit_or_die(t, &issue, 1, NULL, msg.buf);
	code = run_hook(s, kind, issue);
	print_issue_result(s, issue, fmt);

	psm_issue_free(issue);
	opt_list_release(&msgs);
	strbuf_release(&text);
	strbuf_release(&tmpl);
	strbuf_release(&msg);
	return code ? EXIT_PROBLEMS : 0;
}

int cmd_reply(int argc, const char **argv, struct psm_store *s)
{
	return timeline_command(argc, argv, s, "reply");
}

int cmd_note(int argc, const char **argv, struct psm_store *s)
{
	return timeline_command(argc, argv, s, "note");
}
