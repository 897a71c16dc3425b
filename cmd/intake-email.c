/* psm intake --email/--mbox/--maildir: messages into issues and replies. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "psm/email.h"
#include "psm/followup-owed.h"
#include "psm/people.h"
#include "intake-batch.h"
#include "psm/grow.h"
#include "psm/loop.h"
#include "psm/time.h"

struct msg {
	struct psm_mail *mail;
	char *where;
	size_t seq; /* input order, to keep the sort stable */
};

struct msgs {
	struct batch_run *run;
	const char *file; /* the mbox being read */
	struct msg *v;
	size_t n, alloc;
};

static void add_msg(struct msgs *m, struct psm_mail *mail, const char *where)
{
	if (m->n == m->alloc) {
		struct msg *nv = psm_grow(m->v, m->n, &m->alloc, sizeof(*nv), 64);

		if (!nv)
			die("out of memory");
		m->v = nv;
	}
	m->v[m->n].mail = mail;
	m->v[m->n].seq = m->n;
	if (!(m->v[m->n].where = psm_strdup(where)))
		die("out of memory");
	m->n++;
}

static void read_one(struct msgs *m, const char *path)
{
	struct strbuf text = STRBUF_INIT;
	struct psm_mail *mail;

	read_input(&text, path);
	if (is_blank(&text))
		; /* an empty message file or input holds nothing to take in */
	else if (psm_mail_parse(&mail, text.buf, text.len) < 0) {
		if (psm_error_code() == PSM_ENOMEM)
			die_psm();
		run_fail(m->run, input_name(path), psm_error_last());
	} else {
		add_msg(m, mail, input_name(path));
	}
	strbuf_release(&text);
}

