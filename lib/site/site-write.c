/*
 * Writing the site into a folder. Only what changed is written (a second
 * run of the same store rewrites nothing), each file atomically; psm never
 * replaces a file it did not write (the manifest .psm-site says which it
 * wrote), and removes the ones a former build wrote that this one does not
 * (a deleted tag's page).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "psm/error.h"
#include "psm/fs.h"
#include "psm/grow.h"
#include "psm/site.h"

#define MANIFEST ".psm-site"

/* A path psm's site has: what the manifest may name (it is read back, and
 * must not lead a removal outside the folder). */
static int site_path_ok(const char *p)
{
	size_t i;

	if (!*p || *p == '/' || *p == '.' || strstr(p, "/.") || strstr(p, "//"))
		return 0;
	for (i = 0; p[i]; i++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-/", p[i]))
			return 0;
	return 1;
}

/* The manifest's lines that name site files. */
static int read_manifest(struct strbuf *text, char ***paths, size_t *n, const char *dir)
{
	struct strbuf path = STRBUF_INIT;
	size_t alloc = 0;
	char *p, *nl;
	int e = 0;

	*paths = NULL;
	*n = 0;
	strbuf_addf(&path, "%s/%s", dir, MANIFEST);
	if (path.oom) {
		e = psm_oom();
		goto out;
	}
	if (strbuf_read_file(text, path.buf, 16 << 20) < 0) {
		if (errno != ENOENT)
			e = psm_error_errno(PSM_ERROR, "could not read '%s'", path.buf);
		goto out;
	}
	for (p = text->buf; *p; p = nl + 1) {
		char **nv;

		if (!(nl = strchr(p, '\n')))
			break;
		*nl = '\0';
		if (!site_path_ok(p))
			continue;
		if (!(nv = psm_grow(*paths, *n, &alloc, sizeof(*nv), 32))) {
			e = psm_oom();
			goto out;
		}
		*paths = nv;
		nv[(*n)++] = p;
	}
out:
	strbuf_release(&path);
	return e;
}

static int listed(char **paths, size_t n, const char *p)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(paths[i], p))
			return 1;
	return 0;
}

/* 1 when path holds exactly data, 0 when it differs or is missing. */
static int same_bytes(const char *path, const struct strbuf *data, int *exists)
{
	struct strbuf old = STRBUF_INIT;
	int same;

	*exists = 0;
	if (strbuf_read_file(&old, path, data->len + 1) < 0) {
		*exists = errno != ENOENT;
		strbuf_release(&old);
		return 0;
	}
	*exists = 1;
	same = old.len == data->len && !memcmp(old.buf, data->buf, data->len);
	strbuf_release(&old);
	return same;
}

static int remember_removed(struct psm_site *site, const char *p)
{
	char **nv = realloc(site->removed, (site->nremoved + 1) * sizeof(*nv));

	if (!nv)
		return psm_oom();
	site->removed = nv;
	if (!(nv[site->nremoved] = psm_strdup(p)))
		return psm_oom();
	site->nremoved++;
	return 0;
}

int psm_site_write(struct psm_site *site, const char *dir)
{
	struct strbuf full = STRBUF_INIT, mtext = STRBUF_INIT, manifest = STRBUF_INIT;
	char **old = NULL;
	size_t nold = 0, i;
	int e, exists, written = 0;
	struct stat st;

	if ((e = read_manifest(&mtext, &old, &nold, dir)) < 0)
		goto out;
	/* First look at everything: refuse before writing anything. */
	for (i = 0; i < site->nfiles; i++) {
		struct psm_site_file *f = &site->files[i];

		strbuf_reset(&full);
		strbuf_addf(&full, "%s/%s", dir, f->path);
		if (full.oom) {
			e = psm_oom();
			goto out;
		}
		f->written = !same_bytes(full.buf, &f->data, &exists);
		if (f->written && exists && !listed(old, nold, f->path)) {
			e = psm_error(PSM_EINVALID,
				      "'%s' is there and psm site did not write it: not replacing it (build the site into a folder of its own)",
				      full.buf);
			goto out;
		}
		if (!lstat(full.buf, &st) && S_ISLNK(st.st_mode)) {
			e = psm_error(PSM_EINVALID, "'%s' is a symbolic link: not writing through it", full.buf);
			goto out;
		}
		strbuf_addf(&manifest, "%s\n", f->path);
	}
	for (i = 0; i < site->nfiles; i++) {
		struct psm_site_file *f = &site->files[i];

		if (!f->written)
			continue;
		strbuf_reset(&full);
		strbuf_addf(&full, "%s/%s", dir, f->path);
		if (full.oom) {
			e = psm_oom();
			goto out;
		}
		if ((e = psm_write_file_atomic_nosync(full.buf, f->data.buf, f->data.len)) < 0)
			goto out;
		written++;
	}
	/* what the last build wrote and this one does not: a removed release */
	for (i = 0; i < nold; i++) {
		size_t j;
		int keep = 0;

		for (j = 0; j < site->nfiles && !keep; j++)
			keep = !strcmp(site->files[j].path, old[i]);
		if (keep)
			continue;
		strbuf_reset(&full);
		strbuf_addf(&full, "%s/%s", dir, old[i]);
		if (full.oom) {
			e = psm_oom();
			goto out;
		}
		if (unlink(full.buf) < 0 && errno != ENOENT) {
			e = psm_error_errno(PSM_ERROR, "could not remove '%s'", full.buf);
			goto out;
		}
		if ((e = remember_removed(site, old[i])) < 0)
			goto out;
	}
	strbuf_reset(&full);
	strbuf_addf(&full, "%s/%s", dir, MANIFEST);
	if (manifest.oom || full.oom) {
		e = psm_oom();
		goto out;
	}
	if (!same_bytes(full.buf, &manifest, &exists) &&
	    (e = psm_write_file_atomic_nosync(full.buf, manifest.buf, manifest.len)) < 0)
		goto out;
	if ((written || site->nremoved) && (e = psm_sync_fs(full.buf)) < 0)
		goto out;
	e = written;
out:
	free(old);
	strbuf_release(&mtext);
	strbuf_release(&manifest);
	strbuf_release(&full);
	return e;
}
