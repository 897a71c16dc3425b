#ifndef PSM_MAIL_SEND_H
#define PSM_MAIL_SEND_H
/*
 * --send, --dry-run, --to-file of psm reply and psm followup: one message
 * per reporter with an e-mail address, in their thread (psm/mail.h),
 * handed to the transport git config names (psm.sendmail, psm.smtpServer),
 * then recorded by the command in one commit. cmd/mail-send.c.
 */
#include "common.h"
#include "psm/mail.h"

struct mail_opts {
	int send, dry_run, yes;
	const char *to_file;
};

#define OPT_MAIL(o) \
	OPT_BOOL(0, "send", &(o)->send, "e-mail it to each reporter with an address, in their thread"), \
	OPT_BOOL(0, "dry-run", &(o)->dry_run, "print the messages --send would send, send nothing"), \
	OPT_STRING(0, "to-file", &(o)->to_file, "dir", "write the messages to <dir> as .eml files, send nothing"), \
	OPT_BOOL('y', "yes", &(o)->yes, "send more than psm.sendConfirm messages without asking")

/* One message to one reporter. */
struct mail_out {
	struct psm_issue *issue;          /* the command's */
	const struct psm_node *reporter;  /* in the issue */
	char *to;                         /* their address */
	char *id;                         /* psm's Message-ID */
	char *text;                       /* the body */
	struct strbuf data;               /* the message */
	int sent;                         /* 1 sent, 2 by an interrupted run, -1 failed */
	char *why;                        /* what failed */
};

struct mail_batch {
	struct psm_store *s;
	const struct mail_opts *o;
	struct strbuf from_name, from_email;
	struct mail_out *v;
	size_t n, alloc, already, failed;
	struct strbuf by_hand;            /* "  NAME via CHANNEL (SHORTID)\n" lines */
	size_t nby_hand;
	struct psm_mail_sentlog log;      /* <gitdir>psm/sent */
};

/* Is one of --send, --dry-run, --to-file given? */
int mail_wanted(const struct mail_opts *o);
/* Read the sender (psm.from, else the git identity); dies when unusable. */
void mail_begin(struct mail_batch *b, struct psm_store *s, const struct mail_opts *o);
/*
 * The message of `kind` ("reply", "followup") with text to one reporter:
 * 0 queued, 1 sent before (its Message-ID is in the timeline), 2 listed to
 * tell by hand (no usable address). A message the sent log holds (a psm
 * killed before it recorded it) is queued as sent, to be recorded only. Dies, releasing t, when psm refuses
 * the message (empty, a conflict marker).
 */
int mail_add(struct mail_batch *b, struct psm_txn *t, struct psm_issue *issue,
	     const struct psm_node *reporter, const char *kind, const char *text);
/*
 * --dry-run prints the messages (an mbox), --to-file writes them, --send
 * asks when there are more than psm.sendConfirm (needs --yes off a
 * terminal) and sends each, marking it sent or failed. Returns the number
 * of messages sent.
 */
size_t mail_deliver(struct mail_batch *b, struct psm_txn *t);
/* The timeline text that records a message sent: its text, then psm's
 * markers of the recipient and the Message-ID. */
void mail_record_text(struct strbuf *out, const struct mail_out *m);
/* After the commit that recorded the messages: the sent log forgets them. */
void mail_recorded(struct mail_batch *b);
/* What went, what failed for whom, who to tell by hand. */
void mail_report(struct mail_batch *b);
void mail_end(struct mail_batch *b);

#endif
