/*
 * The queue's scores, made on a thread of their own while the scan reads
 * on (triage.h). The keyword rules read every queued issue's title and
 * body: at 100,000 issues (27,000 queued) that was a quarter of `triage
 * --queue`, on the scan's thread. The scorer unpacks each kept row again
 * (psm_row_view(): the issue as the scan handed it out) and scores it;
 * the rows wait in blocks that never move, so the scan's thread can add
 * more while the scorer reads the first.
 */
#include <pthread.h>
#include <stdlib.h>

#include "psm/cache.h"
#include "psm/error.h"
#include "psm/score.h"
#include "psm/strbuf.h"
#include "triage.h"

#define BLOCK 512
#define PUBLISH 32 /* rows handed over at once: fewer wake-ups */

struct item {
	const struct psm_row *row;
	struct psm_issue *issue; /* or the issue itself, its score set */
	double score;
	const char *suggested;
};

struct block {
	struct block *next;
	struct item it[BLOCK];
};

struct triage_scorer {
	const struct psm_config *cfg;
	int64_t now;
	struct block *head, *tail;
	size_t added, published;  /* rows added; rows the scorer may take */
	int closed, failed, running;
	struct strbuf err;        /* the first failure */
	struct psm_row_space space; /* the row being scored, unpacked */
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
};

static void score_one(struct triage_scorer *sc, struct item *it)
{
	struct psm_score_terms terms;
	const struct psm_issue *is;

	if (it->issue) {
		it->issue->score = psm_score(NULL, it->issue, sc->cfg, sc->now);
		return;
	}
	if (psm_row_view(&is, &sc->space, it->row) < 0) {
		pthread_mutex_lock(&sc->mu);
		if (!sc->failed++)
			strbuf_addstr(&sc->err, psm_error_last());
		pthread_mutex_unlock(&sc->mu);
		return;
	}
	it->score = psm_score(&terms, is, sc->cfg, sc->now);
	it->suggested = terms.suggested_impact;
}

static void *score_work(void *arg)
{
	struct triage_scorer *sc = arg;
	struct block *b = NULL;
	size_t done = 0;

	for (;;) {
		pthread_mutex_lock(&sc->mu);
		while (done == sc->published && !sc->closed)
			pthread_cond_wait(&sc->cv, &sc->mu);
		if (done == sc->published) {
			pthread_mutex_unlock(&sc->mu);
			break;
		}
		if (done % BLOCK == 0)
			b = b ? b->next : sc->head;
		pthread_mutex_unlock(&sc->mu);
		score_one(sc, &b->it[done % BLOCK]);
		done++;
	}
	return NULL;
}

int triage_scorer_start(struct triage_scorer **out, const struct psm_config *cfg, int64_t now)
{
	struct triage_scorer *sc = calloc(1, sizeof(*sc));

	*out = NULL;
	if (!sc)
		return psm_oom();
	sc->cfg = cfg;
	sc->now = now;
	strbuf_init(&sc->err, 0);
	pthread_mutex_init(&sc->mu, NULL);
	pthread_cond_init(&sc->cv, NULL);
	/* no thread: the rows are scored in triage_scorer_finish() */
	sc->running = pthread_create(&sc->th, NULL, score_work, sc) == 0;
	*out = sc;
	return 0;
}

static void publish(struct triage_scorer *sc)
{
	pthread_mutex_lock(&sc->mu);
	sc->published = sc->added;
	pthread_cond_signal(&sc->cv);
	pthread_mutex_unlock(&sc->mu);
}

int triage_scorer_add(struct triage_scorer *sc, const struct psm_row *row,
		      struct psm_issue *issue)
{
	struct item *it;

	if (sc->added % BLOCK == 0) {
		struct block *b = calloc(1, sizeof(*b));

		if (!b)
			return psm_oom();
		pthread_mutex_lock(&sc->mu);
		if (sc->tail)
			sc->tail->next = b;
		else
			sc->head = b;
		sc->tail = b;
		pthread_mutex_unlock(&sc->mu);
	}
	it = &sc->tail->it[sc->added % BLOCK];
	it->row = row;
	it->issue = issue;
	if (++sc->added - sc->published >= PUBLISH)
		publish(sc);
	return 0;
}

int triage_scorer_finish(struct triage_scorer *sc, struct queued *v)
{
	struct block *b;
	size_t i;

	pthread_mutex_lock(&sc->mu);
	sc->published = sc->added;
	sc->closed = 1;
	pthread_cond_signal(&sc->cv);
	pthread_mutex_unlock(&sc->mu);
	if (sc->running) {
		pthread_join(sc->th, NULL);
		sc->running = 0;
	} else {
		for (b = sc->head, i = 0; i < sc->added; i++) {
			score_one(sc, &b->it[i % BLOCK]);
			if (i % BLOCK == BLOCK - 1)
				b = b->next;
		}
	}
	if (sc->failed)
		return psm_error(PSM_ERROR, "%s", sc->err.len ? sc->err.buf : "out of memory");
	for (b = sc->head, i = 0; v && i < sc->added; i++) {
		v[i].score = b->it[i % BLOCK].score;
		v[i].suggested = b->it[i % BLOCK].suggested;
		if (i % BLOCK == BLOCK - 1)
			b = b->next;
	}
	return 0;
}

void triage_scorer_free(struct triage_scorer *sc)
{
	if (!sc)
		return;
	if (sc->running) {
		pthread_mutex_lock(&sc->mu);
		sc->closed = 1;
		pthread_cond_signal(&sc->cv);
		pthread_mutex_unlock(&sc->mu);
		pthread_join(sc->th, NULL);
	}
	while (sc->head) {
		struct block *next = sc->head->next;

		free(sc->head);
		sc->head = next;
	}
	strbuf_release(&sc->err);
	psm_row_space_release(&sc->space);
	pthread_cond_destroy(&sc->cv);
	pthread_mutex_destroy(&sc->mu);
	free(sc);
}
