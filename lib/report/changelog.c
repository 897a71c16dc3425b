/*
 * Building a release: the range's two snapshots, the files that differ
 * between them, which of those became closed, and the entries they make.
 */
#include "changelog-int.h"

#include <stdlib.h>
#include <string.h>

#include "psm/conflict.h"
#include "psm/error.h"
#include "psm/git.h"
#include "psm/grow.h"
#include "psm/snapshot.h"
#include "psm/time.h"
#include "psm/query.h"
#include "psm/render.h"
#include "psm/validate.h"

struct build {
	struct psm_store *s;
	const struct psm_changelog_opts *o;
	struct psm_changelog *cl;
	struct psm_cl_rules r;
	struct psm_snap *a, *b;
	struct strbuf text, scratch;
};

#define PUBLISHING "psm writes a changelog with it"

/* ---- entries ---------------------------------------------------------------- */

static void entry_release(struct psm_cl_entry *e)
{
	psm_issue_free(e->issue);
	free(e->id);
	free(e->short_id);
	free(e->title);
	free(e->note);
	free(e->reason);
}

static void list_release(struct psm_cl_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		entry_release(&l->v[i]);
	free(l->v);
	free(l->name);
	memset(l, 0, sizeof(*l));
}

static char *sanitized(struct strbuf *sb, const char *s)
{
	strbuf_reset(sb);
	psm_sanitize(sb, s, strlen(s), 0);
	return sb->oom ? NULL : psm_strdup(sb->buf);
}

/* Add issue `is` (taken over, freed on failure) to list l; id points at
 * the ID in its file name. */
static int add_entry(struct build *bd, struct psm_cl_list *l, struct psm_issue *is,
		     const char *id, const char *group, const char *reason)
{
	struct psm_cl_entry *e;
	const char *title = psm_issue_get(is, "title");
	struct strbuf note = STRBUF_INIT;
	int r;

	if (l->n == l->alloc) {
		struct psm_cl_entry *nv = psm_grow(l->v, l->n, &l->alloc, sizeof(*nv), 16);

		if (!nv) {
			psm_issue_free(is);
			return psm_oom();
		}
		l->v = nv;
	}
	e = &l->v[l->n++];
	memset(e, 0, sizeof(*e));
	e->issue = is;
	e->group = group;
	e->reporters = psm_issue_reporter_count(is);
	if (psm_time_parse(psm_issue_get(is, "closed"), &e->closed) < 0)
		psm_error_clear();
	if (!(e->id = psm_strndup(id, PSM_ID_LEN)))
		return psm_oom();
	strbuf_reset(&bd->scratch);
	if ((r = psm_snap_abbrev(&bd->scratch, bd->b, e->id)) < 0)
		return r;
	if (!(e->short_id = psm_strdup(bd->scratch.buf)) ||
	    !(e->title = sanitized(&bd->scratch, title && *title ? title : "(untitled)")) ||
	    (reason && !(e->reason = psm_strdup(reason))))
		return psm_oom();
	if ((r = psm_release_note(&note, is)) > 0 && !(e->note = sanitized(&bd->scratch, note.buf)))
		r = psm_oom();
	strbuf_release(&note);
	return r < 0 ? r : 0;
}

/* Closed entries by close time, open ones by creation; then by ID. */
static int cmp_entries(const void *x, const void *y)
{
	const struct psm_cl_entry *a = x, *b = y;
	int64_t ta = a->closed ? a->closed : a->issue->sort_created;
	int64_t tb = b->closed ? b->closed : b->issue->sort_created;

	if (ta != tb)
		return ta < tb ? -1 : 1;
	return strcmp(a->id, b->id);
}

static void list_sort(struct psm_cl_list *l)
{
	if (l->n > 1)
		qsort(l->v, l->n, sizeof(*l->v), cmp_entries);
}

/* ---- what changed ------------------------------------------------------------- */

static int contains(const struct strbuf *hay, const char *needle)
{
	size_t n = needle ? strlen(needle) : 0, i;

	for (i = 0; n && i + n <= hay->len; i++)
		if (hay->buf[i] == *needle && !memcmp(hay->buf + i, needle, n))
			return 1;
	return 0;
}

