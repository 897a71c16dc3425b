#ifndef PSM_LIMIT_H
#define PSM_LIMIT_H
/*
 * The limits of an issue file, in one place. psm check refuses a file past
 * any of them (the reader: lib/store/store.c, lib/yaml/parse.c), and every write
 * checks the file it is about to write against the same ones
 * (psm_validate_write() in validate.h), so psm never writes a file it could
 * not read back. Messages name a limit by its name and value; docs/format.md
 * lists them.
 */
#include <stddef.h>

/* issue-file-size: a larger file is not read at all. */
#define PSM_LIMIT_FILE_SIZE ((size_t)16 << 20)
#define PSM_LIMIT_FILE_SIZE_NAME "issue-file-size (16 MiB)"
/* yaml-depth: lists and maps nested in the front matter. */
#define PSM_LIMIT_YAML_DEPTH 64
#define PSM_LIMIT_YAML_DEPTH_NAME "yaml-depth (64)"
/* yaml-values: values in the front matter (no billion laughs). */
#define PSM_LIMIT_YAML_VALUES 100000
#define PSM_LIMIT_YAML_VALUES_NAME "yaml-values (100000)"
/* yaml-key-size: YAML reads implicit keys of up to 1024 characters, and
 * escaping can make a key 4 times longer when psm writes it back. */
#define PSM_LIMIT_KEY_SIZE 250
#define PSM_LIMIT_KEY_SIZE_NAME "yaml-key-size (250 bytes)"

#endif
