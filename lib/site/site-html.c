/*
 * The site's pages: HTML5 with landmarks and headings in order, relative
 * links (the site works from any folder), nothing that runs. Every piece of
 * text is escaped here; Markdown goes through site-md.c.
 */
#include <stdlib.h>
#include <string.h>

#include "psm/error.h"
#include "psm/time.h"
#include "site-int.h"
#include "psm/site.h"

static void esc(struct strbuf *out, const char *s)
{
	psm_html_escape(out, s);
}

/* ---- pieces ----------------------------------------------------------------- */

static void date_html(struct strbuf *out, int64_t t)
{
	struct strbuf d = STRBUF_INIT;

	psm_time_format(&d, t);
	if (d.len >= 10)
		strbuf_setlen(&d, 10);
	strbuf_addf(out, "<time datetime=\"%s\">%s</time>", d.buf, d.buf);
	strbuf_release(&d);
}

/* "added" from "Added": a class name for the group's colour. */
static void group_class(struct strbuf *out, const char *name)
{
	strbuf_addstr(out, "group g-");
	for (; *name; name++)
		if ((*name >= 'a' && *name <= 'z') || (*name >= '0' && *name <= '9'))
			strbuf_addch(out, *name);
		else if (*name >= 'A' && *name <= 'Z')
			strbuf_addch(out, *name - 'A' + 'a');
}

static int entry_html(struct strbuf *out, const struct psm_cl_entry *e, const struct psm_cl_style *st)
{
	struct strbuf url = STRBUF_INIT;
	int r;

	strbuf_addstr(out, "<li>");
	if (e->note) {
		if ((r = psm_site_note_html(out, e->note, 1)) < 0)
			return r;
	} else {
		esc(out, e->title);
	}
	strbuf_addstr(out, " <span class=\"meta\">(");
	if ((r = psm_cl_entry_url(&url, e, st)) > 0) {
		strbuf_addstr(out, "<a href=\"");
		esc(out, url.buf);
		strbuf_addf(out, "\">%s</a>", e->short_id);
	} else {
		strbuf_addstr(out, e->short_id);
	}
	if (e->reporters)
		strbuf_addf(out, ", reported by %zu customer%s", e->reporters,
			    e->reporters == 1 ? "" : "s");
	strbuf_addstr(out, ")</span></li>\n");
	strbuf_release(&url);
	return r < 0 ? r : out->oom ? psm_oom() : 0;
}

static int list_html(struct strbuf *out, const struct psm_cl_list *l, const struct psm_cl_style *st,
		     int level)
{
	size_t i;
	int r;

	if (!l->n)
		return 0;
	strbuf_addstr(out, "<section class=\"");
	group_class(out, l->name);
	strbuf_addf(out, "\">\n<h%d>", level);
	esc(out, l->name);
	strbuf_addf(out, "</h%d>\n<ul class=\"entries\">\n", level);
	for (i = 0; i < l->n; i++)
		if ((r = entry_html(out, &l->v[i], st)) < 0)
			return r;
	strbuf_addstr(out, "</ul>\n</section>\n");
	return out->oom ? psm_oom() : 0;
}

int psm_site_release_body(struct strbuf *out, const struct psm_changelog *cl,
			  const struct psm_cl_style *st, int level)
{
	size_t i, n = 0;
	int r;

	for (i = 0; i < cl->ngroups; i++) {
		n += cl->groups[i].n;
		if ((r = list_html(out, &cl->groups[i], st, level)) < 0)
			return r;
	}
	if (!n)
		strbuf_addstr(out, "<p class=\"empty\">No customer-facing changes in this release.</p>\n");
	if (cl->has_known && (r = list_html(out, &cl->known, st, level)) < 0)
		return r;
	if (cl->has_next && (r = list_html(out, &cl->next, st, level)) < 0)
		return r;
	return out->oom ? psm_oom() : 0;
}

/* ---- the page around the content -------------------------------------------- */

struct page {
	const char *path;  /* the page's file in the site: links are relative to it */
	const char *title; /* NULL: the site's title alone */
	const char *description;
	const char *nav;   /* which navigation entry is this page; NULL: none at all */
	int wide;
	int standalone;    /* the stylesheet inline, no links to the rest of a site */
};

