#ifndef PSM_EMAIL_H
#define PSM_EMAIL_H
/*
 * E-mail intake on GMime: one RFC 5322 message, or every message of an mbox,
 * read into plain UTF-8 fields. Encoded headers are decoded, transfer
 * encodings undone, charsets converted; the body is the text/plain parts,
 * else the text/html parts as readable text (html.h); attachments are
 * named at the end of the body, never stored.
 */
#include <stddef.h>
#include <stdint.h>

#include "psm/issue.h"
#include "psm/strbuf.h"

struct psm_mail {
	char *subject;      /* decoded; NULL when absent */
	char *title;        /* the subject without Re:/Fwd:/[list] prefixes, one line */
	char *from_name;    /* NULL when absent */
	char *from_email;   /* NULL when absent */
	char *message_id;   /* "<id@host>"; NULL when absent */
	char *ref;          /* message_id, else "sha256:..." of the content */
	char **parents;     /* In-Reply-To, then References newest first: "<id@host>" */
	size_t nparents;
	int64_t date;       /* 0 when absent or unreadable */
	struct strbuf body; /* UTF-8, LF line ends, ending in '\n' unless empty */
	char *automatic;    /* why no person wrote it ("an automatic reply
			     * (Auto-Submitted: auto-replied)"); NULL when one did */
	int auto_kind;      /* PSM_MAIL_*, 0 when a person wrote it; for a
			     * report, the IDs of the message it is about are
			     * among the parents */
	int delivery;       /* a delivery report's verdict (PSM_DELIVERY_*, from
			     * its message/delivery-status part; 0 without one) */
	char *delivery_status; /* what the report said of it, one line; or NULL */
};

/*
 * GMime, which reads the messages, is loaded on first use (psm/dl.h) and
 * set up once: 0, or PSM_ERROR naming it when it cannot be loaded.
 * psm_mail_parse() and psm_mbox_read() ask first, and so does
 * psm_mail_compose() (mail.h), which builds messages with it.
 */
int psm_mail_ready(void);

/*
 * Parse one message. PSM_EPARSE (message says why) when GMime cannot read
 * it, it has none of From, Subject, Date and Message-ID, or it holds nothing
 * to take in (no subject and no text). *out is the caller's, to free
 * with psm_mail_free().
 */
int psm_mail_parse(struct psm_mail **out, const char *data, size_t len);
void psm_mail_free(struct psm_mail *m);

/*
 * Every message of the mbox open on fd (which this closes), in order, read
 * as a stream (a pipe is fine; lib/intake/mbox.c). fn gets the 1-based message
 * number, the byte offset of its "From " line, and the message (fn owns it)
 * or NULL and the reason it could not be read. A negative return from fn
 * stops the walk and is returned. PSM_EPARSE when the input is not an mbox
 * (`name` names it in the message); input with nothing but blank lines
 * holds no message (0, fn never called).
 */
typedef int (*psm_mbox_fn)(void *data, int number, int64_t offset, struct psm_mail *mail,
			   const char *why);
int psm_mbox_read(int fd, const char *name, psm_mbox_fn fn, void *data);

/* The subject as one line of its words (psm_one_line: escape sequences
 * out whole, controls and white space one space), then without leading
 * Re:/Fwd:/Fw:/AW:/SV:/WG: and [list] tags, repeatedly. */
int psm_subject_clean(struct strbuf *out, const char *subject);

/* Is addr a plain addr-spec psm takes as a reporter's and sends to
 * (local@domain, no white space, controls, quotes, brackets or commas)? */
int psm_mail_address_ok(const char *addr);

/* "Name <addr>", "addr" or "Name": who wrote the message, for a timeline. */
int psm_mail_who(struct strbuf *out, const struct psm_mail *m);

/*
 * The author of a message forwarded inline: the From: line of the first
 * forwarded-message block in the text (Gmail's "---------- Forwarded
 * message ---------", Apple Mail's "Begin forwarded message:",
 * Thunderbird's "-------- Forwarded Message --------", Outlook's
 * "-----Original Message-----" or a line of underscores). 1 with *email
 * and *name (NULL when the line has none) set, the caller's to free; 0
 * when there is no such block or its From holds no plain address;
 * PSM_ENOMEM.
 */
int psm_mail_forwarded_from(char **name, char **email, const struct psm_mail *m);

/*
 * Is it mail no person wrote (lib/intake/email-auto.c)? The headers that
 * say so, as the message has them (NULL when absent; content_type is the
 * MIME type alone, report_type its report-type parameter): 1 with *why
 * set to the kind and the header that told ("a delivery report
 * (multipart/report)") and *kind to what it is (below); 0 when a person
 * wrote it; PSM_ENOMEM. Precedence: list and bulk are not looked at:
 * mailing lists put them on people's messages.
 */
enum {
	PSM_MAIL_BOUNCE = 1,    /* a delivery report: what it is about may not have arrived */
	PSM_MAIL_RECEIPT = 2,   /* any other report (a read receipt) */
	PSM_MAIL_AUTOREPLY = 3, /* an answer no person wrote (out of office) */
	PSM_MAIL_GENERATED = 4  /* a message a program sent (Auto-Submitted:
				 * auto-generated, Precedence: junk, a null
				 * sender): a form's or a shop's notice may
				 * carry a customer's words */
};
struct psm_mail_auto_in {
	const char *auto_submitted, *x_autoreply, *x_autorespond, *precedence;
	const char *return_path, *from_email, *content_type, *report_type;
};
int psm_mail_automatic(struct strbuf *why, int *kind, const struct psm_mail_auto_in *h);

/*
 * The verdict of a delivery report's message/delivery-status part (RFC
 * 3464): its per-recipient blocks' Action, the worst of them (failed,
 * then delayed, then delivered, relayed or expanded). *delivery is that
 * (0: no Action psm knows) and status gets what that block said, one
 * line of at most about 200 bytes of printable ASCII: its
 * Diagnostic-Code without the type ("550 5.1.1 <lena@x>: User unknown"),
 * else "Status: 5.1.1", else nothing. PSM_ENOMEM.
 */
enum {
	PSM_DELIVERY_FAILED = 1,
	PSM_DELIVERY_DELAYED = 2,
	PSM_DELIVERY_DELIVERED = 3
};
int psm_mail_dsn(int *delivery, struct strbuf *status, const char *text, size_t len);

/*
 * A reply's text without the quote of the earlier message that ends it
 * (lib/intake/email-quote.c): an attribution line ("On ..., Mo wrote:",
 * "Am ... schrieb Mo:", "Le ... a écrit :" ...) followed by nothing but
 * "> " lines, or Outlook's separator ("-----Original Message-----", a
 * line of underscores) followed by a From: line and the old message. A
 * quote with the sender's own lines inside or after it, or one that would
 * leave nothing, is kept. Appends to out (ending in '\n' when anything
 * went) and sets *dropped to the non-blank lines left out (0: text as it
 * is). PSM_ENOMEM.
 */
int psm_mail_reply_text(struct strbuf *out, size_t *dropped, const char *text, size_t len);

/*
 * Fill a new issue from a message: title, body, status new, source (email
 * unless given), a reporter (name, email, channel, at, ref), created (the
 * Date, else now) and updated (now).
 */
int psm_mail_to_issue(struct psm_issue *issue, const struct psm_mail *m, const char *source,
		      const char *now);

#endif
