/* psm import github FILE | backlog-md DIR: migrate from another tracker. */
#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"
#include "psm/grow.h"
#include "psm/import.h"
#include "intake-batch.h"
#include "psm/time.h"

static const char *const import_usage[] = {
	"psm import github [<options>] <file>     (JSON from gh issue list --json ...; psm(1))",
	"psm import backlog-md [<options>] <dir>  (a Backlog.md backlog/tasks folder)",
	NULL
};

/* After the comments: `updated` is the latest thing that happened on GitHub. */
static void latest_update(struct psm_issue *issue)
{
	const char *closed = psm_issue_get(issue, "closed"), *updated = psm_issue_get(issue, "updated");
	int64_t c, u;

	if (closed && updated && !psm_time_parse(closed, &c) && !psm_time_parse(updated, &u) && c > u &&
	    psm_issue_set(issue, "updated", closed) < 0)
		die_psm();
}

static void comments_failed(struct batch_run *run, const char *where)
{
	struct strbuf why = STRBUF_INIT;

	strbuf_addf(&why, "comments not taken in: %s", psm_error_last());
	run_fail(run, where, why.buf);
	strbuf_release(&why);
}

static void github_one(struct batch_run *run, const json_t *gh, const char *where)
{
	struct psm_issue *issue = psm_issue_new(), *holder;
	struct strbuf detail = STRBUF_INIT;
	const char *matched;
	int added;

	if (!issue)
		die("out of memory");
	if (psm_github_to_issue(issue, gh) < 0) {
		if (psm_error_code() == PSM_ENOMEM)
			die_psm();
		run_fail(run, where, psm_error_last());
		psm_issue_free(issue);
		return;
	}
	if ((holder = psm_batch_holder(run->b, issue, 0, &matched))) {
		/* imported before: only comments made since are new */
		psm_issue_free(issue);
		if ((added = psm_github_comments(holder, gh, run->b, run->now)) == PSM_EINVALID) {
			comments_failed(run, where);
			return;
		}
		if (added < 0)
			die_psm();
		if (added && psm_issue_set(holder, "updated", run->now) < 0)
			die_psm();
		if (added)
			strbuf_addf(&detail, "%d new comment%s", added, added == 1 ? "" : "s");
		else
			strbuf_addstr(&detail, "already imported");
		run_note(run, added ? RUN_UPDATED : RUN_SKIPPED, holder, where, detail.buf);
	} else if (psm_batch_add(run->b, issue) < 0) {
		if (psm_error_code() == PSM_ENOMEM)
			die_psm();
		run_fail(run, where, psm_error_last());
	} else {
		/* the issue went in; comments it cannot hold are reported apart */
		if ((added = psm_github_comments(issue, gh, run->b, NULL)) == PSM_EINVALID)
			comments_failed(run, where);
		else if (added < 0)
			die_psm();
		latest_update(issue);
		run_note(run, RUN_NEW, issue, where, NULL);
	}
	strbuf_release(&detail);
}

static void import_github(struct batch_run *run, const char *path)
{
	struct strbuf text = STRBUF_INIT, where = STRBUF_INIT;
	const char *name = input_name(path);
	json_error_t err;
	json_t *all, *gh;
	size_t i;

	read_input(&text, path);
	if (is_blank(&text))
		goto out; /* zero items, as for every batch input */
	if (!(all = json_loadb(text.buf, text.len, JSON_REJECT_DUPLICATES, &err)))
		die("%s:%d:%d: not JSON: %s", name, err.line, err.column, err.text);
	if (!json_is_array(all))
		die("%s: not a JSON array: expected the output of gh issue list --json ...", name);
	json_array_foreach(all, i, gh) {
		json_t *num = json_object_get(gh, "number");

		strbuf_reset(&where);
		if (json_is_integer(num))
			strbuf_addf(&where, "%s: #%" JSON_INTEGER_FORMAT, name, json_integer_value(num));
		else
			strbuf_addf(&where, "%s: item %zu", name, i + 1);
		github_one(run, gh, where.buf);
	}
	json_decref(all);
out:
	strbuf_release(&text);
	strbuf_release(&where);
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void import_backlog(struct batch_run *run, const char *dir)
{
	struct strbuf path = STRBUF_INIT, text = STRBUF_INIT;
	char **names = NULL, **nv;
	size_t n = 0, alloc = 0, i;
	struct dirent *de;
	DIR *d;

	if (!(d = opendir(dir)))
		die("could not read '%s': %s", dir, strerror(errno));
	while ((de = readdir(d))) {
		size_t l = strlen(de->d_name);

		if (de->d_name[0] == '.' || l < 4 || strcmp(de->d_name + l - 3, ".md"))
			continue;
		if (!(nv = psm_grow(names, n, &alloc, sizeof(*nv), 64)))
			die("out of memory");
		names = nv;
		if (!(names[n++] = psm_strdup(de->d_name)))
			die("out of memory");
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp_names);
	for (i = 0; i < n; i++) {
		struct psm_issue *issue = psm_issue_new();

		strbuf_reset(&path);
		strbuf_reset(&text);
		strbuf_addf(&path, "%s/%s", dir, names[i]);
		if (!issue)
			die("out of memory");
		read_input(&text, path.buf);
		if (psm_backlog_to_issue(issue, text.buf, text.len, run->s->config, run->now) < 0) {
			if (psm_error_code() == PSM_ENOMEM)
				die_psm();
			run_fail(run, path.buf, psm_error_last());
			psm_issue_free(issue);
		} else {
			run_take(run, issue, 0, path.buf);
		}
		free(names[i]);
	}
	free(names);
	strbuf_release(&path);
	strbuf_release(&text);
}

int cmd_import(int argc, const char **argv, struct psm_store *s)
{
	const char *format = NULL;
	int no_commit = 0;
	struct option opts[] = {
		OPT_STRING(0, "format", &format, "fmt", "output: text (one line per item) or json"),
		OPT_NO_COMMIT(&no_commit),
		OPT_END(),
	};
	struct batch_run run = { 0 };
	enum output_format fmt;

	argc = parse_options(argc, argv, opts, import_usage, 0);
	if (argc != 2)
		usage_error(import_usage, opts, argc ? "expected a source and one file or directory"
						     : "which source: github or backlog-md?");
	if (strcmp(argv[0], "github") && strcmp(argv[0], "backlog-md"))
		usage_error(import_usage, opts, "unknown source '%s' (github, backlog-md)", argv[0]);
	fmt = parse_format(format, "text,json");
	s->no_commit |= no_commit;
	check_inputs(1, argv + 1);
	run_begin(&run, s, fmt);
	if (!strcmp(argv[0], "github"))
		import_github(&run, argv[1]);
	else
		import_backlog(&run, argv[1]);
	return run_finish(&run, !strcmp(argv[0], "github") ? "import github" : "import backlog-md");
}
