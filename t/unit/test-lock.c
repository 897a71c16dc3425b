/*
 * Unit tests for the pid tokens locks hold (lib/util/lock.c, psm/lock.h):
 * psm_pid_token() names this process with its start time, and
 * psm_pid_gone() tells a live owner from a dead one and from another
 * process given the dead one's pid. TAP on stdout.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "psm/lock.h"
#include "psm/strbuf.h"
#include "tap.h"

/* A child that sends its token to *token and waits to be killed; its pid, or -1. */
static pid_t live_child(struct strbuf *token)
{
	int fd[2];
	pid_t pid;

	if (pipe(fd) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		struct strbuf t = STRBUF_INIT;

		close(fd[0]);
		if (psm_pid_token(&t) == 0 && write(fd[1], t.buf, t.len) == (ssize_t)t.len) {
			close(fd[1]);
			pause();
		}
		_exit(1);
	}
	close(fd[1]);
	if (pid > 0 && strbuf_read_fd(token, fd[0], 64) < 0)
		strbuf_reset(token);
	close(fd[0]);
	return pid;
}

/*
 * A lock of another user's process (a shared repository): kill(2) says
 * EPERM, and the start time still tells the owner from a recycled pid.
 * Only root can become another user to ask.
 */
static void test_other_user(const char *token)
{
	struct strbuf stat_path = STRBUF_INIT, recycled = STRBUF_INIT;
	long pid = strtol(token, NULL, 10);
	pid_t child;
	int status = -1;

	strbuf_addf(&stat_path, "/proc/%ld/stat", pid);
	strbuf_addf(&recycled, "%ld 1", pid);
	if (getuid() != 0 || access(stat_path.buf, R_OK) < 0) {
		printf("ok %d - # skip another user's process: not root, or no /proc\n", ++ntests);
		goto out;
	}
	child = fork();
	if (child == 0) {
		if (setgid(65534) < 0 || setuid(65534) < 0 || kill((pid_t)pid, 0) == 0)
			_exit(2); /* could not become someone who may not signal us */
		_exit(psm_pid_gone(token) ? 3 : psm_pid_gone(recycled.buf) ? 0 : 4);
	}
	if (child > 0)
		waitpid(child, &status, 0);
	ok(child > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0,
	   "another user's live process: alive by its token, gone with another start time "
	   "(child exit %d)", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
out:
	strbuf_release(&stat_path);
	strbuf_release(&recycled);
}

int main(void)
{
	struct strbuf me = STRBUF_INIT, other = STRBUF_INIT, token = STRBUF_INIT;
	unsigned long long start = 0;
	long pid = 0;
	pid_t child;
	int n, status, has_proc = access("/proc/self/stat", R_OK) == 0;

	ok(psm_pid_token(&me) == 0, "a token for this process");
	n = sscanf(me.buf, "%ld %llu", &pid, &start);
	ok(pid == (long)getpid(), "it starts with our pid: '%s'", me.buf);
	ok(!has_proc || (n == 2 && start > 0), "and has our start time where /proc says it");
	ok(psm_pid_gone(me.buf), "our own pid counts as gone: we are asking, not holding");

	child = live_child(&token);
	if (child < 0) {
		printf("Bail out! fork failed\n");
		return 1;
	}
	ok(token.len && !psm_pid_gone(token.buf), "a live process named by its token: '%s'",
	   token.buf);
	strbuf_addf(&other, "%ld", (long)child);
	ok(!psm_pid_gone(other.buf), "a live process named by its pid alone (an older psm's lock)");
	if (has_proc) {
		strbuf_reset(&other);
		strbuf_addf(&other, "%ld 1", (long)child);
		ok(psm_pid_gone(other.buf), "its pid with another start time: a recycled pid, gone");
	}
	kill(child, SIGKILL);
	waitpid(child, &status, 0);
	strbuf_reset(&other);
	ok(psm_pid_gone(token.buf), "once it has died and been waited for: gone");
	test_other_user(me.buf);
	ok(!psm_pid_gone("") && !psm_pid_gone("-1") && !psm_pid_gone("x 12"),
	   "no pid: not judged gone (the caller decides what an empty lock means)");
	strbuf_release(&me);
	strbuf_release(&other);
	strbuf_release(&token);
	return tap_done();
}