static void up(struct strbuf *out, const char *path)
{
	for (; *path; path++)
		if (*path == '/')
			strbuf_addstr(out, "../");
}

static void href(struct strbuf *out, const struct page *p, const char *target)
{
	up(out, p->path);
	strbuf_addstr(out, target);
}

static void nav_item(struct strbuf *out, const struct page *p, const char *key, const char *file,
		     const char *label)
{
	strbuf_addstr(out, "<li><a href=\"");
	href(out, p, file);
	strbuf_addch(out, '"');
	/* "page" only on the page itself; a release page is in the changelog's
	 * part of the site ("true": the current item of the set) */
	if (!strcmp(p->nav, key))
		strbuf_addf(out, " aria-current=\"%s\"", !strcmp(p->path, file) ? "page" : "true");
	strbuf_addf(out, ">%s</a></li>\n", label);
}

static void page_begin(struct strbuf *out, const struct psm_site_conf *c, const struct page *p)
{
	strbuf_addstr(out, "<!DOCTYPE html>\n<html lang=\"");
	esc(out, c->lang);
	/* the pages need no script: none runs, even one that customer text
	 * smuggled past the escaping */
	strbuf_addstr(out, "\">\n<head>\n<meta charset=\"utf-8\">\n"
			   "<meta http-equiv=\"Content-Security-Policy\" content=\"script-src 'none'; "
			   "object-src 'none'; base-uri 'none'; form-action 'none'\">\n"
			   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
			   "<meta name=\"color-scheme\" content=\"light dark\">\n"
			   "<meta name=\"generator\" content=\"psm\">\n<title>");
	if (p->title) {
		esc(out, p->title);
		strbuf_addstr(out, " · ");
	}
	esc(out, c->title);
	strbuf_addstr(out, "</title>\n");
	if (p->description) {
		strbuf_addstr(out, "<meta name=\"description\" content=\"");
		esc(out, p->description);
		strbuf_addstr(out, "\">\n");
	}
	if (*c->url && !p->standalone) {
		strbuf_addstr(out, "<link rel=\"canonical\" href=\"");
		esc(out, c->url);
		if (strcmp(p->path, "index.html"))
			esc(out, p->path);
		strbuf_addstr(out, "\">\n");
	}
	if (p->standalone) {
		strbuf_addf(out, "<style>\n%s</style>\n", psm_site_css);
	} else {
		strbuf_addstr(out, "<link rel=\"stylesheet\" href=\"");
		href(out, p, "style.css");
		strbuf_addstr(out, "\">\n<link rel=\"alternate\" type=\"application/atom+xml\" title=\"");
		esc(out, c->title);
		strbuf_addstr(out, ": releases\" href=\"");
		href(out, p, "feed.xml");
		strbuf_addstr(out, "\">\n<link rel=\"alternate\" type=\"application/atom+xml\" title=\"");
		esc(out, c->title);
		strbuf_addstr(out, ": known issues\" href=\"");
		href(out, p, "known-issues.xml");
		strbuf_addstr(out, "\">\n");
	}
	strbuf_addstr(out, "</head>\n<body>\n<a class=\"skip\" href=\"#main\">Skip to content</a>\n"
			   "<header class=\"site\">\n<div class=\"wrap");
	strbuf_addstr(out, p->wide ? " wide\">\n" : "\">\n");
	if (p->standalone) {
		strbuf_addstr(out, "<p class=\"brand\">");
		esc(out, c->title);
		strbuf_addstr(out, "</p>\n");
	} else {
		strbuf_addstr(out, "<a class=\"brand\" href=\"");
		href(out, p, "index.html");
		strbuf_addstr(out, "\">");
		if (c->logo) {
			strbuf_addstr(out, "<img src=\"");
			if (!strstr(c->logo, "://"))
				up(out, p->path);
			esc(out, c->logo);
			strbuf_addstr(out, "\" alt=\"\" width=\"32\" height=\"32\">");
		}
		esc(out, c->title);
		strbuf_addstr(out, "</a>\n<nav aria-label=\"Main\">\n<ul>\n");
		nav_item(out, p, "index", "index.html", "Changelog");
		nav_item(out, p, "roadmap", "roadmap.html", "Roadmap");
		nav_item(out, p, "known", "known-issues.html", "Known issues");
		strbuf_addstr(out, "</ul>\n</nav>\n");
	}
	strbuf_addstr(out, "</div>\n</header>\n<main id=\"main\" class=\"wrap");
	strbuf_addstr(out, p->wide ? " wide\">\n" : "\">\n");
}

