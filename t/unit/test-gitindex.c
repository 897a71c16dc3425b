/*
 * Unit tests for lib/gitindex.c, TAP on stdout: index files built byte by
 * byte here, malformed ones included (an error, never a crash: the ASan
 * build checks that), and the patched result read back with libgit2, which
 * verifies its checksum and entries.
 */
#include <fcntl.h>
#include <git2.h>
#include <openssl/evp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "fsutil.h"
#include "gitindex.h"
#include "index-build.h"
#include "strbuf.h"
#include "tap.h"

static struct strbuf dir = STRBUF_INIT, in_path = STRBUF_INIT, out_path = STRBUF_INIT;

/* Append the trailing SHA-1 and write the file (mtime 1000000, far past). */
static void finish(struct strbuf *sb)
{
	if (index_finish(sb, in_path.buf) < 0)
		exit(1);
}

static int write_raw(const void *data, size_t len)
{
	return psm_write_file_atomic_nosync(in_path.buf, data, len);
}

static struct psm_index_change change(const char *path, int exists)
{
	return index_change(path, exists, 2000000);
}

static int patch1(const char *path, int exists)
{
	return index_patch1(in_path.buf, out_path.buf, path, exists, 2000000);
}

static int out_exists(void)
{
	struct stat st;

	return stat(out_path.buf, &st) == 0;
}

/* A small valid v2 index: a, b/c, d, x/y, with a cache tree. */
static void base_index(struct strbuf *sb, uint32_t version)
{
	static const char tree[] = "\0" "4 2\n" "bbbbbbbbbbbbbbbbbbbb"
				   "b\0" "1 0\n" "cccccccccccccccccccc"
				   "x\0" "1 0\n" "yyyyyyyyyyyyyyyyyyyy";

	header(sb, version, 4);
	entry(sb, "a", 0, 0, 5, 10);
	entry(sb, "b/c", 0, 0, 5, 10);
	entry(sb, "d", 0, 0, 5, 10);
	entry(sb, "x/y", 0, 0, 5, 10);
	ext(sb, "TREE", tree, sizeof(tree) - 1);
}

