/* The week files of .psm/usage/: counts only (usage.h, docs/format.md). */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "psm/error.h"
#include "psm/grow.h"
#include "psm/time.h"
#include "psm/usage.h"
#include "psm/yaml.h"

/* A week file is a few hundred bytes; anything this big is not one. */
#define MAX_WEEK_FILE (1 << 20)

static void counts_free(struct psm_usage_count *v, size_t n)
{
	while (n)
		free(v[--n].name);
	free(v);
}

void psm_usage_week_release(struct psm_usage_week *w)
{
	free(w->record);
	counts_free(w->features, w->nfeatures);
	counts_free(w->steps, w->nsteps);
	memset(w, 0, sizeof(*w));
}

void psm_usage_weeks_release(struct psm_usage_weeks *ws)
{
	while (ws->n)
		psm_usage_week_release(&ws->v[--ws->n]);
	free(ws->v);
	memset(ws, 0, sizeof(*ws));
}

struct psm_usage_week *psm_usage_weeks_add(struct psm_usage_weeks *ws)
{
	struct psm_usage_week *v = psm_grow(ws->v, ws->n, &ws->alloc, sizeof(*v), 16);

	if (!v)
		return NULL;
	ws->v = v;
	memset(&v[ws->n], 0, sizeof(v[ws->n]));
	return &v[ws->n++];
}

int psm_usage_week_path(struct strbuf *out, int64_t week)
{
	strbuf_addstr(out, PSM_USAGE_DIR "/");
	psm_iso_week_format(out, week);
	strbuf_addstr(out, ".yml");
	return out->oom ? psm_error(PSM_ENOMEM, "out of memory") : 0;
}

static void add_counts(struct strbuf *out, const char *indent, const struct psm_usage_count *v,
		       size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		strbuf_addstr(out, indent);
		psm_yaml_quote(out, v[i].name, strlen(v[i].name));
		strbuf_addf(out, ": %zu\n", v[i].users);
	}
}

int psm_usage_week_format(struct strbuf *out, const struct psm_usage_week *w)
{
	strbuf_addstr(out, "# Distinct users, counted by psm usage import from the record in the git\n"
		      "# directory; no user ids (docs/format.md). To count again: psm usage recount.\n"
		      "version: 1\nweek: ");
	psm_iso_week_format(out, w->week);
	strbuf_addf(out, "\nrecord: %s\nactive: %zu\n", w->record ? w->record : "", w->active);
	if (w->nfeatures) {
		strbuf_addstr(out, "adoption:\n");
		add_counts(out, "  ", w->features, w->nfeatures);
	}
	if (w->onboarding) {
		strbuf_addstr(out, "onboarding:\n  window: ");
		psm_usage_duration_format(out, w->window);
		strbuf_addf(out, "\n  signups: %zu\n", w->signups);
		if (w->nsteps) {
			strbuf_addstr(out, "  steps:\n");
			add_counts(out, "    ", w->steps, w->nsteps);
		}
		strbuf_addf(out, "  waiting: %zu\n", w->waiting);
	}
	return out->oom ? psm_error(PSM_ENOMEM, "out of memory") : 0;
}

/* A count: plain digits, no sign, no overflow. */
static int count_value(size_t *out, const struct psm_node *n)
{
	const char *s = n && n->kind == PSM_SCALAR ? n->str : NULL;
	size_t v = 0;

	if (!s || !*s)
		return -1;
	for (; *s; s++) {
		if (!isdigit((unsigned char)*s) || v > ((size_t)-1 - 9) / 10)
			return -1;
		v = v * 10 + (size_t)(*s - '0');
	}
	*out = v;
	return 0;
}

static int bad(const char *path, const struct psm_node *n, const char *what)
{
	return psm_error(PSM_EPARSE, "%s:%d: %s", path, n ? n->line : 1, what);
}

static int read_counts(struct psm_usage_count **out, size_t *nout, const struct psm_node *map,
		       const char *path, const char *what)
{
	size_t i;

	if (map->kind != PSM_MAP)
		return bad(path, map, what);
	if (!(*out = calloc(map->n / 2 + 1, sizeof(**out))))
		return psm_error(PSM_ENOMEM, "out of memory");
	for (i = 0; i + 1 < map->n; i += 2) {
		struct psm_usage_count *c = &(*out)[i / 2];

		if (!(c->name = psm_strdup(map->items[i]->str)))
			return psm_error(PSM_ENOMEM, "out of memory");
		*nout = i / 2 + 1;
		if (count_value(&c->users, map->items[i + 1]) < 0)
			return bad(path, map->items[i + 1], "expected a count of users");
	}
	return 0;
}