/* "issues/XY/XYzzzzzzzz.md": 1 and the ID's start; 0 for other paths. */
static int issue_file(const char *path, const char **id)
{
	static const char dir[] = PSM_ISSUE_DIR "/";
	const char *p = path + sizeof(dir) - 1;
	char idbuf[PSM_ID_LEN + 1];

	if (strncmp(path, dir, sizeof(dir) - 1) || strlen(p) != 3 + PSM_ID_LEN + 3 || p[2] != '/' ||
	    strcmp(p + 3 + PSM_ID_LEN, ".md") || strncmp(p, p + 3, 2))
		return 0;
	memcpy(idbuf, p + 3, PSM_ID_LEN);
	idbuf[PSM_ID_LEN] = '\0';
	*id = p + 3;
	return psm_id_valid(idbuf);
}

/* A Markdown file in a shard folder that is not named like an issue. */
static int misnamed(const char *path)
{
	static const char dir[] = PSM_ISSUE_DIR "/";
	const char *p = path + sizeof(dir) - 1;
	size_t l = strlen(path);

	return !strncmp(path, dir, sizeof(dir) - 1) && strchr(p, '/') && l > 3 &&
	       !strcmp(path + l - 3, ".md");
}

static int broken(struct build *bd, const char *path, int line, int col, const char *msg)
{
	struct strbuf m = STRBUF_INIT;
	int r;

	strbuf_addstr(&m, msg);
	if (bd->cl->to)
		strbuf_addf(&m, " (at %s)", bd->cl->to);
	r = m.oom ? psm_oom() : psm_issue_set_error(&bd->cl->diag, path, line, col, m.buf);
	strbuf_release(&m);
	bd->cl->nbroken += r == 0;
	return r;
}

/* Parse the text in bd->text; NULL (and *r = 0) when it cannot be read. */
static struct psm_issue *parse(struct build *bd, const char *path, int report, int *r)
{
	struct psm_yaml_error err = { 0, 0, STRBUF_INIT };
	struct psm_issue *is = NULL;

	*r = psm_issue_parse(&is, bd->text.buf, bd->text.len, &err);
	if (*r == PSM_EPARSE) {
		psm_error_clear();
		*r = report ? broken(bd, path, err.line, err.col, err.msg.buf) : 0;
	} else if (!*r && !(is->path = psm_strdup(path))) {
		psm_issue_free(is);
		is = NULL;
		*r = psm_oom();
	}
	strbuf_release(&err.msg);
	return *r < 0 ? NULL : is;
}

/* Was the issue closed at the start, by the same close as at the end? */
static int closed_before(struct build *bd, const char *path, const struct psm_issue *now)
{
	struct psm_issue *then;
	int r;

	strbuf_reset(&bd->text);
	r = psm_snap_read(&bd->text, bd->a, path);
	if (r == PSM_ENOTFOUND) {
		psm_error_clear();
		return 0;
	}
	if (r < 0)
		return r;
	/* most issues of a release were open at the start: no need to parse */
	if (!contains(&bd->text, "closed"))
		return 0;
	if (!(then = parse(bd, path, 0, &r)))
		return r; /* unreadable then: count it as not closed */
	/* `closed` changes only on a close, so a new value means a reopen and
	 * a new close inside the range: that belongs in this release. */
	r = !psm_issue_is_open(then) &&
	    psm_streq(psm_issue_get(then, "closed"), psm_issue_get(now, "closed"));
	psm_issue_free(then);
	return r;
}

/* --check: everything that would make this issue a bad entry (v: its
 * verdict; a closed issue left out for want of a type is checked too). */
static int check_entry(struct build *bd, const struct psm_issue *is, const struct psm_cl_entry *e,
		       int v)
{
	const struct psm_node *at = NULL;
	struct strbuf m = STRBUF_INIT;
	int r;

	if ((r = psm_issue_validate(&bd->cl->diag, is, bd->s->config)) < 0)
		return r;
	if (!psm_issue_get(is, "type") && v != PSM_CL_NOT_CHANGE) {
		at = psm_issue_node(is, "status");
		if (v == PSM_CL_NO_GROUP)
			strbuf_addf(&m, "closed issue %s has no 'type': it is left out of the changelog until it has one or a release note",
				    e->short_id);
		else
			strbuf_addf(&m, "closed issue %s has no 'type': the changelog cannot tell which group it goes in",
				    e->short_id);
		if (m.oom || psm_issue_set_error(&bd->cl->diag, is->path, at ? at->line : 1,
						 at ? at->col : 1, m.buf) < 0)
			r = psm_oom();
		strbuf_reset(&m);
	}
	if (r >= 0 && v == PSM_CL_PUBLIC && bd->r.require_note && !e->note) {
		at = psm_issue_node(is, "resolution");
		strbuf_addf(&m, "closed issue %s has no '## Release note' section (the config's changelog.require_release_note is true)",
			    e->short_id);
		if (m.oom || psm_issue_set_error(&bd->cl->diag, is->path, at ? at->line : 1,
						 at ? at->col : 1, m.buf) < 0)
			r = psm_oom();
	}
	strbuf_release(&m);
	return r < 0 ? r : 0;
}