static void test_malformed(void)
{
	struct strbuf sb = STRBUF_INIT;
	static const char bad_tree[] = "\0" "1 1\n" "rrrrrrrrrrrrrrrrrrrr" "b\0" "1";

	unlink(in_path.buf);
	ok(patch1("a", 1) == PSM_INDEX_UNSUPPORTED && !out_exists(),
	   "no index file: unsupported, nothing written");
	write_raw("", 0);
	ok(patch1("a", 1) == PSM_INDEX_UNSUPPORTED, "empty index file: unsupported");
	write_raw("DIRC\0\0\0\2\0\0", 10);
	ok(patch1("a", 1) == PSM_EPARSE && !out_exists(), "truncated header: error");
	header(&sb, 2, 0);
	memcpy(sb.buf, "DIRX", 4);
	finish(&sb);
	ok(patch1("a", 1) == PSM_EPARSE && strstr(psm_error_last(), "signature"),
	   "bad signature: error");
	header(&sb, 2, 2);
	entry(&sb, "b", 0, 0, 5, 10);
	entry(&sb, "a", 0, 0, 5, 10);
	finish(&sb);
	ok(patch1("c", 1) == PSM_EPARSE && strstr(psm_error_last(), "out of order"),
	   "entries out of order (git refuses them too): error");
	header(&sb, 2, 2);
	entry(&sb, "a", 0x2000, 0, 5, 10);
	entry(&sb, "a", 0x1000, 0, 5, 10);
	finish(&sb);
	ok(patch1("c", 1) == PSM_EPARSE, "stages out of order: error");
	header(&sb, 5, 0);
	finish(&sb);
	ok(patch1("a", 1) == PSM_EPARSE, "version 5: error");
	header(&sb, 2, 1000);
	finish(&sb);
	ok(patch1("a", 1) == PSM_EPARSE, "more entries than the file holds: error");
	header(&sb, 2, 2);
	entry(&sb, "a", 0, 0, 5, 10);
	entry(&sb, "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", 0, 0, 5, 10);
	strbuf_setlen(&sb, sb.len - 70); /* cut inside the second entry */
	finish(&sb);
	ok(patch1("a", 1) == PSM_EPARSE && strstr(psm_error_last(), "past the end"),
	   "entry running past the end: error");
	header(&sb, 2, 1);
	entry(&sb, "a", 0, 0, 5, 10);
	sb.buf[12 + 61] = 40; /* the name length says 40 */
	finish(&sb);
	ok(patch1("a", 1) == PSM_EPARSE, "name length past the entry: error");
	header(&sb, 2, 1);
	entry(&sb, "a", 0, 0, 5, 10);
	sb.buf[12 + 60] = 0x0f; /* 0xfff: a long name, but no NUL before the end */
	sb.buf[12 + 61] = (char)0xff;
	memset(sb.buf + 12 + 62, 'n', sb.len - 12 - 62);
	finish(&sb);
	ok(patch1("a", 1) == PSM_EPARSE, "long name without its NUL: error");
	header(&sb, 2, 1);
	entry(&sb, "a", 0, 0x2000, 5, 10);
	finish(&sb);
	ok(patch1("a", 1) == PSM_EPARSE, "extended flags in version 2: error");
	base_index(&sb, 2);
	strbuf_add(&sb, "UNTR\0\0\1\0abc", 11); /* 256 bytes, says the length */
	finish(&sb);
	ok(patch1("a", 1) == PSM_EPARSE && strstr(psm_error_last(), "extension"),
	   "extension length past the end: error");
	base_index(&sb, 2);
	strbuf_add(&sb, "UNT", 3);
	finish(&sb);
	ok(patch1("a", 1) == PSM_EPARSE, "truncated extension header: error");
	base_index(&sb, 2);
	ext(&sb, "link", "0123456789abcdefghij", 20);
	finish(&sb);
	ok(patch1("a", 1) == PSM_ERROR && strstr(psm_error_last(), "shared index") &&
	   !out_exists(), "split index without its shared index: error");
	base_index(&sb, 3);
	ext(&sb, "sdir", "", 0);
	finish(&sb);
	ok(patch1("a", 1) == PSM_INDEX_UNSUPPORTED, "mandatory extension (sparse): unsupported");
	header(&sb, 2, 0);
	ext(&sb, "TREE", bad_tree, sizeof(bad_tree) - 1);
	finish(&sb);
	ok(patch1("a", 1) == PSM_EPARSE && strstr(psm_error_last(), "cache tree"),
	   "truncated cache tree: error");
	header(&sb, 2, 0);
	ext(&sb, "TREE", "\0" "-1 99999\n", 10);
	finish(&sb);
	ok(patch1("a", 1) == PSM_EPARSE, "cache tree promising missing subtrees: error");
	header(&sb, 2, 0);
	ext(&sb, "TREE", "\0" "-1 0\nextra", 11);
	finish(&sb);
	ok(patch1("a", 1) == PSM_EPARSE, "cache tree with trailing bytes: error");
	header(&sb, 2, 0);
	ext(&sb, "TREE", "\0" "99999999999999999999 0\n", 24);
	finish(&sb);
	ok(patch1("a", 1) == PSM_EPARSE, "cache tree count overflowing: error");
	strbuf_release(&sb);
}

static int unsupported_with(const char *what, void (*add)(struct strbuf *), const char *path,
			    int exists)
{
	struct strbuf sb = STRBUF_INIT;
	int r;

	header(&sb, 3, 3);
	entry(&sb, "a", 0, 0, 5, 10);
	add(&sb);
	entry(&sb, "z", 0, 0, 5, 10);
	finish(&sb);
	r = patch1(path, exists);
	strbuf_release(&sb);
	return ok(r == PSM_INDEX_UNSUPPORTED && !out_exists(), "%s: unsupported", what);
}

static void add_stage2(struct strbuf *sb) { entry(sb, "p", 0x2000, 0, 5, 10); }
static void add_assume(struct strbuf *sb) { entry(sb, "p", 0x8000, 0, 5, 10); }
static void add_skip(struct strbuf *sb) { entry(sb, "p", 0, 0x4000, 5, 10); }
static void add_ita(struct strbuf *sb) { entry(sb, "p", 0, 0x2000, 5, 10); }
static void add_dir(struct strbuf *sb) { entry(sb, "p/q", 0, 0, 5, 10); }
static void add_file(struct strbuf *sb) { entry(sb, "p", 0, 0, 5, 10); }

