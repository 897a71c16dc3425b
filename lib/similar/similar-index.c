/*
 * The similarity index file (<gitdir>/psm/similar.idx) and keeping it fresh.
 * It is a cache: a file psm cannot read (truncated, another version, another
 * byte order) is ignored and rebuilt, and failing to write it is not an error.
 *
 * Layout, little-endian: "PSMSIM4\n", u32 term count, u32 doc count; terms
 * (u32 length, bytes); docs: path, title, status (u32 length, bytes each),
 * id[10], dup_of[10], the file's stat data as the store's listing took them
 * (u64 device, u64 inode, u64 mode, u64 uid, u64 gid, i64 size, i64 mtime
 * and i64 ctime in ns), i64 the listing's clock reference (ns; 0: not
 * trusted, read again), i64 closed, u32 term count, then per term
 * varint(term id delta) varint(count). Version 2 had only inode, mtime and
 * size: a file rewritten with the same size and mtime went unseen; version
 * 3 kept the courtesies (please, thanks) as words.
 *
 * Keeping it fresh asks the cache (cache.h): the listing of issues/ that
 * the read cache takes too, once per command, and the cache's rule for an
 * unchanged file (every stat field, racily clean files read again).
 */
#include "similar-int.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "psm/cache.h"
#include "psm/error.h"
#include "psm/fs.h"
#include "psm/grow.h"

#define MAGIC "PSMSIM4\n"
#define BATCH 4096 /* files parsed per round of the worker threads */

/* ---- writing ------------------------------------------------------------ */

void sim_put_u32(struct strbuf *b, uint32_t v)
{
	unsigned char c[4] = { (unsigned char)v, (unsigned char)(v >> 8),
			       (unsigned char)(v >> 16), (unsigned char)(v >> 24) };

	strbuf_add(b, c, 4);
}

void sim_put_u64(struct strbuf *b, uint64_t v)
{
	sim_put_u32(b, (uint32_t)v);
	sim_put_u32(b, (uint32_t)(v >> 32));
}

static void put_varint(struct strbuf *b, uint32_t v)
{
	while (v >= 0x80) {
		strbuf_addch(b, (int)(v & 0x7f) | 0x80);
		v >>= 7;
	}
	strbuf_addch(b, (int)v);
}

void sim_put_str(struct strbuf *b, const char *s)
{
	size_t l = s ? strlen(s) : 0;

	sim_put_u32(b, (uint32_t)l);
	strbuf_add(b, s ? s : "", l);
}

int psm_similar_save(struct psm_similar *ix)
{
	struct strbuf b = STRBUF_INIT;
	uint32_t *remap = NULL, nterms = 0, k, prev;
	size_t i;
	int r;

	if (!ix->changed)
		return ix->inv_stale ? sim_inv_write(ix) : 0;
	/* Only words some issue still uses are written: the file stays compact. */
	if (!(remap = calloc(ix->nterms ? ix->nterms : 1, sizeof(*remap))))
		return psm_oom();
	for (k = 0; k < ix->nterms; k++)
		remap[k] = ix->df[k] ? nterms++ : UINT32_MAX;
	strbuf_add(&b, MAGIC, 8);
	sim_put_u32(&b, nterms);
	sim_put_u32(&b, (uint32_t)ix->nlive);
	for (k = 0; k < ix->nterms; k++)
		if (ix->df[k])
			sim_put_str(&b, ix->terms[k]);
	for (i = 0; i < ix->ndocs; i++) {
		const struct sim_doc *d = &ix->docs[i];

		if (!d->live)
			continue;
		sim_put_str(&b, d->path);
		sim_put_str(&b, d->title);
		sim_put_str(&b, d->status);
		strbuf_add(&b, d->id, PSM_ID_LEN);
		strbuf_add(&b, d->dup_of, PSM_ID_LEN);
		sim_put_u64(&b, (uint64_t)d->dev);
		sim_put_u64(&b, d->ino);
		sim_put_u64(&b, (uint64_t)d->mode);
		sim_put_u64(&b, (uint64_t)d->uid);
		sim_put_u64(&b, (uint64_t)d->gid);
		sim_put_u64(&b, (uint64_t)d->size);
		sim_put_u64(&b, (uint64_t)d->mtime_ns);
		sim_put_u64(&b, (uint64_t)d->ctime_ns);
		sim_put_u64(&b, (uint64_t)d->ref);
		sim_put_u64(&b, (uint64_t)d->closed);
		sim_put_u32(&b, d->nt);
		for (k = 0, prev = 0; k < d->nt; k++) { /* remap keeps the order */
			put_varint(&b, remap[d->tf[k].term] - prev);
			put_varint(&b, d->tf[k].count);
			prev = remap[d->tf[k].term];
		}
	}
	r = b.oom ? psm_oom()
		  : psm_write_file_atomic(ix->file.buf, b.buf, b.len);
	if (!r)
		ix->changed = 0;
	if (!r) /* the hint's view of this same state */
		r = sim_inv_write(ix);
	free(remap);
	strbuf_release(&b);
	return r;
}

