/*
 * Unit tests for lib/similar/similar-quick.c, the intake hint's view of the
 * similarity index: on a generated store its answers must equal
 * psm_similar_find's, follow files added and removed behind its back, fall
 * back to a full open when its files are missing, torn or due to be folded,
 * and survive damaged files without reading out of bounds. TAP on stdout.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include "psm/error.h"
#include "psm/fs.h"
#include "similar-int.h"
#include "psm/store.h"
#include "psm/strbuf.h"
#include "tap.h"

#define NISSUES 400
#define NOW 1795000000 /* 2026-11-18 */

static const char *vocab[] = {
	"login", "password", "reset", "export", "csv", "row", "invoice", "pdf", "currency",
	"dark", "mode", "dashboard", "crash", "upload", "photo", "sync", "calendar",
	"notification", "email", "slow", "search", "filter", "report", "chart", "mobile",
	"android", "iphone", "billing", "refund", "checkout", "cart", "coupon", "timezone",
	"import", "api", "token", "webhook", "team", "invite", "permission", "role",
	"avatar", "profile", "language", "translation", "font", "print", "backup",
	"restore", "archive", "label", "tag", "comment", "attachment", "size", "limit",
	"offline", "cache", "memory", "battery",
};
#define NVOCAB (sizeof(vocab) / sizeof(vocab[0]))

static unsigned long rng = 12345;

static unsigned pick(unsigned n)
{
	rng = rng * 6364136223846793005ul + 1442695040888963407ul;
	return (unsigned)((rng >> 33) % n);
}

static void add_words(struct strbuf *sb, unsigned n)
{
	unsigned i;

	for (i = 0; i < n; i++)
		strbuf_addf(sb, "%s%s", i ? " " : "", vocab[pick(NVOCAB)]);
}

static char ids[NISSUES + 32][PSM_ID_LEN + 1];

/* Write one issue file; dup >= 0 makes it a closed duplicate of ids[dup]. */
static int write_issue(struct psm_store *s, int i, int dup, int closed_days_ago)
{
	struct strbuf text = STRBUF_INIT, path = STRBUF_INIT, full = STRBUF_INIT;
	int r;

	if (psm_id_new(ids[i]) < 0 || psm_issue_path(&path, ids[i]) < 0)
		return -1;
	strbuf_addf(&text, "---\nid: %s\ntitle: ", ids[i]);
	add_words(&text, 2 + pick(4));
	strbuf_addf(&text, "\nstatus: %s\ncreated: 2026-10-01T00:00:00Z\n",
		    dup >= 0 || closed_days_ago >= 0 ? "closed" : "new");
	if (dup >= 0 || closed_days_ago >= 0) {
		time_t t = NOW - 86400 * (closed_days_ago >= 0 ? closed_days_ago : 1);
		struct tm tm;
		char when[32];

		gmtime_r(&t, &tm);
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
		strbuf_addf(&text, "closed: %s\nresolution: %s\n", when,
			    dup >= 0 ? "duplicate" : "fixed");
		if (dup >= 0)
			strbuf_addf(&text, "duplicate_of: %s\n", ids[dup]);
	}
	strbuf_addstr(&text, "---\n");
	add_words(&text, 4 + pick(16));
	strbuf_addch(&text, '\n');
	strbuf_addf(&full, "%s%s", s->root, path.buf);
	r = psm_write_file_atomic(full.buf, text.buf, text.len);
	strbuf_release(&text);
	strbuf_release(&path);
	strbuf_release(&full);
	return r;
}

static int same_hits(const struct psm_similar_hit *a, size_t na,
		     const struct psm_similar_hit *b, size_t nb, const char *what)
{
	size_t i;

	if (na != nb) {
		printf("# %s: %zu hits against %zu\n", what, na, nb);
		return 0;
	}
	for (i = 0; i < na; i++)
		if (strcmp(a[i].id, b[i].id) || strcmp(a[i].via, b[i].via) ||
		    fabs(a[i].score - b[i].score) > 1e-6 || strcmp(a[i].title, b[i].title) ||
		    strcmp(a[i].status, b[i].status)) {
			printf("# %s: hit %zu: %s %.9f via '%s' against %s %.9f via '%s'\n", what, i,
			       a[i].id, a[i].score, a[i].via, b[i].id, b[i].score, b[i].via);
			return 0;
		}
	return 1;
}

