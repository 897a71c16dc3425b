/*
 * An issue's front matter as bytes and back (cache-int.h). Little-endian
 * varints throughout:
 *
 *   meta:     counts (entries, nodes, items, string bytes: what unpacking
 *             allocates), body_line, sort_created (zigzag), then per entry
 *             its key, dirty flag and value; a 64-bit checksum last.
 *   node:     kind | plain << 2 | has_str << 3, line, col, end_line, the
 *             string (length, bytes) if any, then for lists and maps the
 *             item count and the items (a map's keys and values alternate).
 *   body:     the bytes, then their checksum.
 *   problems: count, then line, col and message each; a checksum last.
 *
 * Unpacking trusts nothing: every count and length is checked against what
 * is left, and the checksum against the bytes, before anything is built.
 */
#include "cache-int.h"

#include <stdlib.h>
#include <string.h>

#include "psm/error.h"
#include "psm/limit.h"

#define SEED_META 0x70736d6d657461ULL
#define SEED_BODY 0x70736d626f6479ULL
#define SEED_PROB 0x70736d70726f62ULL

uint64_t cache_hash64(const void *data, size_t len, uint64_t seed)
{
	const unsigned char *p = data;
	uint64_t h = seed ^ (len * 0x9e3779b97f4a7c15ULL);
	size_t i;

	/* 8 bytes a step, each mixed in by multiply and rotate */
	for (i = 0; i + 8 <= len; i += 8) {
		uint64_t w;

		memcpy(&w, p + i, 8);
		w *= 0x87c37b91114253d5ULL;
		w = w << 31 | w >> 33;
		h ^= w * 0x4cf5ad432745937fULL;
		h = (h << 27 | h >> 37) * 5 + 0x52dce729;
	}
	if (i < len) {
		uint64_t w = 0;

		memcpy(&w, p + i, len - i);
		w *= 0x87c37b91114253d5ULL;
		h ^= (w << 31 | w >> 33) * 0x4cf5ad432745937fULL;
	}
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	return h ^ (h >> 33);
}

/* ---- packing -------------------------------------------------------------- */

