/* psm roadmap: open issues judged impact strategic, the most asked-for
 * first: by distinct customers, then distinct reporters, then priority. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"
#include "psm/cache.h"
#include "psm/grow.h"
#include "parse-options.h"
#include "psm/people.h"
#include "psm/time.h"
#include "psm/query.h"
#include "psm/render.h"
#include "table.h"
#include "triage.h"

/* A strategic open issue, packed (psm_scan_keep): unpacked one at a time
 * to print. */
struct entry {
	struct psm_row *row;
	size_t customers, reporters;
	double score;
};

/* The entry's issue, unpacked into space (valid until its next use). */
static const struct psm_issue *entry_view(struct psm_row_space *space, const struct entry *e)
{
	const struct psm_issue *is;

	if (psm_row_view(&is, space, e->row) < 0)
		die_psm();
	return is;
}

static int cmp_entry(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;

	if (x->customers != y->customers)
		return x->customers < y->customers ? 1 : -1;
	if (x->reporters != y->reporters)
		return x->reporters < y->reporters ? 1 : -1;
	if (x->score != y->score)
		return x->score < y->score ? 1 : -1;
	return strcmp(psm_row_path(x->row), psm_row_path(y->row));
}

static void print_text(struct entry *e, size_t n, size_t abbrev, int64_t now)
{
	struct table *t = table_new(6);
	struct strbuf sb = STRBUF_INIT;
	struct psm_row_space space = { 0 };
	size_t i;

	table_cell(t, "ID", NULL);
	table_cell(t, "CUST", NULL);
	table_cell(t, "REP", NULL);
	table_cell(t, "STATUS", NULL);
	table_cell(t, "AGE", NULL);
	table_cell(t, "TITLE", NULL);
	table_end_row(t);
	for (i = 0; i < n; i++) {
		const struct psm_issue *is = entry_view(&space, &e[i]);
		const char *id = psm_issue_get(is, "id");

		strbuf_reset(&sb);
		strbuf_add(&sb, id ? id : "?", id && abbrev < strlen(id) ? abbrev : id ? strlen(id) : 1);
		table_cell(t, sb.buf, C_YELLOW);
		strbuf_reset(&sb);
		strbuf_addf(&sb, "%zu", e[i].customers);
		table_cell(t, sb.buf, C_BOLD);
		strbuf_reset(&sb);
		strbuf_addf(&sb, "%zu", e[i].reporters);
		table_cell(t, sb.buf, NULL);
		table_cell(t, psm_issue_get(is, "status"), NULL);
		strbuf_reset(&sb);
		if (is->sort_created)
			psm_age_format(&sb, now - is->sort_created);
		table_cell(t, sb.len ? sb.buf : "-", C_DIM);
		table_cell(t, psm_issue_get(is, "title"), NULL);
		table_end_row(t);
	}
	table_print(t, term_width(), want_color(), 1);
	table_free(t);
	strbuf_release(&sb);
	psm_row_space_release(&space);
}

int cmd_roadmap(int argc, const char **argv, struct psm_store *s)
{
	static const char *const usage[] = { "psm roadmap [--format text|json]", NULL };
	const char *format = NULL;
	struct option opts[] = {
		OPT_STRING(0, "format", &format, "fmt", "text (default) or json"),
		OPT_END(),
	};
	const struct psm_issue *cur;
	struct psm_scan *sc;
	struct entry *e = NULL;
	enum output_format fmt;
	size_t i, n = 0, alloc = 0, abbrev;
	int64_t now;
	int code, r;

	argc = parse_options(argc, argv, opts, usage, 0);
	if (argc)
		usage_error(usage, opts, "unexpected argument '%s'", argv[0]);
	fmt = parse_format(format, "text,json");
	now = now_or_die();
	/* one issue at a time (cache.h): only the strategic open ones are kept */
	if (psm_scan_open(&sc, s, PSM_SCAN_BODY) < 0)
		die_psm();
	while ((r = psm_scan_next(sc, &cur)) > 0) {
		struct entry *ne;

		if (!psm_issue_is_open(cur) || !psm_streq(psm_issue_get(cur, "impact"), "strategic"))
			continue;
		if (!(ne = psm_grow(e, n, &alloc, sizeof(*e), 64)))
			die("out of memory");
		e = ne;
		if (psm_scan_keep(&e[n].row, sc) < 0)
			die_psm();
		e[n].score = psm_score(NULL, cur, s->config, now);
		e[n].customers = psm_people_customers(NULL, s->config, cur);
		e[n++].reporters = psm_issue_reporter_count(cur);
	}
	if (r < 0)
		die_psm();
	abbrev = psm_scan_abbrev(sc);
	if (n)
		qsort(e, n, sizeof(*e), cmp_entry);
	if (fmt == FMT_JSON) {
		/* an element at a time, as print_json_scores() prints the array */
		struct json_out o = { 0, JSON_SCORES_FLAGS };
		struct psm_row_space space = { 0 };

		for (i = 0; i < n; i++) {
			const struct psm_issue *is = entry_view(&space, &e[i]);
			json_t *more = json_object();

			if (!more || json_object_set_new(more, "customer_count", json_integer((json_int_t)e[i].customers)) < 0 ||
			    json_object_set_new(more, "priority", json_real(round3(e[i].score))) < 0)
				die("out of memory");
			json_out_issue(&o, is, abbrev, more);
		}
		json_out_end(&o);
		psm_row_space_release(&space);
	} else if (n) {
		print_text(e, n, abbrev, now);
	}
	code = report_scan_errors(psm_scan_errors(sc));
	psm_scan_free(sc);
	for (i = 0; i < n; i++)
		psm_row_free(e[i].row);
	free(e);
	return code;
}
