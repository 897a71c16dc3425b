/*
 * Unit tests for the intake parsers: lib/intake/csv.c (RFC 4180),
 * lib/intake/html.c, psm_subject_clean and psm_mail_parse
 * (lib/intake/email.c), psm_mail_automatic (email-auto.c),
 * psm_mail_reply_text (email-quote.c), and the import helpers of lib/intake/jsonl.c. TAP
 * on stdout.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "psm/csv.h"
#include "psm/email.h"
#include "psm/error.h"
#include "psm/html.h"
#include "psm/jsonl.h"
#include "psm/strbuf.h"
#include "psm/validate.h"
#include "tap.h"



static int is(const char *got, const char *want, const char *what)
{
	int r = ok(got && !strcmp(got, want), "%s", what);

	if (!r)
		printf("#   got:  '%s'\n#   want: '%s'\n", got ? got : "(null)", want);
	return r;
}

static void test_csv(void)
{
	static const char text[] =
		"\xef\xbb\xbf" "a,b,c\r\n"
		"1,\"two, with comma\",\"say \"\"hi\"\"\"\r\n"
		"\"multi\r\nline\",,x\r\n"
		"\r\n"
		"last,no,newline";
	struct psm_csv c;
	struct psm_csv_row row = { 0 };

	psm_csv_init(&c, text, sizeof(text) - 1);
	ok(psm_csv_next(&c, &row) == 1 && row.n == 3 && !strcmp(row.v[0], "a"),
	   "csv: header after a byte order mark");
	ok(psm_csv_next(&c, &row) == 1 && row.n == 3 && row.line == 2, "csv: second record on line 2");
	is(row.v[1], "two, with comma", "csv: quoted comma");
	is(row.v[2], "say \"hi\"", "csv: doubled quotes");
	ok(psm_csv_next(&c, &row) == 1 && row.line == 3, "csv: third record on line 3");
	is(row.v[0], "multi\nline", "csv: CRLF inside quotes is one line break");
	is(row.v[1], "", "csv: empty field");
	ok(psm_csv_next(&c, &row) == 1 && row.line == 6 && row.n == 3,
	   "csv: blank line skipped, record on line 6");
	is(row.v[2], "newline", "csv: last record without a line end");
	ok(psm_csv_next(&c, &row) == 0, "csv: end");

	psm_csv_init(&c, "x\n\"open,\nstill open", 19);
	ok(psm_csv_next(&c, &row) == 1, "csv: a good record before a bad one");
	ok(psm_csv_next(&c, &row) == PSM_EPARSE, "csv: unterminated quote is an error");
	ok(strstr(psm_error_last(), "line 2") != NULL, "csv: the error names the line");
	psm_csv_row_release(&row);
}

static void html(const char *in, const char *want, const char *what)
{
	struct strbuf out = STRBUF_INIT;

	psm_html_to_text(&out, in, strlen(in));
	is(out.buf, want, what);
	strbuf_release(&out);
}

/* No text lost for nesting: libxml2 building a tree stops at depth 256. */
static void test_html_deep(void)
{
	struct strbuf in = STRBUF_INIT, out = STRBUF_INIT;
	int i;

	for (i = 0; i < 5000; i++)
		strbuf_addstr(&in, "<div><b>");
	strbuf_addstr(&in, "the customer's words");
	ok(psm_html_to_text(&out, in.buf, in.len) == 0 && !strcmp(out.buf, "the customer's words\n"),
	   "html: 10,000 nested tags keep their text");
	strbuf_release(&in);
	strbuf_release(&out);
}

