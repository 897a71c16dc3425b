/* psm rate ID good|bad [--reporter EMAIL] [-m COMMENT]: a customer's verdict. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "builtin.h"
#include "hook.h"
#include "loop-util.h"
#include "psm/loop.h"
#include "parse-options.h"

static const char *const rate_usage[] = {
	"psm rate <id> (good | bad) [--reporter <email>] [-m <comment>]",
	NULL
};

/* How a reporter is named in `ratings`: e-mail, else contact, else name. */
static const char *reporter_label(const struct psm_node *r)
{
	const char *v = psm_node_get_str(r, "email");

	if (!v || !*v)
		v = psm_node_get_str(r, "contact");
	if (!v || !*v)
		v = psm_node_get_str(r, "name");
	return v;
}

/*
 * The rating's reporter: the one given must be among the issue's reporters
 * (by e-mail or contact, as psm dup matches people, or by name); with none
 * given, the only person who reported it. Several people and none named is
 * refused: a rating nobody can be matched to could never be replaced when
 * that person rates again. NULL only for an issue without reporters.
 */
static const char *which_reporter(struct psm_txn *t, struct psm_store *s,
				  const struct psm_issue *is, const char *given)
{
	const struct psm_node *reps = psm_issue_node(is, "reporters");
	struct strbuf names = STRBUF_INIT;
	const char *found = NULL, *only = NULL;
	char *want = NULL, *first = NULL, *p;
	int several = 0;
	size_t i;

	if (given && !(want = psm_strdup(given)))
		die_txn(t, "out of memory");
	for (p = want; p && *p; p++)
		*p = (char)tolower((unsigned char)*p);
	for (i = 0; reps && reps->kind == PSM_SEQ && i < reps->n && !found; i++) {
		const struct psm_node *r = reps->items[i];
		const char *name = psm_node_get_str(r, "name");
		char *k = psm_reporter_key(r);

		if (!k)
			continue;
		if (want && (!strcmp(k, want) || (name && !strcasecmp(name, given))))
			found = reporter_label(r);
		strbuf_addf(&names, "%s%s", names.len ? ", " : "", reporter_label(r));
		if (!first) {
			first = k;
			only = reporter_label(r);
			continue;
		}
		several |= strcmp(first, k) != 0;
		free(k);
	}
	if (given && !found)
		die_txn(t, "'%s' is not a reporter of this issue (%s%s)", given,
			names.len ? "reporters: " : "it has none", names.buf);
	if (!given && several)
		die_txn(t, "several people reported '%s': say who rated it with --reporter (reporters: %s)",
			short_id(s, is), names.buf);
	free(want);
	free(first);
	strbuf_release(&names);
	return given ? found : several ? NULL : only;
}

int cmd_rate(int argc, const char **argv, struct psm_store *s)
{
	const char *format = NULL, *reporter = NULL;
	int no_commit = 0, code;
	struct opt_list msgs = { 0 };
	struct option opts[] = {
		OPT_STRING(0, "reporter", &reporter, "email", "who gave the rating (one of the issue's reporters)"),
		OPT_LIST('m', "message", &msgs, "comment", "what they said"),
		OPT_STRING(0, "format", &format, "fmt", "output: text (the ID) or json"),
		OPT_NO_COMMIT(&no_commit),
		OPT_END(),
	};
	struct strbuf comment = STRBUF_INIT, msg = STRBUF_INIT;
	enum output_format fmt;
	struct psm_issue *issue;
	struct psm_txn *t;

	argc = parse_options(argc, argv, opts, rate_usage, 0);
	if (argc != 2)
		usage_error(rate_usage, opts, "give the issue and the rating: psm rate <id> good|bad");
	if (strcmp(argv[1], "good") && strcmp(argv[1], "bad"))
		usage_error(rate_usage, opts, "a rating is 'good' or 'bad', not '%s'", argv[1]);
	fmt = parse_format(format, "text,json");
	s->no_commit |= no_commit;
	read_text(&comment, s, &msgs, NULL, NULL, NULL);

	t = begin_or_die(s);
	issue = load_in_txn(t, s, argv[0]);
	if (psm_loop_rate(issue, argv[1], which_reporter(t, s, issue, reporter),
			  comment.len ? comment.buf : NULL, now_string()) < 0)
		die_txn_psm(t);
	commit_message(&msg, s, "rate", issue);
	commit_or_die(t, &issue, 1, NULL, msg.buf);
	code = run_hook(s, "rate", issue);
	print_issue_result(s, issue, fmt);

	psm_issue_free(issue);
	opt_list_release(&msgs);
	strbuf_release(&comment);
	strbuf_release(&msg);
	return code ? EXIT_PROBLEMS : 0;
}
