/* The weekly review's figures (review.h). */
#include "psm/review.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "psm/error.h"
#include "psm/grow.h"
#include "psm/people.h"

#define DAY ((int64_t)86400)
#define WEEK (7 * DAY)

/* A list of owned strings, sorted and counted for distinct entries. */
struct strs {
	char **v;
	size_t n, alloc;
};

static int strs_push(struct strs *s, struct strbuf *sb)
{
	char **nv = sb->oom ? NULL : psm_grow(s->v, s->n, &s->alloc, sizeof(*nv), 64);

	if (!nv)
		return psm_oom();
	s->v = nv;
	if (!(s->v[s->n] = strbuf_detach(sb, NULL)))
		return psm_oom();
	s->n++;
	return 0;
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

/* "id\037customer" for every duplicate with a customer: customers a target carries. */
static int dup_customers(struct strs *out, const struct psm_issue_set *set)
{
	size_t i;
	int r;

	for (i = 0; i < set->n; i++) {
		const char *of = psm_issue_get(set->v[i], "duplicate_of");
		const char *cust = psm_issue_get(set->v[i], "customer");
		struct strbuf sb = STRBUF_INIT;

		if (!of || !cust)
			continue;
		strbuf_addf(&sb, "%s\037%s", of, cust);
		if ((r = strs_push(out, &sb)) < 0)
			return r;
	}
	if (out->n)
		qsort(out->v, out->n, sizeof(*out->v), cmp_strp);
	return 0;
}

/* Append "prefix\037customer" for the issue's own customers (its
 * `customer`, its reporters': people.h, never the team) and its duplicates'. */
static int issue_customers(struct strs *out, const char *prefix, const struct psm_issue *issue,
			   const struct strs *dups, const struct psm_config *cfg)
{
	const char *id = psm_issue_get(issue, "id");
	size_t idlen = id ? strlen(id) : 0, lo = 0, hi = dups->n, i, n;
	struct psm_customer *own = calloc(psm_issue_count(issue, "reporters") + 1, sizeof(*own));
	struct strbuf sb = STRBUF_INIT;
	int r = 0;

	if (!own)
		return psm_oom();
	n = psm_people_customers(own, cfg, issue);
	for (i = 0; i < n && r >= 0; i++) {
		strbuf_addf(&sb, "%s\037%s", prefix, own[i].name);
		r = strs_push(out, &sb);
	}
	free(own);
	if (r < 0 || !id)
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

static int issue_reporters(struct strs *out, const struct psm_issue *issue)
{
	const struct psm_node *reps = psm_issue_node(issue, "reporters");
	struct strbuf sb = STRBUF_INIT;
	size_t j;
	int r;

	for (j = 0; reps && reps->kind == PSM_SEQ && j < reps->n; j++) {
		reporter_key(&sb, issue, j);
		if ((r = strs_push(out, &sb)) < 0)
			return r;
	}
	return 0;
}

static int cmp_path(const struct psm_issue *a, const struct psm_issue *b)
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
	if (x->issue->sort_created != y->issue->sort_created)
		return x->issue->sort_created < y->issue->sort_created ? -1 : 1;
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

/* Longest first (slow). */
static int cmp_when_desc(const void *a, const void *b)
{
	const struct psm_review_item *x = a, *y = b;

	if (x->when != y->when)
		return x->when > y->when ? -1 : 1;
	return cmp_path(x->issue, y->issue);
}

/* Earliest first (late, owed). */
static int cmp_when(const void *a, const void *b)
{
	const struct psm_review_item *x = a, *y = b;

	if (x->when != y->when)
		return x->when < y->when ? -1 : 1;
	return cmp_path(x->issue, y->issue);
}

/*
 * Per label: "label\037r\037who", "label\037c\037customer" and
 * "label\037i\037path" entries; sorted, each label's distinct counts are runs.
 */
static int label_entries(struct strs *out, const struct psm_issue *issue, const struct strs *dups,
			 const struct psm_config *cfg)
{
	const struct psm_node *labels = psm_issue_node(issue, "labels");
	const struct psm_node *reps = psm_issue_node(issue, "reporters");
	struct strbuf sb = STRBUF_INIT;
	size_t i, j;
	int r = 0;

	for (i = 0; r >= 0 && labels && labels->kind == PSM_SEQ && i < labels->n; i++) {
		const char *l = psm_node_str(labels->items[i]);

		if (!l)
			continue;
		strbuf_addf(&sb, "%s\037i\037%s", l, issue->path ? issue->path : "?");
		r = strs_push(out, &sb);
		for (j = 0; r >= 0 && reps && reps->kind == PSM_SEQ && j < reps->n; j++) {
			strbuf_addf(&sb, "%s\037r\037", l);
			reporter_key(&sb, issue, j);
			r = strs_push(out, &sb);
		}
		strbuf_addf(&sb, "%s\037c", l);
		if (r >= 0)
			r = sb.oom ? psm_oom() : issue_customers(out, sb.buf, issue, dups, cfg);
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

static int in_range(int64_t t, int64_t a, int64_t b)
{
	return t != PSM_NO_TIME && t >= a && t < b;
}

/* Closed in [a, b), as a duplicate (merged, not resolved) or not. */
static int closed_in(const struct psm_issue_times *tm, int64_t a, int64_t b, int duplicate)
{
	return !tm->open && !tm->duplicate == !duplicate && in_range(tm->closed, a, b);
}

static void trend(struct psm_review *rv, const struct psm_issue_set *set,
		  const struct psm_issue_times *times)
{
	size_t i, k;

	for (k = 0; k < PSM_REVIEW_TREND_WEEKS; k++) {
		struct psm_review_week *w = &rv->weeks[k];

		w->monday = rv->from - (int64_t)(PSM_REVIEW_TREND_WEEKS - 1 - k) * WEEK;
		for (i = 0; i < set->n; i++) {
			w->created += in_range(times[i].created, w->monday, w->monday + WEEK);
			w->closed += closed_in(&times[i], w->monday, w->monday + WEEK, 0);
			w->duplicates += closed_in(&times[i], w->monday, w->monday + WEEK, 1);
		}
	}
	for (i = 0; i < set->n; i++) {
		const struct psm_issue_times *tm = &times[i];

		rv->open += tm->created != PSM_NO_TIME && tm->created < rv->at &&
			    (tm->open || (tm->closed != PSM_NO_TIME && tm->closed > rv->at));
	}
}

static int blocked(struct psm_review *rv, const struct psm_issue_set *set,
		   const struct psm_issue_times *times, const struct psm_config *cfg)
{
	struct strs dups = { 0 }, labels = { 0 }, people = { 0 };
	size_t i;
	int r;

	if (!(rv->core = calloc(set->n + 1, sizeof(*rv->core))))
		return psm_oom();
	if ((r = dup_customers(&dups, set)) < 0)
		goto out;
	for (i = 0; i < set->n; i++) {
		const struct psm_issue_times *tm = &times[i];
		struct psm_review_item *it = &rv->core[rv->ncore];

		if (!psm_streq(psm_issue_get(set->v[i], "impact"), "core") ||
		    tm->created == PSM_NO_TIME || tm->created >= rv->to ||
		    (!tm->open && (tm->closed == PSM_NO_TIME || tm->closed < rv->from)))
			continue;
		it->issue = set->v[i];
		/* people and accounts counted as for labels, so the two agree */
		if ((r = issue_reporters(&people, set->v[i])) < 0)
			goto out;
		it->reporters = sorted_distinct(&people);
		if ((r = issue_customers(&people, "", set->v[i], &dups, cfg)) < 0)
			goto out;
		it->customers = sorted_distinct(&people);
		rv->ncore++;
		if ((r = label_entries(&labels, set->v[i], &dups, cfg)) < 0)
			goto out;
	}
	qsort(rv->core, rv->ncore, sizeof(*rv->core), cmp_core);
	r = rank_labels(rv, &labels);
out:
	strs_release(&people);
	strs_release(&labels);
	strs_release(&dups);
	return r;
}

static int took_too_long(struct psm_review *rv, const struct psm_issue_set *set,
			 const struct psm_issue_times *times, const struct psm_service *sv)
{
	size_t i;

	rv->slow = calloc(set->n + 1, sizeof(*rv->slow));
	rv->late = calloc(set->n + 1, sizeof(*rv->late));
	if (!rv->slow || !rv->late)
		return psm_oom();
	for (i = 0; i < set->n; i++) {
		const struct psm_issue_times *tm = &times[i];
		unsigned b;

		if (!tm->duplicate && in_range(tm->first_closed, rv->from, rv->to) &&
		    tm->created != PSM_NO_TIME && tm->first_closed >= tm->created) {
			struct psm_review_item *it = &rv->slow[rv->nslow++];

			it->issue = set->v[i];
			it->when = tm->first_closed - tm->created;
			it->biz = sv->biz ? psm_bizhours_between(sv->biz, tm->created, tm->first_closed)
					  : -1;
			it->target = psm_service_target(sv, set->v[i]);
			if (it->target && it->target->resolution &&
			    psm_service_elapsed(sv, tm->created, tm->first_closed) > it->target->resolution)
				it->breach = PSM_SLA_RESOLUTION;
		}
		if ((b = psm_service_breach(sv, set->v[i], rv->at))) {
			struct psm_review_item *it = &rv->late[rv->nlate++];

			it->issue = set->v[i];
			it->when = tm->created;
			it->target = psm_service_target(sv, set->v[i]);
			it->breach = b;
		}
	}
	qsort(rv->slow, rv->nslow, sizeof(*rv->slow), cmp_when_desc);
	qsort(rv->late, rv->nlate, sizeof(*rv->late), cmp_when);
	return 0;
}

static void churn(struct psm_review *rv, const struct psm_issue_set *set,
		  const struct psm_issue_times *times)
{
	size_t i;

	for (i = 0; i < set->n; i++) {
		int slot = psm_churn_slot(set->v[i]);

		if (slot < 0)
			continue;
		rv->churn_week[slot] += in_range(times[i].created, rv->from, rv->to);
		rv->churn_recent[slot] += in_range(times[i].created,
						   rv->to - PSM_REVIEW_CHURN_WEEKS * WEEK, rv->to);
	}
}

static int followups_owed(struct psm_review *rv, const struct psm_issue_set *set,
			  const struct psm_issue_times *times)
{
	size_t i;

	if (!(rv->owed = calloc(set->n + 1, sizeof(*rv->owed))))
		return psm_oom();
	for (i = 0; i < set->n; i++) {
		const struct psm_issue_times *tm = &times[i];

		if (!tm->open && tm->has_reporters && !tm->duplicate && tm->closed != PSM_NO_TIME &&
		    tm->closed <= rv->at &&
		    (tm->followup_done == PSM_NO_TIME || tm->followup_done > rv->at)) {
			rv->owed[rv->nowed].issue = set->v[i];
			rv->owed[rv->nowed++].when = tm->closed;
		}
	}
	qsort(rv->owed, rv->nowed, sizeof(*rv->owed), cmp_when);
	return 0;
}

int psm_review_confusing(const struct psm_issue *issue)
{
	return psm_streq(psm_issue_get(issue, "impact"), "explanation") ||
	       psm_streq(psm_issue_get(issue, "type"), "usability") ||
	       psm_streq(psm_issue_get(issue, "type"), "docs") ||
	       psm_churn_slot(issue) == 2 || psm_issue_list_has(issue, "labels", "confusion");
}

/* "v1.2" and "1.2" name one release. */
static int same_release(const char *a, const char *b)
{
	if (*a == 'v' || *a == 'V')
		a++;
	if (*b == 'v' || *b == 'V')
		b++;
	return !strcmp(a, b);
}

/* The release an issue was created against: its `release`, else the latest
 * tag at or before its creation; NULL when none. */
static struct psm_review_release *find_release(struct psm_review *rv, const char *name,
					       int64_t created)
{
	size_t i;

	if (name) {
		for (i = 0; i < rv->nreleases; i++)
			if (!strcmp(rv->releases[i].name, name) ||
			    (rv->releases[i].when != PSM_NO_TIME && same_release(rv->releases[i].name, name)))
				return &rv->releases[i];
		rv->releases[rv->nreleases].name = name; /* an untagged release name */
		rv->releases[rv->nreleases].when = PSM_NO_TIME;
		return &rv->releases[rv->nreleases++];
	}
	for (i = rv->ntagged; i > 0; i--)
		if (rv->releases[i - 1].when <= created)
			return &rv->releases[i - 1];
	return NULL;
}

static int releases(struct psm_review *rv, const struct psm_issue_set *set,
		    const struct psm_issue_times *times, const struct psm_release *tags,
		    size_t ntags)
{
	size_t i;

	while (ntags && tags[ntags - 1].when >= rv->to) /* not yet tagged in that week */
		ntags--;
	if (!(rv->releases = calloc(ntags + set->n + 1, sizeof(*rv->releases))))
		return psm_oom();
	for (i = 0; i < ntags; i++) {
		rv->releases[i].name = tags[i].name;
		rv->releases[i].when = tags[i].when;
	}
	rv->nreleases = rv->ntagged = ntags;
	for (i = 0; i < set->n; i++) {
		struct psm_review_release *r;

		if (times[i].created == PSM_NO_TIME || times[i].created >= rv->to)
			continue;
		if (!(r = find_release(rv, psm_issue_get(set->v[i], "release"), times[i].created)))
			continue;
		r->issues++;
		r->confusion += psm_review_confusing(set->v[i]);
		r->core += psm_streq(psm_issue_get(set->v[i], "impact"), "core");
	}
	return 0;
}

int psm_review_compute(struct psm_review *rv, const struct psm_issue_set *set,
		       const struct psm_service *sv, const struct psm_release *tags,
		       size_t ntags, int64_t monday, int64_t now)
{
	struct psm_issue_times *times;
	size_t i;
	int r;

	memset(rv, 0, sizeof(*rv));
	rv->from = monday;
	rv->to = monday + WEEK;
	rv->at = rv->to < now ? rv->to : now;
	if (!(times = calloc(set->n + 1, sizeof(*times))))
		return psm_oom();
	for (i = 0; i < set->n; i++)
		psm_issue_times(&times[i], set->v[i], sv ? sv->cfg : NULL);
	trend(rv, set, times);
	churn(rv, set, times);
	if ((r = blocked(rv, set, times, sv ? sv->cfg : NULL)) < 0 || (r = took_too_long(rv, set, times, sv)) < 0 ||
	    (r = releases(rv, set, times, tags, ntags)) < 0 ||
	    (r = followups_owed(rv, set, times)) < 0)
		psm_review_release(rv);
	free(times);
	return r;
}

void psm_review_release(struct psm_review *rv)
{
	size_t i;

	for (i = 0; i < rv->nlabels; i++)
		free(rv->labels[i].label);
	free(rv->labels);
	free(rv->core);
	free(rv->slow);
	free(rv->late);
	free(rv->releases);
	free(rv->owed);
	memset(rv, 0, sizeof(*rv));
}
