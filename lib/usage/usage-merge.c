/*
 * Merging an import into the record, part by part, and counting every
 * week from the merged record (usage-record.h; the line format is in
 * usage-record.c, the figures in docs/metrics.md).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "psm/error.h"
#include "psm/fs.h"
#include "psm/grow.h"
#include "psm/metrics.h"
#include "usage-int.h"

#define DAY 86400

struct week_bits {
	int64_t day; /* the Monday's day number */
	uint64_t mask;
};

/* One user, as merged. */
struct user {
	uint64_t h;
	int64_t first[PSM_USAGE_MAX_EVENTS];
	struct week_bits *weeks;
	size_t nweeks, walloc;
};

static void user_reset(struct user *u, uint64_t h)
{
	size_t i;

	u->h = h;
	for (i = 0; i < PSM_USAGE_MAX_EVENTS; i++)
		u->first[i] = PSM_NO_TIME;
	u->nweeks = 0;
}

static int add_week(struct user *u, int64_t day, uint64_t mask)
{
	struct week_bits *w = psm_grow(u->weeks, u->nweeks, &u->walloc, sizeof(*w), 16);

	if (!w)
		return psm_error(PSM_ENOMEM, "out of memory");
	u->weeks = w;
	w[u->nweeks++] = (struct week_bits){ day, mask };
	return 0;
}

static void add_first(struct user *u, uint32_t e, int64_t t)
{
	if (u->first[e] == PSM_NO_TIME || t < u->first[e])
		u->first[e] = t;
}

static int cmp_spill(const void *a, const void *b)
{
	const struct spill *x = a, *y = b;

	return x->h < y->h ? -1 : x->h > y->h;
}

static int cmp_week(const void *a, const void *b)
{
	const struct week_bits *x = a, *y = b;

	return x->day < y->day ? -1 : x->day > y->day;
}

/* The hash that starts line p, or -1 when p is not such a line. */
static int line_hash(const char *p, uint64_t *h)
{
	char *end;

	errno = 0;
	*h = strtoull(p, &end, 16);
	return end - p == 16 && *end == ' ' && !errno ? 0 : -1;
}

static int damaged(const struct psm_usage_import *im, int part)
{
	return psm_error(PSM_EPARSE, "the usage record in '%s' is damaged (part %02x): count again with psm usage import --rebuild and every export",
			 im->dir.buf, part);
}

/* The rest of a record line, after its hash: FIRSTS WEEKS. */
static int parse_user(const struct psm_usage_import *im, struct user *u, const char *p,
		      const char **next)
{
	char *end;

	if (*p++ != ' ')
		return -1;
	if (*p == '-') {
		p++;
	} else {
		for (;;) {
			unsigned long e = strtoul(p, &end, 10);

			if (end == p || *end != '=' || e >= im->nevents)
				return -1;
			p = end + 1;
			add_first(u, (uint32_t)e, strtoll(p, &end, 10));
			if (end == p)
				return -1;
			p = end;
			if (*p != ',')
				break;
			p++;
		}
	}
	if (*p++ != ' ')
		return -1;
	if (*p == '-') {
		p++;
	} else {
		for (;;) {
			long long day = strtoll(p, &end, 10);
			unsigned long long mask;

			if (end == p || *end != ':')
				return -1;
			p = end + 1;
			mask = strtoull(p, &end, 16);
			if (end == p || add_week(u, day, mask) < 0)
				return -1;
			p = end;
			if (*p != ',')
				break;
			p++;
		}
	}
	if (*p != '\n')
		return -1;
	*next = p + 1;
	return 0;
}

static struct agg *agg_at(struct psm_usage_import *im, int64_t day)
{
	size_t lo = 0, hi = im->naggs;
	struct agg *a;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (im->aggs[mid].day == day)
			return &im->aggs[mid];
		if (im->aggs[mid].day < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!(a = psm_grow(im->aggs, im->naggs, &im->aalloc, sizeof(*a), 64)))
		return NULL;
	im->aggs = a;
	memmove(a + lo + 1, a + lo, (im->naggs - lo) * sizeof(*a));
	memset(&a[lo], 0, sizeof(a[lo]));
	a[lo].day = day;
	im->naggs++;
	if (!(a[lo].features = calloc(im->uc->nfeatures + 1, sizeof(size_t))) ||
	    !(a[lo].reached = calloc(im->uc->nsteps + 1, sizeof(size_t))))
		return NULL;
	return &a[lo];
}

static int64_t day_of_week(int64_t t)
{
	return psm_iso_week_start(t) / DAY;
}

