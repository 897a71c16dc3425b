/*
 * Reading git's index file for the patch (gitindex.c): mapping it, finding
 * its entries, looking names up. The format is git's
 * Documentation/gitformat-index.txt.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "error.h"
#include "gitindex-int.h"

int psm_index_malformed(const struct index *ix, const char *what)
{
	return psm_error(PSM_EPARSE, "malformed git index '%s': %s", ix->path, what);
}

/*
 * An entry the cache places (version 2 or 3): within the entries, 8-byte
 * aligned, and exactly as long as its flags and name make it. A damaged
 * offset fails this with near certainty; only offsets consistently
 * shifted, which damage does not make, would pass.
 */
static int cached_entry_fits(const struct index *ix, size_t i, size_t *esize)
{
	size_t a = ix_off(ix, i), b = ix_off(ix, i + 1), end = ix_off(ix, ix->count), hdr, len;
	const unsigned char *e = ix->map + a;

	if (a < HDR_SIZE || b > end || end > ix->size - HASH_SIZE || a >= b ||
	    b - a < MIN_ENTRY || (a - HDR_SIZE) % 8 || (b - a) % 8)
		return 0;
	hdr = entry_hdr(e);
	if (hdr > ENTRY_FIXED && ix->version < 3)
		return 0;
	len = ((unsigned)e[60] << 8 | e[61]) & F_NAMEMASK;
	if (len == F_NAMEMASK)
		len = strnlen((const char *)e + hdr, b - a - hdr);
	*esize = (hdr + len + 8) & ~(size_t)7;
	return *esize == b - a && hdr + len < b - a && !e[hdr + len];
}

const unsigned char *psm_index_entry(const struct index *ix, size_t i, size_t *esize)
{
	if (ix->off) {
		*esize = ix->off[i + 1] - ix->off[i];
		return ix->map + ix->off[i];
	}
	if (i >= ix->count || !cached_entry_fits(ix, i, esize)) {
		((struct index *)ix)->bad = 1; /* the answer is void: the caller retries */
		*esize = 0;
		return NULL;
	}
	return ix->map + ix_off(ix, i);
}

unsigned psm_index_flags(const struct index *ix, size_t i)
{
	size_t esize;
	const unsigned char *e = psm_index_entry(ix, i, &esize);

	return e ? (unsigned)e[60] << 8 | e[61] : 0;
}

size_t psm_index_hdr(const struct index *ix, size_t i)
{
	size_t esize;
	const unsigned char *e = psm_index_entry(ix, i, &esize);

	return e ? entry_hdr(e) : ENTRY_FIXED;
}

/*
 * Entry i's name and length, as psm_index_parse or psm_index_entry checked
 * it; "" for an entry the cache misplaced (ix->bad).
 */
const char *psm_index_name(const struct index *ix, size_t i, size_t *len)
{
	size_t esize, hdr;
	const unsigned char *e;

	if (ix->names) {
		*len = ix->noff[i + 1] - ix->noff[i] - 1;
		return ix->names + ix->noff[i];
	}
	if (!(e = psm_index_entry(ix, i, &esize))) {
		*len = 0;
		return "";
	}
	hdr = entry_hdr(e);
	*len = ((unsigned)e[60] << 8 | e[61]) & F_NAMEMASK;
	if (*len == F_NAMEMASK)
		*len = strnlen((const char *)e + hdr, esize - hdr - 1);
	if (*len > esize - hdr - 1)
		*len = esize - hdr - 1;
	return (const char *)e + hdr;
}

int psm_index_get_varint(const unsigned char **p, const unsigned char *end, uint64_t *out)
{
	const unsigned char *q = *p;
	unsigned char c;
	uint64_t v;

	if (q == end)
		return -1;
	c = *q++;
	v = c & 127;
	while (c & 128) {
		if (q == end || (v + 1) >> 56)
			return -1;
		c = *q++;
		v = ((v + 1) << 7) + (c & 127);
	}
	*p = q;
	*out = v;
	return 0;
}

size_t psm_index_put_varint(unsigned char *buf, uint64_t v)
{
	unsigned char tmp[16];
	size_t pos = sizeof(tmp) - 1;

	tmp[pos] = v & 127;
	while (v >>= 7)
		tmp[--pos] = (unsigned char)(128 | (--v & 127));
	memcpy(buf, tmp + pos, sizeof(tmp) - pos);
	return sizeof(tmp) - pos;
}

/*
 * A version 4 entry's name: strip that many bytes off the previous name,
 * add the NUL-terminated rest; the entry ends after the NUL (no padding).
 * Appended to ix->names; *esize is the entry's length.
 */
static int parse_v4_name(struct index *ix, size_t i, size_t pos, size_t hdr, size_t *alloc,
			 size_t *esize)
{
	const unsigned char *e = ix->map + pos, *end = ix->map + ix->size - HASH_SIZE, *p = e + hdr;
	const unsigned char *nul;
	size_t prev = i ? ix->noff[i] - ix->noff[i - 1] - 1 : 0, keep, rest;
	unsigned flen = psm_index_flags(ix, i) & F_NAMEMASK;
	uint64_t strip;

	if (psm_index_get_varint(&p, end, &strip) < 0 || strip > prev ||
	    !(nul = memchr(p, 0, (size_t)(end - p))))
		return psm_index_malformed(ix, "bad name in a version 4 entry");
	keep = prev - (size_t)strip;
	rest = (size_t)(nul - p);
	if (flen != F_NAMEMASK ? flen != keep + rest : keep + rest < F_NAMEMASK)
		return psm_index_malformed(ix, "name length does not match its flags");
	if (ix->noff[i] + keep + rest + 1 > *alloc) {
		size_t grow = 2 * (*alloc + keep + rest + 1);
		char *names = realloc(ix->names, grow);

		if (!names)
			return psm_error(PSM_ENOMEM, "out of memory");
		ix->names = names;
		*alloc = grow;
	}
	if (i) /* the kept prefix is the previous name's start */
		memmove(ix->names + ix->noff[i], ix->names + ix->noff[i - 1], keep);
	memcpy(ix->names + ix->noff[i] + keep, p, rest + 1);
	ix->noff[i + 1] = ix->noff[i] + keep + rest + 1;
	*esize = (size_t)(nul + 1 - e);
	return 0;
}

