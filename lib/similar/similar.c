/* Similar issues: terms, documents, TF-IDF vectors and cosine queries (words
 * are made in similar-words.c, the index file kept in similar-index.c). */
#include "similar-int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "psm/cache.h"
#include "psm/error.h"
#include "psm/grow.h"
#include "psm/time.h"

/* ---- maps, terms and documents ---------------------------------------- */

static uint32_t hash_str(const char *s)
{
	uint32_t h = 2166136261u; /* FNV-1a */

	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	/* FNV's low bits, which index the table, depend only on the inputs'
	 * low bits: mix the high bits down (murmur3's finaliser) */
	h ^= h >> 16;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	h *= 0xc2b2ae35u;
	return h ^ (h >> 16);
}

static const char *map_key(const struct psm_similar *ix, int docs, uint32_t idx)
{
	return docs ? ix->docs[idx].path : ix->terms[idx];
}

int sim_map_find(const struct sim_map *m, const struct psm_similar *ix, int docs,
		 const char *key, uint32_t *idx)
{
	size_t i;

	if (!m->cap)
		return 0;
	for (i = hash_str(key) & (m->cap - 1); m->slot[i]; i = (i + 1) & (m->cap - 1))
		if (!strcmp(map_key(ix, docs, m->slot[i] - 1), key)) {
			*idx = m->slot[i] - 1;
			return 1;
		}
	return 0;
}

static int map_grow(struct sim_map *m, const struct psm_similar *ix, int docs)
{
	size_t cap = m->cap ? m->cap * 2 : 1024, i, j;
	uint32_t *slot = calloc(cap, sizeof(*slot));

	if (!slot)
		return psm_oom();
	for (i = 0; i < m->cap; i++) {
		if (!m->slot[i])
			continue;
		for (j = hash_str(map_key(ix, docs, m->slot[i] - 1)) & (cap - 1); slot[j];
		     j = (j + 1) & (cap - 1))
			;
		slot[j] = m->slot[i];
	}
	free(m->slot);
	m->slot = slot;
	m->cap = cap;
	return 0;
}

/* key must already be reachable as map_key(ix, docs, idx). */
int sim_map_add(struct sim_map *m, const struct psm_similar *ix, int docs,
		const char *key, uint32_t idx)
{
	size_t i;

	if ((m->n + 1) * 2 > m->cap && map_grow(m, ix, docs) < 0)
		return PSM_ENOMEM;
	for (i = hash_str(key) & (m->cap - 1); m->slot[i]; i = (i + 1) & (m->cap - 1))
		;
	m->slot[i] = idx + 1;
	m->n++;
	return 0;
}

int sim_term_intern(struct psm_similar *ix, const char *word, size_t len, uint32_t *id)
{
	char *w;

	if (ix->nterms == ix->talloc) {
		size_t na = ix->talloc;
		char **nt = psm_grow(ix->terms, ix->nterms, &na, sizeof(*nt), 4096);
		uint32_t *ndf;

		if (!nt)
			return psm_oom();
		ix->terms = nt;
		/* df runs parallel to terms: the same length */
		if (!(ndf = realloc(ix->df, na * sizeof(*ndf))))
			return psm_oom();
		ix->df = ndf;
		ix->talloc = na;
	}
	if (!(w = psm_strndup(word, len)))
		return psm_oom();
	if (sim_map_find(&ix->term_map, ix, 0, w, id)) {
		free(w);
		return 0;
	}
	ix->terms[ix->nterms] = w;
	ix->df[ix->nterms] = 0;
	if (sim_map_add(&ix->term_map, ix, 0, w, ix->nterms) < 0) {
		free(w);
		return psm_oom();
	}
	*id = ix->nterms++;
	return 0;
}