/* ---- reading ------------------------------------------------------------ */

struct reader {
	const unsigned char *p, *end;
	int bad;
};

static uint32_t get_u32(struct reader *rd)
{
	uint32_t v;

	if (rd->end - rd->p < 4) {
		rd->bad = 1;
		return 0;
	}
	v = (uint32_t)rd->p[0] | (uint32_t)rd->p[1] << 8 | (uint32_t)rd->p[2] << 16 |
	    (uint32_t)rd->p[3] << 24;
	rd->p += 4;
	return v;
}

static uint64_t get_u64(struct reader *rd)
{
	uint64_t lo = get_u32(rd);

	return lo | (uint64_t)get_u32(rd) << 32;
}

static uint32_t get_varint(struct reader *rd)
{
	uint32_t v = 0;
	int shift;

	for (shift = 0; shift < 35 && rd->p < rd->end; shift += 7) {
		unsigned char c = *rd->p++;

		v |= (uint32_t)(c & 0x7f) << shift;
		if (!(c & 0x80))
			return v;
	}
	rd->bad = 1;
	return 0;
}

/* A length-prefixed string, copied; NULL when the file is bad. */
static char *get_str(struct reader *rd)
{
	uint32_t l = get_u32(rd);
	char *s;

	if (rd->bad || (size_t)(rd->end - rd->p) < l || memchr(rd->p, 0, l)) {
		rd->bad = 1;
		return NULL;
	}
	s = psm_strndup((const char *)rd->p, l);
	rd->p += l;
	if (!s)
		rd->bad = 1;
	return s;
}

static int load_doc(struct psm_similar *ix, struct reader *rd, uint32_t nterms)
{
	char *path = get_str(rd), *title = get_str(rd), *status = get_str(rd);
	struct sim_doc *d = NULL;
	uint32_t nt, k, term = 0;
	int r = PSM_EPARSE;

	if (rd->bad || rd->end - rd->p < 2 * PSM_ID_LEN)
		goto out;
	k = (uint32_t)ix->ndocs;
	if (sim_doc_slot(ix, path, &d) < 0 || ix->ndocs == k)
		goto out; /* no memory, or a path twice: not a file we wrote */
	memcpy(d->id, rd->p, PSM_ID_LEN);
	memcpy(d->dup_of, rd->p + PSM_ID_LEN, PSM_ID_LEN);
	rd->p += 2 * PSM_ID_LEN;
	d->dev = (int64_t)get_u64(rd);
	d->ino = get_u64(rd);
	d->mode = (int64_t)get_u64(rd);
	d->uid = (int64_t)get_u64(rd);
	d->gid = (int64_t)get_u64(rd);
	d->size = (int64_t)get_u64(rd);
	d->mtime_ns = (int64_t)get_u64(rd);
	d->ctime_ns = (int64_t)get_u64(rd);
	d->ref = (int64_t)get_u64(rd);
	d->closed = (int64_t)get_u64(rd);
	nt = get_u32(rd);
	if (rd->bad || nt > (size_t)(rd->end - rd->p) / 2 || !psm_id_valid(d->id))
		goto out;
	if (nt && !(d->tf = calloc(nt, sizeof(*d->tf))))
		goto out;
	for (k = 0; k < nt; k++) {
		term += get_varint(rd);
		d->tf[k].term = term;
		d->tf[k].count = get_varint(rd);
		if (rd->bad || term >= nterms || !d->tf[k].count || (k && !(term > d->tf[k - 1].term)))
			goto out;
		ix->df[term]++;
	}
	d->nt = nt;
	d->title = title;
	d->status = status;
	title = status = NULL;
	d->live = 1;
	ix->nlive++;
	r = 0;
out: /* on failure the caller drops the whole index (sim_index_reset) */
	free(path);
	free(title);
	free(status);
	return r;
}

