/* The service loop on issues in memory: label, own, answer, close, reopen. */
#include "psm/loop.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "psm/body.h"
#include "psm/error.h"
#include "psm/followup-owed.h"
#include "psm/people.h"
#include "psm/query.h"
#include "psm/validate.h"

/*
 * Whether an operation changed anything is decided on the file text: the
 * issue is formatted before and after, and `updated` moves only when they
 * differ. That makes every "nothing to do" case exact without bookkeeping.
 */
static int snapshot(struct strbuf *sb, const struct psm_issue *issue)
{
	strbuf_reset(sb);
	return psm_issue_format(sb, issue);
}

/* Returns 1 if unchanged, 0 after setting `updated`, or an error. */
static int finish(struct psm_issue *issue, struct strbuf *before, const char *now)
{
	struct strbuf after = STRBUF_INIT;
	int r;

	if ((r = psm_issue_format(&after, issue)) < 0)
		goto out;
	if (after.len == before->len && !memcmp(after.buf, before->buf, after.len)) {
		r = 1;
		goto out;
	}
	r = psm_issue_set(issue, "updated", now);
out:
	strbuf_release(&after);
	strbuf_release(before);
	return r;
}

static int one_line(const char *s)
{
	return s && *s && !strchr(s, '\n') && !strchr(s, '\r');
}

int psm_loop_tag(struct psm_issue *issue, const char *const *add, size_t nadd,
		 const char *const *remove, size_t nremove, const char *now)
{
	struct strbuf before = STRBUF_INIT;
	size_t i, j;
	int r;

	for (i = 0; i < nadd + nremove; i++) {
		const char *l = i < nadd ? add[i] : remove[i - nadd];

		if (!psm_label_valid(l))
			return psm_error(PSM_EINVALID,
					 "invalid label '%s': labels are single words without commas that do not start with '+' or '-'",
					 l);
	}
	for (i = 0; i < nadd; i++)
		for (j = 0; j < nremove; j++)
			if (!strcmp(add[i], remove[j]))
				return psm_error(PSM_EINVALID, "label '%s' is both added and removed", add[i]);
	if ((r = snapshot(&before, issue)) < 0)
		goto fail;
	for (i = 0; i < nadd; i++)
		if ((r = psm_issue_list_add(issue, "labels", add[i])) < 0)
			goto fail;
	for (i = 0; i < nremove; i++)
		if ((r = psm_issue_list_remove(issue, "labels", remove[i])) < 0)
			goto fail;
	return finish(issue, &before, now);
fail:
	strbuf_release(&before);
	return r;
}

int psm_loop_assign(struct psm_issue *issue, const char *owner, const char *now)
{
	struct strbuf before = STRBUF_INIT;
	int r;

	if (owner && !one_line(owner))
		return psm_error(PSM_EINVALID, "invalid owner '%s': give a name or an e-mail address on one line",
				 owner);
	if ((r = snapshot(&before, issue)) < 0 ||
	    (r = psm_issue_set(issue, "owner", owner)) < 0) {
		strbuf_release(&before);
		return r;
	}
	return finish(issue, &before, now);
}

int psm_loop_timeline(struct psm_issue *issue, const char *kind, const char *who,
		      const char *text, const char *now)
{
	struct strbuf entry = STRBUF_INIT, quoted = STRBUF_INIT;
	int r;

	if (strcmp(kind, "reply") && strcmp(kind, "note") && strcmp(kind, "customer"))
		return psm_error(PSM_EINVALID, "unknown timeline kind '%s' (reply, note, customer)", kind);
	if (!one_line(who))
		return psm_error(PSM_EINVALID, "invalid author '%s' for a %s: one line, not empty",
				 who ? who : "", kind);
	if ((r = psm_body_quote(&quoted, text ? text : "")) < 0)
		goto out;
	if (!quoted.len) {
		r = psm_error(PSM_EINVALID, "the %s is empty", kind);
		goto out;
	}
	/* "### <time> <kind> — <who>" (docs/hacking.md) */
	strbuf_addf(&entry, "### %s %s \xe2\x80\x94 %s\n\n", now, kind, who);
	strbuf_addbuf(&entry, &quoted);
	if (entry.oom) {
		r = psm_oom();
		goto out;
	}
	if ((r = psm_body_append(&issue->body, "Timeline", entry.buf)) < 0)
		goto out;
	if (!strcmp(kind, "reply") && !psm_issue_get(issue, "responded") &&
	    (r = psm_issue_set(issue, "responded", now)) < 0)
		goto out;
	r = psm_issue_set(issue, "updated", now);
out:
	strbuf_release(&entry);
	strbuf_release(&quoted);
	return r;
}

/* One paragraph: runs of whitespace (newlines too) become one space. */
static int one_paragraph(struct strbuf *out, const char *text)
{
	const char *p;

	for (p = text; *p; p++) {
		if (strchr(" \t\r\n", *p)) {
			if (out->len && out->buf[out->len - 1] != ' ')
				strbuf_addch(out, ' ');
			continue;
		}
		if (!out->len && *p == '#')
			strbuf_addch(out, '\\'); /* not a heading */
		strbuf_addch(out, *p);
	}
	strbuf_rtrim(out);
	return out->oom ? psm_oom() : 0;
}

