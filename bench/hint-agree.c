/*
 * bench/hint-agree.c: whether the intake hint (psm_similar_hint, which
 * reads similar.inv in place and stops reading postings early) names the
 * same issues as the full index (psm_similar_find), asked about N issues
 * of a store with the intake's settings (3 hits, min score 0.2), and how
 * long it takes in-process. Built and run by bench/hint-agree.sh.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "psm/error.h"
#include "similar-int.h"
#include "psm/store.h"

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
	struct psm_issue_set set = { 0 };
	struct psm_similar *full = NULL;
	struct psm_store *s = NULL;
	size_t want = argc > 2 ? strtoul(argv[2], NULL, 10) : 200, i, step, asked = 0;
	size_t top1 = 0, top3 = 0, with_hits = 0, as_good = 0;
	double t_hint = 0;
	int64_t since = (int64_t)time(NULL) - 30 * 86400;

	if (argc < 2 || psm_store_open(&s, argv[1]) < 0 || psm_store_scan(s, &set) < 0 ||
	    psm_similar_open(&full, s) < 0) {
		fprintf(stderr, "hint-agree: %s\n", psm_error_last());
		return 1;
	}
	step = set.n / (want ? want : 1);
	for (i = 0; i < set.n && asked < want; i += step ? step : 1, asked++) {
		struct psm_similar_hit *hf = NULL, *hq = NULL;
		struct psm_similar *ix = NULL;
		size_t nf = 0, nq = 0, a, b, same = 0;
		double t0;

		if (psm_similar_find(&hf, &nf, full, set.v[i], since, 3, 0.2) < 0)
			return 1;
		t0 = now_ms();
		if (psm_similar_hint(&hq, &nq, &ix, s, set.v[i], since, 3, 0.2) < 0)
			return 1;
		t_hint += now_ms() - t0;
		with_hits += nf > 0;
		top1 += (!nf && !nq) || (nf && nq && !strcmp(hf[0].id, hq[0].id));
		for (a = 0; a < nf; a++)
			for (b = 0; b < nq; b++)
				same += !strcmp(hf[a].id, hq[b].id);
		top3 += same == nf && nf == nq;
		/* Ties are common, so: is the hint's first as good as the full
		 * first? The hint's scores are at most the full ones, so its own
		 * score within 0.01 of the best is a sure (if strict) yes. */
		as_good += nf && nq ? hq[0].score >= hf[0].score - 0.01 : !nf && !nq;
		free(hf);
		free(hq);
		psm_similar_free(ix);
	}
	printf("issues %zu, asked %zu (%zu with full-index hits)\n", set.n, asked, with_hits);
	printf("same first hit: %zu (%.1f%%); same hits: %zu (%.1f%%); first hit within 0.01 "
	       "of the best score: %zu (%.1f%%); hint %.2f ms per question\n",
	       top1, 100.0 * top1 / asked, top3, 100.0 * top3 / asked, as_good,
	       100.0 * as_good / asked, t_hint / asked);
	psm_similar_free(full);
	psm_issue_set_release(&set);
	psm_store_free(s);
	return 0;
}
