#ifndef PSM_CACHE_H
#define PSM_CACHE_H
/*
 * Reading every issue: the store's read interface for commands that read
 * many issues (list, triage --queue, stats, review, roadmap, check,
 * followup, the similar index). Issues come one at a time, in path order,
 * so a command holds only what it keeps of them.
 *
 * Behind it is a derived cache, <gitdir>/psm/cache.db (SQLite; never
 * committed, never required): per issue file the file's stat data, its
 * content's git blob id, the parsed front matter, the body and what
 * `psm check` found. A file is trusted from the cache only if its stat data
 * match to the nanosecond (path, size, mtime, ctime, inode, device, mode,
 * owner) and were not racily clean when recorded (modified in the same
 * file-system tick the cache was written: re-read, as git does with its
 * index); any other file is read, and its row rewritten. A file whose
 * content is one the cache has seen (a branch checked out again) is read
 * and hashed but not parsed. A cache psm cannot open, of another format,
 * truncated or corrupt is dropped and rebuilt; a git directory psm cannot
 * write answers from the files alone. docs/cache.md has the details.
 */
#include <stddef.h>
#include <stdint.h>

#include "psm/issue.h"
#include "psm/store.h"

enum psm_scan_flags {
	/* every issue that parses, valid or not, with what check finds in it
	 * (psm_scan_problems); without it invalid issues are errors, as with
	 * psm_store_scan() */
	PSM_SCAN_ALL = 1,
	/* the bodies too (free-text search, priorities, JSON); without it
	 * issue->body is empty */
	PSM_SCAN_BODY = 2,
	/* no thread loading the next chunk while one is handed out: for a
	 * caller with a busy thread of its own beside the scan (triage's
	 * scorer), where one more thread than cores costs more than it saves */
	PSM_SCAN_NO_AHEAD = 4,
};

struct psm_scan;

/* Start reading s's issues; s->no_cache reads the files alone. */
int psm_scan_open(struct psm_scan **out, struct psm_store *s, unsigned flags);
/*
 * The next issue, in path order: 1 with *issue set (read-only, valid until
 * the next call), 0 at the end, negative on failure. Files that cannot be
 * read, and (without PSM_SCAN_ALL) issues psm check rejects, are not
 * returned: they land in psm_scan_errors(), as psm_store_scan() reports them.
 */
int psm_scan_next(struct psm_scan *sc, const struct psm_issue **issue);
/* Everything psm_issue_validate() finds in the current issue, appended to
 * diag; returns how many. */
int psm_scan_problems(struct psm_scan *sc, struct psm_issue_set *diag);
/* The files left out so far, in path order (errors only; n is 0). */
const struct psm_issue_set *psm_scan_errors(const struct psm_scan *sc);
/* psm_issue_set_abbrev() of the issues returned so far. */
size_t psm_scan_abbrev(const struct psm_scan *sc);
/* The current issue's content as a git blob id (40 hex digits), or NULL
 * when the scan has none: without a cache it hashes nothing. */
const char *psm_scan_oid(struct psm_scan *sc);
/* Ends the scan; the cache's changes are committed here. */
void psm_scan_free(struct psm_scan *sc);

/*
 * An issue kept past psm_scan_next(), compactly (its front matter packed,
 * about the size of its file): psm_row_load() gives back the issue as
 * psm_scan_next() did, body included if the scan read bodies.
 */
struct psm_row;
int psm_scan_keep(struct psm_row **out, struct psm_scan *sc);
int psm_row_load(struct psm_issue **out, const struct psm_row *row);
/*
 * Room to unpack kept issues into, one at a time: zeroed to start,
 * psm_row_space_release() when done. One per thread.
 */
struct psm_row_space {
	char *buf;
	size_t alloc;
};
/*
 * The kept issue unpacked into space, as psm_row_load() would give it but
 * in one block: no allocation once space is big enough, nothing to free.
 * *out is read-only and valid until space is used again or released; never
 * psm_issue_free() it.
 */
int psm_row_view(const struct psm_issue **out, struct psm_row_space *space,
		 const struct psm_row *row);
void psm_row_space_release(struct psm_row_space *space);
const char *psm_row_path(const struct psm_row *row);
void psm_row_free(struct psm_row *row);

/*
 * The current issue, made the caller's (psm_issue_free()): a set can be
 * built from a scan. The scan's pointer to it stays valid until then.
 */
int psm_scan_take(struct psm_issue **out, struct psm_scan *sc);

/*
 * psm_store_scan() through the cache, the same set (flags 0: valid issues
 * only; PSM_SCAN_ALL: psm_store_scan_raw()'s). Without PSM_SCAN_BODY the
 * issues have empty bodies; issues from the cache are for reading only
 * (their entries' raw text is not kept: never save them).
 */
int psm_cache_scan(struct psm_store *s, struct psm_issue_set *set, unsigned flags);

/* Where the cache lives: <gitdir>psm/cache.db, appended to out. */
int psm_cache_path(struct strbuf *out, struct psm_store *s);

/*
 * The store's issue files and their stat data, listed once per command:
 * the scan above and the similar index (lib/similar) read the same
 * listing, so a command that uses both lists and stats issues/ once.
 */

/* One name under issues/ that psm_store_scan() would read, with its lstat
 * data (mode 0 when lstat failed). */
struct psm_file_stat {
	const char *path;  /* "issues/XY/NAME.md" */
	int64_t dev, ino, mode, uid, gid, size, mtime, ctime; /* times in ns */
	int issue_name;    /* <ID>.md in the folder named by the ID */
};

/* A folder of issues/ and its mtime (ns), taken before it was read. */
struct psm_files_dir {
	const char *name;
	int64_t mtime;
};

struct psm_files {
	const struct psm_file_stat *f; /* sorted as psm_store_scan() sorts */
	size_t n;
	const struct psm_files_dir *dirs; /* by name; those that could be read */
	size_t ndirs;
	/* the file system's clock before the first lstat (ns), for
	 * psm_file_unchanged(); 0 when it could not be taken */
	int64_t ref;
	/* a folder that could not be read ("could not read '...'"), NULL if
	 * none: its files are missing from f */
	const char *err;
};

/*
 * s's listing: the one someone in this process holds now, unless a file
 * was written through s since it was taken (s->wrote); else taken anew,
 * after touching <gitdir>psm/list.time for the clock reference. A command
 * that reads through several parts (the triage session: the queue, then
 * the similar index) holds one listing across them, so they share it.
 * *out is the caller's, valid until psm_files_put(*out) whatever s does
 * meanwhile; put it before psm_store_free(s).
 */
int psm_files_get(struct psm_files **out, struct psm_store *s);
void psm_files_put(struct psm_files *files);

/*
 * The cache's rule for "this file is as it was": 1 if now's stat data equal
 * then's (all of them, to the nanosecond) and then was not racily clean
 * against ref, the clock reference of the listing then came from (then's
 * mtime and ctime older than ref by more than a clock step: 20 ms, 2 s when
 * the times are whole seconds, as git's index). ref 0: never (0).
 */
int psm_file_unchanged(const struct psm_file_stat *now, const struct psm_file_stat *then,
		       int64_t ref);

/*
 * id's short form, as psm_store_abbrev() makes it (long enough to tell it
 * from every other issue file's name), from the listing instead of a
 * folder read: for a command that prints many issues' short IDs. Appended
 * to out. The first call indexes the listing's issue names (kept with it):
 * not from two threads at once.
 */
int psm_files_abbrev(struct strbuf *out, struct psm_files *files, const char *id);

#endif
