#include "psm/lifecycle.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "psm/body.h"
#include "psm/error.h"
#include "psm/grow.h"
#include "psm/loop.h"
#include "psm/people.h"
#include "psm/timeline.h"

/* Fields with an event of their own, or that only accompany one. */
static const char *const handled[] = {
	"status", "resolution", "duplicate_of", "closed", "first_closed", "reopened",
	"parked_until", "owner", "type", "impact", "response", "labels", "reporters",
	"followup", "followups", "ratings", "updated", "triaged", "responded", "customer_replied", NULL
};

static int is_handled(const char *key)
{
	size_t i;

	for (i = 0; handled[i]; i++)
		if (!strcmp(handled[i], key))
			return 1;
	return 0;
}

static char *dup_or_null(const char *s)
{
	return s ? psm_strdup(s) : NULL;
}

static int add(struct psm_events *out, const char *kind, const char *field, const char *from,
	       const char *to, const char *who, const char *at, const char *via)
{
	struct psm_event *e;

	if (!(e = psm_grow(out->v, out->n, &out->alloc, sizeof(*e), 8)))
		return psm_oom();
	out->v = e;
	e = &out->v[out->n];
	e->kind = kind;
	e->field = dup_or_null(field);
	e->from = dup_or_null(from);
	e->to = dup_or_null(to);
	e->who = dup_or_null(who);
	e->at = dup_or_null(at);
	e->via = dup_or_null(via);
	out->n++;
	if ((field && !e->field) || (from && !e->from) || (to && !e->to) || (who && !e->who) ||
	    (at && !e->at) || (via && !e->via))
		return psm_oom();
	return 1;
}

int psm_events_add(struct psm_events *out, const char *kind, const char *field, const char *from,
		   const char *to, const char *who, const char *at, const char *via)
{
	return add(out, kind, field, from, to, who, at, via);
}

static void event_release(struct psm_event *e)
{
	free(e->field);
	free(e->from);
	free(e->to);
	free(e->who);
	free(e->at);
	free(e->via);
}

void psm_events_release(struct psm_events *ev)
{
	size_t i;

	for (i = 0; i < ev->n; i++)
		event_release(&ev->v[i]);
	free(ev->v);
	memset(ev, 0, sizeof(*ev));
}

/* A value as one line of text: a list "a, b", a mapping "k: v, ...". */
static void node_text(struct strbuf *sb, const struct psm_node *n)
{
	size_t i;

	if (!n || psm_node_is_null(n))
		return;
	if (n->kind == PSM_SCALAR) {
		strbuf_addstr(sb, n->str);
		return;
	}
	for (i = 0; i < n->n; i++) {
		if (i)
			strbuf_addstr(sb, n->kind == PSM_MAP && i % 2 ? ": " : ", ");
		node_text(sb, n->items[i]);
	}
}

/* The field as text; NULL when absent or null. Valid until the next call
 * with the same buffer. */
static const char *field_text(struct strbuf *sb, const struct psm_issue *is, const char *key)
{
	const struct psm_node *n = psm_issue_node(is, key);

	strbuf_reset(sb);
	if (!n || psm_node_is_null(n))
		return NULL;
	node_text(sb, n);
	return sb->buf;
}

static int person(struct strbuf *sb, const struct psm_node *r)
{
	strbuf_reset(sb);
	return psm_reporter_format(sb, r);
}

static int intake(struct psm_events *out, const struct psm_issue *is)
{
	const struct psm_node *reps = psm_issue_node(is, "reporters");
	struct strbuf who = STRBUF_INIT;
	int r = 0;

	if (reps && reps->kind == PSM_SEQ && reps->n && reps->items[0]->kind == PSM_MAP)
		r = person(&who, reps->items[0]);
	if (r >= 0)
		r = add(out, "intake", NULL, NULL, psm_issue_get(is, "title"),
			who.len ? who.buf : NULL, psm_issue_get(is, "created"),
			psm_issue_get(is, "source"));
	strbuf_release(&who);
	return r;
}

/* Where the issue is: closed (as what), reopened, parked, another status. */
static int status(struct psm_events *out, const struct psm_issue *a, const struct psm_issue *b)
{
	const char *s0 = psm_issue_get(a, "status"), *s1 = psm_issue_get(b, "status");
	const char *res0 = psm_issue_get(a, "resolution"), *res1 = psm_issue_get(b, "resolution");
	const char *until = psm_issue_get(b, "parked_until");

	if (psm_streq(s1, "closed") && (!psm_streq(s0, s1) || !psm_streq(res0, res1))) {
		if (psm_streq(res1, "duplicate") && psm_issue_get(b, "duplicate_of"))
			return add(out, "duplicate", NULL, s0, psm_issue_get(b, "duplicate_of"), NULL,
				   psm_issue_get(b, "closed"), NULL);
		return add(out, "close", NULL, psm_streq(s0, s1) ? res0 : s0, res1, NULL,
			   psm_issue_get(b, "closed"), NULL);
	}
	if (psm_streq(s0, "closed") && !psm_streq(s1, "closed"))
		return add(out, "reopen", NULL, res0, s1, NULL, NULL, NULL);
	if (psm_streq(s1, "parked") &&
	    (!psm_streq(s0, s1) || !psm_streq(until, psm_issue_get(a, "parked_until"))))
		return add(out, "park", NULL, s0, until, NULL, NULL, NULL);
	if (!psm_streq(s0, s1))
		return add(out, "status", "status", s0, s1, NULL, NULL, NULL);
	return 0;
}

