/* syncfs(2) is a GNU extension (Linux); the build targets glibc. */
#define _GNU_SOURCE
#include "psm/fs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "psm/error.h"
#include "psm/strbuf.h"

int psm_path_exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

int psm_check_writable(const char *path, const char *name)
{
	struct stat st;

	/* root may write anything: the mode bits say what the user meant */
	if (lstat(path, &st) < 0 || !S_ISREG(st.st_mode))
		return 0;
	if (!(st.st_mode & S_IWUSR) || access(path, W_OK) < 0)
		return psm_error(PSM_EINVALID, "refusing to write '%s': the file is read-only (chmod u+w to let psm change it)",
				 name);
	return 0;
}

/* mkdir one directory; an existing directory (or symlink to one) is fine. */
static int mkdir_one(const char *dir)
{
	struct stat st;

	if (mkdir(dir, 0777) == 0)
		return 0;
	if (errno != EEXIST)
		return psm_error_errno(PSM_ERROR, "could not create directory '%s'", dir);
	if (stat(dir, &st) < 0)
		return psm_error_errno(PSM_ERROR, "could not create directory '%s'", dir);
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		return psm_error_errno(PSM_ERROR, "could not create directory '%s'", dir);
	}
	return 0;
}

int psm_mkdir_parents(const char *path)
{
	struct strbuf dir = STRBUF_INIT;
	const char *slash = strrchr(path, '/');
	struct stat st;
	size_t i;
	int err = 0;

	if (!slash || slash == path)
		return 0; /* parent is "." or "/" */
	if (strbuf_add(&dir, path, (size_t)(slash - path)) < 0) {
		err = psm_oom();
		goto cleanup;
	}
	/* The common case: the directory is already there; one stat, no walk. */
	if (stat(dir.buf, &st) == 0 && S_ISDIR(st.st_mode))
		goto cleanup;
	/* Create each prefix ending before a '/', then the whole; skip "//". */
	for (i = 1; i <= dir.len; i++) {
		if (i < dir.len && dir.buf[i] != '/')
			continue;
		if (i < dir.len && dir.buf[i - 1] == '/')
			continue;
		if (i < dir.len)
			dir.buf[i] = '\0';
		err = mkdir_one(dir.buf);
		if (i < dir.len)
			dir.buf[i] = '/';
		if (err < 0)
			goto cleanup;
	}
cleanup:
	strbuf_release(&dir);
	return err;
}

/* write(2) all of data, riding out short writes and signals. */
static int write_all(int fd, const char *data, size_t len)
{
	while (len) {
		ssize_t n = write(fd, data, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

/* "<dir>/.<name>.tmpXXXXXX": same directory as path, so rename is atomic. */
static int temp_template(struct strbuf *tmp, const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *name = slash ? slash + 1 : path;

	if (slash)
		strbuf_add(tmp, path, (size_t)(slash - path + 1));
	strbuf_addch(tmp, '.');
	strbuf_addstr(tmp, name);
	strbuf_addstr(tmp, ".tmpXXXXXX");
	return tmp->oom ? psm_oom() : 0;
}

static int write_atomic(const char *path, const char *data, size_t len, int sync)
{
	struct strbuf tmp = STRBUF_INIT;
	struct stat st;
	int fd = -1, err;

	if ((err = psm_mkdir_parents(path)) < 0)
		return err;
	/* rename() would replace the link itself, not what the user meant. */
	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
		return psm_error(PSM_EINVALID, "refusing to write through symlink '%s'", path);
	if ((err = temp_template(&tmp, path)) < 0)
		goto cleanup;
	fd = mkstemp(tmp.buf);
	if (fd < 0) {
		err = psm_error_errno(PSM_ERROR, "could not create temporary file '%s'", tmp.buf);
		strbuf_reset(&tmp); /* nothing to unlink */
		goto cleanup;
	}
	/* mkstemp makes 0600; issue files are ordinary tracked files. */
	if (write_all(fd, data, len) < 0 || fchmod(fd, 0644) < 0 || (sync && fsync(fd) < 0)) {
		err = psm_error_errno(PSM_ERROR, "could not write '%s'", path);
		goto cleanup;
	}
	err = close(fd);
	fd = -1;
	if (err < 0) {
		err = psm_error_errno(PSM_ERROR, "could not write '%s'", path);
		goto cleanup;
	}
	if (rename(tmp.buf, path) < 0) {
		err = psm_error_errno(PSM_ERROR, "could not rename '%s' to '%s'", tmp.buf, path);
		goto cleanup;
	}
	strbuf_reset(&tmp); /* renamed: nothing left to unlink */
cleanup:
	if (fd >= 0)
		close(fd);
	if (err < 0 && tmp.len)
		unlink(tmp.buf);
	strbuf_release(&tmp);
	return err;
}

int psm_write_file_atomic(const char *path, const char *data, size_t len)
{
	return write_atomic(path, data, len, 1);
}

int psm_write_file_atomic_nosync(const char *path, const char *data, size_t len)
{
	return write_atomic(path, data, len, 0);
}

int psm_sync_fs(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), r = 0;

	if (fd < 0)
		return psm_error_errno(PSM_ERROR, "could not open '%s'", path);
	if (syncfs(fd) < 0)
		r = psm_error_errno(PSM_ERROR, "could not flush '%s' to disk", path);
	close(fd);
	return r;
}
