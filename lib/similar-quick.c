/*
 * The intake hint (psm_similar_hint): psm_similar_find's question answered
 * from similar.inv mapped in place (similar-inv.c) plus similar.log, so an
 * intake reads the postings of its own words and the shard directories,
 * not every issue: its cost does not grow with the store.
 *
 * Freshness is judged per shard directory. Every psm write, git checkout
 * and pull creates or renames files there, which moves the directory's
 * mtime; then that shard (a few hundred files at most) is listed and its
 * changed files re-read. A file rewritten in place by an editor that does
 * not rename goes unseen here until the next full open (psm similar, the
 * triage session), which stats every file. What the hint re-reads goes to
 * similar.log; past QUICK_LOG_MAX documents the hint does a full open
 * instead, which folds the log into a new similar.inv.
 *
 * Logged documents are weighed with similar.inv's idf and do not change it:
 * with an empty log the answers are exactly those of psm_similar_find.
 */
#include "similar-quick.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "fsutil.h"

#define QUICK_LOG_MAX 1024 /* logged documents before a full open folds them */
#define QUICK_LOG_BYTES ((size_t)16 << 20)
#define NEED_FULL 1
#define SLOTS (128 * 128) /* shard names are two ASCII characters */
#define LOG_MAGIC "PSMLOG1\n"

struct sim_quick {
	unsigned char *map;
	size_t len;
	uint64_t stamp;
	uint32_t ndocs, nterms, nshards, npost, slen;
	const unsigned char *shards, *docs, *terms, *post;
	const char *strs;
	struct psm_similar ov;  /* the logged documents; words of log and query */
	unsigned char *gone;    /* per mapped doc: the overlay has it instead */
	int64_t *shard_mt;      /* per slot: a shard mtime the log recorded */
	unsigned char *shard_set;
	struct strbuf log_path, append;
	int log_new;            /* (re)create the log, with our stamp */
	size_t log_docs, log_len;
};

/* One document as the log records it. */
struct logdoc {
	const char *path, *title, *status, *tw, *bw;
	char id[PSM_ID_LEN + 1], dup_of[PSM_ID_LEN + 1];
	int live;
	int64_t closed, mtime_ns, size;
	uint64_t ino;
};

static int oom(void)
{
	return psm_error(PSM_ENOMEM, "out of memory");
}

/* ---- the mapped file ---------------------------------------------------- */

static const char *str_at(const struct sim_quick *q, uint32_t off)
{
	return off < q->slen ? q->strs + off : "";
}

static const unsigned char *doc_at(const struct sim_quick *q, uint32_t i)
{
	return q->docs + 72 * (size_t)i;
}

static const char *doc_path(const struct sim_quick *q, uint32_t i)
{
	return str_at(q, inv_get32(doc_at(q, i) + 56));
}

/* Is [off, off + n * size) inside the file? */
static int fits(const struct sim_quick *q, uint32_t off, uint32_t n, size_t size)
{
	return (uint64_t)off + (uint64_t)n * size <= q->len;
}

static int map_inv(struct sim_quick *q, const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	const unsigned char *h;
	uint32_t osh, odoc, oterm, opost, ostr;
	struct stat st;
	void *m;

	if (fd < 0)
		return NEED_FULL;
	if (fstat(fd, &st) < 0 || st.st_size < 64 || (uint64_t)st.st_size > UINT32_MAX) {
		close(fd);
		return NEED_FULL;
	}
	m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (m == MAP_FAILED)
		return NEED_FULL;
	q->map = m;
	q->len = (size_t)st.st_size;
	h = q->map;
	if (memcmp(h, "PSMINV1\n", 8))
		return NEED_FULL;
	q->stamp = inv_get64(h + 8);
	q->ndocs = inv_get32(h + 16);
	q->nterms = inv_get32(h + 20);
	q->nshards = inv_get32(h + 24);
	q->npost = inv_get32(h + 28);
	osh = inv_get32(h + 32);
	odoc = inv_get32(h + 36);
	oterm = inv_get32(h + 40);
	opost = inv_get32(h + 44);
	ostr = inv_get32(h + 48);
	q->slen = inv_get32(h + 52);
	if (!fits(q, osh, q->nshards, 16) || !fits(q, odoc, q->ndocs, 72) ||
	    !fits(q, oterm, q->nterms, 16) || !fits(q, opost, q->npost, 8) ||
	    !fits(q, ostr, q->slen, 1) || !q->slen || h[ostr + q->slen - 1])
		return NEED_FULL; /* not a file we wrote, or cut short */
	q->shards = h + osh;
	q->docs = h + odoc;
	q->terms = h + oterm;
	q->post = h + opost;
	q->strs = (const char *)h + ostr;
	return 0;
}

