/*
 * One item from outside, two issues: intake is idempotent per clone (the
 * batch index knows every Message-ID, URL and external ID the store holds),
 * but two clones that take in the same mailbox before they sync each make
 * an issue, and git merges the two new files without a conflict. psm check
 * finds issues that share what identifies an item from outside, the same
 * keys the batch index uses (lib/store/batch.c): (source, external_id), a
 * reporter's `ref`, a timeline entry's psm-ref marker. Issues closed as
 * duplicates are left out: psm dup carries a duplicate's refs to its
 * target on purpose.
 */
#include "validate-int.h"

#include <stdlib.h>
#include <string.h>

#include "psm/error.h"
#include "psm/grow.h"

#define REF_OPEN "<!-- psm-ref: "
#define REF_CLOSE " -->"

static int add_ref(struct psm_set_check *rs, const char *kind, const char *a, const char *b,
		   size_t issue, int line, int col)
{
	struct strbuf key = STRBUF_INIT;
	struct check_ref *v = psm_grow(rs->refs, rs->nrefs, &rs->refs_alloc, sizeof(*v), 64);

	if (!v)
		return psm_oom();
	rs->refs = v;
	strbuf_addf(&key, "%s%s%s%s", kind, a, b ? "\x1f" : "", b ? b : "");
	if (key.oom) {
		strbuf_release(&key);
		return psm_oom();
	}
	rs->refs[rs->nrefs].key = strbuf_detach(&key, NULL);
	rs->refs[rs->nrefs].issue = issue;
	rs->refs[rs->nrefs].line = line;
	rs->refs[rs->nrefs].col = col;
	rs->nrefs++;
	return 0;
}

int psm_validate__refs_add(struct psm_set_check *rs, const struct psm_issue *is, size_t idx)
{
	const struct psm_node *reps = psm_issue_node(is, "reporters"), *ext;
	const char *x = psm_issue_get(is, "external_id"), *src = psm_issue_get(is, "source");
	const char *p, *end;
	size_t i;
	int r = 0, line;

	if (psm_issue_get(is, "duplicate_of") || psm_streq(psm_issue_get(is, "resolution"), "duplicate"))
		return 0;
	if (x && *x && (ext = psm_issue_node(is, "external_id")))
		r = add_ref(rs, "x:", src ? src : "", x, idx, ext->line, ext->col);
	for (i = 0; !r && reps && reps->kind == PSM_SEQ && i < reps->n; i++) {
		const struct psm_node *ref = psm_node_get(reps->items[i], "ref");
		const char *rf = reps->items[i]->kind == PSM_MAP ? psm_node_str(ref) : NULL;

		if (rf && *rf)
			r = add_ref(rs, "r:", rf, NULL, idx, ref->line, ref->col);
	}
	/* markers anywhere in the body, as lib/store/batch.c indexes them; each is
	 * one line, so a line without its end is passed over */
	line = is->body_line;
	for (p = is->body.buf; !r && *p; p = end + (*end == '\n'), line++) {
		const char *open, *close;
		char *ref;

		end = p + strcspn(p, "\n");
		for (open = p; (open = memchr(open, '<', (size_t)(end - open))) &&
			       strncmp(open, REF_OPEN, strlen(REF_OPEN)); open++)
			;
		if (!open)
			continue;
		open += strlen(REF_OPEN);
		for (close = open; close + strlen(REF_CLOSE) <= end &&
				   strncmp(close, REF_CLOSE, strlen(REF_CLOSE)); close++)
			;
		if (close + strlen(REF_CLOSE) > end)
			continue;
		ref = psm_strndup(open, (size_t)(close - open));
		r = ref ? add_ref(rs, "r:", ref, NULL, idx, line, 1)
			: psm_oom();
		free(ref);
	}
	return r;
}

static int cmp_ref(const void *a, const void *b)
{
	const struct check_ref *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	return c ? c : x->issue < y->issue ? -1 : x->issue > y->issue;
}

