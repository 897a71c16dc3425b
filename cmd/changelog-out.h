#ifndef PSM_CMD_CHANGELOG_OUT_H
#define PSM_CMD_CHANGELOG_OUT_H
/* psm changelog's output, split from option handling (changelog-out.c). */
#include "psm/changelog.h"

/* Plain text for a terminal: headings bold and IDs yellow when colour is on. */
void changelog_print_text(const struct psm_changelog *cl, const struct psm_cl_style *st);
/* cmark's HTML for the release's Markdown. */
void changelog_print_html(const struct psm_changelog *cl, const struct psm_cl_style *st);
/* --check: one line per problem (or JSON); with verbose, one line per
 * closed issue left out and why. Returns the exit code. */
int changelog_print_check(const struct psm_changelog *cl, int json, int verbose);
/* --write FILE; returns the exit code. */
int changelog_write(const struct psm_changelog *cl, const struct psm_cl_style *st,
		    const char *path);

#endif
