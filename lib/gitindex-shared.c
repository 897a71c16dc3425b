/*
 * The shared index's entry offsets and newest mtime, cached in psm's own
 * directory as <gitdir>/psm/shared-<hash>.off. A shared index never changes
 * under its name, so with the cache a commit in a split index maps the
 * cache and reads only the offsets its lookups need (a binary search: a
 * few dozen), instead of walking the whole file; without it (first use of
 * a shared index, or a cache that does not fit) psm walks the entries and
 * writes the cache. The cache is derived: deleting it costs one walk.
 *
 * Layout, big-endian: "PSMOFF2\n", entry count (32 bits), the newest entry
 * mtime in seconds (32), the shared index's size (64), a check value (32)
 * over those header words, so a damaged header that still looks plausible
 * is not believed, then count + 1 offsets (32 each), the last where the
 * entries end. Each offset is checked against its entry when used
 * (psm_index_entry); one that does not fit voids the patch, which drops
 * the cache and starts again without it.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "fsutil.h"
#include "gitindex-int.h"

#define MAGIC "PSMOFF2\n"
#define CACHE_HDR 28 /* magic, count, newest mtime, size, check value */

/* Not cryptographic: catches a damaged header. */
static uint32_t mix(uint32_t h, uint32_t v)
{
	h = (h ^ v) * 0x9e3779b1u;
	return h ^ h >> 15;
}

static uint32_t check_value(const unsigned char *p, size_t words)
{
	uint32_t h = 0x7053u;
	size_t i;

	for (i = 0; i < words; i++)
		h = mix(h, get32(p + 4 * i));
	return h;
}

static uint32_t newest_mtime(const struct index *ix)
{
	uint32_t max = 0, t;
	size_t i;

	for (i = 0; i < ix->count; i++)
		if ((t = get32(ix->map + ix->off[i] + 8)) > max)
			max = t;
	return max;
}

/*
 * 0 with the cache mapped and sp->base.off32 pointing into it, or -1 when
 * it is not there or its header does not fit the shared index.
 */
static int load(struct split *sp, const char *path)
{
	size_t count = sp->base.count;
	const unsigned char *p;
	struct stat st;
	void *map;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0 || (uint64_t)st.st_size != CACHE_HDR + 4 * ((uint64_t)count + 1) ||
	    (map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0)) == MAP_FAILED) {
		close(fd);
		return -1;
	}
	close(fd);
	p = map;
	if (memcmp(p, MAGIC, 8) || get32(p + 8) != count ||
	    ((uint64_t)get32(p + 16) << 32 | get32(p + 20)) != sp->base.size ||
	    check_value(p, 6) != get32(p + 24) || get32(p + CACHE_HDR) != HDR_SIZE ||
	    get32(p + CACHE_HDR + 4 * count) > sp->base.size - HASH_SIZE) {
		munmap(map, (size_t)st.st_size);
		return -1;
	}
	sp->cache = map;
	sp->cache_len = (size_t)st.st_size;
	sp->max_mtime = get32(p + 12);
	sp->base.off32 = p + CACHE_HDR;
	return 0;
}

/* Write the cache, and drop the ones of shared indexes since replaced. */
static void save(const struct split *sp, const char *path, const char *dir)
{
	struct strbuf out = STRBUF_INIT, old = STRBUF_INIT;
	unsigned char b[4];
	struct dirent *d;
	DIR *dh;
	size_t i;

	strbuf_add(&out, MAGIC, 8);
	put32(b, (uint32_t)sp->base.count);
	strbuf_add(&out, b, 4);
	put32(b, sp->max_mtime);
	strbuf_add(&out, b, 4);
	put32(b, (uint32_t)((uint64_t)sp->base.size >> 32));
	strbuf_add(&out, b, 4);
	put32(b, (uint32_t)sp->base.size);
	strbuf_add(&out, b, 4);
	if (!out.oom)
		put32(b, check_value((const unsigned char *)out.buf, 6));
	strbuf_add(&out, b, 4);
	for (i = 0; i <= sp->base.count; i++) {
		put32(b, (uint32_t)sp->base.off[i]);
		strbuf_add(&out, b, 4);
	}
	if (out.oom || sp->base.size > UINT32_MAX ||
	    psm_write_file_atomic_nosync(path, out.buf, out.len) < 0)
		goto done;
	if (!(dh = opendir(dir)))
		goto done;
	while ((d = readdir(dh))) {
		size_t len = strlen(d->d_name);

		if (strncmp(d->d_name, "shared-", 7) || len < 11 || strcmp(d->d_name + len - 4, ".off"))
			continue;
		strbuf_reset(&old);
		strbuf_addf(&old, "%s%s", dir, d->d_name);
		if (!old.oom && strcmp(old.buf, path))
			unlink(old.buf);
	}
	closedir(dh);
done:
	strbuf_release(&out);
	strbuf_release(&old);
}

int psm_split_offsets(struct split *sp, const char *gitdir, const char *hex, int use_cache)
{
	struct strbuf dir = STRBUF_INIT, *path = &sp->cache_path;
	struct stat st;
	int err = 0;

	strbuf_addf(&dir, "%spsm/", gitdir);
	strbuf_reset(path);
	strbuf_addf(path, "%sshared-%s.off", dir.buf, hex);
	if (dir.oom || path->oom) {
		err = psm_error(PSM_ENOMEM, "out of memory");
		goto cleanup;
	}
	/* version 4's names need every entry before them: no shortcut there */
	if (use_cache && sp->base.version != 4 && !load(sp, path->buf))
		goto cleanup;
	if ((err = psm_index_parse(&sp->base, 0)) < 0)
		goto cleanup;
	sp->max_mtime = newest_mtime(&sp->base);
	/* only in a psm store's git directory (not, say, a unit test's) */
	if (sp->base.version != 4 && !stat(dir.buf, &st) && S_ISDIR(st.st_mode))
		save(sp, path->buf, dir.buf);
cleanup:
	strbuf_release(&dir);
	return err;
}

void psm_split_drop_cache(const struct split *sp)
{
	if (sp->cache_path.len)
		unlink(sp->cache_path.buf);
}
