#include "psm/metrics.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "psm/error.h"
#include "psm/time.h"

const char *const psm_churn_keys[PSM_CHURN_SLOTS] = {
	"bugs", "missing-capability", "confusion", "weak-onboarding", "bad-fit",
	"other", "unstated"
};
const char *const psm_churn_names[PSM_CHURN_SLOTS] = {
	"bugs", "missing capability", "confusion", "weak onboarding", "bad fit",
	"other", "unstated"
};

int64_t psm_percentile(const int64_t *sorted, size_t n, int p)
{
	size_t rank = ((size_t)p * n + 99) / 100;

	if (rank < 1)
		rank = 1;
	if (rank > n)
		rank = n;
	return sorted[rank - 1];
}

/* "Missing capability", "missing_capability" -> "missing-capability". */
static int churn_match(const char *reason, const char *key)
{
	for (; *reason && *key; reason++, key++) {
		int c = tolower((unsigned char)*reason);

		if (c == ' ' || c == '_')
			c = '-';
		if (c != *key)
			return 0;
	}
	return !*reason && !*key;
}

int psm_churn_slot(const struct psm_issue *issue)
{
	const struct psm_node *n = psm_issue_node(issue, "churn_reason");
	const char *reason = psm_node_str(n);
	int i;

	if ((!n || psm_node_is_null(n)) && !psm_issue_list_has(issue, "labels", "churn"))
		return -1;
	if (n && !psm_node_is_null(n) && !reason)
		return PSM_CHURN_OTHER; /* a list or map: not one of ours */
	if (!reason || !*reason)
		return PSM_CHURN_UNSTATED;
	for (i = 0; i < PSM_CHURN_KNOWN; i++)
		if (churn_match(reason, psm_churn_keys[i]))
			return i;
	if (churn_match(reason, "bug"))
		return 0;
	return PSM_CHURN_OTHER;
}

/* Durations collected for one figure: calendar and business seconds. */
struct samples {
	int64_t *cal, *biz;
	size_t n;
};

static int samples_init(struct samples *s, size_t cap, int biz)
{
	s->n = 0;
	s->cal = calloc(cap ? cap : 1, sizeof(*s->cal));
	s->biz = biz ? calloc(cap ? cap : 1, sizeof(*s->biz)) : NULL;
	return s->cal && (!biz || s->biz) ? 0 : psm_oom();
}

