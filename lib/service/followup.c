#include "psm/followup.h"

#include <errno.h>
#include <string.h>

#include "psm/body.h"
#include "psm/conflict.h"
#include "psm/error.h"
#include "psm/utf8.h"
#include "psm/render.h"

static const struct {
	const char *resolution;
	const char *text;
} builtin[] = {
	{ "fixed",
	  "Hi {name},\n\n"
	  "You told us about \"{title}\". It is fixed now.\n\n"
	  "{release_note}\n\n"
	  "Thank you for taking the time to report it.\n\n"
	  "{sender}\n" },
	{ "documented",
	  "Hi {name},\n\n"
	  "You asked us about \"{title}\". We have written it up in our documentation now.\n\n"
	  "{release_note}\n\n"
	  "Thank you for asking; the next person will find the answer there.\n\n"
	  "{sender}\n" },
	{ "answered",
	  "Hi {name},\n\n"
	  "Following up on \"{title}\": we answered it and are closing it on our side.\n"
	  "If anything is still unclear, just reply to this message.\n\n"
	  "{sender}\n" },
	{ "wontfix",
	  "Hi {name},\n\n"
	  "Thank you for telling us about \"{title}\". We looked at it carefully and\n"
	  "decided not to change this for now.\n\n"
	  "{release_note}\n\n"
	  "Your report is on record, and we will look at it again if things change.\n\n"
	  "{sender}\n" },
	/* psm park, when psm.notify has park (cmd/notify.c fills {reason} and
	 * {parked_until}) */
	{ "parked",
	  "Hi {name},\n\n"
	  "Thank you for telling us about \"{title}\". We want to be clear with you:\n"
	  "we are not working on it now.\n\n"
	  "{reason}\n\n"
	  "We will look at it again after {parked_until}.\n\n"
	  "{sender}\n" },
	{ "cannot-reproduce",
	  "Hi {name},\n\n"
	  "Thank you for reporting \"{title}\". We tried, but could not make it happen\n"
	  "on our side, so we are closing it for now. If you see it again, reply with\n"
	  "what you were doing and we will reopen it.\n\n"
	  "{sender}\n" },
	{ NULL,
	  "Hi {name},\n\n"
	  "An update on \"{title}\": we have closed it ({resolution}).\n\n"
	  "{release_note}\n\n"
	  "Thank you for telling us about it.\n\n"
	  "{sender}\n" },
};

const char *psm_followup_builtin(const char *resolution)
{
	size_t i;

	for (i = 0; builtin[i].resolution; i++)
		if (psm_streq(builtin[i].resolution, resolution))
			break;
	return builtin[i].text;
}

/* Read .psm/templates/NAME.md; 1 if read, 0 if absent. */
static int read_template(struct strbuf *out, struct strbuf *source, struct psm_store *s,
			 const char *name)
{
	struct strbuf path = STRBUF_INIT;
	int r = 0, line;

	/* a resolution comes from a file: never let it walk out of the folder */
	if (!name || !*name || *name == '.' || strchr(name, '/') || strchr(name, '\\'))
		return 0;
	strbuf_addf(&path, "%s%s/%s.md", s->root, PSM_TEMPLATE_DIR, name);
	if (strbuf_read_file(out, path.buf, 1 << 20) < 0) {
		if (errno != ENOENT)
			r = psm_error_errno(PSM_ERROR, "could not read template '%s'", path.buf);
		goto out;
	}
	strbuf_reset(source);
	strbuf_addf(source, "%s/%s.md", PSM_TEMPLATE_DIR, name);
	r = 1;
	/* templates are tracked files too: a merge may leave markers in one */
	if ((line = psm_conflict_line(out->buf, out->len)))
		r = psm_error(PSM_EINVALID, "%s:%d: unresolved merge conflict in the template: resolve it (keep one side, delete the marker lines) before psm drafts follow-ups with it",
			      source->buf, line);
out:
	strbuf_release(&path);
	return r;
}

int psm_followup_template(struct strbuf *out, struct strbuf *source, struct psm_store *s,
			  const char *resolution)
{
	int r;

	if ((r = read_template(out, source, s, resolution)) != 0 ||
	    (r = read_template(out, source, s, "default")) != 0)
		return r < 0 ? r : 0;
	strbuf_reset(source);
	strbuf_addstr(source, "built-in");
	strbuf_addstr(out, psm_followup_builtin(resolution));
	return out->oom ? psm_oom() : 0;
}