static void test_unsupported(void)
{
	struct psm_index_change c[2];
	struct strbuf sb = STRBUF_INIT;

	unsupported_with("a conflicted path", add_stage2, "p", 1);
	unsupported_with("an assume-unchanged path", add_assume, "p", 1);
	unsupported_with("a skip-worktree path", add_skip, "p", 1);
	unsupported_with("an intent-to-add path", add_ita, "p", 1);
	unsupported_with("removing an intent-to-add path", add_ita, "p", 0);
	unsupported_with("a path that is a directory in the index", add_dir, "p", 1);
	unsupported_with("a path under a file in the index", add_file, "p/x", 1);
	header(&sb, 2, 1);
	entry(&sb, "a", 0, 0, 5, 10);
	finish(&sb);
	c[0] = change("q", 0);
	c[1] = change("q/r", 1);
	unlink(out_path.buf);
	ok(psm_index_patch(in_path.buf, out_path.buf, c, 2, NULL) == PSM_INDEX_UNSUPPORTED,
	   "a file giving way to a directory within one patch: unsupported");
	strbuf_release(&sb);
}

/*
 * The named extension's data in the index file at path, read into file:
 * 0 found, 1 absent, -1 when libgit2 cannot read the file.
 */
static int find_ext(struct strbuf *file, const char *path, const char *sig, struct strbuf *data)
{
	git_index *idx = NULL;
	size_t pos = 12, i, n, len;

	strbuf_reset(file);
	strbuf_reset(data);
	if (strbuf_read_file(file, path, 0) < 0 || git_index_open(&idx, path) < 0)
		return -1;
	n = git_index_entrycount(idx);
	git_index_free(idx);
	for (i = 0; i < n; i++) {
		const unsigned char *e = (const unsigned char *)file->buf + pos;
		size_t fixed = e[60] & 0x40 ? 64 : 62;

		len = strlen((const char *)e + fixed);
		pos += (fixed + len + 8) & ~(size_t)7;
	}
	while (pos + 8 <= file->len - 20) {
		const unsigned char *e = (const unsigned char *)file->buf + pos;

		len = (size_t)e[4] << 24 | (size_t)e[5] << 16 | (size_t)e[6] << 8 | e[7];
		if (!memcmp(e, sig, 4))
			return strbuf_add(data, e + 8, len);
		pos += 8 + len;
	}
	return 1;
}