/* Close without checks or `updated` (psm_loop_close and psm_loop_dup). */
static int do_close(struct psm_issue *issue, const char *resolution, const char *duplicate_of,
		    const char *release_note)
{
	int reclose = psm_streq(psm_issue_get(issue, "status"), "closed") &&
		      psm_issue_get(issue, "closed");
	int r;

	/* A fresh close, or a re-close with news for the reporters: follow-up owed. */
	if (!reclose || !psm_streq(psm_issue_get(issue, "resolution"), resolution))
		if ((r = psm_followup_clear(issue)) < 0)
			return r;
	if ((!reclose && (r = psm_issue_set(issue, "closed", NULL)) < 0) ||
	    (r = psm_issue_set(issue, "status", "closed")) < 0 ||
	    (r = psm_issue_set(issue, "resolution", resolution)) < 0 ||
	    (r = psm_issue_set(issue, "duplicate_of", duplicate_of)) < 0)
		return r;
	if (release_note && (r = psm_loop_release_note(issue, release_note)) < 0)
		return r;
	return 0;
}

int psm_loop_release_note(struct psm_issue *issue, const char *text)
{
	struct strbuf note = STRBUF_INIT;
	int r;

	if ((r = one_paragraph(&note, text)) < 0)
		goto out;
	if (!note.len)
		r = psm_error(PSM_EINVALID, "the release note is empty");
	else
		r = psm_body_replace(&issue->body, "Release note", note.buf);
out:
	strbuf_release(&note);
	return r;
}

/* Stamp `closed` (and `first_closed` the first time) on a fresh close. */
static int stamp_closed(struct psm_issue *issue, const char *now)
{
	int r = 0;

	if (!psm_issue_get(issue, "closed") && (r = psm_issue_set(issue, "closed", now)) < 0)
		return r;
	if (!psm_issue_get(issue, "first_closed"))
		r = psm_issue_set(issue, "first_closed", psm_issue_get(issue, "closed"));
	return r;
}

int psm_loop_close(struct psm_issue *issue, const char *resolution,
		   const char *duplicate_of, const char *release_note, const char *now)
{
	struct strbuf before = STRBUF_INIT;
	const char *id = psm_issue_get(issue, "id");
	int r;

	if (!one_line(resolution))
		return psm_error(PSM_EINVALID, "a resolution is required to close an issue");
	if (!strcmp(resolution, "duplicate") && !duplicate_of)
		return psm_error(PSM_EINVALID, "resolution 'duplicate' needs the issue it duplicates (--duplicate-of ID)");
	if (strcmp(resolution, "duplicate") && duplicate_of)
		return psm_error(PSM_EINVALID, "'duplicate_of' goes only with resolution 'duplicate', not '%s'",
				 resolution);
	if (duplicate_of && psm_streq(duplicate_of, id))
		return psm_error(PSM_EINVALID, "'%s' cannot be a duplicate of itself", id);
	if (release_note && !release_note[strspn(release_note, " \t\r\n")])
		return psm_error(PSM_EINVALID, "the release note is empty");
	/* Its reporters sit on the target: only a reopen takes them back. */
	if (psm_issue_get(issue, "duplicate_of") &&
	    !psm_streq(psm_issue_get(issue, "duplicate_of"), duplicate_of))
		return psm_error(PSM_EINVALID, "'%s' is closed as a duplicate of '%s': reopen it first",
				 id ? id : "?", psm_issue_get(issue, "duplicate_of"));
	if ((r = snapshot(&before, issue)) < 0 ||
	    (r = do_close(issue, resolution, duplicate_of, release_note)) < 0 ||
	    (r = stamp_closed(issue, now)) < 0) {
		strbuf_release(&before);
		return r;
	}
	return finish(issue, &before, now);
}

int psm_loop_reopen(struct psm_issue *issue, const char *now)
{
	const char *id = psm_issue_get(issue, "id"), *n;
	struct strbuf before = STRBUF_INIT, count = STRBUF_INIT;
	struct psm_node *v;
	long reopened = 0;
	int r;

	if (!psm_streq(psm_issue_get(issue, "status"), "closed"))
		return psm_error(PSM_EINVALID, "'%s' is not closed (status '%s')", id ? id : "?",
				 psm_issue_get(issue, "status") ? psm_issue_get(issue, "status") : "none");
	if ((n = psm_issue_get(issue, "reopened")))
		reopened = strtol(n, NULL, 10);
	strbuf_addf(&count, "%ld", reopened > 0 ? reopened + 1 : 1);
	if (!(v = psm_node_scalar(count.buf))) {
		r = psm_oom();
		goto out;
	}
	v->plain = 1; /* an integer, written unquoted */
	if ((r = snapshot(&before, issue)) < 0)
		goto out;
	/* Files closed before first_closed existed: keep their close time. */
	if (!psm_issue_get(issue, "first_closed") && psm_issue_get(issue, "closed") &&
	    (r = psm_issue_set(issue, "first_closed", psm_issue_get(issue, "closed"))) < 0)
		goto out;
	if ((r = psm_issue_set(issue, "status", "triaged")) < 0 ||
	    (r = psm_issue_set(issue, "closed", NULL)) < 0 ||
	    (r = psm_issue_set(issue, "resolution", NULL)) < 0 ||
	    (r = psm_issue_set(issue, "duplicate_of", NULL)) < 0 ||
	    (r = psm_followup_clear(issue)) < 0 ||
	    (r = psm_issue_set(issue, "customer_replied", NULL)) < 0)
		goto out;
	r = psm_issue_set_node(issue, "reopened", v);
	v = NULL;
	if (r < 0)
		goto out;
	r = finish(issue, &before, now);
	if (r > 0)
		r = 0;
out:
	psm_node_free(v);
	strbuf_release(&before);
	strbuf_release(&count);
	return r;
}

