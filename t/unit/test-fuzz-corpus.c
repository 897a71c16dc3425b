/*
 * Replays the fuzzers' seed corpora (fuzz/corpus/NAME/) through the same
 * property checks as the libFuzzer harnesses, in every ordinary build (gcc,
 * ASan, valgrind), so a regression on a saved crash shows up in ctest
 * without clang's fuzzer. A broken property aborts, as under the fuzzer.
 */
#define PSM_FUZZ_NO_MAIN
#include <dirent.h>
#include <string.h>

#include "../../fuzz/fuzz-issue.c"
#include "../../fuzz/fuzz-merge.c"
#include "../../fuzz/fuzz-query.c"
#include "../../fuzz/fuzz-usage.c"
#include "tap.h"

static void replay(const char *dir, const char *name, int (*fn)(const uint8_t *, size_t))
{
	struct strbuf path = STRBUF_INIT, data = STRBUF_INIT;
	struct dirent *de;
	size_t n = 0;
	DIR *d;

	strbuf_addf(&path, "%s/%s", dir, name);
	if (!(d = opendir(path.buf))) {
		ok(0, "no corpus at %s", path.buf);
		goto out;
	}
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/%s/%s", dir, name, de->d_name);
		strbuf_reset(&data);
		if (strbuf_read_file(&data, path.buf, 0) < 0)
			continue;
		fn((const uint8_t *)data.buf, data.len);
		n++;
	}
	closedir(d);
	ok(n > 0, "fuzz-%s: %zu seeds hold", name, n);
out:
	strbuf_release(&path);
	strbuf_release(&data);
}

int main(void)
{
	/* this file is t/unit/test-fuzz-corpus.c; the corpora are ../../fuzz/corpus */
	struct strbuf dir = STRBUF_INIT;
	const char *slash;

	strbuf_addstr(&dir, __FILE__);
	slash = strrchr(dir.buf, '/');
	strbuf_setlen(&dir, slash ? (size_t)(slash - dir.buf) : 0);
	strbuf_addstr(&dir, slash ? "/../../fuzz/corpus" : "../fuzz/corpus");
	replay(dir.buf, "issue", psm_fuzz_issue);
	replay(dir.buf, "query", psm_fuzz_query);
	replay(dir.buf, "merge", psm_fuzz_merge);
	replay(dir.buf, "usage", psm_fuzz_usage);
	strbuf_release(&dir);
	return tap_done();
}
