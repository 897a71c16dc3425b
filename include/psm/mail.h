#ifndef PSM_MAIL_H
#define PSM_MAIL_H
/*
 * Outgoing e-mail: a reply or a follow-up to one reporter, built as an RFC
 * 5322 message in that reporter's own thread (GMime; lib/mail/compose.c),
 * and handed to a sendmail-compatible command or an SMTP server
 * (lib/mail/transport.c, libcurl). Customer text never reaches a header
 * raw: names and subjects are made one line and RFC 2047-encoded by GMime,
 * addresses and Message-IDs are checked to be what they claim.
 */
#include <stddef.h>
#include <stdint.h>

#include "psm/email.h"
#include "psm/issue.h"
#include "psm/strbuf.h"

/* One message to build. Strings are UTF-8; NULL means absent. */
struct psm_mail_msg {
	const char *from_name, *from_email;
	const char *to_name, *to_email;
	const char *subject;        /* their subject; "Re: " is added when missing */
	const char *message_id;     /* "<...@...>" (psm_mail_message_id) */
	const char *in_reply_to;    /* "<...>" */
	const char *const *refs;    /* References, oldest first: "<...>" */
	size_t nrefs;
	int64_t date;               /* seconds since the epoch */
	const char *text;           /* the body, plain text */
};

/*
 * The message as bytes (LF line ends): From, To, Subject, Date,
 * Message-ID, In-Reply-To, References, MIME-Version, a text/plain UTF-8
 * part, quoted-printable when the text is not short-lined 7-bit ASCII.
 * PSM_EINVALID when an address or Message-ID is not one, or the text is
 * empty or holds a merge conflict marker (it would go to a customer).
 */
int psm_mail_compose(struct strbuf *out, const struct psm_mail_msg *m);

/* Is id "<left@right>" with nothing a header could be split by? */
int psm_mail_id_ok(const char *id);

/*
 * psm's own Message-ID for a message: the same issue, recipient, kind and
 * text give the same ID, which is how a re-run knows a message went
 * already. "<psm.ISSUEID.HASH@DOMAIN>", the domain from from_email.
 */
int psm_mail_message_id(struct strbuf *out, const char *issue_id, const char *to_email,
			const char *kind, const char *text, const char *from_email);

/*
 * A reporter's thread in an issue: their first message's Message-ID (the
 * reporter's `ref`), the messages of theirs taken in since (`customer`
 * timeline entries signed with their address) and what psm sent them
 * (`reply` entries with "<!-- psm-to: ADDR -->"), oldest first, each once.
 * in_reply_to is their newest message (NULL when psm holds none).
 * Free with psm_mail_thread_release().
 */
struct psm_mail_thread {
	char **refs;
	size_t n, alloc;
	const char *in_reply_to; /* one of refs */
};
int psm_mail_thread(struct psm_mail_thread *out, const struct psm_issue *issue,
		    const struct psm_node *reporter);
void psm_mail_thread_release(struct psm_mail_thread *t);
/* Does the issue's timeline hold an entry with this ref (a message sent)? */
int psm_mail_sent(const struct psm_issue *issue, const char *message_id);
/* The marker line psm puts before the ref line of a reply it sent. */
int psm_mail_to_line(struct strbuf *out, const char *to_email);

/* How to send: a sendmail-compatible command, or an SMTP server. */
struct psm_mail_transport {
	const char *sendmail;  /* run by /bin/sh -c, the message on stdin */
	const char *smtp_url;  /* smtp://host[:port] or smtps://host[:port] */
	const char *user;      /* SMTP authentication; NULL: none */
	const char *password;
	void *curl;            /* libcurl's handle, kept between messages */
};

/*
 * Hand one message to the transport. from and to are the envelope (SMTP
 * only; sendmail reads the headers, -t). 0 when it was accepted;
 * PSM_ERROR with what failed (the command's exit and words, the server's
 * reply) when not; PSM_EDENIED when the SMTP server refused the login.
 */
#define PSM_MAIL_EDENIED (-100)
int psm_mail_send(struct psm_mail_transport *t, const char *from, const char *to,
		  const char *data, size_t len);
/* Close the SMTP connection, if any. */
void psm_mail_transport_close(struct psm_mail_transport *t);

/*
 * The sent log, <gitdir>psm/sent: the Message-IDs of the messages a
 * --send handed over, one a line, each appended (and synced) as soon as
 * the transport took it. The commit that records them makes them
 * redundant; a psm killed between the two leaves them here, and the next
 * --send records those messages without sending them again.
 */
struct psm_mail_sentlog {
	char *path;
	char **ids;
	unsigned char *done;   /* recorded by this run: dropped by _finish */
	size_t n, alloc;
};
/* Read the log (none is an empty one). Release with _release. */
int psm_mail_sentlog_open(struct psm_mail_sentlog *l, const char *gitdir);
/* 1 when id is in the log (it is then marked done), else 0. */
int psm_mail_sentlog_take(struct psm_mail_sentlog *l, const char *id);
/* Append id (marked done), synced to disk before it returns. */
int psm_mail_sentlog_add(struct psm_mail_sentlog *l, const char *id);
/* After the commit: keep only the entries this run did not record. */
int psm_mail_sentlog_finish(struct psm_mail_sentlog *l);
void psm_mail_sentlog_release(struct psm_mail_sentlog *l);

#endif