/* One event per field that changed, under kind. */
static int changed(struct psm_events *out, const char *kind, const char *key,
		   const struct psm_issue *a, const struct psm_issue *b)
{
	struct strbuf x = STRBUF_INIT, y = STRBUF_INIT;
	const char *from = field_text(&x, a, key), *to = field_text(&y, b, key);
	int r = 0;

	if (!psm_streq(from, to))
		r = add(out, kind, key, from, to, NULL, NULL, NULL);
	strbuf_release(&x);
	strbuf_release(&y);
	return r;
}

static int list_has(const struct psm_node *list, const char *v)
{
	size_t i;

	for (i = 0; list && list->kind == PSM_SEQ && i < list->n; i++)
		if (psm_streq(psm_node_str(list->items[i]), v))
			return 1;
	return 0;
}

static int labels(struct psm_events *out, const struct psm_issue *a, const struct psm_issue *b)
{
	const struct psm_node *la = psm_issue_node(a, "labels"), *lb = psm_issue_node(b, "labels");
	size_t i;
	int r = 0;

	for (i = 0; la && la->kind == PSM_SEQ && i < la->n && r >= 0; i++)
		if (psm_node_str(la->items[i]) && !list_has(lb, la->items[i]->str))
			r = add(out, "label", "labels", la->items[i]->str, NULL, NULL, NULL, NULL);
	for (i = 0; lb && lb->kind == PSM_SEQ && i < lb->n && r >= 0; i++)
		if (psm_node_str(lb->items[i]) && !list_has(la, lb->items[i]->str))
			r = add(out, "label", "labels", NULL, lb->items[i]->str, NULL, NULL, NULL);
	return r < 0 ? r : 0;
}

/* Is the mapping (a reporter, a rating) in list, exactly as written? */
static int has_entry(const struct psm_node *list, const struct psm_node *m)
{
	size_t i;

	for (i = 0; list && list->kind == PSM_SEQ && i < list->n; i++)
		if (psm_node_equal(list->items[i], m))
			return 1;
	return 0;
}

static int people(struct psm_events *out, const struct psm_issue *a, const struct psm_issue *b)
{
	const struct psm_node *ra = psm_issue_node(a, "reporters"), *rb = psm_issue_node(b, "reporters");
	struct strbuf who = STRBUF_INIT;
	size_t i;
	int r = 0;

	for (i = 0; rb && rb->kind == PSM_SEQ && i < rb->n && r >= 0; i++) {
		const struct psm_node *p = rb->items[i];

		if (p->kind != PSM_MAP || has_entry(ra, p))
			continue;
		if ((r = person(&who, p)) < 0)
			break;
		r = add(out, "reporter", "reporters", NULL, who.buf, who.buf, psm_node_get_str(p, "at"),
			psm_node_get_str(p, "via"));
	}
	strbuf_release(&who);
	return r < 0 ? r : 0;
}

/* Is there a record in list for f's person with the same value of key? */
static int same_for_person(const struct psm_node *list, const struct psm_node *f, const char *key)
{
	const char *who = psm_node_get_str(f, "reporter"), *v = psm_node_get_str(f, key);
	size_t i;

	for (i = 0; who && v && list && list->kind == PSM_SEQ && i < list->n; i++) {
		const struct psm_node *o = list->items[i];
		const char *ow = o->kind == PSM_MAP ? psm_node_get_str(o, "reporter") : NULL;

		if (ow && !strcasecmp(ow, who) && psm_streq(psm_node_get_str(o, key), v))
			return 1;
	}
	return 0;
}

/* The follow-up recorded (the old whole-issue map, then each person's
 * record: told, or cannot be, or came back), then the ratings that came
 * in. */