static int page_end(struct strbuf *out, const struct page *p)
{
	strbuf_addstr(out, "</main>\n<footer class=\"site\">\n<div class=\"wrap");
	strbuf_addstr(out, p->wide ? " wide\">\n" : "\">\n");
	if (!p->standalone) {
		strbuf_addstr(out, "<p>Follow along: <a href=\"");
		href(out, p, "feed.xml");
		strbuf_addstr(out, "\">releases feed</a> · <a href=\"");
		href(out, p, "known-issues.xml");
		strbuf_addstr(out, "\">known issues feed</a> (Atom)</p>\n");
	}
	strbuf_addstr(out, "<p>Published with psm from the team's issue files.</p>\n"
			   "</div>\n</footer>\n</body>\n</html>\n");
	return out->oom ? psm_oom() : 0;
}

/* ---- pages ---------------------------------------------------------------------- */

static void group_counts(struct strbuf *out, const struct psm_changelog *cl)
{
	size_t i;
	int first = 1;

	for (i = 0; i < cl->ngroups; i++) {
		if (!cl->groups[i].n)
			continue;
		strbuf_addstr(out, first ? "" : " · ");
		esc(out, cl->groups[i].name);
		strbuf_addf(out, " %zu", cl->groups[i].n);
		first = 0;
	}
	if (first)
		strbuf_addstr(out, "no customer-facing changes");
}

static void release_style(struct psm_cl_style *st, const struct psm_site_release *r)
{
	st->release = r->name;
	st->date = r->date;
	st->link = r->cl->link;
}

int psm_site_page_index(struct strbuf *out, const struct psm_site_data *d)
{
	struct page p = { "index.html", NULL, d->conf.description, "index", 0, 0 };
	struct psm_cl_style st = { 0 };
	size_t i;
	int r;

	if (!p.description)
		p.description = "Every release: what was added, changed and fixed.";
	page_begin(out, &d->conf, &p);
	strbuf_addstr(out, "<h1>");
	esc(out, d->conf.title);
	strbuf_addstr(out, "</h1>\n");
	if (d->conf.description) {
		strbuf_addstr(out, "<p class=\"lead\">");
		esc(out, d->conf.description);
		strbuf_addstr(out, "</p>\n");
	}
	if (d->known.n)
		strbuf_addf(out, "<p class=\"notice\">There %s <a href=\"known-issues.html\">%zu known issue%s</a> we are working on.</p>\n",
			    d->known.n == 1 ? "is" : "are", d->known.n, d->known.n == 1 ? "" : "s");
	if (!d->nrel) {
		strbuf_addstr(out, "<p class=\"empty\">No releases yet.</p>\n");
		return page_end(out, &p);
	}
	release_style(&st, &d->rel[0]);
	strbuf_addstr(out, "<section aria-labelledby=\"latest\">\n<h2 id=\"latest\">Latest release: <a href=\"releases/");
	esc(out, d->rel[0].slug);
	strbuf_addstr(out, ".html\">");
	esc(out, d->rel[0].name);
	strbuf_addstr(out, "</a></h2>\n<p class=\"meta\">");
	date_html(out, d->rel[0].time);
	strbuf_addstr(out, "</p>\n");
	if ((r = psm_site_release_body(out, d->rel[0].cl, &st, 3)) < 0)
		return r;
	strbuf_addstr(out, "</section>\n<section aria-labelledby=\"all\">\n<h2 id=\"all\">All releases</h2>\n<ol class=\"releases\">\n");
	for (i = 0; i < d->nrel; i++) {
		strbuf_addstr(out, "<li><a href=\"releases/");
		esc(out, d->rel[i].slug);
		strbuf_addstr(out, ".html\">");
		esc(out, d->rel[i].name);
		strbuf_addstr(out, "</a> ");
		date_html(out, d->rel[i].time);
		strbuf_addstr(out, " <span class=\"meta\">");
		group_counts(out, d->rel[i].cl);
		strbuf_addstr(out, "</span></li>\n");
	}
	strbuf_addstr(out, "</ol>\n</section>\n");
	return page_end(out, &p);
}

