/* Batch runs: what psm intake's batch modes and psm import share. */
#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "psm/cache.h"
#include "intake-batch.h"
#include "psm/grow.h"
#include "psm/validate.h"
#include "triage.h"

static const char *const action_names[RUN_NACTIONS] = {
	"new", "reply", "updated", "skipped", "failed"
};

void read_input(struct strbuf *out, const char *path)
{
	int r = !strcmp(path, "-") ? strbuf_read_fd(out, 0, (size_t)1 << 31)
				    : strbuf_read_file(out, path, (size_t)1 << 31);

	if (r < 0)
		die("could not read '%s': %s", input_name(path), strerror(errno));
}

int is_blank(const struct strbuf *text)
{
	size_t i;

	for (i = 0; i < text->len; i++)
		if (!isspace((unsigned char)text->buf[i]))
			return 0;
	return 1;
}

const char *input_name(const char *path)
{
	return strcmp(path, "-") ? path : "stdin";
}

/* The store's issues into the batch, through the cache an issue at a time,
 * valid or not (an item must match one psm check rejects too). */
static int batch_fill(struct psm_batch *b, struct psm_store *s)
{
	const struct psm_issue_set *unread;
	const struct psm_issue *is;
	struct psm_scan *sc;
	size_t i;
	int r;

	if ((r = psm_scan_open(&sc, s, PSM_SCAN_ALL | PSM_SCAN_BODY)) < 0)
		return r;
	while ((r = psm_scan_next(sc, &is)) > 0) {
		struct psm_issue_set diag = { 0 };

		if ((r = psm_scan_problems(sc, &diag)) >= 0)
			r = psm_batch_found(b, is, r > 0 ? &diag.errors[0] : NULL);
		psm_issue_set_release(&diag);
		if (r < 0)
			break;
	}
	unread = psm_scan_errors(sc);
	for (i = 0; r >= 0 && i < unread->nerrors; i++)
		r = psm_batch_unreadable(b, &unread->errors[i]);
	psm_scan_free(sc);
	return r < 0 ? r : psm_batch_ready(b);
}

void run_begin(struct batch_run *run, struct psm_store *s, enum output_format fmt)
{
	run->s = s;
	run->fmt = fmt;
	run->now = now_string();
	if (psm_batch_begin(&run->b, s) < 0)
		die_psm();
	if (batch_fill(run->b, s) < 0) {
		struct strbuf msg = STRBUF_INIT;

		strbuf_addstr(&msg, psm_error_last());
		psm_batch_free(run->b); /* the lock released before dying */
		die("%s", msg.buf);
	}
}

void run_note(struct batch_run *run, enum run_action a, const struct psm_issue *issue,
	      const char *where, const char *detail)
{
	struct run_item *it;

	if (run->n == run->alloc) {
		struct run_item *nv = psm_grow(run->items, run->n, &run->alloc, sizeof(*nv), 64);

		if (!nv)
			die("out of memory");
		run->items = nv;
	}
	it = &run->items[run->n++];
	it->action = a;
	it->issue = a == RUN_NEW ? issue : NULL;
	it->similar = NULL;
	it->id = issue ? psm_strdup(psm_issue_get(issue, "id")) : NULL;
	it->title = issue ? psm_strdup(psm_issue_get(issue, "title")) : NULL;
	it->where = psm_strdup(where);
	it->detail = psm_strdup(detail);
	if ((issue && (!it->id || !it->title)) || (where && !it->where) || (detail && !it->detail))
		die("out of memory");
	run->counts[a]++;
}

void run_fail(struct batch_run *run, const char *where, const char *why)
{
	error("%s: %s", where, why);
	run_note(run, RUN_FAILED, NULL, where, why);
}

