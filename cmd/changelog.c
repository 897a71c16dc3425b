/* psm changelog [A..B]: release notes from the issues closed between two revisions. */
#include <stdio.h>
#include <string.h>

#include "builtin.h"
#include "changelog-out.h"
#include "parse-options.h"
#include "psm/time.h"
#include "psm/render.h"
#include "psm/site.h"

static const char *const changelog_usage[] = {
	"psm changelog [<options>] [<range>]",
	"psm changelog --check [-v] [--format text|json] [<range>]",
	NULL
};

/* The name goes inside "## [...]": one line, no brackets, and nothing a
 * terminal or a bidi-aware viewer would act on (what psm_sanitize keeps). */
static int release_name_ok(const char *s)
{
	struct strbuf safe = STRBUF_INIT;
	int ok;

	if (!*s || strpbrk(s, "[]"))
		return 0;
	if (psm_sanitize(&safe, s, strlen(s), 0) < 0)
		die_psm();
	ok = !strcmp(safe.buf, s);
	strbuf_release(&safe);
	return ok;
}

/* A release with no entry says why on stderr: its Markdown is a heading
 * alone, which reads like a fault. */
static void hint_empty(const struct psm_changelog *cl)
{
	size_t i, n = 0;

	for (i = 0; i < cl->ngroups; i++)
		n += cl->groups[i].n;
	if (n)
		return;
	fprintf(stderr, "hint: no issue was closed ");
	if (cl->since) {
		struct strbuf t = STRBUF_INIT;

		if (psm_time_format(&t, cl->since) < 0)
			die_psm();
		fprintf(stderr, "from %s to %s", t.buf, cl->to ? cl->to : "the working tree");
		strbuf_release(&t);
	} else {
		fprintf(stderr, "between %s and %s", cl->from ? cl->from : "the beginning",
			cl->to ? cl->to : "the working tree");
	}
	if (cl->excluded.n)
		fprintf(stderr, " that a changelog shows: %zu left out (psm changelog --check -v says why)",
			cl->excluded.n);
	fprintf(stderr, "\n");
}

/* A date shown in the heading: what --date says, else the end's date for a
 * named release (the end commit's, so the same range gives the same text;
 * today for the working tree), else none. */
static const char *heading_date(struct strbuf *sb, const char *date, const char *release,
				const struct psm_changelog *cl)
{
	int64_t t;

	if (date) {
		if (strlen(date) != 10 || psm_time_parse(date, &t) < 0)
			die("invalid date '%s' for --date: use YYYY-MM-DD", date);
		return date;
	}
	if (!strcmp(release, "Unreleased"))
		return NULL;
	if (psm_time_format(sb, cl->to_time ? cl->to_time : now_or_die()) < 0)
		die_psm();
	strbuf_setlen(sb, 10);
	return sb->buf;
}

