#include "psm/email.h"

#include <ctype.h>
#include <gmime/gmime.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "psm/dl.h"
#include "psm/error.h"
#include "psm/html.h"
#include "psm/time.h"
#include "psm/utf8.h"

/*
 * GMime is loaded on first use, not linked (psm/dl.h): it and what it pulls
 * in (GIO, GPGME, libidn2...) cost every psm process about 5 ms before
 * main, and only e-mail intake reads mail. These are the functions this
 * file calls, and those GMime's and GObject's macros (GMIME_IS_PART...)
 * expand to; the macros after the table send those names through it, so
 * the code reads as GMime's documentation does. A name missing here is a
 * link error, as psm does not link GMime.
 */
#define GMIME_FUNCS(X, t) \
	X(t, g_mime_init) \
	X(t, g_mime_content_type_get_mime_type) \
	X(t, g_mime_content_type_get_parameter) \
	X(t, g_mime_content_type_is_type) \
	X(t, g_mime_message_foreach) \
	X(t, g_mime_message_get_date) \
	X(t, g_mime_message_get_from) \
	X(t, g_mime_message_get_mime_part) \
	X(t, g_mime_message_get_message_id) \
	X(t, g_mime_message_get_subject) \
	X(t, g_mime_message_part_get_message) \
	X(t, g_mime_message_part_get_type) \
	X(t, g_mime_multipart_get_type) \
	X(t, g_mime_object_get_content_type) \
	X(t, g_mime_object_get_header) \
	X(t, g_mime_object_get_type) \
	X(t, g_mime_parser_construct_message) \
	X(t, g_mime_parser_new_with_stream) \
	X(t, g_mime_parser_set_format) \
	X(t, g_mime_part_get_filename) \
	X(t, g_mime_part_get_type) \
	X(t, g_mime_part_is_attachment) \
	X(t, g_mime_references_free) \
	X(t, g_mime_references_get_message_id) \
	X(t, g_mime_references_length) \
	X(t, g_mime_references_parse) \
	X(t, g_mime_stream_mem_new_with_buffer) \
	X(t, g_mime_stream_mem_new) \
	X(t, g_mime_stream_mem_get_byte_array) \
	X(t, g_mime_stream_mem_get_type) \
	X(t, g_mime_part_get_content) \
	X(t, g_mime_data_wrapper_write_to_stream) \
	X(t, g_mime_text_part_get_text) \
	X(t, g_mime_text_part_get_type) \
	X(t, internet_address_get_name) \
	X(t, internet_address_group_get_members) \
	X(t, internet_address_group_get_type) \
	X(t, internet_address_list_get_address) \
	X(t, internet_address_list_length) \
	X(t, internet_address_mailbox_get_addr) \
	X(t, internet_address_mailbox_get_type) \
	X(t, g_object_unref) \
	X(t, g_type_check_instance_cast) \
	X(t, g_type_check_instance_is_a)

PSM_DL_TABLE(gm, GMIME_FUNCS);

static const char *gm_setup(void)
{
	gm.g_mime_init();
	return NULL;
}

static struct psm_dl libgmime = {
	.what = "GMime",
	.soname = PSM_LIBGMIME_SONAME,
	.hint = "e-mail intake and sending need it: install GMime 3",
	.syms = gm_syms,
	.nsyms = sizeof(gm_syms) / sizeof(gm_syms[0]),
	.init = gm_setup,
};

int psm_mail_ready(void)
{
	return psm_dl_load(&libgmime);
}

