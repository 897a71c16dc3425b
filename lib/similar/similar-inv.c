/*
 * similar.inv: the similarity index laid out to be mapped and queried in
 * place, so the intake hint reads only the words it asks about instead of
 * loading the whole index (similar-quick.c). Written from a full index
 * whenever similar.idx is, and then similar.log is dropped.
 *
 * Layout, little-endian, every section 8-byte aligned:
 *   header (64): "PSMINV2\n", u64 stamp (random; the log names it),
 *     u32 docs, terms, shards, postings; u32 offsets of the shard, doc,
 *     term, posting and string sections; u32 string bytes
 *   shards (16 each, by name): name[2], pad[6], i64 directory mtime (ns)
 *   docs (72 each, by path): id[10], dup_of[10], pad[4], i64 closed,
 *     u64 inode, i64 mtime (ns), i64 size, u32 path, title, status
 *     (string offsets), u32 pad
 *   terms (16 each, by word): u32 word, df, first posting, posting count
 *   postings (8 each): u32 doc, f32 weight (tf-idf over the doc's norm)
 *   strings: NUL-terminated, the section ending in NUL
 */
#include "similar-quick-int.h"

#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "psm/error.h"
#include "psm/fs.h"

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

static void put64(unsigned char *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}


int inv_paths(struct strbuf *inv, struct strbuf *log, const struct psm_similar *ix)
{
	size_t dir = ix->file.len - strlen("similar.idx");

	strbuf_reset(inv);
	strbuf_reset(log);
	strbuf_add(inv, ix->file.buf, dir);
	strbuf_addstr(inv, "similar.inv");
	strbuf_add(log, ix->file.buf, dir);
	strbuf_addstr(log, "similar.log");
	return inv->oom || log->oom ? psm_oom() : 0;
}

int sim_inv_stale(const struct psm_similar *ix)
{
	struct strbuf inv = STRBUF_INIT, log = STRBUF_INIT;
	int stale = 1;

	if (!inv_paths(&inv, &log, ix))
		stale = !psm_path_exists(inv.buf) || psm_path_exists(log.buf);
	psm_error_clear();
	strbuf_release(&inv);
	strbuf_release(&log);
	return stale;
}

static const struct psm_similar *sort_ix; /* qsort has no context argument */

static int cmp_doc_path(const void *a, const void *b)
{
	return strcmp(sort_ix->docs[*(const uint32_t *)a].path,
		      sort_ix->docs[*(const uint32_t *)b].path);
}

static int cmp_term(const void *a, const void *b)
{
	return strcmp(sort_ix->terms[*(const uint32_t *)a], sort_ix->terms[*(const uint32_t *)b]);
}

static int cmp_shard(const void *a, const void *b)
{
	return memcmp(((const struct sim_shard *)a)->name, ((const struct sim_shard *)b)->name, 2);
}

static uint32_t add_string(struct strbuf *strs, const char *s)
{
	uint32_t off = (uint32_t)strs->len;

	strbuf_add(strs, s ? s : "", (s ? strlen(s) : 0) + 1);
	return off;
}

static size_t align8(size_t n)
{
	return (n + 7) & ~(size_t)7;
}

