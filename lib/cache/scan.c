/*
 * Reading every issue through the cache (cache.h). The files are listed
 * and lstat'ed first (list.c), then taken a chunk at a time in path order:
 *
 *  1. each file's row is sought; one whose stat data match and were not
 *     racily clean is taken as it is (clean);
 *  2. the other files are read and hashed, on all cores; a content the row
 *     already has only needs its stat data updated, one the cache kept
 *     from before (spare) is not parsed again;
 *  3. what is left is parsed and checked, on all cores, and packed;
 *  4. the chunk's rows are written, and its issues handed out in order.
 *
 * While a chunk is handed out, a thread of the scan's own (the loader)
 * takes the next one through steps 1 to 4 (scan-load.c): the reading
 * thread is left unpacking and the command's own work (docs/benchmarks.md,
 * "JSON written as it goes, the next chunk loaded ahead").
 *
 * Without a cache (--no-cache, a read-only git directory) steps 1 and 4
 * write nothing and every file is read: the same issues come out.
 */
#include "scan-int.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "psm/error.h"
#include "psm/version.h"

#define FORMAT "psm-cache 2" /* bump when what a row holds changes */

static const char not_issue_name[] =
	"not an issue file name (expected <ID>.md in the folder named by the ID's first two characters)";

int psm_cache_path(struct strbuf *out, struct psm_store *s)
{
	strbuf_addf(out, "%spsm/cache.db", psm_git_gitdir(s->git));
	return out->oom ? psm_oom() : 0;
}

/* ---- the config's identity: the checks depend on it ---------------------- */

static uint64_t hash_node(uint64_t h, const struct psm_node *n)
{
	size_t i;

	h = cache_hash64(&n->kind, sizeof(n->kind), h ^ (uint64_t)n->n);
	if (n->str)
		h = cache_hash64(n->str, n->len, h + 1);
	for (i = 0; i < n->n; i++)
		h = hash_node(h, n->items[i]);
	return h;
}

/* ---- opening ------------------------------------------------------------ */

static int open_cache(struct psm_scan *sc)
{
	struct strbuf path = STRBUF_INIT, key = STRBUF_INIT;
	int r;

	strbuf_addstr(&key, FORMAT "\n");
	strbuf_addf(&key, "psm %s\n", sc->s->build ? sc->s->build : "");
	if ((r = psm_library_versions(&key)) < 0 || (r = psm_cache_path(&path, sc->s)) < 0)
		goto out;
	r = cache_db_open(&sc->db, path.buf, key.buf);
	if (r == PSM_ENOTFOUND)
		r = 0; /* answer from the files alone */
	else if (!r && cache_db_rows_begin(sc->db) < 0) {
		cache_db_drop(sc->db);
		cache_db_close(sc->db);
		sc->db = NULL;
	}
out:
	strbuf_release(&path);
	strbuf_release(&key);
	return r;
}

int psm_scan_open(struct psm_scan **out, struct psm_store *s, unsigned flags)
{
	struct psm_scan *sc = calloc(1, sizeof(*sc));
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	size_t i;
	int r;

	*out = NULL;
	if (!sc)
		return psm_oom();
	sc->s = s;
	sc->flags = flags;
	sc->abbrev = PSM_SHORT_ID_LEN;
	sc->nthreads = ncpu < 1 ? 1 : ncpu > MAX_THREADS ? MAX_THREADS : (int)ncpu;
	sc->cfg = s->config && s->config->root ? hash_node(0x636667, s->config->root) : 0;
	for (i = 0; i < 2 * CHUNK; i++) {
		struct item *it = &sc->bufs[i / CHUNK][i % CHUNK];

		strbuf_init(&it->meta, 0);
		strbuf_init(&it->problems, 0);
		strbuf_init(&it->body, 0);
		strbuf_init(&it->text, 0);
	}
	sc->chunk = sc->bufs[0];
	sc->hand = sc->bufs[1];
	strbuf_init(&sc->ld.err, 0);
	if ((r = cache_files_open(&sc->list, &sc->streaming, s)) == 0 && sc->streaming) {
		sc->shard = (size_t)-1; /* the first run taken is folder 0 */
	} else if (!r) {
		sc->files = sc->list->f;
		sc->seen = sc->nfiles = sc->list->n;
		if (sc->list->err) /* never skipped silently */
			r = psm_error(PSM_ERROR, "%s", sc->list->err);
	}
	if (r < 0 ||
	    (!s->no_cache && (r = open_cache(sc)) < 0)) {
		psm_scan_free(sc);
		return r;
	}
	*out = sc;
	return 0;
}

