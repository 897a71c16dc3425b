/*
 * Front matter: parse, then format. The output must parse again to the same
 * values and body (a file whose first line ends in CRLF gets CRLF on every
 * line), and formatting that must give the same text (verbatim entries).
 * Then every entry is marked changed, so psm's own emitter writes it: that
 * must also read back to the same values (quoting, escapes, nesting).
 * The issue's JSON text written directly (psm_issue_json_text, and _with
 * more members) must be jansson's dump of psm_issue_json() (with them),
 * made safe and indented, byte for byte. The body as read on a terminal
 * (psm_timeline_readable) loses nothing but psm's marker lines and blanks;
 * as HTML for a public page (psm_markdown_html) it holds no tag but cmark's
 * own (cmark's "<!-- raw HTML omitted -->" is not one of them); without
 * its HTML comments (psm_markdown_drop_comments) cmark finds none in it,
 * and a text with no "<!--" is kept byte for byte. The input made one line
 * (psm_one_line, what a batch does to a title) holds no control character,
 * no space at either end or twice, and is UTF-8 when the input was. As
 * the text of a forwarded e-mail, the author found (psm_mail_forwarded_from)
 * has one plain address and a name without control characters; as an
 * e-mail reply, what psm_mail_reply_text keeps is the whole text or a start
 * of it ending at a line's end, with something of the sender's in it;
 * as a bounce's delivery-status part (psm_mail_dsn), a verdict psm knows
 * and at most 200 bytes of printable ASCII; as HTML, text that is UTF-8
 * when the input was, ending in a newline.
 */
#include <cmark.h>
#include <stdlib.h>
#include <string.h>

#include "psm/email.h"
#include "psm/error.h"
#include "fuzz.h"
#include "psm/html.h"
#include "psm/issue.h"
#include "psm/json-safe.h"
#include "psm/render.h"
#include "psm/site.h"
#include "psm/timeline.h"
#include "psm/utf8.h"

/* Members as triage --queue and roadmap add them, and some nesting. */
static json_t *more_members(size_t seed)
{
	json_t *m = json_object(), *inner = json_object();

	json_object_set_new(m, "priority", json_real((double)seed / 7.0));
	json_object_set_new(m, "suggested_impact", seed % 2 ? json_string("core") : json_null());
	json_object_set_new(inner, "why", json_string("a \"quote\" \xe2\x80\xae and \x01"));
	json_object_set_new(inner, "list", json_pack("[i, [], {}]", (int)seed));
	json_object_set_new(m, seed % 3 ? "queue_reason" : "title", inner); /* title: replaced */
	return m;
}

/* What psm printed of an issue before the direct writer: jansson's dump,
 * made safe, every line indented two spaces. With more: its members set
 * on the object first. */
static void same_json(const struct psm_issue *issue, size_t abbrev, json_t *more)
{
	const size_t flags = JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10);
	struct strbuf fast = STRBUF_INIT, safe = STRBUF_INIT, ref = STRBUF_INIT;
	json_t *j = psm_issue_json(issue, abbrev), *v;
	const char *p, *nl, *k;
	char *dump;
	int r;

	if (more)
		json_object_foreach(more, k, v)
			if (j && json_object_set(j, k, v) < 0)
				FUZZ_ASSERT(0);
	dump = j ? json_dumps(j, more ? flags : JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
	r = more ? psm_issue_json_text_with(&fast, issue, abbrev, more, flags)
		 : psm_issue_json_text(&fast, issue, abbrev);

	if (r == 1) {
		FUZZ_ASSERT(fast.len == 0);
	} else if (r < 0) {
		FUZZ_ASSERT(r == PSM_ENOMEM);
	} else {
		/* what jansson refuses the writer must leave to it */
		FUZZ_ASSERT(j && dump && psm_json_make_safe(&safe, dump, strlen(dump)) == 0);
		for (p = safe.buf; p; p = nl ? nl + 1 : NULL) {
			nl = strchr(p, '\n');
			strbuf_add(&ref, "  ", 2);
			strbuf_add(&ref, p, nl ? (size_t)(nl - p) + 1 : strlen(p));
		}
		if (!ref.oom && (ref.len != fast.len || memcmp(ref.buf, fast.buf, ref.len)))
			fprintf(stderr, "jansson wrote:\n%s\npsm_issue_json_text wrote:\n%s\n",
				ref.buf, fast.buf);
		FUZZ_ASSERT(ref.oom || (ref.len == fast.len && !memcmp(ref.buf, fast.buf, ref.len)));
	}
	free(dump);
	json_decref(j);
	strbuf_release(&fast);
	strbuf_release(&safe);
	strbuf_release(&ref);
}

