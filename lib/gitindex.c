/*
 * Patching git's index file in place of a libgit2 load-modify-write (why,
 * and what is handled, in gitindex.h). The format is git's
 * Documentation/gitformat-index.txt: a 12-byte header, the entries sorted by
 * name then stage, extensions, and a SHA-1 of everything before it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "error.h"
#include "gitindex-int.h"

static int oom(void)
{
	return psm_error(PSM_ENOMEM, "out of memory");
}

/* Where a change lands: the first entry not sorting before its path. */
struct spot {
	size_t pos;
	int found;          /* entry pos is the path's stage-0 entry */
};

int psm_index_malformed(const struct index *ix, const char *what)
{
	return psm_error(PSM_EPARSE, "malformed git index '%s': %s", ix->path, what);
}

static unsigned flags_at(const struct index *ix, size_t i)
{
	const unsigned char *e = ix->map + ix->off[i];

	return (unsigned)e[60] << 8 | e[61];
}

/* Entry i's name and length; parse_entries made sure it is NUL-terminated. */
static const char *name_at(const struct index *ix, size_t i, size_t *len)
{
	unsigned flags = flags_at(ix, i);
	const char *name = (const char *)ix->map + ix->off[i] + ENTRY_FIXED +
			   (flags & F_EXTENDED ? 2 : 0);

	*len = (flags & F_NAMEMASK) == F_NAMEMASK ? strlen(name) : (flags & F_NAMEMASK);
	return name;
}

/*
 * Record each entry's offset, checking it fits, and zero the size of the
 * racily clean ones: with an mtime not older than the index (to the second,
 * the coarsest git compares), a change made in that same tick would look
 * clean once the new index is newer; size 0 makes git re-read the file.
 */
static int parse_entries(struct index *ix, uint32_t index_sec)
{
	size_t pos = HDR_SIZE, end = ix->size - HASH_SIZE, i;

	if (!(ix->off = malloc((ix->count + 1) * sizeof(*ix->off))))
		return oom();
	for (i = 0; i < ix->count; i++) {
		unsigned char *e = ix->map + pos;
		size_t hdr = ENTRY_FIXED, len, esize;
		unsigned flags;

		if (end - pos < MIN_ENTRY)
			return psm_index_malformed(ix, "entry runs past the end");
		flags = (unsigned)e[60] << 8 | e[61];
		if (flags & F_EXTENDED) {
			if (ix->version < 3)
				return psm_index_malformed(ix, "extended flags in a version 2 index");
			hdr += 2;
		}
		len = flags & F_NAMEMASK;
		if (len == F_NAMEMASK) {
			const unsigned char *nul = memchr(e + hdr, 0, end - pos - hdr);

			if (!nul)
				return psm_index_malformed(ix, "entry runs past the end");
			len = (size_t)(nul - (e + hdr));
		}
		esize = (hdr + len + 8) & ~(size_t)7;
		if (esize > end - pos || e[hdr + len])
			return psm_index_malformed(ix, "entry runs past the end");
		if (index_sec && get32(e + 8) >= index_sec && get32(e + 36))
			put32(e + 36, 0);
		ix->off[i] = pos;
		pos += esize;
	}
	ix->off[ix->count] = pos;
	return 0;
}

static int cmp_name(const char *a, size_t alen, const char *b, size_t blen)
{
	int r = memcmp(a, b, alen < blen ? alen : blen);

	return r ? r : (alen > blen) - (alen < blen);
}

