/*
 * The index patch (lib/gitindex*.c): the input is an index file, then
 * optionally "\n=====\n" and the shared index its link extension names.
 * Properties: the patch answers with one of its documented codes; a patched
 * index parses again, holds the paths added and not the one removed; a
 * second patch, which reads the shared index's offsets from the cache the
 * first one wrote, writes the same bytes, and so does a third with one
 * byte of that cache damaged; a one-file index split writes the plain
 * patch's entries as the shared index.
 */
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "fsutil.h"
#include "fuzz.h"
#include "gitindex-int.h"
#include "strbuf.h"

static const char index_sep[] = "\n=====\n";

static struct strbuf fuzz_dir = STRBUF_INIT;

static void put_file(const char *dir, const char *name, const void *data, size_t len)
{
	struct strbuf path = STRBUF_INIT;

	strbuf_addf(&path, "%s/%s", dir, name);
	unlink(path.buf);
	psm_write_file_atomic_nosync(path.buf, data, len);
	strbuf_release(&path);
}

static void drop_file(const char *dir, const char *name)
{
	struct strbuf path = STRBUF_INIT;

	strbuf_addf(&path, "%s/%s", dir, name);
	unlink(path.buf);
	strbuf_release(&path);
}

/* The hex of the shared index the front's link extension names, or "". */
static void link_hex(char *hex, const char *index_path)
{
	struct index ix = { .path = index_path };
	const unsigned char *link = NULL;
	size_t len = 0, i;
	struct stat st;
	int fd = open(index_path, O_RDONLY);

	hex[0] = 0;
	if (fd < 0)
		return;
	if (!fstat(fd, &st) && !psm_index_map(&ix, fd, &st) && !psm_index_parse(&ix, 0) &&
	    !psm_index_find_ext(&link, &len, &ix, "link") && link && len >= 20)
		for (i = 0; i < 20; i++)
			snprintf(hex + 2 * i, 3, "%02x", link[i]);
	close(fd);
	psm_index_release(&ix);
}

/* Does the index at path hold an entry named name (front entries only)? */
static int holds(const char *path, const char *name)
{
	struct index ix = { .path = path };
	struct stat st;
	int fd = open(path, O_RDONLY), found = -1;

	if (fd < 0)
		return -1;
	if (!fstat(fd, &st) && !psm_index_map(&ix, fd, &st) && !psm_index_parse(&ix, 0))
		found = psm_index_has(&ix, name, strlen(name));
	close(fd);
	psm_index_release(&ix);
	return found;
}

/*
 * Split the one-file index in: the shared index is the plain patch's
 * result (first) up to its extensions, under its own hash, and the front
 * holds no entries, only the link to it.
 */
static void check_split(const struct strbuf *in, const struct strbuf *out,
			const struct psm_index_change *c, const struct strbuf *first)
{
	struct psm_index_opts opts = { NULL, 1, 0 };
	struct strbuf shared = STRBUF_INIT, body = STRBUF_INIT, front = STRBUF_INIT;
	char hex[41];
	int r;

	unlink(out->buf);
	r = psm_index_patch(in->buf, out->buf, c, 3, &opts);
	FUZZ_ASSERT(r == 0 && opts.split_done);
	FUZZ_ASSERT(strbuf_read_file(&front, out->buf, 0) >= 0 && front.len > 12 &&
		    !memcmp(front.buf + 8, "\0\0\0\0", 4));
	link_hex(hex, out->buf);
	FUZZ_ASSERT(hex[0]);
	strbuf_addf(&shared, "%s/sharedindex.%s", fuzz_dir.buf, hex);
	FUZZ_ASSERT(strbuf_read_file(&body, shared.buf, 0) >= 0 && body.len > HASH_SIZE);
	FUZZ_ASSERT(first->len >= body.len && !memcmp(first->buf, body.buf, body.len - HASH_SIZE));
	unlink(shared.buf);
	strbuf_release(&shared);
	strbuf_release(&body);
	strbuf_release(&front);
}

/*
 * The offsets cache the first patch wrote, one byte of it damaged (where
 * and how, from the input): the patch still writes the same bytes, as a
 * damaged header is ignored and a damaged offset voids the cached run.
 */
