/*
 * Loading a chunk of the scan (scan.c): each file's row sought, the
 * other files read, hashed, parsed and checked on all cores, the chunk's
 * rows written. Run by the reading thread or by the scan's loader.
 */
#include "scan-int.h"

#include <errno.h>
#include <fcntl.h>
#include <git2.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "psm/error.h"
#include "psm/limit.h"
#include "psm/validate.h"

/* ---- the chunk ---------------------------------------------------------- */

/*
 * A file's bytes are read on one crew thread and parsed on another: a
 * buffer kept for the item's next file is not freed into another
 * thread's malloc arena for every file (half of the cold read's samples
 * in malloc's locks were those frees). One grown for a large file goes.
 */
static void keep_or_release(struct strbuf *sb)
{
	if (sb->alloc > 65536)
		strbuf_release(sb);
	else
		strbuf_reset(sb);
}

void scan_item_clear(struct item *it)
{
	strbuf_reset(&it->meta);
	strbuf_reset(&it->problems);
	strbuf_reset(&it->body);
	keep_or_release(&it->text);
	psm_issue_free(it->issue);
	psm_issue_set_release(&it->diag);
	free(it->emsg);
	it->issue = it->view = NULL;
	it->emsg = NULL;
	it->f = NULL;
	it->nproblems = 0;
	it->has_row = it->row_ok = it->parse_error = it->recheck = it->checked = 0;
	it->damaged = it->has_oid = it->cacheable = it->failed = it->verified = 0;
}

int scan_take_run(struct psm_scan *sc, size_t i)
{
	int r;

	if (!sc->streaming)
		return 0; /* one run: every file */
	if ((r = cache_files_shard(sc->list, i, &sc->files, &sc->nfiles)) <= 0)
		return r;
	sc->shard = i;
	return 1;
}

/* Forget the chunk from item `from` on: those files are taken again. */
static int rewind_chunk(struct psm_scan *sc, size_t from)
{
	size_t i, shard = sc->shard, at = sc->next;
	int r = 0;

	if (from < sc->nchunk) {
		shard = sc->chunk[from].shard;
		at = sc->chunk[from].at;
	}
	for (i = from; i < sc->nchunk; i++)
		scan_item_clear(&sc->chunk[i]);
	sc->nchunk = from;
	if (shard != sc->shard && (r = scan_take_run(sc, shard)) < 0)
		return r; /* listed before: cannot fail but for an unread folder */
	sc->next = at;
	return 0;
}

void scan_cache_damaged(struct psm_scan *sc)
{
	cache_db_drop(sc->db);
	cache_db_close(sc->db);
	sc->db = NULL;
}

/*
 * The row stands for the file: the same stat data, recorded when the file
 * system's clock was past the file's last change by more than a clock step
 * (git's racy-clean rule: psm_file_unchanged(), which the similar index
 * asks too).
 */
static int row_clean(const struct cache_known *k, const struct psm_file_stat *f)
{
	struct psm_file_stat then = { f->path, k->dev, k->ino, k->mode, k->uid, k->gid,
				      k->size, k->mtime, k->ctime, f->issue_name };

	return psm_file_unchanged(f, &then, k->ref);
}

/* Step 1 for one file: its row, copied. */
static int seek_row(struct psm_scan *sc, struct item *it)
{
	const void *meta, *problems, *body;
	size_t mlen, plen, blen;
	const char *gone;
	int r;

	while ((r = cache_db_rows_seek(sc->db, it->f->path, &it->k, &gone)) == 2) {
		cache_db_delete(sc->db, gone); /* the file went away */
		if (cache_db_rows_skip(sc->db) < 0)
			return PSM_EPARSE;
	}
	if (r <= 0)
		return r;
	if (it->state != I_READ) { /* no longer a regular file */
		cache_db_delete(sc->db, it->f->path);
		return 0;
	}
	it->has_row = 1;
	cache_db_row(sc->db, &meta, &mlen, &problems, &plen);
	if (!plen || (it->nproblems = cache_problem_count(problems, plen)) < 0)
		return PSM_EPARSE;
	it->parse_error = !mlen;
	it->recheck = !it->parse_error && it->k.cfg != sc->cfg;
	strbuf_add(&it->meta, meta, mlen);
	strbuf_add(&it->problems, problems, plen);
	if (!it->parse_error && ((sc->flags & PSM_SCAN_BODY) || it->recheck)) {
		if ((r = cache_db_row_body(sc->db, it->f->path, &body, &blen)) < 0)
			return r;
		if (!r)
			return PSM_EPARSE; /* a row without its body */
		strbuf_add(&it->body, body, blen);
	}
	if (it->meta.oom || it->problems.oom || it->body.oom)
		return psm_oom();
	/* checked as they are copied (on the loader, while the chunk before
	 * is handed out), not on the reading thread as they are unpacked */
	if ((it->meta.len && !cache_meta_ok(it->meta.buf, it->meta.len)) ||
	    (it->body.len && !cache_body_ok(it->body.buf, it->body.len)))
		return PSM_EPARSE;
	it->verified = 1;
	it->row_ok = 1;
	if (row_clean(&it->k, it->f))
		it->state = I_CLEAN;
	return 0;
}

