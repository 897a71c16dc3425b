#ifndef PSM_SIMILAR_INT_H
#define PSM_SIMILAR_INT_H
/* Inside the similarity index: shared by similar.c (words, vectors, queries)
 * and similar-index.c (the index file and keeping it fresh). */
#include <stdint.h>

#include "psm/similar.h"
#include "psm/strbuf.h"

/* A term's count holds title occurrences in the high 16 bits, body ones in
 * the low 16; a title occurrence weighs SIM_TITLE_BOOST times a body one. */
#define SIM_TITLE_ONE (1u << 16)
#define SIM_TITLE_BOOST 6.0 /* tuned on the backlog-md corpus: docs/triage.md */
#define SIM_BODY_MAX (64 << 10) /* body bytes read for words */

/* String -> index map, open addressing; slots hold index + 1. */
struct sim_map {
	uint32_t *slot;
	size_t cap, n;
};

struct sim_tf {
	uint32_t term, count;
	float w; /* tf-idf weight / the document's norm (recompute_weights) */
};

/* What the index records of one issue file. */
struct sim_doc {
	char *path;                   /* store-relative; the map key */
	char id[PSM_ID_LEN + 1];
	char dup_of[PSM_ID_LEN + 1];  /* closed as a duplicate of; "" if not */
	char *title, *status;
	int64_t closed;               /* close time; 0 while open */
	uint64_t ino;                 /* the file as indexed: */
	int64_t mtime_ns, size;
	/* the rest of its stat data and the clock reference they were taken
	 * after (psm_file_unchanged, cache.h); ref 0: read it again */
	int64_t dev, mode, uid, gid, ctime_ns, ref;
	struct sim_tf *tf;            /* sorted by term */
	uint32_t nt;
	int live;                     /* 0: the file went away */
	double norm;
};

/* A shard directory (issues/XY) and its mtime when the full walk listed it. */
struct sim_shard {
	char name[3];
	int64_t mtime_ns;
};

struct sim_quick;

struct psm_similar {
	struct psm_store *store;
	struct sim_quick *quick;      /* the hint's view (similar-quick.c), or NULL */
	struct strbuf file;           /* the index file's path */
	char **terms;
	uint32_t *df;
	uint32_t nterms;
	size_t talloc;
	struct sim_map term_map;
	struct sim_doc *docs;
	size_t ndocs, dalloc, nlive;
	struct sim_map doc_map;
	double *idf;
	uint32_t nidf;                /* terms idf covers */
	struct sim_shard *shards;     /* as the last full walk saw them */
	size_t nshards, salloc;
	int changed;                  /* differs from the file */
	int inv_stale;                /* similar.inv to (re)write on save */
	int weights_stale;            /* idf and norms to recompute */
};

/* similar.c */
int sim_map_find(const struct sim_map *m, const struct psm_similar *ix, int docs,
		 const char *key, uint32_t *idx);
int sim_map_add(struct sim_map *m, const struct psm_similar *ix, int docs,
		const char *key, uint32_t idx);
int sim_term_intern(struct psm_similar *ix, const char *word, size_t len, uint32_t *id);
/* A doc slot for path (existing, revived or new). */
int sim_doc_slot(struct psm_similar *ix, const char *path, struct sim_doc **out);
/* Replace d's words with those of title/body words (space-separated). */
int sim_doc_set_words(struct psm_similar *ix, struct sim_doc *d, const char *twords,
		      const char *bwords);
void sim_doc_clear(struct psm_similar *ix, struct sim_doc *d);
/* Fill d's fields (title, status, closed, dup_of) from a parsed issue. */
int sim_doc_set_fields(struct sim_doc *d, const struct psm_issue *issue);
/* Title and body words of an issue, space-separated. */
int sim_issue_words(struct strbuf *twords, struct strbuf *bwords, const struct psm_issue *issue);

/* A word's weight before idf; idf from the live document count and df. */
double sim_log_tf(uint32_t count);
double sim_idf(double ndocs, uint32_t df);
/* Weights of every document at the current idf. */
int sim_recompute_weights(struct psm_similar *ix);
double sim_rounded(double score);

/* similar-index.c */
/* Little-endian u32 / u64, and a u32 length then the bytes (NULL: ""). */
void sim_put_u32(struct strbuf *b, uint32_t v);
void sim_put_u64(struct strbuf *b, uint64_t v);
void sim_put_str(struct strbuf *b, const char *s);
int sim_new(struct psm_similar **out, struct psm_store *s);
/* psm_similar_open; rewrite_inv: similar.inv too, even if nothing changed. */
int sim_open(struct psm_similar **out, struct psm_store *s, int rewrite_inv);
int sim_index_load(struct psm_similar *ix);
struct psm_file_stat;
/* Record the file d was read from: its stat data as listed, and the
 * listing's clock reference (0: read it again on the next open). */
void sim_doc_set_stat(struct sim_doc *d, const struct psm_file_stat *st, int64_t ref);
int sim_index_refresh(struct psm_similar *ix);
void sim_index_reset(struct psm_similar *ix);
/* name is an issue file of shard ("XY"): XY........md */
int sim_issue_file_name(const char *name, const char *shard);

/* similar-quick.c */
/* Write similar.inv from a full index and drop similar.log. */
int sim_inv_write(struct psm_similar *ix);
/* 1 if similar.inv is missing or a log waits to be folded into it. */
int sim_inv_stale(const struct psm_similar *ix);
void sim_quick_free(struct sim_quick *q);

#endif