static void check_damaged_cache(const struct strbuf *in, const struct strbuf *out,
				const struct psm_index_change *c, const struct strbuf *first,
				const char *hex, const uint8_t *data, size_t size)
{
	struct strbuf path = STRBUF_INIT, cache = STRBUF_INIT, again = STRBUF_INIT;
	size_t at;
	int r;

	strbuf_addf(&path, "%s/psm/shared-%s.off", fuzz_dir.buf, hex);
	if (strbuf_read_file(&cache, path.buf, 0) < 0 || !cache.len)
		goto done; /* version 4: no cache */
	at = (size * 2654435761u) % cache.len;
	cache.buf[at] ^= (char)(data[size / 2] | 1);
	psm_write_file_atomic_nosync(path.buf, cache.buf, cache.len);
	unlink(out->buf);
	r = psm_index_patch(in->buf, out->buf, c, 3, NULL);
	strbuf_read_file(&again, out->buf, 0);
	FUZZ_ASSERT(r == 0 && again.len == first->len && !memcmp(again.buf, first->buf, first->len));
done:
	strbuf_release(&path);
	strbuf_release(&cache);
	strbuf_release(&again);
}

int psm_fuzz_index(const uint8_t *data, size_t size)
{
	struct psm_index_change c[3];
	struct strbuf in = STRBUF_INIT, out = STRBUF_INIT, first = STRBUF_INIT,
		      again = STRBUF_INIT, name = STRBUF_INIT;
	const char *s = (const char *)data, *end = s + size, *hit = s;
	char hex[41];
	size_t k;
	int r, r2;

	if (!fuzz_dir.len) {
		strbuf_addstr(&fuzz_dir, "/tmp/psm-fuzz-index.XXXXXX");
		if (!mkdtemp(fuzz_dir.buf))
			abort();
		strbuf_addstr(&name, fuzz_dir.buf);
		strbuf_addstr(&name, "/psm"); /* so the offsets cache is written and read */
		mkdir(name.buf, 0777);
		strbuf_reset(&name);
	}
	while (hit + sizeof(index_sep) - 1 <= end && memcmp(hit, index_sep, sizeof(index_sep) - 1))
		hit++;
	if (hit + sizeof(index_sep) - 1 > end)
		hit = end;
	put_file(fuzz_dir.buf, "index", s, (size_t)(hit - s));
	strbuf_addf(&in, "%s/index", fuzz_dir.buf);
	strbuf_addf(&out, "%s/index.out", fuzz_dir.buf);
	link_hex(hex, in.buf);
	if (hex[0] && hit < end) {
		strbuf_addf(&name, "sharedindex.%s", hex);
		put_file(fuzz_dir.buf, name.buf, hit + sizeof(index_sep) - 1,
			 (size_t)(end - hit) - (sizeof(index_sep) - 1));
	}
	for (k = 0; k < 3; k++) {
		memset(&c[k], 0, sizeof(c[k]));
		c[k].path = k == 0 ? "a" : k == 1 ? "b/c" : "zz";
		c[k].exists = k != 1;
		memset(c[k].oid, 0xab, sizeof(c[k].oid));
		c[k].st.st_size = 42;
	}
	unlink(out.buf);
	r = psm_index_patch(in.buf, out.buf, c, 3, NULL);
	FUZZ_ASSERT(r == 0 || r == PSM_INDEX_UNSUPPORTED || r == PSM_EPARSE || r == PSM_ERROR ||
		    r == PSM_ENOMEM);
	if (r == 0) {
		FUZZ_ASSERT(holds(out.buf, "a") == 1 && holds(out.buf, "zz") == 1 &&
			    holds(out.buf, "b/c") == 0);
		strbuf_read_file(&first, out.buf, 0);
		unlink(out.buf);
		r2 = psm_index_patch(in.buf, out.buf, c, 3, NULL);
		strbuf_read_file(&again, out.buf, 0);
		FUZZ_ASSERT(r2 == 0 && first.len == again.len &&
			    !memcmp(first.buf, again.buf, first.len));
		if (hex[0])
			check_damaged_cache(&in, &out, c, &first, hex, data, size);
		else
			check_split(&in, &out, c, &first);
	}
	/* the next input starts with no shared index and no cache */
	if (hex[0]) {
		drop_file(fuzz_dir.buf, name.buf);
		strbuf_reset(&name);
		strbuf_addf(&name, "psm/shared-%s.off", hex);
		drop_file(fuzz_dir.buf, name.buf);
	}
	strbuf_release(&in);
	strbuf_release(&out);
	strbuf_release(&first);
	strbuf_release(&again);
	strbuf_release(&name);
	psm_error_clear();
	return 0;
}

#ifndef PSM_FUZZ_NO_MAIN
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return psm_fuzz_index(data, size);
}
#endif