static int mbox_one(void *data, int number, int64_t offset, struct psm_mail *mail, const char *why)
{
	struct msgs *m = data;
	struct strbuf where = STRBUF_INIT;

	strbuf_addf(&where, "%s, message %d (byte %lld)", m->file, number, (long long)offset);
	if (mail)
		add_msg(m, mail, where.buf);
	else
		run_fail(m->run, where.buf, why);
	strbuf_release(&where);
	return 0;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Regular files under dir (recursively, dot files skipped), sorted. */
static void list_files(struct opt_list *out, const char *dir)
{
	struct strbuf path = STRBUF_INIT;
	struct opt_list names = { 0 };
	const char **nv;
	struct dirent *de;
	struct stat st;
	DIR *d;
	int i;

	if (!(d = opendir(dir)))
		die("could not read '%s': %s", dir, strerror(errno));
	while ((de = readdir(d))) {
		char *name;

		if (de->d_name[0] == '.')
			continue;
		if (!(name = psm_strdup(de->d_name)))
			die("out of memory");
		if (!(nv = psm_grow(names.v, (size_t)names.n, &names.alloc, sizeof(*nv), 64)))
			die("out of memory");
		names.v = nv;
		names.v[names.n++] = name;
	}
	closedir(d);
	if (names.n)
		qsort(names.v, (size_t)names.n, sizeof(*names.v), cmp_names);
	for (i = 0; i < names.n; i++) {
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/%s", dir, names.v[i]);
		if (stat(path.buf, &st) < 0)
			die("could not read '%s': %s", path.buf, strerror(errno));
		if (S_ISDIR(st.st_mode)) {
			list_files(out, path.buf);
		} else if (S_ISREG(st.st_mode)) {
			if (!(nv = psm_grow(out->v, (size_t)out->n, &out->alloc, sizeof(*nv), 64)))
				die("out of memory");
			out->v = nv;
			if (!(out->v[out->n++] = psm_strdup(path.buf)))
				die("out of memory");
		}
		free((char *)names.v[i]);
	}
	free(names.v);
	strbuf_release(&path);
}

/* A maildir's cur/ and new/ (tmp/ holds mail still being delivered), or
 * every file of a plain folder of messages. */
static void read_maildir(struct msgs *m, const char *dir)
{
	static const char *const sub[] = { "cur", "new", NULL };
	struct opt_list files = { 0 };
	struct strbuf path = STRBUF_INIT;
	struct stat st;
	int i, maildir = 0;

	for (i = 0; sub[i]; i++) {
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/%s", dir, sub[i]);
		if (stat(path.buf, &st) == 0 && S_ISDIR(st.st_mode)) {
			maildir = 1;
			list_files(&files, path.buf);
		}
	}
	if (!maildir)
		list_files(&files, dir);
	for (i = 0; i < files.n; i++) {
		read_one(m, files.v[i]);
		free((char *)files.v[i]);
	}
	free(files.v);
	strbuf_release(&path);
}

/* Oldest first, so a thread's first message opens the issue its replies
 * then join; messages without a date keep their place among equals. */
static int cmp_date(const void *a, const void *b)
{
	const struct msg *x = a, *y = b;

	if (x->mail->date != y->mail->date)
		return x->mail->date < y->mail->date ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Does text contain needle, ignoring ASCII case? */
static int has_ci(const char *text, const char *needle)
{
	size_t n = strlen(needle);

	for (; n && *text; text++)
		if (!strncasecmp(text, needle, n))
			return 1;
	return 0;
}

/* One of ours answering in the thread (the team's own addresses and the
 * owners', people.h; the issue's owner; the git identity) is not a
 * customer to add and follow up. */
static int ours(struct batch_run *run, const struct psm_issue *issue, const char *email)
{
	const char *me = identity_email(run->s), *owner = psm_issue_get(issue, "owner");

	return (me && !strcasecmp(me, email)) || (owner && has_ci(owner, email)) ||
	       psm_people_is_team(run->s->config, email);
}

/*
 * Someone new writing in the thread (a colleague the customer copied in)
 * reported it too: a reporter of the issue, counted and owed a follow-up
 * like the first. 0 when added, 1 when not (known, ours, no address).
 */
static int join_thread(struct batch_run *run, struct psm_issue *issue,
		       const struct psm_mail *mail, const char *at)
{
	struct psm_node *rep;

	if (!mail->from_email || !strchr(mail->from_email, '@') || ours(run, issue, mail->from_email))
		return 1;
	if (!(rep = psm_node_new(PSM_MAP)) ||
	    (mail->from_name && psm_node_set_str(rep, "name", mail->from_name) < 0) ||
	    psm_node_set_str(rep, "email", mail->from_email) < 0 ||
	    psm_node_set_str(rep, "channel", "email") < 0 || psm_node_set_str(rep, "at", at) < 0 ||
	    psm_node_set_str(rep, "ref", mail->ref) < 0) {
		psm_node_free(rep);
		return psm_oom();
	}
	return psm_followup_add_reporter(issue, rep, run->now);
}

/* The team answering in the thread: a public reply (the first one is the
 * issue's first response), never a customer's message that would bring a
 * closed issue back to triage. */
static int team_reply(struct psm_issue *issue, const char *who, const char *text,
		      const char *at, const char *now)
{
	int r = psm_loop_timeline(issue, "reply", who, text, at);

	return r < 0 ? r : psm_issue_set(issue, "updated", now);
}

/* A reply to a message psm holds: the customer's message in that issue's
 * timeline (the team's own is a reply), without the quote of the thread
 * under it, ending in the ref line that marks it as taken in; a customer
 * sending it joins the reporters when new. */
static void add_reply(struct batch_run *run, struct psm_issue *issue, const struct msg *msg)
{
	struct strbuf text = STRBUF_INIT, who = STRBUF_INIT, at = STRBUF_INIT;
	const struct psm_mail *mail = msg->mail;
	int team = mail->from_email && ours(run, issue, mail->from_email);
	size_t dropped;

	/* the thread it quotes is in the timeline already */
	if (psm_mail_reply_text(&text, &dropped, mail->body.buf, mail->body.len) < 0)
		die_psm();
	if (text.len)
		strbuf_addch(&text, '\n');
	if (dropped)
		strbuf_addf(&text, "<!-- psm-quote: %zu line%s of the message it answers left out -->\n",
			    dropped, dropped == 1 ? "" : "s");
	if (psm_batch_ref_line(&text, mail->ref) < 0 || psm_mail_who(&who, mail) < 0)
		die_psm();
	if (mail->date)
		psm_time_format(&at, mail->date);
	else
		strbuf_addstr(&at, run->now);
	if (psm_batch_will_change(run->b, issue) < 0 ||
	    (team ? team_reply(issue, who.buf, text.buf, at.buf, run->now)
		  : psm_loop_customer_message(issue, who.buf, text.buf, at.buf, run->now)) < 0 ||
	    join_thread(run, issue, mail, at.buf) < 0 ||
	    psm_batch_changed(run->b, issue, mail->ref) < 0) {
		if (psm_error_code() == PSM_ENOMEM)
			die_psm();
		run_fail(run, msg->where, psm_error_last());
	} else {
		run_note(run, RUN_REPLY, issue, msg->where, mail->title);
	}
	strbuf_release(&text);
	strbuf_release(&who);
	strbuf_release(&at);
}

/*
 * A customer's message one of the team forwarded to the support address:
 * its author is the reporter, owed the follow-up, not the colleague who
 * passed it on. The message as it came when it is no such forward.
 */
struct fwd {
	char *name, *email;   /* the author's, when found */
	struct psm_mail mail; /* a shallow copy of the message with them */
};

static const struct psm_mail *forwarded(struct fwd *f, struct batch_run *run,
					const struct psm_mail *mail, const struct psm_issue *issue)
{
	int r;

	if (!mail->from_email || !ours(run, issue, mail->from_email))
		return mail;
	if ((r = psm_mail_forwarded_from(&f->name, &f->email, mail)) < 0)
		die_psm();
	if (!r || ours(run, issue, f->email))
		return mail;
	f->mail = *mail; /* read only: psm_mail_to_issue copies what it takes */
	f->mail.from_name = f->name;
	f->mail.from_email = f->email;
	return &f->mail;
}

/*
 * A bounce of a follow-up psm sent: the person it was for is owed one
 * again (psm_followup_bounced), and the item says so. 1 when it was one.
 */
static int bounced_followup(struct batch_run *run, struct psm_issue *issue, const struct msg *msg)
{
	const struct psm_mail *mail = msg->mail;
	struct strbuf at = STRBUF_INIT, why = STRBUF_INIT;
	const char *person;
	int r;

	if (mail->delivery != PSM_DELIVERY_FAILED && mail->delivery)
		return 0; /* delayed, or delivered after all */
	if (mail->date)
		psm_time_format(&at, mail->date);
	else
		strbuf_addstr(&at, run->now);
	if (psm_batch_will_change(run->b, issue) < 0)
		die_psm();
	r = psm_followup_bounced(&person, issue, mail->parents, mail->nparents, at.buf,
				 mail->delivery_status, run->now);
	if (r == PSM_ENOTFOUND) {
		psm_error_clear();
		strbuf_release(&at);
		return 0;
	}
	if (r == PSM_ENOMEM)
		die_psm();
	if (r >= 0) /* the person, before the issue can change */
		strbuf_addf(&why, "%s%s: the follow-up to %s did not arrive%s%s%s",
			    r == 1 ? "not taken in: " : "", mail->automatic, person,
			    mail->delivery_status ? " (" : "",
			    mail->delivery_status ? mail->delivery_status : "",
			    mail->delivery_status ? ")" : "");
	if (why.oom)
		die("out of memory");
	if (r == 1) {
		strbuf_addstr(&why, "; recorded already");
		run_note(run, RUN_SKIPPED, issue, msg->where, why.buf);
	} else if (r < 0 || psm_batch_changed(run->b, issue, NULL) < 0) {
		if (psm_error_code() == PSM_ENOMEM)
			die_psm();
		run_fail(run, msg->where, psm_error_last());
	} else {
		strbuf_addstr(&why, ": owed one again");
		run_note(run, RUN_UPDATED, issue, msg->where, why.buf);
	}
	strbuf_release(&at);
	strbuf_release(&why);
	return 1;
}

/*
 * Mail no person wrote is not taken in: an out-of-office answer to a
 * follow-up would open an issue, or bring a closed one back to triage. It
 * is named as skipped, with the issue it threads into; a bounce of a
 * message sent for an issue says so, as the customer may not have it, and
 * one of a follow-up makes it owed again. A message a program sent that
 * answers nothing psm holds (a form's or a shop's notice) may carry a
 * customer's words: taken in as any other. 1 when skipped.
 */
static int skip_automatic(struct batch_run *run, const struct msg *msg)
{
	const struct psm_mail *mail = msg->mail;
	struct psm_issue *issue = NULL;
	struct strbuf why = STRBUF_INIT;
	size_t i;

	if (!mail->automatic)
		return 0;
	for (i = 0; !issue && i < mail->nparents; i++)
		issue = psm_batch_find_ref(run->b, mail->parents[i]);
	if (!issue && mail->auto_kind == PSM_MAIL_GENERATED)
		return 0;
	if (issue && mail->auto_kind == PSM_MAIL_BOUNCE && bounced_followup(run, issue, msg))
		return 1;
	strbuf_addf(&why, "not taken in: %s", mail->automatic);
	if (issue && mail->auto_kind == PSM_MAIL_BOUNCE)
		strbuf_addstr(&why, mail->delivery == PSM_DELIVERY_DELAYED
			      ? "; mail sent for this issue is delayed, not lost yet"
			      : mail->delivery == PSM_DELIVERY_DELIVERED
			      ? "; mail sent for this issue was delivered"
			      : "; mail sent for this issue may not have arrived");
	if (why.oom)
		die("out of memory");
	run_note(run, RUN_SKIPPED, issue, msg->where, why.buf);
	strbuf_release(&why);
	return 1;
}

static void take_message(struct batch_run *run, const struct msg *msg)
{
	const struct psm_mail *mail = msg->mail;
	struct fwd f = { NULL, NULL, { 0 } };
	struct psm_issue *issue;
	size_t i;

	if ((issue = psm_batch_find_ref(run->b, mail->ref))) {
		run_note(run, RUN_SKIPPED, issue, msg->where, mail->message_id
			 ? "already taken in (same Message-ID)" : "already taken in (same content)");
		return;
	}
	if (skip_automatic(run, msg))
		return;
	for (i = 0; i < mail->nparents; i++)
		if ((issue = psm_batch_find_ref(run->b, mail->parents[i]))) {
			add_reply(run, issue, msg);
			return;
		}
	if (!(issue = psm_issue_new()) ||
	    psm_mail_to_issue(issue, forwarded(&f, run, mail, issue), run->source, run->now) < 0 ||
	    run_defaults(run, issue, "email") < 0)
		die_psm();
	run_take(run, issue, 0, msg->where);
	free(f.name);
	free(f.email);
}

int intake_email(struct batch_run *run, const struct batch_opts *o, int argc, const char **argv)
{
	struct msgs m = { run, NULL, NULL, 0, 0 };
	const char *stdin_only[] = { "-" };
	size_t i;
	int k;

	if (o->email + o->mbox + o->maildir > 1)
		die("use one of --email, --mbox and --maildir at a time");
	if (!argc && o->maildir)
		die("--maildir needs a directory");
	if (psm_mail_ready() < 0) /* GMime, loaded now: one error, not one per message */
		die_psm();
	if (!argc) {
		argv = stdin_only;
		argc = 1;
	}
	for (k = 0; k < argc; k++) {
		if (o->email) {
			read_one(&m, argv[k]);
		} else if (o->maildir) {
			read_maildir(&m, argv[k]);
		} else {
			int fd = strcmp(argv[k], "-") ? open(argv[k], O_RDONLY | O_CLOEXEC) : dup(0);

			if (fd < 0)
				die("could not read '%s': %s", argv[k], strerror(errno));
			m.file = input_name(argv[k]);
			if (psm_mbox_read(fd, m.file, mbox_one, &m) < 0) {
				if (psm_error_code() != PSM_EPARSE)
					die_psm();
				run_fail(run, m.file, psm_error_last());
			}
		}
	}
	if (m.n)
		qsort(m.v, m.n, sizeof(*m.v), cmp_date);
	for (i = 0; i < m.n; i++) {
		take_message(run, &m.v[i]);
		psm_mail_free(m.v[i].mail);
		free(m.v[i].where);
	}
	free(m.v);
	return 0;
}
