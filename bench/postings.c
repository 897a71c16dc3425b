/*
 * bench/postings.c STORE TEXT...: how many postings the intake hint reads
 * for TEXT (title words, then body words, as the hint splits them) in
 * STORE's similar.inv: each word's document count there, and the sum.
 * Built and run by bench/postings.sh.
 */
#include <stdio.h>
#include <string.h>

#include "psm/error.h"
#include "similar-quick-int.h"
#include "psm/store.h"

int main(int argc, char **argv)
{
	struct psm_store *s = NULL;
	struct psm_similar *ix = NULL;
	unsigned long total = 0;
	int i;

	if (argc < 3 || psm_store_open(&s, argv[1]) < 0 || sim_new(&ix, s) < 0 ||
	    sim_quick_open(&ix->quick, ix) != 0) {
		fprintf(stderr, "postings: %s\n", argc < 3 ? "usage: postings STORE TEXT..." :
			psm_error_last()[0] ? psm_error_last() : "no usable similar.inv (run psm similar)");
		return 1;
	}
	printf("%u issues in similar.inv\n", ix->quick->ndocs);
	for (i = 2; i < argc; i++) {
		struct strbuf w = STRBUF_INIT;
		char *p, *word;

		if (psm_similar_words(&w, argv[i], strlen(argv[i])) < 0)
			return 1;
		for (p = w.buf; (word = strsep(&p, " ")) != NULL;) {
			uint32_t ti, df = 0;

			if (!*word)
				continue;
			if (sim_inv_term_find(ix->quick, word, &ti))
				df = inv_get32(ix->quick->terms + 16 * (size_t)ti + 4);
			printf("%-16s %u\n", word, df);
			total += df;
		}
		strbuf_release(&w);
	}
	printf("%-16s %lu\n", "total", total);
	psm_similar_free(ix);
	psm_store_free(s);
	return 0;
}
