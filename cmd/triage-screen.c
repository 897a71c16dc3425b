/*
 * What the triage session shows: one item at a time (header, body trimmed
 * to the screen, similar issues numbered), the prompt, help and the closing
 * summary. Titles and bodies are customer text: everything of theirs goes
 * through psm_sanitize() so it cannot move the cursor, change colours or
 * retitle the terminal.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "psm/time.h"
#include "psm/query.h"
#include "psm/render.h"
#include "psm/timeline.h"
#include "triage-int.h"

double session_elapsed(const struct session *ss)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - ss->start.tv_sec) +
	       (double)(now.tv_nsec - ss->start.tv_nsec) / 1e9;
}

void format_clock(struct strbuf *sb, int64_t secs)
{
	if (secs >= 3600)
		strbuf_addf(sb, "%lld:%02lld:%02lld", (long long)(secs / 3600),
			    (long long)(secs / 60 % 60), (long long)(secs % 60));
	else
		strbuf_addf(sb, "%lld:%02lld", (long long)(secs / 60), (long long)(secs % 60));
}

/* Customer text, sanitized, on one line cut to the screen width. */
static void put_cut(struct session *ss, const char *s, size_t used)
{
	struct strbuf clean = STRBUF_INIT;
	size_t room = (size_t)ss->cols > used + 1 ? (size_t)ss->cols - used : 1, fit;

	psm_sanitize(&clean, s ? s : "", s ? strlen(s) : 0, 0);
	fit = psm_fit_width(clean.buf, clean.len, room);
	if (fit < clean.len && room > 1)
		fit = psm_fit_width(clean.buf, clean.len, room - 1);
	fwrite(clean.buf, 1, fit, stdout);
	if (fit < clean.len)
		fputs("\xe2\x80\xa6", stdout);
	strbuf_release(&clean);
}

static void rule(struct session *ss, const char *label)
{
	/* "── label " is four columns more than the label; the last column stays
	 * empty so that no terminal wraps the line */
	size_t w = psm_display_width(label, strlen(label)) + 4, i;

	printf("%s\xe2\x94\x80\xe2\x94\x80 %s ", ss->color ? C_DIM : "", label);
	for (i = w; i + 1 < (size_t)ss->cols && i < 200; i++)
		fputs("\xe2\x94\x80", stdout);
	printf("%s\n", ss->color ? C_RESET : "");
}

