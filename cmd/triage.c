/*
 * psm triage: the queue (--queue), one decision from the command line
 * (psm triage ID --impact core ...), the score table (--explain, in
 * triage-explain.c) and the session (no ID, in triage-session.c).
 */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "builtin.h"
#include "psm/cache.h"
#include "hook.h"
#include "loop-util.h"
#include "psm/grow.h"
#include "psm/loop.h"
#include "parse-options.h"
#include "psm/time.h"
#include "psm/query.h"
#include "psm/render.h"
#include "ring.h"
#include "table.h"
#include "triage.h"
#include "psm/validate.h"

int triage_replied(const struct psm_issue *issue)
{
	return psm_streq(psm_issue_get(issue, "status"), "closed") &&
	       psm_issue_get(issue, "customer_replied");
}

const char *triage_queue_reason(const struct psm_issue *issue)
{
	const char *status = psm_issue_get(issue, "status");

	return psm_streq(status, "new") ? "new" : triage_replied(issue) ? "customer_replied" : "parked";
}

int triage_in_queue(const struct psm_issue *issue, int64_t now)
{
	const char *status = psm_issue_get(issue, "status");
	int64_t until;

	if (psm_streq(status, "new") || triage_replied(issue))
		return 1;
	if (!psm_streq(status, "parked"))
		return 0;
	/* a parked issue without a readable date would never come back */
	if (psm_time_parse(psm_issue_get(issue, "parked_until"), &until) < 0) {
		psm_error_clear();
		return 1;
	}
	return until <= now;
}

const char *owner_or_die(struct psm_store *s, const char *owner)
{
	return resolve_owner_or_die(s, owner);
}

const char *impact_response(struct psm_store *s, const char *impact)
{
	const struct psm_node *imp = impact ? psm_config_impact(s->config, impact) : NULL;

	return imp ? psm_node_get_str(imp, "response") : NULL;
}

int64_t similar_window(struct psm_store *s)
{
	const char *w = psm_config_get(s->config, "similar.window");
	int64_t secs;

	if (!w)
		return 30 * 86400;
	if (psm_duration_parse(w, &secs) < 0)
		die("%s in the config's similar.window", psm_error_last());
	return secs;
}

double round3(double x)
{
	return floor(x * 1000 + 0.5) / 1000;
}

void print_json_scores(void *json)
{
	print_json_with(json, JSON_SCORES_FLAGS);
}

/*
 * Response park (impact edge's): parked for the config's triage.park_for
 * (4w), back in the queue then, instead of triaged and forgotten.
 */
static int park_by_default(struct psm_store *s, struct psm_issue *issue, const char *now)
{
	const char *span = psm_config_get(s->config, "triage.park_for");
	struct strbuf date = STRBUF_INIT;
	int64_t t;
	int r;

	if ((r = psm_time_parse(now, &t)) < 0 ||
	    (r = park_until(&date, span ? span : "4w", t)) < 0) {
		if (span)
			r = psm_error(PSM_EINVALID, "%s (the config's triage.park_for)", psm_error_last());
	} else {
		r = park_apply(issue, date.buf, now);
	}
	strbuf_release(&date);
	return r;
}

int triage_apply(struct psm_store *s, struct psm_issue *issue, const struct triage_decision *d,
		 const char *now)
{
	const char *status = psm_issue_get(issue, "status");
	const char *response = d->response;
	size_t i;

	if (!psm_issue_is_open(issue))
		return psm_error(PSM_EINVALID, "issue '%s' is closed: reopen it before triaging it%s",
				 psm_issue_get(issue, "id"), triage_replied(issue) ?
				 " (or keep it closed after the customer's reply: --keep-closed)" : "");
	if (d->impact && !response)
		response = impact_response(s, d->impact);
	if ((d->type && psm_issue_set(issue, "type", d->type) < 0) ||
	    (d->impact && psm_issue_set(issue, "impact", d->impact) < 0) ||
	    (response && psm_issue_set(issue, "response", response) < 0))
		return psm_error(PSM_ENOMEM, "out of memory");
	if (d->owner && psm_loop_assign(issue, d->owner, now) < 0)
		return PSM_ERROR;
	for (i = 0; i < d->nadd; i++)
		if (psm_issue_list_add(issue, "labels", d->add[i]) < 0)
			return PSM_ENOMEM;
	for (i = 0; i < d->nremove; i++)
		if (psm_issue_list_remove(issue, "labels", d->remove[i]) < 0)
			return PSM_ENOMEM;
	/* in-progress or blocked work keeps its status; triage only files it */
	if (psm_streq(response, "park") && (psm_streq(status, "new") || psm_streq(status, "parked") ||
					    psm_streq(status, "triaged") || !status)) {
		if (park_by_default(s, issue, now) < 0)
			return PSM_ERROR;
	} else if (psm_streq(status, "new") || psm_streq(status, "parked") || !status) {
		if (psm_issue_set(issue, "status", "triaged") < 0 ||
		    psm_issue_set_node(issue, "parked_until", NULL) < 0)
			return psm_error(PSM_ENOMEM, "out of memory");
	}
	if (psm_issue_set(issue, "triaged", now) < 0 || psm_issue_set(issue, "updated", now) < 0)
		return psm_error(PSM_ENOMEM, "out of memory");
	return 0;
}

