/* The sent log of --send (psm/mail.h): what went but may not be recorded yet. */
#include "psm/mail.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "psm/error.h"
#include "psm/fs.h"
#include "psm/grow.h"

static int push(struct psm_mail_sentlog *l, const char *id, size_t len, int done)
{
	char **nv;
	unsigned char *nd;
	size_t alloc = l->alloc;

	if (l->n == l->alloc) {
		if (!(nv = psm_grow(l->ids, l->n, &alloc, sizeof(*nv), 16)))
			return psm_oom();
		l->ids = nv;
		if (!(nd = realloc(l->done, alloc)))
			return psm_oom();
		l->done = nd;
		l->alloc = alloc;
	}
	if (!(l->ids[l->n] = psm_strndup(id, len)))
		return psm_oom();
	l->done[l->n++] = (unsigned char)done;
	return 0;
}

int psm_mail_sentlog_open(struct psm_mail_sentlog *l, const char *gitdir)
{
	struct strbuf text = STRBUF_INIT, line = STRBUF_INIT;
	const char *p, *nl;
	int r = 0;

	memset(l, 0, sizeof(*l));
	strbuf_addf(&text, "%spsm/sent", gitdir);
	if (text.oom || !(l->path = strbuf_detach(&text, NULL)))
		return psm_oom();
	strbuf_init(&text, 0);
	if (strbuf_read_file(&text, l->path, 1 << 24) < 0 && errno != ENOENT) {
		r = psm_error_errno(PSM_ERROR, "could not read '%s'", l->path);
		goto cleanup;
	}
	for (p = text.buf; !r && (nl = strchr(p, '\n')); p = nl + 1) {
		/* a last line without its newline was cut short: not taken */
		strbuf_reset(&line);
		strbuf_add(&line, p, (size_t)(nl - p));
		if (line.oom)
			r = psm_oom();
		else if (psm_mail_id_ok(line.buf))
			r = push(l, line.buf, line.len, 0);
	}
cleanup:
	strbuf_release(&line);
	strbuf_release(&text);
	return r;
}

int psm_mail_sentlog_take(struct psm_mail_sentlog *l, const char *id)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (!strcmp(l->ids[i], id)) {
			l->done[i] = 1;
			return 1;
		}
	return 0;
}

int psm_mail_sentlog_add(struct psm_mail_sentlog *l, const char *id)
{
	struct strbuf line = STRBUF_INIT;
	int fd, r = 0;

	if ((r = push(l, id, strlen(id), 1)) < 0)
		return r;
	strbuf_addf(&line, "%s\n", id);
	if (line.oom)
		return psm_oom();
	if (psm_mkdir_parents(l->path) < 0 ||
	    (fd = open(l->path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644)) < 0) {
		strbuf_release(&line);
		return psm_error_errno(PSM_ERROR, "could not write '%s'", l->path);
	}
	if (write(fd, line.buf, line.len) != (ssize_t)line.len || fsync(fd) < 0)
		r = psm_error_errno(PSM_ERROR, "could not write '%s'", l->path);
	if (close(fd) < 0 && !r)
		r = psm_error_errno(PSM_ERROR, "could not write '%s'", l->path);
	strbuf_release(&line);
	return r;
}

int psm_mail_sentlog_finish(struct psm_mail_sentlog *l)
{
	struct strbuf keep = STRBUF_INIT;
	size_t i;
	int r = 0;

	for (i = 0; i < l->n; i++)
		if (!l->done[i])
			strbuf_addf(&keep, "%s\n", l->ids[i]);
	if (keep.oom)
		r = psm_oom();
	else if (keep.len)
		r = psm_write_file_atomic(l->path, keep.buf, keep.len);
	else if (unlink(l->path) < 0 && errno != ENOENT)
		r = psm_error_errno(PSM_ERROR, "could not remove '%s'", l->path);
	strbuf_release(&keep);
	return r;
}

void psm_mail_sentlog_release(struct psm_mail_sentlog *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->ids[i]);
	free(l->ids);
	free(l->done);
	free(l->path);
	memset(l, 0, sizeof(*l));
}
