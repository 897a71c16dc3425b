/*
 * Three-way merge of issue front matter, key by key (rules in merge.h).
 * The result is built in "ours": untouched entries keep their bytes, an
 * entry taken from "theirs" keeps theirs, and only entries merged from both
 * (lists) are re-emitted.
 */
#include "psm/merge.h"

#include <git2.h>
#include <stdlib.h>
#include <string.h>

#include "psm/error.h"
#include "psm/git.h"
#include "psm/issue.h"
#include "merge-int.h"
#include "psm/time.h"

enum rule { R_CONFLICT, R_LATER, R_EARLIER, R_MAX };

struct mctx {
	struct psm_issue *b, *o, *t; /* o is also the result */
	const struct psm_merge_labels *labels;
	int conflicts;
};

static enum rule rule_for(const char *key)
{
	static const char *const later[] = { "updated", "triaged", "closed", NULL };
	static const char *const earlier[] = { "created", "responded", "first_closed",
						"customer_replied", NULL };
	size_t i;

	for (i = 0; later[i]; i++)
		if (!strcmp(key, later[i]))
			return R_LATER;
	for (i = 0; earlier[i]; i++)
		if (!strcmp(key, earlier[i]))
			return R_EARLIER;
	return strcmp(key, "reopened") ? R_CONFLICT : R_MAX;
}

/* An entry's lines: as read, or re-emitted when psm changed it. */
static void entry_text(struct strbuf *out, const struct psm_entry *e)
{
	if (e->dirty)
		psm_node_emit_entry(out, e->key, e->value);
	else
		strbuf_addbuf(out, &e->raw);
}

/* Make key in the result hold exactly theirs' entry (or nothing). */
static int take_theirs(struct mctx *m, const char *key)
{
	const struct psm_entry *te = psm_issue_entry(m->t, key);
	struct psm_node *v;
	struct psm_entry *e;

	if (!te)
		return psm_issue_set_node(m->o, key, NULL);
	if (!(v = psm_node_dup(te->value)))
		return psm_oom();
	if (psm_issue_set_node(m->o, key, v) < 0)
		return PSM_ENOMEM;
	if (!(e = psm_issue_entry(m->o, key)))
		return 0;
	strbuf_reset(&e->raw);
	e->dirty = te->dirty;
	if (!te->dirty && strbuf_addbuf(&e->raw, &te->raw) < 0)
		return psm_oom();
	return 0;
}

/* Both sides changed key differently: write both between markers. */
static int conflict(struct mctx *m, const char *key)
{
	struct psm_entry *oe = psm_issue_entry(m->o, key);
	const struct psm_entry *te = psm_issue_entry(m->t, key);
	const char *ol = m->labels && m->labels->ours ? m->labels->ours : "ours";
	const char *tl = m->labels && m->labels->theirs ? m->labels->theirs : "theirs";
	struct strbuf block = STRBUF_INIT;
	int r = 0;

	strbuf_addf(&block, "<<<<<<< %s\n", ol);
	if (oe)
		entry_text(&block, oe);
	strbuf_addstr(&block, "=======\n");
	if (te)
		entry_text(&block, te);
	strbuf_addf(&block, ">>>>>>> %s\n", tl);
	if (block.oom) {
		r = psm_oom();
		goto out;
	}
	if (!oe) {
		/* deleted here, changed there: the block needs an entry to live in */
		struct psm_node *v = psm_node_dup(te->value);

		if (!v) {
			r = psm_oom();
			goto out;
		}
		if ((r = psm_issue_set_node(m->o, key, v)) < 0)
			goto out;
		oe = psm_issue_entry(m->o, key);
	}
	strbuf_release(&oe->raw);
	oe->raw = block;
	strbuf_init(&block, 0);
	oe->dirty = 0;
	m->conflicts++;
out:
	strbuf_release(&block);
	return r;
}