/* The value of placeholder `key` (length len), or NULL if unknown. */
static const char *placeholder(const char *key, size_t len, const struct psm_issue *issue,
			       const struct psm_node *rep, const char *short_id,
			       const char *sender, const char *release_note)
{
	static const char *const fields[] = { "title", "id", "resolution", "customer", "owner", NULL };
	static const char *const rfields[] = { "email", "contact", "channel", NULL };
	const char *v;
	size_t i;

#define IS(k) (len == strlen(k) && !strncmp(key, k, len))
	if (IS("name")) {
		if ((v = psm_node_get_str(rep, "name")) && *v)
			return v;
		if ((v = psm_node_get_str(rep, "email")) && *v)
			return v;
		v = psm_node_get_str(rep, "contact");
		return v && *v ? v : "there";
	}
	for (i = 0; fields[i]; i++)
		if (IS(fields[i]))
			return (v = psm_issue_get(issue, fields[i])) ? v : "";
	for (i = 0; rfields[i]; i++)
		if (IS(rfields[i]))
			return (v = psm_node_get_str(rep, rfields[i])) ? v : "";
	if (IS("short_id"))
		return short_id ? short_id : psm_issue_get(issue, "id");
	if (IS("sender"))
		return sender ? sender : "";
	if (IS("release_note"))
		return release_note;
#undef IS
	return NULL;
}

/* Collapse three or more newlines into two; end with exactly one. */
static void tidy(struct strbuf *out, size_t from)
{
	size_t i, o = from, nl = 0, lead = 0;

	for (i = from; i < out->len; i++) {
		nl = out->buf[i] == '\n' ? nl + 1 : 0;
		if (nl <= 2)
			out->buf[o++] = out->buf[i];
	}
	while (o > from && strchr(" \t\r\n", out->buf[o - 1]))
		o--;
	while (from + lead < o && out->buf[from + lead] == '\n')
		lead++;
	memmove(out->buf + from, out->buf + from + lead, o - from - lead);
	strbuf_setlen(out, o - lead);
	strbuf_addch(out, '\n');
}

int psm_followup_draft(struct strbuf *out, const char *tmpl, const struct psm_issue *issue,
		       const struct psm_node *reporter, const char *short_id, const char *sender)
{
	struct strbuf sec = STRBUF_INIT, bare = STRBUF_INIT, draft = STRBUF_INIT, safe = STRBUF_INIT;
	const struct strbuf *note = &sec;
	const char *p = tmpl;
	int r, line;

	if ((r = psm_issue_refuse_conflict(issue, "psm drafts a follow-up from it")) < 0 ||
	    (r = psm_body_get(&sec, &issue->body, "Release note")) < 0)
		goto out;
	/* without the team's <!-- comments -->: this goes to a customer (no
	 * copy for a note without: a command drafts for thousands) */
	if (strstr(sec.buf, "<!--")) {
		if ((r = psm_markdown_drop_comments(&bare, sec.buf)) < 0)
			goto out;
		note = &bare;
	}
	/* grown once, not doubling from nothing: a command drafts for
	 * thousands of people, on every core, and malloc's locks are shared */
	strbuf_grow(&draft, strlen(tmpl) + note->len + 256);
	while (*p) {
		const char *close = *p == '{' ? strchr(p + 1, '}') : NULL;
		size_t klen = close ? (size_t)(close - p - 1) : 0;
		const char *v = close ? placeholder(p + 1, klen, issue, reporter, short_id, sender,
						    note->buf) : NULL;

		if (v) {
			/* a field is one line of its words (no control turned
			 * into U+FFFD below); the release note keeps its lines */
			if (klen == strlen("release_note") && !strncmp(p + 1, "release_note", klen))
				strbuf_addstr(&draft, v);
			else if ((r = psm_one_line(&draft, v, strlen(v))) < 0)
				goto out;
			p = close + 1;
		} else if (*p == '{') {
			strbuf_addch(&draft, *p++);
		} else { /* the template's own text, up to the next placeholder */
			size_t n = strcspn(p, "{");

			strbuf_add(&draft, p, n);
			p += n;
		}
	}
	tidy(&draft, 0);
	if (draft.oom) {
		r = psm_oom();
		goto out;
	}
	/* it goes to a customer's mail client or chat: no escape sequence,
	 * control or bidi character from anyone's text (render.h) */
	strbuf_grow(&safe, draft.len + 64);
	if ((r = psm_sanitize(&safe, draft.buf, draft.len, 1)) < 0)
		goto out;
	/* a title or name that the template puts at the start of a line */
	if ((line = psm_conflict_line(safe.buf, safe.len))) {
		r = psm_error(PSM_EINVALID, "%s: line %d of the follow-up draft would look like a merge conflict marker; change the template or the text it takes",
			      issue->path ? issue->path : "-", line);
		goto out;
	}
	r = strbuf_addbuf(out, &safe) < 0 ? psm_oom() : 0;
out:
	strbuf_release(&sec);
	strbuf_release(&bare);
	strbuf_release(&draft);
	strbuf_release(&safe);
	return r;
}
