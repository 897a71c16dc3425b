/*
 * The merge driver: the input holds base, ours and theirs separated by
 * "\n=====\n" lines (fewer parts: the missing ones are empty). Properties:
 * a merge of a side with itself is clean; a clean merge of two issue files
 * is an issue file; the result of merge(base, ours, theirs) has the same
 * conflict count as merge(base, theirs, ours).
 */
#include <git2.h>
#include <string.h>

#include "psm/error.h"
#include "fuzz.h"
#include "psm/issue.h"
#include "psm/merge.h"

static const char sep[] = "\n=====\n";

static int parses(const char *text, size_t len)
{
	struct psm_yaml_error err = { 0, 0, STRBUF_INIT };
	struct psm_issue *issue = NULL;
	int r = psm_issue_parse(&issue, text, len, &err);

	psm_issue_free(issue);
	strbuf_release(&err.msg);
	return r == 0;
}

int psm_fuzz_merge(const uint8_t *data, size_t size)
{
	const char *p[3] = { "", "", "" }, *s = (const char *)data, *end = s + size;
	size_t len[3] = { 0, 0, 0 }, k;
	struct strbuf out = STRBUF_INIT, rev = STRBUF_INIT, self = STRBUF_INIT;
	static int git_ready;
	int r, r2;

	/* libgit2's set-up costs milliseconds: once, not per input */
	if (!git_ready && git_libgit2_init() > 0)
		git_ready = 1;
	for (k = 0; k < 3 && s <= end; k++) {
		const char *hit = s;

		while (hit + sizeof(sep) - 1 <= end && memcmp(hit, sep, sizeof(sep) - 1))
			hit++;
		if (hit + sizeof(sep) - 1 > end)
			hit = end;
		p[k] = s;
		len[k] = (size_t)(hit - s);
		s = hit + sizeof(sep) - 1;
	}
	r = psm_merge_issue(&out, p[0], len[0], p[1], len[1], p[2], len[2], NULL);
	if (r == PSM_ENOMEM)
		goto done;
	FUZZ_ASSERT(r >= 0);
	if (r == 0 && len[1] && len[2] && parses(p[1], len[1]) && parses(p[2], len[2]) &&
	    (!len[0] || parses(p[0], len[0]))) {
		if (!parses(out.buf, out.len))
			fprintf(stderr, "clean merge that does not parse:\n%s\n", out.buf);
		FUZZ_ASSERT(parses(out.buf, out.len));
	}
	r2 = psm_merge_issue(&rev, p[0], len[0], p[2], len[2], p[1], len[1], NULL);
	FUZZ_ASSERT(r2 == PSM_ENOMEM || (r2 == 0) == (r == 0));
	r = psm_merge_issue(&self, p[0], len[0], p[1], len[1], p[1], len[1], NULL);
	FUZZ_ASSERT(r == PSM_ENOMEM || r == 0);
done:
	strbuf_release(&out);
	strbuf_release(&rev);
	strbuf_release(&self);
	psm_error_clear();
	return 0;
}

#ifndef PSM_FUZZ_NO_MAIN
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return psm_fuzz_merge(data, size);
}
#endif