static void header(struct session *ss, const struct psm_issue *is, const struct psm_score_terms *t)
{
	struct strbuf sb = STRBUF_INIT, sid = STRBUF_INIT;
	const char *v;
	int64_t created;

	strbuf_addstr(&sid, short_id(ss->s, is));
	printf("%s%s%s  %s", ss->color ? C_YELLOW : "", sid.buf, ss->color ? C_RESET : "",
	       ss->color ? C_BOLD : "");
	put_cut(ss, psm_issue_get(is, "title"), sid.len + 2);
	printf("%s\n", ss->color ? C_RESET : "");

	strbuf_addstr(&sb, psm_issue_get(is, "status") ? psm_issue_get(is, "status") : "?");
	if (!psm_time_parse(psm_issue_get(is, "created"), &created)) {
		strbuf_addstr(&sb, " \xc2\xb7 age ");
		psm_age_format(&sb, ss->now_t - created);
	}
	psm_error_clear();
	strbuf_addf(&sb, " \xc2\xb7 source %s", (v = psm_issue_get(is, "source")) ? v : "-");
	strbuf_addf(&sb, " \xc2\xb7 customer %s", (v = psm_issue_get(is, "customer")) ? v : "-");
	strbuf_addf(&sb, " \xc2\xb7 %zu reporter%s", psm_issue_reporter_count(is),
		    psm_issue_reporter_count(is) == 1 ? "" : "s");
	strbuf_addf(&sb, " \xc2\xb7 priority %.1f", t->total);
	put_cut(ss, sb.buf, 0);
	putchar('\n');

	strbuf_reset(&sb);
	if (triage_replied(is)) {
		const char *closed = psm_issue_get(is, "closed"), *res = psm_issue_get(is, "resolution");

		strbuf_addf(&sb, "customer replied after close \xc2\xb7 closed %.10s as %s",
			    closed ? closed : "?", res ? res : "?");
	} else if (t->impact)
		strbuf_addf(&sb, "impact %s (already set)", t->impact);
	else if (t->suggested_impact && t->keyword_seen &&
		 (strlen(t->keyword) != t->keyword_seen_len ||
		  strncasecmp(t->keyword, t->keyword_seen, t->keyword_seen_len)))
		strbuf_addf(&sb, "suggested impact: %s (keyword \"%s\", as \"%.*s\")",
			    t->suggested_impact, t->keyword, (int)t->keyword_seen_len, t->keyword_seen);
	else if (t->suggested_impact)
		strbuf_addf(&sb, "suggested impact: %s (keyword \"%s\")", t->suggested_impact,
			    t->keyword);
	else
		strbuf_addstr(&sb, "suggested impact: none (no keyword matched; judge by the rubric)");
	if ((v = psm_issue_get(is, "type")))
		strbuf_addf(&sb, " \xc2\xb7 type %s", v);
	if ((v = psm_issue_get(is, "owner")))
		strbuf_addf(&sb, " \xc2\xb7 owner %s", v);
	put_cut(ss, sb.buf, 0);
	putchar('\n');
	strbuf_release(&sb);
	strbuf_release(&sid);
}

/*
 * Where the latest `customer` timeline entry starts ("### <time> customer
 * — who"), or 0: what a customer wrote after the close is at the end of a
 * long body, below what the screen has room for.
 */
static size_t last_customer_entry(const struct strbuf *body)
{
	const char *p, *found = NULL;

	for (p = body->buf; (p = strstr(p, "### ")); p += 4)
		if ((p == body->buf || p[-1] == '\n') &&
		    strstr(p, " customer \xe2\x80\x94 ") &&
		    strstr(p, " customer \xe2\x80\x94 ") < p + strcspn(p, "\n"))
			found = p;
	return found ? (size_t)(found - body->buf) : 0;
}

/* The body as plain text (psm_markdown_text()), cut to `rows` lines; for a
 * customer's reply after the close, from that reply on. */
static void body(struct session *ss, const struct psm_issue *is, int rows)
{
	struct strbuf clean = STRBUF_INIT, text = STRBUF_INIT, md = STRBUF_INIT;
	const char *p, *nl;
	int shown = 0, total = 0;
	size_t from;

	if (!is->body.len) {
		printf("\n  (no description)\n");
		return;
	}
	/* psm's own markers (a message's ID, where a reply went) are not
	 * for reading: the screen's rows go to what people wrote */
	if (psm_timeline_readable(&md, &is->body) < 0)
		die_psm();
	from = triage_replied(is) ? last_customer_entry(&md) : 0;
	if (from)
		printf("\n  %s(the latest message; the rest: psm show %s)%s", ss->color ? C_DIM : "",
		       short_id(ss->s, is), ss->color ? C_RESET : "");
	if (psm_markdown_text(&text, md.buf + from, md.len - from,
			      ss->cols > 20 ? ss->cols - 4 : 0) < 0)
		die_psm();
	strbuf_release(&md);
	psm_sanitize(&clean, text.buf, text.len, 1);
	strbuf_rtrim(&clean);
	putchar('\n');
	for (p = clean.buf; *p; p = nl ? nl + 1 : p + strlen(p)) {
		struct strbuf line = STRBUF_INIT;

		nl = strchr(p, '\n');
		total++;
		if (shown < rows) {
			strbuf_add(&line, p, nl ? (size_t)(nl - p) : strlen(p));
			fputs("  ", stdout);
			put_cut(ss, line.buf, 2);
			putchar('\n');
			shown++;
		}
		strbuf_release(&line);
		if (!nl)
			break;
	}
	if (total > shown)
		printf("  %s\xe2\x80\xa6 %d more line%s (psm show %s)%s\n", ss->color ? C_DIM : "",
		       total - shown, total - shown == 1 ? "" : "s", short_id(ss->s, is),
		       ss->color ? C_RESET : "");
	strbuf_release(&text);
	strbuf_release(&clean);
}