/* psm_issue_set_sort()'s "priority": highest score first, then oldest,
 * then by path */
static int cmp_queued(const void *pa, const void *pb)
{
	const struct queued *a = pa, *b = pb;

	if (a->score != b->score)
		return a->score < b->score ? 1 : -1;
	if (a->created != b->created)
		return a->created < b->created ? -1 : 1;
	return strcmp(psm_row_path(a->row), psm_row_path(b->row));
}

/* The queue as rows, owners of open issues counted into ol (when not NULL);
 * returns the scan's exit code. */
static int queue_rows(struct queued **out, size_t *n, struct psm_store *s, int64_t now,
		      size_t *abbrev, struct owner_load *ol)
{
	const struct psm_issue *cur;
	struct psm_scan *sc;
	struct queued *v = NULL;
	size_t alloc = 0;
	struct triage_scorer *scorer;
	int code, r;

	*n = 0;
	if (psm_scan_open(&sc, s, PSM_SCAN_BODY | PSM_SCAN_NO_AHEAD) < 0 ||
	    triage_scorer_start(&scorer, s->config, now) < 0)
		die_psm();
	while ((r = psm_scan_next(sc, &cur)) > 0) {
		struct queued *q;

		if (ol)
			owner_load_count(ol, cur, 1);
		if (!triage_in_queue(cur, now))
			continue;
		if (!(q = psm_grow(v, *n, &alloc, sizeof(*v), 64)))
			die("out of memory");
		v = q;
		q = &v[*n];
		/* scored once, beside the scan: the keyword rules read every body */
		if (psm_scan_keep(&q->row, sc) < 0 || triage_scorer_add(scorer, q->row, NULL) < 0)
			die_psm();
		q->created = cur->sort_created;
		(*n)++;
	}
	if (r < 0 || triage_scorer_finish(scorer, v) < 0)
		die_psm();
	triage_scorer_free(scorer);
	*abbrev = psm_scan_abbrev(sc); /* unique across the store, not just the queue */
	if (*n)
		qsort(v, *n, sizeof(*v), cmp_queued);
	code = report_scan_errors(psm_scan_errors(sc));
	psm_scan_free(sc);
	*out = v;
	return code;
}

int triage_queue_load(struct psm_issue_set *queue, struct psm_store *s, int64_t now,
		      struct owner_load *ol, size_t *abbrev)
{
	struct queued *q;
	size_t i, n, ab;
	int code = queue_rows(&q, &n, s, now, &ab, ol);

	if (abbrev)
		*abbrev = ab;
	for (i = 0; i < n; i++) {
		struct psm_issue *is = psm_issue_new();

		/* held first: released with the set whatever comes next */
		if (!is || psm_issue_set_add(queue, is) < 0) {
			psm_issue_free(is);
			die("out of memory");
		}
		if (!(is->path = psm_strdup(psm_row_path(q[i].row))))
			die("out of memory");
		is->score = q[i].score;
		is->sort_created = q[i].created;
	}
	for (i = 0; i < n; i++)
		psm_row_free(q[i].row);
	free(q);
	return code;
}

/* What the SUGGEST column and suggested_impact show. */
static const char *queued_suggest(const struct queued *q, const struct psm_issue *is)
{
	const char *impact = psm_issue_get(is, "impact");

	return impact ? NULL : q->suggested;
}

