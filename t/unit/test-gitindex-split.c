/*
 * Unit tests for the split index in the index patch (lib/gitindex-split.c),
 * TAP on stdout: git's EWAH bitmaps against hand-made vectors and round
 * trips, then front and shared index files built byte by byte, patched,
 * and the front read back here. t0011 checks the same against git itself.
 */
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
#include "index-build.h"
#include "strbuf.h"
#include "tap.h"

static struct strbuf dir = STRBUF_INIT, front_path = STRBUF_INIT, shared_path = STRBUF_INIT,
		     out_path = STRBUF_INIT;
static const unsigned char link_oid[20] = { 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11,
					    0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11,
					    0x11, 0x11, 0x11, 0x11, 0x11, 0x11 };

static int hex_is(const struct strbuf *sb, const char *hex)
{
	struct strbuf h = STRBUF_INIT;
	size_t i;
	int same;

	for (i = 0; i < sb->len; i++)
		strbuf_addf(&h, "%02x", (unsigned char)sb->buf[i]);
	same = !strcmp(h.buf, hex);
	if (!same)
		printf("# got %s\n", h.buf);
	strbuf_release(&h);
	return same;
}

static int write_read(const uint32_t *pos, size_t n)
{
	struct strbuf sb = STRBUF_INIT;
	uint32_t *back = NULL;
	size_t nback = 0, used = 0;
	int same;

	same = !psm_ewah_write(&sb, pos, n) &&
	       !psm_ewah_read(&back, &nback, &used, (unsigned char *)sb.buf, sb.len, 1u << 20) &&
	       used == sb.len && nback == n && (!n || !memcmp(back, pos, n * sizeof(*pos)));
	free(back);
	strbuf_release(&sb);
	return same;
}

static int read_err(const char *bytes, size_t len, size_t limit)
{
	uint32_t *pos = NULL;
	size_t n = 0, used = 0;
	int r = psm_ewah_read(&pos, &n, &used, (const unsigned char *)bytes, len, limit);

	free(pos);
	return r == PSM_EPARSE && !pos;
}

static void test_ewah(void)
{
	static const uint32_t three[] = { 0, 2, 64 }, far[] = { 200 };
	/* one run of two words of ones, then a literal word with bit 0 set */
	static const char ones[] = "\0\0\0\x81" "\0\0\0\x02"
				   "\0\0\0\x02\0\0\0\x05" "\0\0\0\0\0\0\0\x01" "\0\0\0\0";
	struct strbuf sb = STRBUF_INIT;
	uint32_t set[300], *pos = NULL;
	size_t n = 0, used = 0, i, k;
	int all = 1;

	psm_ewah_write(&sb, NULL, 0);
	ok(hex_is(&sb, "00000000" "00000001" "0000000000000000" "00000000"),
	   "an empty bitmap, as git writes it");
	strbuf_reset(&sb);
	psm_ewah_write(&sb, three, 3);
	ok(hex_is(&sb, "00000041" "00000003" "0000000400000000" "0000000000000005"
		       "0000000000000001" "00000000"),
	   "bits 0, 2, 64: one run-length word, two literal words");
	strbuf_reset(&sb);
	psm_ewah_write(&sb, far, 1);
	ok(hex_is(&sb, "000000c9" "00000002" "0000000200000006" "0000000000000100" "00000000"),
	   "bit 200: a run of three zero words first");
	ok(!psm_ewah_read(&pos, &n, &used, (const unsigned char *)ones, sizeof(ones) - 1, 1000) &&
	   n == 129 && pos[0] == 0 && pos[127] == 127 && pos[128] == 128 && used == 28,
	   "a run of ones is read as its bits");
	free(pos);
	srand(11);
	for (i = 0; i < 300 && all; i++) {
		uint32_t bit = 0;

		n = (size_t)rand() % 300;
		for (k = 0; k < n; k++) {
			bit += 1 + (uint32_t)(rand() % (i % 3 ? 9 : 700));
			set[k] = bit;
		}
		all = write_read(set, n);
	}
	ok(all, "300 random bitmaps: written and read back the same");
	ok(read_err("\0\0\0\1", 4, 10), "truncated bitmap: error");
	ok(read_err("\0\0\0\1\0\0\0\x09" "\0\0\0\0\0\0\0\0" "\0\0\0\0", 20, 10),
	   "word count past the end: error");
	ok(read_err("\0\0\0\1\0\0\0\x01" "\0\0\0\x02\0\0\0\0" "\0\0\0\0", 20, 10),
	   "literal words past the end: error");
	ok(read_err("\0\0\0\x41\0\0\0\x03" "\0\0\0\x04\0\0\0\0" "\0\0\0\0\0\0\0\x05"
		    "\0\0\0\0\0\0\0\x01" "\0\0\0\0", 36, 64),
	   "a bit past the shared index: error");
	ok(read_err("\xff\xff\xff\xff\0\0\0\x01" "\0\0\0\x01\xff\xff\xff\xff" "\0\0\0\0", 20, 100),
	   "a 2^38-bit run of ones: error, not a long loop");
	strbuf_release(&sb);
}

