/* The weekly review: what blocked users most often (review-int.h). */
#include "review-int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "psm/error.h"
#include "psm/grow.h"
#include "psm/people.h"

static int strs_push(struct strs *s, struct strbuf *sb)
{
	char **nv = sb->oom ? NULL : psm_grow(s->v, s->n, &s->alloc, sizeof(*nv), 4);

	if (!nv) {
		strbuf_release(sb);
		return psm_oom();
	}
	s->v = nv;
	if (!(s->v[s->n] = strbuf_detach(sb, NULL)))
		return psm_oom();
	s->n++;
	return 0;
}

static int strs_add(struct strs *s, const char *str)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addstr(&sb, str);
	return strs_push(s, &sb);
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
	memset(s, 0, sizeof(*s));
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

/* Distinct entries of a sorted list between from and to. */
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
	return n;
}

/* Append "prefix\037entry" for each entry of src. */
static int add_prefixed(struct strs *out, const char *prefix, const struct strs *src)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;
	int r = 0;

	for (i = 0; r >= 0 && i < src->n; i++) {
		strbuf_addf(&sb, "%s\037%s", prefix, src->v[i]);
		r = strs_push(out, &sb);
	}
	return r;
}

/* Append "prefix\037customer" for the issue's own customers (its
 * `customer`, its reporters': people.h, never the team) and its
 * duplicates' (dups: sorted "id\037customer"). */
static int issue_customers(struct strs *out, const char *prefix, const struct core_raw *raw,
			   const struct strs *dups)
{
	const char *id = raw->id;
	size_t idlen = id ? strlen(id) : 0, lo = 0, hi = dups->n;
	struct strbuf sb = STRBUF_INIT;
	int r;

	if ((r = add_prefixed(out, prefix, &raw->customers)) < 0 || !id)
		return r;
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
		if ((r = strs_push(out, &sb)) < 0)
			return r;
	}
	return 0;
}

/* What the counts of a core-impact issue are made of, copied from it. */
static int core_raw_make(struct core_raw *raw, const struct psm_issue *issue,
			 const struct psm_config *cfg)
{
	const struct psm_node *reps = psm_issue_node(issue, "reporters");
	const struct psm_node *labels = psm_issue_node(issue, "labels");
	const char *id = psm_issue_get(issue, "id");
	struct psm_customer *own = calloc(psm_issue_count(issue, "reporters") + 1, sizeof(*own));
	struct strbuf sb = STRBUF_INIT;
	size_t i, n;
	int r = 0;

	memset(raw, 0, sizeof(*raw));
	if (!own || (id && !(raw->id = psm_strdup(id)))) {
		free(own);
		return psm_oom();
	}
	for (i = 0; r >= 0 && reps && reps->kind == PSM_SEQ && i < reps->n; i++) {
		reporter_key(&sb, issue, i);
		r = strs_push(&raw->reporters, &sb);
	}
	n = psm_people_customers(own, cfg, issue);
	for (i = 0; r >= 0 && i < n; i++)
		r = strs_add(&raw->customers, own[i].name);
	free(own);
	for (i = 0; r >= 0 && labels && labels->kind == PSM_SEQ && i < labels->n; i++)
		if (psm_node_str(labels->items[i]))
			r = strs_add(&raw->labels, psm_node_str(labels->items[i]));
	return r;
}

static void core_raw_release(struct core_raw *raw)
{
	free(raw->id);
	strs_release(&raw->reporters);
	strs_release(&raw->customers);
	strs_release(&raw->labels);
}

int psm_review__core_add(struct psm_review *rv, const struct psm_issue *issue,
		   const struct psm_issue_times *tm)
{
	struct psm_review_work *w = rv->work;
	const char *of = psm_issue_get(issue, "duplicate_of");
	const char *cust = psm_issue_get(issue, "customer");
	struct psm_review_item *it;
	struct core_raw *raws;
	int r;

	if (of && cust) {
		struct strbuf sb = STRBUF_INIT;

		strbuf_addf(&sb, "%s\037%s", of, cust);
		if ((r = strs_push(&w->dups, &sb)) < 0)
			return r;
	}
	if (!psm_streq(psm_issue_get(issue, "impact"), "core") ||
	    tm->created == PSM_NO_TIME || tm->created >= rv->to ||
	    (!tm->open && (tm->closed == PSM_NO_TIME || tm->closed < rv->from)))
		return 0;
	if (!(raws = psm_grow(w->core, w->core_n, &w->raw_alloc, sizeof(*raws), 64)))
		return psm_oom();
	w->core = raws;
	if (!(it = psm_grow(rv->core, rv->ncore, &w->core_alloc, sizeof(*it), 64)))
		return psm_oom();
	rv->core = it;
	it = &rv->core[rv->ncore];
	memset(it, 0, sizeof(*it));
	if (!(it->issue = psm_review__keep(rv, issue)))
		return psm_oom();
	r = core_raw_make(&w->core[w->core_n++], issue, w->cfg); /* released even on failure */
	rv->ncore++;
	return r;
}

