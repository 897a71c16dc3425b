/* psm site --out DIR: the public site (changelog, roadmap, known issues, feeds). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "builtin.h"
#include "psm/conflict.h"
#include "psm/fs.h"
#include "parse-options.h"
#include "psm/site.h"

static const char *const site_usage[] = {
	"psm site --out <dir> [--url <url>]",
	NULL
};

/* Is path (resolved) inside dir (resolved), or dir itself? */
static int inside(const char *path, const char *dir)
{
	char *real = realpath(dir, NULL);
	size_t n;
	int in;

	if (!real)
		return 0;
	n = strlen(real);
	while (n > 1 && real[n - 1] == '/')
		n--;
	in = !strncmp(path, real, n) && (path[n] == '/' || !path[n]);
	free(real);
	return in;
}

/*
 * Where out is or would be: the part that exists resolved by realpath(),
 * the rest (which cannot hold a symbolic link: it does not exist) taken
 * component by component, so "new/../.git/x" is the git folder's x, as
 * mkdir -p would make it. NULL when the start cannot be resolved.
 */
static char *future_path(const char *out)
{
	struct strbuf sb = STRBUF_INIT;
	const char *p = out, *end;
	char *real;

	if (!(real = realpath(*out == '/' ? "/" : ".", NULL)))
		return NULL;
	strbuf_addstr(&sb, strcmp(real, "/") ? real : "");
	free(real);
	for (; *p; p = *end ? end + 1 : end) {
		size_t len, n;

		len = strcspn(p, "/");
		end = p + len;
		if (!len || (len == 1 && *p == '.'))
			continue;
		if (len == 2 && p[0] == '.' && p[1] == '.') {
			for (n = sb.len; n && sb.buf[n - 1] != '/'; n--)
				;
			strbuf_setlen(&sb, n ? n - 1 : 0);
			continue;
		}
		strbuf_addch(&sb, '/');
		strbuf_add(&sb, p, len);
		if (!sb.oom && (real = realpath(sb.buf, NULL))) {
			strbuf_reset(&sb);
			strbuf_addstr(&sb, strcmp(real, "/") ? real : "");
			free(real);
		}
	}
	if (!sb.len)
		strbuf_addch(&sb, '/');
	if (sb.oom)
		die("out of memory");
	return strbuf_detach(&sb, NULL);
}

/* Die if real (resolved) is git's or psm's own. */
static void refuse_own(struct psm_store *s, const char *real, const char *out)
{
	struct strbuf sb = STRBUF_INIT;

	if (inside(real, psm_git_gitdir(s->git)))
		die("'%s' is inside the repository's git folder: give another --out", out);
	strbuf_addf(&sb, "%s%s", s->root, PSM_ISSUE_DIR);
	if (inside(real, sb.buf))
		die("'%s' is inside the store's issues folder: give another --out", out);
	strbuf_reset(&sb);
	strbuf_addf(&sb, "%s.psm", s->root);
	if (inside(real, sb.buf))
		die("'%s' is inside the store's .psm folder: give another --out", out);
	strbuf_release(&sb);
}

/* The folder, made if missing; never one of git's or psm's own, checked
 * before anything is made there and again once it is there. */
static void check_out_dir(struct psm_store *s, const char *out)
{
	struct strbuf sb = STRBUF_INIT;
	char *real;

	if (!(real = future_path(out)))
		die("could not resolve '%s': %s", out, strerror(errno));
	refuse_own(s, real, out);
	free(real);
	strbuf_addf(&sb, "%s/x", out);
	if (sb.oom)
		die("out of memory");
	if (psm_mkdir_parents(sb.buf) < 0)
		die_psm();
	strbuf_release(&sb);
	if (!(real = realpath(out, NULL)))
		die("could not open '%s': %s", out, strerror(errno));
	refuse_own(s, real, out);
	free(real);
}

/* A conflict marker in the config would be published as the site's title. */
static void check_config(struct psm_store *s)
{
	struct strbuf path = STRBUF_INIT, text = STRBUF_INIT;
	int line;

	strbuf_addf(&path, "%s%s", s->root, PSM_CONFIG_PATH);
	if (!path.oom && strbuf_read_file(&text, path.buf, 16 << 20) == 0 &&
	    (line = psm_conflict_line(text.buf, text.len)))
		die("%s:%d: unresolved merge conflict: resolve it before psm publishes the site",
		    PSM_CONFIG_PATH, line);
	strbuf_release(&path);
	strbuf_release(&text);
}

int cmd_site(int argc, const char **argv, struct psm_store *s)
{
	const char *out = NULL;
	struct psm_site_opts o = { 0 };
	struct option opts[] = {
		OPT_STRING('o', "out", &out, "dir", "write the site into <dir> (made if missing)"),
		OPT_STRING(0, "url", &o.url, "url", "the site's address, instead of the config's site.url"),
		OPT_END(),
	};
	struct psm_site *site;
	size_t i;
	int written;

	argc = parse_options(argc, argv, opts, site_usage, 0);
	if (argc)
		usage_error(site_usage, opts, "unexpected argument '%s'", argv[0]);
	if (!out || !*out)
		usage_error(site_usage, opts, "say where the site goes: --out <dir>");
	check_config(s);
	if (psm_site_build(&site, s, &o) < 0)
		die_psm();
	if (report_scan_errors(&site->diag))
		die("not writing the site: it would miss the files above");
	check_out_dir(s, out);
	if ((written = psm_site_write(site, out)) < 0)
		die_psm();
	for (i = 0; i < site->nfiles; i++)
		if (site->files[i].written)
			printf("wrote %s\n", site->files[i].path);
	for (i = 0; i < site->nremoved; i++)
		printf("removed %s\n", site->removed[i]);
	printf("%s: %zu release%s, roadmap %zu planned, %zu in progress, %zu shipped, %zu known issue%s; %d file%s written, %zu up to date\n",
	       out, site->releases, site->releases == 1 ? "" : "s", site->planned, site->in_progress,
	       site->shipped, site->known, site->known == 1 ? "" : "s", written, written == 1 ? "" : "s",
	       site->nfiles - (size_t)written);
	if (site->not_opted_in)
		fprintf(stderr, "hint: %zu issue%s for the roadmap or known issues left off the site: not labelled '%s' (psm tag ID +%s publishes one)\n",
			site->not_opted_in, site->not_opted_in == 1 ? "" : "s", site->public_label,
			site->public_label);
	if (!site->has_url)
		fprintf(stderr, "hint: no site.url in the config (or --url): pages have no canonical address and the feeds' links are relative\n");
	psm_site_free(site);
	return 0;
}