/*
 * The shared index: a, b/c, d, x/y (positions 0-3); entry d's mtime is
 * given (racy when not older than the front's 1000000).
 */
static struct strbuf cache_path = STRBUF_INIT;

static void shared(uint32_t d_mtime, unsigned x_flags)
{
	struct strbuf sb = STRBUF_INIT;

	/* a real shared index never changes under its name; these do */
	unlink(cache_path.buf);

	header(&sb, 2, 4);
	entry(&sb, "a", 0, 0, 5, 10);
	entry(&sb, "b/c", 0, 0, 5, 10);
	entry(&sb, "d", 0, 0, d_mtime, 10);
	entry(&sb, "x/y", x_flags, 0, 5, 10);
	if (index_finish(&sb, shared_path.buf) < 0)
		exit(1);
	strbuf_release(&sb);
}

/* The front: nrep nameless replacements, then the added names, then link. */
static void front(const uint32_t *del, size_t ndel, const uint32_t *rep, size_t nrep,
		  const char *const *added, size_t nadded)
{
	struct strbuf sb = STRBUF_INIT, link = STRBUF_INIT;
	size_t i;

	header(&sb, 2, (uint32_t)(nrep + nadded));
	for (i = 0; i < nrep; i++)
		entry(&sb, "", 0, 0, 5, 20 + (uint32_t)i);
	for (i = 0; i < nadded; i++)
		entry(&sb, added[i], 0, 0, 5, 10);
	strbuf_add(&link, link_oid, sizeof(link_oid));
	psm_ewah_write(&link, del, ndel);
	psm_ewah_write(&link, rep, nrep);
	ext(&sb, "link", link.buf, link.len);
	if (index_finish(&sb, front_path.buf) < 0)
		exit(1);
	strbuf_release(&sb);
	strbuf_release(&link);
}

/*
 * The patched front, read back: its entries as "name/size" (an empty name
 * for a replacement) joined by spaces, and its bitmaps as "del=... rep=...".
 */
static int result(struct strbuf *ents, struct strbuf *maps)
{
	struct index ix = { .path = out_path.buf };
	const unsigned char *link;
	size_t i, len, used, ndel = 0, nrep = 0;
	uint32_t *del = NULL, *rep = NULL;
	struct stat st;
	int fd = open(out_path.buf, O_RDONLY), err;

	strbuf_reset(ents);
	strbuf_reset(maps);
	if (fd < 0)
		return -1;
	err = fstat(fd, &st) < 0 || psm_index_map(&ix, fd, &st) || psm_index_parse(&ix, 0) ||
	      psm_index_find_ext(&link, &len, &ix, "link") || !link ||
	      memcmp(link, link_oid, 20);
	close(fd);
	for (i = 0; !err && i < ix.count; i++) {
		const char *name = psm_index_name(&ix, i, &used);

		strbuf_addf(ents, "%s%.*s/%u", i ? " " : "", (int)used, name,
			    get32(ix.map + ix.off[i] + 36));
	}
	if (!err && len > 20) {
		err = psm_ewah_read(&del, &ndel, &used, link + 20, len - 20, 4) ||
		      psm_ewah_read(&rep, &nrep, &used, link + 20 + used, len - 20 - used, 4);
		strbuf_addstr(maps, "del=");
		for (i = 0; i < ndel; i++)
			strbuf_addf(maps, "%s%u", i ? "," : "", del[i]);
		strbuf_addstr(maps, " rep=");
		for (i = 0; i < nrep; i++)
			strbuf_addf(maps, "%s%u", i ? "," : "", rep[i]);
	}
	free(del);
	free(rep);
	if (ix.map)
		munmap(ix.map, ix.size);
	free(ix.off);
	return err ? -1 : 0;
}