static void put_varint(struct strbuf *b, uint64_t v)
{
	unsigned char c[10];
	size_t n = 0;

	while (v >= 0x80) {
		c[n++] = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	c[n++] = (unsigned char)v;
	strbuf_add(b, c, n);
}

static void put_int(struct strbuf *b, int64_t v)
{
	put_varint(b, ((uint64_t)v << 1) ^ (uint64_t)(v >> 63));
}

static void put_bytes(struct strbuf *b, const char *s, size_t len)
{
	put_varint(b, len);
	strbuf_add(b, s, len);
}

static void put_sum(struct strbuf *b, size_t from, uint64_t seed)
{
	uint64_t h = cache_hash64(b->buf + from, b->len - from, seed);
	unsigned char c[8];
	int i;

	for (i = 0; i < 8; i++)
		c[i] = (unsigned char)(h >> (8 * i));
	strbuf_add(b, c, 8);
}

struct counts {
	size_t nodes, items, strs;
};

static void count_node(struct counts *c, const struct psm_node *n)
{
	size_t i;

	c->nodes++;
	if (n->str)
		c->strs += n->len + 1;
	if (n->kind != PSM_SCALAR) {
		c->items += n->n;
		for (i = 0; i < n->n; i++)
			count_node(c, n->items[i]);
	}
}

static void put_node(struct strbuf *b, const struct psm_node *n)
{
	size_t i;

	strbuf_addch(b, (int)n->kind | (n->plain ? 4 : 0) | (n->str ? 8 : 0));
	put_int(b, n->line);
	put_int(b, n->col);
	put_int(b, n->end_line);
	if (n->str)
		put_bytes(b, n->str, n->len);
	if (n->kind != PSM_SCALAR) {
		put_varint(b, n->n);
		for (i = 0; i < n->n; i++)
			put_node(b, n->items[i]);
	}
}

int cache_pack_issue(struct strbuf *out, const struct psm_issue *issue)
{
	struct counts c = { 0, 0, 0 };
	size_t i, start = out->len;

	for (i = 0; i < issue->n; i++) {
		c.strs += strlen(issue->entries[i].key) + 1;
		count_node(&c, issue->entries[i].value);
	}
	put_varint(out, issue->n);
	put_varint(out, c.nodes);
	put_varint(out, c.items);
	put_varint(out, c.strs);
	put_int(out, issue->body_line);
	put_int(out, issue->sort_created);
	for (i = 0; i < issue->n; i++) {
		const struct psm_entry *e = &issue->entries[i];

		put_bytes(out, e->key, strlen(e->key));
		strbuf_addch(out, e->dirty ? 1 : 0);
		put_node(out, e->value);
	}
	put_sum(out, start, SEED_META);
	return out->oom ? psm_oom() : 0;
}

int cache_pack_body(struct strbuf *out, const char *body, size_t len)
{
	size_t start = out->len;

	strbuf_add(out, body, len);
	put_sum(out, start, SEED_BODY);
	return out->oom ? psm_oom() : 0;
}

int cache_pack_problems(struct strbuf *out, const struct psm_issue_set *diag, size_t from)
{
	size_t i, start = out->len;

	put_varint(out, diag->nerrors - from);
	for (i = from; i < diag->nerrors; i++) {
		put_int(out, diag->errors[i].line);
		put_int(out, diag->errors[i].col);
		put_bytes(out, diag->errors[i].msg, strlen(diag->errors[i].msg));
	}
	put_sum(out, start, SEED_PROB);
	return out->oom ? psm_oom() : 0;
}

/* ---- unpacking ------------------------------------------------------------ */

struct dec {
	const unsigned char *p, *end;
	int bad;
	/* arena mode: one block carved in order; heap mode: arena NULL */
	char *arena;
	size_t used, cap;
	size_t nodes, items, strs; /* what the header promised, counted down */
	int depth;
	int oom;
};

static int check_sum(const void *data, size_t len, uint64_t seed, size_t *body)
{
	const unsigned char *p = data;
	uint64_t h = 0;
	int i;

	if (!data || len < 8)
		return -1;
	*body = len - 8;
	for (i = 7; i >= 0; i--)
		h = h << 8 | p[*body + (size_t)i];
	return h == cache_hash64(data, *body, seed) ? 0 : -1;
}

static uint64_t get_varint(struct dec *d)
{
	uint64_t v = 0;
	int shift = 0;

	while (d->p < d->end && shift < 64) {
		unsigned char c = *d->p++;

		v |= (uint64_t)(c & 0x7f) << shift;
		if (!(c & 0x80))
			return v;
		shift += 7;
	}
	d->bad = 1;
	return 0;
}

static int64_t get_int(struct dec *d)
{
	uint64_t v = get_varint(d);

	return (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
}

static int get_small(struct dec *d)
{
	int64_t v = get_int(d);

	if (v < 0 || v > INT32_MAX)
		d->bad = 1;
	return d->bad ? 0 : (int)v;
}

/* Room for size bytes in the arena (aligned), or a fresh allocation. */
static void *take(struct dec *d, size_t size, int zero)
{
	void *p;

	if (!d->arena) {
		p = zero ? calloc(1, size ? size : 1) : malloc(size ? size : 1);
		if (!p)
			d->oom = d->bad = 1;
		return p;
	}
	d->used = (d->used + 7) & ~(size_t)7;
	if (size > d->cap - d->used) {
		d->bad = 1;
		return NULL;
	}
	p = d->arena + d->used;
	d->used += size;
	if (zero)
		memset(p, 0, size);
	return p;
}

/* A string of the packed record, NUL-terminated; counted against strs. */
static char *get_str(struct dec *d, size_t *len)
{
	uint64_t l = get_varint(d);
	char *s;

	if (d->bad || l > (uint64_t)(d->end - d->p) || l + 1 > d->strs) {
		d->bad = 1;
		return NULL;
	}
	d->strs -= l + 1;
	if (!(s = take(d, l + 1, 0)))
		return NULL;
	memcpy(s, d->p, l);
	s[l] = '\0';
	d->p += l;
	*len = l;
	return s;
}

static void free_node(struct dec *d, struct psm_node *n)
{
	if (!d->arena)
		psm_node_free(n);
}

static struct psm_node *get_node(struct dec *d)
{
	struct psm_node *n;
	unsigned tag;
	size_t i;

	if (d->p >= d->end || !d->nodes || ++d->depth > PSM_LIMIT_YAML_DEPTH + 2) {
		d->bad = 1;
		return NULL;
	}
	d->nodes--;
	tag = *d->p++;
	if ((tag & 3) > PSM_MAP || tag > 15 || !(n = take(d, sizeof(*n), 1))) {
		d->bad = 1;
		return NULL;
	}
	n->kind = (enum psm_node_kind)(tag & 3);
	n->plain = (tag & 4) != 0;
	n->line = get_small(d);
	n->col = get_small(d);
	n->end_line = get_small(d);
	if ((tag & 8) && !(n->str = get_str(d, &n->len)))
		goto bad;
	if (n->kind != PSM_SCALAR) {
		uint64_t cnt = get_varint(d);

		if (d->bad || cnt > d->items || cnt > (uint64_t)(d->end - d->p))
			goto bad;
		d->items -= cnt;
		if (cnt && !(n->items = take(d, cnt * sizeof(*n->items), 1)))
			goto bad;
		n->alloc = cnt;
		for (i = 0; i < cnt; i++) {
			if (!(n->items[i] = get_node(d)))
				goto bad;
			n->n++;
		}
	}
	d->depth--;
	return n;
bad:
	d->bad = 1;
	free_node(d, n);
	return NULL;
}

void cache_arena_release(struct cache_arena *a)
{
	free(a->buf);
	a->buf = NULL;
	a->alloc = 0;
}

/* Sizes of an arena issue: every block rounded up to 8 as take() does. */
static size_t arena_size(size_t nent, size_t nodes, size_t items, size_t strs, size_t plen,
			 size_t blen)
{
	size_t r8 = 8;

	return sizeof(struct psm_issue) + r8 + nent * sizeof(struct psm_entry) + r8 +
	       nodes * (sizeof(struct psm_node) + r8) + items * sizeof(struct psm_node *) +
	       nodes * r8 + strs + (nent + nodes) * r8 + plen + r8 + blen + r8;
}

static int unpack_issue(struct psm_issue **out, struct cache_arena *a, const void *meta,
			size_t len, const char *path, const void *body, size_t blen, int verify)
{
	struct dec d = { 0 };
	struct psm_issue *is = NULL;
	uint64_t nent;
	size_t i, plen = strlen(path), mlen;

	*out = NULL;
	if (verify ? check_sum(meta, len, SEED_META, &mlen) < 0 : !meta || len < 8)
		return PSM_EPARSE;
	if (!verify)
		mlen = len - 8;
	d.p = meta;
	d.end = d.p + mlen;
	nent = get_varint(&d);
	d.nodes = get_varint(&d);
	d.items = get_varint(&d);
	d.strs = get_varint(&d);
	/* every entry, node and string takes at least a byte of the record */
	if (d.bad || nent > mlen || d.nodes > mlen || d.items > mlen || d.strs > 2 * mlen ||
	    nent > d.nodes)
		return PSM_EPARSE;
	if (a) {
		size_t need = arena_size(nent, d.nodes, d.items, d.strs, plen, blen);

		if (need > a->alloc) {
			char *nb = realloc(a->buf, need);

			if (!nb)
				return psm_oom();
			a->buf = nb;
			a->alloc = need;
		}
		d.arena = a->buf;
		d.cap = a->alloc;
		if (!(is = take(&d, sizeof(*is), 1)))
			return PSM_EPARSE;
		strbuf_init(&is->preamble, 0);
		strbuf_init(&is->trailer, 0);
		strbuf_init(&is->body, 0);
		if (nent && !(is->entries = take(&d, nent * sizeof(*is->entries), 1)))
			return PSM_EPARSE;
	} else {
		if (!(is = psm_issue_new()) ||
		    (nent && !(is->entries = calloc(nent, sizeof(*is->entries))))) {
			psm_issue_free(is);
			return psm_oom();
		}
	}
	is->alloc = nent;
	is->body_line = get_small(&d);
	is->sort_created = get_int(&d);
	for (i = 0; i < nent && !d.bad; i++) {
		struct psm_entry *e = &is->entries[i];
		size_t klen;

		strbuf_init(&e->lead, 0);
		strbuf_init(&e->raw, 0);
		if (!(e->key = get_str(&d, &klen)))
			break;
		is->n++;
		if (d.p >= d.end || *d.p > 1) {
			d.bad = 1;
			break;
		}
		e->dirty = *d.p++;
		e->value = get_node(&d);
	}
	if (d.bad || d.p != d.end)
		goto bad;
	if (a) {
		char *p = take(&d, plen + 1, 0), *b = take(&d, blen + 1, 0);

		if (!p || !b)
			goto bad;
		memcpy(p, path, plen + 1);
		is->path = p;
		if (blen)
			memcpy(b, body, blen);
		b[blen] = '\0';
		/* a strbuf that owns nothing: the arena holds the bytes */
		is->body.buf = b;
		is->body.len = blen;
	} else if (!(is->path = psm_strdup(path)) || strbuf_add(&is->body, body, blen) < 0) {
		psm_issue_free(is);
		return psm_oom();
	}
	*out = is;
	return 0;
bad:
	if (!a)
		psm_issue_free(is);
	return d.oom ? psm_oom() : PSM_EPARSE;
}

int cache_unpack_issue(struct psm_issue **out, struct cache_arena *a, const void *meta,
		       size_t len, const char *path, const void *body, size_t blen)
{
	return unpack_issue(out, a, meta, len, path, body, blen, 1);
}

int cache_unpack_kept(struct psm_issue **out, struct cache_arena *a, const void *meta,
		      size_t len, const char *path, const void *body, size_t blen)
{
	return unpack_issue(out, a, meta, len, path, body, blen, 0);
}

int cache_meta_ok(const void *meta, size_t len)
{
	size_t mlen;

	return check_sum(meta, len, SEED_META, &mlen) == 0;
}

int cache_body_ok(const void *packed, size_t plen)
{
	size_t len;

	return check_sum(packed, plen, SEED_BODY, &len) == 0;
}

int cache_unpack_body_kept(const char **text, size_t *len, const void *packed, size_t plen)
{
	if (!packed || plen < 8)
		return PSM_EPARSE;
	*text = packed;
	*len = plen - 8;
	return 0;
}

int cache_unpack_body(const char **text, size_t *len, const void *packed, size_t plen)
{
	if (check_sum(packed, plen, SEED_BODY, len) < 0)
		return PSM_EPARSE;
	*text = packed;
	return 0;
}

int cache_problem_count(const void *p, size_t len)
{
	struct dec d = { 0 };
	size_t blen;
	uint64_t n;

	if (check_sum(p, len, SEED_PROB, &blen) < 0)
		return -1;
	d.p = p;
	d.end = d.p + blen;
	n = get_varint(&d);
	return d.bad || n > blen ? -1 : (int)n;
}

int cache_unpack_problems(struct psm_issue_set *diag, const char *path, const void *p,
			  size_t len)
{
	struct dec d = { 0 };
	size_t blen, i, before = diag->nerrors;
	uint64_t n;
	int r = 0;

	if (check_sum(p, len, SEED_PROB, &blen) < 0)
		return PSM_EPARSE;
	d.p = p;
	d.end = d.p + blen;
	n = get_varint(&d);
	if (d.bad || n > blen)
		return PSM_EPARSE;
	for (i = 0; i < n && !r; i++) {
		int line = get_small(&d), col = get_small(&d);
		uint64_t l = get_varint(&d);
		char *msg;

		if (d.bad || l > (uint64_t)(d.end - d.p)) {
			r = PSM_EPARSE;
			break;
		}
		if (!(msg = psm_strndup((const char *)d.p, l)))
			return psm_oom();
		d.p += l;
		r = psm_issue_set_error(diag, path, line, col, msg);
		free(msg);
	}
	if (!r && d.p != d.end)
		r = PSM_EPARSE;
	if (r == PSM_EPARSE) { /* nothing half-added */
		while (diag->nerrors > before) {
			diag->nerrors--;
			free(diag->errors[diag->nerrors].path);
			free(diag->errors[diag->nerrors].msg);
		}
	}
	return r < 0 ? r : (int)n;
}