static int cmp_shard(const void *key, const void *rec)
{
	return memcmp(key, rec, 2);
}

static int inv_shard_mtime(const struct sim_quick *q, const char *name, int64_t *mt)
{
	const unsigned char *rec = bsearch(name, q->shards, q->nshards, 16, cmp_shard);

	if (rec)
		*mt = (int64_t)inv_get64(rec + 8);
	return rec != NULL;
}

/* The first mapped doc whose path is >= path. */
static uint32_t inv_doc_lower(const struct sim_quick *q, const char *path)
{
	uint32_t lo = 0, hi = q->ndocs;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (strcmp(doc_path(q, mid), path) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int inv_doc_find(const struct sim_quick *q, const char *path, uint32_t *idx)
{
	uint32_t i = inv_doc_lower(q, path);

	if (i < q->ndocs && !strcmp(doc_path(q, i), path)) {
		*idx = i;
		return 1;
	}
	return 0;
}

struct term_key {
	const struct sim_quick *q;
	const char *word;
};

static int cmp_term(const void *key, const void *rec)
{
	const struct term_key *k = key;

	return strcmp(k->word, str_at(k->q, inv_get32(rec)));
}

static int inv_term_find(const struct sim_quick *q, const char *word, uint32_t *idx)
{
	struct term_key key = { q, word };
	const unsigned char *rec = bsearch(&key, q->terms, q->nterms, 16, cmp_term);

	if (rec)
		*idx = (uint32_t)((size_t)(rec - q->terms) / 16);
	return rec != NULL;
}

/* ---- the log -------------------------------------------------------------- */

/* A record: u32 length, then 'S' (shard mtime) or 'D' (a document). */
static void log_shard(struct sim_quick *q, const char *name, int64_t mt)
{
	sim_put_u32(&q->append, 11);
	strbuf_addch(&q->append, 'S');
	strbuf_add(&q->append, name, 2);
	sim_put_u64(&q->append, (uint64_t)mt);
}

static void log_doc(struct sim_quick *q, const struct logdoc *ld)
{
	size_t at = q->append.len;

	sim_put_u32(&q->append, 0); /* the length, patched below */
	strbuf_addch(&q->append, 'D');
	strbuf_addch(&q->append, ld->live ? 1 : 0);
	sim_put_str(&q->append, ld->path);
	strbuf_add(&q->append, ld->id, PSM_ID_LEN);
	strbuf_add(&q->append, ld->dup_of, PSM_ID_LEN);
	sim_put_str(&q->append, ld->title);
	sim_put_str(&q->append, ld->status);
	sim_put_u64(&q->append, (uint64_t)ld->closed);
	sim_put_u64(&q->append, ld->ino);
	sim_put_u64(&q->append, (uint64_t)ld->mtime_ns);
	sim_put_u64(&q->append, (uint64_t)ld->size);
	sim_put_str(&q->append, ld->tw);
	sim_put_str(&q->append, ld->bw);
	if (!q->append.oom) {
		uint32_t n = (uint32_t)(q->append.len - at - 4);
		unsigned char *p = (unsigned char *)q->append.buf + at;

		p[0] = (unsigned char)n;
		p[1] = (unsigned char)(n >> 8);
		p[2] = (unsigned char)(n >> 16);
		p[3] = (unsigned char)(n >> 24);
	}
}

/* Make the overlay say what ld says, and hide the mapped copy. */
static int apply_doc(struct sim_quick *q, const struct logdoc *ld)
{
	struct sim_doc *d;
	uint32_t idx;
	int r;

	if ((r = sim_doc_slot(&q->ov, ld->path, &d)) < 0)
		return r;
	if (ld->live) {
		char *t = psm_strdup(ld->title), *st = psm_strdup(ld->status);

		if (!t || !st) {
			free(t);
			free(st);
			return oom();
		}
		free(d->title);
		free(d->status);
		d->title = t;
		d->status = st;
		memcpy(d->dup_of, ld->dup_of, sizeof(d->dup_of));
		d->closed = ld->closed;
		if ((r = sim_doc_set_words(&q->ov, d, ld->tw, ld->bw)) < 0)
			return r;
	} else {
		sim_doc_clear(&q->ov, d);
	}
	d->ino = ld->ino;
	d->mtime_ns = ld->mtime_ns;
	d->size = ld->size;
	if (inv_doc_find(q, ld->path, &idx))
		q->gone[idx] = 1;
	q->log_docs++;
	return 0;
}

struct reader {
	const unsigned char *p, *end;
	int bad;
};

static uint64_t get_n(struct reader *rd, int bytes)
{
	uint64_t v = 0;
	int i;

	if (rd->end - rd->p < bytes) {
		rd->bad = 1;
		return 0;
	}
	for (i = 0; i < bytes; i++)
		v |= (uint64_t)rd->p[i] << (8 * i);
	rd->p += bytes;
	return v;
}

/* A length-prefixed string, copied (NUL-terminated) into sb. */
static const char *get_str(struct reader *rd, struct strbuf *sb)
{
	uint32_t l = (uint32_t)get_n(rd, 4);

	strbuf_reset(sb);
	if (rd->bad || (size_t)(rd->end - rd->p) < l || memchr(rd->p, 0, l)) {
		rd->bad = 1;
		return "";
	}
	strbuf_add(sb, rd->p, l);
	rd->p += l;
	if (sb->oom)
		rd->bad = 1;
	return sb->buf;
}

static int replay(struct sim_quick *q, struct reader *rd)
{
	struct strbuf s[5] = { STRBUF_INIT, STRBUF_INIT, STRBUF_INIT, STRBUF_INIT, STRBUF_INIT };
	struct logdoc ld;
	int type = (int)get_n(rd, 1), r = 0, i;

	if (type == 'S' && rd->end - rd->p == 10) {
		char name[2] = { (char)rd->p[0], (char)rd->p[1] };
		int slot = (name[0] & 0x7f) * 128 + (name[1] & 0x7f);

		rd->p += 2;
		q->shard_mt[slot] = (int64_t)get_n(rd, 8);
		q->shard_set[slot] = 1;
		return 0;
	}
	if (type != 'D')
		return NEED_FULL;
	memset(&ld, 0, sizeof(ld));
	ld.live = (int)get_n(rd, 1);
	ld.path = get_str(rd, &s[0]);
	if (rd->end - rd->p < 2 * PSM_ID_LEN) {
		r = NEED_FULL;
		goto out;
	}
	memcpy(ld.id, rd->p, PSM_ID_LEN);
	memcpy(ld.dup_of, rd->p + PSM_ID_LEN, PSM_ID_LEN);
	rd->p += 2 * PSM_ID_LEN;
	ld.title = get_str(rd, &s[1]);
	ld.status = get_str(rd, &s[2]);
	ld.closed = (int64_t)get_n(rd, 8);
	ld.ino = get_n(rd, 8);
	ld.mtime_ns = (int64_t)get_n(rd, 8);
	ld.size = (int64_t)get_n(rd, 8);
	ld.tw = get_str(rd, &s[3]);
	ld.bw = get_str(rd, &s[4]);
	if (rd->bad || rd->p != rd->end || strncmp(ld.path, PSM_ISSUE_DIR "/", 7))
		r = NEED_FULL;
	else
		r = apply_doc(q, &ld);
out:
	for (i = 0; i < 5; i++)
		strbuf_release(&s[i]);
	return r;
}

/* Apply the log; a torn or foreign record means a full open instead. */
static int read_log(struct sim_quick *q)
{
	struct strbuf text = STRBUF_INIT;
	struct reader rd;
	int r = 0;

	if (strbuf_read_file(&text, q->log_path.buf, QUICK_LOG_BYTES) < 0) {
		if (errno == ENOENT)
			q->log_new = 1;
		else
			r = NEED_FULL;
		goto out;
	}
	if (text.len < 16 || memcmp(text.buf, LOG_MAGIC, 8) ||
	    inv_get64((const unsigned char *)text.buf + 8) != q->stamp) {
		q->log_new = 1; /* written against an older similar.inv */
		goto out;
	}
	q->log_len = text.len;
	rd.p = (const unsigned char *)text.buf + 16;
	rd.end = (const unsigned char *)text.buf + text.len;
	rd.bad = 0;
	while (rd.p < rd.end && !r) {
		uint32_t n = (uint32_t)get_n(&rd, 4);
		struct reader rec = { rd.p, rd.p + n, 0 };

		if (rd.bad || (size_t)(rd.end - rd.p) < n) {
			r = NEED_FULL;
			break;
		}
		rd.p += n;
		r = replay(q, &rec);
	}
out:
	strbuf_release(&text);
	return r;
}

static int write_log(struct sim_quick *q)
{
	struct strbuf all = STRBUF_INIT;
	ssize_t n;
	int fd, r = 0;

	if (!q->append.len)
		return 0;
	if (q->append.oom)
		return oom();
	if (q->log_new) {
		strbuf_addstr(&all, LOG_MAGIC);
		sim_put_u64(&all, q->stamp);
		strbuf_add(&all, q->append.buf, q->append.len);
		r = all.oom ? oom() : psm_write_file_atomic_nosync(q->log_path.buf, all.buf, all.len);
		strbuf_release(&all);
		return r;
	}
	/* one write: appends from two psm processes do not interleave */
	if ((fd = open(q->log_path.buf, O_WRONLY | O_APPEND | O_CLOEXEC)) < 0)
		return psm_error_errno(PSM_ERROR, "could not open '%s'", q->log_path.buf);
	n = write(fd, q->append.buf, q->append.len);
	if (n != (ssize_t)q->append.len)
		r = psm_error_errno(PSM_ERROR, "could not write '%s'", q->log_path.buf);
	close(fd);
	return r;
}

/* ---- freshness ------------------------------------------------------------ */

static int same_file(const struct sim_doc *d, const struct stat *st)
{
	return d->ino == (uint64_t)st->st_ino && d->size == (int64_t)st->st_size &&
	       d->mtime_ns == (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
}

/* Read one issue file into the overlay (and the log); unreadable: not live. */
static int reread(struct sim_quick *q, const char *path, const struct stat *st)
{
	struct psm_yaml_error err = { 0, 0, STRBUF_INIT };
	struct strbuf tw = STRBUF_INIT, bw = STRBUF_INIT;
	struct psm_issue *issue = NULL;
	struct sim_doc fields = { 0 };
	struct logdoc ld;
	int r = 0;

	memset(&ld, 0, sizeof(ld));
	ld.path = path;
	ld.title = ld.status = ld.tw = ld.bw = "";
	if (st) {
		ld.ino = (uint64_t)st->st_ino;
		ld.mtime_ns = (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
		ld.size = (int64_t)st->st_size;
		if (!psm_store_load_path(&issue, q->ov.store, path, &err) &&
		    !(r = sim_issue_words(&tw, &bw, issue)) &&
		    !(r = sim_doc_set_fields(&fields, issue))) {
			ld.live = 1;
			ld.title = fields.title;
			ld.status = fields.status;
			ld.closed = fields.closed;
			memcpy(ld.dup_of, fields.dup_of, sizeof(ld.dup_of));
			ld.tw = tw.buf;
			ld.bw = bw.buf;
		}
		if (r == PSM_ENOMEM)
			goto out;
		r = 0;
		psm_error_clear(); /* skipped here; `psm check` reports it */
	}
	if (!(r = apply_doc(q, &ld)))
		log_doc(q, &ld);
out:
	psm_issue_free(issue);
	free(fields.title);
	free(fields.status);
	strbuf_release(&tw);
	strbuf_release(&bw);
	strbuf_release(&err.msg);
	return r;
}

/* List one shard (mt < 0: it is gone) and re-read what changed in it. */
static int rescan(struct sim_quick *q, const char *name, int64_t mt)
{
	struct strbuf prefix = STRBUF_INIT, path = STRBUF_INIT;
	unsigned char *seen = NULL, *ovseen = NULL;
	uint32_t lo, hi, i, idx;
	size_t nov = q->ov.ndocs, k;
	struct dirent *de;
	DIR *dir = NULL;
	int r = 0;

	strbuf_addf(&prefix, "%s/%.2s/", PSM_ISSUE_DIR, name);
	lo = hi = inv_doc_lower(q, prefix.buf);
	while (hi < q->ndocs && !strncmp(doc_path(q, hi), prefix.buf, prefix.len))
		hi++;
	seen = calloc(hi - lo + 1, 1);
	ovseen = calloc(nov + 1, 1);
	if (prefix.oom || !seen || !ovseen) {
		r = oom();
		goto out;
	}
	strbuf_addf(&path, "%s%s", q->ov.store->root, prefix.buf);
	if (mt >= 0 && !(dir = opendir(path.buf)))
		mt = -1; /* gone since we looked */
	while (dir && (de = readdir(dir))) {
		struct stat st;

		if (!sim_issue_file_name(de->d_name, name) ||
		    fstatat(dirfd(dir), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
		    !S_ISREG(st.st_mode))
			continue;
		strbuf_reset(&path);
		strbuf_addf(&path, "%s%s", prefix.buf, de->d_name);
		if (path.oom) {
			r = oom();
			goto out;
		}
		if (sim_map_find(&q->ov.doc_map, &q->ov, 1, path.buf, &idx)) {
			if (idx < nov)
				ovseen[idx] = 1;
			if (same_file(&q->ov.docs[idx], &st))
				continue;
		} else if (inv_doc_find(q, path.buf, &idx) && idx >= lo && idx < hi) {
			const unsigned char *d = doc_at(q, idx);

			seen[idx - lo] = 1;
			if (!q->gone[idx] && inv_get64(d + 32) == (uint64_t)st.st_ino &&
			    (int64_t)inv_get64(d + 40) ==
				    (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec &&
			    (int64_t)inv_get64(d + 48) == (int64_t)st.st_size)
				continue;
		}
		if ((r = reread(q, path.buf, &st)) < 0)
			goto out;
	}
	/* What was indexed here and is no longer on disk. */
	for (i = lo; i < hi && !r; i++)
		if (!seen[i - lo] && !q->gone[i])
			r = reread(q, doc_path(q, i), NULL);
	for (k = 0; k < nov && !r; k++) {
		const struct sim_doc *d = &q->ov.docs[k];

		if (!ovseen[k] && (d->live || d->ino) && !strncmp(d->path, prefix.buf, prefix.len)) {
			strbuf_reset(&path);
			strbuf_addstr(&path, d->path); /* d moves if the overlay grows */
			r = path.oom ? oom() : reread(q, path.buf, NULL);
		}
	}
	if (!r) /* -1: known to be gone */
		log_shard(q, name, mt);
out:
	if (dir)
		closedir(dir);
	free(seen);
	free(ovseen);
	strbuf_release(&prefix);
	strbuf_release(&path);
	return r;
}

/* Stat each shard directory; list only those whose mtime moved. */
static int refresh(struct sim_quick *q)
{
	struct strbuf top = STRBUF_INIT;
	unsigned char *present = calloc(SLOTS, 1);
	struct dirent *de;
	DIR *dir = NULL;
	uint32_t i;
	int r = 0;

	strbuf_addf(&top, "%s%s", q->ov.store->root, PSM_ISSUE_DIR);
	if (top.oom || !present) {
		r = oom();
		goto out;
	}
	dir = opendir(top.buf);
	while (dir && (de = readdir(dir)) && !r) {
		int slot = (de->d_name[0] & 0x7f) * 128 + (de->d_name[1] & 0x7f);
		int64_t mt, known;
		struct stat st;

		if (strlen(de->d_name) != 2 || de->d_name[0] == '.' ||
		    fstatat(dirfd(dir), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
		    !S_ISDIR(st.st_mode))
			continue;
		present[slot] = 1;
		mt = (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
		if (q->shard_set[slot] ? q->shard_mt[slot] == mt
				       : inv_shard_mtime(q, de->d_name, &known) && known == mt)
			continue;
		r = rescan(q, de->d_name, mt);
	}
	/* A shard directory removed (git drops empty ones), unless already noted. */
	for (i = 0; i < q->nshards && !r; i++) {
		const char *name = (const char *)q->shards + 16 * (size_t)i;
		int slot = (name[0] & 0x7f) * 128 + (name[1] & 0x7f);

		if (!present[slot] && !q->shard_set[slot])
			r = rescan(q, name, -1);
	}
	for (i = 0; i < SLOTS && !r; i++)
		if (!present[i] && q->shard_set[i] && q->shard_mt[i] != -1) {
			char name[3] = { (char)(i / 128), (char)(i % 128), '\0' };

			r = rescan(q, name, -1);
		}
out:
	if (dir)
		closedir(dir);
	free(present);
	strbuf_release(&top);
	return r;
}

static size_t log_max(void)
{
	const char *e = getenv("PSM_TEST_SIMILAR_LOG_MAX"); /* tests reach the fold */

	return e && *e ? strtoul(e, NULL, 10) : QUICK_LOG_MAX;
}

static int quick_open(struct sim_quick **out, const struct psm_similar *ix)
{
	struct strbuf inv = STRBUF_INIT;
	struct sim_quick *q = calloc(1, sizeof(*q));
	int r;

	*out = q;
	if (!q)
		return oom();
	strbuf_init(&q->log_path, 0);
	strbuf_init(&q->append, 0);
	strbuf_init(&q->ov.file, 0);
	q->ov.store = ix->store;
	if ((r = inv_paths(&inv, &q->log_path, ix)) < 0 || (r = map_inv(q, inv.buf)) != 0)
		goto out;
	q->gone = calloc(q->ndocs + 1, 1);
	q->shard_mt = calloc(SLOTS, sizeof(*q->shard_mt));
	q->shard_set = calloc(SLOTS, 1);
	if (!q->gone || !q->shard_mt || !q->shard_set) {
		r = oom();
		goto out;
	}
	if ((r = read_log(q)) != 0 || (r = refresh(q)) != 0)
		goto out;
	if (q->log_docs > log_max() || q->log_len + q->append.len > QUICK_LOG_BYTES) {
		r = NEED_FULL; /* time to fold the log into a new similar.inv */
		goto out;
	}
	if (write_log(q) < 0)
		psm_error_clear(); /* a cache: the next hint re-reads the same files */
out:
	strbuf_release(&inv);
	return r;
}

void sim_quick_free(struct sim_quick *q)
{
	if (!q)
		return;
	if (q->map)
		munmap(q->map, q->len);
	sim_index_reset(&q->ov);
	strbuf_release(&q->ov.file);
	strbuf_release(&q->log_path);
	strbuf_release(&q->append);
	free(q->gone);
	free(q->shard_mt);
	free(q->shard_set);
	free(q);
}

/* ---- the question --------------------------------------------------------- */

/* A document as a candidate sees it, mapped or from the overlay. */
struct view {
	char id[PSM_ID_LEN + 1], dup_of[PSM_ID_LEN + 1];
	const char *title, *status;
	int64_t closed;
};

struct qcand {
	double score;
	struct view target;
	char via[PSM_ID_LEN + 1];
};

static void view_inv(struct view *v, const struct sim_quick *q, uint32_t i)
{
	const unsigned char *d = doc_at(q, i);

	memset(v, 0, sizeof(*v));
	memcpy(v->id, d, PSM_ID_LEN);
	memcpy(v->dup_of, d + 10, PSM_ID_LEN);
	v->closed = (int64_t)inv_get64(d + 24);
	v->title = str_at(q, inv_get32(d + 60));
	v->status = str_at(q, inv_get32(d + 64));
}

static void view_ov(struct view *v, const struct sim_doc *d)
{
	memset(v, 0, sizeof(*v));
	memcpy(v->id, d->id, PSM_ID_LEN);
	memcpy(v->dup_of, d->dup_of, PSM_ID_LEN);
	v->closed = d->closed;
	v->title = d->title ? d->title : "";
	v->status = d->status ? d->status : "";
}

/* The live document with this ID, wherever it is. */
static int view_by_id(struct view *v, const struct sim_quick *q, const char *id)
{
	struct strbuf path = STRBUF_INIT;
	uint32_t idx;
	int found = 0;

	if (psm_issue_path(&path, id) < 0) {
		psm_error_clear();
	} else if (sim_map_find(&q->ov.doc_map, &q->ov, 1, path.buf, &idx)) {
		if ((found = q->ov.docs[idx].live))
			view_ov(v, &q->ov.docs[idx]);
	} else if (inv_doc_find(q, path.buf, &idx) && !q->gone[idx]) {
		view_inv(v, q, idx);
		found = 1;
	}
	strbuf_release(&path);
	return found;
}

static int candidate(const struct view *v, int64_t closed_since)
{
	return strcmp(v->status, "closed") || (v->closed && v->closed >= closed_since);
}

static int cmp_qcand(const struct qcand *x, const struct qcand *y)
{
	double rx = sim_rounded(x->score), ry = sim_rounded(y->score);

	if (rx != ry)
		return rx < ry ? 1 : -1;
	return strcmp(x->target.id, y->target.id);
}

struct ranking {
	struct qcand *c;
	size_t n, cap;
	const char *self;
	int64_t closed_since;
	double min_score;
};

/* As psm_similar_find: a merged duplicate speaks for the issue it was
 * merged into; closed issues count only if closed since closed_since. */
static void consider(struct ranking *rk, const struct sim_quick *q, const struct view *v,
		     double dot)
{
	struct qcand x;
	size_t i;

	if (!(dot > 0 && dot >= rk->min_score) || psm_streq(v->id, rk->self))
		return;
	memset(&x, 0, sizeof(x));
	if (v->dup_of[0] && !strcmp(v->status, "closed")) {
		if (psm_streq(v->dup_of, rk->self) || !view_by_id(&x.target, q, v->dup_of) ||
		    !candidate(&x.target, rk->closed_since))
			return;
		memcpy(x.via, v->id, sizeof(x.via));
	} else if (candidate(v, rk->closed_since)) {
		x.target = *v;
	} else {
		return;
	}
	x.score = dot > 1 ? 1 : dot;
	i = rk->n;
	if (i == rk->cap) {
		if (cmp_qcand(&x, &rk->c[rk->cap - 1]) >= 0)
			return;
		i--;
	} else {
		rk->n++;
	}
	for (; i > 0 && cmp_qcand(&x, &rk->c[i - 1]) < 0; i--)
		rk->c[i] = rk->c[i - 1];
	rk->c[i] = x;
}

static float get_float(const unsigned char *p)
{
	uint32_t bits = inv_get32(p);
	float f;

	memcpy(&f, &bits, sizeof(f));
	return f;
}

/*
 * Mapped documents: the postings of the query's own words, which sit in
 * document order, added up in a dense array (a score above 0 marks a
 * document met: every weight is positive). This reads every issue sharing
 * a word with the query, once per word: tried instead, stopping early on
 * postings sorted heaviest first (Fagin's threshold algorithm) read fewer
 * postings but took longer on the bench store, where most issues share
 * several common words with any question (docs/triage.md).
 */
static int score_mapped(struct ranking *rk, const struct sim_quick *q, const struct sim_doc *qd,
			const double *qv, const uint32_t *invt)
{
	double *score = calloc((size_t)q->ndocs + 1, sizeof(*score));
	uint32_t k, j;
	struct view v;

	if (!score)
		return oom();
	for (k = 0; k < qd->nt; k++) {
		uint32_t ti = invt[qd->tf[k].term], first, cnt;
		double qw = qv[qd->tf[k].term];

		if (ti == UINT32_MAX)
			continue;
		first = inv_get32(q->terms + 16 * (size_t)ti + 8);
		cnt = inv_get32(q->terms + 16 * (size_t)ti + 12);
		if ((uint64_t)first + cnt > q->npost)
			continue; /* not ours: such a word matches nothing */
		for (j = 0; j < cnt; j++) {
			const unsigned char *p = q->post + 8 * ((size_t)first + j);
			uint32_t doc = inv_get32(p);

			if (doc < q->ndocs)
				score[doc] += qw * get_float(p + 4);
		}
	}
	for (j = 0; j < q->ndocs; j++) {
		if (!(score[j] > 0 && score[j] >= rk->min_score) || q->gone[j])
			continue; /* most issues share a common word or two, no more */
		view_inv(&v, q, j);
		consider(rk, q, &v, score[j]);
	}
	free(score);
	return 0;
}

/* Logged documents, weighed with the mapped file's idf. */
static void score_overlay(struct ranking *rk, const struct sim_quick *q, const double *qv,
			  const double *idf)
{
	struct view v;
	size_t i;
	uint32_t k;

	for (i = 0; i < q->ov.ndocs; i++) {
		const struct sim_doc *d = &q->ov.docs[i];
		double sum = 0, dot = 0;

		if (!d->live)
			continue;
		for (k = 0; k < d->nt; k++) {
			double w = sim_log_tf(d->tf[k].count) * idf[d->tf[k].term];

			sum += w * w;
			dot += qv[d->tf[k].term] * w;
		}
		if (sum > 0) {
			view_ov(&v, d);
			consider(rk, q, &v, dot / sqrt(sum));
		}
	}
}

static int quick_find(struct psm_similar_hit **out, size_t *n, struct sim_quick *q,
		      const struct psm_issue *issue, int64_t closed_since, size_t max,
		      double min_score)
{
	struct strbuf tw = STRBUF_INIT, bw = STRBUF_INIT;
	struct ranking rk = { 0 };
	struct sim_doc qd = { 0 };
	double *qv = NULL, *idf = NULL, sum = 0;
	uint32_t *invt = NULL, t, ti;
	size_t i, j, dup;
	int r;

	rk.self = psm_issue_get(issue, "id");
	rk.closed_since = closed_since;
	rk.min_score = min_score;
	rk.cap = max * 8 + 16; /* several may be duplicates of one target */
	/* the query's words join the overlay's dictionary (not its documents) */
	if ((r = sim_issue_words(&tw, &bw, issue)) < 0 ||
	    (r = sim_doc_set_words(&q->ov, &qd, tw.buf, bw.buf)) < 0)
		goto out;
	qv = calloc(q->ov.nterms + 1, sizeof(*qv));
	idf = calloc(q->ov.nterms + 1, sizeof(*idf));
	invt = calloc(q->ov.nterms + 1, sizeof(*invt));
	rk.c = calloc(rk.cap, sizeof(*rk.c));
	if (!qv || !idf || !invt || !rk.c) {
		r = oom();
		goto out;
	}
	for (t = 0; t < q->ov.nterms; t++) {
		uint32_t df = 0;

		invt[t] = UINT32_MAX;
		if (inv_term_find(q, q->ov.terms[t], &ti)) {
			invt[t] = ti;
			df = inv_get32(q->terms + 16 * (size_t)ti + 4);
		}
		idf[t] = sim_idf((double)q->ndocs, df);
	}
	for (t = 0; t < qd.nt; t++) {
		double w = sim_log_tf(qd.tf[t].count) * idf[qd.tf[t].term];

		qv[qd.tf[t].term] = w;
		sum += w * w;
	}
	for (t = 0; sum > 0 && t < qd.nt; t++)
		qv[qd.tf[t].term] /= sqrt(sum);
	if ((r = score_mapped(&rk, q, &qd, qv, invt)) < 0)
		goto out;
	score_overlay(&rk, q, qv, idf);
	if (max && !(*out = calloc(max, sizeof(**out)))) {
		r = oom();
		goto out;
	}
	for (i = 0; i < rk.n && *n < max; i++) {
		struct psm_similar_hit *h;

		for (j = 0, dup = 0; j < *n && !dup; j++) /* the target's best match only */
			dup = !strcmp((*out)[j].id, rk.c[i].target.id);
		if (dup)
			continue;
		h = &(*out)[(*n)++];
		memcpy(h->id, rk.c[i].target.id, sizeof(h->id));
		h->title = rk.c[i].target.title;
		h->status = rk.c[i].target.status;
		h->closed = rk.c[i].target.closed;
		h->score = rk.c[i].score;
		memcpy(h->via, rk.c[i].via, sizeof(h->via));
	}
out:
	free(qd.tf);
	free(qv);
	free(idf);
	free(invt);
	free(rk.c);
	strbuf_release(&tw);
	strbuf_release(&bw);
	return r;
}

int psm_similar_hint(struct psm_similar_hit **out, size_t *n, struct psm_similar **ixp,
		     struct psm_store *s, const struct psm_issue *issue, int64_t closed_since,
		     size_t max, double min_score)
{
	struct psm_similar *ix = NULL;
	int r;

	*out = NULL;
	*n = 0;
	*ixp = NULL;
	if ((r = sim_new(&ix, s)) < 0)
		return r;
	r = quick_open(&ix->quick, ix);
	if (!r)
		r = quick_find(out, n, ix->quick, issue, closed_since, max, min_score);
	if (r == NEED_FULL) { /* no usable similar.inv, or a log to fold: rewrite it */
		psm_similar_free(ix);
		ix = NULL;
		psm_error_clear();
		if ((r = sim_open(&ix, s, 1)) == 0)
			r = psm_similar_find(out, n, ix, issue, closed_since, max, min_score);
	}
	*ixp = ix;
	return r;
}