/*
 * The queue's table and JSON: each queued issue unpacked and made into its
 * cells or its element on every core (ring.h), printed in order. A cell
 * row is its seven cells, NUL-separated, as the stored table had them.
 */
enum { Q_ID, Q_PRIORITY, Q_STATUS, Q_AGE, Q_REP, Q_SUGGEST, Q_TITLE, Q_N };

struct queue_out {
	const struct queued *q;
	size_t abbrev;
	int64_t now;
	char **cells;       /* the table: row i's cells (item i's own) */
	struct json_out o;  /* --format json */
};

static void add_cell(struct strbuf *sb, const char *text)
{
	strbuf_addstr(sb, text ? text : "");
	strbuf_addch(sb, '\0');
}

static int make_cells(struct strbuf *out, struct ring_local *local, void *ctx, size_t i)
{
	struct queue_out *qo = ctx;
	const struct queued *q = &qo->q[i];
	const struct psm_issue *is;
	const char *id, *impact, *suggest;
	struct strbuf *sb = out;
	size_t at;

	if (psm_row_view(&is, &local->space, q->row) < 0)
		return -1;
	id = psm_issue_get(is, "id");
	impact = psm_issue_get(is, "impact");
	suggest = queued_suggest(q, is);
	strbuf_add(sb, id ? id : "?", id && qo->abbrev < strlen(id) ? qo->abbrev : id ? strlen(id) : 1);
	strbuf_addch(sb, '\0');
	strbuf_addf(sb, "%.1f", q->score);
	strbuf_addch(sb, '\0');
	add_cell(sb, psm_issue_get(is, "status"));
	at = sb->len;
	if (is->sort_created)
		psm_age_format(sb, qo->now - is->sort_created);
	if (sb->len == at)
		strbuf_addch(sb, '-');
	strbuf_addch(sb, '\0');
	strbuf_addf(sb, "%zu", psm_issue_reporter_count(is));
	strbuf_addch(sb, '\0');
	add_cell(sb, suggest ? suggest : impact ? impact : "-");
	if (triage_replied(is))
		strbuf_addstr(sb, "(customer replied after close) ");
	add_cell(sb, psm_issue_get(is, "title"));
	if (sb->oom || !(qo->cells[i] = malloc(sb->len)))
		return psm_oom();
	memcpy(qo->cells[i], sb->buf, sb->len);
	strbuf_reset(sb); /* nothing printed: the cells are the item's */
	return 0;
}

static const char *queue_cell(void *data, size_t row, size_t col, struct strbuf *scratch,
			      const char **color)
{
	static const char *const head[Q_N] = { "ID", "PRIORITY", "STATUS", "AGE", "REP",
					       "SUGGEST", "TITLE" };
	static const char *const colors[Q_N] = { C_YELLOW, C_BOLD, NULL, C_DIM, NULL, NULL, NULL };
	const struct queue_out *qo = data;
	const char *p;
	size_t j;

	(void)scratch;
	if (!row)
		return head[col];
	*color = colors[col];
	for (p = qo->cells[row - 1], j = 0; j < col; j++)
		p += strlen(p) + 1;
	return p;
}

static void print_queue_table(const struct queued *q, size_t n, size_t abbrev, int64_t now)
{
	struct queue_out qo = { q, abbrev, now, calloc(n, sizeof(char *)), { 0 } };
	struct strbuf why = STRBUF_INIT;
	size_t i;

	if (!qo.cells)
		die("out of memory");
	if (ring_run(n, make_cells, NULL, &qo, &why) < 0)
		die("%s", why.buf);
	table_print_rows(Q_N, n + 1, queue_cell, &qo, term_width(), want_color(), 1);
	for (i = 0; i < n; i++)
		free(qo.cells[i]);
	free(qo.cells);
	strbuf_release(&why);
}

static int make_json(struct strbuf *out, struct ring_local *local, void *ctx, size_t i)
{
	struct queue_out *qo = ctx;
	const struct queued *q = &qo->q[i];
	const struct psm_issue *is;
	json_t *more;

	if (psm_row_view(&is, &local->space, q->row) < 0)
		return -1;
	if (!(more = json_object()) ||
	    json_object_set_new(more, "priority", json_real(round3(q->score))) < 0 ||
	    json_object_set_new(more, "suggested_impact", q->suggested ?
				json_string(q->suggested) : json_null()) < 0 ||
	    json_object_set_new(more, "queue_reason", json_string(triage_queue_reason(is))) < 0) {
		json_decref(more);
		return psm_oom();
	}
	return json_issue_text(out, is, qo->abbrev, more, qo->o.flags);
}

