/*
 * Running git itself. What git owns on disk (the index, refs, config) is
 * changed by git's own commands, so every format, extension and setting
 * git knows (split and sparse indexes, index versions, fsmonitor,
 * core.sharedRepository, hooks on refs) is honoured by git, not copied.
 */
#define _GNU_SOURCE /* pipe2, posix_spawn_file_actions_addchdir_np (glibc 2.29) */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "psm/error.h"
#include "git-int.h"
#include "psm/strbuf.h"

extern char **environ;

/* Is var (NAME=...) one of the names psm sets for the child itself? */
static int replaced(const char *var, int pinned, const struct psm_git_run *r)
{
	static const char *const pin[] = { "GIT_DIR=", "GIT_WORK_TREE=", "GIT_INDEX_FILE=",
					   "GIT_PREFIX=", NULL };
	size_t i;

	for (i = 0; pinned && pin[i]; i++)
		if (!strncmp(var, pin[i], strlen(pin[i])))
			return 1;
	if (r->index && !strncmp(var, "GIT_INDEX_FILE=", 15))
		return 1;
	for (i = 0; r->env && r->env[i]; i++) {
		size_t n = strcspn(r->env[i], "=") + 1;

		if (!strncmp(var, r->env[i], n))
			return 1;
	}
	return 0;
}

/*
 * The child's environment: ours, with the repository pinned (GIT_DIR and
 * GIT_WORK_TREE as psm found them, so a child started in the work tree
 * finds the same repository whatever the user's variables said relative
 * to their directory) and the caller's additions. The strings live in sb.
 */
static int build_env(char ***out, struct strbuf *sb, const struct psm_git *g,
		     const struct psm_git_run *r)
{
	size_t n = 0, i, k = 0, *offs;
	char **env;
	int pinned = g != NULL;

	while (environ[n])
		n++;
	if (!(offs = calloc(n + 8 + 64, sizeof(*offs))))
		return psm_oom();
	for (i = 0; i < n; i++)
		if (!replaced(environ[i], pinned, r)) {
			offs[k++] = sb->len;
			strbuf_add(sb, environ[i], strlen(environ[i]) + 1);
		}
	if (pinned) {
		offs[k++] = sb->len;
		strbuf_addf(sb, "GIT_DIR=%s", g->gitdir);
		strbuf_addch(sb, '\0');
		offs[k++] = sb->len;
		strbuf_addf(sb, "GIT_WORK_TREE=%s", g->workdir);
		strbuf_addch(sb, '\0');
		offs[k++] = sb->len;
		strbuf_addf(sb, "GIT_INDEX_FILE=%s", r->index ? r->index : g->index);
		strbuf_addch(sb, '\0');
	} else if (r->index) {
		offs[k++] = sb->len;
		strbuf_addf(sb, "GIT_INDEX_FILE=%s", r->index);
		strbuf_addch(sb, '\0');
	}
	for (i = 0; r->env && r->env[i] && i < 64; i++) {
		offs[k++] = sb->len;
		strbuf_add(sb, r->env[i], strlen(r->env[i]) + 1);
	}
	if (sb->oom || !(env = calloc(k + 1, sizeof(*env)))) {
		free(offs);
		return psm_oom();
	}
	for (i = 0; i < k; i++)
		env[i] = sb->buf + offs[i];
	free(offs);
	*out = env;
	return 0;
}

/* Feed stdin and drain stdout and stderr together, so neither side can
 * block the other on a full pipe. */
static int pump(int in, const char *data, size_t len, int out, struct strbuf *o, int err,
		struct strbuf *e)
{
	char buf[65536];
	size_t done = 0;
	int r = 0;

	if (in >= 0 && !len) {
		close(in);
		in = -1;
	}
	while (in >= 0 || out >= 0 || err >= 0) {
		struct pollfd p[3];
		nfds_t np = 0;
		int iw = -1, io = -1;
		nfds_t i;

		if (in >= 0) {
			p[np].fd = in, p[np].events = POLLOUT, iw = (int)np++;
		}
		if (out >= 0)
			p[np].fd = out, p[np].events = POLLIN, io = (int)np++;
		if (err >= 0)
			p[np].fd = err, p[np].events = POLLIN, np++;
		if (poll(p, np, -1) < 0) {
			if (errno == EINTR)
				continue;
			r = psm_error_errno(PSM_ERROR, "could not talk to git");
			break;
		}
		for (i = 0; i < np; i++) {
			ssize_t n;

			if (!p[i].revents)
				continue;
			if ((int)i == iw) {
				n = write(in, data + done, len - done);
				if (n < 0 && errno != EINTR && errno != EAGAIN) {
					close(in); /* git stopped reading: its exit says why */
					in = -1;
				} else if (n > 0 && (done += (size_t)n) == len) {
					close(in);
					in = -1;
				}
				continue;
			}
			n = read(p[i].fd, buf, sizeof(buf));
			if (n < 0 && (errno == EINTR || errno == EAGAIN))
				continue;
			if (n <= 0) {
				close(p[i].fd);
				if ((int)i == io)
					out = -1;
				else
					err = -1;
				continue;
			}
			if (((int)i == io ? strbuf_add(o, buf, (size_t)n)
					  : strbuf_add(e, buf, (size_t)n)) < 0)
				r = psm_oom();
		}
	}
	if (in >= 0)
		close(in);
	return r;
}

