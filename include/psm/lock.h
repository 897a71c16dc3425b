#ifndef PSM_LOCK_H
#define PSM_LOCK_H
/*
 * The store lock: the file <gitdir>psm/lock naming its owner (a pid token,
 * below). It is created complete (a pid file hard-linked into place), so
 * nobody ever reads a half-written lock. A lock whose owner is gone (a
 * killed psm) is stale and is taken over; two processes taking over at once
 * cannot both win, because the takeover holds flock(2) on the stale file
 * and removes it only if the name still points at that very file.
 */
#include "psm/strbuf.h"

/* Take the lock at path, waiting up to timeout seconds. *took_over is set
 * when a dead owner's lock was removed on the way (its work may need
 * recovering). PSM_ELOCKED names the owner's pid. */
int psm_lock_take(const char *path, double timeout, int *took_over);
void psm_lock_release(const char *path);

/*
 * A lock file made whole, for locks others read (git's index.lock): the
 * owner's line, prefix then its pid token, is written to the private file
 * tmp (prepare), which each try hard-links to path, so no reader (and no
 * kill) ever meets an empty lock. Where the file system has no hard links,
 * path is created and then written. text receives the line; the caller
 * releases it and removes tmp (prepare removes it when it fails). Try:
 * 0 made, 1 path exists, <0 error.
 */
int psm_lock_file_prepare(const char *tmp, struct strbuf *text, const char *prefix);
int psm_lock_file_try(const char *path, const char *tmp, const struct strbuf *text);

/* Appends "PID START" to out: this process's pid and its start time
 * (/proc/self/stat's field 22), or the pid alone where /proc cannot say.
 * A lock holding it names its owner even after the pid is given to
 * another process. 0, or PSM_ENOMEM. */
int psm_pid_token(struct strbuf *out);

/* Is the process a token from psm_pid_token() names gone? 1 when it is
 * (no such pid, or the pid now names a process with another start), 0
 * when it lives or cannot be told. A bare pid is judged by the pid alone,
 * and this process's own counts as gone (it is asking, not holding). */
int psm_pid_gone(const char *token);

#endif
