/*
 * The body half of the issue merge (see merge.h): plain line merges through
 * libgit2, and the `## Timeline` section merged as a set of entries.
 */
#include <git2.h>
#include <stdlib.h>
#include <string.h>

#include "psm/error.h"
#include "psm/git.h"
#include "psm/grow.h"
#include "psm/merge.h"
#include "merge-int.h"
#include "psm/time.h"

/* Conflict hunks in merged text: lines starting "<<<<<<<". */
static int count_conflicts(const char *s, size_t len)
{
	size_t p = 0;
	int n = 0;

	while (p < len) {
		const char *nl = memchr(s + p, '\n', len - p);
		size_t end = nl ? (size_t)(nl - s) : len;

		if (end - p >= 7 && !memcmp(s + p, "<<<<<<<", 7))
			n++;
		p = end + 1;
	}
	return n;
}

int psm_merge_text(struct strbuf *out, const char *base, size_t blen,
		   const char *ours, size_t olen, const char *theirs, size_t tlen,
		   const struct psm_merge_labels *labels)
{
	git_merge_file_input in[3];
	git_merge_file_options opts;
	git_merge_file_result res;
	int r;

	/* The common cases need no diff at all. */
	if (olen == tlen && !memcmp(ours, theirs, olen))
		return strbuf_add(out, ours, olen) < 0 ? psm_oom() : 0;
	if (blen == olen && !memcmp(base, ours, olen))
		return strbuf_add(out, theirs, tlen) < 0 ? psm_oom() : 0;
	if (blen == tlen && !memcmp(base, theirs, tlen))
		return strbuf_add(out, ours, olen) < 0 ? psm_oom() : 0;

	memset(&res, 0, sizeof(res));
	if (psm_git_lib_init() < 0)
		return psm_error_git(PSM_ERROR, "could not initialise libgit2");
	git_merge_file_input_init(&in[0], GIT_MERGE_FILE_INPUT_VERSION);
	git_merge_file_input_init(&in[1], GIT_MERGE_FILE_INPUT_VERSION);
	git_merge_file_input_init(&in[2], GIT_MERGE_FILE_INPUT_VERSION);
	in[0].ptr = base, in[0].size = blen;
	in[1].ptr = ours, in[1].size = olen;
	in[2].ptr = theirs, in[2].size = tlen;
	git_merge_file_options_init(&opts, GIT_MERGE_FILE_OPTIONS_VERSION);
	opts.our_label = labels && labels->ours ? labels->ours : "ours";
	opts.their_label = labels && labels->theirs ? labels->theirs : "theirs";
	if (git_merge_file(&res, &in[0], &in[1], &in[2], &opts) < 0) {
		r = psm_error_git(PSM_ERROR, "could not merge");
		goto cleanup;
	}
	if (!res.ptr) {
		/* binary content: libgit2 gives no text; keep ours, flag it */
		r = strbuf_add(out, ours, olen) < 0 ? psm_oom() : 1;
		goto cleanup;
	}
	if (strbuf_add(out, res.ptr, res.len) < 0) {
		r = psm_oom();
		goto cleanup;
	}
	r = res.automergeable ? 0 : count_conflicts(res.ptr, res.len);
	if (!res.automergeable && !r)
		r = 1;
cleanup:
	git_merge_file_result_free(&res);
	git_libgit2_shutdown();
	return r;
}

/* ---- the timeline ---------------------------------------------------------- */

struct tl_entry {
	const char *p;
	size_t len;     /* without trailing blank lines */
	int64_t when;
};

struct body_parts {
	const char *pre, *head, *post;   /* before "## Timeline"; the heading; after */
	size_t prelen, headlen, postlen;
	struct tl_entry *e;
	size_t n;
	int has_tl;
};

static size_t line_end(const char *s, size_t len, size_t p)
{
	const char *nl = memchr(s + p, '\n', len - p);

	return nl ? (size_t)(nl - s) + 1 : len;
}