#define g_mime_init(...) (gm.g_mime_init(__VA_ARGS__))
#define g_mime_content_type_get_mime_type(...) (gm.g_mime_content_type_get_mime_type(__VA_ARGS__))
#define g_mime_content_type_get_parameter(...) (gm.g_mime_content_type_get_parameter(__VA_ARGS__))
#define g_mime_content_type_is_type(...) (gm.g_mime_content_type_is_type(__VA_ARGS__))
#define g_mime_message_foreach(...) (gm.g_mime_message_foreach(__VA_ARGS__))
#define g_mime_message_get_date(...) (gm.g_mime_message_get_date(__VA_ARGS__))
#define g_mime_message_get_from(...) (gm.g_mime_message_get_from(__VA_ARGS__))
#define g_mime_message_get_mime_part(...) (gm.g_mime_message_get_mime_part(__VA_ARGS__))
#define g_mime_message_get_message_id(...) (gm.g_mime_message_get_message_id(__VA_ARGS__))
#define g_mime_message_get_subject(...) (gm.g_mime_message_get_subject(__VA_ARGS__))
#define g_mime_message_part_get_message(...) (gm.g_mime_message_part_get_message(__VA_ARGS__))
#define g_mime_message_part_get_type(...) (gm.g_mime_message_part_get_type(__VA_ARGS__))
#define g_mime_multipart_get_type(...) (gm.g_mime_multipart_get_type(__VA_ARGS__))
#define g_mime_object_get_content_type(...) (gm.g_mime_object_get_content_type(__VA_ARGS__))
#define g_mime_object_get_header(...) (gm.g_mime_object_get_header(__VA_ARGS__))
#define g_mime_object_get_type(...) (gm.g_mime_object_get_type(__VA_ARGS__))
#define g_mime_parser_construct_message(...) (gm.g_mime_parser_construct_message(__VA_ARGS__))
#define g_mime_parser_new_with_stream(...) (gm.g_mime_parser_new_with_stream(__VA_ARGS__))
#define g_mime_parser_set_format(...) (gm.g_mime_parser_set_format(__VA_ARGS__))
#define g_mime_part_get_filename(...) (gm.g_mime_part_get_filename(__VA_ARGS__))
#define g_mime_part_get_type(...) (gm.g_mime_part_get_type(__VA_ARGS__))
#define g_mime_part_is_attachment(...) (gm.g_mime_part_is_attachment(__VA_ARGS__))
#define g_mime_references_free(...) (gm.g_mime_references_free(__VA_ARGS__))
#define g_mime_references_get_message_id(...) (gm.g_mime_references_get_message_id(__VA_ARGS__))
#define g_mime_references_length(...) (gm.g_mime_references_length(__VA_ARGS__))
#define g_mime_references_parse(...) (gm.g_mime_references_parse(__VA_ARGS__))
#define g_mime_stream_mem_new_with_buffer(...) (gm.g_mime_stream_mem_new_with_buffer(__VA_ARGS__))
#define g_mime_stream_mem_new(...) (gm.g_mime_stream_mem_new(__VA_ARGS__))
#define g_mime_stream_mem_get_byte_array(...) (gm.g_mime_stream_mem_get_byte_array(__VA_ARGS__))
#define g_mime_stream_mem_get_type(...) (gm.g_mime_stream_mem_get_type(__VA_ARGS__))
#define g_mime_part_get_content(...) (gm.g_mime_part_get_content(__VA_ARGS__))
#define g_mime_data_wrapper_write_to_stream(...) (gm.g_mime_data_wrapper_write_to_stream(__VA_ARGS__))
#define g_mime_text_part_get_text(...) (gm.g_mime_text_part_get_text(__VA_ARGS__))
#define g_mime_text_part_get_type(...) (gm.g_mime_text_part_get_type(__VA_ARGS__))
#define internet_address_get_name(...) (gm.internet_address_get_name(__VA_ARGS__))
#define internet_address_group_get_members(...) (gm.internet_address_group_get_members(__VA_ARGS__))
#define internet_address_group_get_type(...) (gm.internet_address_group_get_type(__VA_ARGS__))
#define internet_address_list_get_address(...) (gm.internet_address_list_get_address(__VA_ARGS__))
#define internet_address_list_length(...) (gm.internet_address_list_length(__VA_ARGS__))
#define internet_address_mailbox_get_addr(...) (gm.internet_address_mailbox_get_addr(__VA_ARGS__))
#define internet_address_mailbox_get_type(...) (gm.internet_address_mailbox_get_type(__VA_ARGS__))
#define g_object_unref(...) (gm.g_object_unref(__VA_ARGS__))
#define g_type_check_instance_cast(...) (gm.g_type_check_instance_cast(__VA_ARGS__))
#define g_type_check_instance_is_a(...) (gm.g_type_check_instance_is_a(__VA_ARGS__))

/* What a walk over the MIME parts collects. */
struct parts {
	struct strbuf plain, html, attach;
};