/* The hint's answer for issue i; *quick says whether it used similar.inv. */
static int hint(struct psm_store *s, int i, struct psm_similar_hit **h, size_t *n,
		struct psm_similar **ix, int *quick)
{
	struct psm_issue *issue = NULL;
	int r = psm_store_load(&issue, s, ids[i]);

	if (!r)
		r = psm_similar_hint(h, n, ix, s, issue, NOW - 30 * 86400, 5, 0.05);
	*quick = *ix && (*ix)->quick;
	psm_issue_free(issue);
	return r;
}

/* Compare hint and full answers for issues [from, to). */
static int compare(struct psm_store *s, int from, int to, int *used_quick)
{
	struct psm_similar *full = NULL;
	int i, same = 1, quick = 1;

	if (psm_similar_open(&full, s) < 0)
		return 0;
	for (i = from; i < to && same; i++) {
		struct psm_similar_hit *hf = NULL, *hq = NULL;
		struct psm_similar *ix = NULL;
		struct psm_issue *issue = NULL;
		size_t nf = 0, nq = 0;
		int q = 0;

		same = !psm_store_load(&issue, s, ids[i]) &&
		       !psm_similar_find(&hf, &nf, full, issue, NOW - 30 * 86400, 5, 0.05) &&
		       !hint(s, i, &hq, &nq, &ix, &q) && same_hits(hf, nf, hq, nq, ids[i]);
		quick &= q;
		free(hf);
		free(hq);
		psm_similar_free(ix);
		psm_issue_free(issue);
	}
	psm_similar_free(full);
	*used_quick = quick;
	return same;
}

static int file_exists(struct psm_store *s, const char *name)
{
	struct strbuf p = STRBUF_INIT;
	int e;

	strbuf_addf(&p, "%s%s", psm_git_gitdir(s->git), name);
	e = psm_path_exists(p.buf);
	strbuf_release(&p);
	return e;
}

static int has_hit(const struct psm_similar_hit *h, size_t n, const char *id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(h[i].id, id))
			return 1;
	return 0;
}

static void test_fresh_changes(struct psm_store *s)
{
	struct strbuf from = STRBUF_INIT, to = STRBUF_INIT, text = STRBUF_INIT;
	struct psm_similar_hit *h = NULL;
	struct psm_similar *ix = NULL;
	size_t n = 0;
	int quick = 0, r;

	/* a copy of issue 0 under a new ID, written behind the index's back */
	psm_id_new(ids[NISSUES]);
	strbuf_addf(&from, "%sissues/%.2s/%s.md", s->root, ids[0], ids[0]);
	strbuf_addf(&to, "%sissues/%.2s/%s.md", s->root, ids[NISSUES], ids[NISSUES]);
	strbuf_read_file(&text, from.buf, 0);
	memcpy(strstr(text.buf, ids[0]), ids[NISSUES], PSM_ID_LEN);
	psm_write_file_atomic(to.buf, text.buf, text.len);
	r = hint(s, 0, &h, &n, &ix, &quick);
	ok(!r && quick && n && !strcmp(h[0].id, ids[NISSUES]) && h[0].score > 0.999,
	   "a file added since similar.inv was written is found, first");
	ok(file_exists(s, "psm/similar.log"), "what the hint re-read is logged");
	free(h);
	psm_similar_free(ix);

	unlink(to.buf);
	r = hint(s, 0, &h, &n, &ix, &quick);
	ok(!r && quick && !has_hit(h, n, ids[NISSUES]), "a file removed since is dropped");
	free(h);
	psm_similar_free(ix);

	/* remove an indexed issue that issue 0 matched */
	r = hint(s, 0, &h, &n, &ix, &quick);
	if (!r && n) {
		char gone[PSM_ID_LEN + 1];

		memcpy(gone, h[0].id, sizeof(gone));
		strbuf_reset(&to);
		strbuf_addf(&to, "%sissues/%.2s/%s.md", s->root, gone, gone);
		free(h);
		psm_similar_free(ix);
		if (!unlink(to.buf))
			r = hint(s, 0, &h, &n, &ix, &quick);
		ok(!r && quick && !has_hit(h, n, gone), "an indexed issue removed is dropped");
	} else {
		ok(0, "issue 0 has a match to remove");
	}
	free(h);
	psm_similar_free(ix);
	strbuf_release(&from);
	strbuf_release(&to);
	strbuf_release(&text);
}