static void pager_link(struct strbuf *out, const struct psm_site_release *r, const char *rel,
		       const char *word)
{
	strbuf_addf(out, "<li>%s: <a rel=\"%s\" href=\"", word, rel);
	esc(out, r->slug);
	strbuf_addstr(out, ".html\">");
	esc(out, r->name);
	strbuf_addstr(out, "</a></li>\n");
}

int psm_site_page_release(struct strbuf *out, const struct psm_site_data *d, size_t i)
{
	const struct psm_site_release *rel = &d->rel[i];
	struct strbuf title = STRBUF_INIT, path = STRBUF_INIT, desc = STRBUF_INIT;
	struct page p = { NULL, NULL, NULL, "index", 0, 0 };
	struct psm_cl_style st = { 0 };
	int r;

	strbuf_addf(&title, "Release %s", rel->name);
	strbuf_addf(&path, "releases/%s.html", rel->slug);
	strbuf_addf(&desc, "What changed in %s %s (%s).", d->conf.title, rel->name, rel->date);
	p.path = path.buf;
	p.title = title.buf;
	p.description = desc.buf;
	release_style(&st, rel);
	page_begin(out, &d->conf, &p);
	strbuf_addstr(out, "<p class=\"back\"><a href=\"../index.html\">All releases</a></p>\n<h1>");
	esc(out, title.buf);
	strbuf_addstr(out, "</h1>\n<p class=\"meta\">");
	date_html(out, rel->time);
	strbuf_addstr(out, " · ");
	group_counts(out, rel->cl);
	strbuf_addstr(out, "</p>\n");
	r = psm_site_release_body(out, rel->cl, &st, 2);
	if (r >= 0 && d->nrel > 1) {
		strbuf_addstr(out, "<nav class=\"pager\" aria-label=\"Other releases\">\n<ul>\n");
		if (i + 1 < d->nrel)
			pager_link(out, &d->rel[i + 1], "prev", "Older");
		if (i > 0)
			pager_link(out, &d->rel[i - 1], "next", "Newer");
		strbuf_addstr(out, "</ul>\n</nav>\n");
	}
	if (r >= 0)
		r = page_end(out, &p);
	strbuf_release(&title);
	strbuf_release(&path);
	strbuf_release(&desc);
	return r;
}

/* How many asked: distinct reporters (what the changelog calls customers),
 * or distinct customer accounts when more accounts than people are named. */
static void demand(struct strbuf *out, const struct psm_site_item *it, const char *before,
		   const char *after)
{
	size_t n = it->customers > it->reporters ? it->customers : it->reporters;

	if (n)
		strbuf_addf(out, "%s%zu customer%s%s", before, n, n == 1 ? "" : "s", after);
}

const char *psm_site_status_words(const struct psm_site_data *d, const struct psm_site_item *it)
{
	return psm_streq(it->status, d->conf.next_status) ? "Fix in progress" : "Open";
}

static int item_card(struct strbuf *out, const struct psm_site_item *it, int shipped)
{
	int r = 0;

	strbuf_addstr(out, "<article class=\"card\" id=\"r-");
	esc(out, it->short_id);
	strbuf_addstr(out, "\">\n<h3>");
	esc(out, it->title);
	strbuf_addstr(out, "</h3>\n");
	if (shipped && it->note) {
		strbuf_addstr(out, "<div class=\"md\">\n");
		r = psm_site_note_html(out, it->note, 0);
		strbuf_addstr(out, "</div>\n");
	} else if (it->summary) {
		strbuf_addstr(out, "<div class=\"md\">\n");
		r = psm_site_markdown(out, it->summary);
		strbuf_addstr(out, "</div>\n");
	}
	strbuf_addstr(out, "<p class=\"meta\">");
	demand(out, it, "Asked for by ", " · ");
	strbuf_addstr(out, shipped ? "shipped " : "since ");
	date_html(out, shipped ? it->closed : it->created);
	strbuf_addstr(out, "</p>\n</article>\n");
	return r < 0 ? r : out->oom ? psm_oom() : 0;
}