void psm_mail_free(struct psm_mail *m)
{
	size_t i;

	if (!m)
		return;
	free(m->subject);
	free(m->title);
	free(m->from_name);
	free(m->from_email);
	free(m->message_id);
	free(m->ref);
	free(m->automatic);
	free(m->delivery_status);
	for (i = 0; i < m->nparents; i++)
		free(m->parents[i]);
	free(m->parents);
	strbuf_release(&m->body);
	free(m);
}

/* Append text with CRLF and lone CR turned into LF, and NUL-free. */
static void add_lf(struct strbuf *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '\r') {
			if (s[1] != '\n')
				strbuf_addch(out, '\n');
			continue;
		}
		strbuf_addch(out, *s);
	}
}

/* A text part as UTF-8: GMime converts from the declared charset; text
 * that still is not UTF-8 (no or a wrong charset) is read as Windows-1252,
 * the usual culprit. */
static void part_text(struct strbuf *out, GMimeTextPart *tp)
{
	char *t = g_mime_text_part_get_text(tp), *c;

	if (!t)
		return;
	if (!g_utf8_validate(t, -1, NULL)) {
		c = g_convert(t, -1, "UTF-8", "WINDOWS-1252", NULL, NULL, NULL);
		if (!c)
			c = g_utf8_make_valid(t, -1);
		g_free(t);
		t = c;
	}
	if (out->len && out->buf[out->len - 1] != '\n')
		strbuf_addch(out, '\n');
	if (out->len)
		strbuf_addch(out, '\n');
	add_lf(out, t);
	g_free(t);
}

/* Append a name on one line: escape sequences out, other controls a space. */
static void add_oneline(struct strbuf *out, const char *s)
{
	psm_one_line(out, s, strlen(s));
}

static void add_attachment(struct parts *p, const char *name, const char *type)
{
	strbuf_addstr(&p->attach, p->attach.len ? ", " : "Attachments: ");
	add_oneline(&p->attach, name && *name ? name : "(unnamed)");
	strbuf_addstr(&p->attach, " (");
	add_oneline(&p->attach, type);
	strbuf_addch(&p->attach, ')');
}

static void visit(GMimeObject *parent, GMimeObject *part, gpointer data)
{
	struct parts *p = data;
	GMimeContentType *ct = g_mime_object_get_content_type(part);
	char *type = ct ? g_mime_content_type_get_mime_type(ct) : NULL;
	const char *name;
	int attachment;

	if (GMIME_IS_MULTIPART(part))
		goto out;
	if (GMIME_IS_MESSAGE_PART(part)) {
		GMimeMessage *inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(part));

		add_attachment(p, inner ? g_mime_message_get_subject(inner) : NULL,
			       type ? type : "message/rfc822");
		goto out;
	}
	if (!GMIME_IS_PART(part))
		goto out;
	name = g_mime_part_get_filename(GMIME_PART(part));
	attachment = name || g_mime_part_is_attachment(GMIME_PART(part));
	if (!attachment && GMIME_IS_TEXT_PART(part) && g_mime_content_type_is_type(ct, "text", "plain"))
		part_text(&p->plain, GMIME_TEXT_PART(part));
	else if (!attachment && GMIME_IS_TEXT_PART(part) &&
		 g_mime_content_type_is_type(ct, "text", "html"))
		part_text(&p->html, GMIME_TEXT_PART(part));
	else
		add_attachment(p, name, type ? type : "application/octet-stream");
out:
	g_free(type);
}

/* The body: text/plain, else HTML as text; then the attachments line. */
static int make_body(struct strbuf *body, GMimeMessage *msg)
{
	struct parts p = { STRBUF_INIT, STRBUF_INIT, STRBUF_INIT };
	int r = 0;

	g_mime_message_foreach(msg, visit, &p);
	strbuf_rtrim(&p.plain);
	if (p.plain.len)
		strbuf_addbuf(body, &p.plain);
	else if (p.html.len && (r = psm_html_to_text(body, p.html.buf, p.html.len)) < 0)
		goto out;
	strbuf_rtrim(body);
	/* leading blank lines carry nothing */
	{
		size_t lead = 0;

		while (lead < body->len && (body->buf[lead] == '\n' || body->buf[lead] == ' '))
			lead++;
		while (lead && body->buf[lead - 1] != '\n')
			lead--;
		if (lead) {
			memmove(body->buf, body->buf + lead, body->len - lead + 1);
			body->len -= lead;
		}
	}
	if (body->len)
		strbuf_addch(body, '\n');
	if (p.attach.len) {
		if (body->len)
			strbuf_addch(body, '\n');
		strbuf_addbuf(body, &p.attach);
		strbuf_addch(body, '\n');
	}
	r = body->oom || p.plain.oom || p.html.oom || p.attach.oom ? psm_oom() : 0;
out:
	strbuf_release(&p.plain);
	strbuf_release(&p.html);
	strbuf_release(&p.attach);
	return r;
}

