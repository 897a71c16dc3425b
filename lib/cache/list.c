/*
 * The issue files and their stat data: the names psm_store_scan() reads
 * (every *.md in a folder of issues/, dot files left out, sorted by name),
 * each lstat'ed. The shards are shared out among threads, as git shares
 * out the stat calls of `git status` (preload-index.c): at 100,000 files
 * those calls are most of a read from the cache. psm_files_get() keeps the
 * listing on the store, so that the scan and the similar index share it.
 *
 * A scan need not wait for the whole listing: cache_files_open() lists on
 * threads in folder order while the scan takes each folder as it is done,
 * so that reading the rows of the first folders overlaps the stat calls of
 * the last (docs/benchmarks.md, "The scan beside the listing").
 */
#include "cache-int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "psm/error.h"
#include "psm/fs.h"
#include "psm/git.h"
#include "psm/grow.h"
#include "psm/store.h"

#define MAX_THREADS 16
/* a scan's listing: two threads, the scan's own the third (on two cores:
 * 0.43 s for a warm list at 100,000 issues, 0.47-0.48 with 1, 3, 4 or 6) */
#define STREAM_THREADS 2

/* Every *.md in issues/'s folders, sorted as psm_store_scan() sorts them,
 * with their lstat data, and the folders' mtimes. A folder that cannot be
 * read is left out and named in err. */
struct cache_list {
	struct psm_file_stat *f;
	size_t n;
	char **blocks;     /* where the paths are */
	size_t nblocks;
	struct psm_files_dir *dirs; /* with their names */
	size_t ndirs;
	char *err;         /* the first folder that could not be read */
};

static void cache_list_release(struct cache_list *l);

struct shard {
	char name[256];
	struct strbuf paths;       /* "issues/XY/NAME.md\0" each */
	struct psm_file_stat *f;
	size_t *off;               /* where each path starts in paths */
	size_t n;
	int r;
	char *err;                 /* errors are per thread: carried back */
	int listed;                /* a folder, read: mtime is its own */
	int64_t mtime;
	int done;                  /* listed (under the mutex) */
};

struct lister {
	const char *root;
	struct shard *sh;
	size_t nsh;
	size_t next;               /* the next shard to take */
	pthread_mutex_t mu;
	pthread_cond_t cv;         /* a shard is done */
};

/* A listing under way: its shards, listed in order by threads. */
struct cache_stream {
	struct lister ls;
	pthread_t th[MAX_THREADS];
	size_t nth;                /* threads running, to be joined */
	char *err;                 /* issues/ itself could not be read */
};

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmp_shard(const void *a, const void *b)
{
	return strcmp(((const struct shard *)a)->name, ((const struct shard *)b)->name);
}

/* <ID>.md in the folder named by the ID's first two characters, as
 * psm_store_scan() asks (is_issue_name in store.c). */
static int issue_name(const char *name, size_t len, const char *shard)
{
	static const char alphabet[] = "0123456789abcdefghjkmnpqrstvwxyz";
	size_t i;

	if (len != PSM_ID_LEN + 3 || memcmp(name + PSM_ID_LEN, ".md", 3) || !shard[0] ||
	    !shard[1] || shard[2] || name[0] != shard[0] || name[1] != shard[1])
		return 0;
	for (i = 0; i < PSM_ID_LEN; i++)
		if (!name[i] || !memchr(alphabet, name[i], sizeof(alphabet) - 1))
			return 0;
	return 1;
}

