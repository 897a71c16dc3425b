/* psm list [TERMS...]: issues matching search terms, as a table, TSV or JSON. */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "builtin.h"
#include "parse-options.h"
#include "psm/cache.h"
#include "psm/grow.h"
#include "psm/time.h"
#include "psm/query.h"
#include "psm/render.h"
#include "psm/score.h"
#include "ring.h"
#include "table.h"

static const char *status_color(const char *status)
{
	if (!status)
		return NULL;
	if (!strcmp(status, "new"))
		return C_YELLOW;
	if (!strcmp(status, "blocked"))
		return C_RED;
	if (!strcmp(status, "closed"))
		return C_DIM;
	if (!strcmp(status, "in-progress"))
		return C_GREEN;
	return NULL;
}

/*
 * What list keeps of a matching issue: the columns it prints and its sort
 * key, as one string of NUL-separated fields (a JSON listing keeps the
 * whole issue, packed). At 100,000 issues a kept issue costs a row, not a
 * parse tree.
 */
enum { F_ID, F_STATUS, F_TYPE, F_IMPACT, F_OWNER, F_CREATED, F_TITLE, F_KEY, F_PATH, F_N };

struct lrow {
	char *text;
	uint32_t off[F_N];
	unsigned present;     /* bit f: field f was there (not absent or null) */
	size_t reporters;
	int64_t created;
	double score;
	struct psm_row *kept; /* --format json */
};

static const char *field(const struct lrow *r, int f)
{
	return r->present & (1u << f) ? r->text + r->off[f] : NULL;
}

static void make_row(struct lrow *r, const struct psm_issue *is, const char *key)
{
	static const char *const keys[F_N] = {
		"id", "status", "type", "impact", "owner", "created", "title", NULL, NULL
	};
	const char *v[F_N];
	size_t len[F_N], total = 0;
	int f;

	memset(r, 0, sizeof(*r));
	for (f = 0; f < F_N; f++) {
		const char *k = f == F_KEY ? key : keys[f];

		v[f] = f == F_PATH ? is->path : k ? psm_issue_get(is, k) : NULL;
		len[f] = v[f] ? strlen(v[f]) : 0;
		if (v[f])
			r->present |= 1u << f;
		total += len[f] + 1;
	}
	if (total > UINT32_MAX || !(r->text = malloc(total)))
		die("out of memory");
	for (total = 0, f = 0; f < F_N; f++) {
		r->off[f] = (uint32_t)total;
		memcpy(r->text + total, v[f] ? v[f] : "", len[f]);
		r->text[total + len[f]] = '\0';
		total += len[f] + 1;
	}
	r->reporters = psm_issue_reporter_count(is);
	r->created = is->sort_created;
}

/* psm_issue_set_sort()'s order (query.c), on rows. */
enum { BY_FIELD, BY_CREATED, BY_PRIORITY, BY_REPORTERS };
static int sort_by, sort_reverse;

static int cmp_rows(const void *pa, const void *pb)
{
	const struct lrow *a = pa, *b = pb;
	int c = 0;

	if (sort_by == BY_PRIORITY)
		c = a->score < b->score ? 1 : a->score > b->score ? -1 : 0;
	else if (sort_by == BY_REPORTERS)
		c = a->reporters < b->reporters ? 1 : a->reporters > b->reporters ? -1 : 0;
	else if (sort_by == BY_CREATED)
		c = a->created < b->created ? -1 : a->created > b->created;
	else
		c = strcmp(a->text + a->off[F_KEY], b->text + b->off[F_KEY]);
	if (!c && sort_by != BY_CREATED)
		c = a->created < b->created ? -1 : a->created > b->created;
	if (!c)
		c = strcmp(a->text + a->off[F_PATH], b->text + b->off[F_PATH]);
	return sort_reverse ? -c : c;
}

/* The table's cells, asked for row by row: 100,000 rows are not copied
 * into a table first. Row 0 is the header. */
struct list_table {
	const struct lrow *v;
	size_t abbrev;
	int64_t now;
};