static int patch(const char *path, int exists)
{
	return index_patch1(front_path.buf, out_path.buf, path, exists, 500);
}

/* Patch one change and compare the front read back; NULL maps: not rewritten. */
static int patched(const char *path, int exists, const char *ents, const char *maps)
{
	struct strbuf e = STRBUF_INIT, m = STRBUF_INIT;
	int r = patch(path, exists), same;

	same = !r && !result(&e, &m) && !strcmp(e.buf, ents) && !strcmp(m.buf, maps);
	if (!same)
		printf("# r=%d entries '%s' maps '%s'\n", r, e.buf, m.buf);
	strbuf_release(&e);
	strbuf_release(&m);
	return same;
}

static void test_patch(void)
{
	static const uint32_t d3[] = { 3 }, r1[] = { 1 }, r12[] = { 1, 2 };
	static const char *const added_e[] = { "e" }, *const added_d[] = { "d" };

	shared(5, 0);
	front(NULL, 0, NULL, 0, NULL, 0);
	ok(patched("new", 1, "new/42", "del= rep="), "an added path goes into the front alone");
	ok(patched("a", 1, "a/42", "del= rep="),
	   "a changed shared path: an added entry of that name, which git applies last");
	ok(patched("d", 0, "", "del=2 rep="), "a removed shared path: its delete bit set");
	front(d3, 1, r12, 2, added_e, 1);
	ok(patched("d", 0, "/20 e/10", "del=2,3 rep=1"),
	   "a removed path with a replacement: the replacement goes, the bits follow");
	front(NULL, 0, r12, 2, added_e, 1);
	ok(patched("b/c", 0, "/21 e/10", "del=1 rep=2"),
	   "the first of two replacements removed: the second keeps its entry");
	ok(patched("e", 0, "/20 /21", "del= rep=1,2"),
	   "a removed added path: gone from the front, the bitmaps as they were");
	front(d3, 1, NULL, 0, NULL, 0);
	ok(patched("x/y", 0, "", "del=3 rep="), "removing a deleted path: nothing more to do");
	front(NULL, 0, NULL, 0, added_d, 1);
	ok(patched("d", 0, "", "del=2 rep="),
	   "removing a path both added in the front and shared: both go");
	front(NULL, 0, r1, 1, added_d, 1);
	shared(2000000, 0);
	ok(patched("new", 1, "/20 d/10 new/42", "del= rep=1"),
	   "a racily clean shared entry shadowed by the front's own: left to it");
	front(d3, 1, NULL, 0, NULL, 0);
	ok(patched("new", 1, "d/0 new/42", "del=3 rep="),
	   "a racily clean shared entry: copied into the front, smudged");
	shared(5, 0);
	ok(patch("d/e", 1) == PSM_INDEX_UNSUPPORTED && patch("x", 1) == PSM_INDEX_UNSUPPORTED,
	   "a file/directory clash with the shared index: unsupported");
	shared(5, 0x2000);
	front(NULL, 0, NULL, 0, NULL, 0);
	ok(patch("x/y", 0) == PSM_INDEX_UNSUPPORTED && patch("x/y", 1) == PSM_INDEX_UNSUPPORTED,
	   "a conflicted shared path: unsupported");
}

static int front_raw(const char *link, size_t len)
{
	struct strbuf sb = STRBUF_INIT;

	header(&sb, 2, 1);
	entry(&sb, "e", 0, 0, 5, 10);
	ext(&sb, "link", link, len);
	if (index_finish(&sb, front_path.buf) < 0)
		exit(1);
	strbuf_release(&sb);
	return patch("new", 1);
}

