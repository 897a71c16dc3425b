#ifndef PSM_NODE_H
#define PSM_NODE_H
/*
 * A small YAML value tree: what psm keeps of a front-matter value. Scalars
 * are UTF-8 strings; `plain` records whether the source wrote them unquoted,
 * which is what tells `null` the value from 'null' the string. Maps keep
 * their key order. Built from libyaml's events (psm_yaml_load(), yaml.h) or
 * by psm itself; written by psm_node_emit_entry() (lib/yaml/emit.c).
 */
#include <stddef.h>

#include "psm/strbuf.h"

enum psm_node_kind { PSM_SCALAR, PSM_SEQ, PSM_MAP };

struct psm_node {
	enum psm_node_kind kind;
	int plain;        /* scalar written without quotes */
	char *str;        /* scalar text */
	size_t len;
	struct psm_node **items; /* seq: values; map: key, value, key, value... */
	size_t n, alloc;  /* number of items (a map holds n/2 pairs) */
	int line, col;    /* 1-based position in the file, 0 when made by psm */
	int end_line;     /* file line the value's text ends on (read values) */
};

/* New nodes (a copy of s; a deep copy of n) are the caller's, to free with
 * psm_node_free() or to hand to a seq or map; NULL when out of memory. */
struct psm_node *psm_node_scalar(const char *s);
struct psm_node *psm_node_scalarn(const char *s, size_t len);
struct psm_node *psm_node_new(enum psm_node_kind kind);
void psm_node_free(struct psm_node *n);
struct psm_node *psm_node_dup(const struct psm_node *n);
int psm_node_equal(const struct psm_node *a, const struct psm_node *b);

/* Append to a seq (takes ownership; frees it on failure). */
int psm_node_push(struct psm_node *seq, struct psm_node *item);
/* Remove and free item i of a seq. */
void psm_node_remove(struct psm_node *seq, size_t i);
/* Map access: value for key, or NULL; owned by the map, valid until it
 * changes or is freed. */
struct psm_node *psm_node_get(const struct psm_node *map, const char *key);
const char *psm_node_get_str(const struct psm_node *map, const char *key);
/* Set key to value in a map (takes ownership of value; NULL removes). */
int psm_node_set(struct psm_node *map, const char *key, struct psm_node *value);
int psm_node_set_str(struct psm_node *map, const char *key, const char *value);

/* A scalar that YAML reads as null: plain "", "~", "null". */
int psm_node_is_null(const struct psm_node *n);
/* The scalar's text (owned by n), or NULL for non-scalars and nulls. */
const char *psm_node_str(const struct psm_node *n);

/* true/yes/on and false/no/off (YAML 1.1's words); dflt for others. */
int psm_str_bool(const char *s, int dflt);
int psm_node_bool(const struct psm_node *n, int dflt);

/* Serialize in psm's canonical block style. `indent` is the column of key. */
int psm_node_emit_entry(struct strbuf *out, const char *key, const struct psm_node *v);
/* Append s as a YAML scalar, quoted only where YAML needs it. */
int psm_yaml_quote(struct strbuf *out, const char *s, size_t len);

#endif
