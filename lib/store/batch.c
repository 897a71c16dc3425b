#include "psm/batch.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "psm/config.h"
#include "psm/conflict.h"
#include "psm/error.h"
#include "psm/fs.h"
#include "psm/grow.h"
#include "psm/txn.h"
#include "psm/validate.h"

#define NO_ISSUE SIZE_MAX /* an ID taken by a file the scan could not read */
#define REF_OPEN "<!-- psm-ref: "
#define REF_CLOSE " -->"

/* Open addressing, string keys to issue indexes. */
struct slot {
	char *key;
	size_t val;
};

struct map {
	struct slot *slots;
	size_t n, cap;
};

struct psm_batch {
	struct psm_store *s;
	struct psm_txn *txn;
	struct psm_issue_set scan; /* only its errors: the issues moved to v */
	struct psm_issue_set invalid; /* psm_batch_found()'s, named after the unreadable */
	/*
	 * The store's issues, then the new ones. An issue handed in by
	 * psm_batch_found() is kept as its path, ID and whether it is a
	 * duplicate (v[i] NULL) until something asks for it: then its file is
	 * read, under the batch's lock.
	 */
	struct psm_issue **v;
	char **path, **idv;
	unsigned char *changed, *dupe;
	size_t n, alloc;
	int reread_error;           /* a file could not be read again: no commit */
	struct strbuf reread_msg;
	struct map index;
	int committed;
	struct strbuf undo; /* psm_batch_will_change(): the issue's text before */
	size_t undo_idx;    /* which issue; SIZE_MAX: none */
};

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static struct slot *map_slot(const struct map *m, const char *key)
{
	size_t i = (size_t)hash(key) & (m->cap - 1);

	while (m->slots[i].key && strcmp(m->slots[i].key, key))
		i = (i + 1) & (m->cap - 1);
	return &m->slots[i];
}

static int map_grow(struct map *m)
{
	struct map bigger = { NULL, m->n, m->cap ? m->cap * 2 : 1024 };
	size_t i;

	if (!(bigger.slots = calloc(bigger.cap, sizeof(*bigger.slots))))
		return psm_oom();
	for (i = 0; i < m->cap; i++)
		if (m->slots[i].key)
			*map_slot(&bigger, m->slots[i].key) = m->slots[i];
	free(m->slots);
	*m = bigger;
	return 0;
}

static const size_t *map_get(const struct map *m, const char *key)
{
	const struct slot *sl;

	if (!m->cap)
		return NULL;
	sl = map_slot(m, key);
	return sl->key ? &sl->val : NULL;
}

/* Insert unless present: the first holder of a key keeps it. */
static int map_put(struct map *m, const char *key, size_t val)
{
	struct slot *sl;
	int r;

	if ((m->n + 1) * 2 > m->cap && (r = map_grow(m)) < 0)
		return r;
	sl = map_slot(m, key);
	if (sl->key)
		return 0;
	if (!(sl->key = psm_strdup(key)))
		return psm_oom();
	sl->val = val;
	m->n++;
	return 0;
}

static void map_free(struct map *m)
{
	size_t i;

	for (i = 0; i < m->cap; i++)
		free(m->slots[i].key);
	free(m->slots);
}

/* Keys: a one-letter kind, then the parts separated by a unit separator. */
static void key_id(struct strbuf *k, const char *id)
{
	strbuf_reset(k);
	strbuf_addf(k, "i:%s", id);
}

static int key_external(struct strbuf *k, const struct psm_issue *issue)
{
	const char *src = psm_issue_get(issue, "source"), *ext = psm_issue_get(issue, "external_id");

	strbuf_reset(k);
	if (!ext || !*ext)
		return 0;
	strbuf_addf(k, "x:%s\x1f%s", src ? src : "", ext);
	return 1;
}

static int key_content(struct strbuf *k, const struct psm_issue *issue)
{
	const char *src = psm_issue_get(issue, "source"), *created = psm_issue_get(issue, "created");
	const char *title = psm_issue_get(issue, "title");

	strbuf_reset(k);
	if (!created || !title)
		return 0;
	strbuf_addf(k, "c:%s\x1f%s\x1f%s", src ? src : "", created, title);
	return 1;
}

static void key_ref(struct strbuf *k, const char *ref)
{
	strbuf_reset(k);
	strbuf_addf(k, "r:%s", ref);
}

