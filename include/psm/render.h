#ifndef PSM_RENDER_H
#define PSM_RENDER_H
/*
 * Turning issues into output: the JSON objects of docs/format.md and
 * Markdown as plain text for a terminal (made safe there by psm_sanitize(),
 * utf8.h). Rendering only builds strings and values; the commands decide
 * where they go.
 */
#include <jansson.h>
#include <stddef.h>

#include "psm/issue.h"
#include "psm/strbuf.h"
#include "psm/utf8.h" /* psm_sanitize(), for what renders issues */

#define PSM_JSON_VERSION 1

/* Every known field (null or [] when absent), path, short_id, body, extra. */
json_t *psm_issue_json(const struct psm_issue *issue, size_t abbrev);
/* The node tree as JSON: scalars are strings, nulls null. */
json_t *psm_node_json(const struct psm_node *n);

/*
 * A Markdown text as plain text for a terminal: markup and escapes gone,
 * bullets, quotes ("> ") and indented code kept, a link's address after its
 * text, the writer's line breaks kept and lines wider than `width` wrapped
 * at spaces (0: no wrapping). Control characters become visible Control
 * Pictures (ESC as U+241B); the result still needs psm_sanitize().
 */
int psm_markdown_text(struct strbuf *out, const char *md, size_t len, int width);

#endif
