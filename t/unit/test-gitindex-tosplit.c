/*
 * Unit tests for the index patch making a one-file index split
 * (psm_index_opts, psm_split_create), TAP on stdout: when it splits (the
 * count under the prefix, after the changes), what it writes (a shared
 * index libgit2 reads as a plain index, named by its own hash; a front
 * with no entries, the link first, then the other extensions), what it
 * refuses, and that the next patch goes through the split path. t0011
 * checks the same against git itself.
 */
#include <dirent.h>
#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "gitindex-int.h"
#include "index-build.h"
#include "strbuf.h"
#include "tap.h"

static struct strbuf dir = STRBUF_INIT, in_path = STRBUF_INIT, out_path = STRBUF_INIT;

/* README, issues/a1/x.md, issues/b2/y.md, src/z.c, a cache tree, extra. */
static void one_file(const char *extra_sig)
{
	static const char tree[] = "\0" "-1 0\n";
	struct strbuf sb = STRBUF_INIT;

	header(&sb, 2, 4);
	entry(&sb, "README", 0, 0, 5, 10);
	entry(&sb, "issues/a1/x.md", 0, 0, 5, 10);
	entry(&sb, "issues/b2/y.md", 0, 0, 5, 10);
	entry(&sb, "src/z.c", 0, 0, 5, 10);
	ext(&sb, "TREE", tree, sizeof(tree) - 1);
	if (extra_sig)
		ext(&sb, extra_sig, "xy", 2);
	if (index_finish(&sb, in_path.buf) < 0)
		exit(1);
	strbuf_release(&sb);
}

/* How many sharedindex.* files dir holds; the last one's name into name. */
static int shared_files(struct strbuf *name)
{
	DIR *d = opendir(dir.buf);
	struct dirent *e;
	int n = 0;

	while (d && (e = readdir(d)))
		if (!strncmp(e->d_name, "sharedindex", 11)) {
			n++;
			if (name) {
				strbuf_reset(name);
				strbuf_addf(name, "%s/%s", dir.buf, e->d_name);
			}
		}
	if (d)
		closedir(d);
	return n;
}

static void drop_shared(void)
{
	struct strbuf name = STRBUF_INIT;

	while (shared_files(&name))
		unlink(name.buf);
	strbuf_release(&name);
}

static int patch(const char *path, int exists, const char *prefix, size_t at, int *done)
{
	struct psm_index_change c = index_change(path, exists, 500);
	struct psm_index_opts opts = { prefix, at, 7 };
	int r;

	unlink(out_path.buf);
	r = psm_index_patch(in_path.buf, out_path.buf, &c, 1, &opts);
	*done = opts.split_done;
	return r;
}

static void test_when(void)
{
	int done;

	one_file(NULL);
	ok(!patch("issues/c3/w.md", 1, "issues/", 4, &done) && !done && !shared_files(NULL),
	   "3 issue files of 4 wanted: not split, split_done cleared");
	ok(!patch("issues/c3/w.md", 1, "issues/", 3, &done) && done && shared_files(NULL) == 1,
	   "an added issue file makes 3 of 3: split");
	drop_shared();
	ok(!patch("issues/a1/x.md", 0, "issues/", 2, &done) && !done && !shared_files(NULL),
	   "a removed one leaves 1 of 2: not split");
	ok(!patch("issues/a1/x.md", 1, "issues/", 3, &done) && !done,
	   "a changed one is not counted twice");
	ok(!patch("src/new.c", 1, NULL, 5, &done) && done, "no prefix: the whole index counts");
	drop_shared();
	ok(!patch("src/new.c", 1, "issues/", 0, &done) && !done && !shared_files(NULL),
	   "split_at 0: never");
	ok(patch("src/new.c", 1, "issues", 1, &done) == PSM_EINVALID && !done &&
	   strstr(psm_error_last(), "'issues'") && !shared_files(NULL),
	   "a prefix that is not a directory: error, nothing written");
	one_file("sdir");
	ok(patch("issues/c3/w.md", 1, "issues/", 1, &done) == PSM_INDEX_UNSUPPORTED && !done &&
	   !shared_files(NULL), "a mandatory extension: unsupported, no shared index left");
}

/* libgit2 reads path as a plain index: its entry count, and whether it has name. */
static int git_reads(const char *path, size_t count, const char *name)
{
	git_index *idx = NULL;
	int good = !git_index_open(&idx, path) && git_index_entrycount(idx) == count &&
		   git_index_get_bypath(idx, name, 0);

	git_index_free(idx);
	return good;
}