void sim_index_reset(struct psm_similar *ix)
{
	size_t i;
	uint32_t k;

	for (i = 0; i < ix->ndocs; i++) {
		free(ix->docs[i].path);
		free(ix->docs[i].title);
		free(ix->docs[i].status);
		free(ix->docs[i].tf);
	}
	for (k = 0; k < ix->nterms; k++)
		free(ix->terms[k]);
	free(ix->docs);
	free(ix->terms);
	free(ix->df);
	free(ix->idf);
	free(ix->term_map.slot);
	free(ix->doc_map.slot);
	free(ix->shards);
	ix->shards = NULL;
	ix->nshards = ix->salloc = 0;
	ix->docs = NULL;
	ix->terms = NULL;
	ix->df = NULL;
	ix->idf = NULL;
	ix->nidf = 0;
	memset(&ix->term_map, 0, sizeof(ix->term_map));
	memset(&ix->doc_map, 0, sizeof(ix->doc_map));
	ix->ndocs = ix->dalloc = ix->nlive = 0;
	ix->nterms = ix->talloc = 0;
	ix->changed = ix->weights_stale = 1;
}

int sim_index_load(struct psm_similar *ix)
{
	struct strbuf text = STRBUF_INIT;
	struct reader rd;
	uint32_t nterms, ndocs, k, id;
	int r = 0;

	if (strbuf_read_file(&text, ix->file.buf, (size_t)1 << 31) < 0)
		goto out; /* none yet (or unreadable): build it */
	rd.p = (const unsigned char *)text.buf;
	rd.end = rd.p + text.len;
	rd.bad = text.len < 16 || memcmp(text.buf, MAGIC, 8);
	rd.p += 8;
	nterms = get_u32(&rd);
	ndocs = get_u32(&rd);
	for (k = 0; k < nterms && !rd.bad; k++) {
		char *w = get_str(&rd);

		if (!w)
			break;
		if (sim_term_intern(ix, w, strlen(w), &id) < 0 || id != k)
			rd.bad = 1; /* a word twice: not ours */
		free(w);
	}
	for (k = 0; k < ndocs && !rd.bad; k++)
		if (load_doc(ix, &rd, nterms) < 0)
			rd.bad = 1;
	if (rd.bad || rd.p != rd.end) {
		sim_index_reset(ix);
		goto out;
	}
	ix->changed = 0;
	ix->weights_stale = 1;
out:
	psm_error_clear();
	strbuf_release(&text);
	return r;
}

/* ---- keeping it fresh ---------------------------------------------------- */

/* A file to (re-)read: what it is on disk, then what a worker made of it. */
struct pending {
	char *path;
	struct psm_file_stat st; /* as listed (st.path not kept) */
	int64_t ref;             /* the listing's clock reference */
	struct psm_issue *issue;
	struct strbuf tw, bw;
	int r;
};

struct job {
	struct psm_similar *ix;
	struct pending *p;
	size_t from, to;
};

static void *read_worker(void *arg)
{
	struct job *job = arg;
	size_t i;

	for (i = job->from; i < job->to; i++) {
		struct pending *p = &job->p[i];
		struct psm_yaml_error err = { 0, 0, STRBUF_INIT };

		p->r = psm_store_load_path(&p->issue, job->ix->store, p->path, &err);
		if (!p->r)
			p->r = sim_issue_words(&p->tw, &p->bw, p->issue);
		strbuf_release(&err.msg);
	}
	psm_error_clear(); /* what failed is skipped; `psm check` reports it */
	return NULL;
}

