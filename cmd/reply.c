/*
 * psm reply ID -m TEXT: a public answer to the reporters, in the timeline;
 * the first one sets `responded` (time to first response). With --send it
 * goes by e-mail to each reporter with an address, in their own thread,
 * and each message sent is its own reply entry (mail-send.h).
 * psm note ID -m TEXT: an internal note, which is not a response.
 */
#include <string.h>
#include <strings.h>

#include "builtin.h"
#include "hook.h"
#include "loop-util.h"
#include "mail-send.h"
#include "psm/conflict.h"
#include "psm/followup-owed.h"
#include "psm/loop.h"
#include "psm/people.h"
#include "parse-options.h"

/* Is reporter i the first entry with its e-mail address? */
static int first_address(const struct psm_node *reps, size_t i)
{
	const char *a = psm_node_get_str(reps->items[i], "email");
	size_t j;

	for (j = 0; a && j < i; j++) {
		const char *o = psm_node_get_str(reps->items[j], "email");

		if (o && !strcasecmp(o, a))
			return 0;
	}
	return 1;
}

/* psm reply --send: one message per reporter, one entry per message sent,
 * one commit for them all. */
static int reply_send(struct psm_store *s, const char *prefix, const char *text,
		      const struct mail_opts *mo, enum output_format fmt)
{
	const char *who = who_or_die(s), *now = now_string();
	struct strbuf entry = STRBUF_INIT, msg = STRBUF_INIT;
	const struct psm_node *reps;
	struct psm_issue *issue;
	struct mail_batch b;
	struct psm_txn *t;
	size_t i, sent;
	int code = 0;

	mail_begin(&b, s, mo);
	t = begin_or_die(s);
	issue = load_in_txn(t, s, prefix);
	if (psm_issue_refuse_conflict(issue, "sending a reply") < 0)
		die_txn_psm(t);
	reps = psm_issue_node(issue, "reporters");
	for (i = 0; reps && reps->kind == PSM_SEQ && i < reps->n; i++)
		if (reps->items[i]->kind == PSM_MAP && first_address(reps, i) &&
		    !psm_reporter_is_team(s->config, reps->items[i])) /* not to ourselves */
			mail_add(&b, t, issue, reps->items[i], "reply", text);
	if (!b.n && !b.already && !b.nby_hand)
		die_txn(t, "'%s' has no reporters to send to", prefix);
	sent = mail_deliver(&b, t);
	for (i = 0; mo->send && !mo->dry_run && !mo->to_file && i < b.n; i++) {
		if (b.v[i].sent <= 0)
			continue;
		strbuf_reset(&entry);
		mail_record_text(&entry, &b.v[i]);
		if (psm_loop_timeline(issue, "reply", who, entry.buf, now) < 0)
			die_txn_psm(t);
		/* on a closed issue, a reply they got is their follow-up */
		if (psm_followup_owed(issue, s->config) &&
		    psm_followup_told(issue, b.v[i].reporter, who, b.v[i].id, now) < 0)
			die_txn_psm(t);
	}
	if (sent && mo->send && !mo->dry_run && !mo->to_file) {
		commit_message(&msg, s, "reply", issue);
		commit_or_die(t, &issue, 1, NULL, msg.buf);
		code = run_hook(s, "reply", issue);
		mail_recorded(&b);
	} else {
		psm_txn_free(t);
	}
	mail_report(&b);
	if (!mo->dry_run && !mo->to_file && !b.n && !b.already)
		code = error("nothing sent: no reporter of %s has an e-mail address", short_id(s, issue));
	if (fmt == FMT_JSON && !mo->dry_run)
		print_issue_result(s, issue, fmt);
	if (b.failed)
		code = 1;
	mail_end(&b);
	psm_issue_free(issue);
	strbuf_release(&entry);
	strbuf_release(&msg);
	return code ? EXIT_PROBLEMS : 0;
}

static int timeline_command(int argc, const char **argv, struct psm_store *s, const char *kind)
{
	const char *format = NULL, *file = NULL;
	int no_commit = 0, code;
	size_t owed;
	struct opt_list msgs = { 0 };
	struct mail_opts mo = { 0 };
	struct option reply_opts[] = {
		OPT_LIST('m', "message", &msgs, "text", "the text; several -m are paragraphs"),
		OPT_STRING('F', "file", &file, "file", "read the text from <file> ('-': standard input)"),
		OPT_STRING(0, "format", &format, "fmt", "output: text (the ID) or json"),
		OPT_MAIL(&mo),
		OPT_NO_COMMIT(&no_commit),
		OPT_END(),
	};
	struct option note_opts[] = {
		OPT_LIST('m', "message", &msgs, "text", "the text; several -m are paragraphs"),
		OPT_STRING('F', "file", &file, "file", "read the text from <file> ('-': standard input)"),
		OPT_STRING(0, "format", &format, "fmt", "output: text (the ID) or json"),
		OPT_NO_COMMIT(&no_commit),
		OPT_END(),
	};
	const char *const reply_usage[] = {
		"psm reply <id> [-m <text> | -F <file>]   (no text: $EDITOR on a terminal)",
		"psm reply <id> [-m <text> | -F <file>] --send [--dry-run | --to-file <dir>] [--yes]",
		NULL
	};
	const char *const note_usage[] = {
		"psm note <id> [-m <text> | -F <file>]    (no text: $EDITOR on a terminal)", NULL
	};
	const char *const *usage = !strcmp(kind, "reply") ? reply_usage : note_usage;
	struct option *opts = !strcmp(kind, "reply") ? reply_opts : note_opts;
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
	if (mail_wanted(&mo)) {
		code = reply_send(s, argv[0], text.buf, &mo, fmt);
		opt_list_release(&msgs);
		strbuf_release(&text);
		strbuf_release(&tmpl);
		return code;
	}

	t = begin_or_die(s);
	issue = load_in_txn(t, s, argv[0]);
	if (psm_loop_timeline(issue, kind, who, text.buf, now_string()) < 0)
		die_txn_psm(t);
	commit_message(&msg, s, kind, issue);
	commit_or_die(t, &issue, 1, NULL, msg.buf);
	code = run_hook(s, kind, issue);
	print_issue_result(s, issue, fmt);
	if (!strcmp(kind, "reply") && (owed = psm_followup_owed(issue, s->config)))
		/* recorded, not sent: whether it told them of the close is theirs to say */
		fprintf(stderr, "hint: recorded, not sent: %zu reporter%s of this closed issue still "
			"wait%s to hear of the close (psm followup %s --done once told)\n",
			owed, owed == 1 ? "" : "s", owed == 1 ? "s" : "", short_id(s, issue));

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
