/*
 * psm site: what the public site shows, gathered from the store. Releases
 * are the tags (each one `psm changelog ..TAG`); the roadmap and the known
 * issues are today's files, each issue asked psm_cl_verdict() and shown
 * only with the team's opt-in label. Pages are rendered in site-html.c and
 * feed.c, written by site-write.c.
 */
#include "psm/site.h"

#include <fnmatch.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>

#include "psm/body.h"
#include "psm/conflict.h"
#include "psm/error.h"
#include "psm/git.h"
#include "psm/grow.h"
#include "psm/time.h"
#include "psm/query.h"
#include "psm/render.h"
#include "psm/score.h"
#include "site-int.h"

#define PUBLISHING "psm publishes it on the site"

/* ---- releases ----------------------------------------------------------------- */

/* The release's name, shown: "v1.4.0" is 1.4.0, as docs/ci.md's ${tag#v}. */
static char *release_name(const char *tag)
{
	struct strbuf sb = STRBUF_INIT;

	tag = psm_release_of_tag(tag);
	psm_sanitize(&sb, tag, strlen(tag), 0);
	return strbuf_detach(&sb, NULL);
}

/* A file name from the release name: [A-Za-z0-9._-] kept, other bytes '-',
 * and "-2", "-3"... when two names come out the same. */
static char *release_slug(const struct psm_site_data *d, const char *name)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i, base, k;
	int clash = 1;

	if (*name == '.' || !*name)
		strbuf_addch(&sb, 'r');
	for (i = 0; name[i]; i++)
		strbuf_addch(&sb, strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-",
					 name[i]) ? name[i] : '-');
	base = sb.len;
	for (k = 1; clash && !sb.oom; k++) {
		clash = 0;
		for (i = 0; i < d->nrel && !clash; i++)
			clash = !strcmp(d->rel[i].slug, sb.buf);
		if (clash) {
			strbuf_setlen(&sb, base);
			strbuf_addf(&sb, "-%zu", k + 1);
		}
	}
	return strbuf_detach(&sb, NULL);
}

static int add_release(struct psm_site_data *d, struct psm_store *s, const struct psm_tag *t)
{
	struct psm_changelog_opts o = { 0 };
	struct strbuf range = STRBUF_INIT, date = STRBUF_INIT;
	struct psm_site_release *nv, *r;
	size_t i;
	int e;

	if (!(nv = psm_grow(d->rel, d->nrel, &d->relalloc, sizeof(*nv), 8)))
		return psm_oom();
	d->rel = nv;
	r = &nv[d->nrel];
	memset(r, 0, sizeof(*r));
	/* the same release as `psm changelog ..TAG`: from the tag before it */
	strbuf_addf(&range, "..refs/tags/%s", t->name);
	o.range = range.buf;
	o.known_issues = 0;
	if (range.oom) {
		e = psm_oom();
		goto out;
	}
	if ((e = psm_changelog_build(&r->cl, s, &o)) < 0)
		goto out;
	if (!(r->tag = psm_strdup(t->name)) || !(r->name = release_name(t->name)) ||
	    !(r->slug = release_slug(d, r->name)) || psm_time_format(&date, t->time) < 0 ||
	    date.len < 10) {
		e = psm_oom();
		goto out;
	}
	memcpy(r->date, date.buf, 10);
	r->time = t->time;
	for (i = 0; i < r->cl->ngroups; i++)
		r->entries += r->cl->groups[i].n;
	d->nrel++;
	r = NULL;
	e = 0;
out:
	if (r) {
		psm_changelog_free(r->cl);
		free(r->tag);
		free(r->name);
		free(r->slug);
	}
	strbuf_release(&range);
	strbuf_release(&date);
	return e;
}

/* Every tag that is a release: names a commit of the store, matches site.tags. */
static int gather_releases(struct psm_site_data *d, struct psm_site *site, struct psm_store *s)
{
	struct psm_tag *tags;
	size_t n, i, j;
	int e;

	if ((e = psm_git_tags(&tags, &n, s->git, ".psm/config.yml")) < 0)
		return e;
	for (i = 0; i < n && e >= 0; i++) {
		if (!tags[i].has_path || (d->conf.tags && fnmatch(d->conf.tags, tags[i].name, 0)))
			continue;
		if ((e = add_release(d, s, &tags[i])) < 0)
			break;
		/* a file the release could not read: the site would miss it */
		for (j = 0; j < d->rel[d->nrel - 1].cl->diag.nerrors && e >= 0; j++) {
			const struct psm_scan_error *x = &d->rel[d->nrel - 1].cl->diag.errors[j];

			e = psm_issue_set_error(&site->diag, x->path, x->line, x->col, x->msg);
		}
	}
	psm_git_tags_free(tags, n);
	site->releases = d->nrel;
	return e < 0 ? e : 0;
}

