/* Rendering a release: Keep a Changelog Markdown, JSON, and --write's splice. */
#include <string.h>

#include "psm/changelog.h"
#include "psm/error.h"
#include "psm/time.h"

/*
 * Titles are customer text, not Markdown: escape what Markdown would read
 * as markup, and whatever at the start would open a block (a nested list,
 * quote or heading) inside the list item.
 */
static void md_escape(struct strbuf *out, const char *s)
{
	size_t i, digits = strspn(s, "0123456789");

	for (i = 0; s[i]; i++) {
		if (strchr("\\`*_[]<>&", s[i]) || (i == 0 && strchr("-+=#>~|", s[i])) ||
		    (digits && digits < 10 && i == digits && (s[i] == '.' || s[i] == ')')))
			strbuf_addch(out, '\\');
		strbuf_addch(out, s[i]);
	}
}

/* Release notes are Markdown already; only a block marker up front is escaped. */
static void md_note(struct strbuf *out, const char *s)
{
	size_t digits = strspn(s, "0123456789");

	if (s[0] == '#' || s[0] == '>' ||
	    ((s[0] == '-' || s[0] == '+' || s[0] == '*') && (s[1] == ' ' || !s[1])))
		strbuf_addch(out, '\\');
	else if (digits && digits < 10 && (s[digits] == '.' || s[digits] == ')')) {
		strbuf_add(out, s, digits);
		strbuf_addch(out, '\\');
		s += digits;
	}
	strbuf_addstr(out, s);
}

int psm_cl_entry_url(struct strbuf *out, const struct psm_cl_entry *e, const struct psm_cl_style *st)
{
	const char *p;

	if (!st->link || !*st->link)
		return 0;
	for (p = st->link; *p; p++) {
		if (!strncmp(p, "{id}", 4)) {
			strbuf_addstr(out, e->id);
			p += 3;
		} else if (!strncmp(p, "{short_id}", 10)) {
			strbuf_addstr(out, e->short_id);
			p += 9;
		} else if (strchr(" <>()", *p)) {
			/* would end a Markdown link destination early */
			strbuf_addf(out, "%%%02X", (unsigned char)*p);
		} else {
			strbuf_addch(out, *p);
		}
	}
	return out->oom ? psm_oom() : 1;
}

int psm_cl_entry_markdown(struct strbuf *out, const struct psm_cl_entry *e,
			  const struct psm_cl_style *st)
{
	struct strbuf url = STRBUF_INIT;
	int r;

	if (e->note)
		md_note(out, e->note);
	else
		md_escape(out, e->title);
	strbuf_addstr(out, " (");
	if ((r = psm_cl_entry_url(&url, e, st)) > 0)
		strbuf_addf(out, "[%s](%s)", e->short_id, url.buf);
	else
		strbuf_addstr(out, e->short_id);
	if (e->reporters)
		strbuf_addf(out, ", reported by %zu customer%s", e->reporters,
			    e->reporters == 1 ? "" : "s");
	strbuf_addch(out, ')');
	strbuf_release(&url);
	return r < 0 ? r : out->oom ? psm_oom() : 0;
}

static int md_list(struct strbuf *out, const struct psm_cl_list *l, const struct psm_cl_style *st)
{
	size_t i;
	int r;

	if (!l->n)
		return 0;
	strbuf_addf(out, "\n### %s\n\n", l->name);
	for (i = 0; i < l->n; i++) {
		strbuf_addstr(out, "- ");
		if ((r = psm_cl_entry_markdown(out, &l->v[i], st)) < 0)
			return r;
		strbuf_addch(out, '\n');
	}
	return 0;
}

int psm_changelog_markdown(struct strbuf *out, const struct psm_changelog *cl,
			   const struct psm_cl_style *st)
{
	size_t i;
	int r = 0;

	strbuf_addf(out, "## [%s]", st->release);
	if (st->date)
		strbuf_addf(out, " - %s", st->date);
	strbuf_addch(out, '\n');
	for (i = 0; i < cl->ngroups && !r; i++)
		r = md_list(out, &cl->groups[i], st);
	if (!r && cl->has_known)
		r = md_list(out, &cl->known, st);
	if (!r && cl->has_next)
		r = md_list(out, &cl->next, st);
	return r < 0 ? r : out->oom ? psm_oom() : 0;
}