static void take_stat(struct psm_file_stat *f, const struct stat *st)
{
	f->dev = (int64_t)st->st_dev;
	f->ino = (int64_t)st->st_ino;
	f->mode = (int64_t)st->st_mode;
	f->uid = (int64_t)st->st_uid;
	f->gid = (int64_t)st->st_gid;
	f->size = (int64_t)st->st_size;
	f->mtime = (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
	f->ctime = (int64_t)st->st_ctim.tv_sec * 1000000000 + st->st_ctim.tv_nsec;
}

void cache_file_stat(struct psm_file_stat *f, const struct stat *st)
{
	take_stat(f, st);
}

/*
 * One shard: its *.md names, sorted, and their stat data. Only a folder
 * counts (not a symbolic link to one), as psm_store_scan()'s lstat has it;
 * a folder that cannot be read is an error, as there.
 */
static int list_shard(struct lister *ls, struct shard *sh, int top)
{
	struct strbuf names = STRBUF_INIT;
	size_t *offs = NULL, noffs = 0, oalloc = 0, i;
	char **sorted = NULL;
	struct dirent *de;
	struct stat st;
	DIR *d;
	int fd, r = 0;

	fd = openat(top, sh->name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		struct strbuf dir = STRBUF_INIT;

		if (errno == ENOENT || errno == ENOTDIR || errno == ELOOP)
			return 0; /* README.md and other plain files beside the shards */
		strbuf_addf(&dir, "%s%s/%s", ls->root, PSM_ISSUE_DIR, sh->name);
		r = psm_error_errno(PSM_ERROR, "could not read '%s'", dir.buf);
		strbuf_release(&dir);
		return r;
	}
	/* before reading it: a file added meanwhile moves the mtime past this
	 * (the similar index's hint looks again at a folder whose mtime moved) */
	if (fstat(fd, &st) == 0) {
		sh->listed = 1;
		sh->mtime = (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
	}
	if (!(d = fdopendir(fd))) {
		close(fd);
		sh->listed = 0;
		return 0;
	}
	while ((de = readdir(d))) {
		size_t l = strlen(de->d_name), *no;

		if (de->d_name[0] == '.' || l < 3 || strcmp(de->d_name + l - 3, ".md"))
			continue;
		if (!(no = psm_grow(offs, noffs, &oalloc, sizeof(*offs), 64))) {
			r = psm_oom();
			goto out;
		}
		offs = no;
		offs[noffs++] = names.len;
		strbuf_add(&names, de->d_name, l + 1);
	}
	if (names.oom || (noffs && !(sorted = malloc(noffs * sizeof(*sorted))))) {
		r = psm_oom();
		goto out;
	}
	for (i = 0; i < noffs; i++)
		sorted[i] = names.buf + offs[i];
	if (noffs > 1)
		qsort(sorted, noffs, sizeof(*sorted), cmp_name);
	if (noffs && (!(sh->f = calloc(noffs, sizeof(*sh->f))) ||
		      !(sh->off = malloc(noffs * sizeof(*sh->off))))) {
		r = psm_oom();
		goto out;
	}
	for (i = 0; i < noffs; i++) {
		struct psm_file_stat *f = &sh->f[sh->n];
		size_t l = strlen(sorted[i]);

		sh->off[sh->n++] = sh->paths.len;
		strbuf_add(&sh->paths, PSM_ISSUE_DIR "/", strlen(PSM_ISSUE_DIR) + 1);
		strbuf_addstr(&sh->paths, sh->name);
		strbuf_addch(&sh->paths, '/');
		strbuf_add(&sh->paths, sorted[i], l + 1);
		f->issue_name = issue_name(sorted[i], l, sh->name);
		if (fstatat(dirfd(d), sorted[i], &st, AT_SYMLINK_NOFOLLOW) == 0)
			take_stat(f, &st);
	}
	if (sh->paths.oom)
		r = psm_oom();
out:
	closedir(d);
	strbuf_release(&names);
	free(offs);
	free(sorted);
	return r;
}

static void *list_worker(void *arg)
{
	struct lister *ls = arg;
	struct strbuf dir = STRBUF_INIT;
	int top;

	strbuf_addf(&dir, "%s%s", ls->root, PSM_ISSUE_DIR);
	top = dir.oom ? -1 : open(dir.buf, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	strbuf_release(&dir);
	for (;;) {
		struct shard *sh;
		size_t i;

		pthread_mutex_lock(&ls->mu);
		i = ls->next++;
		pthread_mutex_unlock(&ls->mu);
		if (i >= ls->nsh)
			break;
		sh = &ls->sh[i];
		sh->r = top < 0 ? psm_oom() : list_shard(ls, sh, top);
		if (sh->r < 0 && !(sh->err = psm_strdup(psm_error_last())))
			sh->r = PSM_ENOMEM;
		for (i = 0; sh->r == 0 && i < sh->n; i++) /* paths no longer move */
			sh->f[i].path = sh->paths.buf + sh->off[i];
		pthread_mutex_lock(&ls->mu);
		sh->done = 1;
		pthread_cond_broadcast(&ls->cv);
		pthread_mutex_unlock(&ls->mu);
	}
	if (top >= 0)
		close(top);
	return NULL;
}

/* The names in issues/, dot files left out, sorted. */
static int top_names(struct lister *ls, int fd)
{
	struct dirent *de;
	size_t alloc = 0;
	DIR *d = fdopendir(fd);

	if (!d) {
		close(fd);
		return psm_oom();
	}
	while ((de = readdir(d))) {
		size_t l = strlen(de->d_name);
		struct shard *nv;

		if (de->d_name[0] == '.' || l >= sizeof(nv->name))
			continue;
		if (!(nv = psm_grow(ls->sh, ls->nsh, &alloc, sizeof(*nv), 1024))) {
			closedir(d);
			return psm_oom();
		}
		ls->sh = nv;
		memset(&ls->sh[ls->nsh], 0, sizeof(*nv));
		memcpy(ls->sh[ls->nsh].name, de->d_name, l + 1);
		strbuf_init(&ls->sh[ls->nsh].paths, 0);
		ls->nsh++;
	}
	closedir(d);
	if (ls->nsh > 1)
		qsort(ls->sh, ls->nsh, sizeof(*ls->sh), cmp_shard);
	return 0;
}

/* A folder that cannot be read: named in l->err (the first), not fatal
 * here; the scan fails on it, the similar index skips it. */
static int note_error(struct cache_list *l, int r)
{
	if (r == PSM_ENOMEM)
		return r;
	if (!l->err && !(l->err = psm_strdup(psm_error_last())))
		return psm_oom();
	psm_error_clear();
	return 0;
}

/* The folders read, with their names and mtimes. */
static int keep_dirs(struct cache_list *out, const struct lister *ls)
{
	size_t i, k, len = 0;
	char *names;

	for (i = 0; i < ls->nsh; i++)
		if (ls->sh[i].listed)
			len += strlen(ls->sh[i].name) + 1;
	if (!(out->dirs = malloc((ls->nsh ? ls->nsh : 1) * sizeof(*out->dirs) + len + 1)))
		return psm_oom();
	names = (char *)(out->dirs + (ls->nsh ? ls->nsh : 1));
	for (i = k = 0; i < ls->nsh; i++) {
		size_t l = strlen(ls->sh[i].name) + 1;

		if (!ls->sh[i].listed)
			continue;
		memcpy(names, ls->sh[i].name, l);
		out->dirs[k].name = names;
		out->dirs[k++].mtime = ls->sh[i].mtime;
		names += l;
	}
	out->ndirs = k;
	return 0;
}

static size_t list_threads(void)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);

	/* more threads than cores: stat calls wait on the disk, and a loaded
	 * machine shares its cores by thread */
	return ncpu < 1 ? 2 : (size_t)ncpu * 4 > MAX_THREADS ? MAX_THREADS : (size_t)ncpu * 4;
}

/* Start listing on nth threads besides the caller's (none: listed here). */
static int stream_start(struct cache_stream **out, const char *root, size_t nth)
{
	struct cache_stream *st = calloc(1, sizeof(*st));
	struct strbuf dir = STRBUF_INIT;
	int fd, r = 0;

	*out = NULL;
	if (!st)
		return psm_oom();
	st->ls.root = root;
	if (pthread_mutex_init(&st->ls.mu, NULL) != 0) {
		free(st);
		return psm_oom();
	}
	if (pthread_cond_init(&st->ls.cv, NULL) != 0) {
		pthread_mutex_destroy(&st->ls.mu);
		free(st);
		return psm_oom();
	}
	*out = st;
	strbuf_addf(&dir, "%s%s", root, PSM_ISSUE_DIR);
	if (dir.oom) {
		strbuf_release(&dir);
		return psm_oom();
	}
	fd = open(dir.buf, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		if (errno != ENOENT) { /* else no issues yet */
			psm_error_errno(PSM_ERROR, "could not read '%s'", dir.buf);
			if (!(st->err = psm_strdup(psm_error_last())))
				r = psm_oom();
			psm_error_clear();
		}
		strbuf_release(&dir);
		return r;
	}
	strbuf_release(&dir);
	if ((r = top_names(&st->ls, fd)) < 0)
		return r;
	if (st->ls.nsh < 16)
		nth = 0;
	for (; st->nth < nth; st->nth++)
		if (pthread_create(&st->th[st->nth], NULL, list_worker, &st->ls))
			break;
	if (!st->nth)
		list_worker(&st->ls);
	return 0;
}

/* Shard i, once listed: 1, 0 past the last, negative if it could not be. */
static int stream_shard(struct cache_stream *st, size_t i, const struct psm_file_stat **f,
			size_t *n)
{
	struct shard *sh;

	if (st->err)
		return i ? 0 : psm_error(PSM_ERROR, "%s", st->err);
	if (i >= st->ls.nsh)
		return 0;
	sh = &st->ls.sh[i];
	pthread_mutex_lock(&st->ls.mu);
	while (!sh->done)
		pthread_cond_wait(&st->ls.cv, &st->ls.mu);
	pthread_mutex_unlock(&st->ls.mu);
	if (sh->r < 0)
		return sh->r == PSM_ENOMEM ? psm_oom() : psm_error(sh->r, "%s", sh->err);
	*f = sh->f;
	*n = sh->n;
	return 1;
}

/* Every shard listed (helping), the threads joined. */
static void stream_join(struct cache_stream *st)
{
	size_t i;

	if (!st->nth)
		return;
	list_worker(&st->ls);
	for (i = 0; i < st->nth; i++)
		pthread_join(st->th[i], NULL);
	st->nth = 0;
}

static void stream_free(struct cache_stream *st)
{
	size_t i;

	if (!st)
		return;
	stream_join(st);
	for (i = 0; i < st->ls.nsh; i++) {
		strbuf_release(&st->ls.sh[i].paths);
		free(st->ls.sh[i].f);
		free(st->ls.sh[i].off);
		free(st->ls.sh[i].err);
	}
	free(st->ls.sh);
	free(st->err);
	pthread_cond_destroy(&st->ls.cv);
	pthread_mutex_destroy(&st->ls.mu);
	free(st);
}

/*
 * The whole listing, from a stream: the files copied into one array (the
 * paths handed over). keep: the shards' arrays stay, for a scan that is
 * taking them (their paths then point into out's blocks).
 */
static int stream_finish(struct cache_stream *st, struct cache_list *out, int keep)
{
	size_t i, j, total = 0;
	int r = 0;

	memset(out, 0, sizeof(*out));
	stream_join(st);
	if (st->err) {
		if (!(out->err = psm_strdup(st->err)))
			return psm_oom();
		return 0;
	}
	for (i = 0; i < st->ls.nsh; i++) {
		if (!r && st->ls.sh[i].r < 0)
			r = note_error(out, st->ls.sh[i].r == PSM_ENOMEM
						    ? psm_oom()
						    : psm_error(st->ls.sh[i].r, "%s", st->ls.sh[i].err));
		total += st->ls.sh[i].n;
	}
	if (!r && (!(out->f = malloc((total ? total : 1) * sizeof(*out->f))) ||
		   !(out->blocks = calloc(st->ls.nsh ? st->ls.nsh : 1, sizeof(*out->blocks)))))
		r = psm_oom();
	if (!r)
		r = keep_dirs(out, &st->ls);
	for (i = 0; !r && i < st->ls.nsh; i++) {
		struct shard *sh = &st->ls.sh[i];

		if (!sh->n)
			continue;
		for (j = 0; j < sh->n; j++)
			out->f[out->n++] = sh->f[j];
		out->blocks[out->nblocks++] = strbuf_detach(&sh->paths, NULL);
		if (!keep) {
			free(sh->f);
			sh->f = NULL;
		}
	}
	if (r)
		cache_list_release(out);
	return r;
}

static void cache_list_release(struct cache_list *l)
{
	size_t i;

	for (i = 0; i < l->nblocks; i++)
		free(l->blocks[i]);
	free(l->blocks);
	free(l->f);
	free(l->dirs);
	free(l->err);
	memset(l, 0, sizeof(*l));
}

/* ---- once per command: the listing kept on the store -------------------- */

/*
 * The store points at its listing while anyone holds it: a command that
 * holds one across its reads (the triage session, over its queue and the
 * similar index) has them share it; one that does not lists again, so a
 * program that keeps its store open sees the files as they are now.
 */
struct memo {
	struct psm_files pub;      /* first: psm_files_put() gets it back */
	struct cache_list list;
	struct cache_stream *stream; /* the shards, while listed or taken by a scan */
	int whole;                 /* list (and pub) made */
	int readers;               /* scans taking the shards (cache_files_open) */
	struct psm_store *store;   /* NULL once the store no longer offers it */
	unsigned long wrote;       /* store->wrote when it was taken */
	int refs;
	const char **ids;          /* the issue names, for psm_files_abbrev() */
	size_t nids;
};

static void memo_detach(void *files)
{
	struct memo *m = files;

	if (m->store && m->store->files == m) {
		m->store->files = NULL;
		m->store->files_free = NULL;
	}
	m->store = NULL;
}

void psm_files_put(struct psm_files *files)
{
	struct memo *m = (struct memo *)files;

	if (!m || --m->refs > 0)
		return;
	memo_detach(m);
	stream_free(m->stream);
	cache_list_release(&m->list);
	free(m->ids);
	free(m);
}

/* The whole listing, waiting for the threads: pub made. */
static int memo_whole(struct memo *m)
{
	int r;

	if (m->whole)
		return 0;
	if ((r = stream_finish(m->stream, &m->list, m->readers > 0)) < 0)
		return r;
	if (!m->readers) {
		stream_free(m->stream);
		m->stream = NULL;
	}
	m->pub.f = m->list.f;
	m->pub.n = m->list.n;
	m->pub.dirs = m->list.dirs;
	m->pub.ndirs = m->list.ndirs;
	m->pub.err = m->list.err;
	m->whole = 1;
	return 0;
}

/*
 * The file system's clock now: what it stamps the next change with (the
 * cache's clock, db.c, on a file of the listing's own, so that --no-cache
 * leaves the cache's files alone). 0 when it cannot be taken.
 */
static int64_t fs_clock(struct psm_store *s)
{
	struct strbuf path = STRBUF_INIT;
	struct stat st;
	int64_t ns = 0;
	int fd = -1;

	strbuf_addf(&path, "%spsm/list.time", psm_git_gitdir(s->git));
	if (!path.oom && psm_mkdir_parents(path.buf) == 0)
		fd = open(path.buf, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0666);
	if (fd >= 0) {
		if (futimens(fd, NULL) == 0 && fstat(fd, &st) == 0)
			ns = (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
		close(fd);
	}
	psm_error_clear(); /* a read-only git directory: nothing is trusted */
	strbuf_release(&path);
	return ns;
}

/* s's listing, held (refs), started on nth threads if it is not there. */
static int memo_get(struct memo **out, struct psm_store *s, size_t nth)
{
	struct memo *m = s->files_free == memo_detach ? s->files : NULL;
	int r;

	*out = NULL;
	if (m && m->wrote == s->wrote) {
		m->refs++;
		*out = m;
		return 0;
	}
	if (m)
		memo_detach(m); /* written since: its holders keep it */
	if (!(m = calloc(1, sizeof(*m))))
		return psm_oom();
	/* before the first lstat: a file changed after it is racily clean */
	m->pub.ref = fs_clock(s);
	if ((r = stream_start(&m->stream, s->root, nth)) < 0) {
		stream_free(m->stream);
		free(m);
		return r;
	}
	m->wrote = s->wrote;
	m->refs = 1;
	m->store = s;
	s->files = m;
	s->files_free = memo_detach;
	*out = m;
	return 0;
}

int psm_files_get(struct psm_files **out, struct psm_store *s)
{
	struct memo *m;
	int r;

	*out = NULL;
	if ((r = memo_get(&m, s, list_threads() - 1)) < 0)
		return r;
	if ((r = memo_whole(m)) < 0) {
		psm_files_put(&m->pub);
		return r;
	}
	*out = &m->pub;
	return 0;
}

int cache_files_open(struct psm_files **out, int *streaming, struct psm_store *s)
{
	struct memo *m;
	int r;

	*out = NULL;
	/* few threads: the scan's own thread needs a core beside them */
	if ((r = memo_get(&m, s, STREAM_THREADS)) < 0)
		return r;
	*streaming = !m->whole;
	if (*streaming)
		m->readers++;
	*out = &m->pub;
	return 0;
}

int cache_files_shard(struct psm_files *files, size_t i, const struct psm_file_stat **f,
		      size_t *n)
{
	return stream_shard(((struct memo *)files)->stream, i, f, n);
}

size_t cache_files_count(struct psm_files *files)
{
	struct memo *m = (struct memo *)files;
	size_t i, n = 0;

	if (m->whole)
		return m->pub.n;
	stream_join(m->stream);
	for (i = 0; i < m->stream->ls.nsh; i++)
		n += m->stream->ls.sh[i].n;
	return n;
}

void cache_files_done(struct psm_files *files)
{
	struct memo *m = (struct memo *)files;

	/* the whole listing made meanwhile no longer keeps the shards for it */
	if (!--m->readers && m->whole) {
		stream_free(m->stream);
		m->stream = NULL;
	}
}

void cache_files_close(struct psm_files *files, int streaming)
{
	if (files && streaming)
		cache_files_done(files);
	psm_files_put(files);
}

int psm_file_unchanged(const struct psm_file_stat *now, const struct psm_file_stat *then,
		       int64_t ref)
{
	/* whole-second times: a file system with a coarse clock */
	int64_t slack = then->mtime % 1000000000 == 0 && then->ctime % 1000000000 == 0
		? (int64_t)2000000000 : (int64_t)20000000;

	return ref > 0 && now->dev == then->dev && now->ino == then->ino &&
	       now->mode == then->mode && now->uid == then->uid && now->gid == then->gid &&
	       now->size == then->size && now->mtime == then->mtime &&
	       now->ctime == then->ctime && then->mtime < ref - slack && then->ctime < ref - slack;
}

/* The names of <ID>.md files, in order: the listing's order (by folder,
 * then name) is the IDs' order, as an ID's folder is its first two
 * characters. */
static int issue_ids(struct memo *m)
{
	size_t i;

	int r;

	if ((r = memo_whole(m)) < 0)
		return r;
	if (m->ids || !m->pub.n)
		return 0;
	if (!(m->ids = malloc(m->pub.n * sizeof(*m->ids))))
		return psm_oom();
	for (i = 0; i < m->pub.n; i++)
		if (m->pub.f[i].issue_name)
			m->ids[m->nids++] = strrchr(m->pub.f[i].path, '/') + 1;
	return 0;
}

static size_t id_prefix(const char *a, const char *b)
{
	size_t i = 0;

	while (i < PSM_ID_LEN && a[i] && a[i] == b[i])
		i++;
	return i;
}

int psm_files_abbrev(struct strbuf *out, struct psm_files *files, const char *id)
{
	struct memo *m = (struct memo *)files;
	size_t len = PSM_SHORT_ID_LEN, lo = 0, hi, c, idlen = strlen(id);
	int r;

	if ((r = issue_ids(m)) < 0)
		return r;
	/* the longest prefix id shares with another ID is with a neighbour */
	hi = m->nids;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strncmp(m->ids[mid], id, PSM_ID_LEN) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo > 0 && (c = id_prefix(m->ids[lo - 1], id)) < PSM_ID_LEN && c + 1 > len)
		len = c + 1;
	if (lo < m->nids && id_prefix(m->ids[lo], id) == PSM_ID_LEN)
		lo++; /* the ID itself */
	if (lo < m->nids && (c = id_prefix(m->ids[lo], id)) < PSM_ID_LEN && c + 1 > len)
		len = c + 1;
	strbuf_add(out, id, len > idlen ? idlen : len);
	return out->oom ? psm_oom() : 0;
}