static const char *list_cell(void *data, size_t row, size_t col, struct strbuf *sb,
			     const char **color)
{
	static const char *const head[] = { "ID", "STATUS", "TYPE", "IMPACT", "OWNER", "REP",
					    "AGE", "TITLE" };
	const struct list_table *lt = data;
	const struct lrow *r;
	const char *f;

	if (!row)
		return head[col];
	r = &lt->v[row - 1];
	switch (col) {
	case 0:
		f = field(r, F_ID);
		strbuf_add(sb, f ? f : "?", f ? (lt->abbrev < strlen(f) ? lt->abbrev : strlen(f)) : 1);
		*color = C_YELLOW;
		return sb->buf;
	case 1:
		f = field(r, F_STATUS);
		*color = status_color(f);
		return f;
	case 5:
		strbuf_addf(sb, "%zu", r->reporters);
		return sb->buf;
	case 6:
		if (r->created)
			psm_age_format(sb, lt->now - r->created);
		*color = C_DIM;
		return sb->len ? sb->buf : "-";
	case 7:
		return field(r, F_TITLE);
	default:
		f = field(r, col == 2 ? F_TYPE : col == 3 ? F_IMPACT : F_OWNER);
		return f ? f : "-";
	}
}

static void print_table(const struct lrow *v, size_t n, size_t abbrev, int64_t now)
{
	struct list_table lt = { v, abbrev, now };

	table_print_rows(8, n + 1, list_cell, &lt, term_width(), want_color(), 1);
}

static void print_tsv(const struct lrow *v, size_t n)
{
	struct strbuf num = STRBUF_INIT;
	size_t i;

	for (i = 0; i < n; i++) {
		const struct lrow *r = &v[i];

		tsv_field(field(r, F_ID), 0);
		tsv_field(field(r, F_STATUS), 0);
		tsv_field(field(r, F_TYPE), 0);
		tsv_field(field(r, F_IMPACT), 0);
		tsv_field(field(r, F_OWNER), 0);
		strbuf_reset(&num);
		strbuf_addf(&num, "%zu", r->reporters);
		tsv_field(num.buf, 0);
		tsv_field(field(r, F_CREATED), 0);
		tsv_field(field(r, F_TITLE), 1);
	}
	strbuf_release(&num);
}

/*
 * One issue at a time, from its packed copy: the listing is never all
 * parse trees at once; the texts are made on every core (ring.h).
 * psm_issue_json_text() writes the text jansson would, without building it
 * (jansson still writes what it leaves).
 */
struct json_listing {
	const struct lrow *v;
	size_t abbrev;
	struct json_out o;
};

static int make_json(struct strbuf *out, struct ring_local *local, void *ctx, size_t i)
{
	struct json_listing *jl = ctx;
	const struct psm_issue *is;
	int r;

	if (psm_row_view(&is, &local->space, jl->v[i].kept) < 0)
		return -1;
	if ((r = psm_issue_json_text(out, is, jl->abbrev)) < 0 ||
	    (r && json_item_text(out, psm_issue_json(is, jl->abbrev), 0) < 0))
		return psm_error(PSM_ERROR, "could not write JSON");
	return 0;
}

static void put_json(void *ctx, size_t i, const char *text, size_t len)
{
	(void)i;
	json_out_text(&((struct json_listing *)ctx)->o, text, len);
}

static void print_json_list(const struct lrow *v, size_t n, size_t abbrev)
{
	struct json_listing jl = { v, abbrev, { 0 } };
	struct strbuf why = STRBUF_INIT;

	if (ring_run(n, make_json, put_json, &jl, &why) < 0)
		die("%s", why.buf);
	json_out_end(&jl.o);
	strbuf_release(&why);
}

/* Name every file that could not be read or is not valid (psm_store_scan());
 * the caller exits 1. */
int report_scan_errors(const struct psm_issue_set *set)
{
	size_t i;

	for (i = 0; i < set->nerrors; i++) {
		const struct psm_scan_error *e = &set->errors[i];

		if (e->line)
			error("%s:%d:%d: %s", e->path, e->line, e->col, e->msg);
		else
			error("%s: %s", e->path, e->msg);
	}
	if (set->nerrors)
		error("%zu issue file%s could not be read or %s not valid (see 'psm check')",
		      set->nerrors, set->nerrors == 1 ? "" : "s", set->nerrors == 1 ? "is" : "are");
	return set->nerrors ? EXIT_PROBLEMS : 0;
}

/*
 * Nothing matched: a plain word that is an issue's ID was most likely meant
 * as one (a word matches text, not IDs), so say how to name it.
 */
