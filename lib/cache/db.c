/*
 * The cache's SQLite file. Two connections: one reads the rows in path
 * order inside one read transaction (a snapshot: what another psm writes
 * meanwhile is not half seen), the other writes what changed, in
 * transactions of a few thousand rows. WAL mode lets them, and other psm
 * processes, run at once; synchronous=NORMAL is crash-safe in WAL mode (a
 * crash may lose the last transactions, never tear the file). Tables:
 *
 *   meta(key, value)   'key': what the rows were derived with
 *   file(path, stat data, ref, oid, cfg, meta, problems)   one per file
 *   body(path, body)   the bodies, apart: most reads skip them
 *   spare(oid, meta, body)   contents replaced or deleted, by blob id,
 *                      for a branch checked out again (the newest kept)
 */
#include "cache-int.h"

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "psm/error.h"
#include "psm/fs.h"

#define BATCH_ROWS 4000     /* rows per write transaction */
#define SPARE_MIN 1000      /* contents kept for reuse: this many, or the file count */
#define WRITE_WAIT_MS 250   /* for another psm's write transaction to end */

static const char schema[] =
	"PRAGMA journal_mode=WAL;"
	"CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;"
	"CREATE TABLE IF NOT EXISTS file(path TEXT PRIMARY KEY, stat BLOB, oid BLOB, cfg INTEGER,"
	" meta BLOB, problems BLOB) WITHOUT ROWID;"
	"CREATE TABLE IF NOT EXISTS body(path TEXT PRIMARY KEY, body BLOB) WITHOUT ROWID;"
	"CREATE TABLE IF NOT EXISTS spare(oid BLOB UNIQUE, meta BLOB, body BLOB);";

enum {
	S_ROWS, S_BODIES, S_SPARE, S_PUT, S_PUT_BODY, S_TOUCH, S_PROBLEMS, S_TO_SPARE,
	S_DEL, S_DEL_BODY, S_NSTMT
};

static const char *const sql[S_NSTMT] = {
	[S_ROWS] = "SELECT path, stat, oid, cfg, meta, problems FROM file ORDER BY path",
	[S_BODIES] = "SELECT path, body FROM body ORDER BY path",
	[S_SPARE] = "SELECT meta, body FROM spare WHERE oid = ?",
	[S_PUT] = "INSERT OR REPLACE INTO file VALUES(?,?,?,?,?,?)",
	[S_PUT_BODY] = "INSERT OR REPLACE INTO body VALUES(?,?)",
	[S_TOUCH] = "UPDATE file SET stat=?2 WHERE path=?1",
	[S_PROBLEMS] = "UPDATE file SET cfg=?2, problems=?3 WHERE path=?1",
	[S_TO_SPARE] = "INSERT OR REPLACE INTO spare(oid, meta, body) SELECT f.oid, f.meta,"
		       " b.body FROM file f JOIN body b ON b.path = f.path"
		       " WHERE f.path = ? AND f.oid IS NOT NULL AND f.meta IS NOT NULL",
	[S_DEL] = "DELETE FROM file WHERE path = ?",
	[S_DEL_BODY] = "DELETE FROM body WHERE path = ?",
};

/* The stat data as stored: dev, ino, mode, uid, gid, size, mtime, ctime
 * and ref, 8 bytes each, little-endian. */
#define STAT_BYTES 72

static void get_stat(struct cache_known *k, const unsigned char *b)
{
	int64_t *v[9] = { &k->dev, &k->ino, &k->mode, &k->uid, &k->gid, &k->size, &k->mtime,
			  &k->ctime, &k->ref };
	size_t i;
	int j;

	for (i = 0; i < 9; i++) {
		uint64_t x = 0;

		for (j = 7; j >= 0; j--)
			x = x << 8 | b[8 * i + (size_t)j];
		*v[i] = (int64_t)x;
	}
}

struct cache_db {
	sqlite3 *rd, *wr;
	sqlite3_stmt *st[S_NSTMT];
	char *path, *stamp;
	int reading;        /* rd's read transaction is open */
	int row_ok, body_ok; /* the cursors stand on a row */
	int body_started;   /* the body cursor is stepped only when asked */
	int row_taken;      /* the row cursor stands on a row already handed out */
	int writing;        /* wr's transaction is open */
	int nowrite;        /* writing given up (busy, read-only, failed) */
	size_t pending;     /* rows written in the open transaction */
	size_t nfiles;      /* files seen, for pruning spare */
};

