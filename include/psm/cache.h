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
/* The current issue's content as a git blob id (40 hex digits). */
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

#endif
