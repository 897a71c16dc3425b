/* psm assign ID OWNER | --auto | --none: who owns the issue. */
#include <stdlib.h>
#include <string.h>

#include "builtin.h"
#include "psm/cache.h"
#include "hook.h"
#include "loop-util.h"
#include "psm/loop.h"
#include "owners.h"
#include "parse-options.h"
#include "psm/query.h"

static const char *const assign_usage[] = {
	"psm assign <id> (<owner> | me | --auto | --none)",
	NULL
};

/* --auto: the rule in owners.h, not counting this issue itself. */
static const char *pick_owner(struct psm_txn *t, struct psm_store *s, const struct psm_issue *issue)
{
	static struct strbuf pick = STRBUF_INIT;
	const struct psm_issue *is;
	struct psm_scan *sc;
	struct owner_load ol;
	size_t nerrors;
	int r;

	owner_load_init(&ol, s);
	if (!ol.n)
		die_txn(t, "--auto needs the owners to choose from: list them under 'owners:' in %s",
			PSM_CONFIG_PATH);
	/* counted through the cache, an issue at a time */
	if (psm_scan_open(&sc, s, 0) < 0)
		die_txn_psm(t);
	while ((r = psm_scan_next(sc, &is)) > 0)
		if (strcmp(is->path, issue->path))
			owner_load_count(&ol, is, 1);
	nerrors = psm_scan_errors(sc)->nerrors;
	psm_scan_free(sc);
	if (r < 0)
		die_txn_psm(t);
	if (nerrors)
		warning("%zu issue file%s could not be read and %s not counted (see 'psm check')",
			nerrors, nerrors == 1 ? "" : "s", nerrors == 1 ? "is" : "are");
	strbuf_addstr(&pick, owner_load_pick(&ol)); /* outlives ol */
	if (pick.oom)
		die_txn(t, "out of memory");
	owner_load_release(&ol);
	return pick.buf;
}

int cmd_assign(int argc, const char **argv, struct psm_store *s)
{
	const char *format = NULL, *owner = NULL;
	int no_commit = 0, autopick = 0, none = 0, code = 0;
	struct option opts[] = {
		OPT_BOOL(0, "auto", &autopick, "the configured owner with the fewest open issues"),
		OPT_BOOL(0, "none", &none, "clear the owner"),
		OPT_STRING(0, "format", &format, "fmt", "output: text (the ID) or json"),
		OPT_NO_COMMIT(&no_commit),
		OPT_END(),
	};
	struct strbuf msg = STRBUF_INIT;
	enum output_format fmt;
	struct psm_issue *issue;
	struct psm_txn *t;
	int r;

	argc = parse_options(argc, argv, opts, assign_usage, 0);
	if (argc < 1)
		usage_error(assign_usage, opts, "which issue? give its ID");
	if (argc > 2)
		usage_error(assign_usage, opts, "too many arguments: an issue has one owner");
	if ((argc == 2) + autopick + none != 1)
		usage_error(assign_usage, opts, "give exactly one of <owner>, --auto or --none");
	fmt = parse_format(format, "text,json");
	s->no_commit |= no_commit;
	if (argc == 2)
		owner = !strcmp(argv[1], "me") ? resolve_owner_or_die(s, who_or_die(s))
					       : resolve_owner_or_die(s, argv[1]);

	t = begin_or_die(s);
	issue = load_in_txn(t, s, argv[0]);
	if (autopick)
		owner = pick_owner(t, s, issue);
	/* the same person under another of their names: leave the file alone */
	if (owner && psm_people_same_owner(s->config, owner, psm_issue_get(issue, "owner")))
		owner = psm_issue_get(issue, "owner");
	if ((r = psm_loop_assign(issue, owner, now_string())) < 0)
		die_txn_psm(t);
	commit_message(&msg, s, "assign", issue);
	if (!commit_or_die(t, &issue, 1, NULL, msg.buf))
		say_unchanged(s, issue, owner ? "already its owner" : "it has no owner");
	else
		code = run_hook(s, "assign", issue);
	print_issue_result(s, issue, fmt);

	psm_issue_free(issue);
	strbuf_release(&msg);
	return code ? EXIT_PROBLEMS : 0;
}