static int fill_chunk(struct psm_scan *sc)
{
	size_t i;
	int r;

	for (i = 0; i < sc->nchunk; i++)
		scan_item_clear(&sc->chunk[i]);
	sc->nchunk = 0;
	while (sc->nchunk < CHUNK) {
		struct item *it;

		if (sc->next == sc->nfiles) {
			if ((r = scan_take_run(sc, sc->shard + 1)) < 0)
				return r;
			if (!r)
				break;
			sc->next = 0;
			continue;
		}
		it = &sc->chunk[sc->nchunk++];
		it->shard = sc->shard;
		it->at = sc->next;
		it->f = &sc->files[sc->next++];
		it->state = !it->f->issue_name ? I_NAME : S_ISREG(it->f->mode) ? I_READ : I_PLAIN;
		if (!sc->db || it->state == I_NAME || (r = seek_row(sc, it)) == 0)
			continue;
		if (r != PSM_EPARSE)
			return r;
		scan_cache_damaged(sc);
		if ((r = rewind_chunk(sc, 0)) < 0) /* the chunk again, from the files alone */
			return r;
	}
	return 0;
}

/* ---- steps 2 and 3, on all cores ---------------------------------------- */

static void fail(struct item *it, int line, int col, const char *msg)
{
	it->failed = 1;
	it->eline = line;
	it->ecol = col;
	it->emsg = psm_strdup(msg);
	it->state = I_DONE;
}

/* As psm_store_load_path() reads a file, keeping the bytes and the stat
 * data of what was read. */
static void read_file(struct psm_scan *sc, struct item *it)
{
	struct strbuf full = STRBUF_INIT;
	struct stat st;
	git_oid oid;
	int fd, same;

	strbuf_addf(&full, "%s%s", sc->s->root, it->f->path);
	fd = full.oom ? -1 : open(full.buf, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	strbuf_release(&full);
	if (fd < 0 && (errno == EACCES || errno == EPERM)) {
		psm_error_errno(PSM_ERROR, "could not read '%s'", it->f->path);
		fail(it, 0, 0, psm_error_last());
		return;
	}
	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		/* not the regular file it was a moment ago: read the plain way */
		if (fd >= 0)
			close(fd);
		it->state = I_PLAIN;
		return;
	}
	if (strbuf_read_fd(&it->text, fd, PSM_LIMIT_FILE_SIZE) < 0) {
		if (errno == EFBIG) {
			fail(it, 0, 0, "file is larger than the limit " PSM_LIMIT_FILE_SIZE_NAME);
		} else {
			psm_error_errno(PSM_ERROR, "could not read '%s'", it->f->path);
			fail(it, 0, 0, psm_error_last());
		}
		close(fd);
		return;
	}
	close(fd);
	cache_file_stat(&it->st, &st);
	it->st.path = it->f->path;
	/* the blob id keys the row: with no cache open (--no-cache, or one
	 * psm could not open) nothing asks for it */
	if (sc->db && git_odb_hash(&oid, it->text.buf, it->text.len, GIT_OBJECT_BLOB) == 0) {
		memcpy(it->oid, oid.id, 20);
		it->has_oid = 1;
	}
	it->cacheable = sc->db && it->has_oid && sc->have_t0;
	same = it->row_ok && it->has_oid && it->k.has_oid && !memcmp(it->oid, it->k.oid, 20);
	it->state = same ? I_SAME : it->cacheable ? I_LOOKUP : I_PARSE;
}

