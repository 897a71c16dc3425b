#ifndef PSM_TAP_H
#define PSM_TAP_H
/*
 * The unit tests' TAP harness: ok() prints one result line, and on failure
 * libpsm's last error, which is usually the reason; tap_done() prints the
 * plan and gives main() its exit status. Header-only because each test is
 * its own executable.
 */
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "psm/error.h"
#include "psm/fs.h"
#include "psm/strbuf.h"

static int ntests, nfailed;

static int ok(int cond, const char *fmt, ...) __attribute__((format(printf, 2, 3), unused));
static int ok(int cond, const char *fmt, ...)
{
	va_list ap;

	ntests++;
	printf("%sok %d - ", cond ? "" : "not ", ntests);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (!cond) {
		nfailed++;
		printf("# last psm error: %s\n", psm_error_last());
	}
	fflush(stdout);
	return cond;
}

static int tap_done(void) __attribute__((unused));
static int tap_done(void)
{
	printf("1..%d\n", ntests);
	return nfailed ? 1 : 0;
}

/* A new directory under $TMPDIR (or /tmp) named after the test. */
static int tap_scratch_dir(struct strbuf *dir, const char *name) __attribute__((unused));
static int tap_scratch_dir(struct strbuf *dir, const char *name)
{
	const char *tmp = getenv("TMPDIR");

	strbuf_addf(dir, "%s/psm-%s.XXXXXX", tmp && *tmp ? tmp : "/tmp", name);
	if (dir->oom || !mkdtemp(dir->buf)) {
		perror("mkdtemp");
		return -1;
	}
	return 0;
}

/* rm -rf, without a shell. */
static void tap_remove(const char *path) __attribute__((unused));
static void tap_remove(const char *path)
{
	struct dirent *de;
	struct stat st;
	DIR *d;

	if (lstat(path, &st) < 0)
		return;
	if (!S_ISDIR(st.st_mode) || !(d = opendir(path))) {
		unlink(path);
		return;
	}
	while ((de = readdir(d))) {
		struct strbuf sub = STRBUF_INIT;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		strbuf_addf(&sub, "%s/%s", path, de->d_name);
		tap_remove(sub.buf);
		strbuf_release(&sub);
	}
	closedir(d);
	rmdir(path);
}

/* Write text to root + rel (root ends with '/'), its folders made. */
static int tap_write_at(const char *root, const char *rel, const char *text) __attribute__((unused));
static int tap_write_at(const char *root, const char *rel, const char *text)
{
	struct strbuf full = STRBUF_INIT;
	int r;

	strbuf_addf(&full, "%s%s", root, rel);
	r = psm_mkdir_parents(full.buf) < 0 ? -1 : psm_write_file_atomic(full.buf, text, strlen(text));
	strbuf_release(&full);
	return r;
}

#endif
