#ifndef PSM_FS_H
#define PSM_FS_H
#include <stddef.h>

/*
 * Write a file atomically: a temporary file in the same directory, fsync,
 * rename over the target. Parent directories are created as needed. An
 * interrupted psm leaves either the old file or the new one, never half.
 * Refuses (PSM_EINVALID) to write through a symlink at path.
 */
int psm_write_file_atomic(const char *path, const char *data, size_t len);
/*
 * The same without the fsync, for batches of many files: still atomic if
 * psm dies (the rename), durable against power loss only after
 * psm_sync_fs(), which a batch calls once instead of once per file.
 */
int psm_write_file_atomic_nosync(const char *path, const char *data, size_t len);
/* Flush the file system holding path (a file or directory) to disk. */
int psm_sync_fs(const char *path);
/* mkdir -p for the directories leading to path (not path itself). */
int psm_mkdir_parents(const char *path);
/*
 * A file the user made read-only (chmod a-w) is not replaced behind their
 * back: PSM_EINVALID naming it (as name) when path exists without the
 * owner's write permission or is not writable by us; 0 otherwise.
 */
int psm_check_writable(const char *path, const char *name);
/* 1 if path exists (lstat), 0 if not. */
int psm_path_exists(const char *path);

#endif