/* Find the issue's problems: into it->diag, packed for its row. */
static void check_issue(struct psm_scan *sc, struct item *it)
{
	if (psm_issue_validate(&it->diag, it->issue, sc->s->config) < 0) {
		fail(it, 0, 0, "out of memory");
		return;
	}
	it->checked = 1;
	it->recheck = 0;
	strbuf_reset(&it->problems);
	if (sc->db && cache_pack_problems(&it->problems, &it->diag, 0) < 0)
		it->cacheable = 0;
}

static void parse_file(struct psm_scan *sc, struct item *it)
{
	struct psm_yaml_error err = { 0, 0, STRBUF_INIT };
	int r = psm_issue_parse(&it->issue, it->text.buf, it->text.len, &err);

	strbuf_reset(&it->meta);
	strbuf_reset(&it->body);
	strbuf_reset(&it->problems);
	it->verified = 0;
	it->parse_error = 0;
	if (r == PSM_EPARSE) {
		struct psm_issue_set one = { 0 };

		/* the same bytes fail the same way: worth keeping too */
		if (it->cacheable &&
		    (psm_issue_set_error(&one, it->f->path, err.line, err.col, err.msg.buf) < 0 ||
		     cache_pack_problems(&it->problems, &one, 0) < 0))
			it->cacheable = 0;
		psm_issue_set_release(&one);
		it->parse_error = 1;
		fail(it, err.line, err.col, err.msg.buf);
	} else if (r < 0) {
		fail(it, 0, 0, psm_error_last());
	} else if (!(it->issue->path = psm_strdup(it->f->path))) {
		fail(it, 0, 0, "out of memory");
	} else {
		check_issue(sc, it);
		if (it->cacheable &&
		    (cache_pack_issue(&it->meta, it->issue) < 0 ||
		     cache_pack_body(&it->body, it->issue->body.buf, it->issue->body.len) < 0))
			it->cacheable = 0;
	}
	strbuf_release(&err.msg);
	it->state = I_DONE;
}

/* An issue kept packed, unpacked as an ordinary one (to be checked). */
static void unpack_heap(struct item *it)
{
	const char *body = "";
	size_t blen = 0;
	int r;

	if (it->body.len && cache_unpack_body(&body, &blen, it->body.buf, it->body.len) < 0)
		r = PSM_EPARSE;
	else
		r = cache_unpack_issue(&it->issue, NULL, it->meta.buf, it->meta.len, it->f->path,
				       body, blen);
	if (r == PSM_EPARSE)
		it->damaged = 1;
	else if (r < 0)
		fail(it, 0, 0, "out of memory");
}

static void step(struct psm_scan *sc, struct item *it)
{
	if (it->state == I_READ)
		read_file(sc, it);
	if (it->state == I_PLAIN) {
		struct psm_yaml_error err = { 0, 0, STRBUF_INIT };
		int r = psm_store_load_path(&it->issue, sc->s, it->f->path, &err);

		if (r == PSM_EPARSE || r == PSM_ERROR)
			fail(it, err.line, err.col, err.msg.buf);
		else if (r < 0)
			fail(it, 0, 0, psm_error_last());
		else
			check_issue(sc, it);
		strbuf_release(&err.msg);
		it->cacheable = 0;
		it->state = I_DONE;
	}
	if (it->state == I_PARSE)
		parse_file(sc, it);
	/* contents known to the cache, checked against a new config */
	if ((it->state == I_SPARE || ((it->state == I_SAME || it->state == I_CLEAN) &&
				      it->recheck)) && !it->parse_error && !it->failed) {
		unpack_heap(it);
		if (it->issue)
			check_issue(sc, it);
	}
	if (it->state != I_LOOKUP) /* else parsed next, unless spare has it */
		keep_or_release(&it->text);
}

struct crew {
	struct psm_scan *sc;
	size_t next, n;
	struct item **v;
	pthread_mutex_t mu;
};

static void *crew_work(void *arg)
{
	struct crew *c = arg;

	for (;;) {
		size_t i;

		pthread_mutex_lock(&c->mu);
		i = c->next++;
		pthread_mutex_unlock(&c->mu);
		if (i >= c->n)
			break;
		step(c->sc, c->v[i]);
	}
	psm_error_clear();
	return NULL;
}