static struct psm_cl_list *group_list(struct psm_changelog *cl, const char *name)
{
	size_t i;

	for (i = 0; i + 1 < cl->ngroups; i++)
		if (!strcmp(cl->groups[i].name, name))
			return &cl->groups[i];
	return &cl->groups[cl->ngroups - 1];
}

/*
 * One closed issue of the release: an entry, or left out (excluded) by the
 * rules unless all are asked for. --check looks at every entry, and at
 * what is left out for a reason that may be a slip (no type, a resolution
 * not in the config); private issues are left alone.
 */
static int take(struct build *bd, struct psm_issue *is, const char *id)
{
	struct strbuf why = STRBUF_INIT;
	struct psm_cl_list *l;
	const char *group = psm_cl_group_of(&bd->r, is);
	int v = psm_cl_verdict(&why, &bd->r, is), r;

	if (v < 0) {
		psm_issue_free(is);
		r = v;
		goto out;
	}
	if (bd->o->all)
		v = PSM_CL_PUBLIC;
	/* --check lists it with the rest; a release never carries it */
	if (!v && !bd->o->check && (r = psm_issue_refuse_conflict(is, PUBLISHING)) < 0) {
		psm_issue_free(is);
		goto out;
	}
	if (v) {
		l = &bd->cl->excluded;
		r = add_entry(bd, l, is, id, NULL, why.buf);
	} else {
		l = group_list(bd->cl, group ? group : "Other");
		r = add_entry(bd, l, is, id, l->name, NULL);
	}
	if (r < 0 || v == PSM_CL_PRIVATE)
		goto out;
	bd->cl->checked++;
	if (bd->o->check)
		r = check_entry(bd, is, &l->v[l->n - 1], v);
out:
	strbuf_release(&why);
	return r;
}

/* A file that changed in the range (or any file, without a start). */
static int candidate(const char *path, void *data)
{
	struct build *bd = data;
	struct psm_issue *is;
	const char *id;
	int64_t closed;
	int whole = bd->o->since || !bd->a, r;

	if (!issue_file(path, &id)) /* misnamed files are reported when they change */
		return !whole && misnamed(path)
			       ? broken(bd, path, 0, 0,
					"not an issue file name (expected <ID>.md in the folder named by the ID's first two characters)")
			       : 0;
	strbuf_reset(&bd->text);
	r = psm_snap_read(&bd->text, bd->b, path);
	if (r == PSM_ENOTFOUND) { /* removed in the range */
		psm_error_clear();
		return 0;
	}
	if (r < 0)
		return r;
	/* Reading the whole store: most files are open; skip them unparsed. */
	if (whole && !contains(&bd->text, "closed"))
		return 0;
	if (!(is = parse(bd, path, 1, &r)))
		return r;
	if (psm_issue_is_open(is)) {
		psm_issue_free(is);
		return 0;
	}
	if (bd->cl->since) {
		if (psm_time_parse(psm_issue_get(is, "closed"), &closed) < 0 || closed < bd->cl->since) {
			psm_error_clear();
			psm_issue_free(is);
			return 0;
		}
	} else if (bd->a && (r = closed_before(bd, path, is)) != 0) {
		psm_issue_free(is);
		return r < 0 ? r : 0;
	}
	return take(bd, is, id);
}