/*
 * Entries sorted by name, then stage, as git requires (it refuses others);
 * a split index's leading replacements have empty names, in bitmap order.
 */
static int check_order(const struct index *ix, size_t i)
{
	size_t alen, blen;
	const char *a, *b;
	int r;

	a = psm_index_name(ix, i - 1, &alen);
	b = psm_index_name(ix, i, &blen);
	if (!alen && !blen)
		return 0;
	r = memcmp(a, b, alen < blen ? alen : blen);
	if (!r)
		r = alen == blen ? (int)(psm_index_flags(ix, i - 1) & F_STAGE) -
					   (int)(psm_index_flags(ix, i) & F_STAGE)
				 : (alen > blen) - (alen < blen);
	return r < 0 ? 0 : psm_index_malformed(ix, "entries out of order");
}

/*
 * Record each entry's offset, checking it fits, and zero the size of the
 * racily clean ones: with an mtime not older than the index (to the second,
 * the coarsest git compares), a change made in that same tick would look
 * clean once the new index is newer; size 0 makes git re-read the file.
 */
int psm_index_parse(struct index *ix, uint32_t index_sec)
{
	size_t pos = HDR_SIZE, end = ix->size - HASH_SIZE, i;

	size_t alloc = 0;
	int err;

	if (!(ix->off = malloc((ix->count + 1) * sizeof(*ix->off))) ||
	    (ix->version == 4 && !(ix->noff = calloc(ix->count + 1, sizeof(*ix->noff)))))
		return psm_error(PSM_ENOMEM, "out of memory");
	for (i = 0; i < ix->count; i++) {
		unsigned char *e = ix->map + pos;
		size_t hdr = ENTRY_FIXED, len, esize = 0;
		unsigned flags;

		if (end - pos < MIN_ENTRY)
			return psm_index_malformed(ix, "entry runs past the end");
		flags = (unsigned)e[60] << 8 | e[61];
		if (flags & F_EXTENDED) {
			if (ix->version < 3)
				return psm_index_malformed(ix, "extended flags in a version 2 index");
			hdr += 2;
		}
		ix->off[i] = pos;
		if (ix->version == 4) {
			if ((err = parse_v4_name(ix, i, pos, hdr, &alloc, &esize)) < 0)
				return err;
			goto smudge;
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
smudge:
		ix->off[i + 1] = pos + esize; /* where psm_index_name's bound comes from */
		if (i && (err = check_order(ix, i)) < 0)
			return err;
		if (index_sec && get32(e + 8) >= index_sec && get32(e + 36))
			put32(e + 36, 0);
		pos += esize;
	}
	ix->off[ix->count] = pos;
	if (ix->version == 4 && !ix->names && !(ix->names = malloc(1)))
		return psm_error(PSM_ENOMEM, "out of memory"); /* no entries: still version 4 */
	return 0;
}

void psm_index_release(struct index *ix)
{
	if (ix->map)
		munmap(ix->map, ix->size);
	free(ix->off);
	free(ix->names);
	free(ix->noff);
	ix->map = NULL;
	ix->off = ix->noff = NULL;
	ix->off32 = NULL;
	ix->names = NULL;
}

static int cmp_name(const char *a, size_t alen, const char *b, size_t blen)
{
	int r = memcmp(a, b, alen < blen ? alen : blen);

	return r ? r : (alen > blen) - (alen < blen);
}

size_t psm_index_lower_bound(const struct index *ix, const char *key, size_t klen)
{
	size_t lo = 0, hi = ix->count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2, len;
		const char *name = psm_index_name(ix, mid, &len);

		if (cmp_name(name, len, key, klen) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int psm_index_has(const struct index *ix, const char *key, size_t klen)
{
	size_t i = psm_index_lower_bound(ix, key, klen), len;
	const char *name;

	if (i == ix->count)
		return 0;
	name = psm_index_name(ix, i, &len);
	return len == klen && !memcmp(name, key, klen);
}

int psm_index_df_clash(const struct index *ix, const char *path, struct strbuf *key)
{
	const char *slash, *name;
	size_t under, len;

	for (slash = strchr(path, '/'); slash; slash = strchr(slash + 1, '/'))
		if (psm_index_has(ix, path, (size_t)(slash - path)))
			return 1;
	strbuf_reset(key);
	if (strbuf_addstr(key, path) < 0 || strbuf_addch(key, '/') < 0)
		return psm_error(PSM_ENOMEM, "out of memory");
	under = psm_index_lower_bound(ix, key->buf, key->len);
	if (under == ix->count)
		return 0;
	name = psm_index_name(ix, under, &len);
	return len >= key->len && !memcmp(name, key->buf, key->len);
}

int psm_index_map(struct index *ix, int fd, const struct stat *st)
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
	if (ix->version < 2 || ix->version > 4)
		return psm_index_malformed(ix, "unknown version");
	if (ix->count > (ix->size - HDR_SIZE - HASH_SIZE) / MIN_ENTRY)
		return psm_index_malformed(ix, "more entries than fit");
	return 0;
}
