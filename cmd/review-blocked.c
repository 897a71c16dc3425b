/* psm review: what blocked users most often, and which release created confusion. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "people.h"
#include "ptime.h"
#include "query.h"
#include "review.h"

#define TOP_ISSUES 10
#define TOP_LABELS 10
#define RECENT_RELEASES 6

struct strs {
	char **v;
	size_t n, alloc;
};

static void strs_push(struct strs *s, struct strbuf *sb)
{
	if (sb->oom)
		die("out of memory");
	if (s->n == s->alloc) {
		size_t na = s->alloc ? s->alloc * 2 : 64;
		char **nv = realloc(s->v, na * sizeof(*nv));

		if (!nv)
			die("out of memory");
		s->v = nv;
		s->alloc = na;
	}
	if (!(s->v[s->n++] = strbuf_detach(sb, NULL)))
		die("out of memory");
}

static int cmp_strp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void strs_release(struct strs *s)
{
	while (s->n)
		free(s->v[--s->n]);
	free(s->v);
}

/* Who a reporter is: e-mail, else contact, else name, compared without
 * case; one with none of them is someone, but no one we can match. */
static void reporter_key(struct strbuf *out, const struct psm_issue *issue, size_t j)
{
	const struct psm_node *r = psm_issue_node(issue, "reporters")->items[j];
	const char *k = psm_node_get_str(r, "email");
	size_t i, start = out->len;

	if (!k)
		k = psm_node_get_str(r, "contact");
	if (!k)
		k = psm_node_get_str(r, "name");
	if (!k) {
		strbuf_addf(out, "\001%s#%zu", issue->path ? issue->path : "", j);
		return;
	}
	strbuf_addstr(out, k);
	for (i = start; i < out->len; i++)
		out->buf[i] = (char)tolower((unsigned char)out->buf[i]);
}

/* "id\037customer" for every duplicate with a customer: customers a target carries. */
static void dup_customers(struct strs *out, const struct psm_issue_set *set)
{
	size_t i;

	for (i = 0; i < set->n; i++) {
		const char *of = psm_issue_get(set->v[i], "duplicate_of");
		const char *cust = psm_issue_get(set->v[i], "customer");
		struct strbuf sb = STRBUF_INIT;

		if (!of || !cust)
			continue;
		strbuf_addf(&sb, "%s\037%s", of, cust);
		strs_push(out, &sb);
	}
	if (out->n)
		qsort(out->v, out->n, sizeof(*out->v), cmp_strp);
}

/* Append "prefix\037customer" for the issue's own customers (its
 * `customer`, its reporters': people.h, never the team) and its duplicates'. */
static void issue_customers(struct strs *out, const char *prefix, const struct psm_issue *issue,
			    const struct strs *dups, const struct psm_config *cfg)
{
	const char *id = psm_issue_get(issue, "id");
	size_t idlen = id ? strlen(id) : 0, lo = 0, hi = dups->n, i, n;
	struct psm_customer *own = calloc(psm_issue_count(issue, "reporters") + 1, sizeof(*own));
	struct strbuf sb = STRBUF_INIT;

	if (!own)
		die("out of memory");
	n = psm_people_customers(own, cfg, issue);
	for (i = 0; i < n; i++) {
		strbuf_addf(&sb, "%s\037%s", prefix, own[i].name);
		strs_push(out, &sb);
	}
	free(own);
	if (!id)
		return;
	while (lo < hi) { /* first "id\037..." entry */
		size_t mid = lo + (hi - lo) / 2;

		if (strncmp(dups->v[mid], id, idlen) < 0 ||
		    (!strncmp(dups->v[mid], id, idlen) && dups->v[mid][idlen] < '\037'))
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < dups->n && !strncmp(dups->v[lo], id, idlen) && dups->v[lo][idlen] == '\037'; lo++) {
		strbuf_addf(&sb, "%s\037%s", prefix, dups->v[lo] + idlen + 1);
		strs_push(out, &sb);
	}
}

