/*
 * The intake hint (psm_similar_hint): psm_similar_find's question answered
 * from the hint's view of the index (similar-quick.c), so its cost is the
 * postings of the new issue's own words, not a pass over the store.
 * Logged documents are weighed with similar.inv's idf and do not change it:
 * with an empty log the answers are exactly those of psm_similar_find.
 */
#include "similar-quick-int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "psm/error.h"
#include "psm/lock.h"

/* A document as a candidate sees it, mapped or from the overlay. */
struct view {
	char id[PSM_ID_LEN + 1], dup_of[PSM_ID_LEN + 1];
	const char *title, *status;
	int64_t closed;
};

struct qcand {
	double score;
	struct view target;
	char via[PSM_ID_LEN + 1];
};

static void view_inv(struct view *v, const struct sim_quick *q, uint32_t i)
{
	const unsigned char *d = sim_inv_doc(q, i);

	memset(v, 0, sizeof(*v));
	memcpy(v->id, d, PSM_ID_LEN);
	memcpy(v->dup_of, d + 10, PSM_ID_LEN);
	v->closed = (int64_t)inv_get64(d + 24);
	v->title = sim_inv_str(q, inv_get32(d + 60));
	v->status = sim_inv_str(q, inv_get32(d + 64));
}

static void view_ov(struct view *v, const struct sim_doc *d)
{
	memset(v, 0, sizeof(*v));
	memcpy(v->id, d->id, PSM_ID_LEN);
	memcpy(v->dup_of, d->dup_of, PSM_ID_LEN);
	v->closed = d->closed;
	v->title = d->title ? d->title : "";
	v->status = d->status ? d->status : "";
}

/* The live document with this ID, wherever it is. */
static int view_by_id(struct view *v, const struct sim_quick *q, const char *id)
{
	struct strbuf path = STRBUF_INIT;
	uint32_t idx;
	int found = 0;

	if (psm_issue_path(&path, id) < 0) {
		psm_error_clear();
	} else if (sim_map_find(&q->ov.doc_map, &q->ov, 1, path.buf, &idx)) {
		if ((found = q->ov.docs[idx].live))
			view_ov(v, &q->ov.docs[idx]);
	} else if (sim_inv_doc_find(q, path.buf, &idx) && !q->gone[idx]) {
		view_inv(v, q, idx);
		found = 1;
	}
	strbuf_release(&path);
	return found;
}

static int candidate(const struct view *v, int64_t closed_since)
{
	return strcmp(v->status, "closed") || (v->closed && v->closed >= closed_since);
}

static int cmp_qcand(const struct qcand *x, const struct qcand *y)
{
	double rx = sim_rounded(x->score), ry = sim_rounded(y->score);

	if (rx != ry)
		return rx < ry ? 1 : -1;
	return strcmp(x->target.id, y->target.id);
}

struct ranking {
	struct qcand *c;
	size_t n, cap;
	const char *self;
	int64_t closed_since;
	double min_score;
};

/* As psm_similar_find: a merged duplicate speaks for the issue it was
 * merged into; closed issues count only if closed since closed_since. */
static void consider(struct ranking *rk, const struct sim_quick *q, const struct view *v,
		     double dot)
{
	struct qcand x;
	size_t i;

	if (!(dot > 0 && dot >= rk->min_score) || psm_streq(v->id, rk->self))
		return;
	memset(&x, 0, sizeof(x));
	if (v->dup_of[0] && !strcmp(v->status, "closed")) {
		if (psm_streq(v->dup_of, rk->self) || !view_by_id(&x.target, q, v->dup_of) ||
		    !candidate(&x.target, rk->closed_since))
			return;
		memcpy(x.via, v->id, sizeof(x.via));
	} else if (candidate(v, rk->closed_since)) {
		x.target = *v;
	} else {
		return;
	}
	x.score = dot > 1 ? 1 : dot;
	i = rk->n;
	if (i == rk->cap) {
		if (cmp_qcand(&x, &rk->c[rk->cap - 1]) >= 0)
			return;
		i--;
	} else {
		rk->n++;
	}
	for (; i > 0 && cmp_qcand(&x, &rk->c[i - 1]) < 0; i--)
		rk->c[i] = rk->c[i - 1];
	rk->c[i] = x;
}

static float get_float(const unsigned char *p)
{
	uint32_t bits = inv_get32(p);
	float f;

	memcpy(&f, &bits, sizeof(f));
	return f;
}

