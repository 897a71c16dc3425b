/*
 * psm usage import FILE... | recount: the week files of onboarding and
 * adoption counts, from analytics exports (docs/metrics.md, docs/import.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"
#include "intake-batch.h"
#include "parse-options.h"
#include "psm/usage-record.h"

/* Bad lines named per file; the rest are counted. */
#define SHOW_BAD 10

static const char *const usage_usage[] = {
	"psm usage import [<options>] <file>...  (event exports, JSONL or CSV; - for stdin)",
	"psm usage recount [--no-commit]         (the week files again, from the record)",
	NULL
};

struct file_ctx {
	struct psm_usage_import *im;
	const char *name;
	size_t shown;
};

static int on_event(void *data, const struct psm_usage_event *ev)
{
	return psm_usage_import_event(((struct file_ctx *)data)->im, ev);
}

static int on_bad(void *data, long line, const char *msg)
{
	struct file_ctx *c = data;

	if (c->shown++ < SHOW_BAD)
		error("%s:%ld: %s", c->name, line, msg);
	return 0;
}

/* Read one export into the import; < 0 (with psm's error) when it cannot be. */
static int read_file(struct psm_usage_reader *rd, struct psm_usage_import *im, const char *path,
		     size_t *bad)
{
	struct file_ctx c = { im, input_name(path), 0 };
	struct strbuf sb = STRBUF_INIT;
	size_t unknown = psm_usage_import_unknown(im);
	FILE *in = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	int r;

	if (!in)
		return psm_error_errno(PSM_ERROR, "could not read '%s'", path);
	rd->on_event = on_event;
	rd->on_bad = on_bad;
	rd->data = &c;
	r = psm_usage_read(rd, in, c.name);
	if (in != stdin)
		fclose(in);
	if (r < 0)
		return r;
	if (c.shown > SHOW_BAD)
		error("%s: %zu more lines could not be read", c.name, c.shown - SHOW_BAD);
	strbuf_addf(&sb, "%s: %zu event%s", c.name, rd->events, rd->events == 1 ? "" : "s");
	unknown = psm_usage_import_unknown(im) - unknown;
	if (unknown)
		strbuf_addf(&sb, ", %zu not named in the config (activity only)", unknown);
	if (rd->anonymous)
		strbuf_addf(&sb, ", %zu without a user id (not counted)", rd->anonymous);
	if (rd->skipped)
		strbuf_addf(&sb, ", %zu not track calls (skipped)", rd->skipped);
	if (rd->bad)
		strbuf_addf(&sb, ", %zu line%s not read", rd->bad, rd->bad == 1 ? "" : "s");
	put_safe(stdout, sb.buf, 0);
	putchar('\n');
	*bad += rd->bad;
	strbuf_release(&sb);
	return 0;
}

/* Did a week of ws start at monday? */
static int has_week(const struct psm_usage_weeks *ws, int64_t monday)
{
	return psm_usage_week_at(ws, monday) != NULL;
}

/* Write one week file (or remove it: w NULL); 1 if that changed it. */
static int save_week(struct psm_txn *t, const char *path, const struct psm_usage_week *w,
		     const char *what)
{
	struct strbuf text = STRBUF_INIT;
	int r;

	if (w && psm_usage_week_format(&text, w) < 0)
		die_psm();
	if ((r = psm_txn_save_file(t, path, w ? text.buf : NULL, text.len)) < 0)
		die_psm();
	if (r)
		printf("%s %s\n", what, path);
	strbuf_release(&text);
	return r;
}

/* Write the counted weeks; a week file the record no longer gives goes.
 * first and last get the first and last week changed. */
static size_t save_weeks(struct psm_txn *t, const struct psm_usage_weeks *counted,
			 const struct psm_usage_weeks *committed, struct strbuf *first,
			 struct strbuf *last)
{
	struct strbuf path = STRBUF_INIT, name = STRBUF_INIT;
	size_t i, changed = 0;

	for (i = 0; i < counted->n + committed->n; i++) {
		int gone = i >= counted->n;
		const struct psm_usage_week *w = gone ? &committed->v[i - counted->n] : &counted->v[i];

		if (gone && has_week(counted, w->week))
			continue;
		strbuf_reset(&path);
		if (psm_usage_week_path(&path, w->week) < 0)
			die_psm();
		if (!save_week(t, path.buf, gone ? NULL : w,
			       gone ? "removed" : has_week(committed, w->week) ? "updated" : "new"))
			continue;
		changed++;
		strbuf_reset(&name);
		psm_iso_week_format(&name, w->week); /* ISO weeks sort as text */
		if (!first->len || strcmp(name.buf, first->buf) < 0) {
			strbuf_reset(first);
			strbuf_addbuf(first, &name);
		}
		if (!last->len || strcmp(name.buf, last->buf) > 0) {
			strbuf_reset(last);
			strbuf_addbuf(last, &name);
		}
	}
	strbuf_release(&path);
	strbuf_release(&name);
	return changed;
}

/* Whether a commit would be refused (no identity, a merge under way):
 * said before an export is read, not after. */
static void check_writable(struct psm_store *s)
{
	struct strbuf name = STRBUF_INIT, email = STRBUF_INIT;

	if (!s->no_commit && (psm_git_identity(&name, &email, s->git) < 0 ||
			      psm_git_check_writable(s->git) < 0))
		die_psm();
	strbuf_release(&name);
	strbuf_release(&email);
}

/*
 * Read the exports into the record (under the record's own lock), count,
 * then write and commit the week files under the store lock, which other
 * commands wait for: it is held for the commit only, not the reading.
 */
