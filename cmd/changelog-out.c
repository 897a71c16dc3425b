/* psm changelog: text, HTML, --check and --write. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "changelog-out.h"
#include "common.h"
#include "psm/fs.h"
#include "psm/site.h"

static void text_list(const struct psm_cl_list *l, const struct psm_cl_style *st, int color)
{
	struct strbuf url = STRBUF_INIT;
	size_t i;

	if (!l->n)
		return;
	printf("\n%s%s%s\n", color ? C_BOLD : "", l->name, color ? C_RESET : "");
	for (i = 0; i < l->n; i++) {
		const struct psm_cl_entry *e = &l->v[i];

		fputs("  * ", stdout);
		put_safe(stdout, e->note ? e->note : e->title, 0);
		printf(" (%s%s%s", color ? C_YELLOW : "", e->short_id, color ? C_RESET : "");
		if (e->reporters)
			printf(", reported by %zu customer%s", e->reporters, e->reporters == 1 ? "" : "s");
		fputs(")\n", stdout);
		strbuf_reset(&url);
		if (psm_cl_entry_url(&url, e, st) > 0) {
			fputs("    ", stdout);
			put_safe(stdout, url.buf, 0);
			putchar('\n');
		}
	}
	strbuf_release(&url);
}

void changelog_print_text(const struct psm_changelog *cl, const struct psm_cl_style *st)
{
	int color = want_color();
	size_t i, n = 0;

	printf("%s", color ? C_BOLD : "");
	put_safe(stdout, st->release, 0);
	if (st->date)
		printf(" - %s", st->date);
	printf("%s\n", color ? C_RESET : "");
	for (i = 0; i < cl->ngroups; i++) {
		text_list(&cl->groups[i], st, color);
		n += cl->groups[i].n;
	}
	if (!n)
		printf("\n  (no changes)\n");
	if (cl->has_known)
		text_list(&cl->known, st, color);
	if (cl->has_next)
		text_list(&cl->next, st, color);
}

void changelog_print_html(const struct psm_changelog *cl, const struct psm_cl_style *st)
{
	struct strbuf md = STRBUF_INIT, html = STRBUF_INIT;

	if (psm_changelog_markdown(&md, cl, st) < 0 || psm_markdown_html(&html, md.buf, md.len) < 0)
		die_psm();
	put_safe(stdout, html.buf, 1);
	strbuf_release(&html);
	strbuf_release(&md);
}

int changelog_print_check(const struct psm_changelog *cl, int json, int verbose)
{
	size_t i;

	if (json) {
		print_json(psm_changelog_check_json(cl));
	} else {
		for (i = 0; i < cl->diag.nerrors; i++) {
			const struct psm_scan_error *e = &cl->diag.errors[i];

			printf("%s:%d:%d: error: ", e->path, e->line ? e->line : 1, e->col ? e->col : 1);
			put_safe(stdout, e->msg, 0);
			putchar('\n');
		}
		/* for the team's eyes: titles are shown, made safe */
		for (i = 0; verbose && i < cl->excluded.n; i++) {
			const struct psm_cl_entry *e = &cl->excluded.v[i];

			printf("%s: left out (%s): ", e->issue->path, e->reason);
			put_safe(stdout, e->title, 0);
			putchar('\n');
		}
	}
	if (!cl->diag.nerrors)
		return 0;
	fflush(stdout);
	fprintf(stderr, "psm changelog --check: %zu problem%s among %zu closed issue%s\n",
		cl->diag.nerrors, cl->diag.nerrors == 1 ? "" : "s", cl->checked,
		cl->checked == 1 ? "" : "s");
	return EXIT_PROBLEMS;
}

int changelog_write(const struct psm_changelog *cl, const struct psm_cl_style *st,
		    const char *path)
{
	struct strbuf old = STRBUF_INIT, section = STRBUF_INIT, out = STRBUF_INIT;
	int exists = 1;

	if (report_scan_errors(&cl->diag))
		die("not writing '%s': the release would miss the files above", path);
	if (strbuf_read_file(&old, path, 64 << 20) < 0) {
		if (errno != ENOENT)
			die("could not read '%s': %s", path, strerror(errno));
		exists = 0;
	}
	if (psm_changelog_markdown(&section, cl, st) < 0 ||
	    psm_changelog_splice(&out, exists ? old.buf : NULL, old.len, section.buf, st->release) < 0)
		die_psm();
	if (exists && out.len == old.len && !memcmp(out.buf, old.buf, old.len)) {
		printf("%s: [%s] is up to date\n", path, st->release);
	} else {
		if (psm_write_file_atomic(path, out.buf, out.len) < 0)
			die_psm();
		printf("%s: wrote [%s]\n", path, st->release);
	}
	strbuf_release(&old);
	strbuf_release(&section);
	strbuf_release(&out);
	return 0;
}