/*
 * Mapped documents: the postings of the query's own words, which sit in
 * document order, added up in a dense array (a score above 0 marks a
 * document met: every weight is positive). This reads every issue sharing
 * a word with the query, once per word: tried instead, stopping early on
 * postings sorted heaviest first (Fagin's threshold algorithm) read fewer
 * postings but took longer on the bench store, where most issues share
 * several common words with any question (docs/triage.md).
 */
static int score_mapped(struct ranking *rk, const struct sim_quick *q, const struct sim_doc *qd,
			const double *qv, const uint32_t *invt)
{
	double *score = calloc((size_t)q->ndocs + 1, sizeof(*score));
	uint32_t k, j;
	struct view v;

	if (!score)
		return psm_oom();
	for (k = 0; k < qd->nt; k++) {
		uint32_t ti = invt[qd->tf[k].term], first, cnt;
		double qw = qv[qd->tf[k].term];

		if (ti == UINT32_MAX)
			continue;
		first = inv_get32(q->terms + 16 * (size_t)ti + 8);
		cnt = inv_get32(q->terms + 16 * (size_t)ti + 12);
		if ((uint64_t)first + cnt > q->npost)
			continue; /* not ours: such a word matches nothing */
		for (j = 0; j < cnt; j++) {
			const unsigned char *p = q->post + 8 * ((size_t)first + j);
			uint32_t doc = inv_get32(p);

			if (doc < q->ndocs)
				score[doc] += qw * get_float(p + 4);
		}
	}
	for (j = 0; j < q->ndocs; j++) {
		if (!(score[j] > 0 && score[j] >= rk->min_score) || q->gone[j])
			continue; /* most issues share a common word or two, no more */
		/* Once the ranking is full, a lower score cannot get in (consider()
		 * would turn it away): skip reading its record from the map. */
		if (rk->n == rk->cap &&
		    sim_rounded(score[j] > 1 ? 1 : score[j]) < sim_rounded(rk->c[rk->cap - 1].score))
			continue;
		view_inv(&v, q, j);
		consider(rk, q, &v, score[j]);
	}
	free(score);
	return 0;
}

/* Logged documents, weighed with the mapped file's idf. */
static void score_overlay(struct ranking *rk, const struct sim_quick *q, const double *qv,
			  const double *idf)
{
	struct view v;
	size_t i;
	uint32_t k;

	for (i = 0; i < q->ov.ndocs; i++) {
		const struct sim_doc *d = &q->ov.docs[i];
		double sum = 0, dot = 0;

		if (!d->live)
			continue;
		for (k = 0; k < d->nt; k++) {
			double w = sim_log_tf(d->tf[k].count) * idf[d->tf[k].term];

			sum += w * w;
			dot += qv[d->tf[k].term] * w;
		}
		if (sum > 0) {
			view_ov(&v, d);
			consider(rk, q, &v, dot / sqrt(sum));
		}
	}
}

static int quick_find(struct psm_similar_hit **out, size_t *n, struct sim_quick *q,
		      const struct psm_issue *issue, int64_t closed_since, size_t max,
		      double min_score)
{
	struct strbuf tw = STRBUF_INIT, bw = STRBUF_INIT;
	struct ranking rk = { 0 };
	struct sim_doc qd = { 0 };
	double *qv = NULL, *idf = NULL, sum = 0;
	uint32_t *invt = NULL, t, ti;
	size_t i, j, dup;
	int r;

	rk.self = psm_issue_get(issue, "id");
	rk.closed_since = closed_since;
	rk.min_score = min_score;
	rk.cap = max * 8 + 16; /* several may be duplicates of one target */
	/* the query's words join the overlay's dictionary (not its documents) */
	if ((r = sim_issue_words(&tw, &bw, issue)) < 0 ||
	    (r = sim_doc_set_words(&q->ov, &qd, tw.buf, bw.buf)) < 0)
		goto out;
	qv = calloc(q->ov.nterms + 1, sizeof(*qv));
	idf = calloc(q->ov.nterms + 1, sizeof(*idf));
	invt = calloc(q->ov.nterms + 1, sizeof(*invt));
	rk.c = calloc(rk.cap, sizeof(*rk.c));
	if (!qv || !idf || !invt || !rk.c) {
		r = psm_oom();
		goto out;
	}
	for (t = 0; t < q->ov.nterms; t++) {
		uint32_t df = 0;

		invt[t] = UINT32_MAX;
		if (sim_inv_term_find(q, q->ov.terms[t], &ti)) {
			invt[t] = ti;
			df = inv_get32(q->terms + 16 * (size_t)ti + 4);
		}
		idf[t] = sim_idf((double)q->ndocs, df);
	}
	for (t = 0; t < qd.nt; t++) {
		double w = sim_log_tf(qd.tf[t].count) * idf[qd.tf[t].term];

		qv[qd.tf[t].term] = w;
		sum += w * w;
	}
	for (t = 0; sum > 0 && t < qd.nt; t++)
		qv[qd.tf[t].term] /= sqrt(sum);
	if ((r = score_mapped(&rk, q, &qd, qv, invt)) < 0)
		goto out;
	score_overlay(&rk, q, qv, idf);
	if (max && !(*out = calloc(max, sizeof(**out)))) {
		r = psm_oom();
		goto out;
	}
	for (i = 0; i < rk.n && *n < max; i++) {
		struct psm_similar_hit *h;

		for (j = 0, dup = 0; j < *n && !dup; j++) /* the target's best match only */
			dup = !strcmp((*out)[j].id, rk.c[i].target.id);
		if (dup)
			continue;
		h = &(*out)[(*n)++];
		memcpy(h->id, rk.c[i].target.id, sizeof(h->id));
		h->title = rk.c[i].target.title;
		h->status = rk.c[i].target.status;
		h->closed = rk.c[i].target.closed;
		h->score = rk.c[i].score;
		memcpy(h->via, rk.c[i].via, sizeof(h->via));
	}
out:
	free(qd.tf);
	free(qv);
	free(idf);
	free(invt);
	free(rk.c);
	strbuf_release(&tw);
	strbuf_release(&bw);
	return r;
}