static void test_html(void)
{
	html("<p>a</p><p>b</p>", "a\n\nb\n", "html: paragraphs");
	html("one<br>two<br><br>three", "one\ntwo\n\nthree\n", "html: line breaks");
	html("x &amp; y &lt;3 &#233;&#x20AC;&nbsp;z &bogus;", "x & y <3 \xc3\xa9\xe2\x82\xac z &bogus;\n",
	     "html: entities");
	html("<ul><li>a</li><li>b</li></ul>", "- a\n- b\n", "html: list items");
	html("<a href=\"https://e.x/p?a=1&amp;b=2\">docs</a>", "docs (https://e.x/p?a=1&b=2)\n",
	     "html: link text and target");
	html("<a href=\"https://e.x\">https://e.x</a>", "https://e.x\n", "html: a bare URL once");
	html("<head><title>T</title><style>p{}</style></head><script>x()</script>hi<!-- c -->",
	     "hi\n", "html: head, style, script, comments dropped");
	html("  lots   of \n\n space  ", "lots of space\n", "html: white space collapses");
	html("<pre>a  b\n  c</pre>", "a  b\n  c\n", "html: pre keeps white space");
	html("", "", "html: empty");
	html("caf&eacute; &Auml;rger, &apos;s&apos; &ccedil;a &hearts; &frac12;",
	     "caf\xc3\xa9 \xc3\x84rger, 's' \xc3\xa7" "a \xe2\x99\xa5 \xc2\xbd\n", "html: every named entity");
	html("<p>Yes.</p><blockquote><p>Did it work?</p><p>Mo</p></blockquote>after",
	     "Yes.\n\n> Did it work?\n>\n> Mo\n\nafter\n", "html: a blockquote is quoted, every line");
	html("<blockquote>a<blockquote>b<br>c</blockquote>d</blockquote>",
	     "> a\n>\n> > b\n> > c\n>\n> d\n", "html: nested quotes, two marks");
	html("<blockquote></blockquote>x", "x\n", "html: an empty quote adds nothing");
	html("<blockquote>open to the end", "> open to the end\n", "html: a quote left open");
	html("Thanks<hr><b>From:</b> Mo", "Thanks\n\n________________________________\n\nFrom: Mo\n",
	     "html: a rule is a line of underscores");
	test_html_deep();
	{
		struct strbuf in = STRBUF_INIT, out = STRBUF_INIT;
		int i;

		for (i = 0; i < 20000; i++)
			strbuf_addstr(&in, "<blockquote>");
		strbuf_addstr(&in, "deep<br>deeper");
		ok(psm_html_to_text(&out, in.buf, in.len) == 0 &&
		   !strcmp(out.buf, "> > > > > > > > deep\n> > > > > > > > deeper\n"),
		   "html: 20,000 nested quotes: the text, eight marks a line");
		strbuf_release(&in);
		strbuf_release(&out);
	}
}

static void subject(const char *in, const char *want)
{
	struct strbuf out = STRBUF_INIT;

	psm_subject_clean(&out, in);
	is(out.buf, want, want);
	strbuf_release(&out);
}

static void test_subjects(void)
{
	subject("Re: Login fails", "Login fails");
	subject("RE: Fwd: re: Login fails", "Login fails");
	subject("[acme-support] Re: [acme] AW: SV: Fw: Login fails", "Login fails");
	subject("Re[2]: Login fails", "Login fails");
	subject("Reply needed: Login", "Reply needed: Login");
	subject("Login\tfails\r\n  again", "Login fails again");
	subject("Regarding: stuff", "Regarding: stuff");
	subject("\033[1mRe: \033[0mLogin \033]0;x\007fails", "Login fails");
	subject("  \t", "");
}

static void test_mail(void)
{
	static const char msg[] =
		"From: =?UTF-8?Q?J=C3=BCrgen?= <j@example.de>\n"
		"Subject: =?UTF-8?B?UmU6IEvDtmxu?=\n"
		"Message-ID: <m1@example.de>\n"
		"In-Reply-To: <p1@example.de>\n"
		"References: <p0@example.de> <p1@example.de> <p2@example.de>\n"
		"Date: Mon, 2 Nov 2026 10:00:00 +0100\n"
		"\n"
		"Hallo\r\nWelt\n";
	static const char nomsgid[] = "From: a@b.c\nSubject: x\n\nbody\n";
	struct psm_mail *m = NULL, *m2 = NULL;

	ok(psm_mail_parse(&m, msg, sizeof(msg) - 1) == 0, "mail: parses");
	if (!m)
		return;
	is(m->title, "K\xc3\xb6ln", "mail: encoded subject, Re: dropped");
	is(m->from_name, "J\xc3\xbcrgen", "mail: encoded name");
	is(m->from_email, "j@example.de", "mail: address");
	is(m->message_id, "<m1@example.de>", "mail: Message-ID in angle brackets");
	ok(m->date == 1793610000, "mail: Date in UTC seconds");
	ok(m->nparents == 3, "mail: In-Reply-To and References, no duplicates");
	if (m->nparents == 3) {
		is(m->parents[0], "<p1@example.de>", "mail: In-Reply-To first");
		is(m->parents[1], "<p2@example.de>", "mail: then References, newest first");
		is(m->parents[2], "<p0@example.de>", "mail: the oldest last");
	}
	is(m->body.buf, "Hallo\nWelt\n", "mail: CRLF becomes LF");
	ok(psm_mail_parse(&m2, nomsgid, sizeof(nomsgid) - 1) == 0 && m2 && !m2->message_id &&
	   !strncmp(m2->ref, "sha256:", 7) && strlen(m2->ref) == 7 + 64,
	   "mail: no Message-ID: a content hash is the ref");
	psm_mail_free(m);
	psm_mail_free(m2);
	ok(psm_mail_parse(&m, "From: a@b.c\n\n", 13) == PSM_EPARSE,
	   "mail: no subject and no text is refused");
}

