#ifndef PSM_GITINDEX_INT_H
#define PSM_GITINDEX_INT_H
/* Shared by gitindex.c and gitindex-ext.c; not part of libpsm's API. */
#include <stdint.h>
#include <sys/stat.h>
#include <sys/uio.h>

#include "gitindex.h"
#include "strbuf.h"

#define HDR_SIZE 12
#define HASH_SIZE 20
#define ENTRY_FIXED 62 /* stat data, oid and flags: what precedes the name */
#define MIN_ENTRY 64   /* ENTRY_FIXED, an empty name, padding */
#define F_ASSUME 0x8000
#define F_EXTENDED 0x4000
#define F_STAGE 0x3000
#define F_NAMEMASK 0x0fff

/* The index file as read: a private mapping and where its entries start. */
struct index {
	const char *path;
	unsigned char *map; /* copy-on-write: smudging never reaches the file */
	size_t size;
	uint32_t version;
	size_t count;
	size_t *off;        /* count + 1 entry offsets; the last is where entries end */
	/* Instead of off, a shared index's offsets as its cache holds them
	 * (gitindex-shared.c): count + 1, 32 bits big-endian, checked entry by
	 * entry as they are used; bad is set when one does not fit its entry. */
	const unsigned char *off32;
	int bad;
	/* Version 4 compresses each name against the one before: the full names,
	 * each followed by a NUL, and where entry i's starts (count + 1). */
	char *names;
	size_t *noff;
};

/* The new file as pieces, mostly pointing into the map: one writev. */
struct out {
	struct iovec *v;
	size_t n, alloc;
};

static inline uint32_t get32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline void put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

/* Bytes before an entry's name: stat data, oid, flags (and extended flags). */
static inline size_t entry_hdr(const unsigned char *e)
{
	return ENTRY_FIXED + (((unsigned)e[60] << 8 | e[61]) & F_EXTENDED ? 2 : 0);
}

/* Entry i's offset, from off or off32 (unchecked: see psm_index_entry). */
static inline size_t ix_off(const struct index *ix, size_t i)
{
	return ix->off ? ix->off[i] : get32(ix->off32 + 4 * i);
}

int psm_index_malformed(const struct index *ix, const char *what);
/*
 * Entry i and its length in bytes. With off32, NULL (and ix->bad set) when
 * the offsets do not fit the entry there; the caller's answer is then void.
 */
const unsigned char *psm_index_entry(const struct index *ix, size_t i, size_t *esize);
/* Map fd (the file ix->path, stat st) and check its header: 0,
 * PSM_INDEX_UNSUPPORTED (empty, or version 4) or an error. */
int psm_index_map(struct index *ix, int fd, const struct stat *st);
/* Record each entry's offset; with index_sec, smudge the racily clean ones. */
int psm_index_parse(struct index *ix, uint32_t index_sec);
/* Unmap and free what map and parse made; ix can be mapped again. */
void psm_index_release(struct index *ix);
/* Bytes before entry i's name: stat data, oid, flags (and extended flags). */
size_t psm_index_hdr(const struct index *ix, size_t i);
/* git's varint (varint.c), as version 4 stores how much of a name to strip. */
int psm_index_get_varint(const unsigned char **p, const unsigned char *end, uint64_t *out);
size_t psm_index_put_varint(unsigned char *buf, uint64_t v);
unsigned psm_index_flags(const struct index *ix, size_t i);
const char *psm_index_name(const struct index *ix, size_t i, size_t *len);
int psm_index_has(const struct index *ix, const char *key, size_t klen);
/* The first entry whose name does not sort before key. */
size_t psm_index_lower_bound(const struct index *ix, const char *key, size_t klen);
/*
 * Is there an entry named path's leading directories, or under path + '/'?
 * (git would have to remove one for the other.) key is scratch space.
 */
int psm_index_df_clash(const struct index *ix, const char *path, struct strbuf *key);
/* Append a piece (none if empty); the memory must outlive the write. */
int psm_index_push(struct out *o, const void *base, size_t len);
/*
 * The extensions after the entries: REUC kept, TREE rewritten into tree
 * with the changed paths' directories invalidated, other optional ones
 * dropped; PSM_INDEX_UNSUPPORTED for a mandatory one.
 */
