/*
 * psm check's checks across issues: IDs used twice, duplicate_of naming no
 * issue, and one item from outside taken in twice (validate-refs.c). They
 * need little of each issue, so each is reduced to that as it comes
 * (struct check_issue): a scan of every issue holds none of them.
 */
#include "validate-int.h"

#include <stdlib.h>
#include <string.h>

#include "psm/error.h"
#include "psm/grow.h"

int psm_set_check_new(struct psm_set_check **out)
{
	if (!(*out = calloc(1, sizeof(**out))))
		return psm_oom();
	(*out)->abbrev = PSM_SHORT_ID_LEN;
	return 0;
}

static int copy(char **out, const char *s)
{
	return s && !(*out = psm_strdup(s)) ? psm_oom() : 0;
}

static void at(int *line, int *col, const struct psm_node *n)
{
	*line = n ? n->line : 1;
	*col = n ? n->col : 1;
}

/* As psm_issue_set_abbrev(): IDs in path order, each against the one before. */
static void note_abbrev(struct psm_set_check *c, const char *id)
{
	size_t i = 0;

	if (!id)
		return;
	if (c->prev) {
		while (id[i] && id[i] == c->prev[i])
			i++;
		if (i < PSM_ID_LEN && i + 1 > c->abbrev)
			c->abbrev = i + 1;
	}
	c->prev = id;
}

int psm_set_check_add(struct psm_set_check *c, const struct psm_issue *issue)
{
	struct check_issue *v = psm_grow(c->v, c->n, &c->alloc, sizeof(*v), 256), *one;
	int r;

	if (!v)
		return psm_oom();
	c->v = v;
	one = &c->v[c->n++];
	memset(one, 0, sizeof(*one));
	if ((r = copy(&one->id, psm_issue_get(issue, "id"))) < 0 ||
	    (r = copy(&one->path, issue->path)) < 0 ||
	    (r = copy(&one->dup_of, psm_issue_get(issue, "duplicate_of"))) < 0)
		return r;
	at(&one->id_line, &one->id_col, psm_issue_node(issue, "id"));
	at(&one->dup_line, &one->dup_col, psm_issue_node(issue, "duplicate_of"));
	one->created = issue->sort_created;
	one->is_new = psm_streq(psm_issue_get(issue, "status"), "new");
	note_abbrev(c, one->id);
	return psm_validate__refs_add(c, issue, c->n - 1);
}

/* By ID, then path: files sharing an ID are reported in a stable order. */
static int cmp_by_id(const void *a, const void *b)
{
	const struct check_issue *p = *(const struct check_issue *const *)a;
	const struct check_issue *q = *(const struct check_issue *const *)b;
	int c = strcmp(p->id ? p->id : "", q->id ? q->id : "");

	return c ? c : strcmp(p->path ? p->path : "", q->path ? q->path : "");
}

static int has_id(struct check_issue *const *sorted, size_t n, const char *id)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const char *m = sorted[mid]->id;
		int cmp = strcmp(m ? m : "", id);

		if (!cmp)
			return 1;
		if (cmp < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

static int problem(struct psm_issue_set *diag, const struct check_issue *is, int line, int col,
		   struct strbuf *msg)
{
	int r = msg->oom ? psm_oom()
			 : psm_issue_set_error(diag, is->path ? is->path : "-", line, col, msg->buf);

	strbuf_reset(msg);
	return r;
}

int psm_set_check_finish(struct psm_set_check *c, struct psm_issue_set *diag)
{
	struct strbuf msg = STRBUF_INIT;
	struct check_issue **sorted;
	size_t i;
	int r = 0, count = 0;

	if (!c->n)
		return 0;
	if (!(sorted = malloc(c->n * sizeof(*sorted))))
		return psm_oom();
	for (i = 0; i < c->n; i++)
		sorted[i] = &c->v[i];
	qsort(sorted, c->n, sizeof(*sorted), cmp_by_id);
	for (i = 1; r >= 0 && i < c->n; i++) {
		const struct check_issue *a = sorted[i - 1], *b = sorted[i];

		if (a->id && b->id && !strcmp(a->id, b->id)) {
			strbuf_addf(&msg, "id '%s' is also used by '%s'", b->id, a->path ? a->path : "?");
			r = problem(diag, b, b->id_line, b->id_col, &msg);
			count++;
		}
	}
	for (i = 0; r >= 0 && i < c->n; i++) {
		const struct check_issue *is = &c->v[i];

		if (is->dup_of && !has_id(sorted, c->n, is->dup_of)) {
			strbuf_addf(&msg, "duplicate_of '%s' names no issue in the store", is->dup_of);
			r = problem(diag, is, is->dup_line, is->dup_col, &msg);
			count++;
		}
	}
	free(sorted);
	strbuf_release(&msg);
	if (r >= 0)
		r = psm_validate__refs_report(diag, c);
	return r < 0 ? r : count + r;
}

void psm_set_check_free(struct psm_set_check *c)
{
	size_t i;

	if (!c)
		return;
	for (i = 0; i < c->n; i++) {
		free(c->v[i].id);
		free(c->v[i].path);
		free(c->v[i].dup_of);
	}
	for (i = 0; i < c->nrefs; i++)
		free(c->refs[i].key);
	free(c->v);
	free(c->refs);
	free(c);
}
