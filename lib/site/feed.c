/*
 * The site's Atom feeds (RFC 4287): one entry per release, newest first,
 * and one per known issue. Times come from the store (the tagged commit,
 * the created and updated), never from the clock, so the same
 * store gives the same feed. With the site's URL, ids and links are
 * absolute; without it links are relative to the feed and ids are URNs
 * made from the title.
 */
#include <string.h>

#include "psm/error.h"
#include "psm/time.h"
#include "site-int.h"

/* XML character data and attribute values (text was sanitized: no
 * control characters XML 1.0 forbids). */
static void xml(struct strbuf *out, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': strbuf_addstr(out, "&amp;"); break;
		case '<': strbuf_addstr(out, "&lt;"); break;
		case '>': strbuf_addstr(out, "&gt;"); break;
		case '"': strbuf_addstr(out, "&quot;"); break;
		default: strbuf_addch(out, *s);
		}
	}
}

static void slug(struct strbuf *out, const char *s)
{
	for (; *s; s++)
		strbuf_addch(out, (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '.' || *s == '-'
					  ? *s
				  : *s >= 'A' && *s <= 'Z' ? *s - 'A' + 'a'
							   : '-');
}

static void when(struct strbuf *out, const char *tag, int64_t t)
{
	strbuf_addf(out, "<%s>", tag);
	psm_time_format(out, t);
	strbuf_addf(out, "</%s>\n", tag);
}

/* The page's address: absolute with the site's URL, else relative. */
static void link_to(struct strbuf *out, const struct psm_site_conf *c, const char *page)
{
	xml(out, c->url);
	xml(out, page);
}

static void id_of(struct strbuf *out, const struct psm_site_conf *c, const char *page,
		  const char *kind, const char *name)
{
	strbuf_addstr(out, "<id>");
	if (*c->url) {
		link_to(out, c, page);
	} else {
		strbuf_addstr(out, "urn:psm:");
		slug(out, c->title);
		strbuf_addf(out, ":%s", kind);
		if (name) {
			strbuf_addch(out, ':');
			slug(out, name);
		}
	}
	strbuf_addstr(out, "</id>\n");
}

static void feed_begin(struct strbuf *out, const struct psm_site_conf *c, const char *self,
		       const char *kind, const char *what, const char *page, int64_t updated)
{
	strbuf_addstr(out, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
			   "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"");
	xml(out, c->lang);
	strbuf_addstr(out, "\">\n<title>");
	xml(out, c->title);
	strbuf_addf(out, ": %s</title>\n", what);
	if (c->description) {
		strbuf_addstr(out, "<subtitle>");
		xml(out, c->description);
		strbuf_addstr(out, "</subtitle>\n");
	}
	id_of(out, c, self, kind, NULL);
	if (*c->url) {
		strbuf_addstr(out, "<link rel=\"self\" type=\"application/atom+xml\" href=\"");
		link_to(out, c, self);
		strbuf_addstr(out, "\"/>\n");
	}
	strbuf_addstr(out, "<link rel=\"alternate\" type=\"text/html\" href=\"");
	link_to(out, c, page);
	strbuf_addstr(out, "\"/>\n");
	when(out, "updated", updated);
	strbuf_addstr(out, "<author><name>");
	xml(out, c->title);
	strbuf_addstr(out, "</name></author>\n<generator>psm</generator>\n");
}

int psm_site_feed_releases(struct strbuf *out, const struct psm_site_data *d)
{
	struct strbuf page = STRBUF_INIT, html = STRBUF_INIT;
	struct psm_cl_style st = { 0 };
	int64_t updated = 0;
	size_t i;
	int r = 0;

	for (i = 0; i < d->nrel; i++)
		if (d->rel[i].time > updated)
			updated = d->rel[i].time;
	feed_begin(out, &d->conf, "feed.xml", "releases", "releases", "index.html", updated);
	for (i = 0; i < d->nrel && r >= 0; i++) {
		const struct psm_site_release *rel = &d->rel[i];

		strbuf_reset(&page);
		strbuf_reset(&html);
		strbuf_addf(&page, "releases/%s.html", rel->slug);
		st.release = rel->name;
		st.date = rel->date;
		st.link = rel->cl->link;
		if ((r = psm_site_release_body(&html, rel->cl, &st, 2)) < 0)
			break;
		strbuf_addstr(out, "<entry>\n<title>Release ");
		xml(out, rel->name);
		strbuf_addstr(out, "</title>\n");
		id_of(out, &d->conf, page.buf, "release", rel->name);
		strbuf_addstr(out, "<link rel=\"alternate\" type=\"text/html\" href=\"");
		link_to(out, &d->conf, page.buf);
		strbuf_addstr(out, "\"/>\n");
		when(out, "published", rel->time);
		when(out, "updated", rel->time);
		strbuf_addstr(out, "<content type=\"html\">");
		xml(out, html.buf);
		strbuf_addstr(out, "</content>\n</entry>\n");
	}
	strbuf_addstr(out, "</feed>\n");
	strbuf_release(&page);
	strbuf_release(&html);
	return r < 0 ? r : out->oom ? psm_oom() : 0;
}

int psm_site_feed_known(struct strbuf *out, const struct psm_site_data *d)
{
	struct strbuf page = STRBUF_INIT, html = STRBUF_INIT;
	int64_t updated = 0;
	size_t i;
	int r = 0;

	for (i = 0; i < d->known.n; i++)
		if (d->known.v[i].updated > updated)
			updated = d->known.v[i].updated;
	feed_begin(out, &d->conf, "known-issues.xml", "known-issues", "known issues",
		   "known-issues.html", updated);
	for (i = 0; i < d->known.n && r >= 0; i++) {
		const struct psm_site_item *it = &d->known.v[i];

		strbuf_reset(&page);
		strbuf_reset(&html);
		strbuf_addf(&page, "known-issues.html#k-%s", it->short_id);
		strbuf_addf(&html, "<p>%s</p>\n", psm_site_status_words(d, it));
		if (it->summary)
			r = psm_site_markdown(&html, it->summary);
		if (r >= 0 && it->workaround) {
			strbuf_addstr(&html, "<h3>Workaround</h3>\n");
			r = psm_site_markdown(&html, it->workaround);
		}
		strbuf_addstr(out, "<entry>\n<title>");
		xml(out, it->title);
		strbuf_addstr(out, "</title>\n");
		id_of(out, &d->conf, page.buf, "known-issue", it->short_id);
		strbuf_addstr(out, "<link rel=\"alternate\" type=\"text/html\" href=\"");
		link_to(out, &d->conf, page.buf);
		strbuf_addstr(out, "\"/>\n");
		when(out, "published", it->created);
		when(out, "updated", it->updated > it->created ? it->updated : it->created);
		strbuf_addstr(out, "<content type=\"html\">");
		xml(out, html.buf);
		strbuf_addstr(out, "</content>\n</entry>\n");
	}
	strbuf_addstr(out, "</feed>\n");
	strbuf_release(&page);
	strbuf_release(&html);
	return r < 0 ? r : out->oom ? psm_oom() : 0;
}