/* Add the open issue in bd->text to list l if it belongs there. */
static int add_open(struct build *bd, struct psm_cl_list *l, const char *path, const char *id,
		    int known)
{
	struct strbuf why = STRBUF_INIT;
	struct psm_issue *is;
	int r, keep;

	/* unreadable files are `psm check`'s business unless in the range */
	if (!(is = parse(bd, path, 0, &r)))
		return r;
	keep = psm_issue_is_open(is) &&
	       (known ? psm_issue_list_has(is, "labels", bd->r.known_label)
		      : psm_streq(psm_issue_get(is, "status"), bd->r.next_status));
	if (keep && (r = psm_cl_verdict(&why, &bd->r, is)) != 0)
		keep = 0;
	strbuf_release(&why);
	if (r >= 0 && keep && !bd->o->check)
		r = psm_issue_refuse_conflict(is, PUBLISHING);
	if (r < 0 || !keep) {
		psm_issue_free(is);
		return r < 0 ? r : 0;
	}
	return add_entry(bd, l, is, id, l->name, NULL);
}

/* Known issues and Coming next: open issues at the end of the range. */
static int open_issue(const char *path, void *data)
{
	struct build *bd = data;
	const char *id;
	int r;

	if (!issue_file(path, &id))
		return 0;
	strbuf_reset(&bd->text);
	if ((r = psm_snap_read(&bd->text, bd->b, path)) < 0) {
		psm_error_clear();
		return r == PSM_ENOTFOUND ? 0 : r;
	}
	/* most issues are neither: skip them unparsed */
	if (bd->cl->has_known && contains(&bd->text, bd->r.known_label) &&
	    (r = add_open(bd, &bd->cl->known, path, id, 1)) < 0)
		return r;
	if (bd->cl->has_next && contains(&bd->text, bd->r.next_status) &&
	    (r = add_open(bd, &bd->cl->next, path, id, 0)) < 0)
		return r;
	return 0;
}

/* ---- the range --------------------------------------------------------------- */

/* Split "A..B" into from and to (NULL when left out); *dflt: no start given. */
static int split_range(struct strbuf *from, struct strbuf *to, int *dflt, const char *range)
{
	const char *dots = range ? strstr(range, "..") : NULL;

	*dflt = 0;
	if (!range || !*range || !strcmp(range, "..")) {
		*dflt = 1;
		return 0;
	}
	if (!dots) {
		strbuf_addstr(from, range);
		return 0;
	}
	if (dots[2] == '.')
		return psm_error(PSM_EINVALID,
				 "invalid range '%s': use A..B (the release is what B has that A had not)",
				 range);
	strbuf_add(from, range, (size_t)(dots - range));
	strbuf_addstr(to, dots + 2);
	*dflt = !from->len;
	return from->oom || to->oom ? psm_oom() : 0;
}

/* The start when none is given: the newest tag before the end. */
static int default_start(struct strbuf *from, struct psm_store *s, const char *to)
{
	struct strbuf rev = STRBUF_INIT;
	int r;

	if (to)
		strbuf_addf(&rev, "%s^", to);
	r = psm_git_newest_tag(from, s->git, to ? rev.buf : NULL);
	if (r == PSM_ENOTFOUND) {
		r = 0;
		if (psm_git_is_shallow(s->git))
			r = psm_error(PSM_ENOTFOUND,
				      "no tag reachable from %s in this shallow clone: run 'git fetch --unshallow --tags' (in CI: fetch-depth: 0), or give the range A..B",
				      to ? to : "HEAD");
	}
	strbuf_release(&rev);
	return r;
}

static int open_range(struct build *bd)
{
	struct psm_changelog *cl = bd->cl;
	struct strbuf from = STRBUF_INIT, to = STRBUF_INIT;
	int dflt, r;

	if ((r = split_range(&from, &to, &dflt, bd->o->range)) < 0)
		goto out;
	if (bd->o->since) {
		if (from.len) {
			r = psm_error(PSM_EINVALID, "--since replaces the start of the range: give ..B or no range, not '%s'",
				      bd->o->range);
			goto out;
		}
		if (psm_time_parse(bd->o->since, &cl->since) < 0) {
			r = psm_error(PSM_EINVALID, "invalid date '%s' for --since: use 2026-11-22 or an RFC 3339 time",
				      bd->o->since);
			goto out;
		}
	} else if (dflt && (r = default_start(&from, bd->s, to.len ? to.buf : NULL)) < 0) {
		goto out;
	}
	if ((to.len && !(cl->to = psm_strdup(to.buf))) || (from.len && !(cl->from = psm_strdup(from.buf)))) {
		r = psm_oom();
		goto out;
	}
	if ((r = psm_snap_open(&bd->b, bd->s, cl->to)) < 0 ||
	    (cl->from && (r = psm_snap_open_sibling(&bd->a, bd->b, cl->from)) < 0))
		goto out;
	cl->to_time = psm_snap_time(bd->b);
	if (cl->to && (cl->to_tag = psm_git_names_tag(bd->s->git, cl->to)) < 0) {
		r = cl->to_tag;
		cl->to_tag = 0;
		goto out;
	}
	if ((bd->a && !(cl->from_commit = psm_strdup(psm_snap_commit(bd->a)))) ||
	    (cl->to && !(cl->to_commit = psm_strdup(psm_snap_commit(bd->b)))))
		r = psm_oom();
out:
	strbuf_release(&from);
	strbuf_release(&to);
	return r;
}

