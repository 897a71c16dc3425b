#include "txn.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "error.h"
#include "fsutil.h"

struct backup {
	char *path;        /* store-relative */
	struct strbuf old; /* previous content */
	int existed;
};

struct psm_txn {
	struct psm_store *store;
	struct strbuf lock;
	int locked, done;
	size_t written;
	struct backup *b;
	size_t n, alloc;
};

/* A lock whose owner is gone (killed psm) is stale and may be taken over. */
static int lock_is_stale(const char *path)
{
	struct strbuf text = STRBUF_INIT;
	long pid;
	int stale = 0;

	if (strbuf_read_file(&text, path, 64) < 0)
		return errno == ENOENT;
	pid = strtol(text.buf, NULL, 10);
	if (pid > 0 && kill((pid_t)pid, 0) < 0 && errno == ESRCH)
		stale = 1;
	strbuf_release(&text);
	return stale;
}

static int take_lock(struct psm_txn *t)
{
	const char *env = getenv("PSM_LOCK_TIMEOUT");
	double timeout = env ? atof(env) : 10.0;
	struct timespec pause = { 0, 20 * 1000 * 1000 };
	double waited = 0;
	struct strbuf pid = STRBUF_INIT, owner = STRBUF_INIT;
	int fd, r = 0;

	strbuf_addf(&t->lock, "%spsm/lock", psm_git_gitdir(t->store->git));
	if (psm_mkdir_parents(t->lock.buf) < 0)
		return PSM_ERROR;
	strbuf_addf(&pid, "%ld\n", (long)getpid());
	for (;;) {
		fd = open(t->lock.buf, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
		if (fd >= 0)
			break;
		if (errno != EEXIST) {
			r = psm_error_errno(PSM_ERROR, "could not create lock '%s'", t->lock.buf);
			goto out;
		}
		if (lock_is_stale(t->lock.buf)) {
			unlink(t->lock.buf); /* its owner died; retry at once */
			continue;
		}
		if (waited >= timeout) {
			strbuf_read_file(&owner, t->lock.buf, 64);
			strbuf_rtrim(&owner);
			r = psm_error(PSM_ELOCKED,
				      "another psm is running (pid %s): try again, or remove '%s' if it is not",
				      owner.len ? owner.buf : "unknown", t->lock.buf);
			goto out;
		}
		nanosleep(&pause, NULL);
		waited += 0.02;
	}
	if (write(fd, pid.buf, pid.len) != (ssize_t)pid.len) {
		r = psm_error_errno(PSM_ERROR, "could not write lock '%s'", t->lock.buf);
		close(fd);
		unlink(t->lock.buf);
		goto out;
	}
	close(fd);
	t->locked = 1;
out:
	strbuf_release(&pid);
	strbuf_release(&owner);
	return r;
}

int psm_txn_begin(struct psm_txn **out, struct psm_store *s)
{
	struct psm_txn *t = calloc(1, sizeof(*t));
	struct strbuf name = STRBUF_INIT, email = STRBUF_INIT;
	int r = 0;

	*out = NULL;
	if (!t)
		return psm_error(PSM_ENOMEM, "out of memory");
	t->store = s;
	strbuf_init(&t->lock, 0);
	if (!s->no_commit && (r = psm_git_identity(&name, &email, s->git)) < 0)
		goto out;
	if ((r = take_lock(t)) < 0)
		goto out;
	*out = t;
	t = NULL;
out:
	strbuf_release(&name);
	strbuf_release(&email);
	psm_txn_free(t);
	return r;
}

static struct backup *find_backup(struct psm_txn *t, const char *path)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (!strcmp(t->b[i].path, path))
			return &t->b[i];
	return NULL;
}

static int add_backup(struct psm_txn *t, const char *path, const char *full)
{
	struct backup *b;

	if (find_backup(t, path))
		return 0;
	if (t->n == t->alloc) {
		size_t na = t->alloc ? t->alloc * 2 : 8;
		struct backup *nb = realloc(t->b, na * sizeof(*nb));

		if (!nb)
			return psm_error(PSM_ENOMEM, "out of memory");
		t->b = nb;
		t->alloc = na;
	}
	b = &t->b[t->n];
	strbuf_init(&b->old, 0);
	if (!(b->path = psm_strdup(path)))
		return psm_error(PSM_ENOMEM, "out of memory");
	b->existed = strbuf_read_file(&b->old, full, 0) == 0;
	if (!b->existed && errno != ENOENT) {
		int r = psm_error_errno(PSM_ERROR, "could not read '%s'", path);

		free(b->path);
		strbuf_release(&b->old);
		return r;
	}
	t->n++;
	return 0;
}

int psm_txn_save(struct psm_txn *t, const struct psm_issue *issue)
{
	struct strbuf text = STRBUF_INIT, full = STRBUF_INIT;
	struct backup *b;
	int r;

	if ((r = psm_issue_format(&text, issue)) < 0)
		goto out;
	strbuf_addf(&full, "%s%s", t->store->root, issue->path);
	if ((r = add_backup(t, issue->path, full.buf)) < 0)
		goto out;
	b = find_backup(t, issue->path);
	if (b->existed && b->old.len == text.len && !memcmp(b->old.buf, text.buf, text.len)) {
		r = 0; /* unchanged: nothing to write or commit */
		goto out;
	}
	r = psm_write_file_atomic(full.buf, text.buf, text.len);
	if (!r) {
		t->written++;
		r = 1;
	}
out:
	strbuf_release(&text);
	strbuf_release(&full);
	return r;
}

size_t psm_txn_count(const struct psm_txn *t)
{
	return t->written;
}

static void rollback(struct psm_txn *t)
{
	struct strbuf full = STRBUF_INIT;
	size_t i;

	for (i = 0; i < t->n; i++) {
		strbuf_reset(&full);
		strbuf_addf(&full, "%s%s", t->store->root, t->b[i].path);
		if (t->b[i].existed)
			psm_write_file_atomic(full.buf, t->b[i].old.buf, t->b[i].old.len);
		else
			unlink(full.buf);
	}
	strbuf_release(&full);
}

int psm_txn_commit(struct psm_txn *t, const char *message)
{
	const char **paths;
	size_t i;
	int r;

	if (!t->written)
		return PSM_EUNCHANGED;
	if (!(paths = calloc(t->n, sizeof(*paths))))
		return psm_error(PSM_ENOMEM, "out of memory");
	for (i = 0; i < t->n; i++)
		paths[i] = t->b[i].path;
	r = psm_store_commit(t->store, paths, t->n, message);
	free(paths);
	if (r == PSM_EUNCHANGED)
		r = 0;
	if (!r)
		t->done = 1;
	return r;
}

void psm_txn_free(struct psm_txn *t)
{
	size_t i;

	if (!t)
		return;
	if (!t->done)
		rollback(t);
	if (t->locked)
		unlink(t->lock.buf);
	for (i = 0; i < t->n; i++) {
		free(t->b[i].path);
		strbuf_release(&t->b[i].old);
	}
	free(t->b);
	strbuf_release(&t->lock);
	free(t);
}
