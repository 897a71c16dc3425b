/*
 * The split index (gitindex-int.h, and git's Documentation/
 * gitformat-index.txt, "Split index"): with it the index patch writes only
 * the small front file, so a commit's cost no longer grows with the number
 * of files the repository tracks.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "gitindex-int.h"
#include "grow.h"

static int oom(void)
{
	return psm_error(PSM_ENOMEM, "out of memory");
}

static uint64_t get64(const unsigned char *p)
{
	return (uint64_t)get32(p) << 32 | get32(p + 4);
}

static int push_pos(uint32_t **pos, size_t *n, size_t *alloc, uint64_t bit)
{
	uint32_t *p = psm_grow(*pos, *n, alloc, sizeof(*p), 16);

	if (!p)
		return oom();
	*pos = p;
	p[(*n)++] = (uint32_t)bit;
	return 0;
}

/*
 * Words: each run-length word (bit 0: the run's bit, bits 1-32: run length
 * in 64-bit words, bits 33-63: the literal words that follow it). bit
 * saturates just past limit, as any set bit beyond it is an error anyway.
 */
int psm_ewah_read(uint32_t **pos, size_t *n, size_t *used, const unsigned char *p,
		  size_t len, size_t limit)
{
	size_t words, w = 0, alloc = 0, k;
	uint64_t bit = 0, sat = (uint64_t)limit + 1;
	int err = 0;

	*pos = NULL;
	*n = 0;
	if (len < 12 || (words = get32(p + 4)) > (len - 12) / 8)
		return psm_error(PSM_EPARSE, "bad bitmap: runs past its end");
	*used = 12 + 8 * words;
	p += 8;
	while (!err && w < words) {
		uint64_t rlw = get64(p + 8 * w++), run = (rlw >> 1) & 0xffffffffu, lit = rlw >> 33;

		if (lit > words - w || ((rlw & 1) && run && bit + run * 64 > limit))
			goto bad;
		for (k = 0; !err && (rlw & 1) && k < run * 64; k++)
			err = push_pos(pos, n, &alloc, bit + k);
		bit = bit + run * 64 < sat ? bit + run * 64 : sat;
		for (; !err && lit; lit--) {
			uint64_t word = get64(p + 8 * w++);

			for (k = 0; !err && word; k++, word >>= 1) {
				if (!(word & 1))
					continue;
				if (bit + k >= limit)
					goto bad;
				err = push_pos(pos, n, &alloc, bit + k);
			}
			bit = bit + 64 < sat ? bit + 64 : sat;
		}
	}
	if (!err)
		return 0;
	free(*pos);
	*pos = NULL;
	return err;
bad:
	free(*pos);
	*pos = NULL;
	return psm_error(PSM_EPARSE, "bad bitmap: a bit past the shared index's end");
}

static void put64(struct strbuf *out, uint64_t v)
{
	unsigned char b[8];

	put32(b, (uint32_t)(v >> 32));
	put32(b + 4, (uint32_t)v);
	strbuf_add(out, b, 8);
}

static void set64(struct strbuf *out, size_t at, uint64_t v)
{
	if (out->oom)
		return;
	put32((unsigned char *)out->buf + at, (uint32_t)(v >> 32));
	put32((unsigned char *)out->buf + at + 4, (uint32_t)v);
}

/*
 * As git writes an empty bitmap: one zero run-length word. Otherwise a
 * run-length word of zeros before each stretch of consecutive literal words.
 */
int psm_ewah_write(struct strbuf *out, const uint32_t *pos, size_t n)
{
	size_t start = out->len, rlw_at = start + 8, i = 0;
	uint64_t next = 0, run = 0, lit = 0;
	unsigned char b[4];

	put32(b, n ? pos[n - 1] + 1 : 0);
	strbuf_add(out, b, 4);
	strbuf_add(out, b, 4); /* the word count, set below */
	if (!n)
		put64(out, 0);
	while (i < n) {
		uint64_t w = pos[i] / 64, word = 0;

		for (; i < n && pos[i] / 64 == w; i++)
			word |= (uint64_t)1 << (pos[i] % 64);
		if (!lit || w != next) {
			if (lit)
				set64(out, rlw_at, run << 1 | lit << 33);
			rlw_at = out->len;
			run = w - next;
			lit = 0;
			put64(out, 0);
		}
		put64(out, word);
		lit++;
		next = w + 1;
	}
	if (lit)
		set64(out, rlw_at, run << 1 | lit << 33);
	if (out->oom)
		return oom();
	put32((unsigned char *)out->buf + start + 4, (uint32_t)((out->len - start - 8) / 8));
	put32(b, (uint32_t)((rlw_at - start - 8) / 8));
	return strbuf_add(out, b, 4) < 0 ? oom() : 0;
}

