/* psm stats: the text report, one block of figures or a table by group. */
#include <stdio.h>
#include <string.h>

#include "common.h"
#include "psm/time.h"
#include "stats.h"
#include "table.h"

static void line(const char *label, const char *value)
{
	printf("  %-20s %s\n", label, value);
}

static void count_line(const char *label, size_t n)
{
	printf("  %-20s %zu\n", label, n);
}

static void add_duration_pair(struct strbuf *sb, int64_t cal, int64_t biz, int has_biz)
{
	stats_duration(sb, cal, 0);
	if (has_biz) {
		strbuf_addchars(sb, ' ', sb->len < 10 ? 10 - sb->len : 1);
		strbuf_addstr(sb, "business ");
		stats_duration(sb, biz, 1);
	}
}

static void durations_block(const char *title, const char *counted,
			    const struct psm_durations *d, int has_biz)
{
	struct strbuf sb = STRBUF_INIT;

	printf("\n%s\n", title);
	count_line(counted, d->n);
	if (d->n) {
		add_duration_pair(&sb, d->median, d->biz_median, has_biz);
		line("median", sb.buf);
		strbuf_reset(&sb);
		add_duration_pair(&sb, d->p90, d->biz_p90, has_biz);
		line("p90", sb.buf);
	} else {
		line("median", "-");
		line("p90", "-");
	}
	strbuf_release(&sb);
}

static void target_line(const char *response, const char *what, int64_t limit, size_t met,
			size_t breached, size_t overdue)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addf(&sb, "%s ", what);
	stats_duration(&sb, limit, 0);
	printf("  %-14s %-22s met %zu, breached %zu, overdue now %zu\n", response, sb.buf, met,
	       breached, overdue);
	strbuf_release(&sb);
}

static void targets_block(const struct psm_metrics *m, int has_biz)
{
	size_t i;

	printf("\nService targets%s\n", has_biz ? " (in business hours)" : "");
	if (!m->ntargets)
		printf("  none configured\n");
	for (i = 0; i < m->ntargets; i++) {
		const struct psm_target_count *c = &m->targets[i];
		const char *name = c->target->response;

		if (c->target->first_response)
			target_line(name, "first response", c->target->first_response,
				    c->response_met, c->response_breached, c->response_overdue);
		if (c->target->resolution)
			target_line(c->target->first_response ? "" : name, "resolution",
				    c->target->resolution, c->resolution_met,
				    c->resolution_breached, c->resolution_overdue);
	}
}

static void print_one(const struct stats_report *r, const struct psm_metrics *m)
{
	int has_biz = r->sv->biz != NULL, pct = psm_metrics_satisfaction(m);
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	printf("\nIssues\n");
	count_line("new", m->created);
	count_line("closed", m->closed);
	count_line("duplicates", m->duplicates);
	count_line("reopened", m->reopened);
	count_line("still open", m->open);
	durations_block("First response (created to first public reply)", "answered",
			&m->first_response, has_biz);
	durations_block("Resolution (created to first close)", "resolved", &m->resolution, has_biz);
	durations_block("Full resolution of reopened issues (created to final close)", "resolved",
			&m->full_resolution, has_biz);
	targets_block(m, has_biz);

	printf("\n");
	strbuf_addf(&sb, "%zu", m->followups_owed);
	if (m->has_followup_oldest) {
		const char *id = m->followup_oldest_id;

		strbuf_addstr(&sb, " (oldest ");
		stats_duration(&sb, m->followup_oldest, 0);
		if (id)
			strbuf_addf(&sb, ": %.*s", (int)r->abbrev, id);
		strbuf_addch(&sb, ')');
	}
	printf("%-22s ", "Follow-ups owed");
	put_safe(stdout, sb.buf, 0); /* the ID comes from a file */
	putchar('\n');
	if (pct < 0)
		printf("%-22s %s\n", "Satisfaction", "no ratings in the period");
	else
		printf("%-22s %d%% good (%zu of %zu rating%s)\n", "Satisfaction", pct, m->good,
		       m->good + m->bad, m->good + m->bad == 1 ? "" : "s");

	printf("\n%-22s %zu issue%s\n", "Churn", m->churn, m->churn == 1 ? "" : "s");
	for (i = 0; i < PSM_CHURN_SLOTS; i++)
		if (i < PSM_CHURN_KNOWN || m->churn_by[i])
			count_line(psm_churn_names[i], m->churn_by[i]);
	strbuf_release(&sb);
}

