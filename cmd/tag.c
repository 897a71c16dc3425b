/*
 * psm tag ID... +LABEL -LABEL: add and remove labels (notmuch's syntax);
 * psm tag +LABEL -- TERMS: every issue a `list` query matches. One commit.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"
#include "psm/cache.h"
#include "hook.h"
#include "loop-util.h"
#include "psm/loop.h"
#include "parse-options.h"
#include "psm/query.h"
#include "psm/render.h"

static const char *const tag_usage[] = {
	"psm tag <id>... (+<label> | -<label>)...",
	"psm tag (+<label> | -<label>)... -- <term>...",
	NULL
};

struct tag_args {
	const char **add, **remove, **ids, **terms;
	size_t nadd, nremove, nids, nterms;
};

static void split_args(struct tag_args *a, int argc, const char **argv,
		       const struct option *opts)
{
	int i;

	/* argv is ours to keep: each list takes a slice-sized array */
	a->add = calloc((size_t)argc + 1, sizeof(*a->add));
	a->remove = calloc((size_t)argc + 1, sizeof(*a->remove));
	a->ids = calloc((size_t)argc + 1, sizeof(*a->ids));
	if (!a->add || !a->remove || !a->ids)
		die("out of memory");
	for (i = 0; i < argc; i++) {
		const char *arg = argv[i];

		if (!strcmp(arg, "--")) {
			a->terms = argv + i + 1;
			a->nterms = (size_t)(argc - i - 1);
			if (!a->nterms)
				usage_error(tag_usage, opts,
					    "give search terms after '--' (is:open tags every open issue)");
			break;
		}
		if (*arg == '+')
			a->add[a->nadd++] = arg + 1;
		else if (*arg == '-')
			a->remove[a->nremove++] = arg + 1;
		else
			a->ids[a->nids++] = arg;
	}
	if (!a->nadd && !a->nremove)
		usage_error(tag_usage, opts, "nothing to do: give +<label> or -<label>");
	if (!a->nids && !a->terms)
		usage_error(tag_usage, opts, "which issues? give IDs, or '--' and search terms");
	if (a->nids && a->terms)
		usage_error(tag_usage, opts, "give IDs or '--' and search terms, not both");
}

static int query_matches(const struct psm_issue *is, void *q)
{
	return psm_query_match(q, is);
}

/* The issues a query matches, loaded inside the transaction. */
static void load_matches(struct psm_issue_set *out, struct psm_txn *t, struct psm_store *s,
			 const struct tag_args *a)
{
	struct psm_query_ctx ctx = { 0 };
	struct psm_issue_set errors = { 0 };
	struct psm_query *q;

	ctx.now = now_or_die();
	ctx.config = s->config; /* sla:breached reads the targets */
	if (psm_query_needs_me((int)a->nterms, a->terms))
		ctx.me = identity_email(s);
	if (psm_query_parse(&q, (int)a->nterms, a->terms, &ctx) < 0)
		die_txn_psm(t);
	load_matching_in_txn(out, &errors, t, s, psm_query_reads_body(q) ? PSM_SCAN_BODY : 0,
			     query_matches, q);
	if (errors.nerrors) {
		report_scan_errors(&errors);
		die_txn(t, "not tagging: some issue files could not be read or are not valid (fix them, then retry)");
	}
	psm_issue_set_release(&errors);
	psm_query_free(q);
}

static void load_ids(struct psm_issue_set *out, struct psm_txn *t, struct psm_store *s,
		     const struct tag_args *a)
{
	size_t i, j;

	for (i = 0; i < a->nids; i++) {
		struct psm_issue *is = load_in_txn(t, s, a->ids[i]);
		int seen = 0;

		for (j = 0; j < out->n && !seen; j++)
			seen = !strcmp(out->v[j]->path, is->path);
		if (seen)
			psm_issue_free(is);
		else if (psm_issue_set_add(out, is) < 0)
			die_txn_psm(t);
	}
}

