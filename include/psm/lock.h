#ifndef PSM_LOCK_H
#define PSM_LOCK_H
/*
 * The store lock: the file <gitdir>psm/lock holding its owner's pid. It is
 * created complete (a pid file hard-linked into place), so nobody ever reads
 * a half-written lock. A lock whose pid is gone (a killed psm) is stale and
 * is taken over; two processes taking over at once cannot both win, because
 * the takeover holds flock(2) on the stale file and removes it only if the
 * name still points at that very file.
 */
#include "psm/strbuf.h"

/* Take the lock at path, waiting up to timeout seconds. *took_over is set
 * when a dead owner's lock was removed on the way (its work may need
 * recovering). PSM_ELOCKED names the owner's pid. */
int psm_lock_take(const char *path, double timeout, int *took_over);
void psm_lock_release(const char *path);

#endif