/*
 * Where the issue is stands in several keys: closed (as what, when), parked
 * (until when). When the two sides disagree on the status, one side's keys
 * are kept together, or a parked issue keeps a resolution from the other
 * side's close.
 */
static const char *const status_group[] = {
	"status", "resolution", "duplicate_of", "closed", "parked_until", NULL
};

static int in_status_group(const char *key)
{
	size_t i;

	for (i = 0; status_group[i]; i++)
		if (!strcmp(key, status_group[i]))
			return 1;
	return 0;
}

/* A side's keys of the group, with the comments above them but status's
 * (the entry that holds the block keeps ours'). */
static void group_text(struct strbuf *out, const struct psm_issue *is)
{
	size_t i;

	for (i = 0; i < is->n; i++) {
		const struct psm_entry *e = &is->entries[i];

		if (!in_status_group(e->key))
			continue;
		if (strcmp(e->key, "status"))
			strbuf_addbuf(out, &e->lead);
		entry_text(out, e);
	}
}

/* Both sides changed the status differently: one block with each side's
 * status keys, in the status entry; the other keys of the group go. */
static int conflict_status(struct mctx *m)
{
	const char *ol = m->labels && m->labels->ours ? m->labels->ours : "ours";
	const char *tl = m->labels && m->labels->theirs ? m->labels->theirs : "theirs";
	struct strbuf block = STRBUF_INIT;
	struct psm_entry *oe;
	size_t i;

	strbuf_addf(&block, "<<<<<<< %s\n", ol);
	group_text(&block, m->o);
	strbuf_addstr(&block, "=======\n");
	group_text(&block, m->t);
	strbuf_addf(&block, ">>>>>>> %s\n", tl);
	if (block.oom) {
		strbuf_release(&block);
		return psm_oom();
	}
	for (i = 1; status_group[i]; i++)
		if (psm_issue_set_node(m->o, status_group[i], NULL) < 0) {
			strbuf_release(&block);
			return PSM_ENOMEM;
		}
	oe = psm_issue_entry(m->o, "status"); /* there: the caller saw both statuses */
	strbuf_release(&oe->raw);
	oe->raw = block;
	oe->dirty = 0;
	m->conflicts++;
	return 0;
}

static int status_conflicts(const struct mctx *m)
{
	const struct psm_node *b = psm_issue_node(m->b, "status");
	const struct psm_node *o = psm_issue_node(m->o, "status");
	const struct psm_node *t = psm_issue_node(m->t, "status");

	return psm_node_str(o) && psm_node_str(t) && !psm_node_equal(o, t) &&
	       !psm_node_equal(b, t) && !psm_node_equal(b, o);
}

/* Reporters are the same person by e-mail, else contact, else name; a
 * follow-up record (`followups`) is its person's, by `reporter`. */
static const char *reporter_key(const struct psm_node *n, int by_person)
{
	const char *k;

	if (!n || n->kind != PSM_MAP)
		return NULL;
	if (by_person == 2)
		return psm_node_get_str(n, "reporter");
	if ((k = psm_node_get_str(n, "email")) || (k = psm_node_get_str(n, "contact")))
		return k;
	return psm_node_get_str(n, "name");
}

static int same_item(const struct psm_node *a, const struct psm_node *b, int by_person)
{
	const char *ka = by_person ? reporter_key(a, by_person) : NULL;
	const char *kb = by_person ? reporter_key(b, by_person) : NULL;

	if (ka && kb)
		return !strcmp(ka, kb);
	return psm_node_equal(a, b);
}

static const struct psm_node *find_item(const struct psm_node *seq, const struct psm_node *x,
					int by_person)
{
	size_t i;

	for (i = 0; seq && seq->kind == PSM_SEQ && i < seq->n; i++)
		if (same_item(seq->items[i], x, by_person))
			return seq->items[i];
	return NULL;
}

