/*
 * Unit tests for the store's listing of issue files (lib/cache/list.c,
 * cache.h): psm_file_unchanged(), the change rule the read cache and the
 * similar index share, and psm_files_get(), one listing while it is held,
 * taken again after a write through the store, and psm_files_abbrev(), short
 * IDs from it as psm_store_abbrev() makes them; a scan that takes the
 * folders as they are listed, with the whole listing asked for midway;
 * kept issues unpacked into one reused space (psm_row_view()) as
 * psm_row_load() gives them. TAP on stdout.
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "psm/cache.h"
#include "psm/error.h"
#include "psm/fs.h"
#include "psm/issue.h"
#include "psm/store.h"
#include "psm/strbuf.h"
#include "tap.h"

#define SEC 1000000000LL
#define MS 1000000LL

static void test_rule(void)
{
	struct psm_file_stat then = { "issues/ab/abcdefghjk.md", 2049, 77, 0100644, 1000, 1000,
				      321, 1000 * SEC + 500 * MS, 1000 * SEC + 600 * MS, 1 };
	struct psm_file_stat now = then;
	int64_t ref = 1001 * SEC;
	int64_t *field[8];
	int i, all = 1;

	ok(psm_file_unchanged(&now, &then, ref), "the same stat data, recorded later: unchanged");
	field[0] = &now.dev;
	field[1] = &now.ino;
	field[2] = &now.mode;
	field[3] = &now.uid;
	field[4] = &now.gid;
	field[5] = &now.size;
	field[6] = &now.mtime;
	field[7] = &now.ctime;
	for (i = 0; i < 8; i++) {
		(*field[i])++;
		all &= !psm_file_unchanged(&now, &then, ref);
		(*field[i])--;
	}
	ok(all, "any one field differing (device, inode, mode, owner, group, size, mtime, ctime "
		"by 1 ns): changed");
	ok(!psm_file_unchanged(&now, &then, then.ctime + 20 * MS) &&
	   psm_file_unchanged(&now, &then, then.ctime + 20 * MS + 1),
	   "racily clean: a ctime within 20 ms of the reference is read again");
	then.ctime = now.ctime = 900 * SEC + 1;
	ok(!psm_file_unchanged(&now, &then, then.mtime + 20 * MS) &&
	   psm_file_unchanged(&now, &then, then.mtime + 20 * MS + 1),
	   "and so is an mtime within 20 ms of it");
	then.mtime = now.mtime = 1000 * SEC;
	then.ctime = now.ctime = 1000 * SEC;
	ok(!psm_file_unchanged(&now, &then, 1002 * SEC) &&
	   psm_file_unchanged(&now, &then, 1002 * SEC + 1),
	   "whole-second times (a coarse clock): within 2 s of the reference is racy");
	ok(!psm_file_unchanged(&now, &then, 0), "no clock reference: never trusted");
}

static const char issue_text[] =
	"---\nid: cdefghjkmn\ntitle: second\nstatus: new\ncreated: 2026-10-01T00:00:00Z\n---\nbody\n";

static void test_memo(struct psm_store *s)
{
	struct psm_files *a = NULL, *b = NULL, *c = NULL, *d = NULL;
	struct psm_yaml_error err = { 0, 0, STRBUF_INIT };
	struct psm_issue *is = NULL;
	struct strbuf dir = STRBUF_INIT;
	struct stat st;

	if (tap_write_at(s->root, "issues/ab/abcdefghjk.md",
			 "---\nid: abcdefghjk\ntitle: first\nstatus: new\n---\n") < 0 ||
	    tap_write_at(s->root, "issues/ab/.hidden.md", "x") < 0 ||
	    tap_write_at(s->root, "issues/ab/notes.txt", "x") < 0 ||
	    tap_write_at(s->root, "issues/zz/abcdefghjm.md", "x") < 0) {
		ok(0, "scratch files: %s", psm_error_last());
		return;
	}
	ok(psm_files_get(&a, s) == 0 && a->n == 2 && !a->err, "the listing: the two *.md files");
	ok(a && a->n == 2 && !strcmp(a->f[0].path, "issues/ab/abcdefghjk.md") &&
	   a->f[0].issue_name && S_ISREG((mode_t)a->f[0].mode) &&
	   !strcmp(a->f[1].path, "issues/zz/abcdefghjm.md") && !a->f[1].issue_name,
	   "in path order, each with its stat data; a name outside its folder is no issue name");
	strbuf_addf(&dir, "%sissues/ab", s->root);
	ok(a && a->ndirs == 2 && !strcmp(a->dirs[0].name, "ab") && !stat(dir.buf, &st) &&
	   a->dirs[0].mtime == (int64_t)st.st_mtim.tv_sec * SEC + st.st_mtim.tv_nsec &&
	   !strcmp(a->dirs[1].name, "zz"),
	   "the folders with their mtimes");
	ok(a && a->ref > 0 && a->ref >= a->f[0].ctime,
	   "a clock reference from the file system, taken before the files were stat'ed");
	ok(psm_files_get(&b, s) == 0 && b == a, "held: the next psm_files_get() shares it");
	psm_files_put(b);

	if (psm_issue_parse(&is, issue_text, strlen(issue_text), &err) < 0 ||
	    !(is->path = psm_strdup("issues/cd/cdefghjkmn.md")) ||
	    tap_write_at(s->root, is->path, "") < 0 ||
	    psm_store_save(s, is) < 0) {
		ok(0, "a write through the store: %s", psm_error_last());
	} else {
		ok(psm_files_get(&c, s) == 0 && c != a && c->n == 3 &&
		   !strcmp(c->f[1].path, "issues/cd/cdefghjkmn.md"),
		   "after a write through the store: listed again, the new file in it");
		ok(a->n == 2 && !strcmp(a->f[0].path, "issues/ab/abcdefghjk.md"),
		   "the listing taken before stays whole for whoever holds it");
		psm_files_put(a);
		a = NULL;
		ok(psm_files_get(&d, s) == 0 && d == c, "the new one is the one shared now");
		psm_files_put(d);
		psm_files_put(c);
		c = NULL;
		tap_write_at(s->root, "issues/ef/efghjkmnpq.md", "x");
		ok(psm_files_get(&d, s) == 0 && d->n == 4,
		   "held by nobody: the next psm_files_get() lists the files as they are");
		psm_files_put(d);
	}
	psm_files_put(a);
	psm_issue_free(is);
	strbuf_release(&err.msg);
	strbuf_release(&dir);
}

/* IDs that share 4, 6, 9 and 10 characters with their neighbours */
static void test_abbrev(struct psm_store *s)
{
	static const char *const ids[] = {
		"abcdefghjk", "abcdefghjm", "abcdefg0aa", "abcdefg0ab", "abcd000000", "abcdefz000",
		"ab00000000", "zz12345678", "abcdefghjz" /* no file */, "abcd00000q" /* no file */,
	};
	struct psm_files *f = NULL;
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT, rel = STRBUF_INIT;
	size_t i, same = 0;

	for (i = 0; i < 8; i++) {
		strbuf_reset(&rel);
		strbuf_addf(&rel, "issues/%.2s/%s.md", ids[i], ids[i]);
		if (tap_write_at(s->root, rel.buf, "x") < 0)
			ok(0, "scratch file %s", rel.buf);
	}
	/* names that are no issue's: not counted by either */
	tap_write_at(s->root, "issues/ab/abcdefghjn.txt", "x");
	tap_write_at(s->root, "issues/zz/abcdefghjp.md", "x");
	if (psm_files_get(&f, s) < 0) {
		ok(0, "listing: %s", psm_error_last());
		return;
	}
	for (i = 0; i < sizeof(ids) / sizeof(*ids); i++) {
		strbuf_reset(&a);
		strbuf_reset(&b);
		if (psm_files_abbrev(&a, f, ids[i]) == 0 && psm_store_abbrev(&b, s, ids[i]) == 0 &&
		    !strcmp(a.buf, b.buf))
			same++;
		else
			printf("# %s: listing '%s', folder '%s'\n", ids[i], a.buf, b.buf);
	}
	ok(same == sizeof(ids) / sizeof(*ids), "psm_files_abbrev() gives psm_store_abbrev()'s short "
	   "IDs (%zu of %zu)", same, sizeof(ids) / sizeof(*ids));
	strbuf_reset(&a);
	psm_files_abbrev(&a, f, "abcdefghjk");
	strbuf_reset(&b);
	psm_files_abbrev(&b, f, "abcd000000");
	ok(!strcmp(a.buf, "abcdefghjk") && !strcmp(b.buf, "abcd000"),
	   "as long as it takes to tell it from its nearest neighbour, and 7 at least");
	psm_files_put(f);
	strbuf_release(&a);
	strbuf_release(&b);
	strbuf_release(&rel);
}

