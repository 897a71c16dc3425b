/* An outgoing message, built by GMime (psm/mail.h). */
#include "psm/mail.h"

#include <glib.h>
#include <gmime/gmime.h>
#include <string.h>
#include <strings.h>

#include "psm/conflict.h"
#include "psm/dl.h"
#include "psm/email.h"
#include "psm/error.h"
#include "psm/utf8.h"

/*
 * GMime is loaded on first use, not linked, and set up by e-mail intake's
 * psm_mail_ready() (lib/intake/email.c says why and how): these are the
 * functions this file calls, and the macros after the table send their
 * names through it.
 */
#define GMIME_FUNCS(X, t) \
	X(t, g_mime_data_wrapper_new_with_stream) \
	X(t, g_mime_message_get_from) \
	X(t, g_mime_message_get_to) \
	X(t, g_mime_message_new) \
	X(t, g_mime_message_set_date) \
	X(t, g_mime_message_set_message_id) \
	X(t, g_mime_message_set_mime_part) \
	X(t, g_mime_message_set_subject) \
	X(t, g_mime_object_get_type) \
	X(t, g_mime_object_set_content_type_parameter) \
	X(t, g_mime_object_set_header) \
	X(t, g_mime_object_to_string) \
	X(t, g_mime_part_get_type) \
	X(t, g_mime_part_set_content) \
	X(t, g_mime_part_set_content_encoding) \
	X(t, g_mime_stream_mem_new_with_buffer) \
	X(t, g_mime_text_part_new_with_subtype) \
	X(t, internet_address_list_add) \
	X(t, internet_address_mailbox_new) \
	X(t, g_object_unref) \
	X(t, g_type_check_instance_cast)

PSM_DL_TABLE(gm, GMIME_FUNCS);

static struct psm_dl libgmime = {
	.what = "GMime",
	.soname = PSM_LIBGMIME_SONAME,
	.hint = "e-mail intake and sending need it: install GMime 3",
	.syms = gm_syms,
	.nsyms = sizeof(gm_syms) / sizeof(gm_syms[0]),
};

#define g_mime_data_wrapper_new_with_stream(...) (gm.g_mime_data_wrapper_new_with_stream(__VA_ARGS__))
#define g_mime_message_get_from(...) (gm.g_mime_message_get_from(__VA_ARGS__))
#define g_mime_message_get_to(...) (gm.g_mime_message_get_to(__VA_ARGS__))
#define g_mime_message_new(...) (gm.g_mime_message_new(__VA_ARGS__))
#define g_mime_message_set_date(...) (gm.g_mime_message_set_date(__VA_ARGS__))
#define g_mime_message_set_message_id(...) (gm.g_mime_message_set_message_id(__VA_ARGS__))
#define g_mime_message_set_mime_part(...) (gm.g_mime_message_set_mime_part(__VA_ARGS__))
#define g_mime_message_set_subject(...) (gm.g_mime_message_set_subject(__VA_ARGS__))
#define g_mime_object_get_type(...) (gm.g_mime_object_get_type(__VA_ARGS__))
#define g_mime_object_set_content_type_parameter(...) (gm.g_mime_object_set_content_type_parameter(__VA_ARGS__))
#define g_mime_object_set_header(...) (gm.g_mime_object_set_header(__VA_ARGS__))
#define g_mime_object_to_string(...) (gm.g_mime_object_to_string(__VA_ARGS__))
#define g_mime_part_get_type(...) (gm.g_mime_part_get_type(__VA_ARGS__))
#define g_mime_part_set_content(...) (gm.g_mime_part_set_content(__VA_ARGS__))
#define g_mime_part_set_content_encoding(...) (gm.g_mime_part_set_content_encoding(__VA_ARGS__))
#define g_mime_stream_mem_new_with_buffer(...) (gm.g_mime_stream_mem_new_with_buffer(__VA_ARGS__))
#define g_mime_text_part_new_with_subtype(...) (gm.g_mime_text_part_new_with_subtype(__VA_ARGS__))
#define internet_address_list_add(...) (gm.internet_address_list_add(__VA_ARGS__))
#define internet_address_mailbox_new(...) (gm.internet_address_mailbox_new(__VA_ARGS__))
#define g_object_unref(...) (gm.g_object_unref(__VA_ARGS__))
#define g_type_check_instance_cast(...) (gm.g_type_check_instance_cast(__VA_ARGS__))

