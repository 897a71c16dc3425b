/* Duplicates: close one issue as another's and carry its reporters over. */
#include "psm/loop.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "psm/body.h"
#include "psm/error.h"
#include "psm/followup-owed.h"
#include "psm/query.h"
#include "psm/timeline.h"

char *psm_reporter_key(const struct psm_node *reporter)
{
	const char *k = NULL;
	char *key, *p;

	if (reporter && reporter->kind == PSM_MAP) {
		k = psm_node_get_str(reporter, "email");
		if (!k || !*k)
			k = psm_node_get_str(reporter, "contact");
		if (!k || !*k)
			k = psm_node_get_str(reporter, "name");
	}
	if (!k || !*k || !(key = psm_strdup(k)))
		return NULL;
	/* e-mail addresses and handles compare without case */
	for (p = key; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return key;
}

/* Is a person with this key among list's reporters? */
static int has_person(const struct psm_node *list, const char *key)
{
	size_t i;
	int found = 0;

	for (i = 0; list && list->kind == PSM_SEQ && i < list->n && !found; i++) {
		char *k = psm_reporter_key(list->items[i]);

		found = k && !strcmp(k, key);
		free(k);
	}
	return found;
}

/* Is any of list's reporters brought by a duplicate (`via`)? */
static const char *brought_via(const struct psm_node *list)
{
	size_t i;

	for (i = 0; list && list->kind == PSM_SEQ && i < list->n; i++)
		if (list->items[i]->kind == PSM_MAP && psm_node_get_str(list->items[i], "via"))
			return psm_node_get_str(list->items[i], "via");
	return NULL;
}

static int check_dup(const struct psm_issue *dup, const struct psm_issue *target)
{
	const char *id = psm_issue_get(dup, "id"), *tid = psm_issue_get(target, "id");
	const char *of = psm_issue_get(dup, "duplicate_of");
	const char *tof = psm_issue_get(target, "duplicate_of");
	const char *via = brought_via(psm_issue_node(dup, "reporters"));

	if (!id || !tid)
		return psm_error(PSM_EINVALID, "an issue without an 'id' cannot take part in a duplicate");
	if (!strcmp(id, tid))
		return psm_error(PSM_EINVALID, "'%s' cannot be a duplicate of itself", id);
	if (tof || psm_streq(psm_issue_get(target, "resolution"), "duplicate"))
		return psm_error(PSM_EINVALID,
				 "'%s' is itself a duplicate%s%s%s: mark '%s' a duplicate of that issue instead",
				 tid, tof ? " of '" : "", tof ? tof : "", tof ? "'" : "", id);
	if (of && strcmp(of, tid))
		return psm_error(PSM_EINVALID, "'%s' is already a duplicate of '%s': reopen it first", id, of);
	if (via && !of)
		return psm_error(PSM_EINVALID,
				 "'%s' has duplicates of its own (reporters via '%s'): psm dup %s --of %s moves them along",
				 id, via, id, tid);
	return 0;
}

/* Append dup's people that target lacks, each marked `via: dup`. */
static int merge_reporters(struct psm_issue *target, const struct psm_issue *dup, int *added)
{
	const struct psm_node *from = psm_issue_node(dup, "reporters");
	const struct psm_node *old = psm_issue_node(target, "reporters");
	const char *id = psm_issue_get(dup, "id");
	struct psm_node *list, *copy;
	size_t i;
	int r = 0;

	*added = 0;
	if (!from || from->kind != PSM_SEQ || !from->n)
		return 0;
	if (old && old->kind != PSM_SEQ && !psm_node_is_null(old))
		return psm_error(PSM_EINVALID, "'reporters' of '%s' is not a list",
				 psm_issue_get(target, "id"));
	list = old && old->kind == PSM_SEQ ? psm_node_dup(old) : psm_node_new(PSM_SEQ);
	if (!list)
		return psm_oom();
	for (i = 0; i < from->n; i++) {
		char *key = psm_reporter_key(from->items[i]);
		int skip = !key || has_person(list, key);

		free(key);
		if (skip)
			continue;
		if (!(copy = psm_node_dup(from->items[i])) || psm_node_set_str(copy, "via", id) < 0) {
			psm_node_free(copy);
			r = psm_oom();
			goto out;
		}
		if (psm_node_push(list, copy) < 0) { /* it freed copy */
			r = psm_oom();
			goto out;
		}
		(*added)++;
	}
	if (*added) {
		/* the people told before stay told; the newcomers are owed */
		if ((r = psm_followup_split_legacy(target, old && old->kind == PSM_SEQ ? old->n : 0)) < 0)
			goto out;
		r = psm_issue_set_node(target, "reporters", list);
		list = NULL;
	}
out:
	psm_node_free(list);
	return r;
}

/* The refs an issue holds, its reporters' and its timeline's, one per
 * line (a ref is one line), each line starting and ending with '\n'. */
static int held_refs(struct strbuf *out, const struct psm_issue *is)
{
	const struct psm_node *reps = psm_issue_node(is, "reporters");
	struct strbuf ref = STRBUF_INIT;
	struct psm_timeline_entry e;
	size_t i, pos = 0;
	int r = 0;

	strbuf_addch(out, '\n');
	for (i = 0; reps && reps->kind == PSM_SEQ && i < reps->n; i++)
		if (psm_node_get_str(reps->items[i], "ref"))
			strbuf_addf(out, "%s\n", psm_node_get_str(reps->items[i], "ref"));
	while (r >= 0 && psm_timeline_next(&is->body, &pos, &e))
		if ((r = psm_timeline_ref(&ref, &is->body, &e)) > 0)
			strbuf_addf(out, "%s\n", ref.buf);
	strbuf_release(&ref);
	return r < 0 ? r : out->oom ? psm_oom() : 0;
}

static int holds_ref(const struct strbuf *held, const char *ref)
{
	struct strbuf line = STRBUF_INIT;
	int found;

	strbuf_addf(&line, "\n%s\n", ref);
	found = strstr(held->buf, line.buf) != NULL;
	strbuf_release(&line);
	return found;
}

/*
 * Copy dup's timeline entries taken in from outside (an e-mail reply, a
 * comment: they end in a psm-ref) that target does not hold, in time
 * order, so what a customer wrote on the duplicate is read on the issue
 * being worked on. The same message taken in on two clones is held by
 * both and not copied twice. The text is quoted again (psm_body_quote
 * leaves psm's own text as it is) in case the file was edited by hand.
 */
static int merge_timeline(struct psm_issue *target, const struct psm_issue *dup, int *added)
{
	struct strbuf ref = STRBUF_INIT, text = STRBUF_INIT, entry = STRBUF_INIT;
	struct strbuf time = STRBUF_INIT, held = STRBUF_INIT;
	struct psm_timeline_entry e;
	size_t pos = 0;
	int r;

	*added = 0;
	if ((r = held_refs(&held, target)) < 0)
		goto out;
	while (r >= 0 && psm_timeline_next(&dup->body, &pos, &e)) {
		size_t head = e.start + e.heading_len;

		if ((r = psm_timeline_ref(&ref, &dup->body, &e)) <= 0 || holds_ref(&held, ref.buf))
			continue;
		strbuf_reset(&text);
		strbuf_add(&text, dup->body.buf + head, e.end - head);
		strbuf_reset(&entry);
		strbuf_add(&entry, dup->body.buf + e.start, e.heading_len);
		strbuf_addstr(&entry, "\n\n");
		strbuf_reset(&time);
		strbuf_add(&time, e.time, e.time_len);
		if (text.oom || entry.oom || time.oom)
			r = psm_oom();
		else if ((r = psm_body_quote(&entry, text.buf)) >= 0 &&
			 (r = psm_timeline_insert(&target->body, entry.buf, time.buf)) >= 0 &&
			 strbuf_addf(&held, "%s\n", ref.buf) >= 0)
			(*added)++;
	}
out:
	strbuf_release(&held);
	strbuf_release(&ref);
	strbuf_release(&text);
	strbuf_release(&entry);
	strbuf_release(&time);
	return r < 0 ? r : 0;
}

int psm_loop_dup(struct psm_issue *dup, struct psm_issue *target, const char *now)
{
	const char *tid = psm_issue_get(target, "id");
	int r, closed, added, copied;

	if ((r = check_dup(dup, target)) < 0)
		return r;
	if ((closed = psm_loop_close(dup, "duplicate", tid, NULL, now)) < 0)
		return closed;
	if ((r = merge_reporters(target, dup, &added)) < 0 ||
	    (r = merge_timeline(target, dup, &copied)) < 0)
		return r;
	if (copied && !added && (r = psm_issue_set(target, "updated", now)) < 0)
		return r;
	if (!added)
		return closed && !copied; /* 1 when the duplicate was already recorded */
	/* New people on a closed issue have no follow-up record: owed. */
	return psm_issue_set(target, "updated", now);
}

int psm_loop_undup(struct psm_issue *dup, struct psm_issue *target, const char *now)
{
	const struct psm_node *old = psm_issue_node(target, "reporters");
	const char *id = psm_issue_get(dup, "id");
	struct psm_node *list;
	size_t i, removed = 0;

	if (!id || !old || old->kind != PSM_SEQ)
		return 1;
	if (!(list = psm_node_new(PSM_SEQ)))
		return psm_oom();
	for (i = 0; i < old->n; i++) {
		const struct psm_node *r = old->items[i];

		if (r->kind == PSM_MAP && psm_streq(psm_node_get_str(r, "via"), id)) {
			removed++;
			continue;
		}
		if (psm_node_push(list, psm_node_dup(r)) < 0) {
			psm_node_free(list);
			return psm_oom();
		}
	}
	if (!removed) {
		psm_node_free(list);
		return 1;
	}
	if (!list->n) {
		psm_node_free(list);
		list = NULL;
	}
	if (psm_issue_set_node(target, "reporters", list) < 0)
		return PSM_ENOMEM;
	return psm_issue_set(target, "updated", now);
}
