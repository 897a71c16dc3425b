/* Post-write hooks from the git directory (never from tracked files). */
#include "hook.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"
#include "psm/json-safe.h"
#include "psm/render.h"

/* Is `path` (resolved) below `dir` (resolved, no trailing slash needed)? */
static int below(const char *path, const char *dir)
{
	size_t l = strlen(dir);

	while (l > 1 && dir[l - 1] == '/')
		l--;
	return !strncmp(path, dir, l) && (path[l] == '/' || !path[l]);
}

/* Refuse a hook that lives in the work tree rather than the git directory. */
static int hook_is_safe(const char *hook, struct psm_store *s, struct strbuf *where)
{
	char *real = realpath(hook, NULL);
	char *work = realpath(psm_git_workdir(s->git), NULL);
	char *git = realpath(psm_git_gitdir(s->git), NULL);
	int ok = real && work && git && (!below(real, work) || below(real, git));

	strbuf_addstr(where, real ? real : hook);
	free(real);
	free(work);
	free(git);
	return ok;
}

/* The issue's JSON in an unlinked temporary file: the hook's stdin. */
static int json_input(struct psm_store *s, const struct psm_issue *issue)
{
	struct strbuf path = STRBUF_INIT, sid = STRBUF_INIT, safe = STRBUF_INIT;
	json_t *j;
	char *text = NULL;
	int fd = -1;

	strbuf_addf(&path, "%spsm/hook-input-XXXXXX", psm_git_gitdir(s->git));
	strbuf_addstr(&sid, short_id(s, issue));
	j = psm_issue_json(issue, sid.len);
	if (!j || !(text = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER)))
		goto out;
	/* a hook may print or forward it: C1 and bidi controls escaped too,
	 * as on our own stdout (json-safe.h) */
	if (psm_json_make_safe(&safe, text, strlen(text)) < 0 || strbuf_addch(&safe, '\n') < 0)
		goto out;
	if ((fd = mkstemp(path.buf)) < 0)
		goto out;
	unlink(path.buf);
	if (write(fd, safe.buf, safe.len) != (ssize_t)safe.len || lseek(fd, 0, SEEK_SET) < 0) {
		close(fd);
		fd = -1;
	}
out:
	json_decref(j);
	free(text);
	strbuf_release(&path);
	strbuf_release(&sid);
	strbuf_release(&safe);
	return fd;
}

int run_hook(struct psm_store *s, const char *command, const struct psm_issue *issue)
{
	struct strbuf hook = STRBUF_INIT, where = STRBUF_INIT, name = STRBUF_INIT;
	const char *id = psm_issue_get(issue, "id");
	struct stat st;
	int fd = -1, status, r = 0;
	pid_t pid;

	strbuf_addf(&name, "post-%s", command);
	strbuf_addf(&hook, "%spsm/hooks/%s", psm_git_gitdir(s->git), name.buf);
	/* no hook, or not executable: nothing to run (as git does) */
	if (stat(hook.buf, &st) < 0 || !S_ISREG(st.st_mode) || access(hook.buf, X_OK) < 0)
		goto out;
	if (!hook_is_safe(hook.buf, s, &where)) {
		warning("hook '%s' ignored: it resolves to '%s' in the work tree; hooks run only from the git directory",
			name.buf, where.buf);
		r = 1;
		goto out;
	}
	if ((fd = json_input(s, issue)) < 0) {
		warning("hook '%s' not run: could not write its input: %s", name.buf, strerror(errno));
		r = 1;
		goto out;
	}
	fflush(NULL);
	if ((pid = fork()) < 0) {
		warning("hook '%s' not run: %s", name.buf, strerror(errno));
		r = 1;
		goto out;
	}
	if (!pid) {
		/* stdout is ours (JSON, IDs): the hook talks on stderr */
		if (dup2(fd, 0) < 0 || dup2(2, 1) < 0 || chdir(psm_git_workdir(s->git)) < 0)
			_exit(127);
		setenv("PSM_HOOK", name.buf, 1);
		setenv("PSM_ISSUE_ID", id ? id : "", 1);
		setenv("PSM_ISSUE_PATH", issue->path ? issue->path : "", 1);
		execl(hook.buf, hook.buf, id ? id : "", (char *)NULL);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(status) && !WEXITSTATUS(status))
		goto out;
	if (WIFEXITED(status))
		warning("hook '%s' failed (exit status %d); the change is kept", name.buf,
			WEXITSTATUS(status));
	else
		warning("hook '%s' was killed by signal %d; the change is kept", name.buf,
			WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	r = 1;
out:
	if (fd >= 0)
		close(fd);
	strbuf_release(&hook);
	strbuf_release(&where);
	strbuf_release(&name);
	return r;
}
