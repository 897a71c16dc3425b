/* The weekly review's figures (review.h), one issue at a time. */
#include "review-int.h"

#include <stdlib.h>
#include <string.h>

#include "psm/error.h"
#include "psm/grow.h"
#include "psm/query.h"

#define DAY ((int64_t)86400)
#define WEEK (7 * DAY)

/* One allocation: the struct, then its strings. */
static struct psm_review_issue *copy_issue(const struct psm_issue *issue)
{
	const char *src[5];
	char **dst[5];
	size_t len[5], total = 0, i;
	struct psm_review_issue *k;
	char *p;

	src[0] = psm_issue_get(issue, "id");
	src[1] = psm_issue_get(issue, "title");
	src[2] = psm_issue_get(issue, "status");
	src[3] = psm_issue_get(issue, "resolution");
	src[4] = issue->path;
	for (i = 0; i < 5; i++)
		total += len[i] = src[i] ? strlen(src[i]) + 1 : 0;
	if (!(k = calloc(1, sizeof(*k) + total)))
		return NULL;
	dst[0] = &k->id;
	dst[1] = &k->title;
	dst[2] = &k->status;
	dst[3] = &k->resolution;
	dst[4] = &k->path;
	for (p = (char *)(k + 1), i = 0; i < 5; p += len[i], i++)
		if (src[i])
			*dst[i] = memcpy(p, src[i], len[i]);
	k->created = issue->sort_created;
	k->reporters = psm_issue_reporter_count(issue);
	return k;
}

const struct psm_review_issue *psm_review__keep(struct psm_review *rv, const struct psm_issue *issue)
{
	struct psm_review_work *w = rv->work;
	struct psm_review_issue **nv;

	if (w->cur)
		return w->cur;
	if (!(nv = psm_grow(rv->kept, rv->nkept, &w->kept_alloc, sizeof(*nv), 256)))
		return NULL;
	rv->kept = nv;
	if (!(w->cur = copy_issue(issue)))
		return NULL;
	rv->kept[rv->nkept++] = w->cur;
	return w->cur;
}