int sim_doc_slot(struct psm_similar *ix, const char *path, struct sim_doc **out)
{
	struct sim_doc *d;
	uint32_t idx;
	const char *base;

	if (sim_map_find(&ix->doc_map, ix, 1, path, &idx)) {
		*out = &ix->docs[idx];
		return 0;
	}
	if (ix->ndocs == ix->dalloc) {
		struct sim_doc *nd = psm_grow(ix->docs, ix->ndocs, &ix->dalloc, sizeof(*nd), 1024);

		if (!nd)
			return psm_oom();
		ix->docs = nd;
	}
	d = &ix->docs[ix->ndocs];
	memset(d, 0, sizeof(*d));
	if (!(d->path = psm_strdup(path)))
		return psm_oom();
	base = strrchr(path, '/');
	base = base ? base + 1 : path;
	memcpy(d->id, base, strnlen(base, PSM_ID_LEN));
	if (sim_map_add(&ix->doc_map, ix, 1, d->path, (uint32_t)ix->ndocs) < 0) {
		free(d->path);
		return psm_oom();
	}
	ix->ndocs++;
	*out = d;
	return 0;
}

void sim_doc_clear(struct psm_similar *ix, struct sim_doc *d)
{
	uint32_t i;

	for (i = 0; i < d->nt; i++)
		ix->df[d->tf[i].term]--;
	free(d->tf);
	free(d->title);
	free(d->status);
	d->tf = NULL;
	d->title = d->status = NULL;
	d->nt = 0;
	d->dup_of[0] = '\0';
	d->closed = 0;
	if (d->live)
		ix->nlive--;
	d->live = 0;
	ix->changed = ix->weights_stale = 1;
}

static int cmp_tf(const void *a, const void *b)
{
	const struct sim_tf *x = a, *y = b;

	return x->term < y->term ? -1 : x->term > y->term;
}

/* Append words (space-separated) to tf, each counting `times` (1 for a body
 * word, SIM_TITLE_ONE for a title word). */
static int add_words(struct psm_similar *ix, struct sim_tf **tf, size_t *n, size_t *alloc,
		     const char *words, uint32_t times)
{
	const char *p = words, *sp;

	for (; (sp = strchr(p, ' ')); p = sp + 1) {
		if (sp == p)
			continue;
		if (*n == *alloc) {
			struct sim_tf *nt = psm_grow(*tf, *n, alloc, sizeof(*nt), 64);

			if (!nt)
				return psm_oom();
			*tf = nt;
		}
		if (sim_term_intern(ix, p, (size_t)(sp - p), &(*tf)[*n].term) < 0)
			return PSM_ENOMEM;
		(*tf)[(*n)++].count = times;
	}
	return 0;
}

int sim_doc_set_words(struct psm_similar *ix, struct sim_doc *d, const char *twords,
		      const char *bwords)
{
	struct sim_tf *tf = NULL;
	size_t n = 0, alloc = 0, i, j;
	int r;

	if ((r = add_words(ix, &tf, &n, &alloc, twords, SIM_TITLE_ONE)) < 0 ||
	    (r = add_words(ix, &tf, &n, &alloc, bwords, 1)) < 0) {
		free(tf);
		return r;
	}
	if (n)
		qsort(tf, n, sizeof(*tf), cmp_tf);
	for (i = 0, j = 0; i < n; i++) { /* one entry per term, counts summed */
		if (j && tf[j - 1].term == tf[i].term) {
			uint32_t c = tf[j - 1].count;

			/* saturate each half rather than carry into the title's */
			if (tf[i].count == 1 ? (c & 0xffff) < 0xffff : (c >> 16) < 0xffff)
				tf[j - 1].count = c + tf[i].count;
		}
		else
			tf[j++] = tf[i];
	}
	for (i = 0; i < d->nt; i++)
		ix->df[d->tf[i].term]--;
	free(d->tf);
	d->tf = tf;
	d->nt = (uint32_t)j;
	for (i = 0; i < d->nt; i++)
		ix->df[d->tf[i].term]++;
	if (!d->live)
		ix->nlive++;
	d->live = 1;
	ix->changed = ix->weights_stale = 1;
	return 0;
}

