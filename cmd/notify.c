/* Status notifications by e-mail (notify.h). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "notify.h"
#include "followup-send.h"
#include "hook.h"
#include "loop-util.h"
#include "psm/followup.h"
#include "psm/git.h"
#include "psm/loop.h"
#include "psm/people.h"

int notify_wanted(struct psm_store *s, const char *event)
{
	struct strbuf v = STRBUF_INIT;
	const char *p;
	int found = 0;

	if (psm_git_config_get(&v, s->git, "psm.notify") < 0) {
		if (psm_error_code() != PSM_ENOTFOUND)
			die_psm();
		psm_error_clear();
		strbuf_release(&v);
		return 0;
	}
	for (p = v.buf; *p; ) {
		size_t n;

		p += strspn(p, ", \t");
		if (!(n = strcspn(p, ", \t")))
			break;
		if ((n != 5 || strncasecmp(p, "close", 5)) && (n != 4 || strncasecmp(p, "park", 4)) &&
		    (n != 4 || strncasecmp(p, "none", 4)))
			die("psm.notify: '%.*s' is not an event psm notifies of (close, park)", (int)n, p);
		found |= n == strlen(event) && !strncasecmp(p, event, n);
		p += n;
	}
	strbuf_release(&v);
	return found;
}

int notify_close(struct psm_store *s, const char *id)
{
	struct mail_opts mo = { 0 };
	struct opt_list none = { 0 };

	mo.send = 1;
	printf("psm.notify: telling the reporters\n");
	return followup_send(s, 1, &id, &mo, &none);
}

/* {reason} and {parked_until}, which only this message has, filled
 * before the follow-up placeholders are. */
static void fill(struct strbuf *out, const char *tmpl, const char *reason, const char *until)
{
	const char *p;

	for (p = tmpl; *p; p++) {
		if (!strncmp(p, "{reason}", 8)) {
			strbuf_addstr(out, reason);
			p += 7;
		} else if (!strncmp(p, "{parked_until}", 14)) {
			strbuf_addstr(out, until);
			p += 13;
		} else {
			strbuf_addch(out, *p);
		}
	}
	if (out->oom)
		die("out of memory");
}

int notify_park(struct psm_store *s, const char *id, const char *reason, const char *until)
{
	const char *who = who_or_die(s), *now = now_string(), *sender = identity_name(s);
	struct strbuf tmpl = STRBUF_INIT, source = STRBUF_INIT, filled = STRBUF_INIT;
	struct strbuf draft = STRBUF_INIT, entry = STRBUF_INIT, kind = STRBUF_INIT, msg = STRBUF_INIT;
	struct mail_opts mo = { 0 };
	const struct psm_node *reps;
	struct psm_issue *is;
	struct mail_batch b;
	struct psm_txn *t;
	size_t i, j, sent;
	int code = 0;

	mo.send = 1;
	printf("psm.notify: telling the reporters\n");
	mail_begin(&b, s, &mo);
	t = begin_or_die(s);
	is = load_in_txn(t, s, id);
	/* .psm/templates/parked.md, else psm's own text: default.md is about
	 * a close */
	if (psm_followup_template(&tmpl, &source, s, "parked") < 0)
		die_txn_psm(t);
	if (strcmp(source.buf, ".psm/templates/parked.md")) {
		strbuf_reset(&tmpl);
		strbuf_addstr(&tmpl, psm_followup_builtin("parked"));
	}
	fill(&filled, tmpl.buf, reason, until);
	strbuf_addf(&kind, "park %s", until);
	reps = psm_issue_node(is, "reporters");
	for (i = 0; reps && reps->kind == PSM_SEQ && i < reps->n; i++) {
		const char *a = psm_node_get_str(reps->items[i], "email");
		int seen = 0;

		for (j = 0; a && j < i; j++)
			seen |= psm_node_get_str(reps->items[j], "email") &&
				!strcasecmp(psm_node_get_str(reps->items[j], "email"), a);
		if (seen || reps->items[i]->kind != PSM_MAP ||
		    psm_reporter_is_team(s->config, reps->items[i]))
			continue;
		strbuf_reset(&draft);
		if (psm_followup_draft(&draft, filled.buf, is, reps->items[i], short_id(s, is), sender) < 0)
			die_txn(t, "%s: not sent: %s", short_id(s, is), psm_error_last());
		mail_add(&b, t, is, reps->items[i], kind.buf, draft.buf);
	}
	sent = mail_deliver(&b, t);
	for (i = 0; i < b.n; i++) {
		if (b.v[i].sent <= 0)
			continue;
		strbuf_reset(&entry);
		mail_record_text(&entry, &b.v[i]);
		if (psm_loop_timeline(is, "reply", who, entry.buf, now) < 0)
			die_txn_psm(t);
	}
	if (sent) {
		commit_message(&msg, s, "reply", is);
		commit_or_die(t, &is, 1, NULL, msg.buf);
		code = run_hook(s, "reply", is);
		mail_recorded(&b);
	} else {
		psm_txn_free(t);
	}
	mail_report(&b);
	if (b.failed)
		code = 1;
	mail_end(&b);
	psm_issue_free(is);
	strbuf_release(&tmpl);
	strbuf_release(&source);
	strbuf_release(&filled);
	strbuf_release(&draft);
	strbuf_release(&entry);
	strbuf_release(&kind);
	strbuf_release(&msg);
	return code ? EXIT_PROBLEMS : 0;
}
