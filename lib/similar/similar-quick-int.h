#ifndef PSM_SIMILAR_QUICK_INT_H
#define PSM_SIMILAR_QUICK_INT_H
/* Inside the intake hint's index: shared by similar-inv.c (writing the
 * mapped file), similar-quick.c (mapping it, its log, freshness) and
 * similar-hint.c (the question). */
#include <stdint.h>

#include "similar-int.h"
#include "psm/strbuf.h"

#define SIM_NEED_FULL 1 /* no usable similar.inv, or a log to fold */

struct sim_quick {
	unsigned char *map;
	size_t len;
	uint64_t stamp;
	uint32_t ndocs, nterms, nshards, npost, slen;
	const unsigned char *shards, *docs, *terms, *post;
	const char *strs;
	struct psm_similar ov;  /* the logged documents; words of log and query */
	unsigned char *gone;    /* per mapped doc: the overlay has it instead */
	int64_t *shard_mt;      /* per slot: a shard mtime the log recorded */
	unsigned char *shard_set;
	struct strbuf log_path, append;
	int log_new;            /* (re)create the log, with our stamp */
	size_t log_docs, log_len;
	int fold_due;           /* the log is long: time for psm_similar_fold */
};

/* Little-endian fields of similar.inv; inline, as the hint reads one per posting. */
static inline uint32_t inv_get32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t inv_get64(const unsigned char *p)
{
	return inv_get32(p) | (uint64_t)inv_get32(p + 4) << 32;
}
/* <gitdir>/psm/similar.inv and similar.log, beside ix->file. */
int inv_paths(struct strbuf *inv, struct strbuf *log, const struct psm_similar *ix);

/* similar-quick.c: map similar.inv, apply the log, re-read changed shards;
 * SIM_NEED_FULL when that cannot be had (*out is to be freed either way). */
int sim_quick_open(struct sim_quick **out, const struct psm_similar *ix);
const char *sim_inv_str(const struct sim_quick *q, uint32_t off);
const unsigned char *sim_inv_doc(const struct sim_quick *q, uint32_t i);
int sim_inv_doc_find(const struct sim_quick *q, const char *path, uint32_t *idx);
int sim_inv_term_find(const struct sim_quick *q, const char *word, uint32_t *idx);

#endif