int psm_git__run(struct psm_git *g, const struct psm_git_run *r, const char *const *args)
{
	struct strbuf envbuf = STRBUF_INIT, out = STRBUF_INIT, err = STRBUF_INIT;
	posix_spawn_file_actions_t fa;
	sigset_t pipe_set, old_set;
	char **env = NULL, **argv = NULL;
	int pin[2] = { -1, -1 }, pout[2] = { -1, -1 }, perr[2] = { -1, -1 };
	int fa_ok = 0, status, ret = 0;
	size_t n = 0, i;
	pid_t pid;

	while (args[n])
		n++;
	if (!(argv = calloc(n + 2, sizeof(*argv)))) {
		ret = psm_oom();
		goto cleanup;
	}
	argv[0] = (char *)"git";
	for (i = 0; i < n; i++)
		argv[i + 1] = (char *)args[i];
	if ((ret = build_env(&env, &envbuf, g, r)) < 0)
		goto cleanup;
	if (pipe2(pin, O_CLOEXEC) < 0 || pipe2(pout, O_CLOEXEC) < 0 || pipe2(perr, O_CLOEXEC) < 0) {
		ret = psm_error_errno(PSM_ERROR, "could not run git %s", args[0]);
		goto cleanup;
	}
	if (posix_spawn_file_actions_init(&fa)) {
		ret = psm_oom();
		goto cleanup;
	}
	fa_ok = 1;
	if (posix_spawn_file_actions_adddup2(&fa, pin[0], 0) ||
	    posix_spawn_file_actions_adddup2(&fa, pout[1], 1) ||
	    posix_spawn_file_actions_adddup2(&fa, perr[1], 2) ||
	    posix_spawn_file_actions_addchdir_np(&fa, r->dir ? r->dir : g->workdir)) {
		ret = psm_oom();
		goto cleanup;
	}
	/* git may stop reading its input early; its exit status says why, a
	 * SIGPIPE must not end psm in the middle of a transaction */
	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &pipe_set, &old_set);
	errno = posix_spawnp(&pid, "git", &fa, NULL, argv, env);
	if (errno) {
		ret = psm_error_errno(PSM_ERROR, "could not run git %s (is git installed?)", args[0]);
	} else {
		close(pin[0]), pin[0] = -1;
		close(pout[1]), pout[1] = -1;
		close(perr[1]), perr[1] = -1;
		ret = pump(pin[1], r->in, r->in ? r->inlen : 0, pout[0], &out, perr[0], &err);
		pin[1] = pout[0] = perr[0] = -1; /* pump closed them */
		while (waitpid(pid, &status, 0) < 0)
			if (errno != EINTR) {
				ret = psm_error_errno(PSM_ERROR, "could not wait for git %s", args[0]);
				status = -1;
				break;
			}
		if (!ret)
			ret = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
	}
	{
		struct timespec zero = { 0, 0 };

		while (sigtimedwait(&pipe_set, NULL, &zero) > 0)
			; /* a SIGPIPE of ours, consumed */
	}
	pthread_sigmask(SIG_SETMASK, &old_set, NULL);
	if (ret >= 0) {
		if (r->out && strbuf_addbuf(r->out, &out) < 0)
			ret = psm_oom();
		if (r->err && strbuf_addbuf(r->err, &err) < 0)
			ret = psm_oom();
		if (ret > 0) {
			strbuf_rtrim(&err);
			psm_error(PSM_ERROR, "git %s failed%s%s", args[0], err.len ? ": " : "",
				  err.buf);
		}
	}
cleanup:
	if (fa_ok)
		posix_spawn_file_actions_destroy(&fa);
	for (i = 0; i < 2; i++) {
		if (pin[i] >= 0)
			close(pin[i]);
		if (pout[i] >= 0)
			close(pout[i]);
		if (perr[i] >= 0)
			close(perr[i]);
	}
	free(argv);
	free(env);
	strbuf_release(&envbuf);
	strbuf_release(&out);
	strbuf_release(&err);
	return ret;
}