static int followup(struct psm_events *out, const struct psm_issue *a, const struct psm_issue *b)
{
	const struct psm_node *fa = psm_issue_node(a, "followup"), *fb = psm_issue_node(b, "followup");
	const struct psm_node *pa = psm_issue_node(a, "followups"), *pb = psm_issue_node(b, "followups");
	const struct psm_node *ga = psm_issue_node(a, "ratings"), *gb = psm_issue_node(b, "ratings");
	const char *da = fa && fa->kind == PSM_MAP ? psm_node_get_str(fa, "done") : NULL;
	const char *db = fb && fb->kind == PSM_MAP ? psm_node_get_str(fb, "done") : NULL;
	size_t i;
	int r = 0;

	if (db && !psm_streq(da, db))
		r = add(out, "followup", "followup", NULL, NULL, psm_node_get_str(fb, "by"), db, NULL);
	for (i = 0; pb && pb->kind == PSM_SEQ && i < pb->n && r >= 0; i++) {
		const struct psm_node *f = pb->items[i];
		const char *done = f->kind == PSM_MAP ? psm_node_get_str(f, "done") : NULL;
		const char *why = done ? psm_node_get_str(f, "unreachable") : NULL;
		const char *back = done ? psm_node_get_str(f, "bounced") : NULL;

		/* the old map split into records when a reporter joined: no news */
		if (!done || has_entry(pa, f) || (da && !db && psm_streq(done, da)))
			continue;
		/* a record that came back was sent before, unless it is new too */
		if (!back || !same_for_person(pa, f, "done"))
			r = add(out, why ? "unreachable" : "followup", "followups", NULL,
				psm_node_get_str(f, "reporter"), psm_node_get_str(f, "by"), done, why);
		if (back && r >= 0 && !same_for_person(pa, f, "bounced"))
			r = add(out, "bounced", "followups", NULL, psm_node_get_str(f, "reporter"),
				NULL, back, psm_node_get_str(f, "bounce"));
	}
	for (i = 0; gb && gb->kind == PSM_SEQ && i < gb->n && r >= 0; i++) {
		const struct psm_node *g = gb->items[i];

		if (g->kind == PSM_MAP && !has_entry(ga, g))
			r = add(out, "rating", "ratings", NULL, psm_node_get_str(g, "value"),
				psm_node_get_str(g, "reporter"), psm_node_get_str(g, "at"), NULL);
	}
	return r < 0 ? r : 0;
}

/* "### <time> <kind> — <who>": kind and who of a timeline heading. */
static int timeline_entry(struct psm_events *out, const char *h, size_t len,
			  const struct psm_timeline_entry *e)
{
	static const char dash[] = " \xe2\x80\x94 ";
	struct strbuf kind = STRBUF_INIT, who = STRBUF_INIT, at = STRBUF_INIT;
	const char *p = e->time + e->time_len, *end = h + len, *d;
	const char *k = "entry";
	int r;

	while (p < end && *p == ' ')
		p++;
	d = p;
	while (d + sizeof(dash) - 1 <= end && memcmp(d, dash, sizeof(dash) - 1))
		d++;
	if (d + sizeof(dash) - 1 > end)
		d = end;
	strbuf_add(&kind, p, (size_t)(d - p));
	if (d < end)
		strbuf_add(&who, d + sizeof(dash) - 1, (size_t)(end - d - (sizeof(dash) - 1)));
	strbuf_add(&at, e->time, e->time_len);
	if (!strcmp(kind.buf, "reply") || !strcmp(kind.buf, "note") || !strcmp(kind.buf, "customer"))
		k = !strcmp(kind.buf, "reply") ? "reply" : !strcmp(kind.buf, "note") ? "note" : "customer";
	r = add(out, k, NULL, NULL, NULL, who.len ? who.buf : NULL, at.buf, NULL);
	strbuf_release(&kind);
	strbuf_release(&who);
	strbuf_release(&at);
	return r;
}

/* Timeline entries of b whose heading a lacks (each heading counted once). */
static int timeline(struct psm_events *out, const struct psm_issue *a, const struct psm_issue *b)
{
	struct psm_timeline_entry e, f;
	size_t pos = 0, qpos, used_n = 0, used_alloc = 0, i;
	size_t *used = NULL;
	int r = 0;

	memset(&e, 0, sizeof(e));
	while (r >= 0 && psm_timeline_next(&b->body, &pos, &e)) {
		const char *h = b->body.buf + e.start;
		int seen = 0;

		qpos = 0;
		memset(&f, 0, sizeof(f));
		while (!seen && a && psm_timeline_next(&a->body, &qpos, &f)) {
			int taken = 0;

			for (i = 0; i < used_n && !taken; i++)
				taken = used[i] == f.start;
			seen = !taken && f.heading_len == e.heading_len &&
			       !memcmp(a->body.buf + f.start, h, e.heading_len);
			if (seen) {
				size_t *nu = psm_grow(used, used_n, &used_alloc, sizeof(*used), 8);

				if (!nu)
					r = psm_oom();
				else
					(used = nu)[used_n++] = f.start;
			}
		}
		if (!seen && r >= 0)
			r = timeline_entry(out, h, e.heading_len, &e);
	}
	free(used);
	return r < 0 ? r : 0;
}