/* ---- handing out -------------------------------------------------------- */

/* A row as it is, unpacked into the scan's arena (its checksums checked
 * when it was copied, as a rule: seek_row()). */
static void unpack_view(struct psm_scan *sc, struct item *it)
{
	const char *body = "";
	size_t blen = 0;
	int r;

	if (it->body.len && (it->verified ? cache_unpack_body_kept : cache_unpack_body)(
				    &body, &blen, it->body.buf, it->body.len) < 0) {
		it->damaged = 1;
		return;
	}
	r = it->verified ? cache_unpack_kept(&it->view, &sc->arena, it->meta.buf, it->meta.len,
					     it->f->path, body, blen)
			 : cache_unpack_issue(&it->view, &sc->arena, it->meta.buf, it->meta.len,
					      it->f->path, body, blen);
	if (r == PSM_EPARSE)
		it->damaged = 1;
}

static int add_error(struct psm_scan *sc, const char *path, int line, int col, const char *msg)
{
	return psm_issue_set_error(&sc->errors, path, line, col, msg);
}

/* The problems of an item: appended to diag; returns how many. */
static int item_problems(struct item *it, struct psm_issue_set *diag)
{
	size_t i;
	int r;

	if (!it->checked)
		return it->nproblems ? cache_unpack_problems(diag, it->f->path, it->problems.buf,
							      it->problems.len) : 0;
	for (i = 0; i < it->diag.nerrors; i++)
		if ((r = psm_issue_set_error(diag, it->diag.errors[i].path, it->diag.errors[i].line,
					     it->diag.errors[i].col, it->diag.errors[i].msg)) < 0)
			return r;
	return (int)it->diag.nerrors;
}

/* An issue psm check rejects is left out, named with its first problem,
 * as psm_store_scan() does. Returns 1 if it was. */
static int rejected(struct psm_scan *sc, struct item *it)
{
	struct psm_issue_set diag = { 0 };
	struct strbuf msg = STRBUF_INIT;
	int r;

	if (it->checked ? !it->diag.nerrors : !it->nproblems)
		return 0;
	r = item_problems(it, &diag);

	if (r > 0) {
		const struct psm_scan_error *e = &diag.errors[0];

		strbuf_addstr(&msg, e->msg);
		if (r > 1)
			strbuf_addf(&msg, " (and %d more: see 'psm check')", r - 1);
		r = msg.oom ? psm_oom() : add_error(sc, it->f->path, e->line, e->col, msg.buf);
		r = r < 0 ? r : 1;
	}
	psm_issue_set_release(&diag);
	strbuf_release(&msg);
	return r;
}

/* An item's issue: 1 with it, 0 when it is an error (recorded), negative
 * on failure (PSM_EPARSE: the row does not unpack). */
static int hand_out(struct psm_scan *sc, struct item *it, const struct psm_issue **out)
{
	struct psm_issue *is = it->issue;
	int r;

	if (it->state == I_NAME)
		return add_error(sc, it->f->path, 0, 0, not_issue_name);
	if (it->failed)
		return add_error(sc, it->f->path, it->eline, it->ecol, it->emsg);
	if (it->parse_error) { /* as the cache recorded it */
		struct psm_issue_set one = { 0 };

		if ((r = cache_unpack_problems(&one, it->f->path, it->problems.buf,
					       it->problems.len)) > 0)
			r = add_error(sc, it->f->path, one.errors[0].line, one.errors[0].col,
				      one.errors[0].msg);
		psm_issue_set_release(&one);
		return r < 0 ? r : 0;
	}
	if (!is) {
		/* on this thread: waiting for workers costs more than unpacking */
		unpack_view(sc, it);
		if (!(is = it->view))
			return it->damaged ? PSM_EPARSE : psm_oom();
	} else if (!(sc->flags & PSM_SCAN_BODY) && is->body.len) {
		/* as from the cache: no body unless asked for */
		strbuf_release(&is->body);
	}
	if (!(sc->flags & PSM_SCAN_ALL) && (r = rejected(sc, it)) != 0)
		return r < 0 ? r : 0;
	*out = is;
	return 1;
}

static void note_abbrev(struct psm_scan *sc, const struct psm_issue *is)
{
	const char *id = psm_issue_get(is, "id");
	size_t c = 0;

	if (!id)
		return;
	if (sc->prev[0]) {
		while (sc->prev[c] && sc->prev[c] == id[c])
			c++;
		if (c < PSM_ID_LEN && c + 1 > sc->abbrev)
			sc->abbrev = c + 1;
	}
	strncpy(sc->prev, id, PSM_ID_LEN);
	sc->prev[PSM_ID_LEN] = '\0';
}