static void similar(struct session *ss)
{
	struct strbuf sb = STRBUF_INIT, sid = STRBUF_INIT;
	size_t i;

	printf("\nSimilar issues%s\n", ss->nhits ? " (d then the number: duplicate of it):" : ": none found");
	for (i = 0; i < ss->nhits; i++) {
		const struct psm_similar_hit *h = &ss->hits[i];

		strbuf_reset(&sid);
		if (psm_store_abbrev(&sid, ss->s, h->id) < 0)
			die_psm();
		strbuf_reset(&sb);
		strbuf_addf(&sb, "  %zu) %.2f  %s  %-8s %s", i + 1, h->score, sid.buf, h->status,
			    h->title);
		if (h->via[0])
			strbuf_addf(&sb, " (via duplicate %.*s)", PSM_SHORT_ID_LEN, h->via);
		put_cut(ss, sb.buf, 0); /* status and title come from files: sanitized */
		putchar('\n');
	}
	strbuf_release(&sb);
	strbuf_release(&sid);
}

void screen_item(struct session *ss)
{
	struct strbuf label = STRBUF_INIT;
	struct psm_score_terms t;
	int rows;

	psm_score(&t, ss->item, ss->s->config, ss->now_t);
	strbuf_addf(&label, "%zu of %zu", ss->pos + 1, ss->queue.n);
	if (ss->timebox) {
		strbuf_addstr(&label, " \xc2\xb7 ");
		format_clock(&label, (int64_t)session_elapsed(ss));
		strbuf_addstr(&label, " of ");
		format_clock(&label, ss->timebox);
	}
	putchar('\n');
	rule(ss, label.buf);
	header(ss, ss->item, &t);
	/* what is left of the screen after header, similar list and prompt */
	rows = ss->rows - 4 - (int)(ss->nhits + 2) - 3;
	body(ss, ss->item, rows < 3 ? 3 : rows);
	similar(ss);
	strbuf_release(&label);
}

void screen_prompt(struct session *ss)
{
	printf("%s(%zu/%zu", ss->color ? C_BLUE C_BOLD : "", ss->pos + 1, ss->queue.n);
	if (ss->timebox) {
		struct strbuf sb = STRBUF_INIT;

		format_clock(&sb, (int64_t)session_elapsed(ss));
		printf(", %s used", sb.buf);
		strbuf_release(&sb);
	}
	printf(")");
	if (ss->stage_type)
		printf(" type=%s", ss->stage_type);
	if (ss->stage_owner) {
		printf(" owner=");
		put_cut(ss, ss->stage_owner, ss->cols > 40 ? (size_t)ss->cols - 40 : 0);
	}
	printf(" Triage %s [%s]? %s", short_id(ss->s, ss->item),
	       triage_replied(ss->item) ? "r,k,s,u,q,?" : "t,i,o,d,p,c,s,u,q,?",
	       ss->color ? C_RESET : "");
	fflush(stdout);
}

/*
 * The decision just committed, on one line, before the next item: what a
 * session did is on screen without paging back (and in a transcript).
 */