/* Forty folders of three issues: a scan takes them while they are listed. */
static void test_stream(struct psm_store *s)
{
	static const char alphabet[] = "0123456789abcdefghjkmnpqrstvwxyz";
	struct strbuf rel = STRBUF_INIT, text = STRBUF_INIT, a = STRBUF_INIT, b = STRBUF_INIT;
	const struct psm_issue *is;
	struct psm_files *f = NULL, *g = NULL;
	struct psm_scan *sc = NULL;
	size_t k, n = 0, inorder = 0;
	int pass;

	for (k = 0; k < 120; k++) {
		char id[11];

		memcpy(id, (char[]){ alphabet[k / 3 / 32], alphabet[k / 3 % 32], alphabet[k % 3],
				     '0', '0', '0', '0', '0', '0', '0', '\0' }, 11);
		strbuf_reset(&rel);
		strbuf_reset(&text);
		strbuf_addf(&rel, "issues/%.2s/%s.md", id, id);
		strbuf_addf(&text, "---\nid: %s\ntitle: t%zu\nstatus: new\n"
			    "created: 2026-10-01T00:00:00Z\n---\nbody\n", id, k);
		if (tap_write_at(s->root, rel.buf, text.buf) < 0) {
			ok(0, "scratch file %s: %s", rel.buf, psm_error_last());
			return;
		}
	}
	/* without the cache, then filling it; then asked for at the end */
	for (pass = 0; pass < 3; pass++) {
		const char *how = !pass ? "without" : pass == 1 ? "with the cache" : "at the end";

		s->no_cache = !pass;
		n = inorder = 0;
		f = NULL;
		if (psm_scan_open(&sc, s, PSM_SCAN_ALL) < 0) {
			ok(0, "scan: %s", psm_error_last());
			return;
		}
		while (psm_scan_next(sc, &is) > 0) {
			/* midway: the whole listing */
			if (pass < 2 && n == 50 && psm_files_get(&f, s) < 0)
				break;
			if (f && n < f->n && !strcmp(f->f[n].path, is->path))
				inorder++;
			n++;
		}
		if (pass == 2 && psm_files_get(&f, s) == 0) /* as followup asks */
			for (k = inorder = 0; k < f->n; k++) /* sorted, as a listing is */
				inorder += !k || strcmp(f->f[k - 1].path, f->f[k].path) < 0;
		ok(f && f->n == 120 && !f->err && n == 120 && inorder == (pass < 2 ? 70 : 120),
		   "%s: a scan taking folders as they are listed reads all 120 issues in "
		   "order, the whole listing asked for meanwhile (%zu read, %zu in order)",
		   how, n, inorder);
		strbuf_reset(&a);
		strbuf_reset(&b);
		k = f && psm_files_abbrev(&a, f, "0000000000") == 0 &&
		    psm_store_abbrev(&b, s, "0000000000") == 0 && !strcmp(a.buf, b.buf);
		ok(k, "%s: short IDs from that listing ('%s')", how, a.buf);
		psm_scan_free(sc);
		ok(psm_files_get(&g, s) == 0 && g == f && g->n == 120 &&
		   !strcmp(g->f[119].path, "issues/17/1720000000.md"),
		   "%s: the listing outlives the scan, shared", how);
		psm_files_put(g);
		psm_files_put(f);
	}
	s->no_cache = 0;
	strbuf_release(&rel);
	strbuf_release(&text);
	strbuf_release(&a);
	strbuf_release(&b);
}

