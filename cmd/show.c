/* psm show ID: one issue, for a terminal, as Markdown, or as JSON. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"
#include "parse-options.h"
#include "psm/followup-owed.h"
#include "psm/people.h"
#include "psm/time.h"
#include "psm/render.h"
#include "psm/timeline.h"

/* The width of the field names: the longest shown (duplicate_of, a key of
 * the user's), so the values line up. */
static int label_width;

static void field(const char *name, const char *value, int color)
{
	if (!value)
		return;
	if (color)
		printf(C_DIM "%-*s" C_RESET " ", label_width, name);
	else
		printf("%-*s ", label_width, name);
	put_safe(stdout, value, 0);
	putchar('\n');
}

static void person(struct strbuf *sb, const struct psm_node *r)
{
	if (psm_reporter_format(sb, r) < 0)
		die_psm();
}

static void show_reporters(const struct psm_issue *issue, int color)
{
	const struct psm_node *rs = psm_issue_node(issue, "reporters");
	struct strbuf line = STRBUF_INIT;
	size_t i;

	if (!rs || rs->kind != PSM_SEQ)
		return;
	for (i = 0; i < rs->n; i++) {
		const struct psm_node *r = rs->items[i];
		const char *channel = psm_node_get_str(r, "channel");
		const char *at = psm_node_get_str(r, "at");

		strbuf_reset(&line);
		person(&line, r);
		if (channel)
			strbuf_addf(&line, " via %s", channel);
		if (at)
			strbuf_addf(&line, ", %s", at);
		field(i ? "" : "reporters", line.buf, color);
	}
	strbuf_release(&line);
}

/* A closed issue's follow-up, person by person: who was told, who is owed. */
static void show_followups(struct psm_store *s, const struct psm_issue *issue, int color)
{
	struct psm_followup_person *v = NULL;
	struct strbuf line = STRBUF_INIT;
	size_t i, n = 0, shown = 0;

	if (!psm_streq(psm_issue_get(issue, "status"), "closed") ||
	    psm_streq(psm_issue_get(issue, "resolution"), "duplicate"))
		return; /* owed nothing: a duplicate's reporters hear through its target */
	if (psm_followup_people(&v, &n, issue, s->config) < 0)
		die_psm();
	for (i = 0; i < n; i++) {
		const char *why = v[i].record ? psm_node_get_str(v[i].record, "unreachable") : NULL;

		strbuf_reset(&line);
		strbuf_addstr(&line, v[i].state == PSM_FOLLOWUP_OWED ? "owed to " :
				     v[i].state == PSM_FOLLOWUP_TOLD ? "told " : "cannot tell ");
		person(&line, v[i].reporter);
		if (v[i].bounced) { /* sent, and it came back */
			strbuf_addf(&line, ": the follow-up sent %s came back %s", v[i].done ? v[i].done : "?",
				    v[i].bounced);
			if (v[i].bounce)
				strbuf_addf(&line, " (%s)", v[i].bounce);
			field(shown++ ? "" : "followup", line.buf, color);
			continue;
		}
		if (v[i].done)
			strbuf_addf(&line, ", %s", v[i].done);
		if (v[i].by)
			strbuf_addf(&line, " by %s", v[i].by);
		if (why)
			strbuf_addf(&line, ": %s", why);
		field(shown++ ? "" : "followup", line.buf, color);
	}
	free(v);
	strbuf_release(&line);
}

static void show_ratings(const struct psm_issue *issue, int color)
{
	const struct psm_node *rs = psm_issue_node(issue, "ratings");
	struct strbuf line = STRBUF_INIT;
	size_t i;

	for (i = 0; rs && rs->kind == PSM_SEQ && i < rs->n; i++) {
		const struct psm_node *r = rs->items[i];
		const char *value = psm_node_get_str(r, "value"), *who = psm_node_get_str(r, "reporter");
		const char *at = psm_node_get_str(r, "at"), *comment = psm_node_get_str(r, "comment");

		strbuf_reset(&line);
		strbuf_addstr(&line, value ? value : "?");
		if (who)
			strbuf_addf(&line, " from %s", who);
		if (at)
			strbuf_addf(&line, ", %s", at);
		if (comment)
			strbuf_addf(&line, ": %s", comment);
		field(i ? "" : "ratings", line.buf, color);
	}
	strbuf_release(&line);
}

/* A time field's value, unless not worth a line: the first close is, once
 * there was another. */
static const char *time_shown(const struct psm_issue *issue, const char *key)
{
	const char *v = psm_issue_get(issue, key);

	if (v && !strcmp(key, "first_closed") && psm_streq(v, psm_issue_get(issue, "closed")))
		return NULL;
	return v;
}