/* After the last file: rows of files that went away. */
static void finish(struct psm_scan *sc)
{
	struct cache_known k;
	const char *gone;

	sc->ended = 1;
	if (sc->streaming) { /* every folder taken */
		sc->seen = cache_files_count(sc->list);
		cache_files_done(sc->list);
		sc->streaming = 0;
	}
	if (!sc->db)
		return;
	/* past every path: "\x7f" sorts after any "issues/..." */
	while (cache_db_rows_seek(sc->db, "\x7f", &k, &gone) == 2) {
		cache_db_delete(sc->db, gone);
		if (cache_db_rows_skip(sc->db) < 0)
			break;
	}
}

/* ---- the loader ----------------------------------------------------------- */

static void *loader_main(void *arg)
{
	struct psm_scan *sc = arg;
	struct loader *ld = &sc->ld;

	pthread_mutex_lock(&ld->mu);
	for (;;) {
		int r;

		while (!ld->want && !ld->quit)
			pthread_cond_wait(&ld->cv, &ld->mu);
		if (!ld->want)
			break;
		ld->want = 0;
		pthread_mutex_unlock(&ld->mu);
		r = scan_load_chunk(sc);
		pthread_mutex_lock(&ld->mu);
		strbuf_reset(&ld->err);
		if (r < 0)
			strbuf_addstr(&ld->err, psm_error_last());
		ld->r = r;
		ld->done = 1;
		pthread_cond_broadcast(&ld->cv);
	}
	pthread_mutex_unlock(&ld->mu);
	psm_error_clear();
	return NULL;
}

/* The next chunk, loaded on the loader while this one is handed out (the
 * chunk and everything scan_load_chunk() touches are the loader's until the
 * load is taken). Without a thread the next chunk is loaded when asked. */
static void loader_ask(struct psm_scan *sc)
{
	struct loader *ld = &sc->ld;

	if (!ld->started) {
		if (pthread_mutex_init(&ld->mu, NULL))
			return;
		if (pthread_cond_init(&ld->cv, NULL)) {
			pthread_mutex_destroy(&ld->mu);
			return;
		}
		if (pthread_create(&ld->th, NULL, loader_main, sc)) {
			pthread_cond_destroy(&ld->cv);
			pthread_mutex_destroy(&ld->mu);
			return;
		}
		ld->started = 1;
	}
	pthread_mutex_lock(&ld->mu);
	ld->want = 1;
	pthread_cond_broadcast(&ld->cv);
	pthread_mutex_unlock(&ld->mu);
	ld->pending = 1;
}

/* Wait for the load asked for; its outcome, its error raised here. */
static int loader_wait(struct psm_scan *sc)
{
	struct loader *ld = &sc->ld;
	int r;

	pthread_mutex_lock(&ld->mu);
	while (!ld->done)
		pthread_cond_wait(&ld->cv, &ld->mu);
	ld->done = 0;
	r = ld->r;
	pthread_mutex_unlock(&ld->mu);
	ld->pending = 0;
	if (r < 0)
		r = psm_error(r, "%s", ld->err.len ? ld->err.buf : "could not read the issues");
	return r;
}

/* The loaded chunk handed out, and the one after asked for. */
static int next_chunk(struct psm_scan *sc)
{
	struct item *t = sc->hand;
	size_t n = sc->nhand;
	int r;

	if (!sc->ld.pending) {
		/* loaded here: the chunk handed out let go first, so that one
		 * chunk's issues are alive at a time, not two */
		size_t i;

		for (i = 0; i < n; i++)
			scan_item_clear(&t[i]);
		n = 0;
	}
	if ((r = sc->ld.pending ? loader_wait(sc) : scan_load_chunk(sc)) < 0)
		return r;
	sc->hand = sc->chunk;
	sc->nhand = sc->nchunk;
	sc->chunk = t; /* its items cleared when the next load fills it */
	sc->nchunk = n;
	sc->pos = 0;
	/*
	 * A chunk not full was the listing's last. Ahead only while the rows
	 * stand for nearly all files (a warm read, a few files changed):
	 * where many files are read and parsed, every core is at it already,
	 * and a loader made the cold `list` at 10,000 issues 6% slower.
	 */
	if (sc->nhand == CHUNK && sc->chunk_reads < FEW_READS &&
	    !(sc->flags & PSM_SCAN_NO_AHEAD))
		loader_ask(sc);
	return 0;
}

