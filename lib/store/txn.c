/*
 * Transactions (txn.h). Crash safety: before an issue file is replaced, a
 * journal (<gitdir>psm/journal, with copies of the old files in
 * psm/journal.d/) records what was there and which commit HEAD was. The
 * journal is removed once the commit lands or the files are put back. A
 * psm killed in between leaves it behind, and the next psm to take the lock
 * finishes the job (txn-recover.c): HEAD still the same means the commit
 * never happened, so the old files come back; HEAD moved means it did, so
 * only the index is brought up to date.
 */
#include "psm/txn.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "psm/error.h"
#include "psm/fs.h"
#include "psm/grow.h"
#include "psm/lock.h"
#include "txn-int.h"
#include "psm/validate.h"

struct backup {
	char *path;        /* store-relative */
	struct strbuf old; /* previous content */
	int existed;
	int recorded;      /* in the journal */
	int written;       /* replaced (or created): to put back on rollback */
};

struct psm_txn {
	struct psm_store *store;
	struct strbuf lock, journal, head;
	int locked, done, journaled;
	size_t written;
	struct backup *b;
	size_t n, alloc;
	size_t *slots; /* hash of paths to 1 + index in b: batches save 100,000 files */
	size_t cap;
	int batch;     /* psm_txn_batch(): one disk flush instead of one per file */
	int unsynced;  /* batch: journal lines not flushed yet */
};

static double lock_timeout(void)
{
	const char *env = getenv("PSM_LOCK_TIMEOUT");
	char *end;
	double t;

	if (!env || !*env)
		return 10.0;
	t = strtod(env, &end);
	return *end || t < 0 ? 10.0 : t;
}

int psm_txn_begin(struct psm_txn **out, struct psm_store *s)
{
	struct psm_txn *t = calloc(1, sizeof(*t));
	struct strbuf name = STRBUF_INIT, email = STRBUF_INIT;
	const char *gitdir;
	int r = 0, took_over;

	*out = NULL;
	if (!t)
		return psm_oom();
	t->store = s;
	strbuf_init(&t->lock, 0);
	strbuf_init(&t->journal, 0);
	strbuf_init(&t->head, 0);
	if (!s->no_commit && ((r = psm_git_identity(&name, &email, s->git)) < 0 ||
			       (r = psm_git_check_writable(s->git)) < 0))
		goto out;
	gitdir = psm_git_gitdir(s->git);
	strbuf_addf(&t->lock, "%spsm/lock", gitdir);
	strbuf_addf(&t->journal, "%spsm/journal", gitdir);
	if (t->lock.oom || t->journal.oom) {
		r = psm_oom();
		goto out;
	}
	if ((r = psm_lock_take(t->lock.buf, lock_timeout(), &took_over)) < 0)
		goto out;
	t->locked = 1;
	/* a journal under a lock we hold: its writer died mid-way */
	if (psm_path_exists(t->journal.buf) && (r = psm_txn_recover(s, t->journal.buf)) < 0)
		goto out;
	*out = t;
	t = NULL;
out:
	strbuf_release(&name);
	strbuf_release(&email);
	psm_txn_free(t);
	return r;
}

static size_t path_hash(const char *s)
{
	size_t h = 5381;

	for (; *s; s++)
		h = h * 33 + (unsigned char)*s;
	return h;
}

/* The slot holding path, or the empty slot where it would go. */
static size_t *find_slot(struct psm_txn *t, const char *path)
{
	size_t i = path_hash(path) & (t->cap - 1);

	while (t->slots[i] && strcmp(t->b[t->slots[i] - 1].path, path))
		i = (i + 1) & (t->cap - 1);
	return &t->slots[i];
}

static int grow_slots(struct psm_txn *t)
{
	size_t *old = t->slots, oldcap = t->cap, i;

	t->cap = t->cap ? t->cap * 2 : 64;
	if (!(t->slots = calloc(t->cap, sizeof(*t->slots)))) {
		t->slots = old;
		t->cap = oldcap;
		return psm_oom();
	}
	for (i = 0; i < oldcap; i++)
		if (old[i])
			*find_slot(t, t->b[old[i] - 1].path) = old[i];
	free(old);
	return 0;
}

static struct backup *find_backup(struct psm_txn *t, const char *path)
{
	size_t *slot = t->cap ? find_slot(t, path) : NULL;

	return slot && *slot ? &t->b[*slot - 1] : NULL;
}