int psm_index_extensions(struct out *o, struct strbuf *tree, const struct index *ix,
			 const struct psm_index_change *c, size_t n, const struct strbuf *link);
/* The extension sig's payload, or NULL; 0, or an error for a bad layout. */
int psm_index_find_ext(const unsigned char **data, size_t *len, const struct index *ix,
		       const char *sig);
/* Hash the pieces, add the hash (stored in hash), write them all to path. */
int psm_index_write(const char *path, struct out *o, unsigned char *hash);

/*
 * A split index (core.splitIndex): the index file is a small front whose
 * "link" extension names a shared index ($GIT_DIR/sharedindex.<hash>) and
 * carries two EWAH bitmaps of its positions, deleted and replaced. The
 * front's entries are first the replacements (empty names, in position
 * order), then added entries, sorted; git applies those last, an added
 * entry replacing a shared one of the same name and stage.
 */
struct split {
	struct index base;      /* the shared index */
	struct strbuf path;     /* its file */
	struct strbuf cache_path; /* the offsets cache (gitindex-shared.c) */
	unsigned char *cache;   /* the offsets cache, mapped (base.off32 points in) */
	size_t cache_len;
	uint32_t *del, *rep;    /* base positions deleted, replaced: ascending */
	size_t ndel, nrep;
	unsigned char *gone;    /* rep[i]'s replacement dropped (it is deleted now) */
	uint32_t max_mtime;     /* the newest base entry's mtime, in seconds */
	int changed;            /* del or rep changed: the link is rewritten */
};

/*
 * Open the shared index the link extension (payload link[0..len)) names;
 * its offsets from the cache unless use_cache is 0.
 */
int psm_split_open(struct split *sp, const struct index *front, const unsigned char *link,
		   size_t len, int use_cache);
void psm_split_close(struct split *sp);
/*
 * sp->base's entry offsets and max_mtime, from the cache in gitdir's psm/
 * (gitindex-shared.c, unless use_cache is 0) or by walking the entries,
 * then cached. psm_split_drop_cache removes the cache, found bad in use.
 */
int psm_split_offsets(struct split *sp, const char *gitdir, const char *hex, int use_cache);
void psm_split_drop_cache(const struct split *sp);
/* Is base entry i in effect (neither deleted nor replaced)? */
int psm_split_live(const struct split *sp, size_t i);
/*
 * path's base entry in effect (not deleted): *found, or SIZE_MAX.
 * PSM_INDEX_UNSUPPORTED when it, or its replacement, is conflicted or
 * flagged.
 */
int psm_split_find(const struct split *sp, const struct index *front, const char *path,
		   size_t *found);
/*
 * Take base entry found out (delete bit). *drop: the front position of
 * its replacement, which must go too, or SIZE_MAX.
 */
int psm_split_remove(struct split *sp, size_t found, size_t *drop);
/* The link extension to write (signature, size, payload), into out. */
int psm_split_link(struct strbuf *out, const struct split *sp, const unsigned char *link,
		   size_t len);
/*
 * Write the pieces o (a header and entries) as a new shared index beside
 * the index at index_path, and into link the link extension naming it,
 * with empty bitmaps: the front of a freshly split index has no entries.
 */
int psm_split_create(struct strbuf *link, struct out *o, const char *index_path);
/* Mark the shared index used now, as git does, so git's expiry keeps it. */
void psm_split_freshen(const struct split *sp);

/*
 * git's EWAH bitmap serialisation (ewah/ewah_io.c): read the set bits of
 * the one at p into a new ascending array (every bit < limit); *used is
 * its length in bytes. Write one from ascending positions.
 */
int psm_ewah_read(uint32_t **pos, size_t *n, size_t *used, const unsigned char *p,
		  size_t len, size_t limit);
int psm_ewah_write(struct strbuf *out, const uint32_t *pos, size_t n);

#endif