static void put_json(void *ctx, size_t i, const char *text, size_t len)
{
	(void)i;
	json_out_text(&((struct queue_out *)ctx)->o, text, len);
}

static int show_queue(struct psm_store *s, enum output_format fmt, int limit)
{
	struct queued *q;
	int64_t now = now_or_die();
	size_t i, abbrev, n, nq;
	int code;

	code = queue_rows(&q, &nq, s, now, &abbrev, NULL);
	n = limit > 0 && (size_t)limit < nq ? (size_t)limit : nq;
	if (fmt == FMT_JSON) {
		/* an element at a time: the queue is not held as parse trees */
		struct queue_out qo = { q, abbrev, now, NULL, { 0, JSON_SCORES_FLAGS } };
		struct strbuf why = STRBUF_INIT;

		if (ring_run(n, make_json, put_json, &qo, &why) < 0)
			die("%s", why.buf);
		json_out_end(&qo.o);
		strbuf_release(&why);
	} else {
		if (n)
			print_queue_table(q, n, abbrev, now);
		else if (isatty(1))
			printf("The triage queue is empty.\n");
	}
	for (i = 0; i < nq; i++)
		psm_row_free(q[i].row);
	free(q);
	return code;
}

static void parse_label_args(struct opt_list *add, struct opt_list *rm, const char **id,
			     int argc, const char **argv, const char *const *usage,
			     const struct option *opts)
{
	int i;

	for (i = 0; i < argc; i++) {
		const char *a = argv[i];
		struct opt_list *l = a[0] == '+' ? add : a[0] == '-' ? rm : NULL;
		const char **nv;

		if (!l) {
			if (*id)
				usage_error(usage, opts, "one issue at a time ('%s' and '%s')", *id, a);
			*id = a;
			continue;
		}
		if (!psm_label_valid(a + 1))
			die("invalid label '%s': labels are single words without commas that do not start with '+' or '-'",
			    a + 1);
		if (!(nv = psm_grow(l->v, (size_t)l->n, &l->alloc, sizeof(*nv), 8)))
			die("out of memory");
		l->v = nv;
		l->v[l->n++] = a + 1;
	}
}