/* ---- roadmap and known issues --------------------------------------------------- */

static char *section_md(const struct psm_issue *is, const char *name, int *e)
{
	struct strbuf raw = STRBUF_INIT, safe = STRBUF_INIT;
	char *out = NULL;

	if ((*e = psm_body_get(&raw, &is->body, name)) >= 0 && raw.len) {
		if (psm_sanitize(&safe, raw.buf, raw.len, 1) < 0 || !(out = strbuf_detach(&safe, NULL)))
			*e = psm_oom();
	}
	strbuf_release(&raw);
	strbuf_release(&safe);
	return out;
}

static int64_t time_of(const struct psm_issue *is, const char *key)
{
	int64_t t = 0;

	if (psm_time_parse(psm_issue_get(is, key), &t) < 0)
		psm_error_clear();
	return t;
}

static int add_item(struct psm_site_list *l, const struct psm_issue *is, size_t abbrev)
{
	struct psm_site_item *nv, *it;
	struct strbuf sb = STRBUF_INIT, note = STRBUF_INIT;
	const char *id = psm_issue_get(is, "id"), *title = psm_issue_get(is, "title");
	int e = 0;

	if (!(nv = psm_grow(l->v, l->n, &l->alloc, sizeof(*nv), 16)))
		return psm_oom();
	l->v = nv;
	it = &nv[l->n++];
	memset(it, 0, sizeof(*it));
	if (!id)
		id = "";
	strbuf_add(&sb, id, strlen(id) < abbrev ? strlen(id) : abbrev);
	it->short_id = strbuf_detach(&sb, NULL);
	if (!title || !*title)
		title = "(untitled)";
	psm_sanitize(&sb, title, strlen(title), 0);
	it->title = strbuf_detach(&sb, NULL);
	it->status = psm_strdup(psm_issue_get(is, "status"));
	if (!it->short_id || !it->title || (psm_issue_get(is, "status") && !it->status))
		return psm_oom();
	it->summary = section_md(is, "Public summary", &e);
	if (e >= 0)
		it->workaround = section_md(is, "Workaround", &e);
	if (e >= 0 && (e = psm_release_note(&note, is)) > 0 &&
	    (psm_sanitize(&sb, note.buf, note.len, 0) < 0 || !(it->note = strbuf_detach(&sb, NULL))))
		e = psm_oom();
	strbuf_release(&sb);
	strbuf_release(&note);
	it->customers = psm_issue_customer_count(is);
	it->reporters = psm_issue_reporter_count(is);
	it->created = time_of(is, "created");
	it->updated = time_of(is, "updated");
	it->closed = time_of(is, "closed");
	return e < 0 ? e : 0;
}

/* The most asked-for first, as psm roadmap: distinct customers, reporters;
 * then the oldest, then by ID (no clock: the same store, the same page). */
static int cmp_demand(const void *x, const void *y)
{
	const struct psm_site_item *a = x, *b = y;

	if (a->customers != b->customers)
		return a->customers < b->customers ? 1 : -1;
	if (a->reporters != b->reporters)
		return a->reporters < b->reporters ? 1 : -1;
	if (a->created != b->created)
		return a->created < b->created ? -1 : 1;
	return strcmp(a->short_id, b->short_id);
}

/* Shipped: the latest close first. */
static int cmp_shipped(const void *x, const void *y)
{
	const struct psm_site_item *a = x, *b = y;

	if (a->closed != b->closed)
		return a->closed < b->closed ? 1 : -1;
	return strcmp(a->short_id, b->short_id);
}

static void sort_list(struct psm_site_list *l, int (*cmp)(const void *, const void *))
{
	if (l->n > 1)
		qsort(l->v, l->n, sizeof(*l->v), cmp);
}