/* ---- JSON ------------------------------------------------------------------ */

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *entry_json(const struct psm_cl_entry *e, const struct psm_cl_style *st)
{
	const struct psm_node *labels = psm_issue_node(e->issue, "labels");
	struct strbuf sb = STRBUF_INIT;
	json_t *o = json_object(), *l = json_array();
	size_t i;
	int bad = !o || !l;

	for (i = 0; !bad && labels && labels->kind == PSM_SEQ && i < labels->n; i++)
		if (psm_node_str(labels->items[i]))
			bad |= json_array_append_new(l, json_string(labels->items[i]->str)) < 0;
	bad |= json_object_set_new(o, "id", json_string(e->id)) < 0;
	bad |= json_object_set_new(o, "short_id", json_string(e->short_id)) < 0;
	bad |= json_object_set_new(o, "title", json_string(e->title)) < 0;
	bad |= json_object_set_new(o, "release_note", str_or_null(e->note)) < 0;
	bad |= psm_cl_entry_markdown(&sb, e, st) < 0;
	bad |= json_object_set_new(o, "markdown", json_string(sb.buf)) < 0;
	bad |= json_object_set_new(o, "type", str_or_null(psm_issue_get(e->issue, "type"))) < 0;
	bad |= json_object_set_new(o, "status", str_or_null(psm_issue_get(e->issue, "status"))) < 0;
	bad |= json_object_set_new(o, "resolution",
				   str_or_null(psm_issue_get(e->issue, "resolution"))) < 0;
	bad |= json_object_set_new(o, "labels", l) < 0;
	l = NULL;
	bad |= json_object_set_new(o, "closed", str_or_null(psm_issue_get(e->issue, "closed"))) < 0;
	bad |= json_object_set_new(o, "reporters", json_integer((json_int_t)e->reporters)) < 0;
	strbuf_reset(&sb);
	bad |= psm_cl_entry_url(&sb, e, st) < 0;
	bad |= json_object_set_new(o, "url", sb.len ? json_string(sb.buf) : json_null()) < 0;
	bad |= json_object_set_new(o, "path", str_or_null(e->issue->path)) < 0;
	if (e->reason)
		bad |= json_object_set_new(o, "reason", json_string(e->reason)) < 0;
	strbuf_release(&sb);
	json_decref(l);
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *list_json(const struct psm_cl_list *l, const struct psm_cl_style *st)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; a && i < l->n; i++)
		if (json_array_append_new(a, entry_json(&l->v[i], st)) < 0) {
			json_decref(a);
			return NULL;
		}
	return a;
}

/* What was left out, and why: no customer text (the titles of private
 * issues must not travel with a file that may be published). */
static json_t *excluded_json(const struct psm_cl_list *l)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; a && i < l->n; i++) {
		const struct psm_cl_entry *e = &l->v[i];

		if (json_array_append_new(a, json_pack("{s:s, s:s, s:o, s:s}", "id", e->id, "short_id",
						       e->short_id, "path", str_or_null(e->issue->path),
						       "reason", e->reason ? e->reason : "")) < 0) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

static json_t *range_json(const struct psm_changelog *cl)
{
	struct strbuf since = STRBUF_INIT;
	json_t *o;

	if (cl->since)
		psm_time_format(&since, cl->since);
	o = json_pack("{s:o, s:o, s:o, s:o, s:o}", "from", str_or_null(cl->from), "from_commit",
		      str_or_null(cl->from_commit), "to", str_or_null(cl->to), "to_commit",
		      str_or_null(cl->to_commit), "since", str_or_null(since.len ? since.buf : NULL));
	strbuf_release(&since);
	return o;
}

json_t *psm_changelog_json(const struct psm_changelog *cl, const struct psm_cl_style *st)
{
	json_t *o = json_object(), *groups = json_array();
	size_t i;
	int bad = !o || !groups;

	for (i = 0; !bad && i < cl->ngroups; i++) {
		if (!cl->groups[i].n)
			continue;
		bad |= json_array_append_new(groups, json_pack("{s:s, s:o}", "name", cl->groups[i].name,
							       "entries", list_json(&cl->groups[i], st))) < 0;
	}
	bad |= json_object_set_new(o, "version", json_integer(PSM_CHANGELOG_JSON_VERSION)) < 0;
	bad |= json_object_set_new(o, "release", json_string(st->release)) < 0;
	bad |= json_object_set_new(o, "date", str_or_null(st->date)) < 0;
	bad |= json_object_set_new(o, "range", range_json(cl)) < 0;
	bad |= json_object_set_new(o, "groups", groups) < 0;
	groups = NULL;
	bad |= json_object_set_new(o, "known_issues",
				   cl->has_known ? list_json(&cl->known, st) : json_null()) < 0;
	bad |= json_object_set_new(o, "coming_next",
				   cl->has_next ? list_json(&cl->next, st) : json_null()) < 0;
	bad |= json_object_set_new(o, "excluded", excluded_json(&cl->excluded)) < 0;
	json_decref(groups);
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}

json_t *psm_changelog_check_json(const struct psm_changelog *cl)
{
	json_t *o = json_object(), *a = json_array();
	size_t i;
	int bad = !o || !a;

	for (i = 0; !bad && i < cl->diag.nerrors; i++) {
		const struct psm_scan_error *e = &cl->diag.errors[i];

		bad |= json_array_append_new(a, json_pack("{s:s, s:i, s:i, s:s}", "path", e->path,
							  "line", e->line ? e->line : 1, "column",
							  e->col ? e->col : 1, "message", e->msg)) < 0;
	}
	bad |= json_object_set_new(o, "version", json_integer(PSM_CHANGELOG_JSON_VERSION)) < 0;
	bad |= json_object_set_new(o, "range", range_json(cl)) < 0;
	bad |= json_object_set_new(o, "checked", json_integer((json_int_t)cl->checked)) < 0;
	bad |= json_object_set_new(o, "problems", a) < 0;
	bad |= json_object_set_new(o, "excluded", excluded_json(&cl->excluded)) < 0;
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* ---- --write ----------------------------------------------------------------- */

static const char changelog_intro[] =
	"# Changelog\n"
	"\n"
	"All notable changes to this project are documented in this file. The format\n"
	"is based on [Keep a Changelog](https://keepachangelog.com/en/1.1.0/).\n"
	"\n";

static size_t line_len(const char *p, const char *end)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));

	return nl ? (size_t)(nl - p) + 1 : (size_t)(end - p);
}