static int cmp_scalar_items(const void *x, const void *y)
{
	const struct psm_node *a = *(const struct psm_node *const *)x;
	const struct psm_node *b = *(const struct psm_node *const *)y;

	if (a->kind != PSM_SCALAR || b->kind != PSM_SCALAR)
		return (int)a->kind - (int)b->kind;
	return strcmp(a->str, b->str);
}

static int is_seq_or_absent(const struct psm_node *n)
{
	return !n || psm_node_is_null(n) || n->kind == PSM_SEQ;
}

/*
 * Set merge: an item stays if both sides have it or one side added it (it
 * is not in base); so a removal on one side and an addition on the other
 * both hold. Ours' order first, then theirs' additions; labels sorted.
 */
static int merge_list(struct mctx *m, const char *key)
{
	const struct psm_node *b = psm_issue_node(m->b, key);
	const struct psm_node *o = psm_issue_node(m->o, key);
	const struct psm_node *t = psm_issue_node(m->t, key);
	int by_person = !strcmp(key, "reporters") ? 1 : !strcmp(key, "followups") ? 2 : 0;
	struct psm_node *res = psm_node_new(PSM_SEQ);
	size_t i;

	if (!res)
		return psm_oom();
	for (i = 0; o && o->kind == PSM_SEQ && i < o->n; i++) {
		const struct psm_node *x = o->items[i];
		const struct psm_node *in_t = find_item(t, x, by_person);
		const struct psm_node *in_b = find_item(b, x, by_person);
		const struct psm_node *pick = x;

		if (!in_t && in_b)
			continue; /* removed by theirs */
		/* the same person changed on one side only: that side's version */
		if (in_t && in_b && psm_node_equal(x, in_b))
			pick = in_t;
		if (find_item(res, pick, by_person))
			continue;
		if (psm_node_push(res, psm_node_dup(pick)) < 0)
			goto oom;
	}
	for (i = 0; t && t->kind == PSM_SEQ && i < t->n; i++) {
		const struct psm_node *x = t->items[i];

		if (find_item(o, x, by_person) || find_item(b, x, by_person) ||
		    find_item(res, x, by_person))
			continue;
		if (psm_node_push(res, psm_node_dup(x)) < 0)
			goto oom;
	}
	if (res->n > 1 && !strcmp(key, "labels"))
		qsort(res->items, res->n, sizeof(*res->items), cmp_scalar_items);
	if (!res->n) {
		psm_node_free(res);
		res = NULL;
	}
	return psm_issue_set_node(m->o, key, res) < 0 ? PSM_ENOMEM : 0;
oom:
	psm_node_free(res);
	return psm_oom();
}

/* >0 when theirs is the later time (or bigger number), <0 when ours. */
static int compare(const char *o, const char *t, enum rule rule)
{
	int64_t a, b;

	if (rule == R_MAX) {
		long long x = strtoll(o, NULL, 10), y = strtoll(t, NULL, 10);

		if (x != y)
			return x < y ? 1 : -1;
	} else if (!psm_time_parse(o, &a) && !psm_time_parse(t, &b) && a != b) {
		return a < b ? 1 : -1;
	}
	return strcmp(t, o); /* same instant, other spelling: still agree */
}

static int merge_key(struct mctx *m, const char *key)
{
	const struct psm_node *b = psm_issue_node(m->b, key);
	const struct psm_node *o = psm_issue_node(m->o, key);
	const struct psm_node *t = psm_issue_node(m->t, key);
	enum rule rule;
	int c;

	if (psm_node_equal(o, t) || psm_node_equal(b, t))
		return 0;
	if (psm_node_equal(b, o))
		return take_theirs(m, key);
	if (is_seq_or_absent(o) && is_seq_or_absent(t) && is_seq_or_absent(b) &&
	    ((o && o->kind == PSM_SEQ) || (t && t->kind == PSM_SEQ)))
		return merge_list(m, key);
	rule = rule_for(key);
	if (rule == R_CONFLICT || !psm_node_str(o) || !psm_node_str(t))
		return conflict(m, key);
	c = compare(psm_node_str(o), psm_node_str(t), rule);
	if (rule == R_EARLIER)
		c = -c;
	return c > 0 ? take_theirs(m, key) : 0;
}

