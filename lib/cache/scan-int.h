#ifndef PSM_CACHE_SCAN_INT_H
#define PSM_CACHE_SCAN_INT_H
/*
 * The scan's insides, shared by scan.c (opening, handing out, the loader,
 * keeping) and scan-load.c (loading a chunk: steps 1 to 4 of scan.c).
 */
#include <pthread.h>

#include "cache-int.h"
#include "psm/cache.h"

#define CHUNK 512
/* a chunk with fewer files to read than this is loaded on one thread
 * (run_steps()), and the one after it ahead (next_chunk()) */
#define FEW_READS 16
#define MAX_THREADS 8

enum state {
	I_NAME,    /* not an issue file name: not read */
	I_PLAIN,   /* not a regular file: read as psm_store_scan() reads it */
	I_CLEAN,   /* the row stands for the file */
	I_READ,    /* to be read and hashed */
	I_SAME,    /* read: the content the row holds */
	I_LOOKUP,  /* read: a content to look for in spare */
	I_SPARE,   /* read: a content spare holds */
	I_PARSE,   /* read: to be parsed */
	I_DONE,    /* parsed, or failed, this run */
};

struct item {
	const struct psm_file_stat *f;
	size_t shard, at;       /* where f is: the run (folder) and index in it */
	enum state state;
	int has_row;            /* the cache has a row for the path (k) */
	int row_ok;             /* its meta, problems (and body if needed) copied */
	struct cache_known k;
	struct strbuf meta, problems, body; /* packed */
	int parse_error;        /* no meta: problems hold the parse error */
	int recheck;            /* the config changed since the problems were found */
	int checked;            /* problems found this run: in diag (and packed) */
	int damaged;            /* the row's bytes do not unpack */
	int verified;           /* meta and body are the row's, checksums checked */
	int nproblems;          /* in problems, when not checked this run */
	struct psm_issue *issue; /* parsed or unpacked this run */
	struct psm_issue *view;  /* unpacked into the scan's arena */
	struct psm_issue_set diag;
	struct strbuf text;     /* the file */
	unsigned char oid[20];
	int has_oid;
	struct psm_file_stat st; /* the file as read (fstat) */
	int cacheable;          /* read with the clock taken: its row may be written */
	int failed, eline, ecol; /* could not be read or parsed */
	char *emsg;
};

/* The thread that loads the next chunk while one is handed out. */
struct loader {
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int started;            /* th runs */
	int want, done, quit;   /* under mu: a load asked, finished; stop */
	int pending;            /* a load asked and not yet taken (reading thread's) */
	int r;                  /* the load's outcome */
	struct strbuf err;      /* its error message: errors are per thread */
};

struct psm_scan {
	struct psm_store *s;
	unsigned flags;
	struct cache_db *db;
	uint64_t cfg;
	int64_t t0;
	int have_t0, no_t0;
	struct psm_files *list; /* the store's listing (cache_files_open) */
	int streaming;          /* taken a folder at a time as it is listed */
	const struct psm_file_stat *files; /* the run: a folder, or every file */
	size_t nfiles, next, shard;
	size_t seen;            /* how many files the listing has, once known */
	/* two chunks: one loaded (chunk, nchunk), one handed out (hand,
	 * nhand, pos); they change places when a load is taken */
	struct item bufs[2][CHUNK];
	struct item *chunk, *hand;
	size_t nchunk, nhand, pos;
	size_t chunk_reads;     /* files of the chunk loaded that were read */
	struct loader ld;
	struct item *cur;
	const struct psm_issue *cur_issue;
	struct cache_arena arena;
	struct psm_issue_set errors;
	size_t abbrev;
	char prev[PSM_ID_LEN + 1];
	char hex[41];
	int ended, nthreads;
};

/* scan-load.c */
void scan_item_clear(struct item *it);
/* Run i of the files: with a listing under way, folder i once listed. */
int scan_take_run(struct psm_scan *sc, size_t i);
/* A damaged cache: nothing more of it is used, and it is made again. */
void scan_cache_damaged(struct psm_scan *sc);
/* The next chunk of files through steps 1 to 4, into sc->chunk. */
int scan_load_chunk(struct psm_scan *sc);

#endif