/* Distinct entries of a sorted list starting with "prefix\037". */
static size_t count_distinct(const struct strs *s, size_t from, size_t to)
{
	size_t i, n = 0;

	for (i = from; i < to; i++)
		n += i == from || strcmp(s->v[i], s->v[i - 1]);
	return n;
}

/* Distinct entries of an unsorted list, which is emptied. */
static size_t sorted_distinct(struct strs *s)
{
	size_t n;

	if (s->n)
		qsort(s->v, s->n, sizeof(*s->v), cmp_strp);
	n = count_distinct(s, 0, s->n);
	strs_release(s);
	memset(s, 0, sizeof(*s));
	return n;
}

static void issue_reporters(struct strs *out, const struct psm_issue *issue)
{
	const struct psm_node *reps = psm_issue_node(issue, "reporters");
	struct strbuf sb = STRBUF_INIT;
	size_t j;

	for (j = 0; reps && reps->kind == PSM_SEQ && j < reps->n; j++) {
		reporter_key(&sb, issue, j);
		strs_push(out, &sb);
	}
}

struct ranked {
	const struct psm_issue *issue;
	const char *label;
	size_t reporters, customers, issues;
};

static int cmp_ranked(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;

	if (x->reporters != y->reporters)
		return x->reporters > y->reporters ? -1 : 1;
	if (x->customers != y->customers)
		return x->customers > y->customers ? -1 : 1;
	if (x->issues != y->issues)
		return x->issues > y->issues ? -1 : 1;
	if (x->label)
		return strcmp(x->label, y->label);
	if (x->issue->sort_created != y->issue->sort_created)
		return x->issue->sort_created < y->issue->sort_created ? -1 : 1;
	return strcmp(x->issue->path ? x->issue->path : "", y->issue->path ? y->issue->path : "");
}

/*
 * Per label: "label\037r\037who", "label\037c\037customer" and
 * "label\037i\037id" entries; sorted, each label's distinct counts are runs.
 */
static void label_entries(struct strs *out, const struct psm_issue *issue, const struct strs *dups,
			  const struct psm_config *cfg)
{
	const struct psm_node *labels = psm_issue_node(issue, "labels");
	const struct psm_node *reps = psm_issue_node(issue, "reporters");
	struct strbuf sb = STRBUF_INIT;
	size_t i, j;

	for (i = 0; labels && labels->kind == PSM_SEQ && i < labels->n; i++) {
		const char *l = psm_node_str(labels->items[i]);

		if (!l)
			continue;
		strbuf_addf(&sb, "%s\037i\037%s", l, issue->path ? issue->path : "?");
		strs_push(out, &sb);
		for (j = 0; reps && reps->kind == PSM_SEQ && j < reps->n; j++) {
			strbuf_addf(&sb, "%s\037r\037", l);
			reporter_key(&sb, issue, j);
			strs_push(out, &sb);
		}
		strbuf_addf(&sb, "%s\037c", l);
		issue_customers(out, sb.buf, issue, dups, cfg);
		strbuf_reset(&sb);
	}
	strbuf_release(&sb);
}

static size_t rank_labels(struct ranked **out, struct strs *e)
{
	size_t i = 0, n = 0;

	*out = calloc(e->n + 1, sizeof(**out));
	if (!*out)
		die("out of memory");
	if (e->n)
		qsort(e->v, e->n, sizeof(*e->v), cmp_strp);
	while (i < e->n) {
		size_t llen = strcspn(e->v[i], "\037"), j = i, k;
		struct ranked *r = &(*out)[n++];

		r->label = e->v[i];
		while (j < e->n && !strncmp(e->v[j], e->v[i], llen + 1))
			j++;
		for (k = i; k < j;) {
			char kind = e->v[k][llen + 1];
			size_t m = k, d;

			while (m < j && e->v[m][llen + 1] == kind)
				m++;
			d = count_distinct(e, k, m);
			if (kind == 'r')
				r->reporters = d;
			else if (kind == 'c')
				r->customers = d;
			else
				r->issues = d;
			k = m;
		}
		/* the label's name ends at the first separator */
		e->v[i][llen] = '\0';
		i = j;
	}
	qsort(*out, n, sizeof(**out), cmp_ranked);
	return n;
}