/* The files taken again from it's on (an item handed out): the chunk
 * loaded ahead and the rest of this one forgotten. No load pending. */
static int take_again(struct psm_scan *sc, const struct item *it)
{
	size_t i, shard = it->shard, at = it->at;
	int r = 0;

	for (i = 0; i < sc->nchunk; i++)
		scan_item_clear(&sc->chunk[i]);
	for (i = 0; i < sc->nhand; i++)
		scan_item_clear(&sc->hand[i]);
	sc->nchunk = sc->nhand = sc->pos = 0;
	if (shard != sc->shard && (r = scan_take_run(sc, shard)) < 0)
		return r; /* listed before: cannot fail but for an unread folder */
	sc->next = at;
	return 0;
}

int psm_scan_next(struct psm_scan *sc, const struct psm_issue **issue)
{
	int r;

	*issue = NULL;
	sc->cur = NULL;
	sc->cur_issue = NULL;
	for (;;) {
		struct item *it;

		if (sc->pos == sc->nhand) {
			if (sc->ended)
				return 0;
			if ((r = next_chunk(sc)) < 0)
				return r;
			if (!sc->nhand) {
				finish(sc);
				return 0;
			}
			continue;
		}
		it = &sc->hand[sc->pos++];
		r = hand_out(sc, it, issue);
		if (r == PSM_EPARSE) {
			/* a row that does not unpack: the cache is damaged (the
			 * loader may have found so already, and stopped using it) */
			if (sc->ld.pending && (r = loader_wait(sc)) < 0)
				return r;
			if (sc->db)
				scan_cache_damaged(sc);
			if ((r = take_again(sc, it)) < 0)
				return r;
			continue;
		}
		if (r < 0)
			return r;
		if (r) {
			sc->cur = it;
			sc->cur_issue = *issue;
			note_abbrev(sc, *issue);
			return 1;
		}
	}
}

int psm_scan_problems(struct psm_scan *sc, struct psm_issue_set *diag)
{
	return sc->cur ? item_problems(sc->cur, diag) : 0;
}

const struct psm_issue_set *psm_scan_errors(const struct psm_scan *sc)
{
	return &sc->errors;
}

size_t psm_scan_abbrev(const struct psm_scan *sc)
{
	return sc->abbrev;
}

const char *psm_scan_oid(struct psm_scan *sc)
{
	const unsigned char *o;
	size_t i;

	if (!sc->cur)
		return NULL;
	o = sc->cur->has_oid ? sc->cur->oid : sc->cur->has_row && sc->cur->k.has_oid ? sc->cur->k.oid : NULL;
	if (!o)
		return NULL;
	for (i = 0; i < 20; i++) {
		sc->hex[2 * i] = "0123456789abcdef"[o[i] >> 4];
		sc->hex[2 * i + 1] = "0123456789abcdef"[o[i] & 15];
	}
	sc->hex[40] = '\0';
	return sc->hex;
}

void psm_scan_free(struct psm_scan *sc)
{
	size_t i;

	if (!sc)
		return;
	if (sc->ld.started) {
		if (sc->ld.pending && loader_wait(sc) < 0)
			psm_error_clear(); /* a load past where the caller stopped */
		pthread_mutex_lock(&sc->ld.mu);
		sc->ld.quit = 1;
		pthread_cond_broadcast(&sc->ld.cv);
		pthread_mutex_unlock(&sc->ld.mu);
		pthread_join(sc->ld.th, NULL);
		pthread_cond_destroy(&sc->ld.cv);
		pthread_mutex_destroy(&sc->ld.mu);
	}
	strbuf_release(&sc->ld.err);
	for (i = 0; i < 2 * CHUNK; i++) {
		struct item *it = &sc->bufs[i / CHUNK][i % CHUNK];

		scan_item_clear(it);
		strbuf_release(&it->text);
		strbuf_release(&it->meta);
		strbuf_release(&it->problems);
		strbuf_release(&it->body);
	}
	if (sc->db) {
		/* a scan stopped early has not seen every file: counted */
		cache_db_seen(sc->db, sc->streaming ? cache_files_count(sc->list) : sc->seen);
		cache_db_rows_end(sc->db);
		cache_db_commit(sc->db);
		cache_db_close(sc->db);
	}
	cache_files_close(sc->list, sc->streaming);
	cache_arena_release(&sc->arena);
	psm_issue_set_release(&sc->errors);
	free(sc);
}

/* ---- taking ------------------------------------------------------------- */