static int cmp_path(const struct psm_review_issue *a, const struct psm_review_issue *b)
{
	return strcmp(a->path ? a->path : "", b->path ? b->path : "");
}

static int cmp_core(const void *a, const void *b)
{
	const struct psm_review_item *x = a, *y = b;

	if (x->reporters != y->reporters)
		return x->reporters > y->reporters ? -1 : 1;
	if (x->customers != y->customers)
		return x->customers > y->customers ? -1 : 1;
	if (x->issue->created != y->issue->created)
		return x->issue->created < y->issue->created ? -1 : 1;
	return cmp_path(x->issue, y->issue);
}

static int cmp_label(const void *a, const void *b)
{
	const struct psm_review_label *x = a, *y = b;

	if (x->reporters != y->reporters)
		return x->reporters > y->reporters ? -1 : 1;
	if (x->customers != y->customers)
		return x->customers > y->customers ? -1 : 1;
	if (x->issues != y->issues)
		return x->issues > y->issues ? -1 : 1;
	return strcmp(x->label, y->label);
}

/*
 * Per label: "label\037r\037who", "label\037c\037customer" and
 * "label\037i\037path" entries; sorted, each label's distinct counts are runs.
 */
static int label_entries(struct strs *out, const struct psm_review_item *it,
			 const struct core_raw *raw, const struct strs *dups)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;
	int r = 0;

	for (i = 0; r >= 0 && i < raw->labels.n; i++) {
		const char *l = raw->labels.v[i];

		strbuf_addf(&sb, "%s\037i\037%s", l, it->issue->path ? it->issue->path : "?");
		r = strs_push(out, &sb);
		strbuf_addf(&sb, "%s\037r", l);
		if (r >= 0)
			r = sb.oom ? psm_oom() : add_prefixed(out, sb.buf, &raw->reporters);
		strbuf_reset(&sb);
		strbuf_addf(&sb, "%s\037c", l);
		if (r >= 0)
			r = sb.oom ? psm_oom() : issue_customers(out, sb.buf, raw, dups);
		strbuf_reset(&sb);
	}
	strbuf_release(&sb);
	return r;
}

static int rank_labels(struct psm_review *rv, struct strs *e)
{
	size_t i = 0;

	if (!(rv->labels = calloc(e->n + 1, sizeof(*rv->labels))))
		return psm_oom();
	if (e->n)
		qsort(e->v, e->n, sizeof(*e->v), cmp_strp);
	while (i < e->n) {
		size_t llen = strcspn(e->v[i], "\037"), j = i, k;
		struct psm_review_label *l = &rv->labels[rv->nlabels];

		while (j < e->n && !strncmp(e->v[j], e->v[i], llen + 1))
			j++;
		for (k = i; k < j;) {
			char kind = e->v[k][llen + 1];
			size_t m = k, d;

			while (m < j && e->v[m][llen + 1] == kind)
				m++;
			d = count_distinct(e, k, m);
			if (kind == 'r')
				l->reporters = d;
			else if (kind == 'c')
				l->customers = d;
			else
				l->issues = d;
			k = m;
		}
		if (!(l->label = psm_strndup(e->v[i], llen)))
			return psm_oom();
		rv->nlabels++;
		i = j;
	}
	qsort(rv->labels, rv->nlabels, sizeof(*rv->labels), cmp_label);
	return 0;
}

/* Now that every duplicate's customer is known: the counts, the order,
 * the labels; what they were made of is let go. */
int psm_review__core_finish(struct psm_review *rv)
{
	struct psm_review_work *w = rv->work;
	struct strs labels = { 0 }, people = { 0 };
	size_t i;
	int r = 0;

	if (w->dups.n)
		qsort(w->dups.v, w->dups.n, sizeof(*w->dups.v), cmp_strp);
	for (i = 0; r >= 0 && i < rv->ncore; i++) {
		struct psm_review_item *it = &rv->core[i];
		const struct core_raw *raw = &w->core[i];

		/* people and accounts counted as for labels, so the two agree */
		if ((r = add_prefixed(&people, "", &raw->reporters)) < 0)
			break;
		it->reporters = sorted_distinct(&people);
		if ((r = issue_customers(&people, "", raw, &w->dups)) < 0)
			break;
		it->customers = sorted_distinct(&people);
		r = label_entries(&labels, it, raw, &w->dups);
	}
	if (r >= 0 && rv->ncore)
		qsort(rv->core, rv->ncore, sizeof(*rv->core), cmp_core);
	if (r >= 0)
		r = rank_labels(rv, &labels);
	strs_release(&people);
	strs_release(&labels);
	psm_review__core_release(w);
	return r;
}

void psm_review__core_release(struct psm_review_work *w)
{
	size_t i;

	for (i = 0; w->core && i < w->core_n; i++)
		core_raw_release(&w->core[i]);
	free(w->core);
	w->core = NULL;
	w->core_n = 0;
	strs_release(&w->dups);
}
