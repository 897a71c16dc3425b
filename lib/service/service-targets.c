/* Service targets and business hours from the config, and an issue's times
 * measured against them (service.h). */
#include <stdlib.h>
#include <string.h>

#include "psm/error.h"
#include "psm/followup-owed.h"
#include "psm/people.h"
#include "psm/query.h"
#include "psm/service.h"
#include "psm/time.h"

/* Used when the config has no `targets:` key at all. */
static const struct {
	const char *response;
	int64_t first_response, resolution_days;
} default_targets[] = {
	{ "fix-fast", 4 * 3600, 2 },
};

static int add_target(struct psm_service *sv, const char *response, int64_t fr, int64_t res)
{
	struct psm_target *t = &sv->targets[sv->ntargets];

	if (!(t->response = psm_strdup(response)))
		return psm_oom();
	t->first_response = fr;
	t->resolution = res;
	sv->ntargets++;
	return 0;
}

/*
 * A limit like 4h or 2d. On business hours, days and weeks are working
 * days and weeks ("2d" is two working days, 16h of 09:00-17:00), since
 * that is what a team means by "within two days".
 */
static int target_limit(int64_t *out, const struct psm_service *sv, const struct psm_node *map,
			const char *response, const char *key)
{
	const struct psm_node *n = psm_node_get(map, key);
	const char *s = psm_node_str(n);
	size_t len;

	*out = 0;
	if (!n || psm_node_is_null(n))
		return 0;
	if (!s || psm_duration_parse(s, out) < 0 || !*out) {
		psm_error_clear();
		return psm_error(PSM_EINVALID,
				 "invalid targets.%s.%s '%s': use a duration like 4h or 2d",
				 response, key, s ? s : "");
	}
	len = strlen(s);
	if (sv->biz && s[len - 1] == 'd')
		*out = *out / 86400 * psm_bizhours_day(sv->biz);
	else if (sv->biz && s[len - 1] == 'w')
		*out = *out / (7 * 86400) * psm_bizhours_week(sv->biz);
	return 0;
}

static int load_targets(struct psm_service *sv, const struct psm_node *n)
{
	size_t i;
	int r;

	if (!n) {
		size_t k = sizeof(default_targets) / sizeof(default_targets[0]);

		if (!(sv->targets = calloc(k, sizeof(*sv->targets))))
			return psm_oom();
		for (i = 0; i < k; i++) {
			int64_t res = default_targets[i].resolution_days * 86400;

			if (sv->biz) /* working days, as for a configured "2d" */
				res = default_targets[i].resolution_days * psm_bizhours_day(sv->biz);
			if ((r = add_target(sv, default_targets[i].response,
					    default_targets[i].first_response, res)) < 0)
				return r;
		}
		return 0;
	}
	if (psm_node_is_null(n))
		return 0; /* `targets:` left empty: none */
	if (n->kind != PSM_MAP)
		return psm_error(PSM_EINVALID,
				 "targets must map responses to limits, like fix-fast: {first_response: 4h, resolution: 2d}");
	if (n->n && !(sv->targets = calloc(n->n / 2, sizeof(*sv->targets))))
		return psm_oom();
	for (i = 0; i + 1 < n->n; i += 2) {
		const char *response = n->items[i]->str;
		const struct psm_node *v = n->items[i + 1];
		int64_t fr, res;

		if (v->kind != PSM_MAP)
			return psm_error(PSM_EINVALID,
					 "targets.%s must be a mapping with first_response and resolution",
					 response);
		if ((r = target_limit(&fr, sv, v, response, "first_response")) < 0 ||
		    (r = target_limit(&res, sv, v, response, "resolution")) < 0 ||
		    (r = add_target(sv, response, fr, res)) < 0)
			return r;
	}
	return 0;
}

int psm_service_load(struct psm_service **out, const struct psm_config *cfg)
{
	struct psm_service *sv = calloc(1, sizeof(*sv));
	const struct psm_node *root = cfg ? cfg->root : NULL;
	int r;

	*out = NULL;
	if (!sv)
		return psm_oom();
	sv->cfg = cfg;
	/* business hours first: they say what a day in a target means */
	if ((r = psm_bizhours_parse(&sv->biz, root ? psm_node_get(root, "business_hours") : NULL)) < 0 ||
	    (r = load_targets(sv, root ? psm_node_get(root, "targets") : NULL)) < 0) {
		psm_service_free(sv);
		return r;
	}
	*out = sv;
	return 0;
}

