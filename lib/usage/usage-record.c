/*
 * The per-user record in the git directory, merged and counted part by
 * part (usage-record.h). On disk, in <gitdir>/psm/usage/:
 *	meta	JSON: version, id, key (the hash key, hex), events (the
 *		record's columns, in order), until (the latest event time)
 *	bNN	one part: a line per user, sorted by hash:
 *		HASH FIRSTS WEEKS, FIRSTS "-" or "E=T,...", WEEKS "-" or "D:MASK,..."
 *		(E a column, T Unix seconds, D the day number of a week's
 *		Monday, MASK hex bits of the columns sent that week)
 */
#include "psm/usage-record.h"

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "psm/error.h"
#include "psm/fs.h"
#include "psm/grow.h"
#include "psm/lock.h"
#include "psm/metrics.h"
#include "psm/siphash.h"
#include "usage-int.h"

/* ---- files ---------------------------------------------------------------- */

int psm_usage__remove_dir(const char *path)
{
	struct strbuf p = STRBUF_INIT;
	struct dirent *de;
	DIR *d = opendir(path);
	int r = 0;

	if (!d)
		return errno == ENOENT ? 0 : psm_error_errno(PSM_ERROR, "could not read '%s'", path);
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		strbuf_reset(&p);
		strbuf_addf(&p, "%s/%s", path, de->d_name);
		if (!p.oom && unlink(p.buf) < 0 && errno != ENOENT)
			r = psm_error_errno(PSM_ERROR, "could not remove '%s'", p.buf);
	}
	closedir(d);
	if (!r && rmdir(path) < 0 && errno != ENOENT)
		r = psm_error_errno(PSM_ERROR, "could not remove '%s'", path);
	strbuf_release(&p);
	return r;
}

static int exists(const struct strbuf *dir, const char *name)
{
	struct strbuf p = STRBUF_INIT;
	int e;

	strbuf_addf(&p, "%s/%s", dir->buf, name);
	e = psm_path_exists(p.buf);
	strbuf_release(&p);
	return e;
}

/* Finish or undo what a psm killed mid-import left (see usage-record.h). */
static int recover(struct psm_usage_import *im)
{
	int r;

	if (exists(&im->stage, "complete")) {
		if (psm_path_exists(im->dir.buf) && rename(im->dir.buf, im->old.buf) < 0)
			return psm_error_errno(PSM_ERROR, "could not move '%s'", im->dir.buf);
		if (rename(im->stage.buf, im->dir.buf) < 0)
			return psm_error_errno(PSM_ERROR, "could not move '%s'", im->stage.buf);
	} else if ((r = psm_usage__remove_dir(im->stage.buf)) < 0) {
		return r;
	}
	if (!psm_path_exists(im->dir.buf) && psm_path_exists(im->old.buf) &&
	    rename(im->old.buf, im->dir.buf) < 0)
		return psm_error_errno(PSM_ERROR, "could not move '%s'", im->old.buf);
	if ((r = psm_usage__remove_dir(im->old.buf)) < 0)
		return r;
	return psm_usage__remove_dir(im->spilldir.buf);
}

static void hex(struct strbuf *out, const unsigned char *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		strbuf_addf(out, "%02x", b[i]);
}

static int unhex(unsigned char *out, size_t n, const char *s)
{
	size_t i;

	if (!s || strlen(s) != 2 * n)
		return -1;
	for (i = 0; i < n; i++) {
		unsigned v;

		if (sscanf(s + 2 * i, "%2x", &v) != 1)
			return -1;
		out[i] = (unsigned char)v;
	}
	return 0;
}

static int add_event_name(struct psm_usage_import *im, const char *name)
{
	char **v = realloc(im->events, (im->nevents + 1) * sizeof(*v));

	if (!v)
		return psm_error(PSM_ENOMEM, "out of memory");
	im->events = v;
	if (!(v[im->nevents] = psm_strdup(name)))
		return psm_error(PSM_ENOMEM, "out of memory");
	im->nevents++;
	return 0;
}

static int damaged(const struct psm_usage_import *im, const char *what)
{
	return psm_error(PSM_EPARSE, "the usage record in '%s' is damaged (%s): count again with psm usage import --rebuild and every export",
			 im->dir.buf, what);
}