static int column(struct strbuf *out, const struct psm_site_list *l, const char *id,
		  const char *name, int shipped)
{
	size_t i;
	int r;

	strbuf_addf(out, "<section aria-labelledby=\"%s\">\n<h2 id=\"%s\">%s <span class=\"count\">%zu</span></h2>\n",
		    id, id, name, l->n);
	if (!l->n)
		strbuf_addstr(out, "<p class=\"empty\">Nothing here right now.</p>\n");
	for (i = 0; i < l->n; i++)
		if ((r = item_card(out, &l->v[i], shipped)) < 0)
			return r;
	strbuf_addstr(out, "</section>\n");
	return out->oom ? psm_oom() : 0;
}

int psm_site_page_roadmap(struct strbuf *out, const struct psm_site_data *d)
{
	struct page p = { "roadmap.html", "Roadmap", "What we are building, what is planned and what shipped.",
			  "roadmap", 1, 0 };
	int r;

	page_begin(out, &d->conf, &p);
	strbuf_addstr(out, "<h1>Roadmap</h1>\n<p class=\"lead\">What we plan, what we are building now and what shipped, the most asked-for first.</p>\n<div class=\"columns\">\n");
	if ((r = column(out, &d->planned, "planned", "Planned", 0)) < 0 ||
	    (r = column(out, &d->progress, "in-progress", "In progress", 0)) < 0 ||
	    (r = column(out, &d->shipped, "shipped", "Shipped", 1)) < 0)
		return r;
	strbuf_addstr(out, "</div>\n");
	return page_end(out, &p);
}

int psm_site_page_known(struct strbuf *out, const struct psm_site_data *d)
{
	struct page p = { "known-issues.html", "Known issues",
			  "Problems we know about, what to do in the meantime, and where the fix stands.",
			  "known", 0, 0 };
	size_t i;
	int r = 0;

	page_begin(out, &d->conf, &p);
	strbuf_addstr(out, "<h1>Known issues</h1>\n<p class=\"lead\">Problems we know about, what to do in the meantime, and where the fix stands.</p>\n");
	if (!d->known.n)
		strbuf_addstr(out, "<p class=\"empty\">No known issues right now.</p>\n");
	for (i = 0; i < d->known.n && r >= 0; i++) {
		const struct psm_site_item *it = &d->known.v[i];

		strbuf_addstr(out, "<article class=\"card\" id=\"k-");
		esc(out, it->short_id);
		strbuf_addstr(out, "\">\n<h2>");
		esc(out, it->title);
		strbuf_addf(out, "</h2>\n<p class=\"meta\"><span class=\"badge\">%s</span> since ",
			    psm_site_status_words(d, it));
		date_html(out, it->created);
		demand(out, it, " · ", " affected");
		strbuf_addstr(out, "</p>\n");
		if (it->summary) {
			strbuf_addstr(out, "<div class=\"md\">\n");
			r = psm_site_markdown(out, it->summary);
			strbuf_addstr(out, "</div>\n");
		}
		if (r >= 0 && it->workaround) {
			strbuf_addstr(out, "<h3>Workaround</h3>\n<div class=\"md\">\n");
			r = psm_site_markdown(out, it->workaround);
			strbuf_addstr(out, "</div>\n");
		}
		strbuf_addstr(out, "</article>\n");
	}
	return r < 0 ? r : page_end(out, &p);
}

int psm_changelog_page(struct strbuf *out, const struct psm_changelog *cl,
		       const struct psm_cl_style *st, const struct psm_config *cfg)
{
	struct psm_site_conf c;
	struct strbuf title = STRBUF_INIT;
	struct page p = { "index.html", NULL, NULL, NULL, 0, 1 };
	int r;

	if ((r = psm_site_conf_load(&c, cfg, "")) < 0)
		goto out;
	strbuf_addstr(&title, strcmp(st->release, "Unreleased") ? "Release " : "");
	strbuf_addstr(&title, st->release);
	p.title = title.buf;
	page_begin(out, &c, &p);
	strbuf_addstr(out, "<h1>");
	esc(out, title.buf);
	strbuf_addstr(out, "</h1>\n");
	if (st->date) {
		strbuf_addstr(out, "<p class=\"meta\"><time datetime=\"");
		esc(out, st->date);
		strbuf_addstr(out, "\">");
		esc(out, st->date);
		strbuf_addstr(out, "</time></p>\n");
	}
	if ((r = psm_site_release_body(out, cl, st, 2)) >= 0)
		r = page_end(out, &p);
out:
	psm_site_conf_release(&c);
	strbuf_release(&title);
	return r;
}