int sim_inv_write(struct psm_similar *ix)
{
	struct strbuf inv = STRBUF_INIT, log = STRBUF_INIT, strs = STRBUF_INIT;
	uint32_t *order = NULL, *tord = NULL, *first = NULL, *fill = NULL;
	uint32_t nd = 0, nt = 0, k, t, npost = 0;
	size_t i, off_sh, off_doc, off_term, off_post, off_str, total;
	unsigned char *b = NULL, *p;
	uint64_t stamp = 0;
	int r;

	if ((r = inv_paths(&inv, &log, ix)) < 0 || (r = sim_recompute_weights(ix)) < 0)
		goto out;
	order = calloc(ix->ndocs + 1, sizeof(*order));
	tord = calloc(ix->nterms + 1, sizeof(*tord));
	first = calloc(ix->nterms + 1, sizeof(*first));
	fill = calloc(ix->nterms + 1, sizeof(*fill));
	if (!order || !tord || !first || !fill) {
		r = psm_oom();
		goto out;
	}
	sort_ix = ix;
	for (i = 0; i < ix->ndocs; i++)
		if (ix->docs[i].live)
			order[nd++] = (uint32_t)i;
	qsort(order, nd, sizeof(*order), cmp_doc_path);
	for (t = 0; t < ix->nterms; t++)
		if (ix->df[t])
			tord[nt++] = t;
	qsort(tord, nt, sizeof(*tord), cmp_term);
	for (k = 0; k < nt; k++) { /* postings of term tord[k] start at first[tord[k]] */
		first[tord[k]] = npost;
		npost += ix->df[tord[k]];
	}
	qsort(ix->shards, ix->nshards, sizeof(*ix->shards), cmp_shard);

	off_sh = 64;
	off_doc = off_sh + 16 * ix->nshards;
	off_term = off_doc + 72 * (size_t)nd;
	off_post = off_term + 16 * (size_t)nt;
	off_str = off_post + 8 * (size_t)npost;
	strbuf_addch(&strs, '\0'); /* offset 0: the empty string */
	for (k = 0; k < nd; k++) {
		const struct sim_doc *d = &ix->docs[order[k]];

		add_string(&strs, d->path);
		add_string(&strs, d->title);
		add_string(&strs, d->status);
	}
	for (k = 0; k < nt; k++)
		add_string(&strs, ix->terms[tord[k]]);
	total = off_str + align8(strs.len);
	if (strs.oom || total > UINT32_MAX || !(b = calloc(1, total))) {
		r = psm_oom();
		goto out;
	}
	/* A new stamp orphans any log written against the previous file. */
	if (getrandom(&stamp, sizeof(stamp), 0) != (ssize_t)sizeof(stamp))
		stamp = (uint64_t)getpid() * 0x9e3779b97f4a7c15u ^ (uint64_t)ix->ndocs;
	memcpy(b, "PSMINV2\n", 8);
	put64(b + 8, stamp);
	put32(b + 16, nd);
	put32(b + 20, nt);
	put32(b + 24, (uint32_t)ix->nshards);
	put32(b + 28, npost);
	put32(b + 32, (uint32_t)off_sh);
	put32(b + 36, (uint32_t)off_doc);
	put32(b + 40, (uint32_t)off_term);
	put32(b + 44, (uint32_t)off_post);
	put32(b + 48, (uint32_t)off_str);
	put32(b + 52, (uint32_t)strs.len);
	for (i = 0; i < ix->nshards; i++) {
		memcpy(b + off_sh + 16 * i, ix->shards[i].name, 2);
		put64(b + off_sh + 16 * i + 8, (uint64_t)ix->shards[i].mtime_ns);
	}
	/* strings were added in this same order: walk the offsets again */
	{
		uint32_t so = 1;

		for (k = 0; k < nd; k++) {
			const struct sim_doc *d = &ix->docs[order[k]];

			p = b + off_doc + 72 * (size_t)k;
			memcpy(p, d->id, PSM_ID_LEN);
			memcpy(p + 10, d->dup_of, PSM_ID_LEN);
			put64(p + 24, (uint64_t)d->closed);
			put64(p + 32, d->ino);
			put64(p + 40, (uint64_t)d->mtime_ns);
			put64(p + 48, (uint64_t)d->size);
			put32(p + 56, so);
			so += (uint32_t)strlen(d->path) + 1;
			put32(p + 60, so);
			so += (uint32_t)strlen(d->title ? d->title : "") + 1;
			put32(p + 64, so);
			so += (uint32_t)strlen(d->status ? d->status : "") + 1;
			for (t = 0; t < d->nt; t++) {
				uint32_t term = d->tf[t].term, at = first[term] + fill[term]++;
				uint32_t wbits;
				float w = d->tf[t].w;

				if (fill[term] > ix->df[term]) { /* df and words disagree */
					r = psm_error(PSM_ERROR, "similarity index is inconsistent");
					goto out;
				}
				memcpy(&wbits, &w, sizeof(wbits));
				put32(b + off_post + 8 * (size_t)at, k);
				put32(b + off_post + 8 * (size_t)at + 4, wbits);
			}
		}
		for (k = 0; k < nt; k++) {
			p = b + off_term + 16 * (size_t)k;
			put32(p, so);
			so += (uint32_t)strlen(ix->terms[tord[k]]) + 1;
			put32(p + 4, ix->df[tord[k]]);
			put32(p + 8, first[tord[k]]);
			put32(p + 12, ix->df[tord[k]]);
		}
	}
	memcpy(b + off_str, strs.buf, strs.len);
	/* a cache: atomic, but not worth an fsync */
	if ((r = psm_write_file_atomic_nosync(inv.buf, (const char *)b, total)) < 0)
		goto out;
	unlink(log.buf); /* folded in: what it said, this file now says */
	ix->inv_stale = 0;
out:
	free(b);
	free(order);
	free(tord);
	free(first);
	free(fill);
	strbuf_release(&inv);
	strbuf_release(&log);
	strbuf_release(&strs);
	return r;
}
