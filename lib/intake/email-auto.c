/*
 * Mail no person wrote (email.h): an out-of-office answer to a follow-up,
 * a bounce, a read receipt. Taken in, it would open an issue nobody has
 * or, threaded into a closed one, bring it back to triage as though the
 * customer had answered; what a program sent (a form's notice) may carry
 * a customer's words, and the kind tells the caller which it is. Told by
 * the headers made to say so (RFC 3834's Auto-Submitted, RFC 6522's
 * multipart/report, RFC 5321's null sender) and the older ones
 * autoresponders write; never by Precedence: list or bulk, which mailing
 * lists (a support@ group among them) put on people's messages. A
 * bounce's message/delivery-status part says whether the mail failed or
 * is only delayed (psm_mail_dsn): a follow-up that failed is owed again.
 */
#include "psm/email.h"

#include <string.h>
#include <strings.h>

#include "psm/error.h"
#include "psm/utf8.h"

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

/* One block of a delivery-status part: the fields psm reads. */
struct dsn_block {
	struct strbuf action, status, diag;
};

static int action_rank(const struct strbuf *a)
{
	const char *s;
	size_t n = word(a->buf, &s);

	if (n == 6 && !strncasecmp(s, "failed", n))
		return PSM_DELIVERY_FAILED;
	if (n == 7 && !strncasecmp(s, "delayed", n))
		return PSM_DELIVERY_DELAYED;
	if ((n == 9 && !strncasecmp(s, "delivered", n)) || (n == 7 && !strncasecmp(s, "relayed", n)) ||
	    (n == 8 && !strncasecmp(s, "expanded", n)))
		return PSM_DELIVERY_DELIVERED;
	return 0;
}

/* What the block said, as one short line of printable ASCII (a report is
 * ASCII; anything else is a stranger's bytes, not words to keep). */
static void block_status(struct strbuf *out, const struct dsn_block *b)
{
	const char *d = b->diag.buf, *semi = strchr(d, ';');
	size_t i;

	strbuf_reset(out);
	if (b->diag.len) {
		psm_one_line(out, semi ? semi + 1 : d, strlen(semi ? semi + 1 : d));
	} else if (b->status.len) {
		strbuf_addstr(out, "Status: ");
		psm_one_line(out, b->status.buf, b->status.len);
	}
	for (i = 0; i < out->len; i++)
		if ((unsigned char)out->buf[i] < 0x20 || (unsigned char)out->buf[i] > 0x7e)
			out->buf[i] = '?';
	if (out->len > 200) {
		strbuf_setlen(out, 197);
		strbuf_addstr(out, "...");
	}
}

/* The block ends: keep it when it is worse news than the one kept. */
static void block_end(int *delivery, struct strbuf *status, struct dsn_block *b)
{
	int rank = action_rank(&b->action);

	if (rank && (!*delivery || rank < *delivery)) {
		*delivery = rank;
		block_status(status, b);
	}
	strbuf_reset(&b->action);
	strbuf_reset(&b->status);
	strbuf_reset(&b->diag);
}

int psm_mail_dsn(int *delivery, struct strbuf *status, const char *text, size_t len)
{
	struct dsn_block b = { STRBUF_INIT, STRBUF_INIT, STRBUF_INIT };
	struct strbuf *field = NULL; /* the field a folded line continues */
	const char *p = text, *end = text + len;
	int oom;

	*delivery = 0;
	strbuf_reset(status);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *e, *colon;
		size_t klen;

		e = nl ? nl : end;
		if (e > p && e[-1] == '\r')
			e--;
		if (e == p) { /* a blank line ends a block */
			block_end(delivery, status, &b);
			field = NULL;
		} else if (*p == ' ' || *p == '\t') {
			if (field) {
				strbuf_addch(field, ' ');
				strbuf_add(field, p, (size_t)(e - p));
			}
		} else {
			field = NULL;
			colon = memchr(p, ':', (size_t)(e - p));
			klen = colon ? (size_t)(colon - p) : 0;
			if (klen == 6 && !strncasecmp(p, "Action", 6))
				field = &b.action;
			else if (klen == 6 && !strncasecmp(p, "Status", 6))
				field = &b.status;
			else if (klen == 15 && !strncasecmp(p, "Diagnostic-Code", 15))
				field = &b.diag;
			if (field) { /* a field said twice: the last */
				strbuf_reset(field);
				strbuf_add(field, colon + 1, (size_t)(e - colon - 1));
			}
		}
		p = nl ? nl + 1 : end;
	}
	block_end(delivery, status, &b);
	oom = b.action.oom || b.status.oom || b.diag.oom || status->oom;
	strbuf_release(&b.action);
	strbuf_release(&b.status);
	strbuf_release(&b.diag);
	return oom ? psm_oom() : 0;
}
