/*
 * psm followup [ID...] --send: the follow-up draft of each person still
 * owed one, e-mailed in their thread (mail-send.h); each message sent is a
 * reply entry and marks that person told (psm/followup-owed.h, with the
 * Message-ID as ref), all in one commit. Who has no address is listed to
 * tell by hand.
 */
#include <stdlib.h>
#include <string.h>

#include "followup-send.h"
#include "hook.h"
#include "loop-util.h"
#include "psm/conflict.h"
#include "psm/followup.h"
#include "psm/followup-owed.h"
#include "psm/loop.h"
#include "psm/query.h"
#include "psm/time.h"

static int cmp_closed(const void *a, const void *b)
{
	const struct psm_issue *x = *(struct psm_issue *const *)a, *y = *(struct psm_issue *const *)b;
	int64_t tx = 0, ty = 0;

	psm_time_parse(psm_issue_get(x, "closed"), &tx);
	psm_time_parse(psm_issue_get(y, "closed"), &ty);
	if (tx != ty)
		return tx < ty ? -1 : 1;
	return strcmp(x->path, y->path);
}

static int owed(const struct psm_issue *is, void *cfg)
{
	return psm_followup_owed(is, cfg) > 0;
}

/* The issues: those named (closed), else every one that owes someone. */
static void collect(struct psm_issue_set *out, struct psm_txn *t, struct psm_store *s, int argc,
		    const char **argv)
{
	struct psm_issue_set errors = { 0 };
	int i;

	for (i = 0; i < argc; i++) {
		struct psm_issue *is = load_in_txn(t, s, argv[i]);

		if (psm_issue_is_open(is))
			die_txn(t, "'%s' is not closed: there is nothing to follow up yet", argv[i]);
		if (psm_issue_set_add(out, is) < 0)
			die_txn_psm(t);
	}
	if (argc)
		return;
	load_matching_in_txn(out, &errors, t, s, 0, owed, (void *)s->config);
	report_scan_errors(&errors);
	psm_issue_set_release(&errors);
	if (out->n)
		qsort(out->v, out->n, sizeof(*out->v), cmp_closed);
}

/* Is this person one of those --reporter names (all when none)? */
static int wanted(struct psm_txn *t, const struct psm_issue *is, const struct psm_node *r,
		  const struct opt_list *only)
{
	const struct psm_node *found;
	int i;

	if (!only->n)
		return 1;
	for (i = 0; i < only->n; i++) {
		if (psm_followup_find(&found, is, only->v[i]) < 0)
			die_txn_psm(t);
		if (found == r)
			return 1;
	}
	return 0;
}

static void queue_issue(struct mail_batch *b, struct psm_txn *t, struct psm_issue *is,
			const struct opt_list *only, const char *sender)
{
	struct strbuf tmpl = STRBUF_INIT, source = STRBUF_INIT, draft = STRBUF_INIT, kind = STRBUF_INIT;
	const char *res = psm_issue_get(is, "resolution");
	struct psm_followup_person *p;
	size_t i, n;

	if (psm_issue_refuse_conflict(is, "sending its follow-up") < 0 ||
	    psm_followup_template(&tmpl, &source, b->s, res) < 0 ||
	    psm_followup_people(&p, &n, is, b->s->config) < 0)
		die_txn_psm(t);
	/* a new close or resolution is news: a new message, a new Message-ID */
	strbuf_addf(&kind, "followup %s %s", psm_issue_get(is, "closed") ? psm_issue_get(is, "closed") : "",
		    res ? res : "");
	for (i = 0; i < n; i++) {
		if (p[i].state != PSM_FOLLOWUP_OWED || !wanted(t, is, p[i].reporter, only))
			continue;
		strbuf_reset(&draft);
		if (psm_followup_draft(&draft, tmpl.buf, is, p[i].reporter, short_id(b->s, is), sender) < 0)
			die_txn(t, "%s: not sent: %s", short_id(b->s, is), psm_error_last());
		mail_add(b, t, is, p[i].reporter, kind.buf, draft.buf);
	}
	free(p);
	strbuf_release(&tmpl);
	strbuf_release(&source);
	strbuf_release(&draft);
	strbuf_release(&kind);
}

int followup_send(struct psm_store *s, int argc, const char **argv, const struct mail_opts *mo,
		  const struct opt_list *only)
{
	const char *who = who_or_die(s), *now = now_string(), *sender = identity_name(s);
	struct strbuf entry = STRBUF_INIT, msg = STRBUF_INIT;
	struct psm_issue_set set = { 0 };
	struct mail_batch b;
	struct psm_txn *t;
	size_t i, sent;
	int *changed, code = 0, record = mo->send && !mo->dry_run && !mo->to_file;

	mail_begin(&b, s, mo);
	t = begin_or_die(s);
	collect(&set, t, s, argc, argv);
	for (i = 0; i < set.n; i++)
		queue_issue(&b, t, set.v[i], only, sender);
	sent = mail_deliver(&b, t);
	for (i = 0; record && i < b.n; i++) {
		struct mail_out *m = &b.v[i];

		if (m->sent <= 0)
			continue;
		strbuf_reset(&entry);
		mail_record_text(&entry, m);
		if (psm_loop_timeline(m->issue, "reply", who, entry.buf, now) < 0 ||
		    psm_followup_told(m->issue, m->reporter, who, m->id, now) < 0)
			die_txn_psm(t);
	}
	if (!(changed = calloc(set.n + 1, sizeof(*changed))))
		die_txn(t, "out of memory");
	if (record && sent) {
		if (set.n == 1)
			commit_message(&msg, s, "followup", set.v[0]);
		else
			strbuf_addf(&msg, "psm followup: %zu message%s sent", sent, sent == 1 ? "" : "s");
		commit_or_die(t, set.v, set.n, changed, msg.buf);
		mail_recorded(&b);
		for (i = 0; i < set.n; i++)
			if (changed[i])
				code |= run_hook(s, "followup", set.v[i]);
	} else {
		psm_txn_free(t);
	}
	mail_report(&b);
	if (record && !b.n && !b.already && !b.nby_hand)
		printf("no follow-ups owed\n");
	if (b.nby_hand && record)
		printf("once told: psm followup ID --done --reporter WHO (or --unreachable WHY --reporter WHO)\n");
	if (b.failed)
		code = 1;
	free(changed);
	mail_end(&b);
	psm_issue_set_release(&set);
	strbuf_release(&entry);
	strbuf_release(&msg);
	return code ? EXIT_PROBLEMS : 0;
}