static int is_duplicate(const struct psm_issue *is)
{
	return psm_issue_get(is, "duplicate_of") ||
	       psm_streq(psm_issue_get(is, "resolution"), "duplicate");
}

/* Is issue i a duplicate: as read, or as handed in when not read yet. */
static int dupe_at(const struct psm_batch *b, size_t i)
{
	return b->v[i] ? is_duplicate(b->v[i]) : b->dupe[i];
}

/*
 * A ref held both by a duplicate and by another issue (psm dup carries the
 * duplicate's refs to its target) answers to the other one, so a later
 * reply is threaded where the work goes on.
 */
static int put_ref(struct psm_batch *b, const char *ref, size_t idx)
{
	struct strbuf k = STRBUF_INIT;
	struct slot *sl;
	int r;

	key_ref(&k, ref);
	if (k.oom) {
		r = psm_oom();
	} else if (b->index.cap && (sl = map_slot(&b->index, k.buf))->key) {
		if (sl->val != NO_ISSUE && sl->val != idx && dupe_at(b, sl->val) &&
		    !dupe_at(b, idx))
			sl->val = idx;
		r = 0;
	} else {
		r = map_put(&b->index, k.buf, idx);
	}
	strbuf_release(&k);
	return r;
}

/* Every key the issue answers to. */
static int index_issue(struct psm_batch *b, size_t idx, const struct psm_issue *issue)
{
	const struct psm_node *reps = psm_issue_node(issue, "reporters");
	const char *id = psm_issue_get(issue, "id"), *p;
	struct strbuf k = STRBUF_INIT, ref = STRBUF_INIT;
	size_t i;
	int r = 0;

	if (id) {
		key_id(&k, id);
		r = k.oom ? psm_oom() : map_put(&b->index, k.buf, idx);
	}
	if (!r && key_external(&k, issue))
		r = k.oom ? psm_oom() : map_put(&b->index, k.buf, idx);
	if (!r && key_content(&k, issue))
		r = k.oom ? psm_oom() : map_put(&b->index, k.buf, idx);
	for (i = 0; !r && reps && reps->kind == PSM_SEQ && i < reps->n; i++) {
		const char *rf = psm_node_get_str(reps->items[i], "ref");

		if (rf && *rf)
			r = put_ref(b, rf, idx);
	}
	for (p = issue->body.buf; !r && (p = strstr(p, REF_OPEN));) {
		const char *end;

		p += strlen(REF_OPEN);
		if (!(end = strstr(p, REF_CLOSE)) || memchr(p, '\n', (size_t)(end - p)))
			continue;
		strbuf_reset(&ref);
		strbuf_add(&ref, p, (size_t)(end - p));
		r = ref.oom ? psm_oom() : put_ref(b, ref.buf, idx);
	}
	strbuf_release(&k);
	strbuf_release(&ref);
	return r;
}

static int push_issue(struct psm_batch *b, struct psm_issue *issue, int changed)
{
	if (b->n == b->alloc) {
		size_t na = b->alloc;
		struct psm_issue **nv = psm_grow(b->v, b->n, &na, sizeof(*nv), 256);
		char **np = NULL, **ni = NULL;
		unsigned char *nc = NULL, *nd = NULL;

		if (nv)
			b->v = nv;
		/* the others run parallel to v: the same length */
		if (nv && (np = realloc(b->path, na * sizeof(*np))))
			b->path = np;
		if (np && (ni = realloc(b->idv, na * sizeof(*ni))))
			b->idv = ni;
		if (ni && (nc = realloc(b->changed, na)))
			b->changed = nc;
		if (nc && (nd = realloc(b->dupe, na)))
			b->dupe = nd;
		if (!nd)
			return psm_oom();
		b->alloc = na;
	}
	b->v[b->n] = issue;
	b->path[b->n] = NULL;
	b->idv[b->n] = NULL;
	b->changed[b->n] = (unsigned char)changed;
	b->dupe[b->n] = 0;
	b->n++;
	return 0;
}

/* "issues/7k/7kq2m9xabc.md" -> its ID, reserved though unreadable. */
static int reserve_path(struct psm_batch *b, const char *path)
{
	const char *slash = strrchr(path, '/');
	struct strbuf k = STRBUF_INIT;
	int r = 0;

	if (slash && strlen(slash + 1) == PSM_ID_LEN + 3) {
		strbuf_addstr(&k, "i:");
		strbuf_add(&k, slash + 1, PSM_ID_LEN);
		r = k.oom ? psm_oom() : map_put(&b->index, k.buf, NO_ISSUE);
	}
	strbuf_release(&k);
	return r;
}

