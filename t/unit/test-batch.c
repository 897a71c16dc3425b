/*
 * Unit tests for the batch's index of the store (lib/store/batch.c,
 * batch.h): issues handed in as the cache's scan gives them are kept as
 * their keys and paths, read whole from their files only when a lookup
 * finds them; a file that cannot be read again then stops the commit,
 * nothing written. TAP on stdout.
 */
#include <stdio.h>
#include <string.h>

#include "psm/batch.h"
#include "psm/error.h"
#include "psm/fs.h"
#include "psm/issue.h"
#include "psm/store.h"
#include "psm/strbuf.h"
#include "tap.h"

static struct psm_issue *parsed(const char *path, const char *text)
{
	struct psm_yaml_error err = { 0, 0, STRBUF_INIT };
	struct psm_issue *is = NULL;

	if (psm_issue_parse(&is, text, strlen(text), &err) < 0 || !(is->path = psm_strdup(path))) {
		printf("Bail out! %s: %s\n", path, err.msg.buf);
		return NULL;
	}
	strbuf_release(&err.msg);
	return is;
}

static const char on_disk[] = "---\nid: abcdefghjk\ntitle: On disk\nstatus: new\nsource: csv\n"
			      "external_id: row-1\ncreated: 2026-10-01T00:00:00Z\n---\nbody\n";
static const char gone[] = "---\nid: bcdefghjkm\ntitle: Gone meanwhile\nstatus: new\n"
			   "source: csv\nexternal_id: row-2\ncreated: 2026-10-01T00:00:00Z\n---\n";

int main(void)
{
	struct strbuf tmp = STRBUF_INIT;
	struct psm_store *s = NULL;
	struct psm_batch *b = NULL;
	struct psm_issue *a, *g, *cand, *found;
	const char *why = NULL;
	int changed, r;

	if (tap_scratch_dir(&tmp, "test-batch") < 0 || psm_store_init(&s, tmp.buf, 1, &changed) < 0 ||
	    tap_write_at(s->root, "issues/ab/abcdefghjk.md", on_disk) < 0) {
		printf("Bail out! no scratch store: %s\n", psm_error_last());
		return 1;
	}
	a = parsed("issues/ab/abcdefghjk.md", on_disk);
	g = parsed("issues/bc/bcdefghjkm.md", gone); /* handed in, never written */
	cand = parsed("issues/zz/zzzzzzzzzz.md", "---\ntitle: again\nsource: csv\nexternal_id: row-1\n---\n");
	if (!a || !g || !cand)
		return 1;
	r = psm_batch_begin(&b, s);
	r = r ? r : psm_batch_found(b, a, NULL);
	r = r ? r : psm_batch_found(b, g, NULL);
	r = r ? r : psm_batch_ready(b);
	if (!ok(r == 0, "two issues handed in, the batch ready"))
		return tap_done();
	psm_issue_free(a); /* not kept: the batch reads the file when it needs it */
	a = NULL;

	found = psm_batch_holder(b, cand, 0, &why);
	ok(found && !strcmp(psm_issue_get(found, "title"), "On disk") && why &&
	   !strcmp(why, "external_id") && !strcmp(found->body.buf, "body\n"),
	   "a lookup reads the issue it finds from its file, body and all");
	ok(psm_batch_holder(b, cand, 0, &why) == found, "and keeps it: the same issue next time");
	ok(psm_batch_abbrev(b) == 7 && psm_batch_count(b) == 2,
	   "IDs of issues not read count for the short-ID length");

	psm_issue_set(cand, "external_id", "row-2");
	ok(!psm_batch_holder(b, cand, 0, &why), "an issue whose file is gone: no holder");
	r = psm_batch_commit(b, "test");
	ok(r < 0 && strstr(psm_error_last(), "not committing the batch: "
					     "'issues/bc/bcdefghjkm.md' changed while the batch ran"),
	   "then the batch refuses to commit (%s)", psm_error_last());

	psm_batch_free(b);
	psm_issue_free(g);
	psm_issue_free(cand);
	psm_store_free(s);
	tap_remove(tmp.buf);
	strbuf_release(&tmp);
	return tap_done();
}