static void commit_msg(struct strbuf *msg, struct psm_store *s, const struct psm_issue_set *set,
		       const int *changed, const struct tag_args *a)
{
	size_t i, n = 0, last = 0;

	for (i = 0; i < set->n; i++)
		if (changed[i])
			n++, last = i;
	if (n == 1) {
		commit_message(msg, s, "tag", set->v[last]);
		return;
	}
	strbuf_addf(msg, "psm tag %zu issues:", n);
	for (i = 0; i < a->nadd; i++)
		strbuf_addf(msg, " +%s", a->add[i]);
	for (i = 0; i < a->nremove; i++)
		strbuf_addf(msg, " -%s", a->remove[i]);
}

static void print_results(struct psm_store *s, const struct psm_issue_set *set,
			  enum output_format fmt, int many)
{
	size_t i;

	if (fmt == FMT_JSON && many) {
		json_t *arr = json_array();

		for (i = 0; arr && i < set->n; i++)
			if (json_array_append_new(arr, psm_issue_json(set->v[i],
								       strlen(short_id(s, set->v[i])))) < 0)
				die("out of memory");
		print_json(arr);
		return;
	}
	for (i = 0; i < set->n; i++)
		print_issue_result(s, set->v[i], fmt);
}

int cmd_tag(int argc, const char **argv, struct psm_store *s)
{
	const char *format = NULL, *now;
	int no_commit = 0, code = 0;
	struct option opts[] = {
		OPT_STRING(0, "format", &format, "fmt", "output: text (the IDs) or json"),
		OPT_NO_COMMIT(&no_commit),
		OPT_END(),
	};
	struct tag_args a = { 0 };
	struct psm_issue_set set = { 0 };
	struct strbuf msg = STRBUF_INIT;
	enum output_format fmt;
	struct psm_txn *t;
	int *changed;
	size_t i, written;

	argc = parse_options(argc, argv, opts, tag_usage, PARSE_OPT_KEEP_DASHARGS);
	split_args(&a, argc, argv, opts);
	fmt = parse_format(format, "text,json");
	s->no_commit |= no_commit;
	now = now_string();
	/* a bad label is refused before anything is read or locked */
	{
		struct psm_issue *probe = psm_issue_new();

		if (!probe)
			die("out of memory");
		if (psm_loop_tag(probe, a.add, a.nadd, a.remove, a.nremove, now) < 0)
			die_psm();
		psm_issue_free(probe);
	}

	t = begin_or_die(s);
	if (a.terms)
		load_matches(&set, t, s, &a);
	else
		load_ids(&set, t, s, &a);
	for (i = 0; i < set.n; i++)
		if (psm_loop_tag(set.v[i], a.add, a.nadd, a.remove, a.nremove, now) < 0)
			die_txn_psm(t);
	if (!(changed = calloc(set.n + 1, sizeof(*changed))))
		die_txn(t, "out of memory");
	/* the commit message needs to know what changed: save first */
	for (i = 0; i < set.n; i++) {
		int r = psm_txn_save(t, set.v[i]);

		if (r < 0)
			die_txn_psm(t);
		changed[i] = r;
	}
	commit_msg(&msg, s, &set, changed, &a);
	written = commit_or_die(t, set.v, set.n, NULL, msg.buf);
	if (!written) {
		if (!set.n)
			fprintf(stderr, "no issue matches; nothing tagged\n");
		else
			fprintf(stderr, "nothing to change: the labels are already as asked\n");
	}
	for (i = 0; i < set.n; i++)
		if (changed[i])
			code |= run_hook(s, "tag", set.v[i]);
	print_results(s, &set, fmt, a.terms || a.nids > 1);

	free(changed);
	free(a.add);
	free(a.remove);
	free(a.ids);
	psm_issue_set_release(&set);
	strbuf_release(&msg);
	return code ? EXIT_PROBLEMS : 0;
}