static void close_conns(struct cache_db *db)
{
	int i;

	for (i = 0; i < S_NSTMT; i++) {
		sqlite3_finalize(db->st[i]);
		db->st[i] = NULL;
	}
	sqlite3_close(db->rd);
	sqlite3_close(db->wr);
	db->rd = db->wr = NULL;
}

void cache_db_close(struct cache_db *db)
{
	if (!db)
		return;
	cache_db_rows_end(db);
	cache_db_commit(db);
	close_conns(db);
	free(db->path);
	free(db->stamp);
	free(db);
}

/* A database file to remove: another format, or damaged. */
static int broken(int rc)
{
	return rc == SQLITE_CORRUPT || rc == SQLITE_NOTADB || rc == SQLITE_CANTOPEN ||
	       rc == SQLITE_FORMAT || rc == SQLITE_IOERR;
}

static void remove_files(const char *path)
{
	struct strbuf sb = STRBUF_INIT;

	unlink(path);
	strbuf_addf(&sb, "%s-wal", path);
	unlink(sb.buf);
	strbuf_reset(&sb);
	strbuf_addf(&sb, "%s-shm", path);
	unlink(sb.buf);
	strbuf_release(&sb);
}

static int open_conn(sqlite3 **out, const char *path)
{
	int rc = sqlite3_open_v2(path, out, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
				 SQLITE_OPEN_NOMUTEX, NULL);

	if (rc != SQLITE_OK)
		return rc;
	sqlite3_busy_timeout(*out, WRITE_WAIT_MS);
	/* no mmap: mapped pages would count as the command's memory; big pages
	 * keep the reads few */
	return sqlite3_exec(*out, "PRAGMA synchronous=NORMAL; PRAGMA cache_size=-4096",
			    NULL, NULL, NULL);
}

/* The stored key, or NULL; *rc the outcome. */
static char *stored_key(sqlite3 *c, int *rc)
{
	sqlite3_stmt *st = NULL;
	char *v = NULL;

	*rc = sqlite3_prepare_v2(c, "SELECT value FROM meta WHERE key = 'key'", -1, &st, NULL);
	if (*rc == SQLITE_OK && (*rc = sqlite3_step(st)) == SQLITE_ROW)
		v = psm_strdup((const char *)sqlite3_column_text(st, 0));
	if (*rc == SQLITE_ROW || *rc == SQLITE_DONE)
		*rc = SQLITE_OK;
	sqlite3_finalize(st);
	return v;
}