static int is_prefix_word(const char *s, size_t n)
{
	static const char *const words[] = { "re", "fwd", "fw", "aw", "sv", "wg", "antw", NULL };
	size_t i;

	for (i = 0; words[i]; i++)
		if (strlen(words[i]) == n && !strncasecmp(s, words[i], n))
			return 1;
	return 0;
}

int psm_subject_clean(struct strbuf *out, const char *subject)
{
	struct strbuf line = STRBUF_INIT;
	const char *s;
	int r;

	/* one line of its words first (escape sequences out whole), then the
	 * prefixes: an escape in front of "Re:" does not keep it */
	if ((r = psm_one_line(&line, subject ? subject : "", subject ? strlen(subject) : 0)) < 0) {
		strbuf_release(&line);
		return r;
	}
	s = line.buf;
	for (;;) {
		size_t n;

		while (*s == ' ')
			s++;
		if (*s == '[' && strchr(s, ']')) {
			s = strchr(s, ']') + 1;
			continue;
		}
		for (n = 0; isalpha((unsigned char)s[n]); n++)
			;
		if (n && is_prefix_word(s, n)) {
			const char *p = s + n;

			if (*p == '[' || *p == '(') { /* "Re[2]:", "AW(3):" */
				const char *q = p + 1;

				while (isdigit((unsigned char)*q))
					q++;
				if (*q == ']' || *q == ')')
					p = q + 1;
			}
			while (*p == ' ')
				p++;
			if (*p == ':' || (p[0] == '\xef' && p[1] == '\xbc' && p[2] == '\x9a')) {
				s = p + (*p == ':' ? 1 : 3);
				continue;
			}
		}
		break;
	}
	strbuf_addstr(out, s);
	strbuf_release(&line);
	return out->oom ? psm_oom() : 0;
}

/* g_strdup_printf results are freed with free() elsewhere: copy them. */
static char *own(char *g)
{
	char *s = g ? psm_strdup(g) : NULL;

	g_free(g);
	return s;
}

/* "<id>" for each message ID in a References-style header, appended. */
static int add_ids(struct psm_mail *m, const char *header)
{
	GMimeReferences *refs;
	int i, n, r = 0;

	if (!header || !(refs = g_mime_references_parse(NULL, header)))
		return 0;
	n = g_mime_references_length(refs);
	for (i = 0; i < n && !r; i++) {
		const char *id = g_mime_references_get_message_id(refs, i);
		char **nv;
		size_t k;

		if (!id || !*id)
			continue;
		for (k = 0; k < m->nparents; k++)
			if (!strncmp(m->parents[k] + 1, id, strlen(id)) &&
			    m->parents[k][strlen(id) + 1] == '>')
				break;
		if (k < m->nparents)
			continue;
		if (!(nv = realloc(m->parents, (m->nparents + 1) * sizeof(*nv)))) {
			r = psm_oom();
			break;
		}
		m->parents = nv;
		if (!(m->parents[m->nparents] = own(g_strdup_printf("<%s>", id))))
			r = psm_oom();
		else
			m->nparents++;
	}
	g_mime_references_free(refs);
	return r;
}

/* In-Reply-To first, then References from the newest (last) back. */
static int read_parents(struct psm_mail *m, GMimeMessage *msg)
{
	GMimeObject *o = GMIME_OBJECT(msg);
	size_t before;
	int r;

	if ((r = add_ids(m, g_mime_object_get_header(o, "In-Reply-To"))) < 0)
		return r;
	before = m->nparents;
	if ((r = add_ids(m, g_mime_object_get_header(o, "References"))) < 0)
		return r;
	for (size_t i = before, j = m->nparents; i + 1 < j; i++, j--) {
		char *t = m->parents[i];

		m->parents[i] = m->parents[j - 1];
		m->parents[j - 1] = t;
	}
	return 0;
}

