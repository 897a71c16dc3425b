/*
 * Unit tests for the store's building blocks: atomic writes (lib/util/fs.c),
 * issue IDs and paths (lib/store/store.c), psm's clock (lib/util/time.c) and search
 * terms (lib/service/query.c). TAP on stdout.
 */
#include <dirent.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "psm/error.h"
#include "psm/fs.h"
#include "psm/issue.h"
#include "psm/time.h"
#include "psm/query.h"
#include "psm/store.h"
#include "psm/strbuf.h"
#include "tap.h"



static int file_is(const char *path, const char *want)
{
	struct strbuf sb = STRBUF_INIT;
	int r = strbuf_read_file(&sb, path, 1 << 20) == 0 && !strcmp(sb.buf, want);

	strbuf_release(&sb);
	return r;
}

/* Entries in dir other than . and .. */
static int count_entries(const char *dir)
{
	struct dirent *de;
	DIR *d = opendir(dir);
	int n = 0;

	if (!d)
		return -1;
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

static void test_atomic(const char *tmp)
{
	struct strbuf dir = STRBUF_INIT, path = STRBUF_INIT;
	struct rlimit old, small = { 4096, 4096 };
	char *big = malloc(64 * 1024);
	struct stat st;
	int r;

	strbuf_addf(&dir, "%s/atomic", tmp);
	strbuf_addf(&path, "%s/issue.md", dir.buf);
	ok(psm_write_file_atomic(path.buf, "old text\n", 9) == 0 && file_is(path.buf, "old text\n"),
	   "write a file (and its directory)");
	ok(stat(path.buf, &st) == 0 && (st.st_mode & 0777) == 0644, "it is an ordinary 0644 file");
	ok(psm_write_file_atomic(path.buf, "new text\n", 9) == 0 && file_is(path.buf, "new text\n") &&
	   count_entries(dir.buf) == 1, "replace it; no temporary file is left");

	/* A write that fails half-way (file size limit): the old file stays whole. */
	memset(big, 'x', 64 * 1024);
	signal(SIGXFSZ, SIG_IGN);
	getrlimit(RLIMIT_FSIZE, &old);
	setrlimit(RLIMIT_FSIZE, &small);
	r = psm_write_file_atomic(path.buf, big, 64 * 1024);
	setrlimit(RLIMIT_FSIZE, &old);
	ok(r < 0 && strstr(psm_error_last(), "issue.md"), "a write cut short fails: %s",
	   psm_error_last());
	ok(file_is(path.buf, "new text\n"), "the old content is intact");
	ok(count_entries(dir.buf) == 1, "and no temporary file remains");

	/* The target is a directory: rename fails after the temp file was written. */
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/sub/x.md/keep/file", dir.buf);
	psm_mkdir_parents(path.buf); /* sub/x.md/keep: x.md is a full directory */
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/sub/x.md", dir.buf);
	r = psm_write_file_atomic(path.buf, "text", 4);
	ok(r < 0, "writing over a directory fails: %s", psm_error_last());
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/sub", dir.buf);
	ok(count_entries(path.buf) == 1, "and leaves no temporary file beside it");

	free(big);
	strbuf_release(&dir);
	strbuf_release(&path);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp((const char *)a, (const char *)b);
}

static void test_ids(void)
{
	enum { N = 20000 };
	static char ids[N][PSM_ID_LEN + 1];
	int seen[PSM_ID_LEN][128] = { { 0 } };
	int i, j, valid = 1, dups = 0, spread = 1;
	struct strbuf sb = STRBUF_INIT;
	static const char *const bad[] = {
		"../../etc", "ab/cd", "", "abcdefghjkm", "abcdefghji", "ABCDEFGHJK", "abc.md",
		"abcdefghj", "abcdefghj\t", "ab cdefghj", "abcdefghjl", "abcdefghjo", "abcdefghju",
	};

	for (i = 0; i < N; i++) {
		if (psm_id_new(ids[i]) < 0 || !psm_id_valid(ids[i]))
			valid = 0;
		for (j = 0; j < PSM_ID_LEN; j++)
			seen[j][(unsigned char)ids[i][j] & 127]++;
	}
	ok(valid, "%d new IDs are all valid 10-character IDs", N);
	qsort(ids, N, sizeof(ids[0]), cmp_str);
	for (i = 1; i < N; i++)
		dups += !strcmp(ids[i - 1], ids[i]);
	ok(!dups, "and all different");
	for (j = 0; j < PSM_ID_LEN; j++) {
		int used = 0, c;

		for (c = 0; c < 128; c++)
			used += seen[j][c] > 0;
		if (used != 32)
			spread = 0;
	}
	ok(spread, "every position takes all 32 characters (random, 50 bits)");

	for (i = 0; i < (int)(sizeof(bad) / sizeof(bad[0])); i++) {
		strbuf_reset(&sb);
		ok(!psm_id_valid(bad[i]) && psm_issue_path(&sb, bad[i]) == PSM_EINVALID && !sb.len,
		   "'%s' is not an ID and has no path", bad[i]);
	}
	ok(!psm_id_prefix_valid("") && !psm_id_prefix_valid("a/") && !psm_id_prefix_valid("..") &&
	   psm_id_prefix_valid("7") && psm_id_prefix_valid("7kq2m9xabc") &&
	   !psm_id_prefix_valid("7kq2m9xabcd"), "prefixes: 1 to 10 ID characters");
	strbuf_reset(&sb);
	ok(psm_issue_path(&sb, "7kq2m9xabc") == 0 && !strcmp(sb.buf, "issues/7k/7kq2m9xabc.md"),
	   "the path of an ID is sharded by its first two characters");
	strbuf_release(&sb);
}

static void test_time(void)
{
	struct strbuf sb = STRBUF_INIT;
	int64_t t;

	setenv("PSM_NOW", "2026-11-22T07:00:00Z", 1);
	ok(psm_now(&t) == 0 && t == 1795330800, "PSM_NOW pins the clock");
	setenv("PSM_NOW", "@86400", 1);
	ok(psm_now(&t) == 0 && t == 86400, "PSM_NOW takes @SECONDS");
	setenv("PSM_NOW", "tomorrow", 1);
	ok(psm_now(&t) == PSM_EINVALID && strstr(psm_error_last(), "PSM_NOW"), "a bad PSM_NOW is an error");
	unsetenv("PSM_NOW");
	ok(psm_time_parse("2026-11-22T08:00:00+01:00", &t) == 0 && t == 1795330800,
	   "offsets are converted to UTC");
	ok(psm_time_format(&sb, 1795330800) == 0 && !strcmp(sb.buf, "2026-11-22T07:00:00Z"),
	   "times are written as RFC 3339 UTC");
	ok(psm_time_parse("2026-02-30", &t) < 0 && psm_time_parse("2026-11-22T25:00:00Z", &t) < 0 &&
	   psm_time_parse("yesterday", &t) < 0 && psm_time_parse("2026-11-22T07:00:00", &t) < 0,
	   "impossible dates and times without a zone are refused");
	strbuf_release(&sb);
}

static int query_ok(const char *term)
{
	struct psm_query_ctx ctx = { .me = NULL, .now = 1795330800 };
	struct psm_query *q = NULL;
	const char *argv[] = { term };
	int r = psm_query_parse(&q, 1, argv, &ctx);

	psm_query_free(q);
	return r == 0;
}

static void test_error(void)
{
	psm_error(PSM_EINVALID, "first '%s'", "x");
	psm_error(PSM_EPARSE, "in file: %s", psm_error_last());
	ok(!strcmp(psm_error_last(), "in file: first 'x'") && psm_error_code() == PSM_EPARSE,
	   "an error message may quote the previous one");
}

static void test_query(void)
{
	ok(query_ok("label:x") && query_ok("tag:x") && query_ok("status:new") &&
	   query_ok("created>2026-11-01") && query_ok("created<=7d") && query_ok("words"),
	   "known search terms parse");
	ok(!query_ok("lab:x") && !query_ok("ta:x") && !query_ok("labelx:y") && !query_ok("colour:red"),
	   "near misses of a key are errors, not labels or words: %s", psm_error_last());
	ok(!query_ok("is:maybe") && !query_ok("created>soon"), "bad values are errors");
}

int main(void)
{
	struct strbuf tmp = STRBUF_INIT;

	if (tap_scratch_dir(&tmp, "test-store") < 0)
		return 1;
	test_atomic(tmp.buf);
	test_ids();
	test_time();
	test_error();
	test_query();
	tap_remove(tmp.buf);
	strbuf_release(&tmp);
	return tap_done();
}