/* step() for the items that want it, on all cores when they are many. */
static void run_steps(struct psm_scan *sc, int (*wants)(const struct item *))
{
	struct item *v[CHUNK];
	struct crew c = { sc, 0, 0, v, PTHREAD_MUTEX_INITIALIZER };
	pthread_t th[MAX_THREADS];
	size_t i, nth = (size_t)sc->nthreads;

	for (i = 0; i < sc->nchunk; i++)
		if (wants(&sc->chunk[i]))
			v[c.n++] = &sc->chunk[i];
	if (!c.n)
		return;
	if (c.n < FEW_READS)
		nth = 1;
	for (i = 1; i < nth; i++)
		if (pthread_create(&th[i], NULL, crew_work, &c)) {
			nth = i;
			break;
		}
	crew_work(&c);
	for (i = 1; i < nth; i++)
		pthread_join(th[i], NULL);
}

static int wants_read(const struct item *it)
{
	return it->state == I_READ || it->state == I_PLAIN ||
	       (it->state == I_CLEAN && it->recheck);
}

static int wants_parse(const struct item *it)
{
	return it->state == I_PARSE || it->state == I_SPARE ||
	       (it->state == I_SAME && it->recheck);
}

/* Between the steps: contents the cache kept from before. */
static int look_in_spare(struct psm_scan *sc)
{
	size_t i;
	int r;

	for (i = 0; i < sc->nchunk; i++) {
		struct item *it = &sc->chunk[i];

		if (it->state != I_LOOKUP)
			continue;
		strbuf_reset(&it->meta);
		strbuf_reset(&it->body);
		it->verified = 0;
		it->state = I_PARSE;
		it->parse_error = 0;
		if ((r = cache_db_spare(sc->db, it->oid, &it->meta, &it->body)) < 0)
			return r;
		if (r)
			it->state = I_SPARE;
	}
	return 0;
}

/* Step 4's writing. */
static void write_rows(struct psm_scan *sc)
{
	size_t i;

	for (i = 0; i < sc->nchunk && sc->db; i++) {
		struct item *it = &sc->chunk[i];
		struct cache_put p;

		if (it->state == I_CLEAN || it->state == I_SAME) {
			if (it->state == I_SAME && it->cacheable)
				cache_db_touch(sc->db, it->f->path, &it->st, sc->t0);
			if (it->checked && it->problems.len && !it->failed)
				cache_db_put_problems(sc->db, it->f->path, sc->cfg, it->problems.buf,
						      it->problems.len);
			continue;
		}
		if (!it->cacheable || !it->problems.len || (it->failed && !it->parse_error) ||
		    (!it->parse_error && (!it->meta.len || !it->body.len)))
			continue;
		memset(&p, 0, sizeof(p));
		p.path = it->f->path;
		p.st = &it->st;
		p.ref = sc->t0;
		p.oid = it->oid;
		p.cfg = sc->cfg;
		p.meta = it->parse_error ? NULL : it->meta.buf;
		p.meta_len = it->parse_error ? 0 : it->meta.len;
		p.problems = it->problems.buf;
		p.problems_len = it->problems.len;
		p.body = it->body.buf;
		p.body_len = it->body.len;
		p.replacing = it->has_row;
		cache_db_put(sc->db, &p);
	}
}

int scan_load_chunk(struct psm_scan *sc)
{
	size_t i;
	int r;

again:
	if ((r = fill_chunk(sc)) < 0)
		return r;
	sc->chunk_reads = 0;
	for (i = 0; i < sc->nchunk; i++)
		if (wants_read(&sc->chunk[i]))
			sc->chunk_reads++;
	for (i = 0; i < sc->nchunk; i++)
		if (sc->chunk[i].state == I_READ)
			break;
	/* the racy-clean reference, taken before the first file is read */
	if (i < sc->nchunk && sc->db && !sc->have_t0 && !sc->no_t0) {
		if (cache_db_clock(sc->db, &sc->t0) < 0)
			sc->no_t0 = 1; /* racy rows could not be told: write none */
		else
			sc->have_t0 = 1;
	}
	run_steps(sc, wants_read);
	if (sc->db && (r = look_in_spare(sc)) < 0)
		return r;
	run_steps(sc, wants_parse);
	for (i = 0; i < sc->nchunk; i++) {
		if (sc->chunk[i].failed && !sc->chunk[i].emsg)
			return psm_oom();
		if (sc->chunk[i].damaged && sc->db) {
			scan_cache_damaged(sc);
			if ((r = rewind_chunk(sc, 0)) < 0)
				return r;
			goto again;
		}
	}
	write_rows(sc);
	return 0;
}