/* The first entry whose name does not sort before key. */
static size_t lower_bound(const struct index *ix, const char *key, size_t klen)
{
	size_t lo = 0, hi = ix->count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2, len;
		const char *name = name_at(ix, mid, &len);

		if (cmp_name(name, len, key, klen) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int has_entry(const struct index *ix, const char *key, size_t klen)
{
	size_t i = lower_bound(ix, key, klen), len;
	const char *name;

	if (i == ix->count)
		return 0;
	name = name_at(ix, i, &len);
	return len == klen && !memcmp(name, key, klen);
}

static int cmp_change(const void *key, const void *elem)
{
	return strcmp(key, ((const struct psm_index_change *)elem)->path);
}

/*
 * Where change k goes, or PSM_INDEX_UNSUPPORTED when the entry has a
 * conflict or flags to keep, or an entry or other change is a directory of
 * the path, or sits under it (git would have to remove one for the other).
 */
static int locate(struct spot *s, const struct index *ix, const struct psm_index_change *c,
		  size_t n, size_t k, struct strbuf *key)
{
	const char *path = c[k].path, *name, *slash;
	size_t plen = strlen(path), len, under;

	s->pos = lower_bound(ix, path, plen);
	s->found = 0;
	if (s->pos < ix->count) {
		name = name_at(ix, s->pos, &len);
		if (len == plen && !memcmp(name, path, plen)) {
			if (flags_at(ix, s->pos) & (F_ASSUME | F_EXTENDED | F_STAGE))
				return PSM_INDEX_UNSUPPORTED;
			s->found = 1;
			if (s->pos + 1 < ix->count) {
				name = name_at(ix, s->pos + 1, &len);
				if (len == plen && !memcmp(name, path, plen))
					return PSM_INDEX_UNSUPPORTED; /* stage 0 beside 1-3 */
			}
		}
	}
	for (slash = strchr(path, '/'); slash; slash = strchr(slash + 1, '/')) {
		strbuf_reset(key);
		if (strbuf_add(key, path, (size_t)(slash - path)) < 0)
			return oom();
		if (has_entry(ix, key->buf, key->len) ||
		    bsearch(key->buf, c, n, sizeof(*c), cmp_change))
			return PSM_INDEX_UNSUPPORTED;
	}
	strbuf_reset(key);
	if (strbuf_addstr(key, path) < 0 || strbuf_addch(key, '/') < 0)
		return oom();
	under = lower_bound(ix, key->buf, key->len);
	if (under < ix->count) {
		name = name_at(ix, under, &len);
		if (len >= key->len && !memcmp(name, key->buf, key->len))
			return PSM_INDEX_UNSUPPORTED;
	}
	return 0;
}

int psm_index_push(struct out *o, const void *base, size_t len)
{
	if (!len)
		return 0;
	if (o->n == o->alloc) {
		size_t alloc = o->alloc ? 2 * o->alloc : 64;
		struct iovec *v = realloc(o->v, alloc * sizeof(*v));

		if (!v)
			return oom();
		o->v = v;
		o->alloc = alloc;
	}
	o->v[o->n].iov_base = (void *)base;
	o->v[o->n++].iov_len = len;
	return 0;
}

/* A fresh stage-0 entry, as git add writes it; returns its length. */
static size_t make_entry(unsigned char *e, const struct psm_index_change *c)
{
	size_t len = strlen(c->path), esize = (ENTRY_FIXED + len + 8) & ~(size_t)7;
	const struct stat *st = &c->st;

	memset(e, 0, esize);
	/* git keeps the low 32 bits of each stat field */
	put32(e, (uint32_t)st->st_ctim.tv_sec);
	put32(e + 4, (uint32_t)st->st_ctim.tv_nsec);
	put32(e + 8, (uint32_t)st->st_mtim.tv_sec);
	put32(e + 12, (uint32_t)st->st_mtim.tv_nsec);
	put32(e + 16, (uint32_t)st->st_dev);
	put32(e + 20, (uint32_t)st->st_ino);
	put32(e + 24, 0100644);
	put32(e + 28, (uint32_t)st->st_uid);
	put32(e + 32, (uint32_t)st->st_gid);
	put32(e + 36, (uint32_t)st->st_size);
	memcpy(e + 40, c->oid, 20);
	e[60] = (unsigned char)((len < F_NAMEMASK ? len : F_NAMEMASK) >> 8);
	e[61] = (unsigned char)(len < F_NAMEMASK ? len : F_NAMEMASK);
	memcpy(e + ENTRY_FIXED, c->path, len);
	return esize;
}

/* Map the index file and check its header: 0, unsupported, or an error. */
static int map_index(struct index *ix, int fd, const struct stat *st)
{
	if (!st->st_size)
		return PSM_INDEX_UNSUPPORTED; /* as good as none: libgit2 starts afresh */
	ix->size = (size_t)st->st_size;
	if (ix->size < HDR_SIZE + HASH_SIZE)
		return psm_index_malformed(ix, "too short");
	ix->map = mmap(NULL, ix->size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	if (ix->map == MAP_FAILED) {
		ix->map = NULL;
		return psm_error_errno(PSM_ERROR, "could not read '%s'", ix->path);
	}
	ix->version = get32(ix->map + 4);
	ix->count = get32(ix->map + 8);
	if (memcmp(ix->map, "DIRC", 4))
		return psm_index_malformed(ix, "bad signature");
	if (ix->version == 4)
		return PSM_INDEX_UNSUPPORTED; /* prefix-compressed names */
	if (ix->version != 2 && ix->version != 3)
		return psm_index_malformed(ix, "unknown version");
	if (ix->count > (ix->size - HDR_SIZE - HASH_SIZE) / MIN_ENTRY)
		return psm_index_malformed(ix, "more entries than fit");
	return 0;
}

int psm_index_patch(const char *index_path, const char *out_path,
		    const struct psm_index_change *c, size_t n)
{
	struct index ix = { index_path, NULL, 0, 0, 0, NULL };
	struct strbuf key = STRBUF_INIT, tree = STRBUF_INIT;
	struct out o = { NULL, 0, 0 };
	struct spot *spots = NULL;
	unsigned char header[HDR_SIZE], hash[HASH_SIZE], *entries = NULL, *e;
	size_t i, k, total = 0, cur, count;
	struct stat st;
	int fd, err = 0;

	if ((fd = open(index_path, O_RDONLY | O_CLOEXEC)) < 0) {
		if (errno == ENOENT)
			return PSM_INDEX_UNSUPPORTED; /* libgit2 creates one */
		return psm_error_errno(PSM_ERROR, "could not open '%s'", index_path);
	}
	if (fstat(fd, &st) < 0) {
		err = psm_error_errno(PSM_ERROR, "could not stat '%s'", index_path);
		goto cleanup;
	}
	if ((err = map_index(&ix, fd, &st)))
		goto cleanup;
	if ((err = parse_entries(&ix, (uint32_t)st.st_mtim.tv_sec)) < 0)
		goto cleanup;
	if (!(spots = calloc(n ? n : 1, sizeof(*spots)))) {
		err = oom();
		goto cleanup;
	}
	count = ix.count;
	for (k = 0; k < n; k++) {
		if (k && strcmp(c[k - 1].path, c[k].path) >= 0) {
			err = psm_error(PSM_EINVALID, "index changes not sorted: '%s'", c[k].path);
			goto cleanup;
		}
		if ((err = locate(&spots[k], &ix, c, n, k, &key)))
			goto cleanup;
		count -= (size_t)spots[k].found;
		if (c[k].exists) {
			count++;
			total += (ENTRY_FIXED + strlen(c[k].path) + 8) & ~(size_t)7;
		}
	}
	if (count > UINT32_MAX || !(entries = malloc(total ? total : 1))) {
		err = count > UINT32_MAX ? psm_index_malformed(&ix, "too many entries") : oom();
		goto cleanup;
	}
	memcpy(header, ix.map, 8);
	put32(header + 8, (uint32_t)count);
	err = psm_index_push(&o, header, HDR_SIZE);
	/* Untouched runs of entries go out straight from the map. */
	for (k = 0, cur = ix.off[0], e = entries; !err && k < n; k++) {
		err = psm_index_push(&o, ix.map + cur, ix.off[spots[k].pos] - cur);
		if (!err && c[k].exists) {
			i = make_entry(e, &c[k]);
			err = psm_index_push(&o, e, i);
			e += i;
		}
		cur = ix.off[spots[k].pos + (size_t)spots[k].found];
	}
	if (!err)
		err = psm_index_push(&o, ix.map + cur, ix.off[ix.count] - cur);
	if (!err)
		err = psm_index_extensions(&o, &tree, &ix, c, n);
	if (!err)
		err = psm_index_write(out_path, &o, hash);
cleanup:
	if (ix.map)
		munmap(ix.map, ix.size);
	close(fd);
	free(ix.off);
	free(spots);
	free(entries);
	free(o.v);
	strbuf_release(&key);
	strbuf_release(&tree);
	return err;
}