/* The issue unpacked by psm_row_view() reads as psm_row_load()'s. */
static int same_issue(const struct psm_issue *a, const struct psm_issue *b)
{
	size_t i;

	if (!a || !b || a->n != b->n || strcmp(a->path, b->path) || a->body.len != b->body.len ||
	    memcmp(a->body.buf, b->body.buf, a->body.len) || a->sort_created != b->sort_created)
		return 0;
	for (i = 0; i < a->n; i++)
		if (strcmp(a->entries[i].key, b->entries[i].key) ||
		    !psm_streq(psm_node_str(a->entries[i].value), psm_node_str(b->entries[i].value)))
			return 0;
	return 1;
}

static void test_view(struct psm_store *s)
{
	struct strbuf text = STRBUF_INIT;
	struct psm_row_space space = { 0 };
	struct psm_row *rows[130];
	const struct psm_issue *is;
	struct psm_scan *sc;
	size_t n, k, i;
	int pass;

	/* one issue much bigger than the rest: the space grows, then is reused */
	strbuf_addstr(&text, "---\nid: zz00000000\ntitle: big\nstatus: new\n"
		      "created: 2026-10-02T00:00:00Z\nlabels:\n");
	for (k = 0; k < 200; k++)
		strbuf_addf(&text, "  - label-%zu\n", k);
	strbuf_addstr(&text, "---\n");
	for (k = 0; k < 500; k++)
		strbuf_addstr(&text, "a long body line, kept whole\n");
	if (tap_write_at(s->root, "issues/zz/zz00000000.md", text.buf) < 0) {
		ok(0, "scratch file: %s", psm_error_last());
		return;
	}
	for (pass = 0; pass < 2; pass++) {
		const char *how = !pass ? "without the cache" : "from the cache";
		size_t same = 0;

		s->no_cache = !pass;
		n = 0;
		if (psm_scan_open(&sc, s, PSM_SCAN_BODY) < 0) {
			ok(0, "scan: %s", psm_error_last());
			return;
		}
		while (n < 130 && psm_scan_next(sc, &is) > 0)
			if (psm_scan_keep(&rows[n], sc) == 0)
				n++;
		psm_scan_free(sc);
		/* small, the big one, small again: one space throughout */
		for (k = 0; k < 2 * n; k++) {
			struct psm_issue *loaded = NULL;

			i = k < n ? k : 2 * n - 1 - k;
			if (psm_row_view(&is, &space, rows[i]) == 0 &&
			    psm_row_load(&loaded, rows[i]) == 0 && same_issue(is, loaded))
				same++;
			psm_issue_free(loaded);
		}
		ok(n == 121 && same == 2 * n && space.alloc > text.len,
		   "%s: every kept issue viewed in one space reads as loaded, "
		   "the big one too (%zu kept, %zu the same)", how, n, same);
		for (k = 0; k < n; k++)
			psm_row_free(rows[k]);
	}
	s->no_cache = 0;
	psm_row_space_release(&space);
	ok(!space.buf && !space.alloc, "the space released");
	strbuf_release(&text);
}

int main(void)
{
	struct strbuf tmp = STRBUF_INIT;
	struct psm_store *s = NULL;
	int changed;

	test_rule();
	if (tap_scratch_dir(&tmp, "test-files") < 0 || psm_store_init(&s, tmp.buf, 1, &changed) < 0) {
		printf("Bail out! no scratch store: %s\n", psm_error_last());
		return 1;
	}
	test_memo(s);
	test_abbrev(s);
	psm_store_free(s);
	tap_remove(tmp.buf);
	strbuf_reset(&tmp);
	if (tap_scratch_dir(&tmp, "test-files-stream") < 0 ||
	    psm_store_init(&s, tmp.buf, 1, &changed) < 0) {
		printf("Bail out! no scratch store: %s\n", psm_error_last());
		return 1;
	}
	test_stream(s);
	test_view(s);
	psm_store_free(s);
	tap_remove(tmp.buf);
	strbuf_release(&tmp);
	return tap_done();
}