/* Is the line (spaces trimmed) one of psm's markers? */
static int marker(const char *p, size_t len)
{
	static const char *const open[] = { "<!-- psm-ref: ", "<!-- psm-to: " };
	size_t i;

	for (i = 0; i < 2; i++)
		if (len > strlen(open[i]) + 4 && !memcmp(p, open[i], strlen(open[i])) &&
		    !memcmp(p + len - 4, " -->", 4))
			return 1;
	return 0;
}

/* The text's bytes but whitespace, without its marker lines. */
static void strip(struct strbuf *out, const char *p, size_t len)
{
	const char *end = p + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *e = nl ? nl : end, *b = p;

		while (b < e && strchr(" \t\r", *b))
			b++;
		while (e > b && strchr(" \t\r", e[-1]))
			e--;
		if (!marker(b, (size_t)(e - b)))
			for (; b < e; b++)
				if (!strchr(" \t\r", *b))
					strbuf_addch(out, *b);
		p = nl ? nl + 1 : end;
	}
}

/* Every '<' opens or closes a tag cmark writes itself: the text's own
 * markup is escaped, none dropped. */
static void public_html(const char *md, size_t len)
{
	static const char *const tags[] = { "p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
					    "ul", "ol", "li", "pre", "code", "hr", "br", "em",
					    "strong", "a", "img", NULL };
	struct strbuf html = STRBUF_INIT;
	const char *p;
	size_t i, n;
	int r = psm_markdown_html(&html, md, len);

	FUZZ_ASSERT(r == 0 || r == PSM_ENOMEM);
	for (p = r ? NULL : html.buf; p && (p = strchr(p, '<')); p++) {
		p += p[1] == '/';
		for (i = 0; tags[i]; i++) {
			n = strlen(tags[i]);
			if (!strncmp(p + 1, tags[i], n) && strchr(" />", p[1 + n]) && p[1 + n])
				break;
		}
		FUZZ_ASSERT(tags[i]);
	}
	strbuf_release(&html);
}

static void no_comments(const char *md)
{
	struct strbuf out = STRBUF_INIT;
	int r = psm_markdown_drop_comments(&out, md);
	cmark_node *doc;
	cmark_iter *it;
	cmark_event_type ev;

	FUZZ_ASSERT(r == 0 || r == PSM_ENOMEM);
	if (r || out.oom)
		goto done;
	FUZZ_ASSERT(strstr(md, "<!--") || !strcmp(out.buf, md));
	doc = cmark_parse_document(out.buf, out.len, CMARK_OPT_DEFAULT);
	it = doc ? cmark_iter_new(doc) : NULL;
	while (it && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		cmark_node_type t = cmark_node_get_type(n);
		const char *lit = cmark_node_get_literal(n);

		if (ev == CMARK_EVENT_ENTER && lit && t == CMARK_NODE_HTML_INLINE)
			FUZZ_ASSERT(strncmp(lit, "<!--", 4));
		else if (ev == CMARK_EVENT_ENTER && lit && t == CMARK_NODE_HTML_BLOCK)
			FUZZ_ASSERT(!strstr(lit, "<!--"));
	}
	cmark_iter_free(it);
	cmark_node_free(doc);
done:
	strbuf_release(&out);
}

static void readable(const struct psm_issue *issue)
{
	struct strbuf out = STRBUF_INIT, a = STRBUF_INIT, b = STRBUF_INIT, text = STRBUF_INIT;
	int r = psm_timeline_readable(&out, &issue->body);

	FUZZ_ASSERT(r == 0 || r == PSM_ENOMEM);
	if (!r) {
		FUZZ_ASSERT(out.len <= issue->body.len);
		strip(&a, issue->body.buf ? issue->body.buf : "", issue->body.len);
		strip(&b, out.buf ? out.buf : "", out.len);
		FUZZ_ASSERT(a.oom || b.oom || (a.len == b.len && !memcmp(a.buf, b.buf, a.len)));
		r = psm_markdown_text(&text, out.buf ? out.buf : "", out.len, 72);
		FUZZ_ASSERT(r == 0 || r == PSM_ENOMEM);
		public_html(out.buf ? out.buf : "", out.len);
		no_comments(out.buf);
	}
	strbuf_release(&out);
	strbuf_release(&a);
	strbuf_release(&b);
	strbuf_release(&text);
}

/*
 * psm_node_equal, except that map keys compare as text: psm reads keys as
 * strings, so a key `Null` written back as 'Null' is the same key to it.
 */
