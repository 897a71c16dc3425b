/* psm stats: service figures for a period, overall or by a field (docs/metrics.md). */
#include <ctype.h>
#include <jansson.h>
#include <search.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"
#include "psm/cache.h"
#include "parse-options.h"
#include "psm/grow.h"
#include "psm/time.h"
#include "psm/render.h"
#include "stats.h"

#define DAY 86400

static const char *const stats_usage[] = {
	"psm stats [--since <when>] [--until <when>] [--by <field>] [--format text|json]",
	NULL
};

static const char *const by_fields[] = { "type", "source", "owner", "customer", "impact", NULL };

void stats_duration(struct strbuf *out, int64_t s, int business)
{
	int64_t big = business ? 0 : s / DAY, h = business ? s / 3600 : s % DAY / 3600;
	int64_t m = s % 3600 / 60;

	if (s < 60)
		strbuf_addf(out, "%llds", (long long)(s < 0 ? 0 : s));
	else if (s < 3600)
		strbuf_addf(out, "%lldm", (long long)m);
	else if (!big)
		strbuf_addf(out, m ? "%lldh %lldm" : "%lldh", (long long)h, (long long)m);
	else if (big < 365)
		strbuf_addf(out, h ? "%lldd %lldh" : "%lldd", (long long)big, (long long)h);
	else /* years of 365 days, as psm's ages: "26y 343d" rather than "9833d" */
		strbuf_addf(out, big % 365 ? "%lldy %lldd" : "%lldy", (long long)(big / 365),
			    (long long)(big % 365));
}

struct psm_service *stats_service(struct psm_store *s)
{
	struct psm_service *sv;

	if (psm_service_load(&sv, s->config) < 0)
		die("%s (in %s)", psm_error_last(), PSM_CONFIG_PATH);
	return sv;
}

/*
 * --since/--until: an age (30d), an ISO week (2026-W47), a date or an RFC
 * 3339 time. A date or week given as --until includes that whole day or week.
 * Returns 0, or -1 when s is none of these.
 */
static int parse_bound(int64_t *out, const char *s, int until, int64_t now)
{
	int64_t d;

	if (isdigit((unsigned char)s[0]) && strlen(s) < 10 && !psm_duration_parse(s, &d)) {
		*out = now - d;
		return 0;
	}
	psm_error_clear();
	if (strchr(s, 'W')) {
		if (psm_iso_week_parse(s, out) < 0)
			return -1;
		*out += until ? 7 * DAY : 0;
		return 0;
	}
	if (psm_time_parse(s, out) < 0)
		return psm_error(PSM_EINVALID,
				 "use a date (2026-11-01), an RFC 3339 time, an ISO week (2026-W47) or an age (30d)");
	*out += until && strlen(s) == 10 ? DAY : 0;
	return 0;
}

/*
 * --by: a group per value of the field, found in a tree by the value
 * (issues without the field last); each keeps its figures' accumulator,
 * never the issues.
 */
struct group_acc {
	char *key; /* NULL: the issues without the field */
	struct psm_metrics_acc *acc;
};

struct groups {
	int people;           /* --by owner: r->people loaded */
	void *tree;
	struct group_acc **v; /* in the order they were met */
	size_t n, alloc;
};

static int cmp_group(const void *a, const void *b)
{
	const struct group_acc *x = a, *y = b;
	int c = !x->key - !y->key; /* issues without the field last */

	return c || !x->key ? c : strcmp(x->key, y->key);
}

static int cmp_group_ptr(const void *a, const void *b)
{
	return cmp_group(*(struct group_acc *const *)a, *(struct group_acc *const *)b);
}

/* The value the issue is grouped by: --by owner takes one row per person. */
static const char *group_key(const struct stats_report *r, const struct psm_issue *issue)
{
	const char *key = psm_issue_get(issue, r->by);

	if (key && r->people.n) {
		int p = psm_people_find(&r->people, key, 1);

		psm_error_clear();
		if (p >= 0)
			key = psm_person_id(&r->people.v[p]);
	}
	return key;
}

static void group_add(struct groups *gs, struct stats_report *r, const struct psm_issue *issue,
		      int64_t now)
{
	struct group_acc want, **found, *g, **nv;

	/* look each owner up once, not in every comparison */
	if (!gs->people && !strcmp(r->by, "owner") && psm_people_owners(&r->people, r->config) < 0)
		die_psm();
	gs->people = 1;
	want.key = (char *)group_key(r, issue);
	found = tfind(&want, &gs->tree, cmp_group);
	if (found) {
		g = *found;
	} else {
		if (!(g = calloc(1, sizeof(*g))) || (want.key && !(g->key = psm_strdup(want.key))) ||
		    !(nv = psm_grow(gs->v, gs->n, &gs->alloc, sizeof(*nv), 64)))
			die("out of memory");
		gs->v = nv;
		gs->v[gs->n++] = g;
		if (psm_metrics_begin(&g->acc, &r->period, r->sv, now) < 0)
			die_psm();
		if (!tsearch(g, &gs->tree, cmp_group))
			die("out of memory");
	}
	if (psm_metrics_add(g->acc, issue) < 0)
		die_psm();
}

