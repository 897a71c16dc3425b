#ifndef PSM_SITE_H
#define PSM_SITE_H
/*
 * A static public site from the store (docs/site.md): a changelog page per
 * release tag and an index of releases, a roadmap, a known-issues page, an
 * Atom feed of releases and one of known issues, one stylesheet. What a
 * customer may read is the changelog's rule (psm_cl_verdict) and, for the
 * roadmap and known issues, the team's opt-in label. Building reads only
 * and gives the files' bytes; psm_site_write puts them in a folder.
 */
#include <stddef.h>

#include "psm/changelog.h"
#include "psm/store.h"
#include "psm/strbuf.h"

struct psm_site_file {
	char *path;     /* relative to the site's folder: "index.html", "releases/1.4.0.html" */
	struct strbuf data;
	int written;    /* set by psm_site_write: 1 when it wrote the file */
};

struct psm_site {
	struct psm_site_file *files; /* in path order */
	size_t nfiles, alloc;
	size_t releases, planned, in_progress, shipped, known;
	size_t not_opted_in;         /* strategic or known-issue issues without the label */
	char *public_label;          /* the opt-in label */
	int has_url;                 /* the config or the caller gave the site's URL */
	/* Issue files that could not be read (the site would miss them). */
	struct psm_issue_set diag;
	char **removed;              /* set by psm_site_write: stale files it removed */
	size_t nremoved;
};

struct psm_site_opts {
	const char *url; /* instead of the config's site.url; NULL: the config's */
};

int psm_site_build(struct psm_site **out, struct psm_store *s, const struct psm_site_opts *o);
void psm_site_free(struct psm_site *site);

/*
 * Write the site into dir (made if missing): only the files whose bytes
 * differ, each atomically; a file that is there with other bytes is
 * replaced only if psm wrote it (the folder's manifest, .psm-site, lists
 * what psm wrote), else PSM_EINVALID naming it and nothing is written.
 * Files the last build wrote and this one does not are removed. Returns
 * how many files were written.
 */
int psm_site_write(struct psm_site *site, const char *dir);

/*
 * Markdown as an HTML fragment a public page may carry (`psm changelog
 * --format html`): cmark's safe mode, which empties javascript: and the
 * like links, and raw HTML shown escaped, as the text it is, not dropped.
 * Appends to out.
 */
int psm_markdown_html(struct strbuf *out, const char *md, size_t len);

/*
 * One release as a complete HTML page (`psm changelog --format html
 * --standalone`): the site's look with the stylesheet inline, the config's
 * site: title and lang.
 */
int psm_changelog_page(struct strbuf *out, const struct psm_changelog *cl,
		       const struct psm_cl_style *st, const struct psm_config *cfg);

#endif