static int same_node(const struct psm_node *a, const struct psm_node *b)
{
	size_t i;

	if (!a || !b || a->kind != b->kind || a->n != b->n)
		return a == b;
	if (a->kind == PSM_SCALAR)
		return psm_node_equal(a, b);
	if (a->kind == PSM_SEQ) {
		for (i = 0; i < a->n; i++)
			if (!same_node(a->items[i], b->items[i]))
				return 0;
		return 1;
	}
	for (i = 0; i + 1 < a->n; i += 2)
		if (a->items[i]->len != b->items[i]->len ||
		    memcmp(a->items[i]->str, b->items[i]->str, a->items[i]->len) ||
		    !same_node(a->items[i + 1], b->items[i + 1]))
			return 0;
	return 1;
}

/* b's body is a's, byte for byte; or, a file with CRLF line ends being
 * written with them throughout, a's with a CR before every lone LF. */
static int same_body(const struct psm_issue *a, const struct psm_issue *b)
{
	struct strbuf want = STRBUF_INIT;
	size_t i;
	int same;

	if (!a->crlf)
		return a->body.len == b->body.len && !memcmp(a->body.buf, b->body.buf, a->body.len);
	for (i = 0; i < a->body.len; i++) {
		if (a->body.buf[i] == '\n' && (!i || a->body.buf[i - 1] != '\r'))
			strbuf_addch(&want, '\r');
		strbuf_addch(&want, a->body.buf[i]);
	}
	same = want.len == b->body.len && !memcmp(want.buf, b->body.buf, want.len);
	strbuf_release(&want);
	return same;
}

static void same_values(const struct psm_issue *a, const struct psm_issue *b)
{
	size_t i;

	FUZZ_ASSERT(a->n == b->n);
	for (i = 0; i < a->n; i++) {
		FUZZ_ASSERT(!strcmp(a->entries[i].key, b->entries[i].key));
		FUZZ_ASSERT(same_node(a->entries[i].value, b->entries[i].value));
	}
	FUZZ_ASSERT(b->crlf == a->crlf);
	FUZZ_ASSERT(same_body(a, b));
}

/* Parse text that psm itself wrote: it must be readable. */
static struct psm_issue *reparse(const struct strbuf *text)
{
	struct psm_yaml_error err = { 0, 0, STRBUF_INIT };
	struct psm_issue *issue = NULL;
	int r = psm_issue_parse(&issue, text->buf, text->len, &err);

	if (r < 0)
		fprintf(stderr, "psm wrote what it cannot read: %d:%d: %s\n---\n%s", err.line,
			err.col, err.msg.buf, text->buf);
	strbuf_release(&err.msg);
	FUZZ_ASSERT(r == 0 || r == PSM_ENOMEM);
	return issue;
}

static void one_line(const char *s, size_t len)
{
	struct strbuf out = STRBUF_INIT;
	size_t i;
	int r = psm_one_line(&out, s, len);

	FUZZ_ASSERT(r == 0 || r == PSM_ENOMEM);
	if (r == 0) {
		for (i = 0; i < out.len; i++)
			FUZZ_ASSERT((unsigned char)out.buf[i] >= 0x20 && out.buf[i] != 0x7f);
		FUZZ_ASSERT(!out.len || (out.buf[0] != ' ' && out.buf[out.len - 1] != ' '));
		FUZZ_ASSERT(!strstr(out.buf, "  "));
		FUZZ_ASSERT(!psm_utf8_valid(s, len) || psm_utf8_valid(out.buf, out.len));
	}
	strbuf_release(&out);
}

/* The input as the text of a forwarded e-mail: an author found has one
 * plain address and a name without control characters. */
static void forwarded(const char *s, size_t len)
{
	struct psm_mail m;
	char *name = NULL, *email = NULL;
	size_t i, ats = 0;
	int r;

	memset(&m, 0, sizeof(m));
	strbuf_init(&m.body, 0);
	strbuf_add(&m.body, s, len);
	r = psm_mail_forwarded_from(&name, &email, &m);
	FUZZ_ASSERT(r == 0 || r == 1 || r == PSM_ENOMEM);
	if (r == 1) {
		FUZZ_ASSERT(email && *email);
		for (i = 0; email[i]; i++) {
			unsigned char c = (unsigned char)email[i];

			ats += c == '@';
			FUZZ_ASSERT(c > ' ' && c < 0x7f && c != '<' && c != '>' && c != '"');
		}
		FUZZ_ASSERT(ats == 1 && email[0] != '@' && email[i - 1] != '@');
		for (i = 0; name && name[i]; i++)
			FUZZ_ASSERT((unsigned char)name[i] >= 0x20 && name[i] != 0x7f);
	} else {
		FUZZ_ASSERT(!name && !email);
	}
	free(name);
	free(email);
	strbuf_release(&m.body);
}

/* The input as an e-mail reply: what psm_mail_reply_text keeps is the
 * input, or a start of it (cut at the end of a line, then a newline) that
 * is not blank, with lines left out after it. */