static void test_patch(void)
{
	static const char want_tree[] = "\0" "-1 2\n" "b\0" "-1 0\n"
					"x\0" "1 0\n" "yyyyyyyyyyyyyyyyyyyy";
	struct strbuf sb = STRBUF_INIT, file = STRBUF_INIT, data = STRBUF_INIT;
	struct psm_index_change c[3];
	const git_index_entry *e;
	git_index *idx = NULL;
	size_t i;

	base_index(&sb, 2);
	ext(&sb, "REUC", "r\0" "100644\0" "0\0" "100644\0" "oooooooooooooooooooo"
		  "tttttttttttttttttttt", 58);
	ext(&sb, "UNTR", "whatever", 8);
	finish(&sb);
	c[0] = change("a", 1);     /* replaced */
	c[1] = change("b/e", 1);   /* inserted */
	c[2] = change("d", 0);     /* removed */
	ok(psm_index_patch(in_path.buf, out_path.buf, c, 3, NULL) == 0, "patch a v2 index");
	ok(git_index_open(&idx, out_path.buf) == 0, "libgit2 reads the result (checksum too)");
	ok(idx && git_index_entrycount(idx) == 4, "four entries: a, b/c, b/e, x/y");
	e = idx ? git_index_get_bypath(idx, "a", 0) : NULL;
	ok(e && e->id.id[0] == 0xab && e->file_size == 42 && e->mtime.seconds == 2000000 &&
	   e->mode == 0100644 && e->flags == 1, "the replaced entry has the new blob and stat");
	ok(idx && git_index_get_bypath(idx, "b/e", 0) && !git_index_get_bypath(idx, "d", 0),
	   "b/e inserted, d removed");
	e = idx ? git_index_get_bypath(idx, "x/y", 0) : NULL;
	ok(e && e->file_size == 10 && e->id.id[0] == 'x', "an untouched entry is kept");
	ok(find_ext(&file, out_path.buf, "TREE", &data) == 0 &&
	   data.len == sizeof(want_tree) - 1 && !memcmp(data.buf, want_tree, data.len),
	   "cache tree: root and b invalidated, x kept");
	ok(find_ext(&file, out_path.buf, "REUC", &data) == 0 && data.len == 58,
	   "resolve-undo kept");
	ok(find_ext(&file, out_path.buf, "UNTR", &data) == 1, "untracked cache dropped");
	git_index_free(idx);
	idx = NULL;

	/* racily clean: entry mtime not older than the index file's (1000000) */
	header(&sb, 3, 3);
	entry(&sb, "old", 0, 0, 999999, 10);
	entry(&sb, "racy", 0, 0, 1000000, 10);
	entry(&sb, "v3-ita", 0, 0x2000, 5, 0);
	finish(&sb);
	ok(patch1("new", 1) == 0 && git_index_open(&idx, out_path.buf) == 0, "patch a v3 index");
	ok(idx && (e = git_index_get_bypath(idx, "racy", 0)) && e->file_size == 0,
	   "a racily clean entry gets size 0");
	ok(idx && (e = git_index_get_bypath(idx, "old", 0)) && e->file_size == 10,
	   "an older entry keeps its size");
	ok(idx && (e = git_index_get_bypath(idx, "v3-ita", 0)) &&
	   (e->flags_extended & GIT_INDEX_ENTRY_INTENT_TO_ADD), "an intent-to-add entry is kept");
	ok(find_ext(&file, out_path.buf, "TREE", &data) == 1 && !memcmp(file.buf + 4, "\0\0\0\3", 4),
	   "still version 3, no cache tree made up");
	git_index_free(idx);
	idx = NULL;

	/* names of 4095 bytes and more, and more changes than one writev takes */
	{
		struct psm_index_change *many = calloc(1500, sizeof(*many));
		struct strbuf names = STRBUF_INIT, longname = STRBUF_INIT;

		strbuf_addchars(&longname, 'L', 5000);
		header(&sb, 2, 1);
		entry(&sb, longname.buf, 0, 0, 5, 10);
		finish(&sb);
		for (i = 0; i < 1500; i++)
			strbuf_addf(&names, "m/%04zu%c", i, '\0');
		for (i = 0; many && i < 1500; i++)
			many[i] = change(names.buf + i * 7, 1);
		ok(many && psm_index_patch(in_path.buf, out_path.buf, many, 1500, NULL) == 0 &&
		   git_index_open(&idx, out_path.buf) == 0 && git_index_entrycount(idx) == 1501 &&
		   git_index_get_bypath(idx, longname.buf, 0) &&
		   git_index_get_bypath(idx, "m/1499", 0), "1500 inserts after a 5000-byte name");
		git_index_free(idx);
		idx = NULL;
		longname.buf[4000] = '\0';
		ok(patch1(longname.buf, 1) == 0 && git_index_open(&idx, out_path.buf) == 0 &&
		   git_index_get_bypath(idx, longname.buf, 0) && git_index_entrycount(idx) == 2,
		   "insert a 4000-byte name");
		git_index_free(idx);
		idx = NULL;
		free(many);
		strbuf_release(&names);
		strbuf_release(&longname);
	}
	strbuf_release(&sb);
	strbuf_release(&file);
	strbuf_release(&data);
}

/*
 * A version 4 entry: the fixed part as entry() writes it, then how many
 * bytes of prev to strip (git's varint, written here independently of
 * lib/) and the rest of the name.
 */
#define HDR 12 /* the header before the first entry */

static void entry4(struct strbuf *sb, const char *name, const char *prev, uint32_t mtime)
{
	size_t len = strlen(name), common = 0, start = sb->len, strip;
	unsigned char v[16];
	int pos = 15;

	while (name[common] && name[common] == prev[common])
		common++;
	entry(sb, name, 0, 0, mtime, 10);
	strbuf_setlen(sb, start + 62); /* drop the name and padding */
	strip = strlen(prev) - common;
	v[pos] = strip & 127;
	while (strip >>= 7)
		v[--pos] = (unsigned char)(128 | (--strip & 127));
	strbuf_add(sb, v + pos, (size_t)(16 - pos));
	strbuf_add(sb, name + common, len - common + 1);
}