static void read_from(struct psm_mail *m, GMimeMessage *msg)
{
	InternetAddressList *from = g_mime_message_get_from(msg);
	InternetAddress *ia;
	const char *name, *addr;

	if (!from || internet_address_list_length(from) < 1)
		return;
	ia = internet_address_list_get_address(from, 0);
	if (INTERNET_ADDRESS_IS_GROUP(ia)) {
		InternetAddressList *members = internet_address_group_get_members(INTERNET_ADDRESS_GROUP(ia));

		if (!members || internet_address_list_length(members) < 1)
			return;
		ia = internet_address_list_get_address(members, 0);
	}
	name = internet_address_get_name(ia);
	if (name && *name) {
		struct strbuf sb = STRBUF_INIT;

		add_oneline(&sb, name);
		m->from_name = strbuf_detach(&sb, NULL);
	}
	addr = INTERNET_ADDRESS_IS_MAILBOX(ia)
		       ? internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia)) : NULL;
	if (addr && *addr)
		m->from_email = psm_strdup(addr);
}

/* A message GMime reads from text (a file, a report's text/rfc822-headers),
 * NULL when it cannot; the caller unrefs it. The stream is copied, and
 * the message holds what it still needs of it. */
static GMimeMessage *parse_message(const char *text, size_t len)
{
	GMimeStream *stream = g_mime_stream_mem_new_with_buffer(text, len);
	GMimeParser *parser = g_mime_parser_new_with_stream(stream);
	GMimeMessage *msg;

	g_mime_parser_set_format(parser, GMIME_FORMAT_MESSAGE);
	msg = g_mime_parser_construct_message(parser, NULL);
	g_object_unref(parser);
	g_object_unref(stream);
	return msg;
}

struct report_walk {
	struct psm_mail *m;
	int done, dsn_done, r;
};

/* A delivery report's verdict, from its message/delivery-status part
 * (its transfer encoding undone). */
static int read_dsn(struct psm_mail *m, GMimePart *part)
{
	GMimeDataWrapper *w = g_mime_part_get_content(part);
	GMimeStream *mem = w ? g_mime_stream_mem_new() : NULL;
	GByteArray *a;
	struct strbuf status = STRBUF_INIT;
	int r = 0;

	if (!mem)
		return 0;
	if (g_mime_data_wrapper_write_to_stream(w, mem) >= 0 &&
	    (a = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem))) &&
	    (r = psm_mail_dsn(&m->delivery, &status, (const char *)a->data, a->len)) == 0 &&
	    status.len && !(m->delivery_status = strbuf_detach(&status, NULL)))
		r = psm_oom();
	g_object_unref(mem);
	strbuf_release(&status);
	return r;
}

/* The message a report is about (a bounce's returned message, or only its
 * headers): its Message-ID, In-Reply-To and References join the parents,
 * so a bounce of psm's follow-up names the issue it was about. */
static void report_visit(GMimeObject *parent, GMimeObject *part, gpointer data)
{
	struct report_walk *w = data;
	GMimeContentType *ct = g_mime_object_get_content_type(part);
	GMimeMessage *inner = NULL, *parsed = NULL;
	static const char *const hdr[] = { "Message-ID", "In-Reply-To", "References" };
	size_t i;

	(void)parent;
	if (w->r < 0)
		return;
	if (!w->dsn_done && GMIME_IS_PART(part) && ct &&
	    (g_mime_content_type_is_type(ct, "message", "delivery-status") ||
	     g_mime_content_type_is_type(ct, "message", "global-delivery-status"))) {
		w->dsn_done = 1;
		w->r = read_dsn(w->m, GMIME_PART(part));
		return;
	}
	if (w->done)
		return;
	if (GMIME_IS_MESSAGE_PART(part)) {
		inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(part));
	} else if (GMIME_IS_TEXT_PART(part) && ct &&
		   g_mime_content_type_is_type(ct, "text", "rfc822-headers")) {
		char *t = g_mime_text_part_get_text(GMIME_TEXT_PART(part));

		inner = parsed = t ? parse_message(t, strlen(t)) : NULL;
		g_free(t);
	}
	if (!inner)
		return;
	w->done = 1;
	for (i = 0; i < 3 && w->r >= 0; i++)
		w->r = add_ids(w->m, g_mime_object_get_header(GMIME_OBJECT(inner), hdr[i]));
	if (parsed)
		g_object_unref(parsed);
}

