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

struct entry {
	struct psm_issue *issue;
	size_t customers, reporters;
};

static int cmp_entry(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;

	if (x->customers != y->customers)
		return x->customers < y->customers ? 1 : -1;
	if (x->reporters != y->reporters)
		return x->reporters < y->reporters ? 1 : -1;
	if (x->issue->score != y->issue->score)
		return x->issue->score < y->issue->score ? 1 : -1;
	return strcmp(x->issue->path, y->issue->path);
}

static void print_text(struct entry *e, size_t n, size_t abbrev, int64_t now)
{
	struct table *t = table_new(6);
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	table_cell(t, "ID", NULL);
	table_cell(t, "CUST", NULL);
	table_cell(t, "REP", NULL);
	table_cell(t, "STATUS", NULL);
	table_cell(t, "AGE", NULL);
	table_cell(t, "TITLE", NULL);
	table_end_row(t);
	for (i = 0; i < n; i++) {
		const char *id = psm_issue_get(e[i].issue, "id");

		strbuf_reset(&sb);
		strbuf_add(&sb, id ? id : "?", id && abbrev < strlen(id) ? abbrev : id ? strlen(id) : 1);
		table_cell(t, sb.buf, C_YELLOW);
		strbuf_reset(&sb);
		strbuf_addf(&sb, "%zu", e[i].customers);
		table_cell(t, sb.buf, C_BOLD);
		strbuf_reset(&sb);
		strbuf_addf(&sb, "%zu", e[i].reporters);
		table_cell(t, sb.buf, NULL);
		table_cell(t, psm_issue_get(e[i].issue, "status"), NULL);
		strbuf_reset(&sb);
		if (e[i].issue->sort_created)
			psm_age_format(&sb, now - e[i].issue->sort_created);
		table_cell(t, sb.len ? sb.buf : "-", C_DIM);
		table_cell(t, psm_issue_get(e[i].issue, "title"), NULL);
		table_end_row(t);
	}
	table_print(t, term_width(), want_color(), 1);
	table_free(t);
	strbuf_release(&sb);
}

int cmd_roadmap(int argc, const char **argv, struct psm_store *s)
{
	static const char *const usage[] = { "psm roadmap [--format text|json]", NULL };
	const char *format = NULL;
	struct option opts[] = {
		OPT_STRING(0, "format", &format, "fmt", "text (default) or json"),
		OPT_END(),
	};
	struct psm_issue_set set = { 0 };
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
		struct psm_issue *is;
		struct entry *ne;

		if (!psm_issue_is_open(cur) || !psm_streq(psm_issue_get(cur, "impact"), "strategic"))
			continue;
		if (psm_scan_take(&is, sc) < 0 || psm_issue_set_add(&set, is) < 0)
			die_psm();
		if (!(ne = psm_grow(e, n, &alloc, sizeof(*e), 64)))
			die("out of memory");
		e = ne;
		is->score = psm_score(NULL, is, s->config, now);
		e[n].issue = is;
		e[n].customers = psm_people_customers(NULL, s->config, is);
		e[n++].reporters = psm_issue_reporter_count(is);
	}
	if (r < 0)
		die_psm();
	abbrev = psm_scan_abbrev(sc);
	if (n)
		qsort(e, n, sizeof(*e), cmp_entry);
	if (fmt == FMT_JSON) {
		json_t *a = json_array();

		for (i = 0; a && i < n; i++) {
			json_t *o = psm_issue_json(e[i].issue, abbrev);

			if (!o || json_object_set_new(o, "customer_count", json_integer((json_int_t)e[i].customers)) < 0 ||
			    json_object_set_new(o, "priority", json_real(round3(e[i].issue->score))) < 0 ||
			    json_array_append_new(a, o) < 0)
				die("out of memory");
		}
		print_json_scores(a);
	} else if (n) {
		print_text(e, n, abbrev, now);
	}
	code = report_scan_errors(psm_scan_errors(sc));
	psm_scan_free(sc);
	free(e);
	psm_issue_set_release(&set);
	return code;
}
