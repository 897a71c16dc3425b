/*
 * psm reopen ID [-m TEXT]: back to triaged. `first_closed` stays for the
 * metrics (first vs full resolution); a duplicate's reporters leave its
 * target in the same commit.
 */
#include <string.h>

#include "builtin.h"
#include "hook.h"
#include "loop-util.h"
#include "psm/loop.h"
#include "parse-options.h"

static const char *const reopen_usage[] = { "psm reopen <id> [-m <text>]", NULL };

/* The issue a duplicate points at, or NULL (with a warning) if it is gone. */
static struct psm_issue *load_target(struct psm_store *s, const char *id)
{
	struct psm_issue *target;
	struct strbuf full = STRBUF_INIT;

	if (psm_store_resolve(&full, s, id) < 0 || psm_store_load(&target, s, full.buf) < 0) {
		warning("%s; its reporters stay where they are", psm_error_last());
		target = NULL;
	}
	strbuf_release(&full);
	return target;
}

int cmd_reopen(int argc, const char **argv, struct psm_store *s)
{
	const char *format = NULL, *who = NULL, *of, *now;
	int no_commit = 0, code = 0;
	struct opt_list msgs = { 0 };
	struct option opts[] = {
		OPT_LIST('m', "message", &msgs, "text", "why, as a note in the timeline"),
		OPT_STRING(0, "format", &format, "fmt", "output: text (the ID) or json"),
		OPT_NO_COMMIT(&no_commit),
		OPT_END(),
	};
	struct strbuf note = STRBUF_INIT, msg = STRBUF_INIT;
	struct psm_issue *v[2] = { NULL, NULL };
	enum output_format fmt;
	struct psm_txn *t;

	argc = parse_options(argc, argv, opts, reopen_usage, 0);
	if (argc != 1)
		usage_error(reopen_usage, opts, argc ? "one issue at a time" : "which issue? give its ID");
	fmt = parse_format(format, "text,json");
	s->no_commit |= no_commit;
	read_text(&note, s, &msgs, NULL, NULL, NULL);
	if (note.len)
		who = who_or_die(s);
	now = now_string();

	t = begin_or_die(s);
	v[0] = load_in_txn(t, s, argv[0]);
	if ((of = psm_issue_get(v[0], "duplicate_of")) && (v[1] = load_target(s, of)) &&
	    psm_loop_undup(v[0], v[1], now) < 0)
		die_txn_psm(t);
	if (psm_loop_reopen(v[0], now) < 0)
		die_txn_psm(t);
	if (note.len && psm_loop_timeline(v[0], "note", who, note.buf, now) < 0)
		die_txn_psm(t);
	commit_message(&msg, s, "reopen", v[0]);
	commit_or_die(t, v, v[1] ? 2 : 1, NULL, msg.buf);
	code = run_hook(s, "reopen", v[0]);
	print_issue_result(s, v[0], fmt);

	psm_issue_free(v[0]);
	psm_issue_free(v[1]);
	opt_list_release(&msgs);
	strbuf_release(&note);
	strbuf_release(&msg);
	return code ? EXIT_PROBLEMS : 0;
}