static int run(struct psm_store *s, const struct psm_usage_config *uc,
	       struct psm_usage_reader *rd, int argc, const char **argv, int rebuild,
	       const char *verb)
{
	struct psm_usage_weeks counted = { NULL, 0, 0 };
	struct strbuf msg = STRBUF_INIT, first = STRBUF_INIT, last = STRBUF_INIT;
	struct psm_usage_import *im = NULL;
	struct psm_txn *t = NULL;
	size_t changed, bad = 0;
	int i, r;

	check_writable(s);
	if (psm_usage_import_begin(&im, psm_git_gitdir(s->git), s->root, uc, rebuild) < 0)
		die_psm();
	if (*psm_usage_import_added(im)) {
		struct strbuf names = STRBUF_INIT;
		const char *p;

		for (p = psm_usage_import_added(im); *p; p = strchr(p, '\n') + 1)
			strbuf_addf(&names, "%s'%.*s'", names.len ? ", " : "",
				    (int)(strchr(p, '\n') - p), p);
		warning("the usage record had no column for %s: their counts start with this import (importing older exports again is safe)",
			names.buf);
		strbuf_release(&names);
	}
	for (i = 0; i < argc; i++)
		if (read_file(rd, im, argv[i], &bad) < 0)
			goto fail;
	if (psm_usage_import_count(im, &counted) < 0 || psm_txn_begin(&t, s) < 0 ||
	    psm_usage_import_recheck(im, s->root) < 0)
		goto fail;
	changed = save_weeks(t, &counted, psm_usage_import_committed(im), &first, &last);
	strbuf_addf(&msg, "psm usage %s: %zu week%s", verb, changed, changed == 1 ? "" : "s");
	if (changed)
		strbuf_addf(&msg, strcmp(first.buf, last.buf) ? " (%s to %s)" : " (%s)", first.buf, last.buf);
	r = psm_txn_commit(t, msg.buf);
	if (r < 0 && r != PSM_EUNCHANGED)
		goto fail;
	/* the counts are in: the record they came from becomes the record */
	if (psm_usage_import_keep(im) < 0)
		goto fail;
	psm_txn_free(t);
	psm_usage_import_free(im);
	if (changed)
		fprintf(stderr, "usage %s: %zu week file%s changed, %zu unchanged\n", verb, changed,
			changed == 1 ? "" : "s", counted.n >= changed ? counted.n - changed : 0);
	else
		fprintf(stderr, "usage %s: the counts did not change\n", verb);
	psm_usage_weeks_release(&counted);
	strbuf_release(&msg);
	strbuf_release(&first);
	strbuf_release(&last);
	return bad ? EXIT_PROBLEMS : 0;
fail:
	strbuf_reset(&msg);
	strbuf_addstr(&msg, psm_error_last());
	psm_txn_free(t); /* puts the week files back */
	psm_usage_import_free(im);
	die("%s", msg.buf);
}

int cmd_usage(int argc, const char **argv, struct psm_store *s)
{
	const char *preset = NULL, *tz = NULL;
	struct opt_list maps = { 0 };
	int csv = 0, jsonl = 0, rebuild = 0, no_commit = 0, code, recount;
	struct option opts[] = {
		OPT_STRING(0, "preset", &preset, "tool", "where the export keeps user, event and time: posthog, mixpanel, amplitude or segment"),
		OPT_LIST(0, "map", &maps, "column=field", "read COLUMN (or JSON path a.b) as the user, event or time"),
		OPT_STRING(0, "tz", &tz, "zone", "the time zone of times written without one (Europe/Berlin, UTC, +02:00)"),
		OPT_BOOL(0, "csv", &csv, "the files are CSV with a header row (default: by name, else by content)"),
		OPT_BOOL(0, "jsonl", &jsonl, "the files are JSON, one event object a line"),
		OPT_BOOL(0, "rebuild", &rebuild, "start a new record and count every week from these files alone"),
		OPT_NO_COMMIT(&no_commit),
		OPT_END(),
	};
	struct psm_usage_config *uc;
	struct psm_usage_reader rd;

	argc = parse_options(argc, argv, opts, usage_usage, 0);
	if (!argc)
		usage_error(usage_usage, opts, "what: import or recount?");
	recount = !strcmp(argv[0], "recount");
	if (!recount && strcmp(argv[0], "import"))
		usage_error(usage_usage, opts, "unknown subcommand '%s' (import, recount)", argv[0]);
	if (recount && (argc > 1 || preset || tz || maps.n || csv || jsonl || rebuild))
		usage_error(usage_usage, opts, "recount takes no files and no options but --no-commit");
	if (!recount && argc < 2)
		usage_error(usage_usage, opts, "which export? name one or more files, or - for stdin");
	if (csv && jsonl)
		usage_error(usage_usage, opts, "--csv and --jsonl do not go together");
	if (psm_usage_config_load(&uc, s->config) < 0)
		die("%s (in %s)", psm_error_last(), PSM_CONFIG_PATH);
	if (!psm_usage_configured(uc))
		die("%s names no onboarding steps and no adoption features: nothing to count (docs/metrics.md)",
		    PSM_CONFIG_PATH);
	if (psm_usage_reader_init(&rd, preset, maps.v, (size_t)maps.n, tz) < 0)
		usage_error(usage_usage, opts, "%s", psm_error_last());
	rd.format = csv ? PSM_USAGE_CSV : jsonl ? PSM_USAGE_JSONL : PSM_USAGE_AUTO;
	s->no_commit |= no_commit;
	check_inputs(argc - 1, argv + 1);
	code = run(s, uc, &rd, argc - 1, argv + 1, rebuild, recount ? "recount" : "import");
	psm_usage_reader_release(&rd);
	psm_usage_config_free(uc);
	opt_list_release(&maps);
	return code;
}