static const char *pair(struct strbuf *sb, const struct psm_durations *d, int biz)
{
	strbuf_reset(sb);
	if (!d->n)
		return "-";
	stats_duration(sb, biz ? d->biz_median : d->median, biz);
	strbuf_addstr(sb, " / ");
	stats_duration(sb, biz ? d->biz_p90 : d->p90, biz);
	return sb->buf;
}

static void num_cell(struct table *t, size_t n)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addf(&sb, "%zu", n);
	table_cell(t, sb.buf, NULL);
	strbuf_release(&sb);
}

static void group_row(struct table *t, const char *name, const struct psm_metrics *m, int has_biz)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i, met = 0, breached = 0;
	int pct = psm_metrics_satisfaction(m);

	table_cell(t, name, NULL);
	num_cell(t, m->created);
	num_cell(t, m->closed);
	num_cell(t, m->duplicates);
	num_cell(t, m->reopened);
	num_cell(t, m->open);
	table_cell(t, pair(&sb, &m->first_response, 0), NULL);
	table_cell(t, pair(&sb, &m->resolution, 0), NULL);
	if (has_biz) {
		table_cell(t, pair(&sb, &m->first_response, 1), NULL);
		table_cell(t, pair(&sb, &m->resolution, 1), NULL);
	}
	for (i = 0; i < m->ntargets; i++) {
		met += m->targets[i].response_met + m->targets[i].resolution_met;
		breached += m->targets[i].response_breached + m->targets[i].resolution_breached;
	}
	strbuf_reset(&sb);
	strbuf_addf(&sb, "%zu/%zu", met, breached);
	table_cell(t, sb.buf, NULL);
	num_cell(t, m->followups_owed);
	strbuf_reset(&sb);
	if (pct < 0)
		strbuf_addstr(&sb, "-");
	else
		strbuf_addf(&sb, "%d%% of %zu", pct, m->good + m->bad);
	table_cell(t, sb.buf, NULL);
	num_cell(t, m->churn);
	table_end_row(t);
	strbuf_release(&sb);
}

static void print_groups(const struct stats_report *r)
{
	int has_biz = r->sv->biz != NULL;
	struct table *t = table_new(has_biz ? 14 : 12);
	struct strbuf head = STRBUF_INIT;
	size_t i;

	for (i = 0; r->by[i]; i++)
		strbuf_addch(&head, r->by[i] - 'a' + 'A');
	table_cell(t, head.buf, NULL);
	table_cell(t, "NEW", NULL);
	table_cell(t, "CLOSED", NULL);
	table_cell(t, "DUP", NULL);
	table_cell(t, "REOPENED", NULL);
	table_cell(t, "OPEN", NULL);
	table_cell(t, "RESPONSE MED/P90", NULL);
	table_cell(t, "RESOLUTION MED/P90", NULL);
	if (has_biz) {
		table_cell(t, "BUSINESS RESPONSE", NULL);
		table_cell(t, "BUSINESS RESOLUTION", NULL);
	}
	table_cell(t, "MET/BREACHED", NULL);
	table_cell(t, "OWED", NULL);
	table_cell(t, "SATISFIED", NULL);
	table_cell(t, "CHURN", NULL);
	table_end_row(t);
	for (i = 0; i < r->ngroups; i++)
		group_row(t, r->groups[i].value ? r->groups[i].value : "(none)", &r->groups[i].m,
			  has_biz);
	group_row(t, "(all)", &r->all, has_biz);
	table_print(t, 0, want_color(), 1);
	table_free(t);
	strbuf_release(&head);
}

void stats_print_text(const struct stats_report *r)
{
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;

	psm_time_format(&a, r->period.since);
	/* the bound is a second past now, so that what happened this second
	 * counts; the reader is told "now" */
	if (r->until_now)
		strbuf_addstr(&b, "now, ");
	psm_time_format(&b, r->until_now ? r->at : r->period.until);
	printf("%-22s %s to %s\n", "Period", a.buf, b.buf);
	if (r->sv->biz)
		printf("%-22s %s\n", "Business hours", "set (durations also in business time)");
	if (r->by) {
		printf("\n");
		print_groups(r);
	} else {
		print_one(r, &r->all);
	}
	if (r->usage)
		stats_usage_print_text(r->usage);
	strbuf_release(&a);
	strbuf_release(&b);
}