/* "### <RFC 3339 time> ...": a timeline entry's first line. */
static int entry_header(const char *s, size_t len, int64_t *when)
{
	struct strbuf t = STRBUF_INIT;
	size_t i = 4;
	int ok;

	if (len < 5 || memcmp(s, "### ", 4))
		return 0;
	while (i < len && s[i] != ' ' && s[i] != '\n' && s[i] != '\r')
		i++;
	strbuf_add(&t, s + 4, i - 4);
	ok = !t.oom && psm_time_parse(t.buf, when) == 0;
	strbuf_release(&t);
	return ok;
}

static int is_heading2(const char *s, size_t len)
{
	return len >= 3 && !memcmp(s, "## ", 3);
}

static int is_timeline_heading(const char *s, size_t len)
{
	while (len && (s[len - 1] == '\n' || s[len - 1] == '\r' || s[len - 1] == ' '))
		len--;
	return len == 11 && !memcmp(s, "## Timeline", 11);
}

static int parts_split(struct body_parts *bp, const char *s, size_t len)
{
	size_t p = 0, alloc = 0;

	memset(bp, 0, sizeof(*bp));
	bp->pre = s;
	while (p < len && !is_timeline_heading(s + p, line_end(s, len, p) - p))
		p = line_end(s, len, p);
	bp->prelen = p;
	if (p == len) {
		bp->post = s + len;
		return 0;
	}
	bp->has_tl = 1;
	bp->head = s + p;
	p = line_end(s, len, p);
	/* the heading and the blank lines after it */
	while (p < len) {
		size_t e = line_end(s, len, p);
		int64_t when;

		if (entry_header(s + p, e - p, &when) || is_heading2(s + p, e - p))
			break;
		p = e;
	}
	bp->headlen = (size_t)(s + p - bp->head);
	while (p < len) {
		size_t e = line_end(s, len, p);
		struct tl_entry *cur;
		int64_t when;

		if (is_heading2(s + p, e - p))
			break;
		if (!entry_header(s + p, e - p, &when)) {
			/* text before any entry: part of the head */
			if (!bp->n)
				bp->headlen = e - (size_t)(bp->head - s);
			else
				bp->e[bp->n - 1].len = e - (size_t)(bp->e[bp->n - 1].p - s);
			p = e;
			continue;
		}
		if (bp->n == alloc) {
			struct tl_entry *ne = psm_grow(bp->e, bp->n, &alloc, sizeof(*ne), 8);

			if (!ne)
				return psm_oom();
			bp->e = ne;
		}
		cur = &bp->e[bp->n++];
		cur->p = s + p;
		cur->len = e - p;
		cur->when = when;
		p = e;
	}
	bp->post = s + p;
	bp->postlen = len - p;
	/* an entry's trailing blank lines are separators, not text */
	for (p = 0; p < bp->n; p++)
		while (bp->e[p].len > 1 && bp->e[p].p[bp->e[p].len - 1] == '\n' &&
		       (bp->e[p].p[bp->e[p].len - 2] == '\n'))
			bp->e[p].len--;
	return 0;
}

static int entry_eq(const struct tl_entry *a, const struct tl_entry *b)
{
	return a->len == b->len && !memcmp(a->p, b->p, a->len);
}

static int has_entry(const struct body_parts *bp, const struct tl_entry *x)
{
	size_t i;

	for (i = 0; i < bp->n; i++)
		if (entry_eq(&bp->e[i], x))
			return 1;
	return 0;
}

static int same_entries(const struct body_parts *a, const struct body_parts *b)
{
	size_t i;

	if (a->n != b->n)
		return 0;
	for (i = 0; i < a->n; i++)
		if (!entry_eq(&a->e[i], &b->e[i]))
			return 0;
	return 1;
}

