/*
 * psm merge-file BASE OURS THEIRS [PATH]: git's merge driver for issue files
 * (merge.psm.driver = "psm merge-file %O %A %B %P"). The result replaces
 * OURS, as git expects; exit 0 when clean, 1 when conflicts were written.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "builtin.h"
#include "fsutil.h"
#include "merge.h"
#include "parse-options.h"

#define MAX_FILE (64 << 20)

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
	struct strbuf out = STRBUF_INIT;
	struct psm_merge_labels labels;

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
	if (r < 0)
		die("could not merge '%s': %s", argc > 3 ? argv[3] : argv[1], psm_error_last());
	if (to_stdout)
		fwrite(out.buf, 1, out.len, stdout);
	else if (psm_write_file_atomic(argv[1], out.buf, out.len) < 0)
		die_psm();
	if (r > 0) {
		/* the path comes from the repository: keep it from driving the terminal */
		fprintf(stderr, "psm merge-file: %d conflict%s in '", r, r == 1 ? "" : "s");
		put_safe(stderr, argc > 3 ? argv[3] : argv[1], 0);
		fputs("'\n", stderr);
	}
	strbuf_release(&base);
	strbuf_release(&ours);
	strbuf_release(&theirs);
	strbuf_release(&out);
	return r > 0 ? EXIT_PROBLEMS : 0;
}