static int read_week(struct psm_usage_week *w, const struct psm_node *root, const char *path)
{
	const struct psm_node *n, *ob;
	int r;

	if (root->kind != PSM_MAP)
		return bad(path, root, "expected a mapping");
	if (!psm_streq(psm_node_get_str(root, "version"), "1"))
		return bad(path, psm_node_get(root, "version"), "not a week file of version 1");
	if (psm_iso_week_parse(psm_node_get_str(root, "week") ? psm_node_get_str(root, "week") : "",
			       &w->week) < 0)
		return bad(path, psm_node_get(root, "week"), psm_error_last());
	n = psm_node_get(root, "record");
	if (!psm_node_str(n) || !*psm_node_str(n) || strspn(psm_node_str(n), "0123456789abcdef") != strlen(psm_node_str(n)))
		return bad(path, n, "record: expected the hex id of the record the counts came from");
	if (!(w->record = psm_strdup(psm_node_get_str(root, "record"))))
		return psm_error(PSM_ENOMEM, "out of memory");
	if (count_value(&w->active, n = psm_node_get(root, "active")) < 0)
		return bad(path, n, "active: expected a count of users");
	if ((n = psm_node_get(root, "adoption")) &&
	    (r = read_counts(&w->features, &w->nfeatures, n, path, "adoption: expected features and counts")) < 0)
		return r;
	if (!(ob = psm_node_get(root, "onboarding")))
		return 0;
	w->onboarding = 1;
	if (ob->kind != PSM_MAP)
		return bad(path, ob, "onboarding: expected window, signups, steps, waiting");
	if (psm_duration_parse(psm_node_get_str(ob, "window"), &w->window) < 0)
		return bad(path, psm_node_get(ob, "window"), psm_error_last());
	if (count_value(&w->signups, n = psm_node_get(ob, "signups")) < 0)
		return bad(path, n ? n : ob, "signups: expected a count of users");
	if (count_value(&w->waiting, n = psm_node_get(ob, "waiting")) < 0)
		return bad(path, n ? n : ob, "waiting: expected a count of users");
	if ((n = psm_node_get(ob, "steps")) &&
	    (r = read_counts(&w->steps, &w->nsteps, n, path, "steps: expected steps and counts")) < 0)
		return r;
	return 0;
}

int psm_usage_week_parse(struct psm_usage_week *out, const char *text, size_t len,
			 const char *path)
{
	struct psm_yaml_error err = { 0, 0, STRBUF_INIT };
	struct psm_node *root = NULL;
	int r;

	memset(out, 0, sizeof(*out));
	if ((r = psm_yaml_load(&root, text, len, 1, &err)) < 0) {
		r = r == PSM_ENOMEM ? r : psm_error(PSM_EPARSE, "%s:%d: %s", path, err.line, err.msg.buf);
		goto out;
	}
	r = read_week(out, root, path);
out:
	if (r < 0)
		psm_usage_week_release(out);
	psm_node_free(root);
	strbuf_release(&err.msg);
	return r;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The .yml names in dir, sorted; ENOENT: none. */
static int list_dir(char ***out, size_t *n, const char *dir)
{
	size_t alloc = 0;
	struct dirent *de;
	DIR *d = opendir(dir);

	*out = NULL;
	*n = 0;
	if (!d)
		return errno == ENOENT ? 0 : psm_error_errno(PSM_ERROR, "could not read '%s'", dir);
	while ((de = readdir(d))) {
		size_t l = strlen(de->d_name);
		char **v;

		if (de->d_name[0] == '.' || l < 5 || strcmp(de->d_name + l - 4, ".yml"))
			continue;
		if (!(v = psm_grow(*out, *n, &alloc, sizeof(*v), 64)) ||
		    !(v[*n] = psm_strdup(de->d_name))) {
			if (v)
				*out = v;
			closedir(d);
			return psm_error(PSM_ENOMEM, "out of memory");
		}
		*out = v;
		(*n)++;
	}
	closedir(d);
	if (*n)
		qsort(*out, *n, sizeof(**out), cmp_names);
	return 0;
}

int psm_usage_load(struct psm_usage_weeks *out, const char *root)
{
	struct strbuf dir = STRBUF_INIT, path = STRBUF_INIT, text = STRBUF_INIT, name = STRBUF_INIT;
	struct strbuf full = STRBUF_INIT;
	char **names = NULL;
	size_t n = 0, i;
	int r;

	memset(out, 0, sizeof(*out));
	strbuf_addf(&dir, "%s%s", root, PSM_USAGE_DIR);
	if (dir.oom || (r = list_dir(&names, &n, dir.buf)) < 0) {
		r = dir.oom ? psm_error(PSM_ENOMEM, "out of memory") : r;
		goto out;
	}
	for (i = 0; i < n; i++) {
		struct psm_usage_week *w;

		strbuf_reset(&path);
		strbuf_reset(&text);
		strbuf_reset(&name);
		strbuf_reset(&full);
		strbuf_addf(&path, "%s/%s", PSM_USAGE_DIR, names[i]);
		strbuf_addf(&full, "%s%s", root, path.buf);
		if (strbuf_read_file(&text, full.buf, MAX_WEEK_FILE) < 0) {
			r = psm_error_errno(PSM_EPARSE, "could not read '%s'", path.buf);
			goto out;
		}
		if (!(w = psm_usage_weeks_add(out))) {
			r = psm_error(PSM_ENOMEM, "out of memory");
			goto out;
		}
		if ((r = psm_usage_week_parse(w, text.buf, text.len, path.buf)) < 0) {
			out->n--;
			goto out;
		}
		/* the name is the week: one file per week, found by its name */
		psm_iso_week_format(&name, w->week);
		strbuf_addstr(&name, ".yml");
		if (strcmp(name.buf, names[i])) {
			r = psm_error(PSM_EPARSE, "%s: holds week %.*s: a week file is named for its week",
				      path.buf, (int)name.len - 4, name.buf);
			goto out;
		}
	}
	r = 0;
out:
	if (r < 0)
		psm_usage_weeks_release(out);
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	strbuf_release(&dir);
	strbuf_release(&path);
	strbuf_release(&text);
	strbuf_release(&name);
	strbuf_release(&full);
	return r;
}