/* Overwrite len bytes at off in a file under the git dir. */
static void damage(struct psm_store *s, const char *name, long off, const void *bytes,
		   size_t len, int truncate_to)
{
	struct strbuf p = STRBUF_INIT;
	FILE *f;

	strbuf_addf(&p, "%s%s", psm_git_gitdir(s->git), name);
	if (truncate_to >= 0) {
		if (truncate(p.buf, truncate_to) < 0)
			printf("# could not truncate %s\n", p.buf);
	} else if ((f = fopen(p.buf, "r+"))) {
		fseek(f, off, SEEK_SET);
		fwrite(bytes, 1, len, f);
		fclose(f);
	}
	strbuf_release(&p);
}

/* ask issue 1 again; returns quick, sets *due */
static int hint_due(struct psm_store *s, int *due)
{
	struct psm_similar_hit *h = NULL;
	struct psm_similar *ix = NULL;
	size_t n = 0;
	int quick = 0;

	if (hint(s, 1, &h, &n, &ix, &quick) < 0)
		quick = -1;
	*due = psm_similar_fold_due(ix);
	free(h);
	psm_similar_free(ix);
	return quick;
}

/* A log past its limit: the hint still answers from it and says a fold is
 * due; psm_similar_fold does it unless another process holds its lock. */
static void test_fold(struct psm_store *s)
{
	struct strbuf lock = STRBUF_INIT;
	int due = 0, folded = -1, i;
	FILE *f;

	setenv("PSM_TEST_SIMILAR_LOG_MAX", "1", 1);
	write_issue(s, NISSUES + 10, -1, -1);
	write_issue(s, NISSUES + 11, -1, -1);
	ok(hint_due(s, &due) == 1 && due,
	   "two logged issues, limit one: the hint answers from the log, a fold is due");
	strbuf_addf(&lock, "%spsm/similar.lock", psm_git_gitdir(s->git));
	if ((f = fopen(lock.buf, "w"))) { /* our parent: a live process, not us */
		fprintf(f, "%ld\n", (long)getppid());
		fclose(f);
	}
	ok(!psm_similar_fold(s, &folded) && !folded && file_exists(s, "psm/similar.log") &&
		   file_exists(s, "psm/similar.lock"),
	   "similar.lock held by a live process: no fold, no error, its lock left alone");
	unlink(lock.buf);
	ok(!psm_similar_fold(s, &folded) && folded && !file_exists(s, "psm/similar.log") &&
		   !file_exists(s, "psm/similar.lock"),
	   "psm_similar_fold folds the log and releases its lock");
	ok(!psm_similar_fold(s, &folded) && !folded, "a fold no longer due is not run again");
	ok(hint_due(s, &due) == 1 && !due, "after it, the hint has nothing due");
	for (i = 0; i < 4; i++)
		write_issue(s, NISSUES + 12 + i, -1, -1);
	ok(hint_due(s, &due) == 1 && due, "four logged issues: still answered from the log");
	write_issue(s, NISSUES + 16, -1, -1);
	ok(hint_due(s, &due) == 0 && !file_exists(s, "psm/similar.log"),
	   "five, past four times the limit with no fold run: the hint folds it itself");
	unsetenv("PSM_TEST_SIMILAR_LOG_MAX");
	ok(compare(s, 0, 60, &i) && i, "and the answers agree with the full index");
	strbuf_release(&lock);
}

