/* A reporter's e-mail thread in an issue, from what psm recorded (psm/mail.h). */
#include "psm/mail.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "psm/error.h"
#include "psm/grow.h"
#include "psm/timeline.h"

#define TO_OPEN "<!-- psm-to: "
#define TO_CLOSE " -->"

void psm_mail_thread_release(struct psm_mail_thread *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		free(t->refs[i]);
	free(t->refs);
	memset(t, 0, sizeof(*t));
}

/* Add ref unless present; *at gets its slot. */
static int add_ref(struct psm_mail_thread *t, const char *ref, size_t *at)
{
	char **nv;
	size_t i;

	for (i = 0; i < t->n; i++)
		if (!strcmp(t->refs[i], ref)) {
			*at = i;
			return 0;
		}
	if (!(nv = psm_grow(t->refs, t->n, &t->alloc, sizeof(*nv), 8)))
		return psm_oom();
	t->refs = nv;
	if (!(t->refs[t->n] = psm_strdup(ref)))
		return psm_oom();
	*at = t->n++;
	return 0;
}

/* Is `who` (a timeline signature: "Name <addr>" or "addr") this address? */
static int signed_by(const char *who, size_t len, const char *addr)
{
	size_t n = strlen(addr);
	const char *lt = memchr(who, '<', len);

	if (lt && len >= n + 2 && who[len - 1] == '>' && (size_t)(who + len - 1 - lt - 1) == n)
		return !strncasecmp(lt + 1, addr, n);
	return len == n && !strncasecmp(who, addr, n);
}

/* Does the entry's text hold psm's marker for a message sent to addr? */
static int sent_to(const char *text, size_t len, const char *addr)
{
	size_t n = strlen(addr), k = strlen(TO_OPEN);
	const char *p = text, *end = text + len;

	while (p < end && (p = memchr(p, '<', (size_t)(end - p)))) {
		if ((size_t)(end - p) >= k + n + strlen(TO_CLOSE) && !memcmp(p, TO_OPEN, k) &&
		    !strncasecmp(p + k, addr, n) && !memcmp(p + k + n, TO_CLOSE, strlen(TO_CLOSE)))
			return 1;
		p++;
	}
	return 0;
}

int psm_mail_thread(struct psm_mail_thread *t, const struct psm_issue *issue,
		    const struct psm_node *reporter)
{
	const char *addr = psm_node_get_str(reporter, "email"), *ref = psm_node_get_str(reporter, "ref");
	struct psm_timeline_entry e;
	struct strbuf eref = STRBUF_INIT;
	size_t pos = 0, at, newest = (size_t)-1;
	int r = 0, has;

	memset(t, 0, sizeof(*t));
	if (ref && psm_mail_id_ok(ref)) {
		if ((r = add_ref(t, ref, &at)) < 0)
			goto cleanup;
		newest = at;
	}
	while (addr && (r = psm_timeline_next(&issue->body, &pos, &e)) > 0) {
		const char *h = issue->body.buf + e.start, *kind, *dash, *who;
		size_t hlen = e.heading_len, klen;

		strbuf_reset(&eref);
		if ((has = psm_timeline_ref(&eref, &issue->body, &e)) < 0) {
			r = has;
			goto cleanup;
		}
		if (!has || !psm_mail_id_ok(eref.buf))
			continue;
		kind = e.time + e.time_len + 1;
		if (kind >= h + hlen || !(dash = strstr(kind, " \xe2\x80\x94 ")) || dash >= h + hlen)
			continue;
		klen = (size_t)(dash - kind);
		who = dash + 5;
		if (klen == 8 && !memcmp(kind, "customer", 8) &&
		    signed_by(who, (size_t)(h + hlen - who), addr)) {
			if ((r = add_ref(t, eref.buf, &at)) < 0)
				goto cleanup;
			newest = at;
		} else if (klen == 5 && !memcmp(kind, "reply", 5) &&
			   sent_to(issue->body.buf + e.start, e.end - e.start, addr)) {
			if ((r = add_ref(t, eref.buf, &at)) < 0)
				goto cleanup;
		}
	}
	if (r < 0)
		goto cleanup;
	r = 0;
	t->in_reply_to = newest != (size_t)-1 ? t->refs[newest] : NULL;
cleanup:
	if (r < 0)
		psm_mail_thread_release(t);
	strbuf_release(&eref);
	return r;
}

int psm_mail_sent(const struct psm_issue *issue, const char *message_id)
{
	struct psm_timeline_entry e;
	struct strbuf ref = STRBUF_INIT;
	size_t pos = 0;
	int r, found = 0;

	while (!found && (r = psm_timeline_next(&issue->body, &pos, &e)) > 0) {
		strbuf_reset(&ref);
		if ((r = psm_timeline_ref(&ref, &issue->body, &e)) < 0)
			break;
		found = r && !strcmp(ref.buf, message_id);
	}
	strbuf_release(&ref);
	return r < 0 ? r : found;
}

int psm_mail_to_line(struct strbuf *out, const char *to_email)
{
	if (!psm_mail_address_ok(to_email))
		return psm_error(PSM_EINVALID, "'%s' is not an e-mail address", to_email);
	strbuf_addf(out, "%s%s%s\n", TO_OPEN, to_email, TO_CLOSE);
	return out->oom ? psm_oom() : 0;
}
