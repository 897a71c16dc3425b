#ifndef PSM_SIPHASH_H
#define PSM_SIPHASH_H
/*
 * SipHash-2-4 (Aumasson and Bernstein): a keyed 64-bit hash. Without the
 * key, its values cannot be computed or inverted from a guess, so an id
 * stored as its hash names the same person only to whoever holds the key.
 */
#include <stddef.h>
#include <stdint.h>

uint64_t psm_siphash(const unsigned char key[16], const void *data, size_t len);

#endif
