/*
 * psm merge-file BASE OURS THEIRS [PATH]: git's merge driver for issue files
 * (merge.psm.driver = "psm merge-file %O %A %B %P"). The result replaces
 * OURS, as git expects; exit 0 when clean, 1 when conflicts were written.
 * A clean result is checked as every write is (validate.h): a merge never
 * claims success for a file psm check would refuse.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "builtin.h"
#include "psm/fs.h"
#include "psm/merge.h"
#include "parse-options.h"
#include "psm/validate.h"

#define MAX_FILE (64 << 20)

/* The store's config when run inside one (as git runs the driver), else
 * psm's defaults: the vocabulary the merged file is checked against. */
static struct psm_config *load_config(struct psm_store **s)
{
	struct psm_yaml_error err = { 0, 0, STRBUF_INIT };
	struct psm_config *cfg = NULL;

	if (psm_store_open(s, ".") == 0)
		return (*s)->config;
	psm_error_clear();
	if (psm_config_parse(&cfg, NULL, 0, &err) < 0)
		die_psm();
	strbuf_release(&err.msg);
	return cfg;
}

/* Is every problem of the merged file one a side has too (a status the
 * config here does not know yet, from a side that brings it)? */
static int inherited(const struct psm_issue_set *merged, const struct psm_issue_set *sides)
{
	size_t i, j;

	for (i = 0; i < merged->nerrors; i++) {
		for (j = 0; j < sides->nerrors; j++)
			if (!strcmp(merged->errors[i].msg, sides->errors[j].msg))
				break;
		if (j == sides->nerrors)
			return 0;
	}
	return 1;
}

/*
 * A clean merge must give a file psm check accepts (validate.h), or at least
 * one no worse than its sides; else both sides go between conflict markers
 * (1 conflict) and *why says what the merge would have broken.
 */
static int check_merged(struct strbuf *out, struct strbuf *why, const char *path,
			const struct strbuf *ours, const struct strbuf *theirs,
			const struct psm_merge_labels *labels)
{
	struct psm_issue_set merged = { 0 }, sides = { 0 };
	struct psm_store *s = NULL;
	struct psm_config *cfg = load_config(&s);
	int r = 0;

	if (psm_validate_write(&merged, path, out->buf, out->len, cfg) == PSM_EINVALID) {
		strbuf_addstr(why, psm_error_last());
		if (psm_validate_write(&sides, path, ours->buf, ours->len, cfg) == PSM_ENOMEM ||
		    psm_validate_write(&sides, path, theirs->buf, theirs->len, cfg) == PSM_ENOMEM)
			die_psm();
		if (!inherited(&merged, &sides)) {
			strbuf_reset(out);
			strbuf_addf(out, "<<<<<<< %s\n", labels->ours ? labels->ours : "ours");
			strbuf_addbuf(out, ours);
			if (ours->len && ours->buf[ours->len - 1] != '\n')
				strbuf_addch(out, '\n');
			strbuf_addstr(out, "=======\n");
			strbuf_addbuf(out, theirs);
			if (theirs->len && theirs->buf[theirs->len - 1] != '\n')
				strbuf_addch(out, '\n');
			strbuf_addf(out, ">>>>>>> %s\n", labels->theirs ? labels->theirs : "theirs");
			r = 1;
		}
	} else if (psm_error_code() == PSM_ENOMEM) {
		die_psm();
	}
	if (out->oom || why->oom)
		die("out of memory");
	if (s)
		psm_store_free(s);
	else
		psm_config_free(cfg);
	psm_issue_set_release(&merged);
	psm_issue_set_release(&sides);
	return r;
}

static void read_or_die(struct strbuf *sb, const char *path)
{
	if (strbuf_read_file(sb, path, MAX_FILE) < 0)
		die("could not read '%s': %s", path,
		    errno == EFBIG ? "file is larger than 64 MiB" : strerror(errno));
}

int cmd_merge_file(int argc, const char **argv, struct psm_store *unused)
{
	static const char *const usage[] = {
		"psm merge-file [-p] [--ours-label <l>] [--theirs-label <l>] <base> <ours> <theirs> [<path>]",
		NULL
	};
	const char *ours_label = NULL, *theirs_label = NULL;
	int to_stdout = 0, r;
	struct option opts[] = {
		OPT_BOOL('p', "stdout", &to_stdout, "print the result instead of replacing <ours>"),
		OPT_STRING(0, "ours-label", &ours_label, "label", "conflict marker label for <ours> (default: ours)"),
		OPT_STRING(0, "theirs-label", &theirs_label, "label", "conflict marker label for <theirs> (default: theirs)"),
		OPT_END(),
	};
	struct strbuf base = STRBUF_INIT, ours = STRBUF_INIT, theirs = STRBUF_INIT;
	struct strbuf out = STRBUF_INIT, why = STRBUF_INIT;
	struct psm_merge_labels labels;
	const char *path;

	argc = parse_options(argc, argv, opts, usage, 0);
	if (argc < 3 || argc > 4)
		usage_error(usage, opts, "need <base>, <ours> and <theirs> (and optionally <path>)");
	labels.ours = ours_label;
	labels.theirs = theirs_label;
	read_or_die(&base, argv[0]);
	read_or_die(&ours, argv[1]);
	read_or_die(&theirs, argv[2]);
	r = psm_merge_issue(&out, base.buf, base.len, ours.buf, ours.len, theirs.buf,
			    theirs.len, &labels);
	path = argc > 3 ? argv[3] : argv[1];
	if (r < 0)
		die("could not merge '%s': %s", path, psm_error_last());
	if (!r)
		r = check_merged(&out, &why, path, &ours, &theirs, &labels);
	if (to_stdout)
		fwrite(out.buf, 1, out.len, stdout);
	else if (psm_write_file_atomic(argv[1], out.buf, out.len) < 0)
		die_psm();
	if (r > 0) {
		/* the path comes from the repository: keep it from driving the terminal */
		fprintf(stderr, "psm merge-file: %d conflict%s in '", r, r == 1 ? "" : "s");
		put_safe(stderr, path, 0);
		fputs("'", stderr);
		if (why.len) {
			fputs(": the merged file would not pass psm check (", stderr);
			put_safe(stderr, why.buf, 0);
			fputs("), so both sides are left between conflict markers", stderr);
		}
		fputs("\n", stderr);
	}
	strbuf_release(&base);
	strbuf_release(&ours);
	strbuf_release(&theirs);
	strbuf_release(&out);
	strbuf_release(&why);
	return r > 0 ? EXIT_PROBLEMS : 0;
}
