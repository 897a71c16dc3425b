/* lib/mail: addresses, Message-IDs, the message GMime builds, a reporter's thread. */
#include <string.h>
#include <strings.h>

#include "psm/issue.h"
#include "psm/mail.h"
#include "psm/node.h"
#include "psm/yaml.h"
#include "tap.h"

static struct psm_issue *parse(const char *text)
{
	struct psm_yaml_error err = { 0, 0, STRBUF_INIT };
	struct psm_issue *issue = NULL;

	if (psm_issue_parse(&issue, text, strlen(text), &err) < 0) {
		printf("Bail out! cannot parse test issue: %s\n", psm_error_last());
		exit(1);
	}
	strbuf_release(&err.msg);
	return issue;
}

/* The header block of a message (up to the blank line). */
static const char *headers(const struct strbuf *msg)
{
	static struct strbuf h = STRBUF_INIT;
	const char *end = strstr(msg->buf, "\n\n");

	strbuf_reset(&h);
	strbuf_add(&h, msg->buf, end ? (size_t)(end - msg->buf) + 1 : msg->len);
	return h.buf;
}

/* How many lines of the header block start with name (e.g. "Bcc:")? */
static int header_lines(const char *hdrs, const char *name)
{
	const char *p = hdrs;
	int n = 0;

	for (; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		n += !strncasecmp(p, name, strlen(name));
	return n;
}

int main(void)
{
	const char *refs[] = { "<a@x.example>", "<b@x.example>" };
	struct psm_mail_msg m = { 0 };
	struct psm_mail_thread th;
	struct strbuf out = STRBUF_INIT, id1 = STRBUF_INIT, id2 = STRBUF_INIT;
	struct psm_issue *is;
	const char *h;

	ok(psm_mail_address_ok("dana@acme.example"), "a plain address is one");
	ok(!psm_mail_address_ok("dana@acme.example\r\nBcc: x@y.example"), "CR/LF in an address is refused");
	ok(!psm_mail_address_ok("Dana <dana@acme.example>"), "a name-addr is not an addr-spec");
	ok(!psm_mail_address_ok("a,b@acme.example") && !psm_mail_address_ok("@acme.example") &&
	   !psm_mail_address_ok("dana@") && !psm_mail_address_ok("d@a@b"), "commas, no local part, no domain, two @");
	ok(psm_mail_id_ok("<x.1@host>") && !psm_mail_id_ok("x.1@host") && !psm_mail_id_ok("<x 1@host>") &&
	   !psm_mail_id_ok("<x\n@host>") && !psm_mail_id_ok("<nohost>"), "Message-IDs");

	psm_mail_message_id(&id1, "7kq2m9xabc", "dana@acme.example", "reply", "Hello", "pat@team.example");
	psm_mail_message_id(&id2, "7kq2m9xabc", "dana@acme.example", "reply", "Hello", "pat@team.example");
	ok(!strcmp(id1.buf, id2.buf) && !strncmp(id1.buf, "<psm.7kq2m9xabc.", 16) &&
	   strstr(id1.buf, "@team.example>") && psm_mail_id_ok(id1.buf), "psm's Message-ID: stable, %s", id1.buf);
	strbuf_reset(&id2);
	psm_mail_message_id(&id2, "7kq2m9xabc", "lee@acme.example", "reply", "Hello", "pat@team.example");
	ok(strcmp(id1.buf, id2.buf) != 0, "another recipient, another Message-ID");

	m.from_name = "Pat Support";
	m.from_email = "pat@team.example";
	m.to_name = "Eve\r\nBcc: spy@evil.example";
	m.to_email = "eve@one.example";
	m.subject = "Export\r\nBcc: victim@evil.example";
	m.message_id = id1.buf;
	m.in_reply_to = refs[1];
	m.refs = refs;
	m.nrefs = 2;
	m.date = 1796126400;
	m.text = "Plain ASCII text.\n";
	ok(psm_mail_compose(&out, &m) == 0, "compose");
	h = headers(&out);
	ok(header_lines(h, "Bcc:") == 0 && header_lines(h, "To:") == 1 && header_lines(h, "Subject:") == 1,
	   "CR/LF in a name or subject adds no header");
	ok(strstr(h, "In-Reply-To: <b@x.example>\n") && strstr(h, "References: <a@x.example> <b@x.example>"),
	   "In-Reply-To and References");
	ok(strstr(h, "Content-Type: text/plain; charset=utf-8") &&
	   strstr(h, "Content-Transfer-Encoding: 7bit"), "ASCII text goes 7bit, UTF-8 declared");

	strbuf_reset(&out);
	m.text = "Zoë says \x1b[31mhi\n";
	ok(psm_mail_compose(&out, &m) == 0 && strstr(out.buf, "quoted-printable") &&
	   strstr(out.buf, "Zo=C3=AB") && strstr(out.buf, "=1B") && !strchr(out.buf, 0x1b),
	   "UTF-8 and controls: quoted-printable, the bytes kept as UTF-8");
	strbuf_reset(&out);
	m.text = "  \n\n";
	ok(psm_mail_compose(&out, &m) == PSM_EINVALID && !out.len, "an empty text is refused");
	m.text = "Fixed.\n=======\nNot fixed.\n";
	ok(psm_mail_compose(&out, &m) == PSM_EINVALID && strstr(psm_error_last(), "conflict"),
	   "a conflict marker is refused");
	m.text = "x\n";
	m.to_email = "eve@one.example\nBcc: x@y.example";
	ok(psm_mail_compose(&out, &m) == PSM_EINVALID, "a bad address is refused");

	is = parse("---\nid: 7kq2m9xabc\ntitle: T\nstatus: closed\nreporters:\n"
		   "- name: Dana\n  email: dana@acme.example\n  ref: <d1@acme.example>\n"
		   "- name: Lee\n  email: lee@acme.example\n  ref: <l1@acme.example>\n---\nBody.\n\n"
		   "## Timeline\n\n"
		   "### 2026-11-20T10:00:00Z customer — Dana <dana@acme.example>\n\nMore.\n\n"
		   "<!-- psm-ref: <d2@acme.example> -->\n\n"
		   "### 2026-11-20T11:00:00Z reply — pat@team.example\n\nAnswer.\n\n"
		   "<!-- psm-to: dana@acme.example -->\n<!-- psm-ref: <psm.1@team.example> -->\n\n"
		   "### 2026-11-20T12:00:00Z customer — Lee <lee@acme.example>\n\nMe too.\n\n"
		   "<!-- psm-ref: <l2@acme.example> -->\n");
	ok(psm_mail_thread(&th, is, psm_issue_node(is, "reporters")->items[0]) == 0 &&
	   th.n == 3 && !strcmp(th.refs[0], "<d1@acme.example>") && !strcmp(th.refs[1], "<d2@acme.example>") &&
	   !strcmp(th.refs[2], "<psm.1@team.example>") && !strcmp(th.in_reply_to, "<d2@acme.example>"),
	   "Dana's thread: her messages and what psm sent her; In-Reply-To her newest");
	psm_mail_thread_release(&th);
	ok(psm_mail_thread(&th, is, psm_issue_node(is, "reporters")->items[1]) == 0 && th.n == 2 &&
	   !strcmp(th.refs[1], "<l2@acme.example>") && !strcmp(th.in_reply_to, "<l2@acme.example>"),
	   "Lee's thread is his own");
	psm_mail_thread_release(&th);
	ok(psm_mail_sent(is, "<psm.1@team.example>") == 1 && psm_mail_sent(is, "<psm.2@team.example>") == 0,
	   "a message sent is found by its Message-ID");

	psm_issue_free(is);
	strbuf_release(&out);
	strbuf_release(&id1);
	strbuf_release(&id2);
	return tap_done();
}
