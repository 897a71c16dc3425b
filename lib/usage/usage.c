/* Onboarding and adoption: the config, and the figures (usage.h). */
#include "psm/usage.h"

#include <stdlib.h>
#include <string.h>

#include "psm/error.h"
#include "psm/metrics.h"
#include "psm/time.h"

#define DAY 86400
#define DEFAULT_WINDOW (7 * DAY)

static void free_strv(char **v, size_t n)
{
	while (n)
		free(v[--n]);
	free(v);
}

void psm_usage_config_free(struct psm_usage_config *uc)
{
	size_t i;

	if (!uc)
		return;
	free(uc->signup);
	free_strv(uc->steps, uc->nsteps);
	for (i = 0; i < uc->nfeatures; i++) {
		free(uc->features[i].name);
		free_strv(uc->features[i].events, uc->features[i].nevents);
		free(uc->features[i].release);
	}
	free(uc->features);
	free(uc);
}

int psm_usage_configured(const struct psm_usage_config *uc)
{
	return uc->signup || uc->nfeatures;
}

/* A name the week files can hold as a key. */
static int check_name(const char *s, const char *what)
{
	if (!s || !*s)
		return psm_error(PSM_EINVALID, "%s: expected a name", what);
	if (strlen(s) > PSM_USAGE_MAX_NAME)
		return psm_error(PSM_EINVALID, "%s: '%.40s...' is longer than %d bytes", what, s,
				 PSM_USAGE_MAX_NAME);
	return 0;
}

/* A scalar or a list of scalars, as owned strings. */
static int name_list(char ***out, size_t *n, const struct psm_node *node, const char *what)
{
	size_t i, count = node->kind == PSM_SEQ ? node->n : 1;
	int r;

	if (node->kind == PSM_MAP || !count)
		return psm_error(PSM_EINVALID, "%s: expected an event name or a list of them", what);
	if (!(*out = calloc(count, sizeof(**out))))
		return psm_error(PSM_ENOMEM, "out of memory");
	for (i = 0; i < count; i++) {
		const struct psm_node *item = node->kind == PSM_SEQ ? node->items[i] : node;
		const char *s = psm_node_str(item);

		if (item->kind != PSM_SCALAR)
			s = NULL;
		if ((r = check_name(s, what)) < 0)
			return r;
		if (!((*out)[i] = psm_strdup(s)))
			return psm_error(PSM_ENOMEM, "out of memory");
		*n = i + 1;
	}
	return 0;
}

static int load_onboarding(struct psm_usage_config *uc, const struct psm_node *ob)
{
	const struct psm_node *steps, *window;
	size_t i, j;
	int r;

	if (ob->kind != PSM_MAP)
		return psm_error(PSM_EINVALID, "onboarding: expected a mapping with signup, steps and window");
	if ((r = check_name(psm_node_get_str(ob, "signup"), "onboarding.signup")) < 0)
		return r;
	if (!(uc->signup = psm_strdup(psm_node_get_str(ob, "signup"))))
		return psm_error(PSM_ENOMEM, "out of memory");
	if (!(steps = psm_node_get(ob, "steps")) || steps->kind != PSM_SEQ || !steps->n)
		return psm_error(PSM_EINVALID, "onboarding.steps: expected a list of event names, in order");
	if ((r = name_list(&uc->steps, &uc->nsteps, steps, "onboarding.steps")) < 0)
		return r;
	for (i = 0; i < uc->nsteps; i++)
		for (j = 0; j < i; j++)
			if (!strcmp(uc->steps[i], uc->steps[j]))
				return psm_error(PSM_EINVALID, "onboarding.steps: '%s' is there twice",
						 uc->steps[i]);
	uc->window = DEFAULT_WINDOW;
	window = psm_node_get(ob, "window");
	if (window && psm_duration_parse(psm_node_str(window), &uc->window) < 0)
		return psm_error(PSM_EINVALID, "onboarding.window: %s", psm_error_last());
	if (window && uc->window <= 0)
		return psm_error(PSM_EINVALID, "onboarding.window: must be longer than 0");
	return 0;
}

static int load_adoption(struct psm_usage_config *uc, const struct psm_node *ad)
{
	struct strbuf what = STRBUF_INIT;
	size_t i;
	int r = 0;

	if (ad->kind != PSM_MAP)
		return psm_error(PSM_EINVALID, "adoption: expected a mapping of features to their events and release");
	if (!(uc->features = calloc(ad->n / 2 + 1, sizeof(*uc->features))))
		return psm_error(PSM_ENOMEM, "out of memory");
	for (i = 0; i + 1 < ad->n && !r; i += 2) {
		struct psm_usage_feature *f = &uc->features[uc->nfeatures++];
		const struct psm_node *v = ad->items[i + 1], *ev;
		const char *rel;

		strbuf_reset(&what);
		strbuf_addf(&what, "adoption.%s", ad->items[i]->str);
		if ((r = check_name(ad->items[i]->str, "adoption")) < 0)
			break;
		if (!(f->name = psm_strdup(ad->items[i]->str)))
			r = psm_error(PSM_ENOMEM, "out of memory");
		else if (v->kind != PSM_MAP || !(ev = psm_node_get(v, "events")))
			r = psm_error(PSM_EINVALID, "%s: expected events (the events that mean it was used) and release",
				      what.buf);
		else if (!(r = name_list(&f->events, &f->nevents, ev, what.buf)) &&
			 (rel = psm_node_get_str(v, "release")) && !(f->release = psm_strdup(rel)))
			r = psm_error(PSM_ENOMEM, "out of memory");
	}
	strbuf_release(&what);
	return r;
}

