/* psm list [TERMS...]: issues matching search terms, as a table, TSV or JSON. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "builtin.h"
#include "parse-options.h"
#include "psm/time.h"
#include "psm/query.h"
#include "psm/render.h"
#include "psm/score.h"
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

static void print_table(const struct psm_issue_set *set, size_t abbrev, int64_t now)
{
	struct table *t = table_new(8);
	int color = want_color();
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	table_cell(t, "ID", NULL);
	table_cell(t, "STATUS", NULL);
	table_cell(t, "TYPE", NULL);
	table_cell(t, "IMPACT", NULL);
	table_cell(t, "OWNER", NULL);
	table_cell(t, "REP", NULL);
	table_cell(t, "AGE", NULL);
	table_cell(t, "TITLE", NULL);
	table_end_row(t);
	for (i = 0; i < set->n; i++) {
		const struct psm_issue *is = set->v[i];
		const char *id = psm_issue_get(is, "id");

		strbuf_reset(&sb);
		strbuf_add(&sb, id ? id : "?", id ? (abbrev < strlen(id) ? abbrev : strlen(id)) : 1);
		table_cell(t, sb.buf, C_YELLOW);
		table_cell(t, psm_issue_get(is, "status"), status_color(psm_issue_get(is, "status")));
		table_cell(t, psm_issue_get(is, "type") ? psm_issue_get(is, "type") : "-", NULL);
		table_cell(t, psm_issue_get(is, "impact") ? psm_issue_get(is, "impact") : "-", NULL);
		table_cell(t, psm_issue_get(is, "owner") ? psm_issue_get(is, "owner") : "-", NULL);
		strbuf_reset(&sb);
		strbuf_addf(&sb, "%zu", psm_issue_reporter_count(is));
		table_cell(t, sb.buf, NULL);
		strbuf_reset(&sb);
		if (is->sort_created)
			psm_age_format(&sb, now - is->sort_created);
		table_cell(t, sb.len ? sb.buf : "-", C_DIM);
		table_cell(t, psm_issue_get(is, "title"), NULL);
		table_end_row(t);
	}
	table_print(t, term_width(), color, 1);
	table_free(t);
	strbuf_release(&sb);
}

static void print_tsv(const struct psm_issue_set *set)
{
	struct strbuf n = STRBUF_INIT;
	size_t i;

	for (i = 0; i < set->n; i++) {
		const struct psm_issue *is = set->v[i];

		tsv_field(psm_issue_get(is, "id"), 0);
		tsv_field(psm_issue_get(is, "status"), 0);
		tsv_field(psm_issue_get(is, "type"), 0);
		tsv_field(psm_issue_get(is, "impact"), 0);
		tsv_field(psm_issue_get(is, "owner"), 0);
		strbuf_reset(&n);
		strbuf_addf(&n, "%zu", psm_issue_reporter_count(is));
		tsv_field(n.buf, 0);
		tsv_field(psm_issue_get(is, "created"), 0);
		tsv_field(psm_issue_get(is, "title"), 1);
	}
	strbuf_release(&n);
}

static void print_json_list(const struct psm_issue_set *set, size_t abbrev)
{
	json_t *a = json_array();
	size_t i;

	if (!a)
		die("out of memory");
	for (i = 0; i < set->n; i++)
		if (json_array_append_new(a, psm_issue_json(set->v[i], abbrev)) < 0)
			die("out of memory");
	print_json(a);
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
	int64_t now;
	struct psm_issue_set set = { 0 }, out = { 0 };
	struct psm_query *q;
	enum output_format fmt;
	size_t i, abbrev;
	int code;

	argc = parse_options(argc, argv, opts, usage, 0);
	fmt = parse_format(format, "table,text,tsv,json");
	now = now_or_die();
	q = parse_query_or_die(s, argc, argv);
	if (psm_store_scan(s, &set) < 0)
		die_psm();
	abbrev = psm_issue_set_abbrev(&set);
	for (i = 0; i < set.n; i++) {
		if (!psm_query_match(q, set.v[i])) {
			psm_issue_free(set.v[i]);
			continue;
		}
		if (psm_issue_set_add(&out, set.v[i]) < 0)
			die_psm();
	}
	set.n = 0;
	if (sort && !strcmp(sort, "priority"))
		for (i = 0; i < out.n; i++) /* computed when read, never stored */
			out.v[i]->score = psm_score(NULL, out.v[i], s->config, now);
	if (psm_issue_set_sort(&out, sort, reverse) < 0)
		die_psm();
	if (limit > 0 && (size_t)limit < out.n) {
		for (i = (size_t)limit; i < out.n; i++)
			psm_issue_free(out.v[i]);
		out.n = (size_t)limit;
	}
	if (fmt == FMT_JSON)
		print_json_list(&out, abbrev);
	else if (fmt == FMT_TSV)
		print_tsv(&out);
	else if (out.n)
		print_table(&out, abbrev, now);
	code = report_scan_errors(&set);
	psm_issue_set_release(&out);
	psm_issue_set_release(&set);
	psm_query_free(q);
	return code;
}
