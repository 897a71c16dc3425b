/*
 * Texts made on every core, printed in order (ring.h). Items are claimed
 * RING_GRAB at a time, in order, by whichever thread is free; a text waits
 * in its slot (item i in slot i % RING_AHEAD) until the calling thread has
 * printed every item before it.
 */
#include "ring.h"

#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "builtin.h"
#include "psm/error.h"

#define RING_AHEAD 1024
#define RING_GRAB 16
#define RING_THREADS 8

struct ring {
	size_t n;
	ring_make_fn make;
	ring_put_fn put;
	void *ctx;
	size_t next;          /* the next item to make */
	size_t printed;       /* items printed: their slots may be used again */
	struct strbuf *text;  /* with put: item i's text in text[i % RING_AHEAD] */
	unsigned char *ready; /* the slot's text is made */
	int failed;
	size_t fail_at;       /* the lowest item that failed */
	struct strbuf *why;   /* its message */
	pthread_mutex_t mu;
	pthread_cond_t made;  /* a text made, or a failure */
	pthread_cond_t room;  /* slots printed */
};

/* Items [from, to) made; called without the lock. */
static void make_texts(struct ring *rg, struct ring_local *local, struct strbuf *scratch,
		       size_t from, size_t to)
{
	size_t i;

	for (i = from; i < to; i++) {
		struct strbuf *t = rg->put ? &rg->text[i % RING_AHEAD] : scratch;

		strbuf_reset(t);
		if (rg->make(t, local, rg->ctx, i) < 0 || t->oom) {
			const char *msg = t->oom ? "out of memory" : psm_error_last();

			pthread_mutex_lock(&rg->mu);
			if (!rg->failed || i < rg->fail_at) {
				strbuf_reset(rg->why);
				strbuf_addstr(rg->why, msg);
				rg->fail_at = i;
			}
			rg->failed = 1;
			pthread_cond_broadcast(&rg->made);
			pthread_cond_broadcast(&rg->room);
			pthread_mutex_unlock(&rg->mu);
			return;
		}
	}
	if (!rg->put)
		return;
	pthread_mutex_lock(&rg->mu);
	for (i = from; i < to; i++)
		rg->ready[i % RING_AHEAD] = 1;
	pthread_cond_signal(&rg->made);
	pthread_mutex_unlock(&rg->mu);
}

/*
 * The next items to make, under the lock: [*from, *to), or none (all
 * claimed, a failure, or no slot free). Claimed in order, so that every
 * item below a failure has been claimed before it, and is made before
 * ring_run() returns: the failure reported is the lowest.
 */
static int claim(struct ring *rg, size_t *from, size_t *to)
{
	size_t end = rg->put ? rg->printed + RING_AHEAD : rg->n;

	if (rg->failed || rg->next >= rg->n || rg->next >= end)
		return 0;
	*from = rg->next;
	*to = rg->n - *from > RING_GRAB ? *from + RING_GRAB : rg->n;
	if (*to > end)
		*to = end;
	rg->next = *to;
	return 1;
}

static void local_release(struct ring_local *local)
{
	psm_row_space_release(&local->space);
	strbuf_release(&local->a);
	strbuf_release(&local->b);
}

static void *ring_work(void *arg)
{
	struct ring *rg = arg;
	struct ring_local local = { { 0 }, STRBUF_INIT, STRBUF_INIT };
	struct strbuf scratch = STRBUF_INIT;
	size_t from, to;

	pthread_mutex_lock(&rg->mu);
	while (!rg->failed && rg->next < rg->n) {
		if (!claim(rg, &from, &to)) {
			pthread_cond_wait(&rg->room, &rg->mu);
			continue;
		}
		pthread_mutex_unlock(&rg->mu);
		make_texts(rg, &local, &scratch, from, to);
		pthread_mutex_lock(&rg->mu);
	}
	pthread_mutex_unlock(&rg->mu);
	local_release(&local);
	strbuf_release(&scratch);
	return NULL;
}

/* A thread of the ring's own: its error message (thread-local) dies with
 * it, copied into why first if it was a failure. */
static void *ring_thread(void *arg)
{
	ring_work(arg);
	psm_error_clear();
	return NULL;
}

/* The calling thread's part with put: print what is ready, else make. */
static void print_in_order(struct ring *rg, struct ring_local *local)
{
	size_t k, from, to;

	pthread_mutex_lock(&rg->mu);
	while (rg->printed < rg->n && !rg->failed) {
		size_t at = rg->printed, end = at;

		while (end < rg->n && end - at < RING_GRAB && rg->ready[end % RING_AHEAD])
			end++;
		if (end > at) {
			pthread_mutex_unlock(&rg->mu);
			for (k = at; k < end; k++)
				rg->put(rg->ctx, k, rg->text[k % RING_AHEAD].buf,
					rg->text[k % RING_AHEAD].len);
			pthread_mutex_lock(&rg->mu);
			for (k = at; k < end; k++)
				rg->ready[k % RING_AHEAD] = 0;
			rg->printed = end;
			pthread_cond_broadcast(&rg->room);
		} else if (claim(rg, &from, &to)) {
			pthread_mutex_unlock(&rg->mu);
			make_texts(rg, local, NULL, from, to);
			pthread_mutex_lock(&rg->mu);
		} else {
			pthread_cond_wait(&rg->made, &rg->mu);
		}
	}
	pthread_mutex_unlock(&rg->mu);
}

int ring_run(size_t n, ring_make_fn make, ring_put_fn put, void *ctx, struct strbuf *why)
{
	struct ring rg = { n, make, put, ctx, 0, 0, NULL, NULL, 0, 0, why,
			   PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER,
			   PTHREAD_COND_INITIALIZER };
	struct ring_local local = { { 0 }, STRBUF_INIT, STRBUF_INIT };
	pthread_t th[RING_THREADS];
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	size_t nth = ncpu < 1 ? 1 : ncpu > RING_THREADS ? RING_THREADS : (size_t)ncpu;
	size_t started = 0, k;

	if (put && (!(rg.text = calloc(RING_AHEAD, sizeof(*rg.text))) ||
		    !(rg.ready = calloc(RING_AHEAD, 1))))
		die("out of memory");
	for (k = 0; put && k < RING_AHEAD; k++)
		strbuf_init(&rg.text[k], 0);
	/* this thread makes too: nth - 1 more */
	while (n > RING_GRAB && started + 1 < nth &&
	       !pthread_create(&th[started], NULL, ring_thread, &rg))
		started++;
	if (put)
		print_in_order(&rg, &local);
	else
		ring_work(&rg);
	for (k = 0; k < started; k++)
		pthread_join(th[k], NULL);
	for (k = 0; put && k < RING_AHEAD; k++)
		strbuf_release(&rg.text[k]);
	free(rg.text);
	free(rg.ready);
	local_release(&local);
	return rg.failed ? -1 : 0;
}
