/*
 * psm dup ID --of TARGET: close ID as a duplicate of TARGET and carry its
 * reporters over, so TARGET's reporter count says how many people hit it.
 * ID's own duplicates move to TARGET too, in the same commit. `psm reopen
 * ID` takes its reporters back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"
#include "psm/cache.h"
#include "psm/dup-move.h"
#include "hook.h"
#include "loop-util.h"
#include "psm/loop.h"
#include "parse-options.h"

static const char *const dup_usage[] = {
	"psm dup <id> --of <target> [-m <text>]",
	NULL
};

/*
 * The issues recorded as duplicates of dup, loaded under the lock into
 * set: marking dup a duplicate moves them to the target first (no chains).
 */
static void duplicates_of(struct psm_issue_set *set, struct psm_txn *t, struct psm_store *s,
			  const struct psm_issue *dup)
{
	const char *id = psm_issue_get(dup, "id");
	const struct psm_issue *is;
	struct psm_issue_set ids = { 0 };
	struct psm_scan *sc;
	size_t i;
	int r;

	if (!id)
		return;
	/* found through the cache, an issue at a time (the store is not held
	 * whole for a few paths); each found is then read under the lock */
	if (psm_scan_open(&sc, s, 0) < 0)
		die_txn_psm(t);
	while ((r = psm_scan_next(sc, &is)) > 0) {
		const char *of = psm_issue_get(is, "duplicate_of");
		struct psm_issue *found;

		if (!psm_streq(of, id))
			continue;
		if ((r = psm_scan_take(&found, sc)) < 0 || (r = psm_issue_set_add(&ids, found)) < 0)
			break;
	}
	psm_scan_free(sc);
	if (r < 0)
		die_txn_psm(t);
	for (i = 0; i < ids.n; i++)
		if (psm_issue_set_add(set, load_in_txn(t, s, psm_issue_get(ids.v[i], "id"))) < 0)
			die_txn_psm(t);
	psm_issue_set_release(&ids);
}

int dup_issue(struct psm_store *s, const char *dup_prefix, const char *target_prefix,
	      const char *note, const char *release_note, enum output_format fmt,
	      const char *verb)
{
	const char *who = note ? who_or_die(s) : NULL, *now = now_string();
	struct psm_issue_set v = { 0 };
	struct strbuf msg = STRBUF_INIT, tid = STRBUF_INIT, moved = STRBUF_INIT;
	struct psm_txn *t;
	int *changed, code = 0;
	size_t i;

	t = begin_or_die(s);
	if (psm_issue_set_add(&v, load_in_txn(t, s, dup_prefix)) < 0 ||
	    psm_issue_set_add(&v, load_in_txn(t, s, target_prefix)) < 0)
		die_txn_psm(t);
	strbuf_addstr(&tid, short_id(s, v.v[1]));
	if (!strcmp(v.v[0]->path, v.v[1]->path))
		die_txn(t, "'%s' cannot be a duplicate of itself", tid.buf);
	if (psm_streq(psm_issue_get(v.v[1], "duplicate_of"), psm_issue_get(v.v[0], "id")))
		die_txn(t, "'%s' is itself a duplicate of '%s': reopen it first (psm reopen %s), then mark '%s' its duplicate",
			tid.buf, short_id(s, v.v[0]), tid.buf, short_id(s, v.v[0]));
	if (!psm_issue_get(v.v[0], "duplicate_of"))
		duplicates_of(&v, t, s, v.v[0]);
	/* a cluster merges whole: dup's duplicates go to the target with their people */
	for (i = 2; i < v.n; i++) {
		if (psm_loop_dup_move(v.v[i], v.v[0], v.v[1], now) < 0)
			die_txn_psm(t);
		strbuf_addf(&moved, "%s%s", moved.len ? ", " : "", short_id(s, v.v[i]));
	}
	if (psm_loop_dup(v.v[0], v.v[1], now) < 0)
		die_txn_psm(t);
	if (release_note && psm_loop_close(v.v[0], "duplicate", psm_issue_get(v.v[1], "id"),
					   release_note, now) < 0)
		die_txn_psm(t);
	if (note && psm_loop_timeline(v.v[0], "note", who, note, now) < 0)
		die_txn_psm(t);
	if (!(changed = calloc(v.n, sizeof(*changed))))
		die_txn(t, "out of memory");
	commit_message(&msg, s, verb, v.v[0]);
	if (!commit_or_die(t, v.v, v.n, changed, msg.buf)) {
		strbuf_reset(&msg);
		strbuf_addf(&msg, "already a duplicate of '%s'", tid.buf);
		say_unchanged(s, v.v[0], msg.buf);
	} else {
		if (moved.len)
			fprintf(stderr, "moved %zu duplicate%s of %s to %s, with their reporters: %s\n",
				v.n - 2, v.n == 3 ? "" : "s", short_id(s, v.v[0]), tid.buf, moved.buf);
		code = run_hook(s, verb, v.v[0]);
		for (i = 2; i < v.n; i++)
			code |= run_hook(s, verb, v.v[i]);
	}
	print_issue_result(s, v.v[0], fmt);

	free(changed);
	psm_issue_set_release(&v);
	strbuf_release(&msg);
	strbuf_release(&tid);
	strbuf_release(&moved);
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