/* Where the issue goes, if anywhere: the changelog's rule first, then the
 * team's opt-in label. */
static int place(struct psm_site_data *d, struct psm_site *site, const struct psm_cl_rules *r,
		 const struct psm_issue *is, size_t abbrev)
{
	struct strbuf why = STRBUF_INIT;
	struct psm_site_list *l = NULL, *l2 = NULL;
	int open = psm_issue_is_open(is), v, e = 0;
	int strategic = psm_streq(psm_issue_get(is, "impact"), "strategic");
	int known = open && psm_issue_list_has(is, "labels", psm_cl_rules_known_label(r));

	if (!strategic && !known)
		return 0;
	if ((v = psm_cl_verdict(&why, r, is)) != PSM_CL_PUBLIC) {
		strbuf_release(&why);
		return v < 0 ? v : 0;
	}
	strbuf_release(&why);
	if (!psm_issue_list_has(is, "labels", d->conf.label)) {
		site->not_opted_in++;
		return 0;
	}
	if (strategic)
		l = !open ? &d->shipped
		    : psm_streq(psm_issue_get(is, "status"), d->conf.next_status) ? &d->progress
										   : &d->planned;
	if (known)
		l2 = &d->known;
	if ((e = psm_issue_refuse_conflict(is, PUBLISHING)) < 0)
		return e;
	if (l && (e = add_item(l, is, abbrev)) < 0)
		return e;
	if (l2 && (e = add_item(l2, is, abbrev)) < 0)
		return e;
	return 0;
}

static int gather_issues(struct psm_site_data *d, struct psm_site *site, struct psm_store *s)
{
	struct psm_issue_set set = { 0 };
	struct psm_cl_rules *r = NULL;
	size_t i, abbrev;
	int e;

	/* every readable file: one that psm check would fault still has its say
	 * here, and holding a conflict marker stops the site only if shown */
	if ((e = psm_cl_rules_new(&r, s->config)) < 0 || (e = psm_store_scan_raw(s, &set)) < 0)
		goto out;
	for (i = 0; i < set.nerrors && e >= 0; i++)
		e = psm_issue_set_error(&site->diag, set.errors[i].path, set.errors[i].line,
					set.errors[i].col, set.errors[i].msg);
	abbrev = psm_issue_set_abbrev(&set);
	for (i = 0; i < set.n && e >= 0; i++)
		e = place(d, site, r, set.v[i], abbrev);
	if (e < 0)
		goto out;
	sort_list(&d->planned, cmp_demand);
	sort_list(&d->progress, cmp_demand);
	sort_list(&d->known, cmp_demand);
	sort_list(&d->shipped, cmp_shipped);
	site->planned = d->planned.n;
	site->in_progress = d->progress.n;
	site->shipped = d->shipped.n;
	site->known = d->known.n;
	e = 0;
out:
	psm_cl_rules_free(r);
	psm_issue_set_release(&set);
	return e;
}

static void list_release(struct psm_site_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].short_id);
		free(l->v[i].title);
		free(l->v[i].summary);
		free(l->v[i].workaround);
		free(l->v[i].note);
		free(l->v[i].status);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static void data_release(struct psm_site_data *d)
{
	size_t i;

	for (i = 0; i < d->nrel; i++) {
		psm_changelog_free(d->rel[i].cl);
		free(d->rel[i].tag);
		free(d->rel[i].name);
		free(d->rel[i].slug);
	}
	free(d->rel);
	list_release(&d->planned);
	list_release(&d->progress);
	list_release(&d->shipped);
	list_release(&d->known);
	psm_site_conf_release(&d->conf);
}

/* ---- files ----------------------------------------------------------------------- */

static struct psm_site_file *add_file(struct psm_site *site, const char *path)
{
	struct psm_site_file *nv, *f;

	if (!(nv = psm_grow(site->files, site->nfiles, &site->alloc, sizeof(*nv), 16)))
		return NULL;
	site->files = nv;
	f = &nv[site->nfiles];
	memset(f, 0, sizeof(*f));
	strbuf_init(&f->data, 0);
	if (!(f->path = psm_strdup(path)))
		return NULL;
	site->nfiles++;
	return f;
}