int cmd_triage(int argc, const char **argv, struct psm_store *s)
{
	static const char *const usage[] = {
		"psm triage                 (a session: on a terminal, or keys one per line on stdin)",
		"psm triage --queue [--format text|json] [--limit <n>]",
		"psm triage --explain <id> [--format text|json]",
		"psm triage <id> [--type <t>] [--impact <i>] [--response <r>] [--owner <o>|me | --auto] [+<label>...] [-<label>...]",
		"psm triage <id> --keep-closed   (a customer replied to a closed issue: it stays closed)",
		NULL
	};
	const char *format = NULL, *type = NULL, *impact = NULL, *response = NULL, *owner = NULL;
	const char *timebox = NULL, *id = NULL;
	int queue = 0, explain = 0, autoown = 0, no_commit = 0, limit = 0, keep_closed = 0;
	struct option opts[] = {
		OPT_BOOL(0, "queue", &queue, "list the queue: new issues and parked ones now due, highest priority first"),
		OPT_BOOL(0, "explain", &explain, "show how the issue's priority is made up"),
		OPT_STRING(0, "format", &format, "fmt", "text (default) or json"),
		OPT_INT(0, "limit", &limit, "n", "with --queue: at most <n> issues"),
		OPT_GROUP("Recording a decision"),
		OPT_STRING(0, "type", &type, "type", "the issue's type (config types)"),
		OPT_STRING(0, "impact", &impact, "impact", "core, repeated, explanation, edge, strategic"),
		OPT_STRING(0, "response", &response, "response", "default: the impact's (core: fix-fast...)"),
		OPT_STRING(0, "owner", &owner, "who", "the owner; 'me' is your git e-mail"),
		OPT_BOOL(0, "auto", &autoown, "own it to the configured owner with the fewest open issues"),
		OPT_BOOL(0, "keep-closed", &keep_closed, "a customer replied after the close: acknowledge it, keep it closed"),
		OPT_NO_COMMIT(&no_commit),
		OPT_GROUP("The session"),
		OPT_STRING(0, "timebox", &timebox, "time", "stop offering items after this long (default: config triage.timebox, 30m)"),
		OPT_END(),
	};
	struct opt_list add = { 0 }, rm = { 0 };
	struct triage_decision d = { 0 };
	struct strbuf msg = STRBUF_INIT;
	struct owner_load ol;
	struct psm_issue *issue;
	struct psm_txn *t;
	enum output_format fmt;
	int code = 0;

	argc = parse_options(argc, argv, opts, usage, PARSE_OPT_KEEP_DASHARGS);
	parse_label_args(&add, &rm, &id, argc, argv, usage, opts);
	fmt = parse_format(format, "text,json");
	s->no_commit |= no_commit;
	if (queue + explain > 1 || ((queue || explain) && (type || impact || response || owner ||
							  autoown || add.n || rm.n || keep_closed)))
		usage_error(usage, opts, "--queue, --explain and a decision do not mix");
	if (keep_closed && (type || impact || response || owner || autoown || add.n || rm.n))
		usage_error(usage, opts, "--keep-closed is a decision of its own (to change the issue, reopen it)");
	if (timebox && (queue || explain || id))
		usage_error(usage, opts, "--timebox is for the interactive session (psm triage with no ID)");
	if (queue) {
		if (id)
			usage_error(usage, opts, "--queue takes no issue ID");
		return show_queue(s, fmt, limit);
	}
	if (explain) {
		if (!id)
			usage_error(usage, opts, "--explain needs an issue ID");
		return triage_explain(s, id, fmt);
	}
	if (!id) {
		const char *tb = timebox ? timebox : psm_config_get(s->config, "triage.timebox");
		int64_t secs = 0;

		if (type || impact || response || owner || autoown || add.n || rm.n || keep_closed)
			usage_error(usage, opts, "a decision needs an issue ID: psm triage <id> --impact ...");
		if (format || limit)
			usage_error(usage, opts, "--format and --limit go with --queue, --explain or a decision, not the session");
		if (tb && strcmp(tb, "0") && strcmp(tb, "none") && psm_duration_parse(tb, &secs) < 0)
			die("%s (--timebox)", psm_error_last());
		return triage_session(s, secs);
	}
	if (owner && autoown)
		usage_error(usage, opts, "--owner and --auto do not mix");
	if (type)
		check_config_value(s, "types", "type", type);
	if (impact)
		check_config_value(s, "impacts", "impact", impact);
	if (response)
		check_config_value(s, "responses", "response", response);
	d.type = type;
	d.impact = impact;
	d.response = response;
	if (owner)
		d.owner = owner_or_die(s, owner);
	t = begin_or_die(s); /* read under the lock: no lost updates */
	issue = load_in_txn(t, s, id);
	if (autoown) {
		struct psm_issue_set q = { 0 };

		owner_load_init(&ol, s);
		if (!ol.n)
			die_txn(t, "--auto needs owners to choose from: list them under 'owners:' in %s",
				PSM_CONFIG_PATH);
		code = triage_queue_load(&q, s, now_or_die(), &ol, NULL);
		owner_load_count(&ol, issue, -1); /* not counting this one */
		d.owner = owner_load_pick(&ol);
		psm_issue_set_release(&q);
	}
	d.add = add.v;
	d.nadd = (size_t)add.n;
	d.remove = rm.v;
	d.nremove = (size_t)rm.n;
	if (keep_closed ? psm_loop_keep_closed(issue, now_string()) < 0
			: triage_apply(s, issue, &d, now_string()) < 0)
		die_txn_psm(t);
	commit_message(&msg, s, "triage", issue);
	if (commit_or_die(t, &issue, 1, NULL, msg.buf))
		code |= run_hook(s, "triage", issue);
	else
		say_unchanged(s, issue, "already triaged that way");
	print_issue_result(s, issue, fmt);
	if (autoown)
		owner_load_release(&ol);
	psm_issue_free(issue);
	strbuf_release(&msg);
	free(add.v);
	free(rm.v);
	return code;
}