static void test_bad(void)
{
	struct strbuf link = STRBUF_INIT, good = STRBUF_INIT, sb = STRBUF_INIT;
	static const uint32_t one[] = { 1 };
	size_t i;
	int r, sane = 1;

	shared(5, 0);
	strbuf_addchars(&link, 0, 20);
	ok(front_raw(link.buf, link.len) == PSM_INDEX_UNSUPPORTED, "a link to no shared index: unsupported");
	strbuf_reset(&link);
	strbuf_add(&link, link_oid, 19);
	ok(front_raw(link.buf, link.len) == PSM_EPARSE, "a short link extension: error");
	strbuf_addch(&link, 0x11);
	psm_ewah_write(&link, NULL, 0);
	psm_ewah_write(&link, one, 1);
	ok(front_raw(link.buf, link.len) == PSM_EPARSE && strstr(psm_error_last(), "replacements"),
	   "a replace bit without its nameless entry: error");
	strbuf_setlen(&link, 20);
	psm_ewah_write(&link, one, 1);
	psm_ewah_write(&link, one, 1);
	ok(front_raw(link.buf, link.len) == PSM_EPARSE, "an entry both deleted and replaced: error");
	strbuf_setlen(&link, 20);
	psm_ewah_write(&link, NULL, 0);
	psm_ewah_write(&link, NULL, 0);
	strbuf_addch(&link, 0);
	ok(front_raw(link.buf, link.len) == PSM_EPARSE, "garbage after the bitmaps: error");
	unlink(shared_path.buf);
	ok(front_raw(link.buf, 20) == PSM_ERROR, "the shared index missing: error");
	shared(5, 0);
	/* random damage to the front and the shared index: an answer, never a crash */
	front(one, 1, NULL, 0, NULL, 0);
	strbuf_read_file(&good, front_path.buf, 0);
	srand(5);
	for (i = 0; i < 2000; i++) {
		strbuf_reset(&sb);
		strbuf_addbuf(&sb, &good);
		sb.buf[rand() % (int)sb.len] = (char)rand();
		psm_write_file_atomic_nosync(front_path.buf, sb.buf, sb.len);
		r = patch(i % 2 ? "new" : "d", i % 3 != 0);
		sane &= r == 0 || r == PSM_INDEX_UNSUPPORTED || r == PSM_EPARSE || r == PSM_ERROR;
	}
	psm_write_file_atomic_nosync(front_path.buf, good.buf, good.len);
	strbuf_reset(&good);
	strbuf_read_file(&good, shared_path.buf, 0);
	for (i = 0; i < 2000; i++) {
		strbuf_reset(&sb);
		strbuf_addbuf(&sb, &good);
		sb.buf[rand() % (int)sb.len] = (char)rand();
		psm_write_file_atomic_nosync(shared_path.buf, sb.buf, sb.len);
		r = patch(i % 2 ? "new" : "d", i % 3 != 0);
		sane &= r == 0 || r == PSM_INDEX_UNSUPPORTED || r == PSM_EPARSE || r == PSM_ERROR;
	}
	ok(sane, "4000 random corruptions of front and shared index: an answer, no crash");
	strbuf_release(&link);
	strbuf_release(&good);
	strbuf_release(&sb);
}

static off_t cache_size(void)
{
	struct stat st;

	return stat(cache_path.buf, &st) < 0 ? -1 : st.st_size;
}

/*
 * With a psm/ directory beside the index, as in a store's git directory,
 * the shared index's offsets are cached there; a cache that does not fit
 * is ignored and written again, old ones are removed.
 */
