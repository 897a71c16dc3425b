#ifndef PSM_INDEX_BUILD_H
#define PSM_INDEX_BUILD_H
/*
 * git index files built byte by byte, for the index patch's unit tests:
 * header, entries, extensions, then index_finish for the checksum.
 */
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsutil.h"
#include "gitindex.h"
#include "strbuf.h"

static inline void be32(struct strbuf *sb, uint32_t v)
{
	unsigned char b[4] = { (unsigned char)(v >> 24), (unsigned char)(v >> 16),
			       (unsigned char)(v >> 8), (unsigned char)v };

	strbuf_add(sb, b, 4);
}

static inline void header(struct strbuf *sb, uint32_t version, uint32_t count)
{
	strbuf_reset(sb);
	strbuf_add(sb, "DIRC", 4);
	be32(sb, version);
	be32(sb, count);
}

/*
 * One entry: flags carries the stage and flag bits (the name length is
 * added here), xflags > 0 makes it an extended (v3) entry. The blob id is
 * the name's first byte repeated.
 */
static inline void entry(struct strbuf *sb, const char *name, unsigned flags, unsigned xflags,
		  uint32_t mtime, uint32_t size)
{
	size_t len = strlen(name), start = sb->len, fixed = xflags ? 64 : 62;
	unsigned char oid[20], f[4];
	int i;

	for (i = 0; i < 10; i++)
		be32(sb, i == 2 ? mtime : i == 6 ? 0100644 : i == 9 ? size : 7);
	memset(oid, name[0], sizeof(oid));
	strbuf_add(sb, oid, sizeof(oid));
	flags |= (len < 0xfff ? len : 0xfff) | (xflags ? 0x4000 : 0);
	f[0] = (unsigned char)(flags >> 8);
	f[1] = (unsigned char)flags;
	f[2] = (unsigned char)(xflags >> 8);
	f[3] = (unsigned char)xflags;
	strbuf_add(sb, f, xflags ? 4 : 2);
	strbuf_addstr(sb, name);
	strbuf_addchars(sb, 0, ((fixed + len + 8) & ~(size_t)7) - (sb->len - start));
}

static inline void ext(struct strbuf *sb, const char *sig, const void *data, size_t len)
{
	strbuf_add(sb, sig, 4);
	be32(sb, (uint32_t)len);
	strbuf_add(sb, data, len);
}

/* Append the trailing SHA-1 and write the file (mtime 1000000, far past). */
static inline int index_finish(struct strbuf *sb, const char *path)
{
	unsigned char md[20];
	struct timespec ts[2] = { { 1000000, 0 }, { 1000000, 0 } };

	EVP_Digest(sb->buf, sb->len, md, NULL, EVP_sha1(), NULL);
	strbuf_add(sb, md, sizeof(md));
	unlink(path);
	if (psm_write_file_atomic_nosync(path, sb->buf, sb->len) < 0 ||
	    utimensat(AT_FDCWD, path, ts, 0) < 0)
		return -1;
	return 0;
}

/* One change as a psm commit makes it: blob 0xab..., 42 bytes, the given mtime. */
static inline struct psm_index_change index_change(const char *path, int exists, long mtime)
{
	struct psm_index_change c;

	memset(&c, 0, sizeof(c));
	c.path = path;
	c.exists = exists;
	memset(c.oid, 0xab, sizeof(c.oid));
	c.st.st_mode = S_IFREG | 0644;
	c.st.st_size = 42;
	c.st.st_mtim.tv_sec = mtime;
	return c;
}

/* Patch the index at in with that one change into a fresh out. */
static inline int index_patch1(const char *in, const char *out, const char *path, int exists,
			       long mtime)
{
	struct psm_index_change c = index_change(path, exists, mtime);

	unlink(out);
	return psm_index_patch(in, out, &c, 1, NULL);
}

#endif