void review_blocked(struct review *rv, const struct review_ctx *c)
{
	static const char *const head[] = { "Issue", "Title", "Reporters", "Customers", "Status" };
	static const char *const lhead[] = { "Label", "Reporters", "Customers", "Issues" };
	struct rv_section *sec = &rv->s[rv->ns++];
	const struct psm_issue_set *set = c->in->set;
	struct strs dups = { 0 }, labels = { 0 }, cust = { 0 };
	struct ranked *core = calloc(set->n + 1, sizeof(*core)), *lab;
	size_t i, n = 0, nl;
	struct rv_table *t;

	if (!core)
		die("out of memory");
	dup_customers(&dups, set);
	for (i = 0; i < set->n; i++) {
		const struct psm_issue_times *tm = &c->times[i];

		if (!psm_streq(psm_issue_get(set->v[i], "impact"), "core") ||
		    tm->created == PSM_NO_TIME || tm->created >= c->to ||
		    (!tm->open && (tm->closed == PSM_NO_TIME || tm->closed < c->from)))
			continue;
		core[n].issue = set->v[i];
		/* people and accounts counted as for labels below, so the two agree */
		issue_reporters(&cust, set->v[i]);
		core[n].reporters = sorted_distinct(&cust);
		issue_customers(&cust, "", set->v[i], &dups, c->in->sv->cfg);
		core[n++].customers = sorted_distinct(&cust);
		label_entries(&labels, set->v[i], &dups, c->in->sv->cfg);
	}
	qsort(core, n, sizeof(*core), cmp_ranked);
	sec->title = "What blocked users most often";
	t = rv_table_add(sec, "Core-impact issues open during the week, by distinct reporters, then customers:",
			 "No core-impact issue was open this week.", 5, head, 12, 4);
	for (i = 0; i < n && i < TOP_ISSUES; i++) {
		const char *title = psm_issue_get(core[i].issue, "title");
		const char *status = psm_issue_get(core[i].issue, "status");

		rv_cell_id(t, c, core[i].issue);
		rv_cell(t, title ? title : "");
		rv_cellf(t, "%zu", core[i].reporters);
		rv_cellf(t, "%zu", core[i].customers);
		rv_cell(t, status ? status : "-");
	}
	nl = rank_labels(&lab, &labels);
	t = rv_table_add(sec, "Their labels, by distinct reporters, then customers:",
			 "They carry no labels.", 4, lhead, 14, 2);
	for (i = 0; i < nl && i < TOP_LABELS; i++) {
		rv_cell(t, lab[i].label);
		rv_cellf(t, "%zu", lab[i].reporters);
		rv_cellf(t, "%zu", lab[i].customers);
		rv_cellf(t, "%zu", lab[i].issues);
	}
	if (n) {
		const char *title = psm_issue_get(core[0].issue, "title");

		strbuf_addf(&sec->lead, "%zu core-impact issue%s open during the week; ", n,
			    n == 1 ? "" : "s");
		strbuf_addf(&sec->lead, "most reported: \"%s\" (%zu reporter%s, %zu customer%s).",
			    title ? title : "", core[0].reporters, core[0].reporters == 1 ? "" : "s",
			    core[0].customers, core[0].customers == 1 ? "" : "s");
	}
	else
		strbuf_addstr(&sec->lead, "Nothing with core impact was open this week.");
	free(core);
	free(lab);
	strs_release(&labels);
	strs_release(&dups);
}

/* Issues that show confusion: poor explanation, usability or docs. */
static int confusing(const struct psm_issue *issue)
{
	return psm_streq(psm_issue_get(issue, "impact"), "explanation") ||
	       psm_streq(psm_issue_get(issue, "type"), "usability") ||
	       psm_streq(psm_issue_get(issue, "type"), "docs") ||
	       psm_churn_slot(issue) == 2 || psm_issue_list_has(issue, "labels", "confusion");
}

struct rel {
	const char *name;
	int64_t when; /* PSM_NO_TIME: named by issues but not a tag */
	size_t issues, confusion, core;
};

