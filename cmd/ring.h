#ifndef PSM_CMD_RING_H
#define PSM_CMD_RING_H
/*
 * Texts for many items, made on every core and printed in order
 * (cmd/ring.c): list --format json, followup. Making an item's text
 * (unpack a kept row, write) is most of such a listing; threads make texts
 * a few at a time, up to RING_AHEAD ahead of the one printed, while the
 * calling thread prints them in order and makes texts itself when the next
 * is not ready.
 */
#include <stddef.h>

#include "psm/cache.h"
#include "psm/strbuf.h"

/* A thread's own room, for the make function to use as it likes (to unpack
 * kept rows into, as scratch): kept from item to item, released at the end. */
struct ring_local {
	struct psm_row_space space;
	struct strbuf a, b;
};

/*
 * Item i's text, appended to out (empty). Called from several threads at
 * once: it may read what ctx points to, never change it but through
 * atomics or where it is item i's alone. 0, or negative with psm's error
 * set.
 */
typedef int (*ring_make_fn)(struct strbuf *out, struct ring_local *local, void *ctx, size_t i);
/* Item i's text, printed; called on the calling thread, in order. */
typedef void (*ring_put_fn)(void *ctx, size_t i, const char *text, size_t len);

/*
 * Items [0, n): each made, then put in order. put NULL: only made, in any
 * order, as a check that every one can be. On the first failure no more are
 * made or put: returns -1 with *why the message of the failure of the lowest
 * item that failed (the caller's, strbuf), 0 when all were.
 */
int ring_run(size_t n, ring_make_fn make, ring_put_fn put, void *ctx, struct strbuf *why);

#endif