static void test_what(void)
{
	struct strbuf plain = STRBUF_INIT, shared = STRBUF_INIT, sname = STRBUF_INIT,
		      front = STRBUF_INIT, hex = STRBUF_INIT;
	unsigned char md[20];
	const char *base;
	size_t i;
	int done;

	one_file("UNTR");
	/* the same change without opts: the plain one-file result */
	ok(!patch("issues/c3/w.md", 1, NULL, 0, &done) && !done &&
	   strbuf_read_file(&plain, out_path.buf, 0) >= 0, "the same patch, not split");
	ok(!patch("issues/c3/w.md", 1, "issues/", 1, &done) && done, "split");
	strbuf_read_file(&front, out_path.buf, 0);
	ok(shared_files(&sname) == 1 && strbuf_read_file(&shared, sname.buf, 0) >= 0 &&
	   shared.len > 20, "one shared index written");
	EVP_Digest(shared.buf, shared.len - 20, md, NULL, EVP_sha1(), NULL);
	for (i = 0; i < 20; i++)
		strbuf_addf(&hex, "%02x", md[i]);
	base = strrchr(sname.buf, '/') + 1;
	ok(!memcmp(md, shared.buf + shared.len - 20, 20) && !strncmp(base, "sharedindex.", 12) &&
	   !strcmp(base + 12, hex.buf), "named sharedindex.<its own checksum>");
	ok(git_reads(sname.buf, 5, "issues/c3/w.md"), "libgit2 reads it: five entries, the new one too");
	ok(plain.len > shared.len && !memcmp(plain.buf, shared.buf, shared.len - 20),
	   "its entries are those of the plain patch, no extensions after them");
	ok(front.len >= 12 + 8 + 60 + 20 && !memcmp(front.buf, "DIRC\0\0\0\2\0\0\0\0", 12),
	   "the front: version 2, no entries");
	ok(!memcmp(front.buf + 12, "link\0\0\0\x3c", 8) && !memcmp(front.buf + 20, md, 20) &&
	   !memcmp(front.buf + 40, "\0\0\0\0\0\0\0\1\0\0\0\0\0\0\0\0\0\0\0\0", 20) &&
	   !memcmp(front.buf + 60, "\0\0\0\0\0\0\0\1\0\0\0\0\0\0\0\0\0\0\0\0", 20),
	   "then the link: the shared index's hash, two empty bitmaps, as git writes them");
	ok(!memcmp(front.buf + 80, "TREE", 4) && front.len == 80 + 8 + 6 + 20,
	   "then the cache tree; the untracked cache dropped");
	EVP_Digest(front.buf, front.len - 20, md, NULL, EVP_sha1(), NULL);
	ok(!memcmp(md, front.buf + front.len - 20, 20), "the front's checksum");

	/* the split front is now the index: the next patch takes the split path */
	rename(out_path.buf, in_path.buf);
	ok(!patch("issues/d4/v.md", 1, "issues/", 1, &done) && !done && shared_files(NULL) == 1,
	   "the next patch: no second split, the same shared index");
	strbuf_reset(&front);
	strbuf_read_file(&front, out_path.buf, 0);
	ok(front.len > 12 && !memcmp(front.buf + 8, "\0\0\0\1", 4) &&
	   front.len > 12 + 62 + 14 && !memcmp(front.buf + 12 + 62, "issues/d4/v.md", 14),
	   "its front holds only the new entry");
	drop_shared();
	strbuf_release(&plain);
	strbuf_release(&shared);
	strbuf_release(&sname);
	strbuf_release(&front);
	strbuf_release(&hex);
}

static void test_v4(void)
{
	struct strbuf sname = STRBUF_INIT, front = STRBUF_INIT;
	git_index *idx = NULL;
	int done;

	one_file(NULL);
	if (git_index_open(&idx, in_path.buf) < 0 || git_index_set_version(idx, 4) < 0 ||
	    git_index_write(idx) < 0)
		exit(1);
	git_index_free(idx);
	ok(!patch("issues/c3/w.md", 1, "issues/", 1, &done) && done && shared_files(&sname) == 1,
	   "version 4: split");
	strbuf_read_file(&front, out_path.buf, 0);
	ok(front.len > 12 && !memcmp(front.buf, "DIRC\0\0\0\4\0\0\0\0", 12),
	   "the front is version 4 too, with no entries");
	ok(git_reads(sname.buf, 5, "issues/c3/w.md") && git_reads(sname.buf, 5, "src/z.c"),
	   "libgit2 reads the version 4 shared index: every name whole");
	rename(out_path.buf, in_path.buf);
	ok(!patch("issues/a1/x.md", 0, "issues/", 1, &done) && !done,
	   "the next patch, a removal, goes through the split path");
	drop_shared();
	strbuf_release(&sname);
	strbuf_release(&front);
}

int main(void)
{
	git_libgit2_init();
	if (tap_scratch_dir(&dir, "test-gitindex-tosplit") < 0)
		return 1;
	strbuf_addf(&in_path, "%s/index", dir.buf);
	strbuf_addf(&out_path, "%s/index.out", dir.buf);
	test_when();
	test_what();
	test_v4();
	tap_remove(dir.buf);
	strbuf_release(&dir);
	strbuf_release(&in_path);
	strbuf_release(&out_path);
	git_libgit2_shutdown();
	return tap_done();
}