const char *psm_release_of_tag(const char *tag)
{
	return (tag[0] == 'v' || tag[0] == 'V') && tag[1] >= '0' && tag[1] <= '9' ? tag + 1 : tag;
}

static int make_groups(struct psm_changelog *cl, const struct psm_cl_rules *r)
{
	size_t i, n = r->groups->n / 2;

	if (!(cl->groups = calloc(n + 1, sizeof(*cl->groups))))
		return psm_oom();
	cl->ngroups = n + 1;
	for (i = 0; i < n; i++)
		if (!(cl->groups[i].name = psm_strdup(r->groups->items[2 * i]->str)))
			return psm_oom();
	if (!(cl->groups[n].name = psm_strdup("Other")) ||
	    !(cl->known.name = psm_strdup("Known issues")) ||
	    !(cl->next.name = psm_strdup("Coming next")) ||
	    !(cl->excluded.name = psm_strdup("Excluded")))
		return psm_oom();
	return 0;
}

int psm_changelog_build(struct psm_changelog **out, struct psm_store *s,
			const struct psm_changelog_opts *opts)
{
	struct build bd = { s, opts, NULL, { 0 }, NULL, NULL, STRBUF_INIT, STRBUF_INIT };
	size_t i;
	int r;

	*out = NULL;
	if (!(bd.cl = calloc(1, sizeof(*bd.cl))))
		return psm_oom();
	if ((r = psm_cl_rules_load(&bd.r, s->config)) < 0 || (r = make_groups(bd.cl, &bd.r)) < 0 ||
	    (r = open_range(&bd)) < 0)
		goto out;
	bd.cl->has_known = opts->known_issues < 0 ? bd.r.known_issues : opts->known_issues;
	bd.cl->has_next = opts->next;
	if (bd.r.link && *bd.r.link && !(bd.cl->link = psm_strdup(bd.r.link))) {
		r = psm_oom();
		goto out;
	}
	r = opts->since || !bd.a ? psm_snap_foreach(bd.b, candidate, &bd)
				 : psm_snap_diff(bd.a, bd.b, candidate, &bd);
	if (r < 0)
		goto out;
	if ((bd.cl->has_known || bd.cl->has_next) &&
	    (r = psm_snap_foreach(bd.b, open_issue, &bd)) < 0)
		goto out;
	for (i = 0; i < bd.cl->ngroups; i++)
		list_sort(&bd.cl->groups[i]);
	list_sort(&bd.cl->known);
	list_sort(&bd.cl->next);
	list_sort(&bd.cl->excluded);
	*out = bd.cl;
	bd.cl = NULL;
	r = 0;
out:
	psm_changelog_free(bd.cl);
	psm_snap_free(bd.a); /* before b, whose repository it borrows */
	psm_snap_free(bd.b);
	psm_cl_rules_release(&bd.r);
	strbuf_release(&bd.text);
	strbuf_release(&bd.scratch);
	return r;
}

void psm_changelog_free(struct psm_changelog *cl)
{
	size_t i;

	if (!cl)
		return;
	for (i = 0; i < cl->ngroups; i++)
		list_release(&cl->groups[i]);
	free(cl->groups);
	list_release(&cl->known);
	list_release(&cl->next);
	list_release(&cl->excluded);
	psm_issue_set_release(&cl->diag);
	free(cl->from);
	free(cl->from_commit);
	free(cl->to);
	free(cl->to_commit);
	free(cl->link);
	free(cl);
}