static int same_release(const char *a, const char *b)
{
	if (*a == 'v' || *a == 'V')
		a++;
	if (*b == 'v' || *b == 'V')
		b++;
	return !strcmp(a, b);
}

static struct rel *find_release(struct rel *r, size_t *n, const struct psm_release *tags,
				size_t ntags, const char *name, int64_t created)
{
	size_t i;

	if (name) {
		for (i = 0; i < *n; i++)
			if (!strcmp(r[i].name, name) || (r[i].when != PSM_NO_TIME && same_release(r[i].name, name)))
				return &r[i];
		r[*n].name = name; /* an untagged release name */
		r[*n].when = PSM_NO_TIME;
		return &r[(*n)++];
	}
	for (i = ntags; i > 0; i--) /* the latest tag at or before creation */
		if (tags[i - 1].when <= created)
			return &r[i - 1];
	return NULL;
}

void review_releases(struct review *rv, const struct review_ctx *c)
{
	static const char *const head[] = { "Release", "Tagged", "Issues", "Confusion", "Core" };
	struct rv_section *sec = &rv->s[rv->ns++];
	const struct psm_issue_set *set = c->in->set;
	struct psm_release *tags;
	size_t ntags, nrel, i, shown = 0;
	struct rel *rel, *top = NULL;
	struct rv_table *t;

	if (psm_release_tags(&tags, &ntags, c->in->store->git) < 0)
		die_psm();
	while (ntags && tags[ntags - 1].when >= c->to) /* not yet tagged in that week */
		free(tags[--ntags].name);
	if (!(rel = calloc(ntags + set->n + 1, sizeof(*rel))))
		die("out of memory");
	for (i = 0; i < ntags; i++) {
		rel[i].name = tags[i].name;
		rel[i].when = tags[i].when;
	}
	nrel = ntags;
	for (i = 0; i < set->n; i++) {
		struct rel *r;

		if (c->times[i].created == PSM_NO_TIME || c->times[i].created >= c->to)
			continue;
		r = find_release(rel, &nrel, tags, ntags, psm_issue_get(set->v[i], "release"),
				 c->times[i].created);
		if (!r)
			continue;
		r->issues++;
		r->confusion += confusing(set->v[i]);
		r->core += psm_streq(psm_issue_get(set->v[i], "impact"), "core");
	}
	sec->title = "Which release created confusion";
	t = rv_table_add(sec, "Issues per release (its release field, else created after its tag), newest first:",
			 "No releases yet: psm reads them from git tags.", 5, head, 28, 8);
	for (i = ntags; i > 0 && shown < RECENT_RELEASES; i--, shown++) {
		struct strbuf d = STRBUF_INIT;
		struct rel *r = &rel[i - 1];

		psm_time_format(&d, r->when);
		rv_cell(t, r->name);
		rv_cellf(t, "%.10s", d.buf);
		rv_cellf(t, "%zu", r->issues);
		rv_cellf(t, "%zu", r->confusion);
		rv_cellf(t, "%zu", r->core);
		if (!top || r->confusion > top->confusion)
			top = r;
		strbuf_release(&d);
	}
	for (i = ntags; i < nrel; i++) {
		rv_cell(t, rel[i].name);
		rv_cell(t, "-");
		rv_cellf(t, "%zu", rel[i].issues);
		rv_cellf(t, "%zu", rel[i].confusion);
		rv_cellf(t, "%zu", rel[i].core);
		if (!top || rel[i].confusion > top->confusion)
			top = &rel[i];
	}
	if (top && top->confusion)
		strbuf_addf(&sec->lead, "Most confusion: %s (%zu of %zu issues).", top->name,
			    top->confusion, top->issues);
	else if (nrel)
		strbuf_addstr(&sec->lead, "No release drew confusion (usability, docs or explanation issues).");
	if (rv->s[rv->ns - 1].lead.oom)
		die("out of memory");
	free(rel); /* its names are borrowed from tags and issues */
	psm_release_tags_free(tags, ntags);
}