static int add_backup(struct psm_txn *t, const char *path, const char *full)
{
	struct backup *b;

	if (find_backup(t, path))
		return 0;
	if ((t->n + 1) * 2 > t->cap && grow_slots(t) < 0)
		return PSM_ENOMEM;
	if (t->n == t->alloc) {
		struct backup *nb = psm_grow(t->b, t->n, &t->alloc, sizeof(*nb), 8);

		if (!nb)
			return psm_oom();
		t->b = nb;
	}
	b = &t->b[t->n];
	memset(b, 0, sizeof(*b));
	strbuf_init(&b->old, 0);
	if (!(b->path = psm_strdup(path)))
		return psm_oom();
	b->existed = strbuf_read_file(&b->old, full, 0) == 0;
	if (!b->existed && errno != ENOENT) {
		int r = psm_error_errno(PSM_ERROR, "could not read '%s'", path);

		free(b->path);
		strbuf_release(&b->old);
		return r;
	}
	t->n++;
	*find_slot(t, path) = t->n;
	return 0;
}

/* Append one line to the journal and make it durable. */
static int journal_append(struct psm_txn *t, const char *line, size_t len)
{
	int fd = open(t->journal.buf, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	int r = 0;

	if (fd < 0)
		return psm_error_errno(PSM_ERROR, "could not write '%s'", t->journal.buf);
	if (write(fd, line, len) != (ssize_t)len || (!t->batch && fsync(fd) < 0))
		r = psm_error_errno(PSM_ERROR, "could not write '%s'", t->journal.buf);
	t->unsynced |= t->batch;
	close(fd);
	return r;
}

/* Record backup i (its old content first) before its file is replaced. */
static int journal_record(struct psm_txn *t, size_t i)
{
	struct strbuf line = STRBUF_INIT, copy = STRBUF_INIT;
	const struct backup *b = &t->b[i];
	int r = 0;

	if (!t->journaled) {
		if ((r = psm_git_head(&t->head, t->store->git)) < 0)
			goto out;
		strbuf_addf(&line, "%s %s\n", PSM_JOURNAL_MAGIC, t->head.len ? t->head.buf : "-");
	}
	if (b->existed) {
		strbuf_addf(&copy, "%s.d/%zu", t->journal.buf, i);
		if (copy.oom) {
			r = psm_oom();
			goto out;
		}
		if ((r = (t->batch ? psm_write_file_atomic_nosync : psm_write_file_atomic)(
			     copy.buf, b->old.buf, b->old.len)) < 0)
			goto out;
	}
	strbuf_addf(&line, "%d %zu %s\n", b->existed, i, b->path);
	if (line.oom) {
		r = psm_oom();
		goto out;
	}
	if ((r = journal_append(t, line.buf, line.len)) < 0)
		goto out;
	t->journaled = 1;
out:
	strbuf_release(&line);
	strbuf_release(&copy);
	return r;
}

/*
 * The file and every directory on the way to it must be what they seem:
 * a symlinked shard (issues/7k -> /elsewhere) would take the write out of
 * the store, so no component may be a symlink, and ".." is refused.
 */
static int check_path(const char *root, const char *rel)
{
	struct strbuf p = STRBUF_INIT;
	struct stat st;
	size_t i, n = strlen(rel);
	int r = 0;

	if (!n || rel[0] == '/' || strstr(rel, ".."))
		return psm_error(PSM_EINVALID, "refusing to write '%s': not a path inside the store", rel);
	for (i = 1; i <= n && !r; i++) {
		if (i < n && rel[i] != '/')
			continue;
		strbuf_reset(&p);
		strbuf_addstr(&p, root);
		strbuf_add(&p, rel, i);
		if (p.oom)
			r = psm_oom();
		else if (lstat(p.buf, &st) < 0)
			break; /* not there yet: psm creates it */
		else if (S_ISLNK(st.st_mode))
			r = psm_error(PSM_EINVALID, "refusing to write through symlink '%.*s'",
				      (int)i, rel);
	}
	strbuf_release(&p);
	return r;
}

/* Write text to path (store-relative), or remove path when text is NULL;
 * an issue file is checked as psm check would first. */
static int save(struct psm_txn *t, const char *path, const char *text, size_t len, int issue)
{
	struct strbuf full = STRBUF_INIT;
	struct backup *b;
	int r;

	strbuf_addf(&full, "%s%s", t->store->root, path);
	if ((r = add_backup(t, path, full.buf)) < 0)
		goto out;
	b = find_backup(t, path);
	if (text ? b->existed && b->old.len == len && !memcmp(b->old.buf, text, len) : !b->existed) {
		r = 0; /* unchanged: nothing to write or commit */
		goto out;
	}
	if ((r = psm_check_writable(full.buf, path)) < 0)
		goto out;
	/* what psm check would refuse is never written (validate.h) */
	if (issue && (r = psm_validate_write(NULL, path, text, len, t->store->config)) < 0) {
		if (r == PSM_EINVALID)
			psm_error(r, "refusing to write '%s': %s", path, psm_error_last());
		goto out;
	}
	if (!b->recorded && (r = journal_record(t, (size_t)(b - t->b))) < 0)
		goto out;
	b->recorded = 1;
	t->store->wrote++; /* a listing of the files taken before is stale */
	/* Batch: a file with content to lose is replaced only once the journal
	 * saying how to restore it is on disk; new files need no such care. */
	if (t->batch && b->existed && t->unsynced) {
		if ((r = psm_sync_fs(t->journal.buf)) < 0)
			goto out;
		t->unsynced = 0;
	}
	if (!text)
		r = unlink(full.buf) < 0 ? psm_error_errno(PSM_ERROR, "could not remove '%s'", path) : 0;
	else
		r = (t->batch ? psm_write_file_atomic_nosync : psm_write_file_atomic)(full.buf, text, len);
	if (!r) {
		t->written++;
		b->written = 1;
		r = 1;
	}
out:
	strbuf_release(&full);
	return r;
}

int psm_txn_save(struct psm_txn *t, const struct psm_issue *issue)
{
	struct strbuf text = STRBUF_INIT;
	int r;

	if ((r = check_path(t->store->root, issue->path)) < 0 ||
	    (r = psm_issue_format(&text, issue)) < 0)
		goto out;
	r = save(t, issue->path, text.buf, text.len, 1);
out:
	strbuf_release(&text);
	return r;
}

int psm_txn_save_file(struct psm_txn *t, const char *path, const char *text, size_t len)
{
	int r = check_path(t->store->root, path);

	return r < 0 ? r : save(t, path, text, len, 0);
}

void psm_txn_batch(struct psm_txn *t)
{
	t->batch = 1;
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
		/* a file never written is left alone: its mode too (read-only) */
		if (!t->b[i].written)
			continue;
		t->store->wrote++;
		strbuf_reset(&full);
		strbuf_addf(&full, "%s%s", t->store->root, t->b[i].path);
		if (t->b[i].existed)
			psm_write_file_atomic(full.buf, t->b[i].old.buf, t->b[i].old.len);
		else
			unlink(full.buf);
	}
	strbuf_release(&full);
}

