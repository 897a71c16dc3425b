#ifndef PSM_CACHE_INT_H
#define PSM_CACHE_INT_H
/* Inside the cache: pack.c (issues to bytes and back), db.c (the SQLite
 * file), list.c (the files and their stat data), scan.c (the read). */
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "psm/cache.h"
#include "psm/strbuf.h"

/* ---- pack.c: an issue's front matter as bytes ---- */

/*
 * The front matter of a parsed issue: every entry's key and value tree
 * with the values' file positions (what psm check reports), body_line and
 * sort_created, then a checksum: a row damaged on disk is never trusted.
 * The raw text of entries (kept for rewriting) is not packed: an issue
 * from the cache is for reading.
 */
int cache_pack_issue(struct strbuf *out, const struct psm_issue *issue);
/* A body with its checksum. */
int cache_pack_body(struct strbuf *out, const char *body, size_t len);
/* Problems psm_issue_validate() found (diag's errors from `from` on) or a
 * parse error, without their path (the row's). */
int cache_pack_problems(struct strbuf *out, const struct psm_issue_set *diag, size_t from);

/* Memory an unpacked issue lives in, reused from issue to issue. */
struct cache_arena {
	char *buf;
	size_t alloc;
};
void cache_arena_release(struct cache_arena *a);

/*
 * Unpack into the arena (one block, nothing to free; valid until the arena
 * is used again) or, with a NULL arena, as an ordinary issue the caller
 * frees with psm_issue_free(). PSM_EPARSE when the bytes are damaged.
 */
int cache_unpack_issue(struct psm_issue **out, struct cache_arena *a, const void *meta,
		       size_t len, const char *path, const void *body, size_t blen);
/*
 * The same for bytes this process verified or packed itself (a kept row):
 * the checksum is not computed again. The bytes are still read with every
 * bound checked.
 */
int cache_unpack_kept(struct psm_issue **out, struct cache_arena *a, const void *meta,
		      size_t len, const char *path, const void *body, size_t blen);
/* The body packed by cache_pack_body: PSM_EPARSE when damaged. */
int cache_unpack_body(const char **text, size_t *len, const void *packed, size_t plen);
/* The same for a body whose checksum was checked (cache_body_ok()). */
int cache_unpack_body_kept(const char **text, size_t *len, const void *packed, size_t plen);
/* Whether packed meta and a packed body match their checksums: checked
 * where the scan copies a row, so that unpacking it need not. */
int cache_meta_ok(const void *meta, size_t len);
int cache_body_ok(const void *packed, size_t plen);
/* Append the packed problems to diag under path; returns how many. */
int cache_unpack_problems(struct psm_issue_set *diag, const char *path, const void *p,
			  size_t len);
/* How many problems are packed (-1 when damaged). */
int cache_problem_count(const void *p, size_t len);

/* 64-bit hash (not cryptographic): checksums and the config's identity. */
uint64_t cache_hash64(const void *data, size_t len, uint64_t seed);

/* ---- list.c: the issue files and their stat data ---- */

/* A file's stat data (struct psm_file_stat, cache.h) from a struct stat. */
void cache_file_stat(struct psm_file_stat *f, const struct stat *st);

/*
 * s's listing for a scan (psm_files_get()'s, held): the whole one if it is
 * there (*streaming 0: files->f), else one under way (*streaming 1), whose
 * folders cache_files_shard() gives in order as they are listed: 1 with
 * folder i's files (valid until cache_files_close()), 0 past the last,
 * negative when it could not be read.
 */
int cache_files_open(struct psm_files **out, int *streaming, struct psm_store *s);
int cache_files_shard(struct psm_files *files, size_t i, const struct psm_file_stat **f,
		      size_t *n);
/* How many files the listing has (waiting for it). */
size_t cache_files_count(struct psm_files *files);
/* No more folders taken (streaming): a whole listing asked for since
 * drops the folders' own copies. */
void cache_files_done(struct psm_files *files);
/* The scan's hold let go (streaming: unless done already, done). */
void cache_files_close(struct psm_files *files, int streaming);

/* ---- db.c: the SQLite file ---- */

struct cache_db;

/* What the cache holds of one path. */
struct cache_known {
	int64_t dev, ino, mode, uid, gid, size, mtime, ctime, ref;
	unsigned char oid[20];
	int has_oid;
	uint64_t cfg;
};

/* The row for a path as the scan writes it. */
struct cache_put {
	const char *path;
	const struct psm_file_stat *st;
	int64_t ref;
	const unsigned char *oid;
	uint64_t cfg;
	const void *meta;      /* NULL: the file does not parse */
	size_t meta_len;
	const void *problems;
	size_t problems_len;
	const void *body;      /* packed */
	size_t body_len;
	int replacing;         /* a row with another content is there: spare it */
};

/*
 * Open (creating) the cache at path. key names what the rows were derived
 * with (format, psm and libyaml versions): another key drops them all. A
 * file that is not a database, or is damaged, is removed and made again.
 * PSM_ENOTFOUND when the cache cannot be used at all (a read-only git
 * directory): the caller reads the files alone.
 */
int cache_db_open(struct cache_db **out, const char *path, const char *key);
void cache_db_close(struct cache_db *db);
/* Empty the cache (a damaged row was found) and write no more this run. */
void cache_db_drop(struct cache_db *db);

/* The rows, in path order (a snapshot; bodies read as they are asked for). */
int cache_db_rows_begin(struct cache_db *db);
/*
 * Advance to path: 1 if its row is there (k filled; cache_db_row() reads
 * the rest), 0 if not, 2 with *gone set to a row before path (a file that
 * went away: cache_db_rows_skip() passes it), PSM_EPARSE when damaged.
 */
int cache_db_rows_seek(struct cache_db *db, const char *path, struct cache_known *k,
		       const char **gone);
int cache_db_rows_skip(struct cache_db *db);
/* The current row's packed front matter and problems (valid until the
 * next seek). */
void cache_db_row(struct cache_db *db, const void **meta, size_t *mlen, const void **problems,
		  size_t *plen);
/* The body of path's row: 1 with it, 0 if none, PSM_EPARSE when damaged. */
int cache_db_row_body(struct cache_db *db, const char *path, const void **body, size_t *len);
void cache_db_rows_end(struct cache_db *db);

/* A content seen before, by blob id: its meta and packed body appended.
 * 1 if found. */
int cache_db_spare(struct cache_db *db, const unsigned char *oid, struct strbuf *meta,
		   struct strbuf *body);

/* Writes, in transactions of a few thousand rows. A failure (another psm
 * writing the cache, a full disk) stops the writing, never the read. */
int cache_db_put(struct cache_db *db, const struct cache_put *p);
/* Only the stat data changed (the same content): */
int cache_db_touch(struct cache_db *db, const char *path, const struct psm_file_stat *st,
		   int64_t ref);
int cache_db_put_problems(struct cache_db *db, const char *path, uint64_t cfg,
			  const void *problems, size_t len);
int cache_db_delete(struct cache_db *db, const char *path);
/* How many files the store has: spare keeps as many contents. */
void cache_db_seen(struct cache_db *db, size_t nfiles);
int cache_db_writable(const struct cache_db *db);
/* Commit what was written. */
int cache_db_commit(struct cache_db *db);

/* The file system's clock now, in ns (the racy-clean reference): a file
 * changed from now on has an mtime and ctime at least this. */
int cache_db_clock(struct cache_db *db, int64_t *ns);

#endif