int sim_doc_set_fields(struct sim_doc *d, const struct psm_issue *issue)
{
	const char *title = psm_issue_get(issue, "title");
	const char *status = psm_issue_get(issue, "status");
	const char *dup = psm_issue_get(issue, "duplicate_of");
	char *t = psm_strdup(title ? title : ""), *st = psm_strdup(status ? status : "");

	if (!t || !st) {
		free(t);
		free(st);
		return psm_oom();
	}
	free(d->title);
	free(d->status);
	d->title = t;
	d->status = st;
	if (psm_time_parse(psm_issue_get(issue, "closed"), &d->closed) < 0) {
		psm_error_clear();
		d->closed = 0;
	}
	memset(d->dup_of, 0, sizeof(d->dup_of));
	if (dup && psm_id_valid(dup))
		memcpy(d->dup_of, dup, PSM_ID_LEN);
	return 0;
}

int sim_issue_words(struct strbuf *twords, struct strbuf *bwords, const struct psm_issue *issue)
{
	const char *title = psm_issue_get(issue, "title");
	size_t blen = issue->body.len < SIM_BODY_MAX ? issue->body.len : SIM_BODY_MAX;
	int r;

	if (title && (r = psm_similar_words(twords, title, strlen(title))) < 0)
		return r;
	return psm_similar_words(bwords, issue->body.buf, blen);
}

static int update_weights(struct psm_similar *ix, struct sim_doc *d);

