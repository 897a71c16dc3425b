/* --send, --dry-run and --to-file of reply and followup (mail-send.h). */
#include "mail-send.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "loop-util.h"
#include "psm/batch.h"
#include "psm/fs.h"
#include "psm/git.h"
#include "psm/grow.h"
#include "psm/time.h"

int mail_wanted(const struct mail_opts *o)
{
	return o->send || o->dry_run || o->to_file;
}

static char *git_config_or_null(struct psm_store *s, const char *key)
{
	struct strbuf v = STRBUF_INIT;

	if (psm_git_config_get(&v, s->git, key) < 0) {
		if (psm_error_code() != PSM_ENOTFOUND)
			die_psm();
		psm_error_clear();
		strbuf_release(&v);
		return NULL;
	}
	strbuf_rtrim(&v);
	if (v.oom)
		die("out of memory");
	return strbuf_detach(&v, NULL);
}

void mail_begin(struct mail_batch *b, struct psm_store *s, const struct mail_opts *o)
{
	char *from;

	memset(b, 0, sizeof(*b));
	b->s = s;
	b->o = o;
	strbuf_init(&b->from_name, 0);
	strbuf_init(&b->from_email, 0);
	strbuf_init(&b->by_hand, 0);
	if (o->dry_run && o->to_file)
		die("use one of --dry-run and --to-file at a time");
	/* psm.from ("Support <help@example.com>"), else the git identity */
	if ((from = git_config_or_null(s, "psm.from"))) {
		char *lt = strrchr(from, '<'), *gt = lt ? strchr(lt, '>') : NULL;

		if (lt && gt) {
			strbuf_add(&b->from_email, lt + 1, (size_t)(gt - lt - 1));
			strbuf_add(&b->from_name, from, (size_t)(lt - from));
			strbuf_rtrim(&b->from_name);
		} else {
			strbuf_addstr(&b->from_email, from);
		}
		free(from);
	} else if (psm_git_identity(&b->from_name, &b->from_email, s->git) < 0) {
		die_psm();
	}
	if (!psm_mail_address_ok(b->from_email.buf))
		die("'%s' is not an address to send from: set git config psm.from \"Name <you@example.com>\"",
		    b->from_email.buf);
	if (psm_mail_sentlog_open(&b->log, psm_git_gitdir(s->git)) < 0)
		die_psm();
}

static void tell_by_hand(struct mail_batch *b, struct psm_issue *issue, const struct psm_node *r,
			 const char *why)
{
	const char *name = psm_node_get_str(r, "name"), *contact = psm_node_get_str(r, "contact");
	const char *chan = psm_node_get_str(r, "channel");

	strbuf_addf(&b->by_hand, "  %s  %s%s%s%s%s%s\n", short_id(b->s, issue), name ? name : "",
		    name && contact ? " " : "", contact ? contact : "", chan ? " via " : "",
		    chan ? chan : "", why);
	b->nby_hand++;
}