/* "## [NAME]...": the name's start and length; 0 if not a release heading. */
static int release_heading(const char *p, size_t len, const char **name, size_t *nlen)
{
	const char *close;

	if (len < 5 || strncmp(p, "## [", 4))
		return 0;
	if (!(close = memchr(p + 4, ']', len - 4)))
		return 0;
	*name = p + 4;
	*nlen = (size_t)(close - p - 4);
	return 1;
}

/* Where a section ends: a level 1 or 2 heading, or link definitions ("[x]: url"). */
static int section_boundary(const char *p, size_t len)
{
	const char *close;

	if ((len >= 2 && !strncmp(p, "# ", 2)) || (len >= 3 && !strncmp(p, "## ", 3)))
		return 1;
	return len > 3 && p[0] == '[' && (close = memchr(p, ']', len)) &&
	       (size_t)(close - p) + 1 < len && close[1] == ':';
}

static size_t section_end(const char *old, size_t len, size_t start)
{
	const char *end = old + len, *p = old + start;

	p += line_len(p, end);
	while (p < end) {
		size_t l = line_len(p, end);

		if (section_boundary(p, l))
			break;
		p += l;
	}
	return (size_t)(p - old);
}

int psm_changelog_splice(struct strbuf *out, const char *old, size_t len, const char *section,
			 const char *release)
{
	const char *p, *end, *name;
	size_t first = len, target = len, ins, nlen, rlen = strlen(release), base;
	int have_first = 0, have_target = 0, first_unreleased = 0;

	if (!old) {
		strbuf_addstr(out, changelog_intro);
		strbuf_addstr(out, section);
		return out->oom ? psm_oom() : 0;
	}
	for (p = old, end = old + len; p < end; p += line_len(p, end)) {
		if (!release_heading(p, line_len(p, end), &name, &nlen))
			continue;
		if (!have_first) {
			have_first = 1;
			first = (size_t)(p - old);
			first_unreleased = nlen == 10 && !strncmp(name, "Unreleased", 10);
		}
		if (nlen == rlen && !strncmp(name, release, rlen)) {
			have_target = 1;
			target = (size_t)(p - old);
			break;
		}
	}
	if (have_target) {
		size_t te = section_end(old, len, target);

		strbuf_add(out, old, target);
		strbuf_addstr(out, section);
		if (te < len)
			strbuf_addch(out, '\n');
		strbuf_add(out, old + te, len - te);
		return out->oom ? psm_oom() : 0;
	}
	/* A named release goes below [Unreleased], which stays on top. */
	ins = !have_first ? len
	      : first_unreleased && strcmp(release, "Unreleased") ? section_end(old, len, first)
								  : first;
	base = out->len;
	strbuf_add(out, old, ins);
	/* one blank line between what was before and the new section */
	if (out->len > base && out->buf[out->len - 1] != '\n')
		strbuf_addch(out, '\n');
	if (out->len > base && (out->len - base < 2 || out->buf[out->len - 2] != '\n'))
		strbuf_addch(out, '\n');
	strbuf_addstr(out, section);
	if (ins < len) {
		strbuf_addch(out, '\n');
		strbuf_add(out, old + ins, len - ins);
	}
	return out->oom ? psm_oom() : 0;
}