int psm_mail_id_ok(const char *id)
{
	size_t n = id ? strlen(id) : 0;
	const char *p;

	if (n < 5 || n > 998 || id[0] != '<' || id[n - 1] != '>' || !memchr(id, '@', n))
		return 0;
	for (p = id + 1; p < id + n - 1; p++) {
		unsigned char c = (unsigned char)*p;

		if (c <= ' ' || c >= 0x7f || c == '<' || c == '>' || c == '"' || c == '\\')
			return 0;
	}
	return 1;
}

/* One header line's worth of customer text: escape sequences out, controls
 * and line breaks (which could start a header of their own) one space,
 * what is left made safe (bidi controls, bytes that are not UTF-8). */
static int one_line(struct strbuf *out, const char *s)
{
	struct strbuf flat = STRBUF_INIT;
	int r;

	strbuf_reset(out);
	if ((r = psm_one_line(&flat, s ? s : "", s ? strlen(s) : 0)) == 0)
		r = psm_sanitize(out, flat.buf, flat.len, 0);
	strbuf_release(&flat);
	return r;
}

/* Does the text need quoted-printable: 8-bit, controls, long lines, a
 * line starting "From " (mbox) or a trailing space? */
static int needs_qp(const char *s)
{
	size_t col = 0;
	const char *p;

	if (!strncmp(s, "From ", 5) || strstr(s, "\nFrom "))
		return 1;
	for (p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if (c == '\n') {
			if (p > s && (p[-1] == ' ' || p[-1] == '\t'))
				return 1;
			col = 0;
			continue;
		}
		if (c >= 0x7f || (c < ' ' && c != '\t') || ++col > 76)
			return 1;
	}
	return 0;
}

static int add_mailbox(InternetAddressList *list, const char *name, const char *addr)
{
	struct strbuf n = STRBUF_INIT;
	InternetAddress *ia;
	int r;

	if ((r = one_line(&n, name)) < 0)
		return r;
	ia = internet_address_mailbox_new(n.len ? n.buf : NULL, addr);
	strbuf_release(&n);
	if (!ia)
		return psm_oom();
	internet_address_list_add(list, ia);
	g_object_unref(ia);
	return 0;
}

static int check(const struct psm_mail_msg *m)
{
	size_t i;
	int line;

	if (!psm_mail_address_ok(m->from_email))
		return psm_error(PSM_EINVALID, "'%s' is not an e-mail address to send from",
				 m->from_email ? m->from_email : "");
	if (!psm_mail_address_ok(m->to_email))
		return psm_error(PSM_EINVALID, "'%s' is not an e-mail address psm sends to",
				 m->to_email ? m->to_email : "");
	if (!psm_mail_id_ok(m->message_id))
		return psm_error(PSM_EINVALID, "'%s' is not a Message-ID",
				 m->message_id ? m->message_id : "");
	if (m->in_reply_to && !psm_mail_id_ok(m->in_reply_to))
		return psm_error(PSM_EINVALID, "'%s' is not a Message-ID", m->in_reply_to);
	for (i = 0; i < m->nrefs; i++)
		if (!psm_mail_id_ok(m->refs[i]))
			return psm_error(PSM_EINVALID, "'%s' is not a Message-ID", m->refs[i]);
	if (!m->text || !m->text[strspn(m->text, " \t\r\n")])
		return psm_error(PSM_EINVALID, "the message to %s is empty", m->to_email);
	if (!psm_utf8_valid(m->text, strlen(m->text)))
		return psm_error(PSM_EINVALID, "the message to %s is not UTF-8", m->to_email);
	if ((line = psm_conflict_line(m->text, strlen(m->text))))
		return psm_error(PSM_EINVALID,
				 "the message to %s holds a merge conflict marker (line %d): resolve it first",
				 m->to_email, line);
	return 0;
}