/* a, b/c, b/d, d, x/y, x/yz at version 4; mtime of "x/yz" given. */
static void base_v4(struct strbuf *sb, uint32_t xyz_mtime)
{
	header(sb, 4, 6);
	entry4(sb, "a", "", 5);
	entry4(sb, "b/c", "a", 5);
	entry4(sb, "b/d", "b/c", 5);
	entry4(sb, "d", "b/d", 5);
	entry4(sb, "x/y", "d", 5);
	entry4(sb, "x/yz", "x/y", xyz_mtime);
}

/* The names libgit2 reads from the result, joined by spaces. */
static int names_are(const char *want)
{
	struct strbuf got = STRBUF_INIT;
	git_index *idx = NULL;
	size_t i;
	int same;

	if (git_index_open(&idx, out_path.buf) < 0)
		return 0;
	for (i = 0; i < git_index_entrycount(idx); i++)
		strbuf_addf(&got, "%s%s", i ? " " : "", git_index_get_byindex(idx, i)->path);
	git_index_free(idx);
	same = !strcmp(got.buf, want);
	if (!same)
		printf("# got '%s'\n", got.buf);
	strbuf_release(&got);
	return same;
}

static void test_v4(void)
{
	struct strbuf sb = STRBUF_INIT, longname = STRBUF_INIT, good = STRBUF_INIT;
	struct psm_index_change c[5];
	const git_index_entry *e;
	git_index *idx = NULL;
	size_t i;
	int r, sane = 1;

	base_v4(&sb, 5);
	finish(&sb);
	c[0] = change("0", 1);    /* before the first */
	c[1] = change("b/c", 1);  /* replaced: b/d after it keeps its encoding */
	c[2] = change("b/cc", 1); /* inserted: b/d re-encoded against it */
	c[3] = change("d", 0);    /* removed: x/y re-encoded against b/d */
	c[4] = change("zz", 1);   /* after the last */
	ok(psm_index_patch(in_path.buf, out_path.buf, c, 5, NULL) == 0 &&
	   names_are("0 a b/c b/cc b/d x/y x/yz zz"),
	   "version 4: inserted, replaced, removed at the start, middle and end");
	strbuf_reset(&good);
	strbuf_read_file(&good, out_path.buf, 0);
	ok(good.len > 8 && !memcmp(good.buf + 4, "\0\0\0\4", 4), "version 4 stays version 4");
	ok(git_index_open(&idx, out_path.buf) == 0 && (e = git_index_get_bypath(idx, "b/c", 0)) &&
	   e->id.id[0] == 0xab && e->file_size == 42 && (e = git_index_get_bypath(idx, "b/d", 0)) &&
	   e->id.id[0] == 'b' && e->file_size == 10, "new and untouched entries as they should be");
	git_index_free(idx);
	idx = NULL;
	base_v4(&sb, 1000000);
	finish(&sb);
	ok(patch1("new", 1) == 0 && git_index_open(&idx, out_path.buf) == 0 &&
	   (e = git_index_get_bypath(idx, "x/yz", 0)) && e->file_size == 0,
	   "version 4: a racily clean entry gets size 0");
	git_index_free(idx);
	idx = NULL;
	/* 4095 bytes: the flags give up on the length; libgit2 reads no longer */
	strbuf_addchars(&longname, 'z', 4095);
	header(&sb, 4, 2);
	entry4(&sb, "a", "", 5);
	entry4(&sb, longname.buf, "a", 5);
	finish(&sb);
	ok(patch1("M", 1) == 0 && git_index_open(&idx, out_path.buf) == 0 &&
	   git_index_entrycount(idx) == 3 && git_index_get_bypath(idx, longname.buf, 0),
	   "version 4: a 4095-byte name kept");
	git_index_free(idx);
	idx = NULL;
	ok(patch1("a", 0) == 0, "version 4: the entry before a 4095-byte name removed");
	ok(git_index_open(&idx, out_path.buf) == 0 && git_index_entrycount(idx) == 1 &&
	   git_index_get_bypath(idx, longname.buf, 0), "after a removal it stands first, whole");
	git_index_free(idx);
	idx = NULL;
	header(&sb, 4, 2);
	entry4(&sb, "ab", "", 5);
	entry4(&sb, "abc", "ab", 5);
	sb.buf[sb.len - 3] = 9; /* strip 9 of "ab" */
	finish(&sb);
	ok(patch1("x", 1) == PSM_EPARSE, "version 4: stripping more than the previous name: error");
	header(&sb, 4, 1);
	entry4(&sb, "abc", "", 5);
	sb.buf[HDR + 61] = 7; /* the flags say 7 bytes */
	finish(&sb);
	ok(patch1("x", 1) == PSM_EPARSE, "version 4: a name length its flags deny: error");
	base_v4(&sb, 5);
	finish(&sb);
	strbuf_reset(&good);
	strbuf_addbuf(&good, &sb);
	for (i = 0; i < good.len; i++) {
		write_raw(good.buf, i);
		r = psm_index_patch(in_path.buf, out_path.buf, c, 5, NULL);
		sane &= r == 0 || r == PSM_INDEX_UNSUPPORTED || r == PSM_EPARSE;
	}
	srand(4);
	for (i = 0; i < 3000; i++) {
		strbuf_reset(&sb);
		strbuf_addbuf(&sb, &good);
		sb.buf[rand() % (int)sb.len] = (char)rand();
		write_raw(sb.buf, sb.len);
		r = psm_index_patch(in_path.buf, out_path.buf, c, 5, NULL);
		sane &= r == 0 || r == PSM_INDEX_UNSUPPORTED || r == PSM_EPARSE;
	}
	ok(sane, "version 4: every truncation and 3000 corruptions: an answer, no crash");
	strbuf_release(&sb);
	strbuf_release(&longname);
	strbuf_release(&good);
}