int psm_usage_config_load(struct psm_usage_config **out, const struct psm_config *cfg)
{
	struct psm_usage_config *uc = calloc(1, sizeof(*uc));
	const struct psm_node *ob = psm_node_get(cfg->root, "onboarding");
	const struct psm_node *ad = psm_node_get(cfg->root, "adoption");
	int r = 0;

	*out = NULL;
	if (!uc)
		return psm_error(PSM_ENOMEM, "out of memory");
	if (ob && !psm_node_is_null(ob))
		r = load_onboarding(uc, ob);
	if (!r && ad && !psm_node_is_null(ad))
		r = load_adoption(uc, ad);
	if (r < 0) {
		psm_usage_config_free(uc);
		return r;
	}
	*out = uc;
	return 0;
}

int psm_usage_percent(size_t part, size_t whole)
{
	if (!whole)
		return -1;
	return (int)((part * 200 + whole) / (2 * whole));
}

int psm_usage_completion(const struct psm_usage_week *w)
{
	if (!w->onboarding || !w->nsteps)
		return -1;
	return psm_usage_percent(w->steps[w->nsteps - 1].users, w->signups);
}

long psm_usage_stall(const struct psm_usage_week *w, size_t *lost)
{
	size_t i, before = w->signups, most = 0;
	long at = -1;

	for (i = 0; w->onboarding && i < w->nsteps; i++) {
		size_t here = w->steps[i].users <= before ? before - w->steps[i].users : 0;

		if (here > most) {
			most = here;
			at = (long)i;
		}
		before = w->steps[i].users;
	}
	*lost = most;
	return at;
}

long psm_usage_count_of(const struct psm_usage_count *v, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(v[i].name, name))
			return (long)v[i].users;
	return -1;
}

int psm_usage_adoption(const struct psm_usage_week *w, const char *feature)
{
	long users = psm_usage_count_of(w->features, w->nfeatures, feature);

	return users < 0 ? -1 : psm_usage_percent((size_t)users, w->active);
}

const struct psm_usage_week *psm_usage_week_at(const struct psm_usage_weeks *ws, int64_t monday)
{
	size_t lo = 0, hi = ws->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ws->v[mid].week == monday)
			return &ws->v[mid];
		if (ws->v[mid].week < monday)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

#define WEEK (7 * DAY)

int psm_usage_completion_change(int *change, const struct psm_usage_weeks *ws,
				const struct psm_usage_week *w)
{
	const struct psm_usage_week *prev = psm_usage_week_at(ws, w->week - WEEK);
	int a = psm_usage_completion(w), b = prev ? psm_usage_completion(prev) : -1;

	if (a < 0 || b < 0)
		return -1;
	*change = a - b;
	return 0;
}

int64_t psm_usage_closed_cohort(int64_t week, int64_t window, int64_t now)
{
	int64_t end = now < week + WEEK ? now : week + WEEK;

	/* a signup at the cohort's last instant has its window end at
	 * cohort + WEEK + window: that must not be after end */
	return psm_iso_week_start(end - WEEK - window);
}

int psm_usage_adoption_change(int *change, const struct psm_usage_weeks *ws,
			      const struct psm_usage_week *w, const char *feature, int64_t from)
{
	const struct psm_usage_week *prev = psm_usage_week_at(ws, w->week - WEEK);
	int a = psm_usage_adoption(w, feature), b;

	if (a < 0 || !prev || prev->week < from || (b = psm_usage_adoption(prev, feature)) < 0)
		return -1;
	*change = a - b;
	return 0;
}

int psm_usage_week_matches(const struct psm_usage_week *w, const struct psm_usage_config *uc)
{
	size_t i;

	if (!w->onboarding != !uc->signup || w->nfeatures != uc->nfeatures)
		return 0;
	if (w->onboarding && (w->window != uc->window || w->nsteps != uc->nsteps))
		return 0;
	for (i = 0; w->onboarding && i < w->nsteps; i++)
		if (strcmp(w->steps[i].name, uc->steps[i]))
			return 0;
	for (i = 0; i < w->nfeatures; i++)
		if (strcmp(w->features[i].name, uc->features[i].name))
			return 0;
	return 1;
}

/* "v1.4" and "1.4" name one release, as in psm review. */
static const char *strip_v(const char *s)
{
	return *s == 'v' || *s == 'V' ? s + 1 : s;
}

int psm_usage_release_week(int64_t *week, const struct psm_usage_feature *f,
			   const struct psm_release *tags, size_t ntags)
{
	int64_t t;
	size_t i;

	*week = 0;
	if (!f->release)
		return 1;
	for (i = ntags; i > 0; i--) {
		if (!strcmp(tags[i - 1].name, f->release) ||
		    !strcmp(strip_v(tags[i - 1].name), strip_v(f->release))) {
			*week = psm_iso_week_start(tags[i - 1].when);
			return 0;
		}
	}
	if (strlen(f->release) == 10 && !psm_time_parse(f->release, &t)) {
		*week = psm_iso_week_start(t);
		return 2;
	}
	return PSM_ENOTFOUND;
}

int psm_usage_duration_format(struct strbuf *out, int64_t s)
{
	static const struct { int64_t secs; char unit; } units[] = {
		{ DAY, 'd' }, { 3600, 'h' }, { 60, 'm' }, { 1, 's' }
	};
	size_t i;

	for (i = 0; i < sizeof(units) / sizeof(units[0]) - 1; i++)
		if (s && s % units[i].secs == 0)
			break;
	return strbuf_addf(out, "%lld%c", (long long)(s / units[i].secs), units[i].unit);
}