void psm_service_free(struct psm_service *sv)
{
	size_t i;

	if (!sv)
		return;
	for (i = 0; i < sv->ntargets; i++)
		free(sv->targets[i].response);
	free(sv->targets);
	psm_bizhours_free(sv->biz);
	free(sv);
}

const struct psm_target *psm_service_target(const struct psm_service *sv,
					    const struct psm_issue *issue)
{
	const char *response = psm_issue_get(issue, "response");
	size_t i;

	if (!response && sv->cfg) {
		const char *impact = psm_issue_get(issue, "impact");
		const struct psm_node *m = impact ? psm_config_impact(sv->cfg, impact) : NULL;

		response = m ? psm_node_get_str(m, "response") : NULL;
	}
	if (!response)
		return NULL;
	for (i = 0; i < sv->ntargets; i++)
		if (!strcmp(sv->targets[i].response, response))
			return &sv->targets[i];
	return NULL;
}

int64_t psm_service_elapsed(const struct psm_service *sv, int64_t from, int64_t to)
{
	if (to <= from)
		return 0;
	return sv->biz ? psm_bizhours_between(sv->biz, from, to) : to - from;
}

static int64_t field_time(const struct psm_issue *issue, const char *key)
{
	int64_t t;

	return psm_time_parse(psm_issue_get(issue, key), &t) < 0 ? PSM_NO_TIME : t;
}

void psm_issue_times(struct psm_issue_times *out, const struct psm_issue *issue,
		     const struct psm_config *cfg)
{
	const char *reopened = psm_issue_get(issue, "reopened");
	int64_t t;

	out->created = field_time(issue, "created");
	out->responded = field_time(issue, "responded");
	out->closed = field_time(issue, "closed");
	out->first_closed = field_time(issue, "first_closed");
	/* the follow-up is done when the last person owed one was told */
	out->followup_done = psm_followup_complete(issue, cfg, &t) ? t : PSM_NO_TIME;
	out->reopened = reopened ? strtol(reopened, NULL, 10) : 0;
	if (out->reopened < 0)
		out->reopened = 0;
	out->open = psm_issue_is_open(issue);
	/* A never-reopened issue's first close is its close. */
	if (out->first_closed == PSM_NO_TIME && !out->open)
		out->first_closed = out->closed;
	/* the team is never owed a follow-up */
	out->has_reporters = psm_people_outside_reporters(cfg, issue) > 0;
	out->duplicate = psm_streq(psm_issue_get(issue, "resolution"), "duplicate") ||
			 psm_issue_get(issue, "duplicate_of");
}

/* Open at `at`: created before it and not closed by then. A reopened
 * issue's earlier closed spells are not recorded, so it counts as open. */
int psm_issue_times_open_at(const struct psm_issue_times *t, int64_t at)
{
	if (t->created == PSM_NO_TIME || t->created >= at)
		return 0;
	return t->open || (t->closed != PSM_NO_TIME && t->closed > at);
}

static unsigned breach(const struct psm_service *sv, const struct psm_target *tg,
		       const struct psm_issue_times *t, int64_t at)
{
	unsigned r = 0;

	if (!psm_issue_times_open_at(t, at))
		return 0;
	if (tg->first_response) {
		int answered = t->responded != PSM_NO_TIME && t->responded <= at;
		int64_t end = answered ? t->responded : at;

		if (psm_service_elapsed(sv, t->created, end) > tg->first_response)
			r |= PSM_SLA_RESPONSE;
	}
	if (tg->resolution && psm_service_elapsed(sv, t->created, at) > tg->resolution)
		r |= PSM_SLA_RESOLUTION;
	return r;
}

unsigned psm_service_breach(const struct psm_service *sv, const struct psm_issue *issue,
			    int64_t at)
{
	const struct psm_target *tg = psm_service_target(sv, issue);
	struct psm_issue_times t;

	if (!tg)
		return 0;
	psm_issue_times(&t, issue, sv->cfg);
	return breach(sv, tg, &t, at);
}

unsigned psm_service_breach_times(const struct psm_service *sv, const struct psm_issue *issue,
				  const struct psm_issue_times *t, int64_t at)
{
	const struct psm_target *tg = psm_service_target(sv, issue);

	return tg ? breach(sv, tg, t, at) : 0;
}