/* Did HEAD move to our commit although psm_store_commit failed later on? */
static int committed_anyway(struct psm_txn *t)
{
	struct strbuf now = STRBUF_INIT, msg = STRBUF_INIT;
	int moved, code = psm_error_code();

	if (!t->journaled || t->store->no_commit)
		return 0;
	strbuf_addstr(&msg, psm_error_last()); /* the caller reports the commit's error */
	moved = psm_git_head(&now, t->store->git) == 0 && strcmp(now.buf, t->head.buf);
	psm_error(code, "%s", msg.buf);
	strbuf_release(&now);
	strbuf_release(&msg);
	return moved;
}

int psm_txn_commit(struct psm_txn *t, const char *message)
{
	const char **paths;
	size_t i;
	int r, tries = 0;

	if (!t->written)
		return PSM_EUNCHANGED;
	if (!(paths = calloc(t->n, sizeof(*paths))))
		return psm_oom();
	for (i = 0; i < t->n; i++)
		paths[i] = t->b[i].path;
	/*
	 * Every psm holds the lock, so only another git (a pull, a commit)
	 * can move HEAD under us; the commit is rebuilt on the new HEAD.
	 */
	if (t->batch && (r = psm_sync_fs(t->store->root)) < 0) {
		free(paths);
		return r;
	}
	do
		r = psm_store_commit(t->store, paths, t->n, message);
	while (r == PSM_ECONFLICT && ++tries < 5);
	free(paths);
	if (r == PSM_EUNCHANGED)
		r = 0;
	if (!r) {
		t->done = 1;
		psm_txn_journal_clear(t->journal.buf);
		t->journaled = 0;
	} else if (r != PSM_ECONFLICT && committed_anyway(t)) {
		/* HEAD moved to our commit and something failed after (only
		 * memory can): the files are in HEAD, so keep them. A conflict
		 * means someone else moved HEAD, and our commit never landed. */
		t->done = 1;
		t->journaled = 0;
	}
	return r;
}

void psm_txn_free(struct psm_txn *t)
{
	size_t i;

	if (!t)
		return;
	if (!t->done)
		rollback(t);
	if (t->journaled)
		psm_txn_journal_clear(t->journal.buf);
	if (t->locked)
		psm_lock_release(t->lock.buf);
	for (i = 0; i < t->n; i++) {
		free(t->b[i].path);
		strbuf_release(&t->b[i].old);
	}
	free(t->b);
	free(t->slots);
	strbuf_release(&t->lock);
	strbuf_release(&t->journal);
	strbuf_release(&t->head);
	free(t);
}