static void test_fallbacks(struct psm_store *s)
{
	struct psm_similar_hit *h = NULL;
	struct psm_similar *ix = NULL;
	size_t n = 0;
	int quick = 1, same, k, crashed = 0;
	struct stat st;
	struct strbuf p = STRBUF_INIT;

	damage(s, "psm/similar.inv", 0, NULL, 0, 100);
	ok(!hint(s, 1, &h, &n, &ix, &quick) && !quick,
	   "a truncated similar.inv: a full open answers (and rewrites it)");
	free(h);
	psm_similar_free(ix);
	same = compare(s, 1, 40, &quick);
	ok(same && quick, "the rewritten file is used again, with the same answers");

	setenv("PSM_TEST_SIMILAR_LOG_MAX", "0", 1);
	write_issue(s, NISSUES + 1, -1, -1); /* something for the log */
	hint(s, 1, &h, &n, &ix, &quick);
	ok(!quick && !file_exists(s, "psm/similar.log"),
	   "past the log's limit a full open folds the log into similar.inv");
	unsetenv("PSM_TEST_SIMILAR_LOG_MAX");
	free(h);
	psm_similar_free(ix);

	write_issue(s, NISSUES + 2, -1, -1);
	hint(s, 1, &h, &n, &ix, &quick);
	free(h);
	psm_similar_free(ix);
	strbuf_addf(&p, "%spsm/similar.log", psm_git_gitdir(s->git));
	if (!stat(p.buf, &st))
		damage(s, "psm/similar.log", 0, NULL, 0, (int)st.st_size - 3);
	hint(s, 1, &h, &n, &ix, &quick);
	ok(!quick && !file_exists(s, "psm/similar.log"), "a torn log: a full open instead");
	free(h);
	psm_similar_free(ix);

	/* bytes flipped anywhere: wrong answers at worst, never a bad read */
	{
		struct strbuf inv = STRBUF_INIT;

		strbuf_addf(&inv, "%spsm/similar.inv", psm_git_gitdir(s->git));
		for (k = 0; k < 60 && !crashed; k++) {
			unsigned char junk[8];
			int j;

			if (stat(inv.buf, &st) < 0 || st.st_size < 64)
				break;
			for (j = 0; j < 8; j++)
				junk[j] = (unsigned char)pick(256);
			damage(s, "psm/similar.inv", 16 + (long)pick((unsigned)st.st_size - 24),
			       junk, 8, -1);
			unlink(p.buf); /* keep the log from forcing a full open */
			if (hint(s, k % 40, &h, &n, &ix, &quick) < 0)
				crashed = 1;
			free(h);
			psm_similar_free(ix);
		}
		ok(!crashed, "60 damaged similar.inv files: answered every time");
		strbuf_release(&inv);
	}
	strbuf_release(&p);
}

int main(void)
{
	struct strbuf tmp = STRBUF_INIT;
	struct psm_store *s = NULL;
	int changed, i, r = 0, quick = 0;

	setenv("PSM_NOW", "@1795000000", 1);
	if (tap_scratch_dir(&tmp, "test-quick") < 0 || psm_store_init(&s, tmp.buf, 1, &changed) < 0) {
		printf("Bail out! no scratch store: %s\n", psm_error_last());
		return 1;
	}
	for (i = 0; i < NISSUES && !r; i++) /* every 10th a duplicate, some closed */
		r = write_issue(s, i, i >= 20 && i % 10 == 0 ? (int)pick((unsigned)i) : -1,
				i % 7 == 3 ? (int)pick(60) : -1);
	ok(!r, "%d issue files written", NISSUES);
	{
		struct psm_similar_hit *h = NULL;
		struct psm_similar *ix = NULL;
		size_t n = 0;

		ok(!hint(s, 0, &h, &n, &ix, &quick) && !quick && n,
		   "no similar.inv yet: a full open answers");
		free(h);
		psm_similar_free(ix);
	}
	ok(file_exists(s, "psm/similar.inv"), "the full open wrote similar.inv");
	ok(compare(s, 0, 120, &quick) && quick,
	   "120 questions: similar.inv gives psm_similar_find's hits, scores and via");
	test_fresh_changes(s);
	ok(compare(s, 0, 60, &quick), "after a full open folds the log, the answers agree again");
	test_fold(s);
	test_fallbacks(s);

	psm_store_free(s);
	tap_remove(tmp.buf);
	strbuf_release(&tmp);
	return tap_done();
}