/* The author psm_mail_forwarded_from finds in body: "Name <email>",
 * "<email>" without a name, "-" for none. */
static void fwd(const char *body, const char *want, const char *what)
{
	struct psm_mail m;
	struct strbuf got = STRBUF_INIT;
	char *name = NULL, *email = NULL;
	int r;

	memset(&m, 0, sizeof(m));
	strbuf_init(&m.body, 0);
	strbuf_addstr(&m.body, body);
	r = psm_mail_forwarded_from(&name, &email, &m);
	if (r == 1)
		strbuf_addf(&got, "%s%s<%s>", name ? name : "", name ? " " : "", email);
	else
		strbuf_addstr(&got, r == 0 ? "-" : "error");
	is(got.buf, want, what);
	free(name);
	free(email);
	strbuf_release(&got);
	strbuf_release(&m.body);
}

static void test_forwarded(void)
{
	fwd("FYI\n\n---------- Forwarded message ---------\nFrom: Zoe Kim <zoe@c.example>\n"
	    "Date: Sun, Dec 6, 2026 at 9:14 PM\nSubject: Checkout\nTo: <sales@t.example>\n\nHi\n",
	    "Zoe Kim <zoe@c.example>", "forward: Gmail");
	fwd("Begin forwarded message:\n\nFrom: \"Zoe Kim\" <zoe@c.example>\nSubject: x\n\nHi\n",
	    "Zoe Kim <zoe@c.example>", "forward: Apple Mail, a quoted name, a blank line first");
	fwd("-------- Forwarded Message --------\nSubject: x\nDate: Sun, 6 Dec 2026 21:14 +0000\n"
	    "From: zoe@c.example\nTo: s@t.example\n\nHi\n",
	    "<zoe@c.example>", "forward: Thunderbird, From not first, no name");
	fwd("> see below\n-----Original Message-----\nFrom: Zoe Kim [mailto:zoe@c.example]\n"
	    "Sent: Sunday, December 6, 2026 9:14 PM\n\nHi\n",
	    "Zoe Kim <zoe@c.example>", "forward: Outlook's mailto");
	fwd("________________________________\n*From:* Zoe Kim <zoe@c.example>\n*Sent:* today\n\nHi\n",
	    "Zoe Kim <zoe@c.example>", "forward: Outlook's underscores, bold from an HTML part");
	fwd("-----Original Message-----\nVan: Joost <joost@c.example>\nVerzonden: zondag\n\nHoi\n",
	    "Joost <joost@c.example>", "forward: Dutch Van:");
	fwd("-----Original Message-----\nFr\xc3\xa5n: Sven <sven@c.example>\n\nHej\n",
	    "Sven <sven@c.example>", "forward: Swedish Fr\xc3\xa5n:");
	fwd("-----Original Message-----\nFromage: Zoe <zoe@c.example>\n\nHi\n", "-",
	    "forward: a key that starts as From does is not From");
	fwd("Von: Jürgen <j@c.example>\n\nno block\n", "-", "forward: a From line without a block is none");
	fwd("---------- Forwarded message ---------\nFrom: Zoe Kim\nSubject: x\n\nHi\n", "-",
	    "forward: a From without an address is none");
	fwd("---------- Forwarded message ---------\nHi, the text came first.\nFrom: a@b.example\n", "-",
	    "forward: headers must open the block");
	fwd("The original message was lost.\nFrom: a@b.example\n", "-",
	    "forward: prose is no separator");
	fwd("---------- Forwarded message ---------\nFrom: Zoe <zoe@c.example> <x@y.example>\n", "Zoe <zoe@c.example>",
	    "forward: the first address in angle brackets");
	fwd("---------- Forwarded message ---------\nFrom: A\x1b[31mB <a b@c.example>\n", "-",
	    "forward: an address with a space is none");
	fwd("---------- Forwarded message ---------\nFrom: A\x1b[31mB <ab@c.example>\n",
	    "AB <ab@c.example>", "forward: a name loses its escape sequences (psm_one_line)");
}