static int read_meta(struct psm_usage_import *im)
{
	struct strbuf p = STRBUF_INIT;
	json_error_t err;
	json_t *m = NULL, *ev, *v;
	size_t i;
	int r = 0;

	strbuf_addf(&p, "%s/meta", im->dir.buf);
	if (!psm_path_exists(p.buf)) {
		im->fresh = 1;
		goto out;
	}
	if (!(m = json_load_file(p.buf, JSON_REJECT_DUPLICATES, &err)) ||
	    !json_is_integer(json_object_get(m, "version")) ||
	    json_integer_value(json_object_get(m, "version")) != 1 ||
	    !json_is_string(json_object_get(m, "id")) ||
	    unhex(im->key, sizeof(im->key), json_string_value(json_object_get(m, "key"))) < 0 ||
	    !json_is_array(ev = json_object_get(m, "events"))) {
		r = damaged(im, "its meta file");
		goto out;
	}
	strbuf_addstr(&im->id, json_string_value(json_object_get(m, "id")));
	json_array_foreach(ev, i, v) {
		if (!json_is_string(v) || i >= PSM_USAGE_MAX_EVENTS) {
			r = damaged(im, "its event names");
			goto out;
		}
		if ((r = add_event_name(im, json_string_value(v))) < 0)
			goto out;
	}
	v = json_object_get(m, "until");
	im->until = json_is_integer(v) ? (int64_t)json_integer_value(v) : PSM_NO_TIME;
out:
	json_decref(m);
	strbuf_release(&p);
	return r;
}

int psm_usage__write_meta(struct psm_usage_import *im)
{
	struct strbuf p = STRBUF_INIT, k = STRBUF_INIT;
	json_t *m = json_object(), *ev = json_array();
	char *text = NULL;
	size_t i;
	int r = 0;

	hex(&k, im->key, sizeof(im->key));
	if (!m || !ev || json_object_set_new(m, "version", json_integer(1)) < 0 ||
	    json_object_set_new(m, "id", json_string(im->id.buf)) < 0 ||
	    json_object_set_new(m, "key", json_string(k.buf)) < 0)
		goto oom;
	for (i = 0; i < im->nevents; i++)
		if (json_array_append_new(ev, json_string(im->events[i])) < 0)
			goto oom;
	if (json_object_set_new(m, "events", ev) < 0)
		goto oom;
	ev = NULL;
	if (json_object_set_new(m, "until", im->until == PSM_NO_TIME ? json_null()
				: json_integer((json_int_t)im->until)) < 0 ||
	    !(text = json_dumps(m, JSON_INDENT(1))))
		goto oom;
	strbuf_addf(&p, "%s/meta", im->stage.buf);
	r = p.oom ? psm_error(PSM_ENOMEM, "out of memory")
		  : psm_write_file_atomic_nosync(p.buf, text, strlen(text));
	goto out;
oom:
	r = psm_error(PSM_ENOMEM, "out of memory");
out:
	free(text);
	json_decref(ev);
	json_decref(m);
	strbuf_release(&p);
	strbuf_release(&k);
	return r;
}

/* ---- begin ---------------------------------------------------------------- */

static int cmp_column(const void *a, const void *b)
{
	return strcmp(((const struct column *)a)->name, ((const struct column *)b)->name);
}

static long column_of(const struct psm_usage_import *im, const char *name)
{
	struct column key = { name, 0 }, *c;

	c = bsearch(&key, im->cols, im->nevents, sizeof(*im->cols), cmp_column);
	return c ? (long)c->e : -1;
}

/* Give every event the config names a column, new ones at the end. */
static int map_columns(struct psm_usage_import *im)
{
	const struct psm_usage_config *uc = im->uc;
	size_t i, j, k;
	int r;

	for (i = 0; i < 1 + uc->nsteps + uc->nfeatures; i++) {
		const struct psm_usage_feature *f = i > uc->nsteps ? &uc->features[i - 1 - uc->nsteps] : NULL;
		size_t n = f ? f->nevents : 1;

		for (j = 0; j < n; j++) {
			const char *name = f ? f->events[j] : i ? uc->steps[i - 1] : uc->signup;

			if (!name)
				continue;
			for (k = 0; k < im->nevents && strcmp(im->events[k], name); k++)
				;
			if (k < im->nevents)
				continue;
			if (im->nevents == PSM_USAGE_MAX_EVENTS)
				return psm_error(PSM_EINVALID, "the usage record keeps %d event names; with '%s' the config names more: count again with psm usage import --rebuild and every export",
						 PSM_USAGE_MAX_EVENTS, name);
			if ((r = add_event_name(im, name)) < 0)
				return r;
			if (!im->fresh)
				strbuf_addf(&im->added, "%s\n", name);
		}
	}
	if (!(im->cols = calloc(im->nevents + 1, sizeof(*im->cols))))
		return psm_error(PSM_ENOMEM, "out of memory");
	for (i = 0; i < im->nevents; i++)
		im->cols[i] = (struct column){ im->events[i], (uint32_t)i };
	qsort(im->cols, im->nevents, sizeof(*im->cols), cmp_column);

	im->sig = uc->signup ? column_of(im, uc->signup) : -1;
	if (!(im->steps = calloc(uc->nsteps + 1, sizeof(*im->steps))) ||
	    !(im->fmask = calloc(uc->nfeatures + 1, sizeof(*im->fmask))))
		return psm_error(PSM_ENOMEM, "out of memory");
	for (i = 0; i < uc->nsteps; i++)
		im->steps[i] = column_of(im, uc->steps[i]);
	for (i = 0; i < uc->nfeatures; i++)
		for (j = 0; j < uc->features[i].nevents; j++)
			im->fmask[i] |= 1ULL << column_of(im, uc->features[i].events[j]);
	return 0;
}