int psm_batch_begin(struct psm_batch **out, struct psm_store *s)
{
	struct psm_batch *b = calloc(1, sizeof(*b));
	int r;

	*out = NULL;
	if (!b)
		return psm_oom();
	b->s = s;
	strbuf_init(&b->undo, 0);
	strbuf_init(&b->reread_msg, 0);
	b->undo_idx = SIZE_MAX;
	if ((r = psm_txn_begin(&b->txn, s)) < 0) {
		psm_batch_free(b);
		return r;
	}
	psm_txn_batch(b->txn);
	*out = b;
	return 0;
}

int psm_batch_found(struct psm_batch *b, const struct psm_issue *issue,
		    const struct psm_scan_error *problem)
{
	const char *id = psm_issue_get(issue, "id");
	size_t i = b->n;
	int r;

	if ((r = push_issue(b, NULL, 0)) < 0)
		return r;
	if (!(b->path[i] = psm_strdup(issue->path)) || (id && !(b->idv[i] = psm_strdup(id))))
		return psm_oom();
	b->dupe[i] = (unsigned char)is_duplicate(issue);
	/* one psm check rejects is named like an unreadable file, but stays
	 * to be matched: a change to it is refused when it is saved */
	if (problem && (r = psm_issue_set_error(&b->invalid, issue->path, problem->line,
						problem->col, problem->msg)) < 0)
		return r;
	return index_issue(b, i, issue);
}

int psm_batch_unreadable(struct psm_batch *b, const struct psm_scan_error *e)
{
	return psm_issue_set_error(&b->scan, e->path, e->line, e->col, e->msg);
}

int psm_batch_ready(struct psm_batch *b)
{
	size_t i;
	int r;

	for (i = 0; i < b->invalid.nerrors; i++) {
		const struct psm_scan_error *e = &b->invalid.errors[i];

		if ((r = psm_issue_set_error(&b->scan, e->path, e->line, e->col, e->msg)) < 0)
			return r;
	}
	psm_issue_set_release(&b->invalid);
	/* after every issue's keys: an ID an issue holds answers to it */
	for (i = 0; i < b->scan.nerrors; i++)
		if ((r = reserve_path(b, b->scan.errors[i].path)) < 0)
			return r;
	return 0;
}

void psm_batch_free(struct psm_batch *b)
{
	size_t i;

	if (!b)
		return;
	psm_txn_free(b->txn); /* rolls back unless committed */
	for (i = 0; i < b->n; i++) {
		psm_issue_free(b->v[i]);
		free(b->path[i]);
		free(b->idv[i]);
	}
	free(b->v);
	free(b->path);
	free(b->idv);
	free(b->changed);
	free(b->dupe);
	psm_issue_set_release(&b->invalid);
	strbuf_release(&b->reread_msg);
	map_free(&b->index);
	psm_issue_set_release(&b->scan);
	strbuf_release(&b->undo);
	free(b);
}

const struct psm_issue_set *psm_batch_scan_errors(const struct psm_batch *b)
{
	return &b->scan;
}

/*
 * Issue i, its file read if it was not yet. A file the batch found but
 * cannot read again (changed by hand meanwhile) answers as no issue, and
 * the batch refuses to commit: nothing is written from a guess.
 */
static struct psm_issue *issue_at(struct psm_batch *b, size_t i)
{
	struct psm_yaml_error err = { 0, 0, STRBUF_INIT };
	struct psm_issue *is;

	if (b->v[i] || !b->path[i])
		return b->v[i];
	if (psm_store_load_path(&is, b->s, b->path[i], &err) < 0) {
		if (!b->reread_error++)
			strbuf_addf(&b->reread_msg, "'%s' changed while the batch ran: %s", b->path[i],
				    err.msg.len ? err.msg.buf : psm_error_last());
		strbuf_release(&err.msg);
		return NULL;
	}
	strbuf_release(&err.msg);
	b->v[i] = is;
	return is;
}

static struct psm_issue *lookup(struct psm_batch *b, const struct strbuf *k)
{
	const size_t *idx = k->oom ? NULL : map_get(&b->index, k->buf);

	return idx && *idx != NO_ISSUE ? issue_at(b, *idx) : NULL;
}

