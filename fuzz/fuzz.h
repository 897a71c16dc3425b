#ifndef PSM_FUZZ_H
#define PSM_FUZZ_H
/*
 * psm's libFuzzer harnesses (fuzz/run.sh builds and runs them). Each file
 * defines psm_fuzz_NAME(), the property check for one input, and, unless
 * PSM_FUZZ_NO_MAIN is defined, LLVMFuzzerTestOneInput calling it; the unit
 * test t/unit/test-fuzz-corpus.c replays the seed corpora through the same
 * functions in every ordinary build. A broken property aborts: that is
 * what the fuzzer reports.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define FUZZ_ASSERT(cond)                                                         \
	do {                                                                      \
		if (!(cond)) {                                                    \
			fprintf(stderr, "%s:%d: property failed: %s\n", __FILE__, \
				__LINE__, #cond);                                 \
			abort();                                                  \
		}                                                                 \
	} while (0)

int psm_fuzz_issue(const uint8_t *data, size_t size);
int psm_fuzz_query(const uint8_t *data, size_t size);
int psm_fuzz_merge(const uint8_t *data, size_t size);
int psm_fuzz_index(const uint8_t *data, size_t size);
int psm_fuzz_usage(const uint8_t *data, size_t size);

#endif
