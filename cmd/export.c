/* psm export [TERMS...]: issues as the records psm intake --jsonl reads. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "builtin.h"
#include "parse-options.h"
#include "psm/query.h"
#include "psm/render.h"

int cmd_export(int argc, const char **argv, struct psm_store *s)
{
	static const char *const usage[] = { "psm export [--format jsonl|json] [<term>...]", NULL };
	const char *format = NULL;
	struct option opts[] = {
		OPT_STRING(0, "format", &format, "fmt", "jsonl (default: one object per line) or json (one array)"),
		OPT_END(),
	};
	struct psm_issue_set set = { 0 };
	struct psm_query *q = NULL;
	json_t *all = NULL;
	size_t i;
	int jsonl, code;

	argc = parse_options(argc, argv, opts, usage, 0);
	jsonl = !format || !strcmp(format, "jsonl");
	if (!jsonl)
		parse_format(format, "json");
	/* No terms: everything, open and closed, so that export then import
	 * gives the whole store. With terms, they mean what they do in list. */
	if (argc)
		q = parse_query_or_die(s, argc, argv);
	if (psm_store_scan(s, &set) < 0 || psm_issue_set_sort(&set, "created", 0) < 0)
		die_psm();
	if (!jsonl && !(all = json_array()))
		die("out of memory");
	for (i = 0; i < set.n; i++) {
		json_t *rec;

		if (q && !psm_query_match(q, set.v[i]))
			continue;
		if (!(rec = psm_issue_record(set.v[i])))
			die("out of memory");
		if (!jsonl) {
			if (json_array_append_new(all, rec) < 0)
				die("out of memory");
			continue;
		}
		/* one line each: JSON escapes control characters and newlines */
		print_json_with(rec, JSON_COMPACT | JSON_PRESERVE_ORDER);
	}
	if (!jsonl)
		print_json(all);
	code = report_scan_errors(&set);
	psm_issue_set_release(&set);
	psm_query_free(q);
	return code;
}
