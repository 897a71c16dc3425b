/*
 * Finishing the transaction of a psm that was killed while holding the
 * store lock (the journal format is in txn-int.h; the why in txn.c).
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "psm/error.h"
#include "psm/fs.h"
#include "txn-int.h"

void psm_txn_journal_clear(const char *journal)
{
	struct strbuf dir = STRBUF_INIT, f = STRBUF_INIT;
	struct dirent *de;
	DIR *d;

	unlink(journal); /* first: without it, leftover copies mean nothing */
	strbuf_addf(&dir, "%s.d", journal);
	if ((d = opendir(dir.buf))) {
		while ((de = readdir(d))) {
			if (de->d_name[0] == '.')
				continue;
			strbuf_reset(&f);
			strbuf_addf(&f, "%s/%s", dir.buf, de->d_name);
			unlink(f.buf);
		}
		closedir(d);
	}
	strbuf_release(&dir);
	strbuf_release(&f);
}

/*
 * The lock files libgit2 may have left, moving the branch inside
 * psm_git_commit when psm was killed: HEAD's and its branch's. Only those
 * at least as new as the journal, i.e. made after the dead psm started
 * writing. (Its index.lock says whose it is: psm_git_recover_index.)
 */
static void remove_stale_git_locks(const char *gitdir, time_t since)
{
	struct strbuf path = STRBUF_INIT, head = STRBUF_INIT;
	const char *names[3] = { "HEAD.lock", NULL, NULL };
	struct stat st;
	size_t i;

	strbuf_addf(&path, "%sHEAD", gitdir);
	if (strbuf_read_file(&head, path.buf, 4096) == 0 && !strncmp(head.buf, "ref: ", 5)) {
		strbuf_rtrim(&head);
		strbuf_addstr(&head, ".lock");
		if (!strstr(head.buf, ".."))
			names[1] = head.buf + 5;
	}
	for (i = 0; names[i]; i++) {
		strbuf_reset(&path);
		strbuf_addf(&path, "%s%s", gitdir, names[i]);
		if (lstat(path.buf, &st) == 0 && S_ISREG(st.st_mode) && st.st_mtime >= since)
			unlink(path.buf);
	}
	strbuf_release(&path);
	strbuf_release(&head);
}

/* A journal path must stay inside the work tree. */
static int safe_path(const char *p)
{
	return *p && *p != '/' && !strstr(p, "..") && !strchr(p, '\n');
}

/* Temporary files psm_write_file_atomic left for path: ".<name>.tmpXXXXXX". */
static void remove_temp_files(const char *full)
{
	struct strbuf dir = STRBUF_INIT, prefix = STRBUF_INIT, f = STRBUF_INIT;
	const char *slash = strrchr(full, '/');
	struct dirent *de;
	DIR *d;

	if (!slash)
		return;
	strbuf_add(&dir, full, (size_t)(slash - full));
	strbuf_addf(&prefix, ".%s.tmp", slash + 1);
	if ((d = opendir(dir.buf))) {
		while ((de = readdir(d))) {
			if (strncmp(de->d_name, prefix.buf, prefix.len))
				continue;
			strbuf_reset(&f);
			strbuf_addf(&f, "%s/%s", dir.buf, de->d_name);
			unlink(f.buf);
		}
		closedir(d);
	}
	strbuf_release(&dir);
	strbuf_release(&prefix);
	strbuf_release(&f);
}

/* Put path back as it was: the saved copy n, or no file. */
static int restore(struct psm_store *s, const char *journal, int existed, const char *n,
		   const char *full)
{
	struct strbuf copy = STRBUF_INIT, text = STRBUF_INIT;
	int r = 0;

	s->wrote++; /* a listing of the files taken before is stale */
	if (!existed) {
		if (unlink(full) < 0 && errno != ENOENT)
			r = psm_error_errno(PSM_ERROR, "could not remove '%s'", full);
		goto out;
	}
	strbuf_addf(&copy, "%s.d/%s", journal, n);
	if (strbuf_read_file(&text, copy.buf, 0) < 0) {
		/* no copy: the crash came before this file was touched */
		r = errno == ENOENT ? 0 : psm_error_errno(PSM_ERROR, "could not read '%s'", copy.buf);
		goto out;
	}
	r = psm_write_file_atomic(full, text.buf, text.len);
out:
	strbuf_release(&copy);
	strbuf_release(&text);
	return r;
}

int psm_txn_recover(struct psm_store *s, const char *journal)
{
	struct strbuf text = STRBUF_INIT, head = STRBUF_INIT, full = STRBUF_INIT;
	const char **paths = NULL;
	size_t npaths = 0, nlines = 0;
	char *line, *save = NULL;
	struct stat st;
	int r = 0, committed = 0;

	if (stat(journal, &st) < 0 || strbuf_read_file(&text, journal, 64 << 20) < 0) {
		r = errno == ENOENT ? 0 : psm_error_errno(PSM_ERROR, "could not read '%s'", journal);
		goto out;
	}
	remove_stale_git_locks(psm_git_gitdir(s->git), st.st_mtime);
	for (line = text.buf; *line; line++)
		nlines += *line == '\n';
	if (!(paths = calloc(nlines + 1, sizeof(*paths)))) {
		r = psm_oom();
		goto out;
	}
	line = strtok_r(text.buf, "\n", &save);
	if (!line || strncmp(line, PSM_JOURNAL_MAGIC " ", strlen(PSM_JOURNAL_MAGIC) + 1))
		goto clear; /* cut short before any file was written */
	if (!s->no_commit) {
		if ((r = psm_git_head(&head, s->git)) < 0)
			goto out;
		committed = strcmp(line + strlen(PSM_JOURNAL_MAGIC) + 1, head.len ? head.buf : "-");
	}
	while ((line = strtok_r(NULL, "\n", &save))) {
		char *n = strchr(line, ' '), *path = n ? strchr(n + 1, ' ') : NULL;

		if (!path || (line[0] != '0' && line[0] != '1') || !safe_path(path + 1))
			continue; /* a torn last line: its file was never touched */
		*path++ = '\0';
		strbuf_reset(&full);
		strbuf_addf(&full, "%s%s", s->root, path);
		if (full.oom) {
			r = psm_oom();
			goto out;
		}
		remove_temp_files(full.buf);
		paths[npaths++] = path;
		if (!committed && (r = restore(s, journal, line[0] == '1', n + 1, full.buf)) < 0)
			goto out;
	}
	/* The index is updated before HEAD moves: either may be half done. */
	if (!s->no_commit && (r = psm_git_recover_index(s->git, paths, npaths, committed)) < 0)
		goto out;
clear:
	psm_txn_journal_clear(journal);
out:
	free(paths);
	strbuf_release(&text);
	strbuf_release(&head);
	strbuf_release(&full);
	return r;
}