int mail_add(struct mail_batch *b, struct psm_txn *t, struct psm_issue *issue,
	     const struct psm_node *reporter, const char *kind, const char *text)
{
	const char *to = psm_node_get_str(reporter, "email"), *id = psm_issue_get(issue, "id");
	struct psm_mail_thread th;
	struct psm_mail_msg msg = { 0 };
	struct strbuf mid = STRBUF_INIT, subject = STRBUF_INIT;
	struct mail_out *m;
	int r;

	if (!to || !*to) {
		tell_by_hand(b, issue, reporter, " (no e-mail address)");
		return 2;
	}
	if (!psm_mail_address_ok(to)) {
		tell_by_hand(b, issue, reporter, " (its e-mail is not an address psm sends to)");
		return 2;
	}
	if (psm_mail_message_id(&mid, id, to, kind, text, b->from_email.buf) < 0)
		die_txn_psm(t);
	if ((r = psm_mail_sent(issue, mid.buf)) < 0)
		die_txn_psm(t);
	if (r) {
		b->already++;
		strbuf_release(&mid);
		return 1;
	}
	if (psm_mail_thread(&th, issue, reporter) < 0)
		die_txn_psm(t);
	if (!(m = psm_grow(b->v, b->n, &b->alloc, sizeof(*b->v), 8)))
		die_txn(t, "out of memory");
	b->v = m;
	m = &b->v[b->n];
	memset(m, 0, sizeof(*m));
	strbuf_init(&m->data, 0);
	/* their own subject when psm kept it, else the title */
	strbuf_addstr(&subject, psm_node_get_str(reporter, "subject")
		      ? psm_node_get_str(reporter, "subject") : psm_issue_get(issue, "title"));
	msg.from_name = b->from_name.len ? b->from_name.buf : NULL;
	msg.from_email = b->from_email.buf;
	msg.to_name = psm_node_get_str(reporter, "name");
	msg.to_email = to;
	msg.subject = subject.buf;
	msg.message_id = mid.buf;
	msg.in_reply_to = th.in_reply_to;
	msg.refs = (const char *const *)th.refs;
	msg.nrefs = th.n;
	msg.date = now_or_die();
	msg.text = text;
	if (psm_mail_compose(&m->data, &msg) < 0) {
		if (psm_error_code() == PSM_EINVALID)
			die_txn(t, "%s: not sent: %s", short_id(b->s, issue), psm_error_last());
		die_txn_psm(t);
	}
	m->issue = issue;
	m->reporter = reporter;
	if (psm_mail_sentlog_take(&b->log, mid.buf))
		m->sent = 2;
	if (!(m->to = psm_strdup(to)) || !(m->text = psm_strdup(text)))
		die_txn(t, "out of memory");
	m->id = strbuf_detach(&mid, NULL);
	b->n++;
	psm_mail_thread_release(&th);
	strbuf_release(&subject);
	return 0;
}

/* An mbox of the messages: what --dry-run prints (mboxrd's >From). */
static void print_mbox(struct mail_batch *b)
{
	size_t i;

	for (i = 0; i < b->n; i++) {
		const char *p = b->v[i].data.buf;

		printf("From psm@localhost Thu Jan  1 00:00:00 1970\n");
		while (*p) {
			const char *nl = strchr(p, '\n'), *q = p;
			size_t len = nl ? (size_t)(nl - p) : strlen(p);

			while (q < p + len && *q == '>')
				q++;
			if ((size_t)(p + len - q) >= 5 && !strncmp(q, "From ", 5))
				putchar('>');
			fwrite(p, 1, len, stdout);
			putchar('\n');
			p += len + (nl ? 1 : 0);
		}
		putchar('\n');
	}
}

static void write_files(struct mail_batch *b, struct psm_txn *t)
{
	struct strbuf path = STRBUF_INIT;
	size_t i, k;

	for (i = 0; i < b->n; i++) {
		const char *id = b->v[i].id + 1;

		strbuf_reset(&path);
		strbuf_addf(&path, "%s/", b->o->to_file);
		/* the Message-ID's left part names the file: unique, and the same
		 * on a second run, which then writes the same file again */
		for (k = 0; id[k] && id[k] != '@'; k++)
			strbuf_addch(&path, strchr("/\\", id[k]) ? '_' : id[k]);
		strbuf_addstr(&path, ".eml");
		if (path.oom)
			die_txn(t, "out of memory");
		if (psm_write_file_atomic(path.buf, b->v[i].data.buf, b->v[i].data.len) < 0)
			die_txn_psm(t);
		printf("%s\n", path.buf);
	}
	strbuf_release(&path);
}