/*
 * Every truncation of a valid index, and random bytes flipped in it: an
 * answer each time (0, unsupported or an error), never a crash or a read
 * past the end, which the ASan build would report.
 */
static void test_mangled(void)
{
	struct strbuf sb = STRBUF_INIT, good = STRBUF_INIT;
	struct psm_index_change c[2];
	size_t len, i;
	int r, sane = 1;

	base_index(&sb, 3);
	ext(&sb, "REUC", "r\0" "0\0" "0\0" "0\0", 8);
	finish(&sb);
	strbuf_addbuf(&good, &sb);
	c[0] = change("b/c", 1);
	c[1] = change("x/z", 0);
	for (len = 0; len < good.len; len++) {
		write_raw(good.buf, len);
		r = psm_index_patch(in_path.buf, out_path.buf, c, 2, NULL);
		sane &= r == 0 || r == PSM_INDEX_UNSUPPORTED || r == PSM_EPARSE;
	}
	ok(sane, "every truncation: an answer, no crash");
	srand(7);
	for (i = 0; i < 3000; i++) {
		strbuf_reset(&sb);
		strbuf_addbuf(&sb, &good);
		sb.buf[rand() % (int)sb.len] = (char)rand();
		sb.buf[rand() % (int)sb.len] = (char)(rand() % 2 ? 0 : 0xff);
		write_raw(sb.buf, sb.len);
		r = psm_index_patch(in_path.buf, out_path.buf, c, 2, NULL);
		sane &= r == 0 || r == PSM_INDEX_UNSUPPORTED || r == PSM_EPARSE;
	}
	ok(sane, "3000 random corruptions: an answer, no crash");
	strbuf_release(&sb);
	strbuf_release(&good);
}

int main(void)
{
	if (tap_scratch_dir(&dir, "test-gitindex") < 0)
		return 1;
	strbuf_addf(&in_path, "%s/index", dir.buf);
	strbuf_addf(&out_path, "%s/index.out", dir.buf);
	git_libgit2_init();
	test_malformed();
	test_unsupported();
	test_patch();
	test_v4();
	test_mangled();
	git_libgit2_shutdown();
	unlink(in_path.buf);
	unlink(out_path.buf);
	rmdir(dir.buf);
	strbuf_release(&dir);
	strbuf_release(&in_path);
	strbuf_release(&out_path);
	return tap_done();
}