static void itime(const char *in, const char *want)
{
	struct strbuf out = STRBUF_INIT;
	int r = psm_import_time(&out, in);

	if (!want)
		ok(r == PSM_EINVALID, "time: '%s' refused", in);
	else
		is(r ? NULL : out.buf, want, in);
	strbuf_release(&out);
}

static void label(const char *in, const char *want)
{
	struct strbuf out = STRBUF_INIT;

	psm_label_normalize(&out, in);
	is(out.buf, want, in);
	strbuf_release(&out);
}

/* psm_mail_automatic on one header: the reason, "-" when a person wrote it. */
static void automatic(const char *header, const char *value, const char *want, int want_kind)
{
	struct psm_mail_auto_in h = { 0 };
	struct strbuf why = STRBUF_INIT, what = STRBUF_INIT;
	int kind = -1, r;

	if (!strcmp(header, "Auto-Submitted"))
		h.auto_submitted = value;
	else if (!strcmp(header, "X-Autoreply"))
		h.x_autoreply = value;
	else if (!strcmp(header, "X-Autorespond"))
		h.x_autorespond = value;
	else if (!strcmp(header, "Precedence"))
		h.precedence = value;
	else if (!strcmp(header, "Return-Path"))
		h.return_path = value;
	else if (!strcmp(header, "From"))
		h.from_email = value;
	else if (!strcmp(header, "report-type"))
		h.content_type = "multipart/report", h.report_type = value;
	else if (!strcmp(header, "Content-Type"))
		h.content_type = value;
	r = psm_mail_automatic(&why, &kind, &h);
	strbuf_addf(&what, "automatic: %s: %s", header, value);
	is(r == 1 ? why.buf : r == 0 && !why.len ? "-" : "(error)", want, what.buf);
	ok(kind == want_kind, "%s: kind %d (want %d)", what.buf, kind, want_kind);
	strbuf_release(&why);
	strbuf_release(&what);
}