/* The groups' figures, in the order of their values. */
static void finish_groups(struct stats_report *r, struct groups *gs)
{
	size_t i;

	if (!gs->n)
		return;
	qsort(gs->v, gs->n, sizeof(*gs->v), cmp_group_ptr);
	if (!(r->groups = calloc(gs->n, sizeof(*r->groups))))
		die("out of memory");
	for (i = 0; i < gs->n; i++) {
		struct stats_group *g = &r->groups[r->ngroups++];

		g->value = gs->v[i]->key;
		if (psm_metrics_finish(&g->m, gs->v[i]->acc) < 0)
			die_psm();
		gs->v[i]->acc = NULL;
		tdelete(gs->v[i], &gs->tree, cmp_group);
	}
}

static void groups_release(struct groups *gs)
{
	size_t i;

	for (i = 0; i < gs->n; i++) {
		free(gs->v[i]->key);
		free(gs->v[i]);
	}
	free(gs->v);
}

static void jset(json_t *o, const char *key, json_t *v)
{
	if (!v || json_object_set_new(o, key, v) < 0)
		die("out of memory");
}

static json_t *jtime(int64_t t)
{
	struct strbuf sb = STRBUF_INIT;
	json_t *j;

	if (t == PSM_NO_TIME)
		return json_null();
	psm_time_format(&sb, t);
	j = json_string(sb.buf);
	strbuf_release(&sb);
	return j;
}

static json_t *jsize(size_t n)
{
	return json_integer((json_int_t)n);
}

static json_t *jsecs(int valid, int64_t s)
{
	return valid ? json_integer((json_int_t)s) : json_null();
}

static json_t *json_durations(const struct psm_durations *d, int biz)
{
	json_t *o = json_object();

	if (!o)
		die("out of memory");
	jset(o, "count", jsize(d->n));
	jset(o, "median", jsecs(d->n > 0, d->median));
	jset(o, "p90", jsecs(d->n > 0, d->p90));
	jset(o, "business_median", jsecs(biz && d->n > 0, d->biz_median));
	jset(o, "business_p90", jsecs(biz && d->n > 0, d->biz_p90));
	return o;
}

static json_t *json_targets(const struct psm_metrics *m)
{
	json_t *a = json_array();
	size_t i;

	if (!a)
		die("out of memory");
	for (i = 0; i < m->ntargets; i++) {
		const struct psm_target_count *c = &m->targets[i];
		json_t *o = json_object();

		if (!o || json_array_append_new(a, o) < 0)
			die("out of memory");
		jset(o, "response", json_string(c->target->response));
		jset(o, "first_response", jsecs(c->target->first_response > 0, c->target->first_response));
		jset(o, "resolution", jsecs(c->target->resolution > 0, c->target->resolution));
		jset(o, "first_response_met", jsize(c->response_met));
		jset(o, "first_response_breached", jsize(c->response_breached));
		jset(o, "first_response_overdue", jsize(c->response_overdue));
		jset(o, "resolution_met", jsize(c->resolution_met));
		jset(o, "resolution_breached", jsize(c->resolution_breached));
		jset(o, "resolution_overdue", jsize(c->resolution_overdue));
	}
	return a;
}

static json_t *json_figures(const struct psm_metrics *m, const struct stats_report *r)
{
	json_t *o = json_object(), *f = json_object(), *s = json_object(), *c = json_object();
	int biz = r->sv->biz != NULL, pct = psm_metrics_satisfaction(m);
	const char *oid = m->followup_oldest_id;
	size_t i;

	if (!o || !f || !s || !c)
		die("out of memory");
	jset(o, "new", jsize(m->created));
	jset(o, "closed", jsize(m->closed));
	jset(o, "duplicates", jsize(m->duplicates));
	jset(o, "reopened", jsize(m->reopened));
	jset(o, "open", jsize(m->open));
	jset(o, "first_response", json_durations(&m->first_response, biz));
	jset(o, "resolution", json_durations(&m->resolution, biz));
	jset(o, "full_resolution", json_durations(&m->full_resolution, biz));
	jset(o, "targets", json_targets(m));
	jset(f, "owed", jsize(m->followups_owed));
	jset(f, "oldest_age", jsecs(m->has_followup_oldest, m->followup_oldest));
	jset(f, "oldest_id", oid ? json_string(oid) : json_null());
	jset(o, "followups", f);
	jset(s, "good", jsize(m->good));
	jset(s, "bad", jsize(m->bad));
	jset(s, "count", jsize(m->good + m->bad));
	jset(s, "percent", pct < 0 ? json_null() : json_integer(pct));
	jset(o, "satisfaction", s);
	jset(c, "count", jsize(m->churn));
	for (i = 0; i < PSM_CHURN_SLOTS; i++)
		jset(c, psm_churn_keys[i], jsize(m->churn_by[i]));
	jset(o, "churn", c);
	return o;
}