static int cmp_path(const struct psm_review_issue *a, const struct psm_review_issue *b)
{
	return strcmp(a->path ? a->path : "", b->path ? b->path : "");
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

/* A new item of a list, the issue copied. */
static struct psm_review_item *list_add(struct psm_review *rv, struct psm_review_item **v,
					size_t *n, size_t *alloc, const struct psm_issue *issue)
{
	struct psm_review_item *nv = psm_grow(*v, *n, alloc, sizeof(*nv), 64), *it;

	if (!nv)
		return NULL;
	*v = nv;
	it = &nv[*n];
	memset(it, 0, sizeof(*it));
	if (!(it->issue = psm_review__keep(rv, issue)))
		return NULL;
	(*n)++;
	return it;
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

static void trend(struct psm_review *rv, const struct psm_issue_times *tm)
{
	size_t k;

	for (k = 0; k < PSM_REVIEW_TREND_WEEKS; k++) {
		struct psm_review_week *w = &rv->weeks[k];

		w->created += in_range(tm->created, w->monday, w->monday + WEEK);
		w->closed += closed_in(tm, w->monday, w->monday + WEEK, 0);
		w->duplicates += closed_in(tm, w->monday, w->monday + WEEK, 1);
	}
	rv->open += tm->created != PSM_NO_TIME && tm->created < rv->at &&
		    (tm->open || (tm->closed != PSM_NO_TIME && tm->closed > rv->at));
}

static int took_too_long(struct psm_review *rv, const struct psm_issue *issue,
			 const struct psm_issue_times *tm)
{
	struct psm_review_work *w = rv->work;
	const struct psm_service *sv = w->sv;
	struct psm_review_item *it;
	unsigned b;

	if (!tm->duplicate && in_range(tm->first_closed, rv->from, rv->to) &&
	    tm->created != PSM_NO_TIME && tm->first_closed >= tm->created) {
		if (!(it = list_add(rv, &rv->slow, &rv->nslow, &w->slow_alloc, issue)))
			return psm_oom();
		it->when = tm->first_closed - tm->created;
		it->biz = sv->biz ? psm_bizhours_between(sv->biz, tm->created, tm->first_closed) : -1;
		it->target = psm_service_target(sv, issue);
		if (it->target && it->target->resolution &&
		    psm_service_elapsed(sv, tm->created, tm->first_closed) > it->target->resolution)
			it->breach = PSM_SLA_RESOLUTION;
	}
	if ((b = psm_service_breach_times(sv, issue, tm, rv->at))) {
		if (!(it = list_add(rv, &rv->late, &rv->nlate, &w->late_alloc, issue)))
			return psm_oom();
		it->when = tm->created;
		it->target = psm_service_target(sv, issue);
		it->breach = b;
	}
	return 0;
}

static void churn(struct psm_review *rv, const struct psm_issue *issue,
		  const struct psm_issue_times *tm)
{
	int slot = psm_churn_slot(issue);

	if (slot < 0)
		return;
	rv->churn_week[slot] += in_range(tm->created, rv->from, rv->to);
	rv->churn_recent[slot] += in_range(tm->created, rv->to - PSM_REVIEW_CHURN_WEEKS * WEEK, rv->to);
}

static int followups_owed(struct psm_review *rv, const struct psm_issue *issue,
			  const struct psm_issue_times *tm)
{
	struct psm_review_item *it;

	if (!tm->open && tm->has_reporters && !tm->duplicate && tm->closed != PSM_NO_TIME &&
	    tm->closed <= rv->at &&
	    (tm->followup_done == PSM_NO_TIME || tm->followup_done > rv->at)) {
		if (!(it = list_add(rv, &rv->owed, &rv->nowed, &rv->work->owed_alloc, issue)))
			return psm_oom();
		it->when = tm->closed;
	}
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
 * tag at or before its creation; NULL when none (*oom set when out of memory). */
static struct psm_review_release *find_release(struct psm_review *rv, const char *name,
					       int64_t created, int *oom)
{
	struct psm_review_release *v;
	size_t i;

	if (name) {
		for (i = 0; i < rv->nreleases; i++)
			if (!strcmp(rv->releases[i].name, name) ||
			    (rv->releases[i].when != PSM_NO_TIME && same_release(rv->releases[i].name, name)))
				return &rv->releases[i];
		if (!(v = psm_grow(rv->releases, rv->nreleases, &rv->work->rel_alloc, sizeof(*v), 16)))
			return *oom = 1, NULL;
		rv->releases = v;
		/* an untagged release name, the review's own */
		if (!(rv->releases[rv->nreleases].name = psm_strdup(name)))
			return *oom = 1, NULL;
		rv->releases[rv->nreleases].when = PSM_NO_TIME;
		rv->releases[rv->nreleases].issues = 0;
		rv->releases[rv->nreleases].confusion = 0;
		rv->releases[rv->nreleases].core = 0;
		return &rv->releases[rv->nreleases++];
	}
	for (i = rv->ntagged; i > 0; i--)
		if (rv->releases[i - 1].when <= created)
			return &rv->releases[i - 1];
	return NULL;
}

static int releases(struct psm_review *rv, const struct psm_issue *issue,
		    const struct psm_issue_times *tm)
{
	struct psm_review_release *r;
	int oom = 0;

	if (tm->created == PSM_NO_TIME || tm->created >= rv->to)
		return 0;
	if (!(r = find_release(rv, psm_issue_get(issue, "release"), tm->created, &oom)))
		return oom ? psm_oom() : 0;
	r->issues++;
	r->confusion += psm_review_confusing(issue);
	r->core += psm_streq(psm_issue_get(issue, "impact"), "core");
	return 0;
}

int psm_review_begin(struct psm_review *rv, const struct psm_service *sv,
		     const struct psm_release *tags, size_t ntags, int64_t monday, int64_t now)
{
	size_t i, k;

	memset(rv, 0, sizeof(*rv));
	rv->from = monday;
	rv->to = monday + WEEK;
	rv->at = rv->to < now ? rv->to : now;
	for (k = 0; k < PSM_REVIEW_TREND_WEEKS; k++)
		rv->weeks[k].monday = rv->from - (int64_t)(PSM_REVIEW_TREND_WEEKS - 1 - k) * WEEK;
	if (!(rv->work = calloc(1, sizeof(*rv->work))))
		return psm_oom();
	rv->work->sv = sv;
	rv->work->cfg = sv ? sv->cfg : NULL;
	while (ntags && tags[ntags - 1].when >= rv->to) /* not yet tagged in that week */
		ntags--;
	rv->work->rel_alloc = ntags + 16;
	if (!(rv->releases = calloc(rv->work->rel_alloc, sizeof(*rv->releases)))) {
		psm_review_release(rv);
		return psm_oom();
	}
	for (i = 0; i < ntags; i++) {
		rv->releases[i].name = tags[i].name;
		rv->releases[i].when = tags[i].when;
	}
	rv->nreleases = rv->ntagged = ntags;
	return 0;
}

int psm_review_add(struct psm_review *rv, const struct psm_issue *issue)
{
	struct psm_issue_times tm;
	int r;

	rv->work->cur = NULL; /* a new issue: copied when a list takes it */
	psm_issue_times(&tm, issue, rv->work->cfg);
	trend(rv, &tm);
	churn(rv, issue, &tm);
	if ((r = psm_review__core_add(rv, issue, &tm)) < 0 || (r = took_too_long(rv, issue, &tm)) < 0 ||
	    (r = releases(rv, issue, &tm)) < 0 || (r = followups_owed(rv, issue, &tm)) < 0)
		psm_review_release(rv);
	else
		rv->work->cur = NULL;
	return r;
}

int psm_review_finish(struct psm_review *rv)
{
	int r;

	if ((r = psm_review__core_finish(rv)) < 0) {
		psm_review_release(rv);
		return r;
	}
	if (rv->nslow)
		qsort(rv->slow, rv->nslow, sizeof(*rv->slow), cmp_when_desc);
	if (rv->nlate)
		qsort(rv->late, rv->nlate, sizeof(*rv->late), cmp_when);
	if (rv->nowed)
		qsort(rv->owed, rv->nowed, sizeof(*rv->owed), cmp_when);
	free(rv->work);
	rv->work = NULL;
	return 0;
}

int psm_review_compute(struct psm_review *rv, const struct psm_issue_set *set,
		       const struct psm_service *sv, const struct psm_release *tags,
		       size_t ntags, int64_t monday, int64_t now)
{
	size_t i;
	int r;

	if ((r = psm_review_begin(rv, sv, tags, ntags, monday, now)) < 0)
		return r;
	for (i = 0; i < set->n; i++)
		if ((r = psm_review_add(rv, set->v[i])) < 0)
			return r;
	return psm_review_finish(rv);
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
	for (i = rv->ntagged; i < rv->nreleases; i++) /* the untagged names are copies */
		free((char *)rv->releases[i].name);
	free(rv->releases);
	free(rv->owed);
	for (i = 0; i < rv->nkept; i++)
		free(rv->kept[i]); /* its strings with it */
	free(rv->kept);
	if (rv->work) {
		psm_review__core_release(rv->work);
		free(rv->work);
	}
	memset(rv, 0, sizeof(*rv));
}