static void test_automatic(void)
{
	static const char dsn[] =
		"Return-Path: <>\n"
		"From: Mail Delivery System <MAILER-DAEMON@mx.example>\n"
		"Subject: Undelivered Mail Returned to Sender\n"
		"Message-ID: <b1@mx.example>\n"
		"MIME-Version: 1.0\n"
		"Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\n"
		"\n"
		"--B\nContent-Type: text/plain\n\nUser unknown\n"
		"--B\nContent-Type: message/delivery-status\n\nAction: failed\n"
		"--B\nContent-Type: text/rfc822-headers\n\n"
		"From: us@team.example\nMessage-Id: <sent1@team.example>\n"
		"In-Reply-To: <cust1@c.example>\nReferences: <cust0@c.example> <cust1@c.example>\n"
		"--B--\n";
	static const char returned[] =
		"From: postmaster@mx.example\n"
		"Subject: failure notice\n"
		"MIME-Version: 1.0\n"
		"Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\n"
		"\n"
		"--B\nContent-Type: text/plain\n\nUser unknown\n"
		"--B\nContent-Type: message/rfc822\n\n"
		"From: us@team.example\nSubject: Re: x\nMessage-ID: <sent2@team.example>\n"
		"In-Reply-To: <cust2@c.example>\n\nYour issue is fixed.\n"
		"--B--\n";
	static const char person[] =
		"From: a@c.example\nSubject: Re: x\nPrecedence: list\nAuto-Submitted: no\n"
		"List-Id: <support.team.example>\nIn-Reply-To: <sent1@team.example>\n\nThanks\n";
	struct psm_mail *m = NULL;

	automatic("Auto-Submitted", "auto-replied", "an automatic reply (Auto-Submitted: auto-replied)",
		  PSM_MAIL_AUTOREPLY);
	automatic("Auto-Submitted", " Auto-Generated (vacation)",
		  "an automatic message (Auto-Submitted: Auto-Generated)", PSM_MAIL_GENERATED);
	automatic("Auto-Submitted", "auto-notified; owner-email=\"x@y\"",
		  "an automatic message (Auto-Submitted: auto-notified)", PSM_MAIL_GENERATED);
	automatic("Auto-Submitted", "no", "-", 0);
	automatic("Auto-Submitted", "No (a person)", "-", 0);
	automatic("Auto-Submitted", "\x1b]0;pwned\x07", "an automatic message (Auto-Submitted)",
		  PSM_MAIL_GENERATED);
	automatic("X-Autoreply", "yes", "an automatic reply (X-Autoreply)", PSM_MAIL_AUTOREPLY);
	automatic("X-Autoreply", "no", "-", 0);
	automatic("X-Autorespond", "Thank you for your message", "an automatic reply (X-Autorespond)",
		  PSM_MAIL_AUTOREPLY);
	automatic("Precedence", "auto_reply", "an automatic reply (Precedence: auto_reply)",
		  PSM_MAIL_AUTOREPLY);
	automatic("Precedence", "junk", "an automatic message (Precedence: junk)",
		  PSM_MAIL_GENERATED);
	automatic("Precedence", "list", "-", 0);
	automatic("Precedence", "bulk", "-", 0);
	automatic("Return-Path", "<>", "an automatic message (Return-Path: <>)",
		  PSM_MAIL_GENERATED);
	automatic("Return-Path", " <> ", "an automatic message (Return-Path: <>)",
		  PSM_MAIL_GENERATED);
	automatic("Return-Path", "<a@c.example>", "-", 0);
	automatic("From", "MAILER-DAEMON@mx.example", "a delivery report (from MAILER-DAEMON)",
		  PSM_MAIL_BOUNCE);
	automatic("From", "mailer-daemon-fan@c.example", "-", 0);
	automatic("From", "postmaster@mx.example", "-", 0);
	automatic("report-type", "delivery-status", "a delivery report (multipart/report)",
		  PSM_MAIL_BOUNCE);
	automatic("report-type", "disposition-notification", "a read receipt (multipart/report)",
		  PSM_MAIL_RECEIPT);
	automatic("report-type", "feedback-report", "an automatic report (multipart/report)",
		  PSM_MAIL_RECEIPT);
	automatic("Content-Type", "multipart/mixed", "-", 0);

	ok(psm_mail_parse(&m, dsn, sizeof(dsn) - 1) == 0 && m, "automatic: a bounce parses");
	if (m) {
		is(m->automatic, "a delivery report (multipart/report)", "automatic: a bounce");
		ok(m->auto_kind == PSM_MAIL_BOUNCE, "automatic: a bounce is a bounce");
		ok(m->nparents == 3, "automatic: the returned headers' IDs are its parents");
		if (m->nparents == 3) {
			is(m->parents[0], "<sent1@team.example>", "automatic: the returned message first");
			is(m->parents[1], "<cust1@c.example>", "automatic: then what it answered");
		}
		psm_mail_free(m);
	}
	ok(psm_mail_parse(&m, returned, sizeof(returned) - 1) == 0 && m,
	   "automatic: a bounce with the whole message parses");
	if (m) {
		ok(m->automatic && m->nparents == 2 &&
		   !strcmp(m->parents[0], "<sent2@team.example>") &&
		   !strcmp(m->parents[1], "<cust2@c.example>"),
		   "automatic: a returned message/rfc822's IDs are its parents");
		psm_mail_free(m);
	}
	ok(psm_mail_parse(&m, person, sizeof(person) - 1) == 0 && m, "automatic: a list message parses");
	if (m) {
		ok(!m->automatic && !m->auto_kind && m->nparents == 1,
		   "automatic: a person's message through a list is a person's");
		psm_mail_free(m);
	}
}