int psm_loop_customer_message(struct psm_issue *issue, const char *who, const char *text,
			      const char *at, const char *now)
{
	int r;

	if ((r = psm_loop_timeline(issue, "customer", who, text, at)) < 0)
		return r;
	/* the first reply since the close is what has waited longest */
	if (!psm_issue_is_open(issue) && !psm_issue_get(issue, "customer_replied") &&
	    (r = psm_issue_set(issue, "customer_replied", now)) < 0)
		return r;
	return psm_issue_set(issue, "updated", now);
}

int psm_loop_keep_closed(struct psm_issue *issue, const char *now)
{
	const char *id = psm_issue_get(issue, "id");

	if (psm_issue_is_open(issue) || !psm_issue_get(issue, "customer_replied"))
		return psm_error(PSM_EINVALID,
				 "'%s' has no customer reply after its close to acknowledge", id ? id : "?");
	if (psm_issue_set(issue, "customer_replied", NULL) < 0 ||
	    psm_issue_set(issue, "triaged", now) < 0 || psm_issue_set(issue, "updated", now) < 0)
		return psm_oom();
	return 0;
}

int psm_loop_followup_owed(const struct psm_issue *issue, const struct psm_config *cfg)
{
	return psm_followup_owed(issue, cfg) > 0;
}

int psm_loop_followup_done(struct psm_issue *issue, const struct psm_config *cfg, const char *by,
			   const char *now)
{
	const char *id = psm_issue_get(issue, "id");
	struct psm_followup_person *p;
	size_t n, i;
	int r = 1, one;

	if (!psm_streq(psm_issue_get(issue, "status"), "closed"))
		return psm_error(PSM_EINVALID, "'%s' is not closed: follow up once it is", id ? id : "?");
	if (!psm_issue_count(issue, "reporters"))
		return psm_error(PSM_EINVALID, "'%s' has no reporters to follow up with", id ? id : "?");
	if (!one_line(by))
		return psm_error(PSM_EINVALID, "who followed up? (no identity given)");
	if (psm_followup_people(&p, &n, issue, cfg) < 0)
		return PSM_ENOMEM;
	/* told one by one: the record per person says who was */
	for (i = 0; i < n && r >= 0; i++)
		if (p[i].state == PSM_FOLLOWUP_OWED &&
		    (one = psm_followup_told(issue, p[i].reporter, by, NULL, now)) <= 0)
			r = one;
	free(p);
	return r;
}

int psm_loop_rate(struct psm_issue *issue, const char *value, const char *reporter,
		  const char *comment, const char *now)
{
	const struct psm_node *old = psm_issue_node(issue, "ratings");
	struct psm_node *list = NULL, *m = NULL;
	size_t i;
	int r;

	if (!psm_streq(value, "good") && !psm_streq(value, "bad"))
		return psm_error(PSM_EINVALID, "a rating is 'good' or 'bad', not '%s'", value ? value : "");
	if (old && old->kind != PSM_SEQ && !psm_node_is_null(old))
		return psm_error(PSM_EINVALID, "'ratings' is not a list");
	if (comment && !*comment)
		comment = NULL;
	if (!(list = old && old->kind == PSM_SEQ ? psm_node_dup(old) : psm_node_new(PSM_SEQ)) ||
	    !(m = psm_node_new(PSM_MAP)) || psm_node_set_str(m, "value", value) < 0 ||
	    (reporter && psm_node_set_str(m, "reporter", reporter) < 0) ||
	    psm_node_set_str(m, "at", now) < 0 ||
	    (comment && psm_node_set_str(m, "comment", comment) < 0))
		goto fail;
	/* a person's new verdict replaces their old one, in its place */
	for (i = 0; reporter && i < list->n; i++) {
		const char *who = psm_node_get_str(list->items[i], "reporter");

		if (list->items[i]->kind == PSM_MAP && who && !strcasecmp(who, reporter)) {
			psm_node_free(list->items[i]);
			list->items[i] = m;
			break;
		}
	}
	if ((!reporter || i == list->n) && psm_node_push(list, m) < 0) {
		m = NULL;
		goto fail;
	}
	if ((r = psm_issue_set_node(issue, "ratings", list)) < 0)
		return r;
	return psm_issue_set(issue, "updated", now);
fail:
	psm_node_free(list);
	psm_node_free(m);
	return psm_oom();
}