static int has_pos(const uint32_t *pos, size_t n, size_t i, size_t *at)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (pos[mid] < i)
			lo = mid + 1;
		else
			hi = mid;
	}
	*at = lo;
	return lo < n && pos[lo] == i;
}

int psm_split_live(const struct split *sp, size_t i)
{
	size_t at;

	return !has_pos(sp->del, sp->ndel, i, &at) && !has_pos(sp->rep, sp->nrep, i, &at);
}

/* Bits not both deleted and replaced; the replacements first, nameless. */
static int check_front(struct split *sp, const struct index *front)
{
	size_t i, at, nlen;

	for (i = 0; i < sp->nrep; i++)
		if (has_pos(sp->del, sp->ndel, sp->rep[i], &at))
			return psm_index_malformed(front, "an entry both deleted and replaced");
	if (sp->nrep > front->count)
		return psm_index_malformed(front, "replacements do not match the link extension");
	for (i = 0; i < front->count; i++) {
		psm_index_name(front, i, &nlen);
		if ((i < sp->nrep) != !nlen)
			return psm_index_malformed(front, "replacements do not match the link extension");
	}
	return 0;
}

/* A shared index's name: its hash in hex. */
static void to_hex(char hex[2 * HASH_SIZE + 1], const unsigned char *hash)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < HASH_SIZE; i++) {
		hex[2 * i] = digits[hash[i] >> 4];
		hex[2 * i + 1] = digits[hash[i] & 15];
	}
	hex[2 * HASH_SIZE] = 0;
}

int psm_split_open(struct split *sp, const struct index *front, const unsigned char *link,
		   size_t len, int use_cache)
{
	const char *slash = strrchr(front->path, '/');
	struct strbuf gitdir = STRBUF_INIT;
	char hex[2 * HASH_SIZE + 1];
	size_t used = 0, used_rep = 0;
	struct stat st;
	int fd, err = 0;

	memset(sp, 0, sizeof(*sp));
	strbuf_init(&sp->path, 0);
	strbuf_init(&sp->cache_path, 0);
	if (len < HASH_SIZE)
		return psm_index_malformed(front, "bad link extension");
	to_hex(hex, link);
	if (strspn(hex, "0") == 2 * HASH_SIZE)
		return PSM_INDEX_UNSUPPORTED; /* no shared index: git never writes that */
	if (slash)
		strbuf_add(&gitdir, front->path, (size_t)(slash - front->path) + 1);
	strbuf_addf(&sp->path, "%ssharedindex.%s", gitdir.buf, hex);
	if (gitdir.oom || sp->path.oom) {
		err = oom();
		goto cleanup;
	}
	sp->base.path = sp->path.buf;
	if ((fd = open(sp->path.buf, O_RDONLY | O_CLOEXEC)) < 0) {
		err = psm_error_errno(PSM_ERROR, "could not open the shared index '%s'",
				      sp->path.buf);
		goto cleanup;
	}
	err = fstat(fd, &st) < 0 ? psm_error_errno(PSM_ERROR, "could not stat '%s'", sp->path.buf)
				 : psm_index_map(&sp->base, fd, &st);
	close(fd);
	if (err)
		goto cleanup;
	if ((sp->base.version == 4) != (front->version == 4)) {
		err = PSM_INDEX_UNSUPPORTED; /* git writes both alike */
		goto cleanup;
	}
	if ((err = psm_split_offsets(sp, gitdir.buf, hex, use_cache)) < 0)
		goto cleanup;
	link += HASH_SIZE;
	len -= HASH_SIZE;
	/* git writes both bitmaps, or neither */
	if (len && (psm_ewah_read(&sp->del, &sp->ndel, &used, link, len, sp->base.count) < 0 ||
		    psm_ewah_read(&sp->rep, &sp->nrep, &used_rep, link + used, len - used,
				  sp->base.count) < 0)) {
		err = psm_index_malformed(front, psm_error_last());
		goto cleanup;
	}
	if (len && used + used_rep != len) {
		err = psm_index_malformed(front, "garbage after the link extension");
		goto cleanup;
	}
	err = check_front(sp, front);
cleanup:
	strbuf_release(&gitdir);
	return err;
}

void psm_split_close(struct split *sp)
{
	psm_index_release(&sp->base);
	if (sp->cache)
		munmap(sp->cache, sp->cache_len);
	free(sp->del);
	free(sp->rep);
	free(sp->gone);
	strbuf_release(&sp->path);
	strbuf_release(&sp->cache_path);
	memset(sp, 0, sizeof(*sp));
}

