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
	size_t n, alloc;
};

static int samples_add(struct samples *s, const struct psm_service *sv, int64_t from, int64_t to)
{
	if (from == PSM_NO_TIME || to < from)
		return 0; /* no start, or times out of order: not a duration */
	if (s->n == s->alloc) {
		size_t alloc = s->alloc ? 2 * s->alloc : 256;
		int64_t *cal = realloc(s->cal, alloc * sizeof(*cal)), *biz;

		if (!cal)
			return psm_oom();
		s->cal = cal;
		if (sv->biz) {
			if (!(biz = realloc(s->biz, alloc * sizeof(*biz))))
				return psm_oom();
			s->biz = biz;
		}
		s->alloc = alloc;
	}
	s->cal[s->n] = to - from;
	if (sv->biz)
		s->biz[s->n] = psm_bizhours_between(sv->biz, from, to);
	s->n++;
	return 0;
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

/* What psm_metrics_add() keeps: the figures so far and the durations. */
struct psm_metrics_acc {
	const struct psm_period *p;
	const struct psm_service *sv;
	int64_t at;
	struct psm_metrics m;
	struct samples fr, res, full;
};

static int in_period(const struct psm_period *p, int64_t t)
{
	return t != PSM_NO_TIME && (p->since == PSM_NO_TIME || t >= p->since) && t < p->until;
}

static void count_ratings(struct psm_metrics_acc *ps, const struct psm_issue *issue)
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
			ps->m.good++;
		else if (!strcmp(v, "bad"))
			ps->m.bad++;
	}
}

static void count_targets(struct psm_metrics_acc *ps, const struct psm_issue *issue,
			  const struct psm_issue_times *t)
{
	const struct psm_target *tg = psm_service_target(ps->sv, issue);
	const struct psm_service *sv = ps->sv;
	struct psm_target_count *c;
	int open = psm_issue_times_open_at(t, ps->at);

	if (!tg || t->created == PSM_NO_TIME)
		return;
	c = &ps->m.targets[tg - sv->targets];
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

/* The oldest follow-up owed: its age and the ID (copied: the issue may not
 * outlive the call); the first one met wins a tie. */
static int note_oldest(struct psm_metrics *m, const struct psm_issue *issue, int64_t age)
{
	const char *id = psm_issue_get(issue, "id");
	char *copy = NULL;

	if (m->has_followup_oldest && age <= m->followup_oldest)
		return 0;
	if (id && !(copy = psm_strdup(id)))
		return psm_oom();
	free(m->followup_oldest_id);
	m->followup_oldest_id = copy;
	m->followup_oldest = age;
	m->has_followup_oldest = 1;
	return 0;
}

int psm_metrics_add(struct psm_metrics_acc *ps, const struct psm_issue *issue)
{
	struct psm_metrics *m = &ps->m;
	struct psm_issue_times t;
	int slot, r;

	psm_issue_times(&t, issue, ps->sv->cfg);
	m->created += in_period(ps->p, t.created);
	m->open += psm_issue_times_open_at(&t, ps->at);
	if (in_period(ps->p, t.responded) && (r = samples_add(&ps->fr, ps->sv, t.created, t.responded)) < 0)
		return r;
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
		if (in_period(ps->p, t.first_closed) &&
		    (r = samples_add(&ps->res, ps->sv, t.created, t.first_closed)) < 0)
			return r;
		if (t.reopened > 0 && !t.open && in_period(ps->p, t.closed) &&
		    (r = samples_add(&ps->full, ps->sv, t.created, t.closed)) < 0)
			return r;
		count_ratings(ps, issue);
	}
	/* owed at `at`: closed by then, reporters, not told by then; a
	 * duplicate's reporters are told through the issue it duplicates */
	if (!t.open && t.has_reporters && !t.duplicate &&
	    (t.closed == PSM_NO_TIME || t.closed <= ps->at) &&
	    (t.followup_done == PSM_NO_TIME || t.followup_done > ps->at)) {
		m->followups_owed++;
		if (t.closed != PSM_NO_TIME && (r = note_oldest(m, issue, ps->at - t.closed)) < 0)
			return r;
	}
	if ((slot = psm_churn_slot(issue)) >= 0 && in_period(ps->p, t.created)) {
		m->churn++;
		m->churn_by[slot]++;
	}
	return 0;
}

int psm_metrics_begin(struct psm_metrics_acc **out, const struct psm_period *p,
		      const struct psm_service *sv, int64_t now)
{
	struct psm_metrics_acc *ps = calloc(1, sizeof(*ps));
	size_t i;

	*out = NULL;
	if (!ps)
		return psm_oom();
	ps->p = p;
	ps->sv = sv;
	ps->at = p->until < now ? p->until : now;
	if (sv->ntargets && !(ps->m.targets = calloc(sv->ntargets, sizeof(*ps->m.targets)))) {
		free(ps);
		return psm_oom();
	}
	ps->m.ntargets = sv->ntargets;
	for (i = 0; i < sv->ntargets; i++)
		ps->m.targets[i].target = &sv->targets[i];
	*out = ps;
	return 0;
}

void psm_metrics_abort(struct psm_metrics_acc *ps)
{
	if (!ps)
		return;
	samples_release(&ps->fr);
	samples_release(&ps->res);
	samples_release(&ps->full);
	psm_metrics_release(&ps->m);
	free(ps);
}

int psm_metrics_finish(struct psm_metrics *out, struct psm_metrics_acc *ps)
{
	samples_summarize(&ps->m.first_response, &ps->fr);
	samples_summarize(&ps->m.resolution, &ps->res);
	samples_summarize(&ps->m.full_resolution, &ps->full);
	*out = ps->m;
	memset(&ps->m, 0, sizeof(ps->m)); /* now out's */
	psm_metrics_abort(ps);
	return 0;
}

int psm_metrics_compute(struct psm_metrics *out, struct psm_issue *const *v, size_t n,
			const struct psm_period *p, const struct psm_service *sv, int64_t now)
{
	struct psm_metrics_acc *ps;
	size_t i;
	int r;

	memset(out, 0, sizeof(*out));
	if ((r = psm_metrics_begin(&ps, p, sv, now)) < 0)
		return r;
	for (i = 0; i < n; i++)
		if ((r = psm_metrics_add(ps, v[i])) < 0) {
			psm_metrics_abort(ps);
			return r;
		}
	return psm_metrics_finish(out, ps);
}

void psm_metrics_release(struct psm_metrics *m)
{
	free(m->targets);
	m->targets = NULL;
	m->ntargets = 0;
	free(m->followup_oldest_id);
	m->followup_oldest_id = NULL;
}

int psm_metrics_satisfaction(const struct psm_metrics *m)
{
	size_t total = m->good + m->bad;

	if (!total)
		return -1;
	return (int)((200 * m->good + total) / (2 * total));
}