static int check_committed(struct psm_usage_import *im, const struct psm_usage_weeks *committed)
{
	size_t i;

	for (i = 0; i < committed->n; i++) {
		const struct psm_usage_week *w = &committed->v[i];

		if (im->fresh || strcmp(w->record, im->id.buf)) {
			struct strbuf name = STRBUF_INIT;
			int r;

			psm_iso_week_format(&name, w->week);
			r = psm_error(PSM_ESTATE,
				      "the usage counts of %s were made from a record this repository does not have (another clone's, or one removed): adding to them would count users twice; count again from every export with psm usage import --rebuild",
				      name.buf);
			strbuf_release(&name);
			return r;
		}
	}
	return 0;
}

static int open_spills(struct psm_usage_import *im)
{
	struct strbuf p = STRBUF_INIT;
	int i, r = 0;

	if (mkdir(im->spilldir.buf, 0700) < 0 && errno != EEXIST)
		return psm_error_errno(PSM_ERROR, "could not create '%s'", im->spilldir.buf);
	for (i = 0; i < PSM_USAGE_BUCKETS && !r; i++) {
		strbuf_reset(&p);
		strbuf_addf(&p, "%s/s%02x", im->spilldir.buf, i);
		if (p.oom)
			r = psm_error(PSM_ENOMEM, "out of memory");
		else if (!(im->spill[i] = fopen(p.buf, "w+be")))
			r = psm_error_errno(PSM_ERROR, "could not create '%s'", p.buf);
	}
	strbuf_release(&p);
	return r;
}

/* PSM_LOCK_TIMEOUT seconds, default 10, as for the store lock (txn.c). */
static double lock_timeout(void)
{
	const char *env = getenv("PSM_LOCK_TIMEOUT");
	char *end;
	double t;

	if (!env || !*env)
		return 10.0;
	t = strtod(env, &end);
	return *end || t < 0 ? 10.0 : t;
}

const struct psm_usage_weeks *psm_usage_import_committed(const struct psm_usage_import *im)
{
	return &im->committed;
}

int psm_usage_import_recheck(struct psm_usage_import *im, const char *root)
{
	struct psm_usage_weeks now = { NULL, 0, 0 };
	int r;

	if ((r = psm_usage_load(&now, root)) < 0)
		return r;
	if (!im->rebuild && (r = check_committed(im, &now)) < 0) {
		psm_usage_weeks_release(&now);
		return r;
	}
	psm_usage_weeks_release(&im->committed);
	im->committed = now;
	return 0;
}

