/* ISO weeks and release tags: the calendars a review is cut by (include/psm/metrics.h). */
#include <ctype.h>
#include <git2.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "psm/error.h"
#include "psm/grow.h"
#include "psm/metrics.h"

#define DAY 86400

static int64_t floordiv(int64_t a, int64_t b)
{
	int64_t q = a / b;

	return (a % b && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* Monday = 0; 1970-01-01 was a Thursday. */
static int64_t weekday(int64_t day)
{
	return day + 3 - floordiv(day + 3, 7) * 7;
}

/* Day number (since the epoch) of y-m-d. */
static int64_t civil_day(int y, int m, int d)
{
	struct tm tm = { 0 };

	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	return floordiv((int64_t)timegm(&tm), DAY);
}

/* Day number of the Monday of ISO week 1: the week holding January 4th. */
static int64_t week_one(int y)
{
	int64_t jan4 = civil_day(y, 1, 4);

	return jan4 - weekday(jan4);
}

int psm_iso_week_parse(const char *s, int64_t *monday)
{
	const char *p = s;
	int y = 0, w = 0, i;
	int64_t first, weeks;

	for (i = 0; i < 4; i++, p++) {
		if (!isdigit((unsigned char)*p))
			goto bad;
		y = y * 10 + (*p - '0');
	}
	if (*p == '-')
		p++;
	if (*p++ != 'W' || !isdigit((unsigned char)p[0]) || !isdigit((unsigned char)p[1]) || p[2])
		goto bad;
	w = (p[0] - '0') * 10 + (p[1] - '0');
	if (y < 1)
		goto bad;
	first = week_one(y);
	weeks = (week_one(y + 1) - first) / 7;
	if (w < 1 || w > weeks)
		return psm_error(PSM_EINVALID, "invalid week '%s': %04d has ISO weeks 01 to %02d", s,
				 y, (int)weeks);
	*monday = (first + (int64_t)(w - 1) * 7) * DAY;
	return 0;
bad:
	return psm_error(PSM_EINVALID, "invalid week '%s': use an ISO week like 2026-W47", s);
}

int64_t psm_iso_week_start(int64_t t)
{
	int64_t day = floordiv(t, DAY);

	return (day - weekday(day)) * DAY;
}

int psm_iso_week_format(struct strbuf *out, int64_t t)
{
	int64_t day = floordiv(t, DAY);
	int64_t thursday = day - weekday(day) + 3; /* its year is the week's year */
	time_t tt = (time_t)(thursday * DAY);
	struct tm tm;

	if (!gmtime_r(&tt, &tm))
		return psm_error(PSM_EINVALID, "time out of range");
	return strbuf_addf(out, "%04d-W%02d", tm.tm_year + 1900,
			   (int)((thursday - civil_day(tm.tm_year + 1900, 1, 1)) / 7 + 1));
}

struct tag_list {
	git_repository *repo;
	struct psm_release *v;
	size_t n, alloc;
	int err;
};

static int tag_cb(const char *ref, git_oid *oid, void *payload)
{
	struct tag_list *l = payload;
	git_object *obj = NULL, *commit = NULL;
	const git_signature *tagger = NULL;
	int64_t when;

	if (git_object_lookup(&obj, l->repo, oid, GIT_OBJECT_ANY) < 0 ||
	    git_object_peel(&commit, obj, GIT_OBJECT_COMMIT) < 0) {
		git_error_clear(); /* a tag of a tree or blob is no release */
		goto out;
	}
	if (git_object_type(obj) == GIT_OBJECT_TAG)
		tagger = git_tag_tagger((git_tag *)obj);
	when = tagger ? tagger->when.time : git_commit_time((git_commit *)commit);
	if (l->n == l->alloc) {
		struct psm_release *nv = psm_grow(l->v, l->n, &l->alloc, sizeof(*nv), 16);

		if (!nv)
			goto oom;
		l->v = nv;
	}
	if (!strncmp(ref, "refs/tags/", 10))
		ref += 10;
	if (!(l->v[l->n].name = psm_strdup(ref)))
		goto oom;
	l->v[l->n++].when = when;
out:
	git_object_free(commit);
	git_object_free(obj);
	return 0;
oom:
	l->err = psm_oom();
	git_object_free(commit);
	git_object_free(obj);
	return -1;
}

static int cmp_release(const void *a, const void *b)
{
	const struct psm_release *x = a, *y = b;

	if (x->when != y->when)
		return x->when < y->when ? -1 : 1;
	return strcmp(x->name, y->name);
}

int psm_release_tags(struct psm_release **out, size_t *n, struct psm_git *g)
{
	struct tag_list l = { NULL, NULL, 0, 0, 0 };
	int r;

	*out = NULL;
	*n = 0;
	if (psm_git_lib_init() < 0)
		return psm_error_git(PSM_ERROR, "could not initialise libgit2");
	if ((r = psm_git_reopen(&l.repo, g)) < 0)
		goto out;
	r = git_tag_foreach(l.repo, tag_cb, &l);
	if (l.err) {
		r = l.err;
		goto out;
	}
	if (r < 0 && r != GIT_ENOTFOUND) {
		r = psm_error_git(PSM_ERROR, "could not list the repository's tags");
		goto out;
	}
	if (l.n)
		qsort(l.v, l.n, sizeof(*l.v), cmp_release);
	*out = l.v;
	*n = l.n;
	l.v = NULL;
	l.n = 0;
	r = 0;
out:
	psm_release_tags_free(l.v, l.n);
	git_repository_free(l.repo);
	git_libgit2_shutdown();
	return r;
}

void psm_release_tags_free(struct psm_release *r, size_t n)
{
	while (n)
		free(r[--n].name);
	free(r);
}