int psm_similar_hint(struct psm_similar_hit **out, size_t *n, struct psm_similar **ixp,
		     struct psm_store *s, const struct psm_issue *issue, int64_t closed_since,
		     size_t max, double min_score)
{
	struct psm_similar *ix = NULL;
	int r;

	*out = NULL;
	*n = 0;
	*ixp = NULL;
	if ((r = sim_new(&ix, s)) < 0)
		return r;
	r = sim_quick_open(&ix->quick, ix);
	if (!r)
		r = quick_find(out, n, ix->quick, issue, closed_since, max, min_score);
	if (r == SIM_NEED_FULL) { /* no usable similar.inv, or a log to fold: rewrite it */
		psm_similar_free(ix);
		ix = NULL;
		psm_error_clear();
		if ((r = sim_open(&ix, s, 1)) == 0)
			r = psm_similar_find(out, n, ix, issue, closed_since, max, min_score);
	}
	*ixp = ix;
	return r;
}

int psm_similar_hint_open(struct psm_similar **ixp, struct psm_store *s)
{
	struct psm_similar *ix = NULL;
	int r;

	*ixp = NULL;
	if ((r = sim_new(&ix, s)) < 0)
		return r;
	if ((r = sim_quick_open(&ix->quick, ix)) == SIM_NEED_FULL) {
		psm_similar_free(ix);
		ix = NULL;
		psm_error_clear();
		r = sim_open(&ix, s, 1);
	}
	*ixp = ix;
	return r < 0 ? r : 0;
}

int psm_similar_hint_find(struct psm_similar_hit **out, size_t *n, struct psm_similar *ix,
			  const struct psm_issue *issue, int64_t closed_since, size_t max,
			  double min_score)
{
	*out = NULL;
	*n = 0;
	if (ix->quick)
		return quick_find(out, n, ix->quick, issue, closed_since, max, min_score);
	return psm_similar_find(out, n, ix, issue, closed_since, max, min_score);
}

int psm_similar_fold_due(const struct psm_similar *ix)
{
	return ix && ix->quick && ix->quick->fold_due;
}

int psm_similar_fold(struct psm_store *s, int *folded)
{
	struct strbuf lock = STRBUF_INIT;
	struct psm_similar *ix = NULL;
	int r, took_over;

	*folded = 0;
	strbuf_addf(&lock, "%spsm/similar.lock", psm_git_gitdir(s->git));
	if (lock.oom) {
		r = psm_oom();
		goto out;
	}
	if ((r = psm_lock_take(lock.buf, 0, &took_over)) < 0) {
		if (r == PSM_ELOCKED) { /* another process is folding */
			psm_error_clear();
			r = 0;
		}
		goto out;
	}
	/* still due? one that held the lock a moment ago may have folded */
	if ((r = sim_new(&ix, s)) < 0)
		goto unlock;
	r = sim_quick_open(&ix->quick, ix);
	if (r < 0 || (!r && !ix->quick->fold_due))
		goto unlock;
	psm_similar_free(ix);
	ix = NULL;
	psm_error_clear();
	if ((r = sim_open(&ix, s, 1)) == 0)
		*folded = 1;
unlock:
	psm_lock_release(lock.buf);
out:
	psm_similar_free(ix);
	strbuf_release(&lock);
	return r;
}
