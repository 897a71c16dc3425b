#ifndef PSM_SITE_INT_H
#define PSM_SITE_INT_H
/*
 * Inside the site generator: what a build gathered (site.c) and the
 * renderers of its pages (site-html.c) and feeds (feed.c). Every string
 * here is customer or team text made safe for a terminal (psm_sanitize);
 * the renderers escape it for HTML and XML.
 */
#include <stdint.h>

#include "psm/changelog.h"
#include "psm/config.h"
#include "psm/strbuf.h"

/* The config's site: key. */
struct psm_site_conf {
	char *title, *description, *lang;
	char *url;       /* "" or an http(s) URL ending in '/' */
	char *logo;      /* the logo's src from the site's top folder (a file or a URL), or NULL */
	char *logo_path; /* the repository file to copy as logo, or NULL */
	char *tags;      /* fnmatch pattern of the tags that are releases, or NULL: all */
	char *label;     /* the opt-in label for the roadmap and known issues */
	char *next_status; /* the changelog's in-progress status */
};

/* An issue on the roadmap or the known-issues page: its public part only. */
struct psm_site_item {
	char *short_id, *title;     /* sanitized */
	char *summary, *workaround; /* `## Public summary`, `## Workaround` (Markdown), or NULL */
	char *note;                 /* the release note (shipped items), or NULL */
	char *status;
	size_t customers, reporters;
	int64_t created, updated, closed;
};

struct psm_site_list {
	struct psm_site_item *v;
	size_t n, alloc;
};

struct psm_site_release {
	char *tag;            /* the tag's name */
	char *name;           /* shown: the tag without a 'v' before a digit */
	char *slug;           /* its page is releases/<slug>.html */
	char date[11];        /* YYYY-MM-DD of the tagged commit */
	int64_t time;
	struct psm_changelog *cl;
	size_t entries;
};

struct psm_site_data {
	struct psm_site_conf conf;
	struct psm_site_release *rel; /* newest first */
	size_t nrel, relalloc;
	struct psm_site_list planned, progress, shipped, known;
};

int psm_site_conf_load(struct psm_site_conf *c, const struct psm_config *cfg, const char *url);
void psm_site_conf_release(struct psm_site_conf *c);

/* ---- site-css.c, site-md.c ---- */
extern const char psm_site_css[];
/* HTML-escape text (also for attribute values). */
int psm_html_escape(struct strbuf *out, const char *s);
/* A release note (one paragraph of Markdown) as HTML: inline_only gives
 * the paragraph's content alone, for a list item. */
int psm_site_note_html(struct strbuf *out, const char *note, int inline_only);
/* A release's groups as HTML: <hN> per group, a list of entries. */
int psm_site_release_body(struct strbuf *out, const struct psm_changelog *cl,
			  const struct psm_cl_style *st, int level);
/* Markdown (sanitized) as safe HTML blocks: raw HTML dropped, unsafe links
 * emptied (cmark's safe default), headings made paragraphs so the page's
 * outline stays the page's. */
int psm_site_markdown(struct strbuf *out, const char *md);

/* ---- site-html.c ---- */
int psm_site_page_index(struct strbuf *out, const struct psm_site_data *d);
int psm_site_page_release(struct strbuf *out, const struct psm_site_data *d, size_t i);
int psm_site_page_roadmap(struct strbuf *out, const struct psm_site_data *d);
int psm_site_page_known(struct strbuf *out, const struct psm_site_data *d);
/* The words for an open item's status on a public page. */
const char *psm_site_status_words(const struct psm_site_data *d, const struct psm_site_item *it);

/* ---- feed.c ---- */
int psm_site_feed_releases(struct strbuf *out, const struct psm_site_data *d);
int psm_site_feed_known(struct strbuf *out, const struct psm_site_data *d);

#endif