int run_defaults(struct batch_run *run, struct psm_issue *issue, const char *source)
{
	int i;

	if (!psm_issue_get(issue, "source") &&
	    psm_issue_set(issue, "source", run->source ? run->source : source) < 0)
		return -1;
	if (run->customer && !psm_issue_get(issue, "customer") &&
	    psm_issue_set(issue, "customer", run->customer) < 0)
		return -1;
	if (run->type && !psm_issue_get(issue, "type") && psm_issue_set(issue, "type", run->type) < 0)
		return -1;
	for (i = 0; run->labels && i < run->labels->n; i++)
		if (psm_issue_list_add(issue, "labels", run->labels->v[i]) < 0)
			return -1;
	return 0;
}

void run_take(struct batch_run *run, struct psm_issue *issue, int flags, const char *where)
{
	struct strbuf why = STRBUF_INIT;
	const struct psm_issue *holder;
	const char *matched;

	if ((holder = psm_batch_holder(run->b, issue, flags, &matched))) {
		strbuf_addf(&why, "already taken in (same %s)", matched);
		run_note(run, RUN_SKIPPED, holder, where, why.buf);
		psm_issue_free(issue);
	} else if (psm_batch_add(run->b, issue) < 0) {
		if (psm_error_code() == PSM_ENOMEM)
			die_psm();
		run_fail(run, where, psm_error_last());
	} else {
		run_note(run, RUN_NEW, issue, where, NULL); /* the batch owns it now */
	}
	strbuf_release(&why);
}

/* "3 new", "1 reply", "2 replies": the summary's and the commit's words */
static void add_count(struct strbuf *sb, const struct batch_run *run, int a)
{
	static const char *const plural[RUN_NACTIONS] = {
		"new", "replies", "updated", "skipped", "failed"
	};

	strbuf_addf(sb, "%s%zu %s", sb->len ? ", " : "", run->counts[a],
		    run->counts[a] == 1 ? action_names[a] : plural[a]);
}

static void commit_message_for(struct strbuf *msg, const struct batch_run *run, const char *verb)
{
	struct strbuf counts = STRBUF_INIT;
	int a;

	for (a = 0; a < RUN_FAILED; a++)
		if (run->counts[a])
			add_count(&counts, run, a);
	strbuf_addf(msg, "psm %s:%s%s", verb, counts.len ? " " : "", counts.buf);
	strbuf_release(&counts);
}

static void print_text(const struct batch_run *run, size_t abbrev)
{
	size_t i;

	for (i = 0; i < run->n; i++) {
		const struct run_item *it = &run->items[i];

		if (it->action == RUN_FAILED)
			continue; /* already on stderr */
		printf("%s\t%.*s\t", action_names[it->action], (int)abbrev, it->id ? it->id : "-");
		put_safe(stdout, it->where, 0);
		putchar('\t');
		put_safe(stdout, it->action == RUN_SKIPPED || it->action == RUN_UPDATED ? it->detail
										   : it->title, 0);
		putchar('\n');
	}
}

static json_t *item_json(const struct run_item *it, size_t abbrev)
{
	json_t *o = json_object();

	if (!o)
		return NULL;
	json_object_set_new(o, "action", json_string(action_names[it->action]));
	json_object_set_new(o, "id", it->id ? json_string(it->id) : json_null());
	json_object_set_new(o, "short_id", it->id ? json_stringn(it->id, abbrev) : json_null());
	json_object_set_new(o, "where", json_string(it->where ? it->where : ""));
	json_object_set_new(o, "title", it->title ? json_string(it->title) : json_null());
	json_object_set_new(o, "detail", it->detail ? json_string(it->detail) : json_null());
	json_object_set_new(o, "similar", it->similar ? json_incref(it->similar) : json_null());
	return o;
}

static void print_json_result(const struct batch_run *run, size_t abbrev, int committed)
{
	json_t *o = json_object(), *items = json_array(), *counts = json_object();
	size_t i;
	int a;

	if (!o || !items || !counts)
		die("out of memory");
	for (i = 0; i < run->n; i++)
		if (json_array_append_new(items, item_json(&run->items[i], abbrev)) < 0)
			die("out of memory");
	for (a = 0; a < RUN_NACTIONS; a++)
		json_object_set_new(counts, action_names[a], json_integer((json_int_t)run->counts[a]));
	json_object_set_new(o, "version", json_integer(1));
	json_object_set_new(o, "counts", counts);
	json_object_set_new(o, "committed", json_boolean(committed));
	json_object_set_new(o, "items", items);
	print_json_scores(o); /* the hints' scores: 0.513, not 0.51300000000000001 */
}

