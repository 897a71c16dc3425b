#ifndef PSM_GITINDEX_INT_H
#define PSM_GITINDEX_INT_H
/* Shared by gitindex.c and gitindex-ext.c; not part of libpsm's API. */
#include <stdint.h>
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

int psm_index_malformed(const struct index *ix, const char *what);
/* Append a piece (none if empty); the memory must outlive the write. */
int psm_index_push(struct out *o, const void *base, size_t len);
/*
 * The extensions after the entries: REUC kept, TREE rewritten into tree
 * with the changed paths' directories invalidated, other optional ones
 * dropped; PSM_INDEX_UNSUPPORTED for a mandatory one.
 */
int psm_index_extensions(struct out *o, struct strbuf *tree, const struct index *ix,
			 const struct psm_index_change *c, size_t n);
/* Hash the pieces, add the hash (stored in hash), write them all to path. */
int psm_index_write(const char *path, struct out *o, unsigned char *hash);

#endif