int psm_scan_take(struct psm_issue **out, struct psm_scan *sc)
{
	struct item *it = sc->cur;
	const char *body = "";
	size_t blen = 0;
	int r;

	*out = NULL;
	if (!it || !sc->cur_issue)
		return psm_error(PSM_EINVALID, "no issue to take");
	if (it->issue) { /* parsed this run: handed over as it is */
		*out = it->issue;
		it->issue = NULL;
	} else {
		if (it->body.len && cache_unpack_body(&body, &blen, it->body.buf, it->body.len) < 0)
			return psm_error(PSM_ERROR, "a cached body does not unpack");
		r = cache_unpack_issue(out, NULL, it->meta.buf, it->meta.len, it->f->path, body, blen);
		if (r < 0)
			return r == PSM_EPARSE ? psm_error(PSM_ERROR, "a cached issue does not unpack") : r;
	}
	sc->cur_issue = *out;
	return 0;
}

int psm_cache_scan(struct psm_store *s, struct psm_issue_set *set, unsigned flags)
{
	const struct psm_issue *is;
	struct psm_scan *sc;
	size_t i;
	int r;

	if ((r = psm_scan_open(&sc, s, flags)) < 0)
		return r;
	while ((r = psm_scan_next(sc, &is)) > 0) {
		struct psm_issue *own;

		if ((r = psm_scan_take(&own, sc)) < 0 || (r = psm_issue_set_add(set, own)) < 0)
			break;
	}
	for (i = 0; r >= 0 && i < sc->errors.nerrors; i++) {
		const struct psm_scan_error *e = &sc->errors.errors[i];

		r = psm_issue_set_error(set, e->path, e->line, e->col, e->msg);
	}
	psm_scan_free(sc);
	return r < 0 ? r : 0;
}

/* ---- keeping ------------------------------------------------------------ */

/* meta is a row's bytes that unpacked (checksum verified) or an issue
 * packed here: unpacked again without the checksum (cache_unpack_kept) */
struct psm_row {
	size_t mlen, blen;
	char *path, *meta, *body;
};

int psm_scan_keep(struct psm_row **out, struct psm_scan *sc)
{
	const struct psm_issue *is = sc->cur_issue;
	struct strbuf packed = STRBUF_INIT;
	const struct strbuf *meta = &packed;
	struct psm_row *row;
	size_t plen;
	int r;

	*out = NULL;
	if (!is)
		return psm_error(PSM_EINVALID, "no issue to keep");
	/* an issue from its row is kept as the row packed it */
	if (is == sc->cur->view && sc->cur->meta.len)
		meta = &sc->cur->meta;
	else if ((r = cache_pack_issue(&packed, is)) < 0) {
		strbuf_release(&packed);
		return r;
	}
	plen = strlen(sc->cur->f->path) + 1;
	if (!(row = malloc(sizeof(*row) + plen + meta->len + is->body.len + 1))) {
		strbuf_release(&packed);
		return psm_oom();
	}
	row->path = (char *)(row + 1);
	row->meta = row->path + plen;
	row->body = row->meta + meta->len;
	memcpy(row->path, sc->cur->f->path, plen);
	memcpy(row->meta, meta->buf, meta->len);
	memcpy(row->body, is->body.buf, is->body.len);
	row->body[is->body.len] = '\0';
	row->mlen = meta->len;
	row->blen = is->body.len;
	strbuf_release(&packed);
	*out = row;
	return 0;
}

int psm_row_load(struct psm_issue **out, const struct psm_row *row)
{
	int r = cache_unpack_kept(out, NULL, row->meta, row->mlen, row->path, row->body, row->blen);

	return r == PSM_EPARSE ? psm_error(PSM_ERROR, "a kept issue does not unpack") : r;
}

int psm_row_view(const struct psm_issue **out, struct psm_row_space *space,
		 const struct psm_row *row)
{
	struct cache_arena a = { space->buf, space->alloc };
	struct psm_issue *is = NULL;
	int r = cache_unpack_kept(&is, &a, row->meta, row->mlen, row->path, row->body, row->blen);

	/* the arena may have grown, whatever came of the unpacking */
	space->buf = a.buf;
	space->alloc = a.alloc;
	*out = is;
	return r == PSM_EPARSE ? psm_error(PSM_ERROR, "a kept issue does not unpack") : r;
}

void psm_row_space_release(struct psm_row_space *space)
{
	free(space->buf);
	space->buf = NULL;
	space->alloc = 0;
}

const char *psm_row_path(const struct psm_row *row)
{
	return row->path;
}

void psm_row_free(struct psm_row *row)
{
	free(row);
}