/* The user's part of every figure (docs/metrics.md). */
static int count_user(struct psm_usage_import *im, const struct user *u)
{
	const struct psm_usage_config *uc = im->uc;
	size_t i, k;
	struct agg *a;
	int64_t s;

	for (i = 0; i < u->nweeks; i++) {
		if (!(a = agg_at(im, u->weeks[i].day)))
			return psm_error(PSM_ENOMEM, "out of memory");
		a->active++;
		for (k = 0; k < uc->nfeatures; k++)
			a->features[k] += !!(u->weeks[i].mask & im->fmask[k]);
	}
	if (im->sig < 0 || (s = u->first[im->sig]) == PSM_NO_TIME)
		return 0;
	if (!(a = agg_at(im, day_of_week(s))))
		return psm_error(PSM_ENOMEM, "out of memory");
	a->signups++;
	/* reached step k: did steps 1..k, each by the end of the window */
	for (k = 0; k < uc->nsteps; k++) {
		int64_t t = u->first[im->steps[k]];

		if (t == PSM_NO_TIME || t > s + uc->window)
			break;
		a->reached[k]++;
	}
	if (k < uc->nsteps && s + uc->window > im->until)
		a->waiting++;
	return 0;
}

/* The merged user's line, its weeks sorted and each week once. */
static int emit_user(struct strbuf *out, struct user *u, size_t nevents)
{
	size_t i, n = 0;
	int any = 0;

	if (u->nweeks)
		qsort(u->weeks, u->nweeks, sizeof(*u->weeks), cmp_week);
	for (i = 0; i < u->nweeks; i++) {
		if (n && u->weeks[n - 1].day == u->weeks[i].day)
			u->weeks[n - 1].mask |= u->weeks[i].mask;
		else
			u->weeks[n++] = u->weeks[i];
	}
	u->nweeks = n;
	strbuf_addf(out, "%016llx ", (unsigned long long)u->h);
	for (i = 0; i < nevents; i++) {
		if (u->first[i] == PSM_NO_TIME)
			continue;
		strbuf_addf(out, "%s%zu=%lld", any ? "," : "", i, (long long)u->first[i]);
		any = 1;
	}
	strbuf_addstr(out, any ? " " : "- ");
	for (i = 0; i < n; i++)
		strbuf_addf(out, "%s%lld:%llx", i ? "," : "", (long long)u->weeks[i].day,
			    (unsigned long long)u->weeks[i].mask);
	strbuf_addstr(out, n ? "\n" : "-\n");
	return out->oom ? psm_error(PSM_ENOMEM, "out of memory") : 0;
}

/* What was spilled to part i, sorted by hash. */
static int load_spill(struct psm_usage_import *im, int i, struct spill **out, size_t *n)
{
	FILE *f = im->spill[i];
	long size;

	*out = NULL;
	*n = 0;
	if (fflush(f) || fseek(f, 0, SEEK_END) || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET))
		return psm_error_errno(PSM_ERROR, "could not read back '%s'", im->spilldir.buf);
	*n = (size_t)size / sizeof(**out);
	if (!*n)
		return 0;
	if (!(*out = malloc(*n * sizeof(**out))))
		return psm_error(PSM_ENOMEM, "out of memory");
	if (fread(*out, sizeof(**out), *n, f) != *n)
		return psm_error_errno(PSM_ERROR, "could not read back '%s'", im->spilldir.buf);
	qsort(*out, *n, sizeof(**out), cmp_spill);
	return 0;
}

static void apply(struct user *u, const struct spill *s, int *err)
{
	uint64_t bit = s->e == PSM_USAGE_NO_COLUMN ? 0 : 1ULL << s->e;

	if (bit)
		add_first(u, s->e, s->t);
	if (add_week(u, day_of_week(s->t), bit) < 0)
		*err = 1;
}

