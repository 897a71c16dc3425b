#ifndef PSM_RENDER_H
#define PSM_RENDER_H
/*
 * Turning issues into output text: the JSON objects of docs/format.md and
 * text that is safe for a terminal. Rendering only builds strings and
 * values; the commands decide where they go.
 */
#include <jansson.h>
#include <stddef.h>

#include "psm/issue.h"
#include "psm/strbuf.h"

#define PSM_JSON_VERSION 1

/* Every known field (null or [] when absent), path, short_id, body, extra. */
json_t *psm_issue_json(const struct psm_issue *issue, size_t abbrev);
/* The node tree as JSON: scalars are strings, nulls null. */
json_t *psm_node_json(const struct psm_node *n);

/*
 * Copy UTF-8 text for a terminal: escape sequences (CSI, OSC, DCS...), C0
 * and C1 controls, DEL and bidi overrides are removed or shown as U+FFFD,
 * invalid UTF-8 becomes U+FFFD. keep_newlines keeps '\n' (and tabs).
 */
int psm_sanitize(struct strbuf *out, const char *s, size_t len, int keep_newlines);
/*
 * A Markdown text as plain text for a terminal: markup and escapes gone,
 * bullets, quotes ("> ") and indented code kept, a link's address after its
 * text, the writer's line breaks kept and lines wider than `width` wrapped
 * at spaces (0: no wrapping). Control characters become visible Control
 * Pictures (ESC as U+241B); the result still needs psm_sanitize().
 */
int psm_markdown_text(struct strbuf *out, const char *md, size_t len, int width);
/* Display width of sanitized UTF-8 text (wide East Asian chars count 2). */
size_t psm_display_width(const char *s, size_t len);
/* Byte length of the longest prefix of s that fits in width columns. */
size_t psm_fit_width(const char *s, size_t len, size_t width);

#endif