/* Mail no person wrote is told by its headers (email-auto.c). */
static int read_automatic(struct psm_mail *m, GMimeMessage *msg)
{
	GMimeObject *o = GMIME_OBJECT(msg), *top = g_mime_message_get_mime_part(msg);
	GMimeContentType *ct = top ? g_mime_object_get_content_type(top) : NULL;
	struct psm_mail_auto_in h = {
		g_mime_object_get_header(o, "Auto-Submitted"),
		g_mime_object_get_header(o, "X-Autoreply"),
		g_mime_object_get_header(o, "X-Autorespond"),
		g_mime_object_get_header(o, "Precedence"),
		g_mime_object_get_header(o, "Return-Path"),
		m->from_email, NULL,
		ct ? g_mime_content_type_get_parameter(ct, "report-type") : NULL,
	};
	struct strbuf why = STRBUF_INIT;
	struct report_walk w = { m, 0, 0, 0 };
	char *type = ct ? g_mime_content_type_get_mime_type(ct) : NULL;
	int r;

	h.content_type = type;
	r = psm_mail_automatic(&why, &m->auto_kind, &h);
	g_free(type);
	if (r <= 0) {
		strbuf_release(&why);
		return r;
	}
	m->automatic = strbuf_detach(&why, NULL);
	if (!m->automatic)
		return psm_oom();
	if (m->auto_kind == PSM_MAIL_BOUNCE || m->auto_kind == PSM_MAIL_RECEIPT)
		g_mime_message_foreach(msg, report_visit, &w);
	return w.r;
}

/* The first line of the body, cut to about 80 bytes: a title for mail
 * with no subject. */
static void title_from_body(struct strbuf *out, const struct strbuf *body)
{
	size_t n = strcspn(body->buf, "\n");

	if (!n || !strncmp(body->buf, "Attachments: ", 13)) {
		strbuf_addstr(out, "(no subject)");
		return;
	}
	if (n > 80) {
		n = 80;
		while (n && ((unsigned char)body->buf[n] & 0xc0) == 0x80)
			n--; /* not inside a UTF-8 sequence */
	}
	strbuf_add(out, body->buf, n);
	strbuf_rtrim(out);
}

static int read_message(struct psm_mail *m, GMimeMessage *msg)
{
	GMimeObject *o = GMIME_OBJECT(msg);
	struct strbuf sb = STRBUF_INIT;
	const char *subject = g_mime_message_get_subject(msg);
	const char *id = g_mime_message_get_message_id(msg);
	GDateTime *date = g_mime_message_get_date(msg);
	int r;

	if (!g_mime_object_get_header(o, "From") && !g_mime_object_get_header(o, "Subject") &&
	    !g_mime_object_get_header(o, "Date") && !g_mime_object_get_header(o, "Message-ID"))
		return psm_error(PSM_EPARSE, "not an e-mail message: no From, Subject, Date or Message-ID header");
	if (subject && !(m->subject = psm_strdup(subject)))
		return psm_oom();
	if (id && *id && !(m->message_id = own(g_strdup_printf("<%s>", id))))
		return psm_oom();
	if (date)
		m->date = g_date_time_to_unix(date);
	read_from(m, msg);
	if ((r = read_parents(m, msg)) < 0 || (r = read_automatic(m, msg)) < 0 ||
	    (r = make_body(&m->body, msg)) < 0)
		return r;
	if ((r = psm_subject_clean(&sb, subject)) < 0)
		goto out;
	if (!sb.len && subject) /* only tags: keep them rather than nothing */
		add_oneline(&sb, subject), strbuf_rtrim(&sb);
	if (!sb.len && !m->body.len) {
		r = psm_error(PSM_EPARSE, "nothing to take in: no subject and no text");
		goto out;
	}
	if (!sb.len)
		title_from_body(&sb, &m->body);
	if (!(m->title = strbuf_detach(&sb, NULL)))
		return psm_oom();
	if (m->message_id) {
		m->ref = psm_strdup(m->message_id);
	} else {
		/* No Message-ID: the content identifies it, so a re-import still matches. */
		strbuf_addf(&sb, "%s\n%s\n%s\n%lld\n", m->subject ? m->subject : "",
			    m->from_email ? m->from_email : "", m->from_name ? m->from_name : "",
			    (long long)m->date);
		strbuf_addbuf(&sb, &m->body);
		char *sum = g_compute_checksum_for_data(G_CHECKSUM_SHA256,
							(const guchar *)sb.buf, sb.len);

		m->ref = own(g_strdup_printf("sha256:%s", sum));
		g_free(sum);
	}
	r = m->ref && !sb.oom ? 0 : psm_oom();
out:
	strbuf_release(&sb);
	return r;
}

