#ifndef PSM_YAML_H
#define PSM_YAML_H
#include <stddef.h>

#include "psm/node.h"
#include "psm/strbuf.h"

/* Where and why a YAML text could not be read (line and col are 1-based). */
struct psm_yaml_error {
	int line, col;
	struct strbuf msg;
};

/*
 * Parse one YAML document into a node tree. `first_line` is the file line
 * the text starts on, so positions point into the whole file. Aliases and
 * anchors are refused (no "billion laughs"), as are nesting deeper than 64
 * levels, more than 100,000 nodes and duplicate map keys. An empty document
 * gives an empty map. PSM_EPARSE with err filled in on failure (err->msg is
 * the caller's to release). *out is the caller's, to free with
 * psm_node_free().
 */
int psm_yaml_load(struct psm_node **out, const char *text, size_t len, int first_line,
		  struct psm_yaml_error *err);

#endif