/* Merge part i: the record's users and the spilled events, by hash. */
static int merge_part(struct psm_usage_import *im, int i, struct user *u)
{
	struct strbuf old = STRBUF_INIT, out = STRBUF_INIT, path = STRBUF_INIT;
	struct spill *sp = NULL;
	size_t n, j = 0;
	const char *p;
	uint64_t oh = 0, prev = 0;
	int r, have, first = 1, err = 0;

	strbuf_addf(&path, "%s/b%02x", im->dir.buf, i);
	if (!im->fresh && strbuf_read_file(&old, path.buf, 0) < 0 && errno != ENOENT) {
		r = psm_error_errno(PSM_ERROR, "could not read '%s'", path.buf);
		goto out;
	}
	if ((r = load_spill(im, i, &sp, &n)) < 0)
		goto out;
	p = old.buf;
	have = *p && !line_hash(p, &oh);
	if (*p && !have) {
		r = damaged(im, i);
		goto out;
	}
	while (have || j < n) {
		uint64_t h = have && (j == n || oh <= sp[j].h) ? oh : sp[j].h;

		user_reset(u, h);
		if (have && oh == h) {
			if ((!first && oh <= prev) || (oh >> PSM_USAGE_BUCKET_SHIFT) != (uint64_t)i ||
			    parse_user(im, u, p + 16, &p) < 0) {
				r = damaged(im, i);
				goto out;
			}
			prev = oh;
			first = 0;
			have = *p && !line_hash(p, &oh);
			if (*p && !have) {
				r = damaged(im, i);
				goto out;
			}
		}
		for (; j < n && sp[j].h == h; j++)
			apply(u, &sp[j], &err);
		if (err) {
			r = psm_error(PSM_ENOMEM, "out of memory");
			goto out;
		}
		if ((r = emit_user(&out, u, im->nevents)) < 0 || (r = count_user(im, u)) < 0)
			goto out;
	}
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/b%02x", im->stage.buf, i);
	if (out.len && (r = psm_write_file_atomic_nosync(path.buf, out.buf, out.len)) < 0)
		goto out;
	r = 0;
out:
	free(sp);
	strbuf_release(&old);
	strbuf_release(&out);
	strbuf_release(&path);
	return r;
}

static int copy_counts(struct psm_usage_count **out, size_t *nout, char *const *names,
		       const size_t *counts, size_t n)
{
	size_t i;

	if (!(*out = calloc(n + 1, sizeof(**out))))
		return psm_error(PSM_ENOMEM, "out of memory");
	for (i = 0; i < n; i++) {
		if (!((*out)[i].name = psm_strdup(names[i])))
			return psm_error(PSM_ENOMEM, "out of memory");
		(*out)[i].users = counts[i];
		*nout = i + 1;
	}
	return 0;
}

static int make_weeks(struct psm_usage_import *im, struct psm_usage_weeks *out)
{
	const struct psm_usage_config *uc = im->uc;
	char **fnames = calloc(uc->nfeatures + 1, sizeof(*fnames));
	size_t i;
	int r = 0;

	if (!fnames)
		return psm_error(PSM_ENOMEM, "out of memory");
	for (i = 0; i < uc->nfeatures; i++)
		fnames[i] = uc->features[i].name;
	for (i = 0; i < im->naggs && !r; i++) {
		const struct agg *a = &im->aggs[i];
		struct psm_usage_week *w = psm_usage_weeks_add(out);

		if (!w || !(w->record = psm_strdup(im->id.buf))) {
			r = psm_error(PSM_ENOMEM, "out of memory");
			break;
		}
		w->week = a->day * DAY;
		w->active = a->active;
		if ((r = copy_counts(&w->features, &w->nfeatures, fnames, a->features, uc->nfeatures)) < 0)
			break;
		if (!uc->signup)
			continue;
		w->onboarding = 1;
		w->window = uc->window;
		w->signups = a->signups;
		w->waiting = a->waiting;
		r = copy_counts(&w->steps, &w->nsteps, uc->steps, a->reached, uc->nsteps);
	}
	free(fnames);
	return r;
}

int psm_usage_import_count(struct psm_usage_import *im, struct psm_usage_weeks *out)
{
	struct strbuf done = STRBUF_INIT;
	struct user u;
	int i, r;

	memset(&u, 0, sizeof(u));
	memset(out, 0, sizeof(*out));
	im->staging = 1;
	if ((r = psm_usage__remove_dir(im->stage.buf)) < 0)
		goto out;
	if (mkdir(im->stage.buf, 0700) < 0) {
		r = psm_error_errno(PSM_ERROR, "could not create '%s'", im->stage.buf);
		goto out;
	}
	for (i = 0; i < PSM_USAGE_BUCKETS; i++)
		if ((r = merge_part(im, i, &u)) < 0)
			goto out;
	/* the parts and meta on disk before the mark that says they are complete */
	strbuf_addf(&done, "%s/complete", im->stage.buf);
	if ((r = psm_usage__write_meta(im)) < 0 || (r = psm_sync_fs(im->stage.buf)) < 0 ||
	    (r = psm_write_file_atomic(done.buf, "", 0)) < 0)
		goto out;
	im->complete = 1;
	r = make_weeks(im, out);
out:
	if (r < 0)
		psm_usage_weeks_release(out);
	free(u.weeks);
	strbuf_release(&done);
	return r;
}
