/* psm check [PATH...]: validate issue files; path:line:col: error: message. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "builtin.h"
#include "psm/cache.h"
#include "psm/merge-driver.h"
#include "parse-options.h"
#include "psm/render.h"
#include "psm/validate.h"

static int check_paths(struct psm_store *s, struct psm_issue_set *set, struct psm_issue_set *diag,
		       int argc, const char **argv)
{
	int i;

	for (i = 0; i < argc; i++) {
		struct psm_yaml_error err = { 0, 0, STRBUF_INIT };
		struct psm_issue *issue;
		int r = psm_store_load_path(&issue, s, argv[i], &err);

		/* load_path takes work-tree paths; a path from here may be relative */
		if (r == PSM_ERROR && argv[i][0] != '/') {
			struct strbuf abs = STRBUF_INIT;
			char *cwd = getcwd(NULL, 0);

			psm_error_clear();
			strbuf_addf(&abs, "%s/%s", cwd ? cwd : ".", argv[i]);
			free(cwd);
			r = psm_store_load_path(&issue, s, abs.buf, &err);
			if (!r) {
				free(issue->path);
				issue->path = psm_strdup(argv[i]);
			}
			strbuf_release(&abs);
		}
		if (r == PSM_EPARSE || r == PSM_ERROR) {
			if (psm_issue_set_error(diag, argv[i], err.line, err.col, err.msg.len ? err.msg.buf : psm_error_last()) < 0)
				die_psm();
		} else if (r < 0) {
			die_psm();
		} else if (psm_issue_set_add(set, issue) < 0) {
			die_psm();
		}
		strbuf_release(&err.msg);
	}
	return 0;
}

/*
 * Every issue with what psm_issue_validate() finds in it, through the cache
 * (which keeps those findings per file): first the files that cannot be
 * read, then each issue's problems, in path order, then the checks across
 * issues (psm_set_check_*(), which keep only IDs, paths and refs: no
 * issue is held). Returns the file count.
 */
static size_t scan_all(struct psm_store *s, struct psm_issue_set *diag)
{
	struct psm_issue_set problems = { 0 };
	const struct psm_issue *cur;
	const struct psm_issue_set *errors;
	struct psm_set_check *across;
	struct psm_scan *sc;
	size_t i, n = 0;
	int r;

	/* the bodies too: the timelines' refs are checked across issues */
	if (psm_scan_open(&sc, s, PSM_SCAN_ALL | PSM_SCAN_BODY) < 0 || psm_set_check_new(&across) < 0)
		die_psm();
	while ((r = psm_scan_next(sc, &cur)) > 0) {
		if (psm_scan_problems(sc, &problems) < 0 || psm_set_check_add(across, cur) < 0)
			die_psm();
		n++;
	}
	if (r < 0)
		die_psm();
	/* scan errors are problems like any other */
	errors = psm_scan_errors(sc);
	for (i = 0; i < errors->nerrors; i++)
		if (psm_issue_set_error(diag, errors->errors[i].path, errors->errors[i].line,
					errors->errors[i].col, errors->errors[i].msg) < 0)
			die_psm();
	for (i = 0; i < problems.nerrors; i++)
		if (psm_issue_set_error(diag, problems.errors[i].path, problems.errors[i].line,
					problems.errors[i].col, problems.errors[i].msg) < 0)
			die_psm();
	if (psm_set_check_finish(across, diag) < 0)
		die_psm();
	i = n + errors->nerrors;
	psm_set_check_free(across);
	psm_issue_set_release(&problems);
	psm_scan_free(sc);
	return i;
}

int cmd_check(int argc, const char **argv, struct psm_store *s)
{
	static const char *const usage[] = { "psm check [--format text|json] [<path>...]", NULL };
	const char *format = NULL;
	struct option opts[] = {
		OPT_STRING(0, "format", &format, "fmt", "text (default) or json"),
		OPT_END(),
	};
	struct psm_issue_set set = { 0 }, diag = { 0 };
	enum output_format fmt;
	size_t i, nfiles;

	argc = parse_options(argc, argv, opts, usage, 0);
	fmt = parse_format(format, "text,json");
	if (argc) {
		check_paths(s, &set, &diag, argc, argv);
		nfiles = set.n + diag.nerrors;
		for (i = 0; i < set.n; i++)
			if (psm_issue_validate(&diag, set.v[i], s->config) < 0)
				die_psm();
	} else {
		nfiles = scan_all(s, &diag);
	}
	if (psm_git_notes(s->git) & PSM_GIT_NOTE_NODRIVER)
		psm_issue_set_error(&diag, PSM_MERGE_ATTRIBUTES, 1, 1,
				    "names psm's merge driver (merge=psm) but git config has none "
				    "and psm could not register it: git config merge.psm.driver "
				    "'" PSM_MERGE_DRIVER "'");
	if (fmt == FMT_JSON) {
		json_t *o = json_object(), *a = json_array();

		for (i = 0; i < diag.nerrors; i++)
			json_array_append_new(a, json_pack("{s:s, s:i, s:i, s:s}", "path", diag.errors[i].path,
							   "line", diag.errors[i].line, "column",
							   diag.errors[i].col, "message", diag.errors[i].msg));
		json_object_set_new(o, "version", json_integer(PSM_JSON_VERSION));
		json_object_set_new(o, "files", json_integer((json_int_t)nfiles));
		json_object_set_new(o, "errors", a);
		print_json(o);
	} else {
		for (i = 0; i < diag.nerrors; i++) {
			const struct psm_scan_error *e = &diag.errors[i];

			printf("%s:%d:%d: error: ", e->path, e->line ? e->line : 1, e->col ? e->col : 1);
			put_safe(stdout, e->msg, 0);
			putchar('\n');
		}
	}
	psm_issue_set_release(&set);
	i = diag.nerrors;
	psm_issue_set_release(&diag);
	return i ? EXIT_PROBLEMS : 0;
}