static void print_stats_json(const struct stats_report *r)
{
	json_t *o = json_object(), *p = json_object(), *g = json_array();
	size_t i;

	if (!o || !p || !g)
		die("out of memory");
	jset(o, "version", json_integer(PSM_JSON_VERSION));
	jset(p, "since", jtime(r->period.since));
	jset(p, "until", jtime(r->period.until));
	jset(p, "at", jtime(r->at));
	jset(o, "period", p);
	jset(o, "business_hours", json_boolean(r->sv->biz != NULL));
	jset(o, "by", r->by ? json_string(r->by) : json_null());
	jset(o, "all", json_figures(&r->all, r));
	for (i = 0; i < r->ngroups; i++) {
		json_t *fig = json_figures(&r->groups[i].m, r), *one = json_object();

		if (!one || json_array_append_new(g, one) < 0)
			die("out of memory");
		jset(one, "value", r->groups[i].value ? json_string(r->groups[i].value) : json_null());
		if (json_object_update(one, fig) < 0)
			die("out of memory");
		json_decref(fig);
	}
	jset(o, "groups", g);
	if (r->usage) /* a store that counts no usage prints what it always did */
		jset(o, "usage", stats_usage_json(r->usage));
	print_json(o);
}

int cmd_stats(int argc, const char **argv, struct psm_store *s)
{
	const char *since = NULL, *until = NULL, *by = NULL, *format = NULL;
	struct option opts[] = {
		OPT_STRING(0, "since", &since, "when", "start of the period: a date, time, ISO week or age like 30d (default: 30 days before --until)"),
		OPT_STRING(0, "until", &until, "when", "end of the period; a date or week counts whole (default: now)"),
		OPT_STRING(0, "by", &by, "field", "one row per value of type, source, owner, customer or impact"),
		OPT_STRING(0, "format", &format, "fmt", "text (default) or json"),
		OPT_END(),
	};
	struct stats_report r;
	struct psm_service *sv;
	struct psm_metrics_acc *all;
	struct groups gs = { 0, NULL, NULL, 0, 0 };
	const struct psm_issue *is;
	struct psm_scan *sc;
	enum output_format fmt;
	int64_t now;
	size_t i;
	int code, rc;

	argc = parse_options(argc, argv, opts, stats_usage, 0);
	if (argc)
		usage_error(stats_usage, opts, "unexpected argument '%s'", argv[0]);
	fmt = parse_format(format, "text,json");
	memset(&r, 0, sizeof(r));
	if (by) {
		for (i = 0; by_fields[i] && strcmp(by_fields[i], by); i++)
			;
		if (!by_fields[i])
			usage_error(stats_usage, opts, "cannot group by '%s' (use type, source, owner, customer or impact)", by);
		r.by = by;
		r.config = s->config;
	}
	now = now_or_die();
	/* the period is [since, until): by default it takes in what happened
	 * during the current second too, or a close made just now would count
	 * as neither open nor closed */
	r.period.until = now + 1;
	r.until_now = !until;
	if (until && parse_bound(&r.period.until, until, 1, now) < 0)
		usage_error(stats_usage, opts, "invalid --until '%s': %s", until, psm_error_last());
	r.period.since = (until ? r.period.until : now) - 30 * DAY;
	if (since && parse_bound(&r.period.since, since, 0, now) < 0)
		usage_error(stats_usage, opts, "invalid --since '%s': %s", since, psm_error_last());
	if (r.period.since >= r.period.until)
		usage_error(stats_usage, opts, "the period is empty: --since must be before --until");
	r.at = r.period.until < now ? r.period.until : now;
	r.sv = sv = stats_service(s);

	/* one issue at a time, fields only: no issue is held */
	if (psm_scan_open(&sc, s, 0) < 0 || psm_metrics_begin(&all, &r.period, r.sv, now) < 0)
		die_psm();
	while ((rc = psm_scan_next(sc, &is)) > 0) {
		if (psm_metrics_add(all, is) < 0)
			die_psm();
		if (r.by)
			group_add(&gs, &r, is, now);
	}
	if (rc < 0 || psm_metrics_finish(&r.all, all) < 0)
		die_psm();
	finish_groups(&r, &gs);
	r.abbrev = psm_scan_abbrev(sc);
	r.usage = stats_usage_load(s, &r.period);
	if (fmt == FMT_JSON)
		print_stats_json(&r);
	else
		stats_print_text(&r);
	code = report_scan_errors(psm_scan_errors(sc));

	psm_scan_free(sc);
	for (i = 0; i < r.ngroups; i++)
		psm_metrics_release(&r.groups[i].m);
	free(r.groups);
	groups_release(&gs);
	psm_people_release(&r.people);
	stats_usage_free(r.usage);
	psm_metrics_release(&r.all);
	psm_service_free(sv);
	return code;
}