/* psm_mail_reply_text: the text kept and the lines left out. */
static void reply(const char *text, const char *want, size_t want_dropped, const char *what)
{
	struct strbuf out = STRBUF_INIT, label = STRBUF_INIT;
	size_t dropped = 99;

	ok(psm_mail_reply_text(&out, &dropped, text, strlen(text)) == 0, "reply: %s: runs", what);
	strbuf_addf(&label, "reply: %s", what);
	is(out.buf, want, label.buf);
	ok(dropped == want_dropped, "reply: %s: %zu lines left out (want %zu)", what, dropped,
	   want_dropped);
	strbuf_release(&out);
	strbuf_release(&label);
}

static void test_reply_quotes(void)
{
	reply("Thanks, it works!\n\nOn Thu, Dec 3, 2026 at 5:00 PM Mo Dev <mo@shop.example> wrote:\n"
	      "> Hi Lena,\n>\n> It is fixed now.\n", "Thanks, it works!\n", 4, "Gmail");
	reply("Thanks\n\nOn Thu, Dec 3, 2026 at 5:00 PM Mo Dev <\nmo@shop.example> wrote:\n\n> x\n",
	      "Thanks\n", 3, "an attribution wrapped over two lines");
	reply("Danke!\n\nAm Do., 3. Dez. 2026 um 17:00 Uhr schrieb Mo Dev <mo@shop.example>:\n> x\n",
	      "Danke!\n", 2, "German");
	reply("Merci\n\nLe jeu. 3 d\xc3\xa9" "c. 2026 \xc3\xa0 17:00, Mo <mo@x.fr> a \xc3\xa9" "crit :\n> x\n",
	      "Merci\n", 2, "French");
	reply("On Dec 3, 2026, at 17:00, Mo Dev <mo@shop.example> wrote:\n> x\n",
	      "On Dec 3, 2026, at 17:00, Mo Dev <mo@shop.example> wrote:\n> x\n", 0,
	      "a quote alone is kept: nothing would be left");
	reply("Thanks\r\n\r\n________________________________\r\nFrom: Mo Dev <mo@shop.example>\r\n"
	      "Sent: Thursday, December 3, 2026 5:00 PM\r\nSubject: Re: x\r\n\r\nHi Lena,\r\nfixed\r\n",
	      "Thanks\n", 6, "Outlook's underscores and header block");
	reply("Yes.\n-----Original Message-----\nFrom: Mo\nSent: today\n\nDid it work?\n",
	      "Yes.\n", 4, "Outlook's Original Message");
	reply("Ja.\n-----Urspr\xc3\xbcngliche Nachricht-----\nVon: Mo\nGesendet: heute\n\nGeht es?\n",
	      "Ja.\n", 4, "Outlook in German: Von:");
	reply("Yes.\n-----Original Message-----\nFromage: Mo\n\nDid it work?\n",
	      "Yes.\n-----Original Message-----\nFromage: Mo\n\nDid it work?\n", 0,
	      "a separator without a From line under it");
	reply("On Thu, Mo wrote:\n> Which browser?\nChrome 120.\n> And which OS?\nWindows 11.\n",
	      "On Thu, Mo wrote:\n> Which browser?\nChrome 120.\n> And which OS?\nWindows 11.\n", 0,
	      "answers between the quoted lines keep it whole");
	reply("On Thu, Mo wrote:\n> Did it work?\n\nYes, thanks.\n",
	      "On Thu, Mo wrote:\n> Did it work?\n\nYes, thanks.\n", 0, "a reply under the quote");
	reply("The page says:\n> Error 500: try again\n", "The page says:\n> Error 500: try again\n", 0,
	      "the customer quoting an error message");
	reply("My colleague wrote:\nthe export is empty\n", "My colleague wrote:\nthe export is empty\n", 0,
	      "an attribution with no quote under it");
	reply("Thanks\n________________________________\nSent from my phone\n",
	      "Thanks\n________________________________\nSent from my phone\n", 0,
	      "underscores with no From: under them");
	reply("", "", 0, "no text");

	/* the text is a length, not a string: a last line of "From" under a
	 * separator, in a buffer with no NUL after it (ASan sees a read past) */
	{
		static const char t[] = "Yes.\n-----Original Message-----\n\nFrom";
		struct strbuf out = STRBUF_INIT;
		size_t dropped = 99;
		char *buf = malloc(sizeof(t) - 1);

		if (buf) {
			memcpy(buf, t, sizeof(t) - 1);
			ok(psm_mail_reply_text(&out, &dropped, buf, sizeof(t) - 1) == 0 && !dropped &&
			   out.len == sizeof(t) - 1 && !memcmp(out.buf, t, out.len),
			   "reply: a text with no NUL after it is read to its length");
		} else {
			ok(0, "reply: out of memory");
		}
		free(buf);
		strbuf_release(&out);
	}
}