static void show_text(struct psm_store *s, const struct psm_issue *issue, int64_t now)
{
	int color = want_color(), width = term_width();
	const struct psm_node *labels = psm_issue_node(issue, "labels");
	static const char *const plain[] = {
		"status", "type", "impact", "response", "owner", "customer", "source",
		"resolution", "duplicate_of", "reopened", "release", "parked_until", NULL
	};
	static const char *const times[] = {
		"created", "updated", "triaged", "responded", "closed", "first_closed",
		"customer_replied", NULL
	};
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	label_width = 10; /* "reporters", "responded" */
	for (i = 0; plain[i]; i++)
		if (psm_issue_get(issue, plain[i]) && (int)strlen(plain[i]) > label_width)
			label_width = (int)strlen(plain[i]);
	for (i = 0; times[i]; i++)
		if (time_shown(issue, times[i]) && (int)strlen(times[i]) > label_width)
			label_width = (int)strlen(times[i]);
	for (i = 0; i < issue->n; i++)
		if (psm_key_rank(issue->entries[i].key) < 0 && psm_node_str(issue->entries[i].value) &&
		    strlen(issue->entries[i].key) > (size_t)label_width &&
		    strlen(issue->entries[i].key) <= 24) /* a longer one just sticks out */
			label_width = (int)strlen(issue->entries[i].key);
	if (color)
		printf(C_YELLOW "%s" C_RESET "  " C_BOLD, short_id(s, issue));
	else
		printf("%s  ", short_id(s, issue));
	put_safe(stdout, psm_issue_get(issue, "title"), 0);
	printf("%s\n\n", color ? C_RESET : "");
	for (i = 0; plain[i]; i++)
		field(plain[i], psm_issue_get(issue, plain[i]), color);
	if (labels && labels->kind == PSM_SEQ && labels->n) {
		for (i = 0; i < labels->n; i++)
			strbuf_addf(&sb, "%s%s", i ? ", " : "", psm_node_str(labels->items[i]) ? psm_node_str(labels->items[i]) : "");
		field("labels", sb.buf, color);
	}
	show_reporters(issue, color);
	for (i = 0; times[i]; i++) {
		int64_t t;
		const char *v = time_shown(issue, times[i]);

		if (!v)
			continue;
		strbuf_reset(&sb);
		strbuf_addstr(&sb, v);
		if (!psm_time_parse(v, &t)) {
			strbuf_addstr(&sb, " (");
			psm_age_format(&sb, now - t);
			strbuf_addstr(&sb, " ago)");
		}
		field(times[i], sb.buf, color);
	}
	show_followups(s, issue, color);
	show_ratings(issue, color);
	for (i = 0; i < issue->n; i++) /* keys psm does not know, as written */
		if (psm_key_rank(issue->entries[i].key) < 0 && psm_node_str(issue->entries[i].value))
			field(issue->entries[i].key, psm_node_str(issue->entries[i].value), color);
	if (issue->body.len) {
		struct strbuf md = STRBUF_INIT;

		strbuf_reset(&sb);
		/* without psm's markers: --format md shows the file as it is */
		if (psm_timeline_readable(&md, &issue->body) < 0 ||
		    psm_markdown_text(&sb, md.buf, md.len, width > 20 ? width - 2 : 0) < 0)
			die_psm();
		strbuf_release(&md);
		putchar('\n');
		/* the body is customer text: no escape sequences reach the terminal */
		put_safe(stdout, sb.buf, 1);
	}
	strbuf_release(&sb);
}

int cmd_show(int argc, const char **argv, struct psm_store *s)
{
	static const char *const usage[] = { "psm show [--format text|md|json] <id>", NULL };
	const char *format = NULL;
	struct option opts[] = {
		OPT_STRING(0, "format", &format, "fmt", "text (default), md (the file as stored) or json"),
		OPT_END(),
	};
	enum output_format fmt;
	struct psm_issue *issue;
	struct strbuf text = STRBUF_INIT;

	argc = parse_options(argc, argv, opts, usage, 0);
	if (argc != 1)
		usage_error(usage, opts, argc ? "show takes one issue ID" : "which issue? give its ID");
	fmt = parse_format(format, "text,md,json");
	issue = load_issue_or_die(s, argv[0]);
	if (fmt == FMT_JSON) {
		print_issue_result(s, issue, FMT_JSON);
	} else if (fmt == FMT_MD) {
		if (psm_issue_format(&text, issue) < 0)
			die_psm();
		fwrite(text.buf, 1, text.len, stdout);
	} else {
		show_text(s, issue, now_or_die());
	}
	strbuf_release(&text);
	psm_issue_free(issue);
	return 0;
}
