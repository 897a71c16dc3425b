#include "psm/lock.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "psm/error.h"
#include "psm/fs.h"

/* The start time of process pid (field 22 of /proc/PID/stat, clock ticks
 * since boot); -1 where /proc cannot say. The name (field 2) may hold
 * spaces and parentheses, so fields are counted from its last ')'. */
static int start_time(unsigned long long *out, long pid)
{
	struct strbuf path = STRBUF_INIT, text = STRBUF_INIT;
	const char *p = NULL;
	char *end;
	int field, r = -1;

	strbuf_addf(&path, "/proc/%ld/stat", pid);
	if (!path.oom && strbuf_read_file(&text, path.buf, 4096) == 0 && text.len)
		p = strrchr(text.buf, ')');
	for (field = 2; p && field < 22; field++)
		p = strchr(p + 1, ' ');
	if (p) {
		errno = 0;
		*out = strtoull(p + 1, &end, 10);
		r = end > p + 1 && !errno ? 0 : -1;
	}
	strbuf_release(&path);
	strbuf_release(&text);
	return r;
}

int psm_pid_token(struct strbuf *out)
{
	unsigned long long start;
	long pid = (long)getpid();

	if (start_time(&start, pid) == 0)
		strbuf_addf(out, "%ld %llu", pid, start);
	else
		strbuf_addf(out, "%ld", pid);
	return out->oom ? psm_oom() : 0;
}

int psm_pid_gone(const char *token)
{
	unsigned long long start, now;
	char *end;
	long pid;

	errno = 0;
	pid = strtol(token, &end, 10);
	if (pid <= 0 || errno)
		return 0;
	if (pid == (long)getpid())
		return 1; /* we are asking for it, so not holding it */
	/* EPERM: alive, but another user's (a shared repository), so it may
	 * still be a recycled pid */
	if (kill((pid_t)pid, 0) < 0 && errno != EPERM)
		return errno == ESRCH;
	if (*end == ' ') { /* the pid may have been given to another process since */
		errno = 0;
		start = strtoull(end + 1, &end, 10);
		if (!errno && start_time(&now, pid) == 0)
			return now != start;
	}
	return 0; /* an old psm's bare pid, or no /proc: alive as far as we know */
}

/* Is this lock's owner gone? Decided from the open file, not the name. */
static int owner_dead(int fd)
{
	char buf[64];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
	struct stat st;

	if (n < 0)
		return 0;
	buf[n] = '\0';
	if (strtol(buf, NULL, 10) <= 0) /* empty: only a lock made without link(2); give it 5 s */
		return fstat(fd, &st) == 0 && st.st_mtime + 5 < time(NULL);
	return psm_pid_gone(buf);
}

/* Remove path if its owner is dead. 1: removed (or already gone), 0: alive. */
static int take_over_stale(const char *path)
{
	struct stat st_fd, st_path;
	int fd = open(path, O_RDONLY | O_CLOEXEC), r = 0;

	if (fd < 0)
		return errno == ENOENT;
	/* only one process judges and removes this file at a time */
	if (flock(fd, LOCK_EX) < 0)
		goto out;
	if (!owner_dead(fd))
		goto out;
	/* still the same file under that name, not a new owner's lock? */
	if (fstat(fd, &st_fd) < 0)
		goto out;
	if (stat(path, &st_path) < 0) {
		r = errno == ENOENT;
		goto out;
	}
	if (st_fd.st_dev == st_path.st_dev && st_fd.st_ino == st_path.st_ino &&
	    unlink(path) == 0)
		r = 1;
out:
	close(fd); /* releases the flock */
	return r;
}

/* path holding exactly text: a file of our own, made anew (not renamed) */
static int write_whole(const char *path, const struct strbuf *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644), r = 0;

	if (fd < 0 || write(fd, text->buf, text->len) != (ssize_t)text->len)
		r = psm_error_errno(PSM_ERROR, "could not write lock '%s'", path);
	if (fd >= 0 && close(fd) < 0 && !r)
		r = psm_error_errno(PSM_ERROR, "could not write lock '%s'", path);
	return r;
}

int psm_lock_file_prepare(const char *tmp, struct strbuf *text, const char *prefix)
{
	int r;

	strbuf_addstr(text, prefix);
	if ((r = psm_pid_token(text)) < 0)
		return r;
	if (strbuf_addch(text, '\n') < 0)
		return psm_oom();
	if ((r = write_whole(tmp, text)) < 0)
		unlink(tmp); /* no half-written file left in the git directory */
	return r;
}

int psm_lock_file_try(const char *path, const char *tmp, const struct strbuf *text)
{
	int fd, r;

	if (link(tmp, path) == 0)
		return 0;
	if (errno == EEXIST)
		return 1;
	if (errno != EPERM && errno != EOPNOTSUPP && errno != ENOSYS && errno != EXDEV &&
	    errno != EMLINK)
		return psm_error_errno(PSM_ERROR, "could not create lock '%s'", path);
	/* no hard links here: create, then fill */
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		return errno == EEXIST ? 1 : psm_error_errno(PSM_ERROR, "could not create lock '%s'", path);
	close(fd);
	if ((r = write_whole(path, text)) < 0)
		unlink(path);
	return r;
}

int psm_lock_take(const char *path, double timeout, int *took_over)
{
	struct strbuf tmp = STRBUF_INIT, owner = STRBUF_INIT, text = STRBUF_INIT;
	struct timespec start, now, pause = { 0, 0 };
	unsigned seed = (unsigned)getpid();
	int r;

	*took_over = 0;
	if ((r = psm_mkdir_parents(path)) < 0)
		return r;
	strbuf_addf(&tmp, "%s.%ld", path, (long)getpid());
	if (tmp.oom) {
		r = psm_oom();
		goto out;
	}
	if ((r = psm_lock_file_prepare(tmp.buf, &text, "")) < 0)
		goto out;
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		double waited;

		if ((r = psm_lock_file_try(path, tmp.buf, &text)) <= 0)
			break;
		if (take_over_stale(path)) {
			*took_over = 1;
			continue;
		}
		clock_gettime(CLOCK_MONOTONIC, &now);
		waited = (double)(now.tv_sec - start.tv_sec) +
			 (double)(now.tv_nsec - start.tv_nsec) / 1e9;
		if (waited >= timeout) {
			strbuf_read_file(&owner, path, 64);
			strbuf_setlen(&owner, strspn(owner.buf, "0123456789"));
			r = psm_error(PSM_ELOCKED,
				      "another psm is running (pid %s): try again, or remove '%s' if it is not",
				      owner.len ? owner.buf : "unknown", path);
			break;
		}
		/* 5-15 ms, jittered so waiting writers do not move in lockstep */
		pause.tv_nsec = (long)(5 + rand_r(&seed) % 11) * 1000 * 1000;
		nanosleep(&pause, NULL);
	}
	unlink(tmp.buf);
out:
	strbuf_release(&tmp);
	strbuf_release(&owner);
	strbuf_release(&text);
	return r;
}

void psm_lock_release(const char *path)
{
	unlink(path);
}