static int from_message(struct psm_mail **out, GMimeMessage *msg)
{
	struct psm_mail *m = calloc(1, sizeof(*m));
	int r;

	*out = NULL;
	if (!m)
		return psm_oom();
	strbuf_init(&m->body, 0);
	if ((r = read_message(m, msg)) < 0) {
		psm_mail_free(m);
		return r;
	}
	*out = m;
	return 0;
}

int psm_mail_parse(struct psm_mail **out, const char *data, size_t len)
{
	GMimeMessage *msg;
	int r;

	*out = NULL;
	if ((r = psm_mail_ready()) < 0)
		return r;
	if (!(msg = parse_message(data, len)))
		return psm_error(PSM_EPARSE, "not an e-mail message: GMime could not parse it");
	r = from_message(out, msg);
	g_object_unref(msg);
	return r;
}

int psm_mail_address_ok(const char *a)
{
	const char *at, *p;

	if (!a || !*a || strlen(a) > 254 || !(at = strrchr(a, '@')) || at == a || !at[1])
		return 0;
	for (p = a; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if (c <= ' ' || c >= 0x7f || strchr("<>()[]\\,;:\"", c))
			return 0;
		if (c == '@' && p != at)
			return 0;
	}
	return at[1] != '.' && !strstr(at, "..");
}

int psm_mail_who(struct strbuf *out, const struct psm_mail *m)
{
	if (m->from_name && m->from_email)
		strbuf_addf(out, "%s <%s>", m->from_name, m->from_email);
	else if (m->from_email || m->from_name)
		strbuf_addstr(out, m->from_email ? m->from_email : m->from_name);
	else
		strbuf_addstr(out, "unknown sender");
	return out->oom ? psm_oom() : 0;
}

int psm_mail_to_issue(struct psm_issue *issue, const struct psm_mail *m, const char *source,
		      const char *now)
{
	struct strbuf date = STRBUF_INIT;
	struct psm_node *list = NULL, *rep = NULL;
	const char *created = now;
	int r = 0;

	if (m->date && !psm_time_format(&date, m->date))
		created = date.buf;
	if (!source)
		source = "email";
	if (psm_issue_set(issue, "title", m->title) < 0 || psm_issue_set(issue, "status", "new") < 0 ||
	    psm_issue_set(issue, "source", source) < 0 ||
	    psm_issue_set(issue, "created", created) < 0 || psm_issue_set(issue, "updated", now) < 0)
		goto fail;
	if (m->from_name || m->from_email) {
		if (!(list = psm_node_new(PSM_SEQ)) || !(rep = psm_node_new(PSM_MAP)))
			goto fail;
		if ((m->from_name && psm_node_set_str(rep, "name", m->from_name) < 0) ||
		    (m->from_email && psm_node_set_str(rep, "email", m->from_email) < 0) ||
		    psm_node_set_str(rep, "channel", source) < 0 ||
		    psm_node_set_str(rep, "at", created) < 0 ||
		    psm_node_set_str(rep, "ref", m->ref) < 0)
			goto fail;
		if (psm_node_push(list, rep) < 0) {
			rep = NULL;
			goto fail;
		}
		rep = NULL;
		if (psm_issue_set_node(issue, "reporters", list) < 0) {
			list = NULL;
			goto fail;
		}
		list = NULL;
	}
	strbuf_reset(&issue->body);
	strbuf_addbuf(&issue->body, &m->body);
	if (issue->body.oom)
		goto fail;
	goto out;
fail:
	r = psm_oom();
out:
	psm_node_free(rep);
	psm_node_free(list);
	strbuf_release(&date);
	return r;
}