struct psm_issue *psm_batch_find_ref(struct psm_batch *b, const char *ref)
{
	struct strbuf k = STRBUF_INIT;
	struct psm_issue *issue;

	key_ref(&k, ref);
	issue = lookup(b, &k);
	strbuf_release(&k);
	return issue;
}

struct psm_issue *psm_batch_holder(struct psm_batch *b, const struct psm_issue *cand,
				   int flags, const char **why)
{
	const struct psm_node *reps = psm_issue_node(cand, "reporters");
	const char *id = psm_issue_get(cand, "id");
	struct strbuf k = STRBUF_INIT;
	struct psm_issue *found = NULL;
	size_t i;

	*why = NULL;
	if (id) {
		key_id(&k, id);
		if ((found = lookup(b, &k)))
			*why = "id";
	}
	if (!found && key_external(&k, cand) && (found = lookup(b, &k)))
		*why = "external_id";
	for (i = 0; !found && reps && reps->kind == PSM_SEQ && i < reps->n; i++) {
		const char *rf = psm_node_get_str(reps->items[i], "ref");

		if (rf && *rf && (found = psm_batch_find_ref(b, rf)))
			*why = "ref";
	}
	if (!found && (flags & PSM_BATCH_MATCH_CONTENT) && key_content(&k, cand) &&
	    (found = lookup(b, &k)))
		*why = "source, created and title";
	strbuf_release(&k);
	return found;
}

/* A fresh ID no issue (readable or not) has; 50 random bits rarely collide. */
static int fresh_id(struct psm_batch *b, struct strbuf *id)
{
	struct strbuf k = STRBUF_INIT;
	char buf[PSM_ID_LEN + 1];
	int r;

	do {
		if ((r = psm_id_new(buf)) < 0)
			goto out;
		key_id(&k, buf);
	} while (!k.oom && map_get(&b->index, k.buf));
	strbuf_reset(id);
	strbuf_addstr(id, buf);
	r = k.oom || id->oom ? psm_oom() : 0;
out:
	strbuf_release(&k);
	return r;
}

int psm_batch_add(struct psm_batch *b, struct psm_issue *issue)
{
	struct strbuf id = STRBUF_INIT, path = STRBUF_INIT, k = STRBUF_INIT, text = STRBUF_INIT;
	const char *given = psm_issue_get(issue, "id");
	int r;

	if (given && psm_id_valid(given)) {
		key_id(&k, given);
		if (!k.oom && map_get(&b->index, k.buf)) {
			r = psm_error(PSM_EINVALID, "id '%s' is taken by another issue", given);
			goto out;
		}
		strbuf_addstr(&id, given);
	} else if ((r = fresh_id(b, &id)) < 0) {
		goto out;
	}
	if ((r = psm_issue_set(issue, "id", id.buf)) < 0 ||
	    (r = psm_issue_path(&path, id.buf)) < 0)
		goto out;
	free(issue->path);
	if (!(issue->path = strbuf_detach(&path, NULL))) {
		r = psm_oom();
		goto out;
	}
	/* outside text that only looks like a conflict must not fail psm
	 * check; then the write's own check (txn.c), now: the item fails alone */
	if ((r = psm_conflict_escape(&issue->body)) < 0 ||
	    (r = psm_issue_format(&text, issue)) < 0 ||
	    (r = psm_validate_write(NULL, issue->path, text.buf, text.len, b->s->config)) < 0)
		goto out;
	if ((r = push_issue(b, issue, 1)) < 0)
		goto out;
	issue = NULL;
	r = index_issue(b, b->n - 1, b->v[b->n - 1]);
out:
	psm_issue_free(issue);
	strbuf_release(&id);
	strbuf_release(&path);
	strbuf_release(&k);
	strbuf_release(&text);
	return r;
}

static int find_index(struct psm_batch *b, const struct psm_issue *issue, size_t *out)
{
	const char *id = psm_issue_get(issue, "id");
	struct strbuf k = STRBUF_INIT;
	const size_t *idx;

	key_id(&k, id ? id : "");
	idx = k.oom ? NULL : map_get(&b->index, k.buf);
	strbuf_release(&k);
	if (!idx || *idx == NO_ISSUE || b->v[*idx] != issue)
		return psm_error(PSM_EINVALID, "issue '%s' is not part of this batch", id ? id : "?");
	*out = *idx;
	return 0;
}