static int render(struct psm_site *site, const char *path, struct psm_site_data *d,
		  int (*fn)(struct strbuf *, const struct psm_site_data *))
{
	struct psm_site_file *f = add_file(site, path);

	if (!f)
		return psm_oom();
	return fn(&f->data, d) < 0 || f->data.oom ? psm_oom() : 0;
}

static int render_css(struct strbuf *out, const struct psm_site_data *d)
{
	return strbuf_addstr(out, psm_site_css);
}

/* The logo file from the work tree: never through a symbolic link, which
 * could publish a file from outside the repository. */
static int copy_logo(struct psm_site *site, struct psm_store *s, const struct psm_site_conf *c)
{
	struct strbuf full = STRBUF_INIT;
	struct psm_site_file *f;
	struct stat st;
	int e = 0;

	if (!c->logo_path)
		return 0;
	strbuf_addf(&full, "%s%s", s->root, c->logo_path);
	if (!(f = add_file(site, c->logo)))
		e = psm_oom();
	else if (full.oom)
		e = psm_oom();
	else if (!lstat(full.buf, &st) && S_ISLNK(st.st_mode))
		e = psm_error(PSM_EINVALID, "site.logo '%s' is a symbolic link: give the file itself",
			      c->logo_path);
	else if (strbuf_read_file(&f->data, full.buf, 1 << 20) < 0)
		e = psm_error_errno(PSM_EINVALID, "could not read site.logo '%s'", c->logo_path);
	strbuf_release(&full);
	return e;
}

static int cmp_file(const void *x, const void *y)
{
	return strcmp(((const struct psm_site_file *)x)->path, ((const struct psm_site_file *)y)->path);
}

static int render_all(struct psm_site *site, struct psm_site_data *d, struct psm_store *s)
{
	struct strbuf path = STRBUF_INIT;
	struct psm_site_file *f;
	size_t i;
	int e;

	if ((e = render(site, "index.html", d, psm_site_page_index)) < 0 ||
	    (e = render(site, "roadmap.html", d, psm_site_page_roadmap)) < 0 ||
	    (e = render(site, "known-issues.html", d, psm_site_page_known)) < 0 ||
	    (e = render(site, "feed.xml", d, psm_site_feed_releases)) < 0 ||
	    (e = render(site, "known-issues.xml", d, psm_site_feed_known)) < 0 ||
	    (e = render(site, "style.css", d, render_css)) < 0 ||
	    (e = copy_logo(site, s, &d->conf)) < 0)
		goto out;
	for (i = 0; i < d->nrel; i++) {
		strbuf_reset(&path);
		strbuf_addf(&path, "releases/%s.html", d->rel[i].slug);
		if (path.oom || !(f = add_file(site, path.buf))) {
			e = psm_oom();
			goto out;
		}
		if ((e = psm_site_page_release(&f->data, d, i)) < 0)
			goto out;
		if (f->data.oom) {
			e = psm_oom();
			goto out;
		}
	}
	qsort(site->files, site->nfiles, sizeof(*site->files), cmp_file);
out:
	strbuf_release(&path);
	return e;
}

int psm_site_build(struct psm_site **out, struct psm_store *s, const struct psm_site_opts *o)
{
	struct psm_site_data d = { 0 };
	struct psm_site *site = calloc(1, sizeof(*site));
	int e;

	*out = NULL;
	if (!site)
		return psm_oom();
	if ((e = psm_site_conf_load(&d.conf, s->config, o ? o->url : NULL)) < 0 ||
	    (e = gather_releases(&d, site, s)) < 0 || (e = gather_issues(&d, site, s)) < 0 ||
	    (e = render_all(site, &d, s)) < 0)
		goto out;
	site->has_url = *d.conf.url != '\0';
	if (!(site->public_label = psm_strdup(d.conf.label))) {
		e = psm_oom();
		goto out;
	}
	*out = site;
	site = NULL;
out:
	data_release(&d);
	psm_site_free(site);
	return e;
}

void psm_site_free(struct psm_site *site)
{
	size_t i;

	if (!site)
		return;
	for (i = 0; i < site->nfiles; i++) {
		free(site->files[i].path);
		strbuf_release(&site->files[i].data);
	}
	free(site->files);
	for (i = 0; i < site->nremoved; i++)
		free(site->removed[i]);
	free(site->removed);
	free(site->public_label);
	psm_issue_set_release(&site->diag);
	free(site);
}