int psm_usage_import_begin(struct psm_usage_import **out, const char *gitdir, const char *root,
			   const struct psm_usage_config *uc, int rebuild)
{
	struct psm_usage_import *im = calloc(1, sizeof(*im));
	int r, took_over;

	*out = NULL;
	if (!im)
		return psm_error(PSM_ENOMEM, "out of memory");
	im->uc = uc;
	im->until = PSM_NO_TIME;
	strbuf_init(&im->dir, 0);
	strbuf_init(&im->stage, 0);
	strbuf_init(&im->old, 0);
	strbuf_init(&im->spilldir, 0);
	strbuf_init(&im->added, 0);
	strbuf_init(&im->id, 0);
	strbuf_init(&im->lock, 0);
	strbuf_addf(&im->dir, "%spsm/usage", gitdir);
	strbuf_addf(&im->lock, "%spsm/usage.lock", gitdir);
	strbuf_addf(&im->stage, "%spsm/usage.new", gitdir);
	strbuf_addf(&im->old, "%spsm/usage.old", gitdir);
	strbuf_addf(&im->spilldir, "%spsm/usage.spill", gitdir);
	if (im->dir.oom || im->stage.oom || im->old.oom || im->spilldir.oom || im->lock.oom) {
		r = psm_error(PSM_ENOMEM, "out of memory");
		goto out;
	}
	if ((r = psm_lock_take(im->lock.buf, lock_timeout(), &took_over)) < 0)
		goto out;
	im->locked = 1;
	if ((r = recover(im)) < 0 || (r = psm_usage_load(&im->committed, root)) < 0)
		goto out;
	if (rebuild) {
		im->fresh = im->rebuild = 1;
	} else if ((r = read_meta(im)) < 0 || (r = check_committed(im, &im->committed)) < 0) {
		goto out;
	}
	if (im->fresh) {
		unsigned char id[16];

		if (getrandom(id, sizeof(id), 0) != (ssize_t)sizeof(id) ||
		    getrandom(im->key, sizeof(im->key), 0) != (ssize_t)sizeof(im->key)) {
			r = psm_error_errno(PSM_ERROR, "could not get random bytes for the usage record");
			goto out;
		}
		strbuf_reset(&im->id);
		hex(&im->id, id, sizeof(id));
	}
	if ((r = map_columns(im)) < 0 || (r = open_spills(im)) < 0)
		goto out;
	*out = im;
	im = NULL;
out:
	psm_usage_import_free(im);
	return r;
}

const char *psm_usage_import_added(const struct psm_usage_import *im)
{
	return im->added.buf;
}

size_t psm_usage_import_unknown(const struct psm_usage_import *im)
{
	return im->unknown;
}

int psm_usage_import_event(struct psm_usage_import *im, const struct psm_usage_event *ev)
{
	struct spill s = { psm_siphash(im->key, ev->user, ev->user_len), ev->time, PSM_USAGE_NO_COLUMN, 0 };
	long c = column_of(im, ev->name);

	if (c >= 0)
		s.e = (uint32_t)c;
	else
		im->unknown++;
	if (im->until == PSM_NO_TIME || ev->time > im->until)
		im->until = ev->time;
	if (fwrite(&s, sizeof(s), 1, im->spill[s.h >> PSM_USAGE_BUCKET_SHIFT]) != 1)
		return psm_error_errno(PSM_ERROR, "could not write '%s'", im->spilldir.buf);
	return 0;
}

int psm_usage_import_keep(struct psm_usage_import *im)
{
	if (!im->complete)
		return psm_error(PSM_ERROR, "no usage record to keep");
	/* from here the staged record is never thrown away (usage-record.h) */
	im->kept = 1;
	if (psm_path_exists(im->dir.buf) && rename(im->dir.buf, im->old.buf) < 0)
		return psm_error_errno(PSM_ERROR, "could not move '%s'", im->dir.buf);
	if (rename(im->stage.buf, im->dir.buf) < 0)
		return psm_error_errno(PSM_ERROR, "could not move '%s'", im->stage.buf);
	strbuf_addstr(&im->dir, "/complete"); /* a mark for usage.new/ only */
	unlink(im->dir.buf);
	return psm_usage__remove_dir(im->old.buf);
}

void psm_usage_import_free(struct psm_usage_import *im)
{
	size_t i;

	if (!im)
		return;
	for (i = 0; i < PSM_USAGE_BUCKETS; i++)
		if (im->spill[i])
			fclose(im->spill[i]);
	if (im->locked) /* the spill folder of an import that holds the lock is its own */
		psm_usage__remove_dir(im->spilldir.buf);
	if (im->staging && !im->kept)
		psm_usage__remove_dir(im->stage.buf);
	for (i = 0; i < im->nevents; i++)
		free(im->events[i]);
	free(im->events);
	free(im->cols);
	free(im->steps);
	free(im->fmask);
	for (i = 0; i < im->naggs; i++) {
		free(im->aggs[i].features);
		free(im->aggs[i].reached);
	}
	free(im->aggs);
	psm_usage_weeks_release(&im->committed);
	if (im->locked)
		psm_lock_release(im->lock.buf);
	strbuf_release(&im->lock);
	strbuf_release(&im->dir);
	strbuf_release(&im->stage);
	strbuf_release(&im->old);
	strbuf_release(&im->spilldir);
	strbuf_release(&im->added);
	strbuf_release(&im->id);
	free(im);
}