static int confirm(struct mail_batch *b, struct psm_txn *t, size_t n)
{
	int64_t limit = 20;
	char line[16];

	if (psm_git_config_int(&limit, b->s->git, "psm.sendConfirm") < 0) {
		if (psm_error_code() != PSM_ENOTFOUND)
			die_txn_psm(t);
		psm_error_clear();
		limit = 20;
	}
	if (b->o->yes || (int64_t)n <= limit)
		return 1;
	if (!isatty(0) || !isatty(2))
		die_txn(t, "%zu messages to send, more than psm.sendConfirm (%lld): add --yes to send them",
			n, (long long)limit);
	fprintf(stderr, "Send %zu messages? [y/N] ", n);
	fflush(stderr);
	return fgets(line, sizeof(line), stdin) && (line[0] == 'y' || line[0] == 'Y');
}

/* psm.smtpServer: "host", "host:port", smtp://... or smtps://... */
static char *smtp_url(struct mail_batch *b, struct psm_txn *t, const char *server)
{
	struct strbuf url = STRBUF_INIT;

	if (strstr(server, "://") && strncmp(server, "smtp://", 7) && strncmp(server, "smtps://", 8))
		die_txn(t, "psm.smtpServer '%s': psm speaks smtp:// and smtps:// only", server);
	if (!strstr(server, "://"))
		strbuf_addstr(&url, "smtp://");
	strbuf_addstr(&url, server);
	if (url.oom)
		die_txn(t, "out of memory");
	return strbuf_detach(&url, NULL);
}

/* The lines of gitcredentials(7) describing the server and user. */
static void credential_desc(struct strbuf *out, const char *url, const char *user)
{
	const char *host = strstr(url, "://") + 3;
	size_t len = strcspn(host, "/");

	strbuf_addf(out, "protocol=%.*s\nhost=%.*s\nusername=%s\n",
		    (int)(strstr(url, "://") - url), url, (int)len, host, user);
}

static void get_password(struct strbuf *pass, struct mail_batch *b, struct psm_txn *t,
			 const char *desc)
{
	struct strbuf out = STRBUF_INIT;
	const char *p;

	if (psm_git_credential(&out, b->s->git, "fill", desc) < 0)
		die_txn(t, "no password for SMTP: %s", psm_error_last());
	for (p = out.buf; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, "password=", 9)) {
			strbuf_add(pass, p + 9, strcspn(p + 9, "\n"));
			break;
		}
	memset(out.buf, 0, out.len);
	strbuf_release(&out);
}

size_t mail_deliver(struct mail_batch *b, struct psm_txn *t)
{
	struct psm_mail_transport tr = { 0 };
	struct strbuf pass = STRBUF_INIT, desc = STRBUF_INIT;
	char *sendmail = NULL, *server = NULL, *user = NULL, *url = NULL;
	size_t i, sent = 0, to_send = 0;
	int denied = 0;

	for (i = 0; i < b->n; i++)
		if (b->v[i].sent == 2)
			sent++; /* went before an interrupted psm could record it */
		else
			to_send++;
	if (b->o->dry_run) {
		print_mbox(b);
		return 0;
	}
	if (b->o->to_file) {
		write_files(b, t);
		return 0;
	}
	if (!to_send)
		return sent;
	if (!confirm(b, t, to_send)) {
		fprintf(stderr, "nothing sent\n");
		return sent;
	}
	sendmail = git_config_or_null(b->s, "psm.sendmail");
	server = git_config_or_null(b->s, "psm.smtpServer");
	user = git_config_or_null(b->s, "psm.smtpUser");
	if (server && *server) {
		tr.smtp_url = url = smtp_url(b, t, server);
		if (user && *user) {
			credential_desc(&desc, url, user);
			get_password(&pass, b, t, desc.buf);
			tr.user = user;
			tr.password = pass.buf;
		}
	} else {
		tr.sendmail = sendmail && *sendmail ? sendmail : "/usr/sbin/sendmail -oi -t";
	}
	for (i = 0; i < b->n; i++) {
		struct mail_out *m = &b->v[i];

		if (m->sent == 2)
			continue;
		if (denied || psm_mail_send(&tr, b->from_email.buf, m->to, m->data.buf, m->data.len) < 0) {
			if (!denied && psm_error_code() == PSM_MAIL_EDENIED) {
				denied = 1;
				if (desc.len)
					psm_git_credential(&pass, b->s->git, "reject", desc.buf);
			}
			m->sent = -1;
			if (!(m->why = psm_strdup(denied ? "the SMTP server refused the login"
						   : psm_error_last())))
				die_txn(t, "out of memory");
			b->failed++;
			continue;
		}
		m->sent = 1;
		/* before anything else: a psm killed from here on must not send
		 * it again */
		if (psm_mail_sentlog_add(&b->log, m->id) < 0)
			warning("%s (a psm interrupted before its commit would send to %s again)",
				psm_error_last(), m->to);
		if (!sent++ && desc.len) {
			struct strbuf ok = STRBUF_INIT, ignored = STRBUF_INIT;

			strbuf_addf(&ok, "%spassword=%s\n", desc.buf, pass.buf);
			psm_git_credential(&ignored, b->s->git, "approve", ok.buf);
			memset(ok.buf, 0, ok.len);
			strbuf_release(&ok);
			strbuf_release(&ignored);
		}
	}
	psm_error_clear();
	psm_mail_transport_close(&tr);
	memset(pass.buf, 0, pass.len);
	strbuf_release(&pass);
	strbuf_release(&desc);
	free(sendmail);
	free(server);
	free(user);
	free(url);
	return sent;
}

