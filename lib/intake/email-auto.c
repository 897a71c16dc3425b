/*
 * Mail no person wrote (email.h): an out-of-office answer to a follow-up,
 * a bounce, a read receipt. Taken in, it would open an issue nobody has
 * or, threaded into a closed one, bring it back to triage as though the
 * customer had answered; what a program sent (a form's notice) may carry
 * a customer's words, and the kind tells the caller which it is. Told by
 * the headers made to say so (RFC 3834's Auto-Submitted, RFC 6522's
 * multipart/report, RFC 5321's null sender) and the older ones
 * autoresponders write; never by Precedence: list or bulk, which mailing
 * lists (a support@ group among them) put on people's messages.
 */
#include "psm/email.h"

#include <string.h>
#include <strings.h>

#include "psm/error.h"

/* The header's first word (up to white space, ';' or a comment), or "". */
static size_t word(const char *v, const char **start)
{
	if (!v)
		v = "";
	v += strspn(v, " \t\r\n");
	*start = v;
	return strcspn(v, " \t\r\n;(");
}

static int word_is(const char *v, const char *w)
{
	const char *s;
	size_t n = word(v, &s);

	return n == strlen(w) && !strncasecmp(s, w, n);
}

/* A value put in a reason only when it is a plain token: the rest is the
 * sender's text, which a reason line does not carry. */
static void add_token(struct strbuf *why, const char *v)
{
	const char *s;
	size_t n = word(v, &s), i;

	for (i = 0; i < n && i <= 40; i++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.", s[i]))
			break;
	if (n && i == n && n <= 40) {
		strbuf_addstr(why, ": ");
		strbuf_add(why, s, n);
	}
}

int psm_mail_automatic(struct strbuf *why, int *kind, const struct psm_mail_auto_in *h)
{
	const char *at = h->from_email ? strrchr(h->from_email, '@') : NULL;

	*kind = 0;
	if (h->content_type && !strcasecmp(h->content_type, "multipart/report")) {
		*kind = PSM_MAIL_RECEIPT;
		if (word_is(h->report_type, "delivery-status")) {
			*kind = PSM_MAIL_BOUNCE;
			strbuf_addstr(why, "a delivery report");
		} else if (word_is(h->report_type, "disposition-notification")) {
			strbuf_addstr(why, "a read receipt");
		} else {
			strbuf_addstr(why, "an automatic report");
		}
		strbuf_addstr(why, " (multipart/report)");
	} else if (at && at - h->from_email == 13 && !strncasecmp(h->from_email, "mailer-daemon", 13)) {
		*kind = PSM_MAIL_BOUNCE;
		strbuf_addstr(why, "a delivery report (from MAILER-DAEMON)");
	} else if (h->auto_submitted && !word_is(h->auto_submitted, "no")) {
		*kind = word_is(h->auto_submitted, "auto-replied") ? PSM_MAIL_AUTOREPLY
								   : PSM_MAIL_GENERATED;
		strbuf_addstr(why, *kind == PSM_MAIL_AUTOREPLY ? "an automatic reply"
							       : "an automatic message");
		strbuf_addstr(why, " (Auto-Submitted");
		add_token(why, h->auto_submitted);
		strbuf_addch(why, ')');
	} else if (h->x_autoreply && !word_is(h->x_autoreply, "no") &&
		   !word_is(h->x_autoreply, "false")) {
		*kind = PSM_MAIL_AUTOREPLY;
		strbuf_addstr(why, "an automatic reply (X-Autoreply)");
	} else if (h->x_autorespond) {
		*kind = PSM_MAIL_AUTOREPLY;
		strbuf_addstr(why, "an automatic reply (X-Autorespond)");
	} else if (word_is(h->precedence, "auto_reply")) {
		*kind = PSM_MAIL_AUTOREPLY;
		strbuf_addstr(why, "an automatic reply (Precedence: auto_reply)");
	} else if (word_is(h->precedence, "junk")) {
		*kind = PSM_MAIL_GENERATED;
		strbuf_addstr(why, "an automatic message (Precedence: junk)");
	} else if (h->return_path && word_is(h->return_path, "<>")) {
		*kind = PSM_MAIL_GENERATED;
		strbuf_addstr(why, "an automatic message (Return-Path: <>)");
	} else {
		return 0;
	}
	return why->oom ? psm_oom() : 1;
}