/* Read a batch of files on all cores, then index them on this thread. */
static int read_batch(struct psm_similar *ix, struct pending *p, size_t n)
{
	struct job jobs[8];
	pthread_t th[8];
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	size_t njobs = ncpu < 1 ? 1 : ncpu > 8 ? 8 : (size_t)ncpu, i;
	int r = 0;

	if (n < 64)
		njobs = 1;
	for (i = 0; i < njobs; i++) {
		jobs[i].ix = ix;
		jobs[i].p = p;
		jobs[i].from = n * i / njobs;
		jobs[i].to = n * (i + 1) / njobs;
	}
	for (i = 1; i < njobs; i++)
		if (pthread_create(&th[i], NULL, read_worker, &jobs[i])) {
			jobs[i - 1].to = n; /* the rest on this thread */
			njobs = i;
			break;
		}
	read_worker(&jobs[0]);
	for (i = 1; i < njobs; i++)
		pthread_join(th[i], NULL);
	for (i = 0; i < n && !r; i++) {
		struct sim_doc *d;

		if ((r = sim_doc_slot(ix, p[i].path, &d)) < 0)
			break;
		if (p[i].r < 0) {
			sim_doc_clear(ix, d); /* unreadable now: not a candidate */
			continue;
		}
		if ((r = sim_doc_set_fields(d, p[i].issue)) < 0 ||
		    (r = sim_doc_set_words(ix, d, p[i].tw.buf, p[i].bw.buf)) < 0)
			break;
		sim_doc_set_stat(d, &p[i].st, p[i].ref);
	}
	for (i = 0; i < n; i++) {
		psm_issue_free(p[i].issue);
		strbuf_release(&p[i].tw);
		strbuf_release(&p[i].bw);
		free(p[i].path);
	}
	return r;
}

int sim_issue_file_name(const char *name, const char *shard)
{
	char id[PSM_ID_LEN + 1];

	if (strlen(name) != PSM_ID_LEN + 3 || strcmp(name + PSM_ID_LEN, ".md") ||
	    strncmp(name, shard, 2))
		return 0;
	memcpy(id, name, PSM_ID_LEN);
	id[PSM_ID_LEN] = '\0';
	return psm_id_valid(id);
}

void sim_doc_set_stat(struct sim_doc *d, const struct psm_file_stat *st, int64_t ref)
{
	d->dev = st->dev;
	d->ino = (uint64_t)st->ino;
	d->mode = st->mode;
	d->uid = st->uid;
	d->gid = st->gid;
	d->size = st->size;
	d->mtime_ns = st->mtime;
	d->ctime_ns = st->ctime;
	d->ref = ref;
}

/* d's file as it is now: the cache's verdict on what d recorded. */
static int doc_unchanged(const struct sim_doc *d, const struct psm_file_stat *now)
{
	struct psm_file_stat then = { d->path, d->dev, (int64_t)d->ino, d->mode, d->uid, d->gid,
				      d->size, d->mtime_ns, d->ctime_ns, 1 };

	return psm_file_unchanged(now, &then, d->ref);
}

/* Remember the shard directories' mtimes, for the hint's cheap freshness
 * check: the listing took each before reading the directory. */
static int note_shards(struct psm_similar *ix, const struct psm_files *fl)
{
	size_t i;

	for (i = 0; i < fl->ndirs; i++) {
		struct sim_shard *sh;

		if (strlen(fl->dirs[i].name) != 2)
			continue;
		if (ix->nshards == ix->salloc) {
			struct sim_shard *nv = psm_grow(ix->shards, ix->nshards, &ix->salloc,
							sizeof(*nv), 64);

			if (!nv)
				return psm_oom();
			ix->shards = nv;
		}
		sh = &ix->shards[ix->nshards++];
		memcpy(sh->name, fl->dirs[i].name, 3);
		sh->mtime_ns = fl->dirs[i].mtime;
	}
	return 0;
}