int psm_batch_will_change(struct psm_batch *b, const struct psm_issue *issue)
{
	size_t i;
	int r;

	if ((r = find_index(b, issue, &i)) < 0)
		return r;
	strbuf_reset(&b->undo);
	b->undo_idx = SIZE_MAX;
	if ((r = psm_issue_format(&b->undo, issue)) < 0)
		return r;
	b->undo_idx = i;
	return 0;
}

/* Put issue i back as psm_batch_will_change() saw it. */
static int undo(struct psm_batch *b, size_t i)
{
	struct psm_yaml_error err = { 0, 0, STRBUF_INIT };
	struct psm_issue *back, tmp;
	int r;

	r = psm_issue_parse(&back, b->undo.buf, b->undo.len, &err);
	strbuf_release(&err.msg);
	if (r < 0)
		return r; /* it parsed before: only memory can fail */
	if (!(back->path = psm_strdup(b->v[i]->path))) {
		psm_issue_free(back);
		return psm_oom();
	}
	/* in place: callers keep their pointer to the issue */
	tmp = *b->v[i];
	*b->v[i] = *back;
	*back = tmp;
	psm_issue_free(back);
	return 0;
}

int psm_batch_changed(struct psm_batch *b, struct psm_issue *issue, const char *ref)
{
	struct strbuf text = STRBUF_INIT, full = STRBUF_INIT;
	size_t i;
	int r;

	if ((r = find_index(b, issue, &i)) < 0)
		return r;
	/* the write's own checks (txn.c), now: the item fails alone */
	strbuf_addf(&full, "%s%s", b->s->root, issue->path);
	if (full.oom)
		r = psm_oom();
	else if ((r = psm_check_writable(full.buf, issue->path)) == 0 &&
		 (r = psm_issue_format(&text, issue)) == 0 &&
		 (r = psm_validate_write(NULL, issue->path, text.buf, text.len, b->s->config)) < 0 &&
		 r == PSM_EINVALID)
		psm_error(r, "refusing to write '%s': %s", issue->path, psm_error_last());
	if (r == PSM_EINVALID && b->undo_idx == i) {
		struct strbuf msg = STRBUF_INIT;

		strbuf_addstr(&msg, psm_error_last());
		if (undo(b, i) < 0)
			r = PSM_ENOMEM;
		else
			psm_error(r, "%s", msg.buf);
		strbuf_release(&msg);
	}
	b->undo_idx = SIZE_MAX;
	strbuf_release(&text);
	strbuf_release(&full);
	if (r < 0)
		return r;
	b->changed[i] = 1;
	return ref && *ref ? put_ref(b, ref, i) : 0;
}

int psm_batch_ref_line(struct strbuf *out, const char *ref)
{
	strbuf_addf(out, "%s%s%s\n", REF_OPEN, ref, REF_CLOSE);
	return out->oom ? psm_oom() : 0;
}

int psm_batch_commit(struct psm_batch *b, const char *message)
{
	size_t i, written = 0;
	int r;

	if (b->reread_error)
		return psm_error(PSM_ERROR, "not committing the batch: %s; nothing was written: "
				 "run it again", b->reread_msg.buf);
	for (i = 0; i < b->n; i++) {
		if (!b->changed[i])
			continue;
		if ((r = psm_txn_save(b->txn, b->v[i])) < 0)
			return r;
		written += (size_t)r;
	}
	if (!written)
		return 0;
	if ((r = psm_txn_commit(b->txn, message)) < 0)
		return r;
	b->committed = 1;
	return written > INT32_MAX ? INT32_MAX : (int)written;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

size_t psm_batch_abbrev(const struct psm_batch *b)
{
	const char **ids = calloc(b->n ? b->n : 1, sizeof(*ids));
	size_t i, n = 0, len = PSM_SHORT_ID_LEN;

	if (!ids)
		return PSM_ID_LEN; /* always unique */
	for (i = 0; i < b->n; i++) {
		const char *id = b->v[i] ? psm_issue_get(b->v[i], "id") : b->idv[i];

		if (id)
			ids[n++] = id;
	}
	qsort(ids, n, sizeof(*ids), cmp_str);
	for (i = 1; i < n; i++) {
		size_t c = 0;

		while (ids[i - 1][c] && ids[i - 1][c] == ids[i][c])
			c++;
		if (c < PSM_ID_LEN && c + 1 > len)
			len = c + 1;
	}
	free(ids);
	return len;
}

size_t psm_batch_count(const struct psm_batch *b)
{
	return b->n;
}