static void test_cache(void)
{
	static const uint32_t d3[] = { 3 }, r1[] = { 1 };
	static const char *const added_d[] = { "d" };
	struct strbuf psmdir = STRBUF_INIT, stale = STRBUF_INIT, text = STRBUF_INIT;
	int all = 1;
	size_t i, caught;

	strbuf_addf(&psmdir, "%s/psm", dir.buf);
	strbuf_addf(&stale, "%s/shared-%040d.off", psmdir.buf, 0);
	mkdir(psmdir.buf, 0777);
	psm_write_file_atomic_nosync(stale.buf, "x", 1);
	shared(5, 0);
	front(NULL, 0, NULL, 0, NULL, 0);
	ok(patched("new", 1, "new/42", "del= rep=") && cache_size() == 28 + 4 * 5 &&
	   access(stale.buf, F_OK) < 0,
	   "the shared index's offsets are cached beside the index, older caches removed");
	ok(patched("d", 0, "", "del=2 rep=") && patch("d/e", 1) == PSM_INDEX_UNSUPPORTED,
	   "with the cache: removals and clashes found as without it");
	front(d3, 1, r1, 1, added_d, 1);
	ok(patched("b/c", 0, "d/10", "del=1,3 rep="), "with the cache: a replacement dropped");
	/* entry d racy: the first patch walks and caches, the second uses the cache */
	shared(2000000, 0);
	front(d3, 1, NULL, 0, NULL, 0);
	ok(patched("new", 1, "d/0 new/42", "del=3 rep=") && patched("new", 1, "d/0 new/42", "del=3 rep="),
	   "the newest mtime, cached: racily clean entries still found with the cache");
	strbuf_read_file(&text, cache_path.buf, 0);
	for (i = 0; i < text.len && all; i++) {
		struct strbuf bad = STRBUF_INIT, again = STRBUF_INIT;

		strbuf_addbuf(&bad, &text);
		bad.buf[i] ^= (char)(i % 2 ? 0x80 : 0x08); /* 0x08: offsets stay 8-aligned */
		psm_write_file_atomic_nosync(cache_path.buf, bad.buf, i % 5 ? bad.len : i);
		all = patched("new", 1, "d/0 new/42", "del=3 rep=") &&
		      strbuf_read_file(&again, cache_path.buf, 0) >= 0 && again.len == text.len &&
		      !memcmp(again.buf, text.buf, text.len);
		if (!all)
			printf("# byte %zu\n", i);
		strbuf_release(&bad);
		strbuf_release(&again);
	}
	ok(all, "every byte of the cache damaged or cut there, the racy scan reading every "
		"offset: the same answer, the cache written again");
	strbuf_reset(&text);
	strbuf_read_file(&text, cache_path.buf, 0);
	memset(text.buf + 12, 0, 4); /* "no entry newer than 1970": plausible, wrong */
	psm_write_file_atomic_nosync(cache_path.buf, text.buf, text.len);
	ok(patched("new", 1, "d/0 new/42", "del=3 rep="),
	   "a cache damaged into a plausible one (newest mtime 0): its check value gives it away");
	/* no racy entry: only the offsets a lookup reads are checked */
	shared(5, 0);
	front(d3, 1, NULL, 0, NULL, 0);
	ok(patched("new", 1, "new/42", "del=3 rep="), "a fresh cache for the next tests");
	strbuf_reset(&text);
	strbuf_read_file(&text, cache_path.buf, 0);
	for (i = 28, all = 1, caught = 0; i < text.len && all; i++) {
		struct strbuf bad = STRBUF_INIT, again = STRBUF_INIT;

		strbuf_addbuf(&bad, &text);
		bad.buf[i] ^= (char)(i % 2 ? 0x80 : 0x08);
		psm_write_file_atomic_nosync(cache_path.buf, bad.buf, bad.len);
		all = patched("new", 1, "new/42", "del=3 rep=") && patched("b/c", 0, "", "del=1,3 rep=");
		if (!all)
			printf("# byte %zu\n", i);
		/* rewritten: a lookup read the damaged offset and voided the cache */
		caught += strbuf_read_file(&again, cache_path.buf, 0) >= 0 && again.len == text.len &&
			  !memcmp(again.buf, text.buf, text.len);
		strbuf_release(&bad);
		strbuf_release(&again);
	}
	printf("# %zu of %zu damaged offset bytes read by a lookup and caught\n", caught,
	       text.len - 28);
	ok(all && caught, "every offset damaged, no racy scan: lookups still answer right, and "
	   "a damaged offset they read voids the cache");
	strbuf_release(&psmdir);
	strbuf_release(&stale);
	strbuf_release(&text);
}

int main(void)
{
	size_t i;

	if (tap_scratch_dir(&dir, "test-gitindex-split") < 0)
		return 1;
	strbuf_addf(&front_path, "%s/index", dir.buf);
	strbuf_addf(&out_path, "%s/index.out", dir.buf);
	strbuf_addf(&shared_path, "%s/sharedindex.", dir.buf);
	strbuf_addf(&cache_path, "%s/psm/shared-", dir.buf);
	for (i = 0; i < sizeof(link_oid); i++) {
		strbuf_addf(&shared_path, "%02x", link_oid[i]);
		strbuf_addf(&cache_path, "%02x", link_oid[i]);
	}
	strbuf_addstr(&cache_path, ".off");
	test_ewah();
	test_patch();
	test_bad();
	test_cache();
	tap_remove(dir.buf);
	strbuf_release(&dir);
	strbuf_release(&front_path);
	strbuf_release(&shared_path);
	strbuf_release(&out_path);
	strbuf_release(&cache_path);
	return tap_done();
}