static void samples_add(struct samples *s, const struct psm_service *sv, int64_t from, int64_t to)
{
	if (from == PSM_NO_TIME || to < from)
		return; /* no start, or times out of order: not a duration */
	s->cal[s->n] = to - from;
	if (s->biz)
		s->biz[s->n] = psm_bizhours_between(sv->biz, from, to);
	s->n++;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

static void samples_summarize(struct psm_durations *d, struct samples *s)
{
	memset(d, 0, sizeof(*d));
	d->n = s->n;
	if (!s->n)
		return;
	qsort(s->cal, s->n, sizeof(*s->cal), cmp_i64);
	d->median = psm_percentile(s->cal, s->n, 50);
	d->p90 = psm_percentile(s->cal, s->n, 90);
	if (s->biz) {
		qsort(s->biz, s->n, sizeof(*s->biz), cmp_i64);
		d->biz_median = psm_percentile(s->biz, s->n, 50);
		d->biz_p90 = psm_percentile(s->biz, s->n, 90);
	}
}

static void samples_release(struct samples *s)
{
	free(s->cal);
	free(s->biz);
}

struct pass {
	const struct psm_period *p;
	const struct psm_service *sv;
	int64_t at;
	struct psm_metrics *m;
	struct samples fr, res, full;
};

static int in_period(const struct psm_period *p, int64_t t)
{
	return t != PSM_NO_TIME && (p->since == PSM_NO_TIME || t >= p->since) && t < p->until;
}

static void count_ratings(struct pass *ps, const struct psm_issue *issue)
{
	const struct psm_node *r = psm_issue_node(issue, "ratings");
	size_t i;
	int64_t t;

	if (!r || r->kind != PSM_SEQ)
		return;
	for (i = 0; i < r->n; i++) {
		const char *v = psm_node_get_str(r->items[i], "value");

		if (r->items[i]->kind != PSM_MAP || !v ||
		    psm_time_parse(psm_node_get_str(r->items[i], "at"), &t) < 0 ||
		    !in_period(ps->p, t))
			continue;
		if (!strcmp(v, "good"))
			ps->m->good++;
		else if (!strcmp(v, "bad"))
			ps->m->bad++;
	}
}

static void count_targets(struct pass *ps, const struct psm_issue *issue,
			  const struct psm_issue_times *t)
{
	const struct psm_target *tg = psm_service_target(ps->sv, issue);
	const struct psm_service *sv = ps->sv;
	struct psm_target_count *c;
	int open = psm_issue_times_open_at(t, ps->at);

	if (!tg || t->created == PSM_NO_TIME)
		return;
	c = &ps->m->targets[tg - sv->targets];
	if (tg->first_response && in_period(ps->p, t->responded) && t->responded >= t->created) {
		if (psm_service_elapsed(sv, t->created, t->responded) <= tg->first_response)
			c->response_met++;
		else
			c->response_breached++;
	}
	if (tg->first_response && open &&
	    (t->responded == PSM_NO_TIME || t->responded >= ps->at) &&
	    psm_service_elapsed(sv, t->created, ps->at) > tg->first_response)
		c->response_overdue++;
	if (tg->resolution && !t->duplicate && in_period(ps->p, t->first_closed) &&
	    t->first_closed >= t->created) {
		if (psm_service_elapsed(sv, t->created, t->first_closed) <= tg->resolution)
			c->resolution_met++;
		else
			c->resolution_breached++;
	}
	if (tg->resolution && open && psm_service_elapsed(sv, t->created, ps->at) > tg->resolution)
		c->resolution_overdue++;
}

static void count_issue(struct pass *ps, const struct psm_issue *issue)
{
	struct psm_metrics *m = ps->m;
	struct psm_issue_times t;
	int slot;

	psm_issue_times(&t, issue, ps->sv->cfg);
	m->created += in_period(ps->p, t.created);
	m->open += psm_issue_times_open_at(&t, ps->at);
	if (in_period(ps->p, t.responded))
		samples_add(&ps->fr, ps->sv, t.created, t.responded);
	count_targets(ps, issue, &t);
	/*
	 * A duplicate is closed when someone sees it is one, not when the
	 * customer's problem is solved: counted on its own and kept out of
	 * the resolution and satisfaction figures (docs/metrics.md).
	 */
	if (t.duplicate) {
		m->duplicates += !t.open && in_period(ps->p, t.closed);
	} else {
		m->closed += !t.open && in_period(ps->p, t.closed);
		m->reopened += t.reopened > 0 && in_period(ps->p, t.first_closed);
		if (in_period(ps->p, t.first_closed))
			samples_add(&ps->res, ps->sv, t.created, t.first_closed);
		if (t.reopened > 0 && !t.open && in_period(ps->p, t.closed))
			samples_add(&ps->full, ps->sv, t.created, t.closed);
		count_ratings(ps, issue);
	}
	/* owed at `at`: closed by then, reporters, not told by then; a
	 * duplicate's reporters are told through the issue it duplicates */
	if (!t.open && t.has_reporters && !t.duplicate &&
	    (t.closed == PSM_NO_TIME || t.closed <= ps->at) &&
	    (t.followup_done == PSM_NO_TIME || t.followup_done > ps->at)) {
		m->followups_owed++;
		if (t.closed != PSM_NO_TIME &&
		    (!m->followup_oldest_issue || ps->at - t.closed > m->followup_oldest)) {
			m->followup_oldest = ps->at - t.closed;
			m->followup_oldest_issue = issue;
		}
	}
	if ((slot = psm_churn_slot(issue)) >= 0 && in_period(ps->p, t.created)) {
		m->churn++;
		m->churn_by[slot]++;
	}
}

int psm_metrics_compute(struct psm_metrics *out, struct psm_issue *const *v, size_t n,
			const struct psm_period *p, const struct psm_service *sv, int64_t now)
{
	struct pass ps = { p, sv, p->until < now ? p->until : now, out, { 0 }, { 0 }, { 0 } };
	int biz = sv->biz != NULL, r;
	size_t i;

	memset(out, 0, sizeof(*out));
	if ((r = samples_init(&ps.fr, n, biz)) < 0 || (r = samples_init(&ps.res, n, biz)) < 0 ||
	    (r = samples_init(&ps.full, n, biz)) < 0)
		goto out;
	if (sv->ntargets && !(out->targets = calloc(sv->ntargets, sizeof(*out->targets)))) {
		r = psm_oom();
		goto out;
	}
	out->ntargets = sv->ntargets;
	for (i = 0; i < sv->ntargets; i++)
		out->targets[i].target = &sv->targets[i];
	for (i = 0; i < n; i++)
		count_issue(&ps, v[i]);
	samples_summarize(&out->first_response, &ps.fr);
	samples_summarize(&out->resolution, &ps.res);
	samples_summarize(&out->full_resolution, &ps.full);
	r = 0;
out:
	samples_release(&ps.fr);
	samples_release(&ps.res);
	samples_release(&ps.full);
	if (r < 0)
		psm_metrics_release(out);
	return r;
}

void psm_metrics_release(struct psm_metrics *m)
{
	free(m->targets);
	m->targets = NULL;
	m->ntargets = 0;
}

int psm_metrics_satisfaction(const struct psm_metrics *m)
{
	size_t total = m->good + m->bad;

	if (!total)
		return -1;
	return (int)((200 * m->good + total) / (2 * total));
}