void mail_record_text(struct strbuf *out, const struct mail_out *m)
{
	strbuf_addstr(out, m->text);
	strbuf_rtrim(out);
	strbuf_addstr(out, "\n\n");
	if (psm_mail_to_line(out, m->to) < 0 || psm_batch_ref_line(out, m->id) < 0)
		die_psm();
}

void mail_report(struct mail_batch *b)
{
	size_t i;

	for (i = 0; i < b->n; i++) {
		const struct mail_out *m = &b->v[i];
		struct strbuf line = STRBUF_INIT;

		if (m->sent == 2)
			strbuf_addf(&line, "recorded  %s  %s  %s (sent by a psm interrupted before it recorded it)\n",
				    short_id(b->s, m->issue), m->to, m->id);
		else if (m->sent > 0)
			strbuf_addf(&line, "sent      %s  %s  %s\n", short_id(b->s, m->issue), m->to, m->id);
		else if (m->sent < 0)
			strbuf_addf(&line, "NOT SENT  %s  %s: %s\n", short_id(b->s, m->issue), m->to, m->why);
		put_safe(m->sent < 0 ? stderr : stdout, line.buf, 1);
		strbuf_release(&line);
	}
	if (b->already)
		printf("%zu message%s sent before, not sent again\n", b->already,
		       b->already == 1 ? " was" : "s were");
	if (b->nby_hand) {
		printf("tell by hand:\n");
		put_safe(stdout, b->by_hand.buf, 1);
	}
	if (b->failed && b->failed == b->n && b->n == 1)
		error("the message could not be sent: run it again once the transport works");
	else if (b->failed && b->failed == b->n)
		error("none of the %zu messages could be sent: run it again once the transport works",
		      b->n);
	else if (b->failed)
		error("%zu of %zu messages could not be sent; the others are recorded: run it again to send the rest",
		      b->failed, b->n);
}

void mail_recorded(struct mail_batch *b)
{
	if (psm_mail_sentlog_finish(&b->log) < 0)
		warning("%s", psm_error_last());
}

void mail_end(struct mail_batch *b)
{
	size_t i;

	for (i = 0; i < b->n; i++) {
		free(b->v[i].to);
		free(b->v[i].id);
		free(b->v[i].text);
		free(b->v[i].why);
		strbuf_release(&b->v[i].data);
	}
	free(b->v);
	strbuf_release(&b->from_name);
	strbuf_release(&b->from_email);
	strbuf_release(&b->by_hand);
	psm_mail_sentlog_release(&b->log);
}