static void hint_ids(struct psm_store *s, int argc, const char **argv)
{
	struct strbuf id = STRBUF_INIT;
	int i;

	for (i = 0; i < argc; i++) {
		if (strlen(argv[i]) < PSM_SHORT_ID_LEN || !psm_id_prefix_valid(argv[i]) ||
		    psm_store_resolve(&id, s, argv[i]) < 0)
			continue;
		fprintf(stderr, "hint: '%s' is an issue's ID: psm show %s, or psm list id:%s\n",
			argv[i], argv[i], argv[i]);
	}
	psm_error_clear();
	strbuf_release(&id);
}

int cmd_list(int argc, const char **argv, struct psm_store *s)
{
	static const char *const usage[] = { "psm list [<options>] [<term>...]", NULL };
	const char *format = NULL, *sort = NULL;
	int reverse = 0, limit = 0;
	struct option opts[] = {
		OPT_STRING(0, "format", &format, "fmt", "table (default), tsv or json"),
		OPT_STRING('s', "sort", &sort, "key", "created (default), updated, id, title, status, reporters, owner, type, impact, closed, priority"),
		OPT_BOOL('r', "reverse", &reverse, "reverse the order"),
		OPT_INT('n', "limit", &limit, "n", "show at most <n> issues"),
		OPT_END(),
	};
	struct psm_issue_set none = { 0 };
	const struct psm_issue *is;
	struct lrow *v = NULL;
	struct psm_scan *sc;
	struct psm_query *q;
	enum output_format fmt;
	size_t i, n = 0, alloc = 0, total, abbrev, closed = 0;
	int64_t now;
	const char *key;
	int code, r;

	argc = parse_options(argc, argv, opts, usage, 0);
	fmt = parse_format(format, "table,text,tsv,json");
	now = now_or_die();
	q = parse_query_or_die(s, argc, argv);
	/* the key checked (and named in the error) before anything is read */
	if (psm_issue_set_sort(&none, sort, reverse) < 0)
		die_psm();
	key = sort ? sort : "created";
	sort_by = !strcmp(key, "created") ? BY_CREATED : !strcmp(key, "priority") ? BY_PRIORITY :
		  !strcmp(key, "reporters") ? BY_REPORTERS : BY_FIELD;
	sort_reverse = reverse;
	if (psm_scan_open(&sc, s, fmt == FMT_JSON || sort_by == BY_PRIORITY ||
			  psm_query_reads_body(q) ? PSM_SCAN_BODY : 0) < 0)
		die_psm();
	while ((r = psm_scan_next(sc, &is)) > 0) {
		struct lrow *nv;

		if (!psm_query_match(q, is)) {
			/* for the hint when nothing open matches */
			if (!n && psm_query_match_closed(q, is))
				closed++;
			continue;
		}
		if (!(nv = psm_grow(v, n, &alloc, sizeof(*v), 256)))
			die("out of memory");
		v = nv;
		make_row(&v[n], is, sort_by == BY_FIELD ? key : NULL);
		if (sort_by == BY_PRIORITY) /* computed when read, never stored */
			v[n].score = psm_score(NULL, is, s->config, now);
		if (fmt == FMT_JSON && psm_scan_keep(&v[n].kept, sc) < 0)
			die_psm();
		n++;
	}
	if (r < 0)
		die_psm();
	abbrev = psm_scan_abbrev(sc);
	if (n > 1)
		qsort(v, n, sizeof(*v), cmp_rows);
	total = n;
	if (limit > 0 && (size_t)limit < n)
		n = (size_t)limit;
	if (fmt == FMT_JSON)
		print_json_list(v, n, abbrev);
	else if (fmt == FMT_TSV)
		print_tsv(v, n);
	else if (n)
		print_table(v, n, abbrev, now);
	code = report_scan_errors(psm_scan_errors(sc));
	if (!total && closed)
		fprintf(stderr, "hint: no open issue matches; %zu closed one%s do%s: add is:closed\n",
			closed, closed == 1 ? "" : "s", closed == 1 ? "es" : "");
	if (!total)
		hint_ids(s, argc, argv);
	for (i = 0; i < total; i++) {
		free(v[i].text);
		psm_row_free(v[i].kept);
	}
	free(v);
	psm_scan_free(sc);
	psm_query_free(q);
	return code;
}
