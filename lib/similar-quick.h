#ifndef PSM_SIMILAR_QUICK_H
#define PSM_SIMILAR_QUICK_H
/* Inside the intake hint's index: shared by similar-inv.c (the mapped
 * file) and similar-quick.c (its log and queries). */
#include <stdint.h>

#include "similar-int.h"
#include "strbuf.h"

uint32_t inv_get32(const unsigned char *p);
uint64_t inv_get64(const unsigned char *p);
/* <gitdir>/psm/similar.inv and similar.log, beside ix->file. */
int inv_paths(struct strbuf *inv, struct strbuf *log, const struct psm_similar *ix);

#endif