/* The keys to visit: ours' in order, then those only theirs has. */
static int collect_keys(struct psm_node *keys, const struct psm_issue *o,
			const struct psm_issue *t)
{
	size_t i;

	for (i = 0; i < o->n; i++)
		if (psm_node_push(keys, psm_node_scalar(o->entries[i].key)) < 0)
			return psm_oom();
	for (i = 0; i < t->n; i++)
		if (!psm_issue_entry(o, t->entries[i].key) &&
		    psm_node_push(keys, psm_node_scalar(t->entries[i].key)) < 0)
			return psm_oom();
	return 0;
}

static int parse_side(struct psm_issue **out, const char *text, size_t len)
{
	struct psm_yaml_error err = { 0, 0, STRBUF_INIT };
	int r;

	if (!len) { /* no base: both sides added the file */
		*out = psm_issue_new();
		return *out ? 0 : psm_oom();
	}
	r = psm_issue_parse(out, text, len, &err);
	strbuf_release(&err.msg);
	return r;
}

static int merge_preamble(struct mctx *m)
{
	const struct strbuf *b = &m->b->preamble, *o = &m->o->preamble, *t = &m->t->preamble;

	if (b->len == o->len && !memcmp(b->buf, o->buf, o->len)) {
		strbuf_reset(&m->o->preamble);
		if (strbuf_addbuf(&m->o->preamble, t) < 0)
			return psm_oom();
	}
	return 0;
}

int psm_merge_issue(struct strbuf *out, const char *base, size_t blen,
		    const char *ours, size_t olen, const char *theirs, size_t tlen,
		    const struct psm_merge_labels *labels)
{
	struct mctx m = { NULL, NULL, NULL, labels, 0 };
	struct psm_node *keys = psm_node_new(PSM_SEQ);
	struct strbuf body = STRBUF_INIT;
	size_t i;
	int r, grouped;

	if (!keys)
		return psm_oom();
	/* one libgit2 set-up for the several line merges below (it is slow) */
	if (psm_git_lib_init() < 0) {
		psm_node_free(keys);
		return psm_error_git(PSM_ERROR, "could not initialise libgit2");
	}
	if (parse_side(&m.b, base, blen) < 0 || parse_side(&m.o, ours, olen) < 0 ||
	    parse_side(&m.t, theirs, tlen) < 0 || !olen || !tlen) {
		/* not issue files (or one is half-merged already): lines it is */
		psm_error_clear();
		r = psm_merge_text(out, base, blen, ours, olen, theirs, tlen, labels);
		goto out;
	}
	if ((r = collect_keys(keys, m.o, m.t)) < 0 || (r = merge_preamble(&m)) < 0)
		goto out;
	grouped = status_conflicts(&m);
	if (grouped && (r = conflict_status(&m)) < 0)
		goto out;
	for (i = 0; i < keys->n; i++)
		if (!(grouped && in_status_group(keys->items[i]->str)) &&
		    (r = merge_key(&m, keys->items[i]->str)) < 0)
			goto out;
	if ((r = psm_merge_body(&body, &m.b->body, &m.o->body, &m.t->body, labels)) < 0)
		goto out;
	m.conflicts += r;
	strbuf_release(&m.o->body);
	m.o->body = body;
	strbuf_init(&body, 0);
	if ((r = psm_issue_format(out, m.o)) < 0)
		goto out;
	r = m.conflicts;
out:
	psm_node_free(keys);
	strbuf_release(&body);
	psm_issue_free(m.b);
	psm_issue_free(m.o);
	psm_issue_free(m.t);
	git_libgit2_shutdown();
	return r;
}