/*
 * Queue every issue file that is new or changed, from the store's listing
 * (the one the read cache uses: a command that reads through the cache and
 * asks the similar index stats issues/ once). A folder that could not be
 * read is skipped, as a file that cannot be: `psm check` reports them.
 */
static int walk(struct psm_similar *ix, unsigned char *seen, struct pending **p, size_t *np)
{
	struct psm_files *fl;
	size_t alloc = 0, i;
	int r;

	if ((r = psm_files_get(&fl, ix->store)) < 0)
		return r;
	if ((r = note_shards(ix, fl)) < 0)
		goto out;
	for (i = 0; i < fl->n; i++) {
		const struct psm_file_stat *f = &fl->f[i];
		struct pending *q;
		uint32_t idx;

		if (!f->issue_name || !S_ISREG((mode_t)f->mode))
			continue;
		if (sim_map_find(&ix->doc_map, ix, 1, f->path, &idx)) {
			seen[idx] = 1;
			if (ix->docs[idx].live && doc_unchanged(&ix->docs[idx], f))
				continue;
		}
		if (*np == alloc) {
			struct pending *nv = psm_grow(*p, *np, &alloc, sizeof(*nv), 256);

			if (!nv) {
				r = psm_oom();
				goto out;
			}
			*p = nv;
		}
		q = &(*p)[*np];
		memset(q, 0, sizeof(*q));
		if (!(q->path = psm_strdup(f->path))) {
			r = psm_oom();
			goto out;
		}
		q->st = *f;
		q->st.path = NULL;
		q->ref = fl->ref;
		strbuf_init(&q->tw, 0);
		strbuf_init(&q->bw, 0);
		(*np)++;
	}
out:
	psm_files_put(fl);
	return r;
}

int sim_index_refresh(struct psm_similar *ix)
{
	unsigned char *seen = calloc(ix->ndocs ? ix->ndocs : 1, 1);
	size_t ndocs = ix->ndocs, np = 0, i, done = 0;
	struct pending *p = NULL;
	int r;

	if (!seen)
		return psm_oom();
	if ((r = walk(ix, seen, &p, &np)) < 0)
		goto out;
	for (i = 0; i < ndocs; i++) /* the file went away */
		if (!seen[i] && ix->docs[i].live)
			sim_doc_clear(ix, &ix->docs[i]);
	for (done = 0; done < np && !r; done += BATCH) /* batches bound the memory */
		r = read_batch(ix, p + done, np - done < BATCH ? np - done : BATCH);
out:
	for (i = done; i < np; i++)
		free(p[i].path);
	free(p);
	free(seen);
	return r;
}

int sim_new(struct psm_similar **out, struct psm_store *s)
{
	struct psm_similar *ix = calloc(1, sizeof(*ix));

	*out = NULL;
	if (!ix)
		return psm_oom();
	ix->store = s;
	strbuf_init(&ix->file, 0);
	strbuf_addf(&ix->file, "%spsm/similar.idx", psm_git_gitdir(s->git));
	if (ix->file.oom) {
		psm_similar_free(ix);
		return psm_oom();
	}
	*out = ix;
	return 0;
}

int psm_similar_open(struct psm_similar **out, struct psm_store *s)
{
	return sim_open(out, s, 0);
}

int sim_open(struct psm_similar **out, struct psm_store *s, int rewrite_inv)
{
	struct psm_similar *ix;
	int r;

	if ((r = sim_new(&ix, s)) < 0)
		return r;
	sim_index_load(ix);
	ix->inv_stale = rewrite_inv || sim_inv_stale(ix);
	if ((r = sim_index_refresh(ix)) < 0) {
		psm_similar_free(ix);
		return r;
	}
	if (psm_similar_save(ix) < 0)
		psm_error_clear(); /* read-only git dir: work from memory */
	*out = ix;
	return 0;
}

void psm_similar_free(struct psm_similar *ix)
{
	if (!ix)
		return;
	sim_index_reset(ix);
	sim_quick_free(ix->quick);
	strbuf_release(&ix->file);
	free(ix);
}