/* Time order; ties by text, so both sides of any merge agree on the order. */
static int cmp_entry(const void *x, const void *y)
{
	const struct tl_entry *a = x, *b = y;
	size_t l = a->len < b->len ? a->len : b->len;
	int c;

	if (a->when != b->when)
		return a->when < b->when ? -1 : 1;
	if ((c = memcmp(a->p, b->p, l)))
		return c;
	return a->len < b->len ? -1 : a->len > b->len;
}

/* The entries as one text: blank line between, as psm writes them. */
static void add_entries(struct strbuf *out, const struct tl_entry *e, size_t n, int more)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (i)
			strbuf_addch(out, '\n');
		strbuf_add(out, e[i].p, e[i].len);
		if (!e[i].len || e[i].p[e[i].len - 1] != '\n')
			strbuf_addch(out, '\n');
	}
	if (n && more)
		strbuf_addch(out, '\n');
}

/* Verbatim text of a side's entries: from the first to the post part. */
static void add_raw_entries(struct strbuf *out, const struct body_parts *bp)
{
	if (bp->n)
		strbuf_add(out, bp->e[0].p, (size_t)(bp->post - bp->e[0].p));
}

static int merge_entries(struct strbuf *out, const struct body_parts *b,
			 const struct body_parts *o, const struct body_parts *t)
{
	struct tl_entry *all;
	size_t i, n = 0;

	if (same_entries(o, t) || same_entries(b, t)) {
		add_raw_entries(out, o);
		return 0;
	}
	if (same_entries(b, o)) {
		add_raw_entries(out, t);
		return 0;
	}
	if (!(all = calloc(o->n + t->n + 1, sizeof(*all))))
		return psm_oom();
	/* kept: on both sides, or added on one (not in base) */
	for (i = 0; i < o->n; i++)
		if (has_entry(t, &o->e[i]) || !has_entry(b, &o->e[i]))
			all[n++] = o->e[i];
	for (i = 0; i < t->n; i++)
		if (!has_entry(o, &t->e[i]) && !has_entry(b, &t->e[i]))
			all[n++] = t->e[i];
	qsort(all, n, sizeof(*all), cmp_entry);
	/* the same entry twice on one side stays once */
	for (i = 1; i < n;) {
		if (entry_eq(&all[i - 1], &all[i])) {
			memmove(all + i, all + i + 1, (n - i - 1) * sizeof(*all));
			n--;
		} else {
			i++;
		}
	}
	add_entries(out, all, n, o->postlen || t->postlen);
	free(all);
	return 0;
}

int psm_merge_body(struct strbuf *out, const struct strbuf *base,
		   const struct strbuf *ours, const struct strbuf *theirs,
		   const struct psm_merge_labels *labels)
{
	struct body_parts b = { 0 }, o = { 0 }, t = { 0 };
	int r, conflicts = 0;

	if ((r = parts_split(&b, base->buf, base->len)) < 0 ||
	    (r = parts_split(&o, ours->buf, ours->len)) < 0 ||
	    (r = parts_split(&t, theirs->buf, theirs->len)) < 0)
		goto out;
	if (!o.has_tl && !t.has_tl) {
		r = psm_merge_text(out, base->buf, base->len, ours->buf, ours->len,
				   theirs->buf, theirs->len, labels);
		goto out;
	}
	if ((r = psm_merge_text(out, b.pre, b.prelen, o.pre, o.prelen, t.pre, t.prelen,
				labels)) < 0)
		goto out;
	conflicts += r;
	if (o.has_tl)
		strbuf_add(out, o.head, o.headlen);
	else
		strbuf_add(out, t.head, t.headlen);
	if ((r = merge_entries(out, &b, &o, &t)) < 0)
		goto out;
	if ((r = psm_merge_text(out, b.post, b.postlen, o.post, o.postlen, t.post, t.postlen,
				labels)) < 0)
		goto out;
	conflicts += r;
	r = out->oom ? psm_oom() : conflicts;
out:
	free(b.e);
	free(o.e);
	free(t.e);
	return r;
}
