/*
 * The intake hint's view of the index (the question itself is in
 * similar-hint.c): similar.inv mapped in place (written by similar-inv.c)
 * plus similar.log, so an intake reads the postings of its own words and
 * the shard directories, not every issue.
 *
 * Freshness is judged per shard directory. Every psm write, git checkout
 * and pull creates or renames files there, which moves the directory's
 * mtime; then that shard (a few hundred files at most) is listed and its
 * changed files re-read. A file rewritten in place by an editor that does
 * not rename goes unseen here until the next full open (psm similar, the
 * triage session), which stats every file. What the hint re-reads goes to
 * similar.log. Past QUICK_LOG_MAX documents a fold is due (fold_due): a
 * full open that writes a new similar.inv, a pass over the whole store that
 * the caller runs out of the intake's way (psm_similar_fold). Past four
 * times that, no fold having run, the hint does the full open itself.
 */
#include "similar-quick-int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "psm/error.h"
#include "psm/fs.h"

#define QUICK_LOG_MAX 1024 /* logged documents before a fold is due */
#define QUICK_LOG_BYTES ((size_t)16 << 20)
#define SLOTS (128 * 128) /* shard names are two ASCII characters */
#define LOG_MAGIC "PSMLOG1\n"

/* One document as the log records it. */
struct logdoc {
	const char *path, *title, *status, *tw, *bw;
	char id[PSM_ID_LEN + 1], dup_of[PSM_ID_LEN + 1];
	int live;
	int64_t closed, mtime_ns, size;
	uint64_t ino;
};

/* ---- the mapped file ---------------------------------------------------- */

const char *sim_inv_str(const struct sim_quick *q, uint32_t off)
{
	return off < q->slen ? q->strs + off : "";
}

const unsigned char *sim_inv_doc(const struct sim_quick *q, uint32_t i)
{
	return q->docs + 72 * (size_t)i;
}

static const char *doc_path(const struct sim_quick *q, uint32_t i)
{
	return sim_inv_str(q, inv_get32(sim_inv_doc(q, i) + 56));
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
		return SIM_NEED_FULL;
	if (fstat(fd, &st) < 0 || st.st_size < 64 || (uint64_t)st.st_size > UINT32_MAX) {
		close(fd);
		return SIM_NEED_FULL;
	}
	m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (m == MAP_FAILED)
		return SIM_NEED_FULL;
	q->map = m;
	q->len = (size_t)st.st_size;
	h = q->map;
	if (memcmp(h, "PSMINV2\n", 8))
		return SIM_NEED_FULL;
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
		return SIM_NEED_FULL; /* not a file we wrote, or cut short */
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

int sim_inv_doc_find(const struct sim_quick *q, const char *path, uint32_t *idx)
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

	return strcmp(k->word, sim_inv_str(k->q, inv_get32(rec)));
}

int sim_inv_term_find(const struct sim_quick *q, const char *word, uint32_t *idx)
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
			return psm_oom();
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
	if (sim_inv_doc_find(q, ld->path, &idx))
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
		return SIM_NEED_FULL;
	memset(&ld, 0, sizeof(ld));
	ld.live = (int)get_n(rd, 1);
	ld.path = get_str(rd, &s[0]);
	if (rd->end - rd->p < 2 * PSM_ID_LEN) {
		r = SIM_NEED_FULL;
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
		r = SIM_NEED_FULL;
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
			r = SIM_NEED_FULL;
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
			r = SIM_NEED_FULL;
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
		return psm_oom();
	if (q->log_new) {
		strbuf_addstr(&all, LOG_MAGIC);
		sim_put_u64(&all, q->stamp);
		strbuf_add(&all, q->append.buf, q->append.len);
		r = all.oom ? psm_oom() : psm_write_file_atomic_nosync(q->log_path.buf, all.buf, all.len);
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
		r = psm_oom();
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
			r = psm_oom();
			goto out;
		}
		if (sim_map_find(&q->ov.doc_map, &q->ov, 1, path.buf, &idx)) {
			if (idx < nov)
				ovseen[idx] = 1;
			if (same_file(&q->ov.docs[idx], &st))
				continue;
		} else if (sim_inv_doc_find(q, path.buf, &idx) && idx >= lo && idx < hi) {
			const unsigned char *d = sim_inv_doc(q, idx);

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
			r = path.oom ? psm_oom() : reread(q, path.buf, NULL);
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
		r = psm_oom();
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

int sim_quick_open(struct sim_quick **out, const struct psm_similar *ix)
{
	struct strbuf inv = STRBUF_INIT;
	struct sim_quick *q = calloc(1, sizeof(*q));
	int r;

	*out = q;
	if (!q)
		return psm_oom();
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
		r = psm_oom();
		goto out;
	}
	if ((r = read_log(q)) != 0 || (r = refresh(q)) != 0)
		goto out;
	if (q->log_docs > 4 * log_max() || q->log_len + q->append.len > QUICK_LOG_BYTES) {
		r = SIM_NEED_FULL; /* long overdue (no fold ran): fold it here */
		goto out;
	}
	q->fold_due = q->log_docs > log_max();
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