/* The body without psm's sections: the user's own text. */
static int own_text(struct strbuf *out, const struct strbuf *body)
{
	static const char *const sections[] = { "Timeline", "Release note" };
	size_t h, c, end, i;

	strbuf_reset(out);
	if (strbuf_addbuf(out, body) < 0)
		return psm_oom();
	for (i = 0; i < 2; i++)
		if (psm_body_find(out, sections[i], &h, &c, &end)) {
			memmove(out->buf + h, out->buf + end, out->len - end);
			strbuf_setlen(out, out->len - (end - h));
		}
	strbuf_rtrim(out);
	return 0;
}

static int body(struct psm_events *out, const struct psm_issue *a, const struct psm_issue *b)
{
	struct strbuf x = STRBUF_INIT, y = STRBUF_INIT;
	int r;

	if ((r = psm_body_get(&x, &a->body, "Release note")) < 0 ||
	    (r = psm_body_get(&y, &b->body, "Release note")) < 0)
		goto out;
	if (strcmp(x.buf, y.buf) && (r = add(out, "release_note", NULL, x.len ? x.buf : NULL,
					     y.len ? y.buf : NULL, NULL, NULL, NULL)) < 0)
		goto out;
	if ((r = own_text(&x, &a->body)) < 0 || (r = own_text(&y, &b->body)) < 0)
		goto out;
	r = strcmp(x.buf, y.buf) ? add(out, "body", NULL, NULL, NULL, NULL, NULL, NULL) : 0;
out:
	strbuf_release(&x);
	strbuf_release(&y);
	return r < 0 ? r : 0;
}

/* Any other field: known keys in their order, then the rest in b's, then a's. */
static int fields(struct psm_events *out, const struct psm_issue *a, const struct psm_issue *b)
{
	size_t i;
	int r = 0;

	for (i = 0; psm_known_keys[i] && r >= 0; i++)
		if (!is_handled(psm_known_keys[i]))
			r = changed(out, "field", psm_known_keys[i], a, b);
	for (i = 0; i < b->n && r >= 0; i++)
		if (psm_key_rank(b->entries[i].key) < 0)
			r = changed(out, "field", b->entries[i].key, a, b);
	for (i = 0; i < a->n && r >= 0; i++)
		if (psm_key_rank(a->entries[i].key) < 0 && !psm_issue_entry(b, a->entries[i].key))
			r = changed(out, "field", a->entries[i].key, a, b);
	return r < 0 ? r : 0;
}

int psm_lifecycle_diff(struct psm_events *out, const struct psm_issue *before,
		       const struct psm_issue *after)
{
	static const char *const triage_keys[] = { "type", "impact", "response", NULL };
	size_t start = out->n, i, t;
	int r = 0;

	if (!after)
		return before ? add(out, "removed", NULL, NULL, NULL, NULL, NULL, NULL) : 0;
	if (!before) {
		if ((r = intake(out, after)) < 0 || (r = timeline(out, NULL, after)) < 0)
			return r;
		return (int)(out->n - start);
	}
	if ((r = status(out, before, after)) < 0)
		return r;
	t = out->n;
	for (i = 0; triage_keys[i] && r >= 0; i++)
		r = changed(out, "triage", triage_keys[i], before, after);
	/* a decision that changed no field (the same again, or keep closed) */
	if (r >= 0 && out->n == t &&
	    !psm_streq(psm_issue_get(before, "triaged"), psm_issue_get(after, "triaged")) &&
	    psm_issue_get(after, "triaged"))
		r = add(out, "triage", NULL, NULL, NULL, NULL, psm_issue_get(after, "triaged"), NULL);
	if (r < 0 || (r = changed(out, "owner", "owner", before, after)) < 0 ||
	    (r = labels(out, before, after)) < 0 || (r = people(out, before, after)) < 0 ||
	    (r = timeline(out, before, after)) < 0 || (r = followup(out, before, after)) < 0 ||
	    (r = body(out, before, after)) < 0 || (r = fields(out, before, after)) < 0)
		return r;
	return (int)(out->n - start);
}

static int same_event(const struct psm_event *x, const struct psm_event *y)
{
	return !strcmp(x->kind, y->kind) && psm_streq(x->field, y->field) &&
	       psm_streq(x->to, y->to) && psm_streq(x->who, y->who) && psm_streq(x->at, y->at);
}

void psm_events_intersect(struct psm_events *a, const struct psm_events *b)
{
	size_t i, j, n = 0;

	for (i = 0; i < a->n; i++) {
		int keep = 0;

		for (j = 0; j < b->n && !keep; j++)
			keep = same_event(&a->v[i], &b->v[j]);
		if (keep)
			a->v[n++] = a->v[i];
		else
			event_release(&a->v[i]);
	}
	a->n = n;
}