/* psm_mail_dsn: a delivery report's verdict and what it said. */
static void dsn(const char *text, int want, const char *want_status, const char *what)
{
	struct strbuf st = STRBUF_INIT, label = STRBUF_INIT;
	int delivery = -1, r = psm_mail_dsn(&delivery, &st, text, strlen(text));

	ok(r == 0 && delivery == want, "dsn: %s: verdict %d (want %d)", what, delivery, want);
	strbuf_addf(&label, "dsn: %s", what);
	is(st.buf, want_status, label.buf);
	strbuf_release(&st);
	strbuf_release(&label);
}

static void test_dsn(void)
{
	static const char postfix[] =
		"Reporting-MTA: dns; mx.example.com\n\nFinal-Recipient: rfc822; a@x\nAction: failed\n"
		"Status: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 <a@x>: Recipient address\n"
		"    rejected: User unknown\n";
	struct strbuf long_diag = STRBUF_INIT;
	int i;

	dsn(postfix, PSM_DELIVERY_FAILED, "550 5.1.1 <a@x>: Recipient address rejected: User unknown",
	    "Postfix, a folded Diagnostic-Code");
	dsn("Final-Recipient: rfc822; a@x\r\nAction: delayed\r\nStatus: 4.4.7\r\n", PSM_DELIVERY_DELAYED,
	    "Status: 4.4.7", "a delay, CRLF, no Diagnostic-Code");
	dsn("Action: delivered\nStatus: 2.0.0\n\nAction: failed\nStatus: 5.2.2\n"
	    "Diagnostic-Code: smtp; 552 mailbox full\n", PSM_DELIVERY_FAILED, "552 mailbox full",
	    "two recipients: the failure is the news");
	dsn("Action: relayed\n", PSM_DELIVERY_DELIVERED, "", "relayed: delivered as far as it knows");
	dsn("Reporting-MTA: dns; x\n", 0, "", "no Action");
	dsn("", 0, "", "nothing");
	dsn("Action: failed\nDiagnostic-Code: smtp; 550 \x1b]8;;http://evil\x07no such user \xc3\xa9\n",
	    PSM_DELIVERY_FAILED, "550 no such user ??", "escape sequences out, other bytes a ?");
	strbuf_addstr(&long_diag, "Action: failed\nDiagnostic-Code: smtp; ");
	for (i = 0; i < 60; i++)
		strbuf_addstr(&long_diag, "word ");
	{
		struct strbuf st = STRBUF_INIT;
		int d = 0;

		ok(psm_mail_dsn(&d, &st, long_diag.buf, long_diag.len) == 0 && st.len == 200 &&
		   !strcmp(st.buf + 197, "..."), "dsn: a long Diagnostic-Code is cut to 200 bytes");
		strbuf_release(&st);
	}
	strbuf_release(&long_diag);
}

static void test_import_helpers(void)
{
	itime("2026-11-01T09:00:00Z", "2026-11-01T09:00:00Z");
	itime("2026-11-01T09:00:00+02:00", "2026-11-01T07:00:00Z");
	itime("2026-11-01T09:00:00.123Z", "2026-11-01T09:00:00Z");
	itime("2026-11-01", "2026-11-01");
	itime("2026-11-01 09:30", "2026-11-01T09:30:00Z");
	itime("2026-11-01 09:30:15", "2026-11-01T09:30:15Z");
	itime("yesterday", NULL);
	itime("2026-02-30", NULL);
	label("good first issue", "good-first-issue");
	label("  -wontfix, maybe ", "wontfix-maybe");
	label("area:ui", "area:ui");
	label(" , ", "");
}

int main(void)
{
	test_csv();
	test_html();
	test_subjects();
	test_mail();
	test_forwarded();
	test_automatic();
	test_reply_quotes();
	test_dsn();
	test_import_helpers();
	return tap_done();
}