void screen_decided(struct session *ss, int kind, const struct psm_issue *item,
		    const struct psm_issue *target)
{
	struct strbuf sb = STRBUF_INIT;
	const char *v;
	size_t i, moved = 0;

	strbuf_addf(&sb, "%s ", short_id(ss->s, item));
	switch (kind) {
	case N_TRIAGED:
		strbuf_addstr(&sb, "triaged:");
		if ((v = psm_issue_get(item, "impact")))
			strbuf_addf(&sb, " impact %s,", v);
		if ((v = psm_issue_get(item, "response")))
			strbuf_addf(&sb, " response %s,", v);
		if ((v = psm_issue_get(item, "type")))
			strbuf_addf(&sb, " type %s,", v);
		v = psm_issue_get(item, "owner");
		strbuf_addf(&sb, " owner %s", v ? v : "none");
		break;
	case N_PARKED:
		strbuf_addf(&sb, "parked until %s", (v = psm_issue_get(item, "parked_until")) ? v : "?");
		if (psm_streq(psm_issue_get(item, "response"), "park") && psm_issue_get(item, "impact"))
			strbuf_addf(&sb, " (impact %s, response park)", psm_issue_get(item, "impact"));
		break;
	case N_DUP: {
		const struct psm_node *reps = target ? psm_issue_node(target, "reporters") : NULL;

		for (i = 0; reps && reps->kind == PSM_SEQ && i < reps->n; i++)
			moved += psm_streq(psm_node_get_str(reps->items[i], "via"),
					   psm_issue_get(item, "id"));
		strbuf_addf(&sb, "duplicate of %s: %zu reporter%s brought, %zu in all",
			    target ? short_id(ss->s, target) : "?", moved, moved == 1 ? "" : "s",
			    target ? psm_issue_reporter_count(target) : 0);
		break;
	}
	case N_CLOSED:
		strbuf_addf(&sb, "closed as %s", (v = psm_issue_get(item, "resolution")) ? v : "?");
		break;
	case N_REOPENED:
		strbuf_addstr(&sb, "reopened: back to triaged");
		break;
	case N_KEPT:
		strbuf_addstr(&sb, "kept closed");
		break;
	}
	printf("%s\xe2\x9c\x93%s ", ss->color ? C_GREEN : "", ss->color ? C_RESET : "");
	put_cut(ss, sb.buf, 2); /* owners come from files: sanitized */
	putchar('\n');
	strbuf_release(&sb);
}

void screen_help(void)
{
	printf("t - set the type                    i - set the impact: records the decision\n"
	       "o - set the owner                   d - duplicate of a similar issue (then its number)\n"
	       "p - park it (back in the queue on a date)\n"
	       "c - close it with a resolution      s - skip it for now\n"
	       "u - undo the last decision          q - quit (with a summary)\n"
	       "? - this help                       Esc cancels a choice\n"
	       "The response follows the impact (core: fix-fast ...); fix-fast asks for an owner.\n"
	       "A closed item a customer wrote to since: r - reopen it, k - keep it closed.\n");
}

void screen_summary(struct session *ss)
{
	static const char *const names[N_COUNTS] = {
		"triaged", "duplicates merged", "parked", "closed", "reopened", "kept closed", "skipped"
	};
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	format_clock(&sb, (int64_t)session_elapsed(ss));
	printf("\nTriage session: %zu item%s seen in %s", ss->shown, ss->shown == 1 ? "" : "s", sb.buf);
	if (ss->timebox) {
		strbuf_reset(&sb);
		format_clock(&sb, ss->timebox);
		printf(" (time box %s)", sb.buf);
	}
	printf("\n");
	for (i = 0; i < N_COUNTS; i++)
		printf("  %-18s %zu\n", names[i], ss->count[i]);
	printf("  %-18s %zu\n", "fix-fast", ss->nff);
	for (i = 0; i < ss->nff; i++) {
		strbuf_reset(&sb);
		strbuf_addf(&sb, "    %s  %-24s %s", ss->ff[i].id,
			    ss->ff[i].owner ? ss->ff[i].owner : "(no owner)", ss->ff[i].title);
		put_cut(ss, sb.buf, 0);
		putchar('\n');
	}
	printf("  %-18s %zu\n", "left in the queue", ss->left);
	strbuf_release(&sb);
}