/*
 * Of two copies, the one to keep: the one triage has seen (status not
 * new), else the one taken in first, else the lower ID. The other is the
 * duplicate to merge into it.
 */
static int keep_first(const struct check_issue *a, const struct check_issue *b)
{
	if (a->is_new != b->is_new)
		return b->is_new;
	if (a->created != b->created)
		return a->created < b->created;
	return strcmp(a->id ? a->id : "", b->id ? b->id : "") <= 0;
}

/* What the two share, for the message. */
static void describe(struct strbuf *out, const char *key)
{
	const char *sep = strchr(key, '\x1f');

	if (key[0] == 'x' && sep)
		strbuf_addf(out, "source '%.*s' and external_id '%s'", (int)(sep - key - 2), key + 2,
			    sep + 1);
	else
		strbuf_addf(out, "source reference '%s'", key + 2);
}

static int report(struct psm_issue_set *diag, const struct psm_set_check *c,
		  const struct check_ref *ra, const struct check_ref *rb)
{
	const struct check_issue *a = &c->v[ra->issue], *b = &c->v[rb->issue];
	int keep_a = keep_first(a, b);
	const struct check_issue *dup = keep_a ? b : a, *target = keep_a ? a : b;
	const struct check_ref *at = keep_a ? rb : ra;
	const char *did = dup->id, *tid = target->id;
	size_t abbrev = c->abbrev;
	struct strbuf msg = STRBUF_INIT;
	int r;

	strbuf_addstr(&msg, "the same ");
	describe(&msg, at->key);
	strbuf_addf(&msg, " as '%s': one item taken in twice (on two clones?); merge them: "
		    "psm dup %.*s --of %.*s", target->path ? target->path : "?", (int)abbrev,
		    did ? did : "?", (int)abbrev, tid ? tid : "?");
	r = msg.oom ? psm_oom()
		    : psm_issue_set_error(diag, dup->path ? dup->path : "-", at->line, at->col, msg.buf);
	strbuf_release(&msg);
	return r;
}

/* Two issues sharing a key: refs i and j of the sorted list. */
struct pair {
	size_t a, b;   /* issue indexes, a < b */
	size_t ra, rb; /* their refs */
};

static int cmp_pair(const void *x, const void *y)
{
	const struct pair *p = x, *q = y;

	if (p->a != q->a)
		return p->a < q->a ? -1 : 1;
	if (p->b != q->b)
		return p->b < q->b ? -1 : 1;
	return p->ra < q->ra ? -1 : p->ra > q->ra;
}

int psm_validate__refs_report(struct psm_issue_set *diag, struct psm_set_check *c)
{
	const struct check_ref *rs = c->refs;
	struct pair *pairs = NULL, *v;
	size_t i, j, np = 0, palloc = 0;
	int r = 0, count = 0;

	if (c->nrefs)
		qsort(c->refs, c->nrefs, sizeof(*c->refs), cmp_ref);
	/* the first holder of a key paired with each other one */
	for (i = 0; !r && i < c->nrefs; i = j)
		for (j = i + 1; j < c->nrefs && !strcmp(rs[j].key, rs[i].key); j++) {
			if (rs[j].issue == rs[i].issue)
				continue; /* one issue holding a ref twice */
			if (!(v = psm_grow(pairs, np, &palloc, sizeof(*v), 16))) {
				r = psm_oom();
				break;
			}
			pairs = v;
			pairs[np++] = (struct pair){ rs[i].issue, rs[j].issue, i, j };
		}
	if (!r && np)
		qsort(pairs, np, sizeof(*pairs), cmp_pair);
	/* each pair of issues once, at the first key they share */
	for (i = 0; !r && i < np; i++) {
		if (i && pairs[i].a == pairs[i - 1].a && pairs[i].b == pairs[i - 1].b)
			continue;
		if ((r = report(diag, c, &rs[pairs[i].ra], &rs[pairs[i].rb])) >= 0)
			count++;
	}
	free(pairs);
	return r < 0 ? r : count;
}