int cmd_changelog(int argc, const char **argv, struct psm_store *s)
{
	const char *format = NULL, *release = NULL, *date = NULL, *link = NULL, *write = NULL;
	int check = 0, known = 0, no_known = 0, verbose = 0, standalone = 0, code = 0;
	struct psm_changelog_opts o = { 0 };
	struct option opts[] = {
		OPT_STRING(0, "format", &format, "fmt", "md (default), json, html or text; with --check: text or json"),
		OPT_STRING(0, "release", &release, "name", "the release's name in the heading (default: the end's tag, else Unreleased)"),
		OPT_STRING(0, "date", &date, "date", "the release date YYYY-MM-DD (default: the end commit's date; none for Unreleased)"),
		OPT_STRING(0, "since", &o.since, "date", "issues closed since <date> instead of since a start revision"),
		OPT_STRING(0, "link", &link, "url", "link each ID: a URL template with {id} or {short_id}"),
		OPT_BOOL(0, "known-issues", &known, "add Known issues: open issues labelled known-issue"),
		OPT_BOOL(0, "no-known-issues", &no_known, "leave Known issues out even if the config adds them"),
		OPT_BOOL(0, "next", &o.next, "add Coming next: issues in progress"),
		OPT_BOOL(0, "include-private", &o.all, "also list what the rules leave out: private issues (churn, account, answered, internal) and non-changes"),
		OPT_BOOL(0, "all", &o.all, "the same as --include-private"),
		OPT_BOOL(0, "standalone", &standalone, "with --format html: a complete page (the site's look, the config's site: title)"),
		OPT_STRING('w', "write", &write, "file", "put the release into a Keep a Changelog file"),
		OPT_BOOL(0, "check", &o.check, "for CI: list closed issues that would make bad entries; exit 1 if any"),
		OPT_BOOL('v', "verbose", &verbose, "with --check: also list the closed issues left out, and why"),
		OPT_GROUP("<range>: A..B; A.. or A (to the working tree); ..B (from the tag before B);\n"
			  "none: from the newest tag to the working tree. See docs/changelog.md."),
		OPT_END(),
	};
	struct psm_cl_style st = { 0 };
	struct psm_changelog *cl;
	struct strbuf datebuf = STRBUF_INIT;
	enum output_format fmt;

	argc = parse_options(argc, argv, opts, changelog_usage, 0);
	if (argc > 1)
		usage_error(changelog_usage, opts, "too many arguments: give one range, like v1.3..v1.4");
	check = o.check;
	if (check && write)
		usage_error(changelog_usage, opts, "--check and --write do not go together");
	if (verbose && !check)
		usage_error(changelog_usage, opts, "--verbose goes with --check");
	fmt = check ? parse_format(format, "text,json") : parse_format(format ? format : "md", "md,json,html,text");
	if (write && fmt != FMT_MD)
		usage_error(changelog_usage, opts, "--write writes Markdown; leave out --format");
	if (standalone && (check || fmt != FMT_HTML))
		usage_error(changelog_usage, opts, "--standalone goes with --format html");
	if (known && no_known)
		usage_error(changelog_usage, opts, "--known-issues and --no-known-issues contradict each other");
	st.release = release ? release : "Unreleased";
	if (!release_name_ok(st.release))
		die("invalid release name '%s': one line without '[' or ']'", st.release);
	o.range = argc ? argv[0] : NULL;
	o.known_issues = known ? 1 : no_known ? 0 : -1;

	if (psm_changelog_build(&cl, s, &o) < 0)
		die_psm();
	/* a range that ends at a tag is that release, not Unreleased */
	if (!release && cl->to_tag && release_name_ok(psm_release_of_tag(cl->to)))
		st.release = psm_release_of_tag(cl->to);
	st.date = heading_date(&datebuf, date, st.release, cl);
	st.link = link ? link : cl->link;

	if (check) {
		code = changelog_print_check(cl, fmt == FMT_JSON, verbose);
	} else if (write) {
		code = changelog_write(cl, &st, write);
	} else {
		if (fmt == FMT_JSON) {
			print_json(psm_changelog_json(cl, &st));
		} else if (fmt == FMT_HTML && standalone) {
			struct strbuf page = STRBUF_INIT;

			if (psm_changelog_page(&page, cl, &st, s->config) < 0)
				die_psm();
			put_safe(stdout, page.buf, 1);
			strbuf_release(&page);
		} else if (fmt == FMT_HTML) {
			changelog_print_html(cl, &st);
		} else if (fmt == FMT_TEXT) {
			changelog_print_text(cl, &st);
		} else {
			struct strbuf md = STRBUF_INIT;

			if (psm_changelog_markdown(&md, cl, &st) < 0)
				die_psm();
			put_safe(stdout, md.buf, 1);
			strbuf_release(&md);
		}
		code = report_scan_errors(&cl->diag);
		if (fmt != FMT_JSON)
			hint_empty(cl);
	}
	psm_changelog_free(cl);
	strbuf_release(&datebuf);
	return code;
}