/* Make the tables, empty, for key (another key's rows are all dropped). */
static int reset(sqlite3 *c, const char *key)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = sqlite3_exec(c, "BEGIN IMMEDIATE; DROP TABLE IF EXISTS meta; DROP TABLE IF EXISTS file;"
			  "DROP TABLE IF EXISTS body; DROP TABLE IF EXISTS spare;", NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(c, schema + strlen("PRAGMA journal_mode=WAL;"), NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(c, "INSERT INTO meta VALUES('key', ?)", -1, &st, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
		rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(c);
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(c, "COMMIT", NULL, NULL, NULL);
	else
		sqlite3_exec(c, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

static int try_open(struct cache_db *db, const char *key)
{
	char *have;
	int rc, i;

	if ((rc = open_conn(&db->wr, db->path)) != SQLITE_OK)
		return rc;
	/* a new file: big pages keep a row (a few hundred bytes to a few KiB)
	 * on one page; WAL so that readers never wait for a writer */
	if ((rc = sqlite3_exec(db->wr, "PRAGMA page_size=16384", NULL, NULL, NULL)) != SQLITE_OK ||
	    (rc = sqlite3_exec(db->wr, schema, NULL, NULL, NULL)) != SQLITE_OK)
		return rc;
	have = stored_key(db->wr, &rc);
	if (rc == SQLITE_OK && (!have || strcmp(have, key)))
		rc = reset(db->wr, key);
	free(have);
	if (rc != SQLITE_OK || (rc = open_conn(&db->rd, db->path)) != SQLITE_OK)
		return rc;
	for (i = 0; i < S_NSTMT && rc == SQLITE_OK; i++)
		rc = sqlite3_prepare_v3(i == S_ROWS || i == S_BODIES || i == S_SPARE ? db->rd : db->wr,
					sql[i], -1, SQLITE_PREPARE_PERSISTENT, &db->st[i], NULL);
	return rc;
}

int cache_db_open(struct cache_db **out, const char *path, const char *key)
{
	struct cache_db *db = calloc(1, sizeof(*db));
	struct strbuf stamp = STRBUF_INIT;
	int rc, r;

	*out = NULL;
	strbuf_addf(&stamp, "%s.time", path);
	if (!db || stamp.oom || !(db->path = psm_strdup(path))) {
		free(db);
		strbuf_release(&stamp);
		return psm_oom();
	}
	db->stamp = strbuf_detach(&stamp, NULL);
	if ((r = psm_mkdir_parents(path)) < 0)
		goto fail;
	/* a file we may not use: made again if we may */
	if (access(path, F_OK) == 0 && access(path, R_OK | W_OK) < 0)
		remove_files(path);
	rc = try_open(db, key);
	if (rc != SQLITE_OK && broken(rc)) {
		/* not a database of ours, or damaged: a cache is made again */
		close_conns(db);
		remove_files(path);
		rc = try_open(db, key);
	}
	if (rc != SQLITE_OK)
		goto fail;
	*out = db;
	return 0;
fail:
	cache_db_close(db);
	psm_error_clear();
	return PSM_ENOTFOUND; /* read the files alone */
}

void cache_db_drop(struct cache_db *db)
{
	cache_db_rows_end(db);
	if (db->writing) {
		sqlite3_exec(db->wr, "ROLLBACK", NULL, NULL, NULL);
		db->writing = 0;
	}
	if (sqlite3_exec(db->wr, "BEGIN IMMEDIATE; DELETE FROM file; DELETE FROM body;"
			 "DELETE FROM spare; COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		sqlite3_exec(db->wr, "ROLLBACK", NULL, NULL, NULL);
		/* cannot even empty it: nobody should trust it */
		close_conns(db);
		remove_files(db->path);
	}
	db->nowrite = 1;
}

int cache_db_rows_begin(struct cache_db *db)
{
	int rc = sqlite3_exec(db->rd, "BEGIN", NULL, NULL, NULL);

	if (rc != SQLITE_OK)
		return PSM_EPARSE;
	db->reading = 1;
	db->body_started = db->body_ok = db->row_taken = 0;
	rc = sqlite3_step(db->st[S_ROWS]);
	db->row_ok = rc == SQLITE_ROW;
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : PSM_EPARSE;
}

/* Step a cursor to the first row at or past path: 1 on it, 0 past it. */
static int seek(sqlite3_stmt *st, int *ok, const char *path, int *damaged)
{
	while (*ok) {
		const char *p = (const char *)sqlite3_column_text(st, 0);
		int c = p ? strcmp(p, path) : -1;

		if (!c)
			return 1;
		if (c > 0)
			return 0;
		*ok = sqlite3_step(st) == SQLITE_ROW;
		if (!*ok && sqlite3_errcode(sqlite3_db_handle(st)) != SQLITE_DONE)
			*damaged = 1;
	}
	return 0;
}

int cache_db_rows_seek(struct cache_db *db, const char *path, struct cache_known *k,
		       const char **gone)
{
	sqlite3_stmt *st = db->st[S_ROWS];
	int damaged = 0, found;

	*gone = NULL;
	if (db->row_taken) {
		db->row_taken = 0;
		if (cache_db_rows_skip(db) < 0)
			return PSM_EPARSE;
	}
	/* rows before path are files that went away: one at a time to the caller */
	if (db->row_ok) {
		const char *p = (const char *)sqlite3_column_text(st, 0);

		if (p && strcmp(p, path) < 0) {
			*gone = p;
			return 2;
		}
	}
	found = seek(st, &db->row_ok, path, &damaged);
	if (damaged)
		return PSM_EPARSE;
	if (!found)
		return 0;
	db->row_taken = 1;
	/* the stat data in one blob: one column, not nine, per row */
	if (sqlite3_column_bytes(st, 1) != STAT_BYTES)
		return PSM_EPARSE;
	get_stat(k, sqlite3_column_blob(st, 1));
	k->has_oid = sqlite3_column_bytes(st, 2) == 20;
	if (k->has_oid)
		memcpy(k->oid, sqlite3_column_blob(st, 2), 20);
	k->cfg = (uint64_t)sqlite3_column_int64(st, 3);
	return 1;
}

/* Past the row the caller was told is gone. */
int cache_db_rows_skip(struct cache_db *db)
{
	db->row_ok = sqlite3_step(db->st[S_ROWS]) == SQLITE_ROW;
	if (!db->row_ok && sqlite3_errcode(db->rd) != SQLITE_DONE)
		return PSM_EPARSE;
	return 0;
}

void cache_db_row(struct cache_db *db, const void **meta, size_t *mlen, const void **problems,
		  size_t *plen)
{
	sqlite3_stmt *st = db->st[S_ROWS];

	*meta = sqlite3_column_blob(st, 4);
	*mlen = (size_t)sqlite3_column_bytes(st, 4);
	*problems = sqlite3_column_blob(st, 5);
	*plen = (size_t)sqlite3_column_bytes(st, 5);
}

int cache_db_row_body(struct cache_db *db, const char *path, const void **body, size_t *len)
{
	sqlite3_stmt *st = db->st[S_BODIES];
	int damaged = 0, rc;

	if (!db->body_started) {
		db->body_started = 1;
		rc = sqlite3_step(st);
		db->body_ok = rc == SQLITE_ROW;
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return PSM_EPARSE;
	}
	if (!seek(st, &db->body_ok, path, &damaged))
		return damaged ? PSM_EPARSE : 0;
	*body = sqlite3_column_blob(st, 1);
	*len = (size_t)sqlite3_column_bytes(st, 1);
	return 1;
}

void cache_db_rows_end(struct cache_db *db)
{
	if (!db->reading)
		return;
	sqlite3_reset(db->st[S_ROWS]);
	sqlite3_reset(db->st[S_BODIES]);
	sqlite3_exec(db->rd, "COMMIT", NULL, NULL, NULL);
	db->reading = db->row_ok = db->body_ok = db->body_started = db->row_taken = 0;
}

int cache_db_spare(struct cache_db *db, const unsigned char *oid, struct strbuf *meta,
		   struct strbuf *body)
{
	sqlite3_stmt *st = db->st[S_SPARE];
	int found = 0;

	sqlite3_bind_blob(st, 1, oid, 20, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_bytes(st, 0) &&
	    sqlite3_column_bytes(st, 1)) {
		strbuf_add(meta, sqlite3_column_blob(st, 0), (size_t)sqlite3_column_bytes(st, 0));
		strbuf_add(body, sqlite3_column_blob(st, 1), (size_t)sqlite3_column_bytes(st, 1));
		found = 1;
	}
	sqlite3_reset(st);
	return meta->oom || body->oom ? psm_oom() : found;
}

/* ---- writing ---------------------------------------------------------- */

/* Run a write statement (reset after); on failure stop writing for this run. */
static int run(struct cache_db *db, int which)
{
	sqlite3_stmt *st = db->st[which];
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc == SQLITE_DONE)
		return 0;
	sqlite3_exec(db->wr, "ROLLBACK", NULL, NULL, NULL);
	db->writing = 0;
	db->nowrite = 1;
	return -1;
}

/* Before each write: a transaction, begun if none (another psm writing
 * the cache: ours is dropped, not waited for). */
static int begin(struct cache_db *db)
{
	if (db->nowrite)
		return -1;
	if (db->writing)
		return 0;
	if (sqlite3_exec(db->wr, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
		db->nowrite = 1;
		return -1;
	}
	db->writing = 1;
	db->pending = 0;
	return 0;
}

static int end_row(struct cache_db *db)
{
	if (++db->pending < BATCH_ROWS)
		return 0;
	/* a batch at a time: a psm killed meanwhile keeps what was written */
	if (sqlite3_exec(db->wr, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		sqlite3_exec(db->wr, "ROLLBACK", NULL, NULL, NULL);
		db->nowrite = 1;
	}
	db->writing = 0;
	return 0;
}

static void bind_stat(sqlite3_stmt *st, const struct psm_file_stat *f, int64_t ref)
{
	const int64_t v[9] = { f->dev, f->ino, f->mode, f->uid, f->gid, f->size, f->mtime,
			       f->ctime, ref };
	unsigned char b[STAT_BYTES];
	size_t i;
	int j;

	for (i = 0; i < 9; i++)
		for (j = 0; j < 8; j++)
			b[8 * i + (size_t)j] = (unsigned char)((uint64_t)v[i] >> (8 * j));
	sqlite3_bind_blob(st, 2, b, STAT_BYTES, SQLITE_TRANSIENT);
}

static int to_spare(struct cache_db *db, const char *path)
{
	sqlite3_bind_text(db->st[S_TO_SPARE], 1, path, -1, SQLITE_STATIC);
	return run(db, S_TO_SPARE);
}

int cache_db_put(struct cache_db *db, const struct cache_put *p)
{
	sqlite3_stmt *st = db->st[S_PUT], *sb = db->st[S_PUT_BODY];

	if (begin(db) < 0 || (p->replacing && to_spare(db, p->path) < 0))
		return 0;
	sqlite3_bind_text(st, 1, p->path, -1, SQLITE_STATIC);
	bind_stat(st, p->st, p->ref);
	sqlite3_bind_blob(st, 3, p->oid, 20, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)p->cfg);
	if (p->meta)
		sqlite3_bind_blob(st, 5, p->meta, (int)p->meta_len, SQLITE_STATIC);
	sqlite3_bind_blob(st, 6, p->problems, (int)p->problems_len, SQLITE_STATIC);
	if (run(db, S_PUT) < 0)
		return 0;
	sqlite3_bind_text(sb, 1, p->path, -1, SQLITE_STATIC);
	sqlite3_bind_blob(sb, 2, p->body, (int)p->body_len, SQLITE_STATIC);
	if (run(db, S_PUT_BODY) < 0)
		return 0;
	return end_row(db);
}

int cache_db_touch(struct cache_db *db, const char *path, const struct psm_file_stat *s,
		   int64_t ref)
{
	sqlite3_stmt *st = db->st[S_TOUCH];

	if (begin(db) < 0)
		return 0;
	sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
	bind_stat(st, s, ref);
	if (run(db, S_TOUCH) < 0)
		return 0;
	return end_row(db);
}

int cache_db_put_problems(struct cache_db *db, const char *path, uint64_t cfg,
			  const void *problems, size_t len)
{
	sqlite3_stmt *st = db->st[S_PROBLEMS];

	if (begin(db) < 0)
		return 0;
	sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)cfg);
	sqlite3_bind_blob(st, 3, problems, (int)len, SQLITE_STATIC);
	if (run(db, S_PROBLEMS) < 0)
		return 0;
	return end_row(db);
}

int cache_db_delete(struct cache_db *db, const char *path)
{
	if (begin(db) < 0 || to_spare(db, path) < 0)
		return 0;
	sqlite3_bind_text(db->st[S_DEL], 1, path, -1, SQLITE_STATIC);
	if (run(db, S_DEL) < 0)
		return 0;
	sqlite3_bind_text(db->st[S_DEL_BODY], 1, path, -1, SQLITE_STATIC);
	if (run(db, S_DEL_BODY) < 0)
		return 0;
	return end_row(db);
}

void cache_db_seen(struct cache_db *db, size_t nfiles)
{
	db->nfiles = nfiles;
}

int cache_db_commit(struct cache_db *db)
{
	if (!db->writing)
		return 0;
	{
		/* the newest contents stay for reuse, as many as there are files */
		sqlite3_stmt *st = NULL;
		size_t keep = db->nfiles > SPARE_MIN ? db->nfiles : SPARE_MIN;

		if (sqlite3_prepare_v2(db->wr, "DELETE FROM spare WHERE rowid <="
				       " (SELECT max(rowid) FROM spare) - ?", -1, &st, NULL) == SQLITE_OK) {
			sqlite3_bind_int64(st, 1, (sqlite3_int64)keep);
			sqlite3_step(st);
		}
		sqlite3_finalize(st);
	}
	if (sqlite3_exec(db->wr, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		sqlite3_exec(db->wr, "ROLLBACK", NULL, NULL, NULL);
		db->nowrite = 1;
	}
	db->writing = 0;
	return 0;
}

int cache_db_writable(const struct cache_db *db)
{
	return !db->nowrite;
}

int cache_db_clock(struct cache_db *db, int64_t *ns)
{
	struct stat st;
	int fd = open(db->stamp, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0666);
	int ok;

	if (fd < 0)
		return -1;
	/* the file system's own clock: what it stamps the next change with */
	ok = futimens(fd, NULL) == 0 && fstat(fd, &st) == 0;
	close(fd);
	if (!ok)
		return -1;
	*ns = (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
	return 0;
}