static void reply_text(const char *s, size_t len)
{
	struct strbuf out = STRBUF_INIT;
	size_t dropped = 0, i, k;
	int r = psm_mail_reply_text(&out, &dropped, s, len);

	FUZZ_ASSERT(r == 0 || r == PSM_ENOMEM);
	if (r == 0 && !dropped) {
		FUZZ_ASSERT(out.len == len && !memcmp(out.buf, s, len));
	} else if (r == 0) {
		k = out.len - 1;
		FUZZ_ASSERT(out.len >= 2 && out.buf[k] == '\n' && k < len && !memcmp(out.buf, s, k));
		for (i = 0; i < k && (out.buf[i] == ' ' || out.buf[i] == '\t' || out.buf[i] == '\n' ||
				      out.buf[i] == '\r'); i++)
			;
		FUZZ_ASSERT(i < k); /* something of the sender's own */
		for (i = k; i < len && s[i] != '\n'; i++) /* the rest of its line: white space */
			FUZZ_ASSERT(s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\f' ||
				    s[i] == '\v');
		FUZZ_ASSERT(i < len); /* and lines after it */
	}
	strbuf_release(&out);
}

/* The input as a delivery report's status part: a verdict psm knows and
 * one short line of printable ASCII. */
static void dsn(const char *s, size_t len)
{
	struct strbuf st = STRBUF_INIT;
	int delivery = -1, r = psm_mail_dsn(&delivery, &st, s, len);
	size_t i;

	FUZZ_ASSERT(r == 0 || r == PSM_ENOMEM);
	if (r == 0) {
		FUZZ_ASSERT(delivery >= 0 && delivery <= PSM_DELIVERY_DELIVERED);
		FUZZ_ASSERT(st.len <= 200 && (delivery || !st.len));
		for (i = 0; i < st.len; i++)
			FUZZ_ASSERT(st.buf[i] >= 0x20 && st.buf[i] < 0x7f);
	}
	strbuf_release(&st);
}

/* The input as an HTML-only mail (a short one: libxml2 is slow to fuzz):
 * the text is UTF-8 when the input was and ends in a newline unless
 * empty; the quote marks' offsets stay inside the text (ASan). */
static void html_text(const char *s, size_t len)
{
	struct strbuf out = STRBUF_INIT;
	int r;

	if (len > 2048)
		return;
	r = psm_html_to_text(&out, s, len);
	FUZZ_ASSERT(r == 0 || r == PSM_ENOMEM || r == PSM_ERROR);
	if (r == 0) {
		FUZZ_ASSERT(!out.len || out.buf[out.len - 1] == '\n');
		FUZZ_ASSERT(!psm_utf8_valid(s, len) || memchr(s, 0, len) ||
			    psm_utf8_valid(out.buf, out.len));
	}
	strbuf_release(&out);
	psm_error_clear();
}

int psm_fuzz_issue(const uint8_t *data, size_t size)
{
	struct psm_yaml_error err = { 0, 0, STRBUF_INIT };
	struct psm_issue *issue = NULL, *again = NULL, *third = NULL;
	json_t *more;
	struct strbuf out = STRBUF_INIT, out2 = STRBUF_INIT, out3 = STRBUF_INIT;
	size_t i;

	one_line((const char *)data, size);
	forwarded((const char *)data, size);
	reply_text((const char *)data, size);
	dsn((const char *)data, size);
	html_text((const char *)data, size);
	if (psm_issue_parse(&issue, (const char *)data, size, &err) < 0)
		goto done;
	readable(issue);
	/* an abbreviation shorter or longer than the ID */
	same_json(issue, size % 12, NULL);
	more = more_members(size);
	same_json(issue, size % 12, more);
	json_decref(more);
	FUZZ_ASSERT(psm_issue_format(&out, issue) == 0);
	if (!(again = reparse(&out)))
		goto done;
	same_values(issue, again);
	FUZZ_ASSERT(psm_issue_format(&out2, again) == 0);
	FUZZ_ASSERT(out.len == out2.len && !memcmp(out.buf, out2.buf, out.len));

	/* now through the emitter: every entry re-written by psm */
	for (i = 0; i < again->n; i++) {
		again->entries[i].dirty = 1;
		strbuf_release(&again->entries[i].raw);
	}
	strbuf_reset(&again->preamble);
	FUZZ_ASSERT(psm_issue_format(&out3, again) == 0);
	if (!(third = reparse(&out3)))
		goto done;
	same_values(issue, third);
done:
	psm_issue_free(issue);
	psm_issue_free(again);
	psm_issue_free(third);
	strbuf_release(&out);
	strbuf_release(&out2);
	strbuf_release(&out3);
	strbuf_release(&err.msg);
	psm_error_clear();
	return 0;
}

#ifndef PSM_FUZZ_NO_MAIN
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return psm_fuzz_issue(data, size);
}
#endif