int psm_similar_update(struct psm_similar *ix, const struct psm_issue *issue)
{
	struct strbuf tw = STRBUF_INIT, bw = STRBUF_INIT, full = STRBUF_INIT;
	int fresh = !ix->weights_stale && ix->idf;
	struct sim_doc *d;
	struct stat st;
	int r;

	if ((r = sim_issue_words(&tw, &bw, issue)) < 0 ||
	    (r = sim_doc_slot(ix, issue->path, &d)) < 0 ||
	    (r = sim_doc_set_fields(d, issue)) < 0 ||
	    (r = sim_doc_set_words(ix, d, tw.buf, bw.buf)) < 0 ||
	    (fresh && (r = update_weights(ix, d)) < 0))
		goto out;
	/*
	 * Record the file as it is now, without a clock reference: it was just
	 * written, so it is racily clean by the cache's rule, and the next open
	 * reads it again (one file) rather than trust what may have changed
	 * within the same clock tick.
	 */
	strbuf_addf(&full, "%s%s", ix->store->root, issue->path);
	if (!full.oom && !lstat(full.buf, &st)) {
		struct psm_file_stat now = {
			NULL, (int64_t)st.st_dev, (int64_t)st.st_ino, (int64_t)st.st_mode,
			(int64_t)st.st_uid, (int64_t)st.st_gid, (int64_t)st.st_size,
			(int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec,
			(int64_t)st.st_ctim.tv_sec * 1000000000 + st.st_ctim.tv_nsec, 1
		};

		sim_doc_set_stat(d, &now, 0);
	}
out:
	strbuf_release(&tw);
	strbuf_release(&bw);
	strbuf_release(&full);
	return r;
}

size_t psm_similar_count(const struct psm_similar *ix)
{
	return ix->nlive;
}

/* ---- weights and queries ------------------------------------------------ */

/* A word's weight in a document: sublinear in how often it occurs, title
 * occurrences boosted (the boost is applied after the log, or a log would
 * flatten it). */
double sim_log_tf(uint32_t count)
{
	uint32_t t = count >> 16, b = count & 0xffff;

	return (t ? SIM_TITLE_BOOST * (1.0 + log((double)t)) : 0) + (b ? 1.0 + log((double)b) : 0);
}

/* d's weights from idf, divided by d's norm so a query needs one multiply
 * per word. */
static void doc_weights(struct sim_doc *d, const double *idf)
{
	double sum = 0;
	uint32_t k;

	for (k = 0; k < d->nt; k++) {
		double w = sim_log_tf(d->tf[k].count) * idf[d->tf[k].term];

		d->tf[k].w = (float)w;
		sum += w * w;
	}
	d->norm = sqrt(sum);
	for (k = 0; k < d->nt; k++)
		d->tf[k].w = (float)(d->tf[k].w / d->norm);
}

/* idf for terms [from, nterms) at the current document counts. */
static int extend_idf(struct psm_similar *ix, uint32_t from)
{
	double n = (double)ix->nlive;
	double *idf = realloc(ix->idf, (ix->nterms ? ix->nterms : 1) * sizeof(*idf));
	uint32_t k;

	if (!idf)
		return psm_oom();
	ix->idf = idf;
	for (k = from; k < ix->nterms; k++)
		idf[k] = sim_idf(n, ix->df[k]);
	ix->nidf = ix->nterms;
	return 0;
}

double sim_idf(double ndocs, uint32_t df)
{
	return log((1.0 + ndocs) / (1.0 + df)) + 1.0;
}

int sim_recompute_weights(struct psm_similar *ix)
{
	size_t i;
	int r;

	if ((r = extend_idf(ix, 0)) < 0)
		return r;
	for (i = 0; i < ix->ndocs; i++)
		doc_weights(&ix->docs[i], ix->idf);
	ix->weights_stale = 0;
	return 0;
}

/*
 * After one document changed in a long-lived index (the triage session):
 * weigh just that document, with idf as it was plus idf for its new words.
 * One issue among thousands moves the other documents' weights by too
 * little to matter, and a full recompute is a pass over every document.
 */
static int update_weights(struct psm_similar *ix, struct sim_doc *d)
{
	int r = extend_idf(ix, ix->nidf);

	if (r < 0)
		return r;
	doc_weights(d, ix->idf);
	ix->weights_stale = 0;
	return 0;
}

struct cand {
	double score;
	uint32_t doc, via; /* via: the matching duplicate, or UINT32_MAX */
};

double sim_rounded(double x)
{
	return floor(x * 1e9 + 0.5); /* ignore float noise when ordering */
}

static int cmp_cand(const void *a, const void *b, const struct psm_similar *ix)
{
	const struct cand *x = a, *y = b;
	double rx = sim_rounded(x->score), ry = sim_rounded(y->score);

	if (rx != ry)
		return rx < ry ? 1 : -1;
	return strcmp(ix->docs[x->doc].id, ix->docs[y->doc].id);
}

/* Insert x into c (best first, at most cap long) if it ranks. */
static void keep_best(struct cand *c, size_t *n, size_t cap, const struct cand *x,
		      const struct psm_similar *ix)
{
	size_t i = *n;

	if (i == cap) {
		if (cmp_cand(x, &c[cap - 1], ix) >= 0)
			return;
		i--;
	} else {
		(*n)++;
	}
	for (; i > 0 && cmp_cand(x, &c[i - 1], ix) < 0; i--)
		c[i] = c[i - 1];
	c[i] = *x;
}

static int is_candidate(const struct sim_doc *d, int64_t closed_since)
{
	return d->live && (strcmp(d->status, "closed") || (d->closed && d->closed >= closed_since));
}

/* The query vector: qv[term] = weight / |q| for the issue's known words. */
static int query_vector(double *qv, struct psm_similar *ix, const struct psm_issue *issue)
{
	struct strbuf tw = STRBUF_INIT, bw = STRBUF_INIT;
	struct psm_similar q = { 0 };
	struct sim_doc qd = { 0 };
	double sum = 0, n = (double)ix->nlive;
	uint32_t k, id;
	int r;

	/* Tokenise into a scratch index, then map its words to ours. */
	if ((r = sim_issue_words(&tw, &bw, issue)) < 0 ||
	    (r = sim_doc_set_words(&q, &qd, tw.buf, bw.buf)) < 0)
		goto out;
	for (k = 0; k < qd.nt; k++) {
		const char *word = q.terms[qd.tf[k].term];
		double idf, w;

		if (sim_map_find(&ix->term_map, ix, 0, word, &id) && ix->df[id]) {
			idf = ix->idf[id];
			w = sim_log_tf(qd.tf[k].count) * idf;
			qv[id] = w;
		} else {
			w = sim_log_tf(qd.tf[k].count) * sim_idf(n, 0);
		}
		sum += w * w;
	}
	if (sum > 0)
		for (k = 0; k < qd.nt; k++)
			if (sim_map_find(&ix->term_map, ix, 0, q.terms[qd.tf[k].term], &id))
				qv[id] /= sqrt(sum);
out:
	free(qd.tf);
	for (k = 0; k < q.nterms; k++)
		free(q.terms[k]);
	free(q.terms);
	free(q.df);
	free(q.term_map.slot);
	strbuf_release(&tw);
	strbuf_release(&bw);
	return r;
}

static int find_doc_by_id(const struct psm_similar *ix, const char *id, uint32_t *idx)
{
	struct strbuf path = STRBUF_INIT;
	int found = 0;

	if (!psm_issue_path(&path, id))
		found = sim_map_find(&ix->doc_map, ix, 1, path.buf, idx);
	else
		psm_error_clear();
	strbuf_release(&path);
	return found;
}

int psm_similar_find(struct psm_similar_hit **out, size_t *n, struct psm_similar *ix,
		     const struct psm_issue *issue, int64_t closed_since, size_t max,
		     double min_score)
{
	const char *self = psm_issue_get(issue, "id");
	struct cand *c = NULL;
	size_t nc = 0, cap, i, j, k;
	double *qv = NULL;
	uint32_t t;
	int r = 0;

	*out = NULL;
	*n = 0;
	if (ix->weights_stale && (r = sim_recompute_weights(ix)) < 0)
		return r;
	/* the best few only: several may be duplicates of one target, hence
	 * room for more than max */
	cap = max * 8 + 16;
	if (!(qv = calloc(ix->nterms ? ix->nterms : 1, sizeof(*qv))) ||
	    !(c = calloc(cap, sizeof(*c)))) {
		r = psm_oom();
		goto out;
	}
	if ((r = query_vector(qv, ix, issue)) < 0)
		goto out;
	for (i = 0; i < ix->ndocs; i++) {
		const struct sim_doc *d = &ix->docs[i];
		uint32_t target = (uint32_t)i, via = UINT32_MAX;
		double dot = 0;

		if (!d->live || !d->norm || psm_streq(d->id, self))
			continue;
		if (d->dup_of[0] && !strcmp(d->status, "closed")) {
			/* a merged duplicate speaks for the issue it was merged into */
			if (psm_streq(d->dup_of, self) || !find_doc_by_id(ix, d->dup_of, &target) ||
			    !is_candidate(&ix->docs[target], closed_since))
				continue;
			via = (uint32_t)i;
		} else if (!is_candidate(d, closed_since)) {
			continue;
		}
		for (t = 0; t < d->nt; t++)
			dot += qv[d->tf[t].term] * d->tf[t].w;
		if (dot > 0 && dot >= min_score) {
			struct cand x;

			x.score = dot > 1 ? 1 : dot;
			x.doc = target;
			x.via = via;
			keep_best(c, &nc, cap, &x, ix);
		}
	}
	if (max && !(*out = calloc(max, sizeof(**out)))) {
		r = psm_oom();
		goto out;
	}
	for (i = 0; i < nc && *n < max; i++) {
		const struct sim_doc *d = &ix->docs[c[i].doc];
		struct psm_similar_hit *h;

		for (j = 0, k = 0; j < *n && !k; j++)
			k = !strcmp((*out)[j].id, d->id); /* the target's best match only */
		if (k)
			continue;
		h = &(*out)[(*n)++];
		memcpy(h->id, d->id, sizeof(h->id));
		h->title = d->title;
		h->status = d->status;
		h->closed = d->closed;
		h->score = c[i].score;
		if (c[i].via != UINT32_MAX)
			memcpy(h->via, ix->docs[c[i].via].id, sizeof(h->via));
	}
out:
	free(qv);
	free(c);
	return r;
}
