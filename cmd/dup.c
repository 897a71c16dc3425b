/*
 * psm dup ID --of TARGET: close ID as a duplicate of TARGET and carry its
 * reporters over, so TARGET's reporter count says how many people hit it.
 * `psm reopen ID` takes them back.
 */
#include <string.h>

#include "builtin.h"
#include "hook.h"
#include "loop-util.h"
#include "psm/loop.h"
#include "parse-options.h"

static const char *const dup_usage[] = {
	"psm dup <id> --of <target> [-m <text>]",
	NULL
};

/* Issues recorded as duplicates of `id`: marking it a duplicate would chain. */
static void refuse_chain(struct psm_txn *t, struct psm_store *s, const struct psm_issue *dup)
{
	const char *id = psm_issue_get(dup, "id");
	struct psm_issue_set set = { 0 };
	struct strbuf names = STRBUF_INIT;
	size_t i, n = 0;

	if (psm_store_scan(s, &set) < 0)
		die_txn_psm(t);
	for (i = 0; i < set.n; i++) {
		if (!psm_streq(psm_issue_get(set.v[i], "duplicate_of"), id))
			continue;
		if (n++ < 5)
			strbuf_addf(&names, "%s'%s'", names.len ? ", " : "", short_id(s, set.v[i]));
	}
	psm_issue_set_release(&set);
	if (n)
		die_txn(t, "'%s' has duplicates of its own (%s%s): reopen them and mark them duplicates of the target first",
			short_id(s, dup), names.buf, n > 5 ? ", ..." : "");
	strbuf_release(&names);
}

int dup_issue(struct psm_store *s, const char *dup_prefix, const char *target_prefix,
	      const char *note, const char *release_note, enum output_format fmt,
	      const char *verb)
{
	const char *who = note ? who_or_die(s) : NULL, *now = now_string();
	struct psm_issue *v[2];
	struct strbuf msg = STRBUF_INIT, tid = STRBUF_INIT;
	struct psm_txn *t;
	int r, code = 0, was_dup;

	t = begin_or_die(s);
	v[0] = load_in_txn(t, s, dup_prefix);
	v[1] = load_in_txn(t, s, target_prefix);
	strbuf_addstr(&tid, short_id(s, v[1]));
	if (!strcmp(v[0]->path, v[1]->path))
		die_txn(t, "'%s' cannot be a duplicate of itself", tid.buf);
	was_dup = psm_issue_get(v[0], "duplicate_of") != NULL;
	if ((r = psm_loop_dup(v[0], v[1], now)) < 0)
		die_txn_psm(t);
	if (!was_dup)
		refuse_chain(t, s, v[0]);
	if (release_note && psm_loop_close(v[0], "duplicate", psm_issue_get(v[1], "id"),
					   release_note, now) < 0)
		die_txn_psm(t);
	if (note && psm_loop_timeline(v[0], "note", who, note, now) < 0)
		die_txn_psm(t);
	commit_message(&msg, s, verb, v[0]);
	if (!commit_or_die(t, v, 2, NULL, msg.buf)) {
		strbuf_reset(&msg);
		strbuf_addf(&msg, "already a duplicate of '%s'", tid.buf);
		say_unchanged(s, v[0], msg.buf);
	} else {
		code = run_hook(s, verb, v[0]);
	}
	print_issue_result(s, v[0], fmt);

	psm_issue_free(v[0]);
	psm_issue_free(v[1]);
	strbuf_release(&msg);
	strbuf_release(&tid);
	return code ? EXIT_PROBLEMS : 0;
}

int cmd_dup(int argc, const char **argv, struct psm_store *s)
{
	const char *format = NULL, *of = NULL;
	int no_commit = 0, r;
	struct opt_list msgs = { 0 };
	struct option opts[] = {
		OPT_STRING(0, "of", &of, "target", "the issue it duplicates"),
		OPT_LIST('m', "message", &msgs, "text", "a note for the timeline; several -m are paragraphs"),
		OPT_STRING(0, "format", &format, "fmt", "output: text (the ID) or json"),
		OPT_NO_COMMIT(&no_commit),
		OPT_END(),
	};
	struct strbuf note = STRBUF_INIT;
	enum output_format fmt;

	argc = parse_options(argc, argv, opts, dup_usage, 0);
	if (argc != 1)
		usage_error(dup_usage, opts, argc ? "one duplicate at a time" : "which issue? give its ID");
	if (!of)
		usage_error(dup_usage, opts, "a duplicate of what? give --of <target>");
	fmt = parse_format(format, "text,json");
	s->no_commit |= no_commit;
	read_text(&note, s, &msgs, NULL, NULL, NULL);
	r = dup_issue(s, argv[0], of, note.len ? note.buf : NULL, NULL, fmt, "dup");
	opt_list_release(&msgs);
	strbuf_release(&note);
	return r;
}