int psm_mail_compose(struct strbuf *out, const struct psm_mail_msg *m)
{
	struct strbuf subj = STRBUF_INIT, refs = STRBUF_INIT, id = STRBUF_INIT;
	GMimeMessage *msg = NULL;
	GMimeTextPart *part = NULL;
	GMimeDataWrapper *wrapper = NULL;
	GMimeStream *stream = NULL;
	GDateTime *date = NULL;
	char *data = NULL;
	size_t i;
	int r;

	/* GMime loaded and set up as intake does it, then this file's functions */
	if ((r = check(m)) < 0 || (r = psm_mail_ready()) < 0 || (r = psm_dl_load(&libgmime)) < 0)
		return r;
	if ((r = one_line(&id, m->subject)) < 0)
		goto cleanup;
	if (strncasecmp(id.buf, "re:", 3))
		strbuf_addstr(&subj, id.len ? "Re: " : "Re:");
	strbuf_addbuf(&subj, &id);
	strbuf_reset(&id);
	strbuf_add(&id, m->message_id + 1, strlen(m->message_id) - 2);
	for (i = 0; i < m->nrefs; i++)
		strbuf_addf(&refs, "%s%s", i ? " " : "", m->refs[i]);
	if (subj.oom || refs.oom || id.oom) {
		r = psm_oom();
		goto cleanup;
	}
	if (!(msg = g_mime_message_new(TRUE)) ||
	    !(date = g_date_time_new_from_unix_utc(m->date)) ||
	    !(part = g_mime_text_part_new_with_subtype("plain"))) {
		r = psm_oom();
		goto cleanup;
	}
	if ((r = add_mailbox(g_mime_message_get_from(msg), m->from_name, m->from_email)) < 0 ||
	    (r = add_mailbox(g_mime_message_get_to(msg), m->to_name, m->to_email)) < 0)
		goto cleanup;
	g_mime_message_set_subject(msg, subj.buf, "utf-8");
	g_mime_message_set_date(msg, date);
	g_mime_message_set_message_id(msg, id.buf);
	if (m->in_reply_to)
		g_mime_object_set_header(GMIME_OBJECT(msg), "In-Reply-To", m->in_reply_to, NULL);
	if (refs.len)
		g_mime_object_set_header(GMIME_OBJECT(msg), "References", refs.buf, NULL);
	/* the bytes as they are: g_mime_text_part_set_text() would convert
	 * them to a "best" charset (Latin-1) of its choosing */
	if (!(stream = g_mime_stream_mem_new_with_buffer(m->text, strlen(m->text))) ||
	    !(wrapper = g_mime_data_wrapper_new_with_stream(stream, GMIME_CONTENT_ENCODING_DEFAULT))) {
		r = psm_oom();
		goto cleanup;
	}
	g_mime_part_set_content(GMIME_PART(part), wrapper);
	g_mime_object_set_content_type_parameter(GMIME_OBJECT(part), "charset", "utf-8");
	g_mime_part_set_content_encoding(GMIME_PART(part), needs_qp(m->text)
					 ? GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE
					 : GMIME_CONTENT_ENCODING_7BIT);
	g_mime_message_set_mime_part(msg, GMIME_OBJECT(part));
	if (!(data = g_mime_object_to_string(GMIME_OBJECT(msg), NULL)) ||
	    strbuf_addstr(out, data) < 0)
		r = psm_oom();
cleanup:
	g_free(data);
	if (wrapper)
		g_object_unref(wrapper);
	if (stream)
		g_object_unref(stream);
	if (part)
		g_object_unref(part);
	if (msg)
		g_object_unref(msg);
	if (date)
		g_date_time_unref(date);
	strbuf_release(&subj);
	strbuf_release(&refs);
	strbuf_release(&id);
	return r;
}

int psm_mail_message_id(struct strbuf *out, const char *issue_id, const char *to_email,
			const char *kind, const char *text, const char *from_email)
{
	GChecksum *ck = g_checksum_new(G_CHECKSUM_SHA256);
	const char *domain = from_email ? strrchr(from_email, '@') : NULL;
	const char *hex;

	if (!ck)
		return psm_oom();
	g_checksum_update(ck, (const guchar *)issue_id, (gssize)strlen(issue_id) + 1);
	g_checksum_update(ck, (const guchar *)to_email, (gssize)strlen(to_email) + 1);
	g_checksum_update(ck, (const guchar *)kind, (gssize)strlen(kind) + 1);
	g_checksum_update(ck, (const guchar *)text, (gssize)strlen(text));
	hex = g_checksum_get_string(ck);
	strbuf_addf(out, "<psm.%s.%.20s@%s>", issue_id, hex,
		    domain && psm_mail_address_ok(from_email) ? domain + 1 : "psm.invalid");
	g_checksum_free(ck);
	return out->oom ? psm_oom() : 0;
}
