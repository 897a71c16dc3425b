#ifndef PSM_GROW_H
#define PSM_GROW_H
/*
 * Room for element n of a growing array, after git's ALLOC_GROW: arr
 * itself while n < *alloc, else arr doubled (first: its first size, the
 * size checked for overflow) with *alloc updated, or NULL with arr
 * untouched, for the caller to report the lack of memory.
 */
#include <stdint.h>
#include <stdlib.h>

static inline void *psm_grow(void *arr, size_t n, size_t *alloc, size_t elem, size_t first)
{
	size_t want;
	void *p;

	if (n < *alloc)
		return arr;
	want = *alloc ? 2 * *alloc : first;
	if (want < *alloc || want > SIZE_MAX / elem || !(p = realloc(arr, want * elem)))
		return NULL;
	*alloc = want;
	return p;
}

#endif
