#ifndef PSM_BODY_H
#define PSM_BODY_H
/*
 * The few parts of an issue's Markdown body that psm writes: level-2
 * sections it owns (`## Timeline`, `## Release note`). A section runs from
 * its heading to the next level-1 or level-2 ATX heading outside a code
 * fence. psm appends to or replaces these sections and never rewrites the
 * user's text around them.
 */
#include "psm/strbuf.h"

/* Find "## <name>": offsets of the heading line, of the content after it and
 * of the section's end. Returns 1 if found, 0 if not. */
int psm_body_find(const struct strbuf *body, const char *name, size_t *heading,
		  size_t *content, size_t *end);
/* Append `entry` (one or more whole lines) at the end of section `name`,
 * after its last non-blank line; the section is added at the end of the
 * body when absent. */
int psm_body_append(struct strbuf *body, const char *name, const char *entry);
/* Replace the content of section `name` with `text` (added when absent). */
int psm_body_replace(struct strbuf *body, const char *name, const char *text);
/* The section's content, trimmed; empty when absent. */
int psm_body_get(struct strbuf *out, const struct strbuf *body, const char *name);
/*
 * Text from outside (a reply, a customer's message) made safe to embed in a
 * section: leading/trailing blank lines dropped, lines that would read as a
 * heading ('#' first) escaped with a backslash, an unclosed code fence
 * closed, so it cannot end its section or fake a timeline entry; lines that
 * look like a merge conflict's markers (conflict.h) escaped too.
 */
int psm_body_quote(struct strbuf *out, const char *text);

#endif