int psm_split_find(const struct split *sp, const struct index *front, const char *path,
		   size_t *found)
{
	size_t plen = strlen(path), i = psm_index_lower_bound(&sp->base, path, plen), at, len;

	*found = SIZE_MAX;
	for (; i < sp->base.count; i++) {
		const char *name = psm_index_name(&sp->base, i, &len);
		unsigned flags = psm_index_flags(&sp->base, i);

		if (len != plen || memcmp(name, path, plen))
			break;
		if (has_pos(sp->del, sp->ndel, i, &at))
			continue;
		if (has_pos(sp->rep, sp->nrep, i, &at))
			flags |= psm_index_flags(front, at); /* what is in effect */
		if (flags & (F_ASSUME | F_EXTENDED | F_STAGE))
			return PSM_INDEX_UNSUPPORTED;
		*found = i;
	}
	return 0;
}

int psm_split_remove(struct split *sp, size_t found, size_t *drop)
{
	uint32_t *grown;
	size_t at;

	*drop = SIZE_MAX;
	if (has_pos(sp->rep, sp->nrep, found, &at)) {
		/* Its replacement goes; rep stays as read, so front positions hold. */
		if (!sp->gone && !(sp->gone = calloc(sp->nrep, 1)))
			return oom();
		sp->gone[at] = 1;
		*drop = at;
	}
	if (!(grown = realloc(sp->del, (sp->ndel + 1) * sizeof(*grown))))
		return oom();
	sp->del = grown;
	has_pos(sp->del, sp->ndel, found, &at);
	memmove(sp->del + at + 1, sp->del + at, (sp->ndel - at) * sizeof(*sp->del));
	sp->del[at] = (uint32_t)found;
	sp->ndel++;
	sp->changed = 1;
	return 0;
}

int psm_split_link(struct strbuf *out, const struct split *sp, const unsigned char *link,
		   size_t len)
{
	uint32_t *rep = NULL;
	size_t start = out->len, i, n = 0;
	unsigned char b[4];
	int err;

	strbuf_add(out, "link", 4);
	if (!sp->changed) {
		put32(b, (uint32_t)len);
		strbuf_add(out, b, 4);
		strbuf_add(out, link, len);
		return out->oom ? oom() : 0;
	}
	strbuf_add(out, "size", 4); /* set below */
	strbuf_add(out, link, HASH_SIZE);
	if (!(rep = malloc((sp->nrep ? sp->nrep : 1) * sizeof(*rep))))
		return oom();
	for (i = 0; i < sp->nrep; i++)
		if (!sp->gone || !sp->gone[i])
			rep[n++] = sp->rep[i];
	err = psm_ewah_write(out, sp->del, sp->ndel);
	if (!err)
		err = psm_ewah_write(out, rep, n);
	free(rep);
	if (err)
		return err;
	put32((unsigned char *)out->buf + start + 4, (uint32_t)(out->len - start - 8));
	return 0;
}

void psm_split_freshen(const struct split *sp)
{
	/* git's own freshen_shared_index() ignores failure too */
	(void)utimensat(AT_FDCWD, sp->path.buf, NULL, 0);
}

int psm_split_create(struct strbuf *link, struct out *o, const char *index_path)
{
	const char *slash = strrchr(index_path, '/');
	struct strbuf tmp = STRBUF_INIT, path = STRBUF_INIT;
	unsigned char hash[HASH_SIZE];
	char hex[2 * HASH_SIZE + 1];
	size_t dirlen = slash ? (size_t)(slash - index_path) + 1 : 0, start;
	int err;

	/* git's own temporary is sharedindex_XXXXXX; index.lock serialises ours */
	strbuf_add(&tmp, index_path, dirlen);
	strbuf_addstr(&tmp, "sharedindex_psm.tmp");
	strbuf_add(&path, index_path, dirlen);
	strbuf_addstr(&path, "sharedindex.");
	if (tmp.oom || path.oom) {
		err = oom();
		goto cleanup;
	}
	if ((err = psm_index_write(tmp.buf, o, hash)) < 0)
		goto cleanup;
	to_hex(hex, hash);
	if (strbuf_addstr(&path, hex) < 0) {
		err = oom();
		goto cleanup;
	}
	if (rename(tmp.buf, path.buf) < 0) {
		err = psm_error_errno(PSM_ERROR, "could not create the shared index '%s'", path.buf);
		goto cleanup;
	}
	start = link->len;
	strbuf_add(link, "linksize", 8); /* the size is set below */
	strbuf_add(link, hash, HASH_SIZE);
	if ((err = psm_ewah_write(link, NULL, 0)) < 0 || (err = psm_ewah_write(link, NULL, 0)) < 0)
		goto cleanup;
	put32((unsigned char *)link->buf + start + 4, (uint32_t)(link->len - start - 8));
cleanup:
	if (err < 0 && tmp.len)
		unlink(tmp.buf);
	strbuf_release(&tmp);
	strbuf_release(&path);
	return err;
}