/*
 * Likely duplicates of each new item, as a single intake names them: on
 * stderr, or with --format json in each item's "similar". After the
 * write, so the new items are found among each other too.
 */
static void hints(struct batch_run *run)
{
	const struct psm_issue **v;
	void **sim = NULL;
	size_t i, k = 0;

	if (!run->hints || !run->counts[RUN_NEW])
		return;
	if (!(v = calloc(run->counts[RUN_NEW], sizeof(*v))) ||
	    (run->fmt == FMT_JSON && !(sim = calloc(run->counts[RUN_NEW], sizeof(*sim)))))
		die("out of memory");
	for (i = 0; i < run->n; i++)
		if (run->items[i].action == RUN_NEW && run->items[i].issue)
			v[k++] = run->items[i].issue;
	if (!intake_similar_hints(run->s, v, k, sim) && k > INTAKE_HINT_MAX && run->fmt != FMT_JSON)
		fprintf(stderr, "hint: %zu new issues: too many to look for duplicates of each (psm similar ID, the triage session)\n",
			k);
	for (i = 0, k = 0; sim && i < run->n; i++)
		if (run->items[i].action == RUN_NEW && run->items[i].issue)
			run->items[i].similar = sim[k++];
	free(sim);
	free(v);
}

int run_finish(struct batch_run *run, const char *verb)
{
	struct strbuf msg = STRBUF_INIT;
	size_t i, abbrev;
	int written, code;

	commit_message_for(&msg, run, verb);
	if ((written = psm_batch_commit(run->b, msg.buf)) < 0) {
		strbuf_reset(&msg);
		strbuf_addstr(&msg, psm_error_last());
		psm_batch_free(run->b); /* puts the files back */
		die("%s", msg.buf);
	}
	abbrev = psm_batch_abbrev(run->b);
	if (run->fmt == FMT_JSON) {
		hints(run);
		print_json_result(run, abbrev, written > 0 && !run->s->no_commit);
	} else {
		print_text(run, abbrev);
		hints(run);
	}
	strbuf_reset(&msg);
	for (i = 0; i < RUN_NACTIONS; i++)
		if (run->counts[i] || i == RUN_NEW)
			add_count(&msg, run, (int)i);
	if (run->fmt != FMT_JSON)
		fprintf(stderr, "%s: %s\n", verb, msg.buf);
	code = run->counts[RUN_FAILED] ? EXIT_PROBLEMS : 0;
	if (report_scan_errors(psm_batch_scan_errors(run->b)))
		code = EXIT_PROBLEMS;
	psm_batch_free(run->b);
	for (i = 0; i < run->n; i++) {
		json_decref(run->items[i].similar);
		free(run->items[i].id);
		free(run->items[i].title);
		free(run->items[i].where);
		free(run->items[i].detail);
	}
	free(run->items);
	strbuf_release(&msg);
	return code;
}

void check_inputs(int argc, const char **argv)
{
	int i;

	for (i = 0; i < argc; i++)
		if (strcmp(argv[i], "-") && access(argv[i], R_OK) < 0)
			die("could not read '%s': %s", argv[i], strerror(errno));
}

int intake_batch(const struct batch_opts *o, int argc, const char **argv, struct psm_store *s)
{
	struct batch_run run = { 0 };

	check_inputs(argc, argv);
	run_begin(&run, s, o->fmt);
	run.source = o->source;
	run.customer = o->customer;
	run.type = o->type;
	run.labels = o->labels;
	run.hints = 1;
	if (o->email || o->mbox || o->maildir)
		intake_email(&run, o, argc, argv);
	else if (o->jsonl)
		intake_jsonl(&run, o->maps, argc, argv);
	else
		intake_csv(&run, o->maps, argc, argv);
	return run_finish(&run, "intake");
}
