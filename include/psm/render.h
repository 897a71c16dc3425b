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

/*
 * An issue as JSON, in one of its two documented shapes; one builder makes
 * both, so a field means the same in each.
 */
enum psm_json_shape {
	/* psm's output (docs/format.md, version PSM_JSON_VERSION): every known
	 * field in psm's order (null or [] when absent, values as text,
	 * reopened a number), then short_id (abbrev characters), reporter_count,
	 * path, body and extra */
	PSM_JSON_OBJECT,
	/* what psm export writes and intake --jsonl reads (docs/import.md): the
	 * fields the file has, plain integers and booleans typed, then body and
	 * extra (when there is any); abbrev unused */
	PSM_JSON_RECORD,
};
/* A new object (the caller's json_decref), or NULL when out of memory. A
 * body that is not UTF-8 has U+FFFD for each bad byte. */
json_t *psm_issue_to_json(const struct psm_issue *issue, enum psm_json_shape shape,
			  size_t abbrev);
/* psm_issue_to_json(issue, PSM_JSON_OBJECT, abbrev) */
json_t *psm_issue_json(const struct psm_issue *issue, size_t abbrev);
/* psm_issue_to_json(issue, PSM_JSON_RECORD, 0) */
json_t *psm_issue_record(const struct psm_issue *issue);
/*
 * psm_issue_json(issue, abbrev) as text, appended to out: byte for byte
 * what jansson dumps of it with JSON_INDENT(2) | JSON_PRESERVE_ORDER, made
 * safe (psm_json_make_safe()), every line indented two more spaces (an
 * element of a listing), without the jansson objects. Returns 0; 1, with
 * nothing appended, for an issue only jansson writes as psm_issue_json()
 * does (text that is not UTF-8, a key given twice); negative when out of
 * memory.
 */
int psm_issue_json_text(struct strbuf *out, const struct psm_issue *issue, size_t abbrev);
/*
 * The same with more members after the issue's own: what jansson dumps
 * with flags (JSON_INDENT(2), JSON_PRESERVE_ORDER, a real precision) of
 * psm_issue_json() with each member of the object `more` set on it in
 * more's order. 1, nothing appended, also for other flags and for a member
 * the issue's object has already (jansson replaces it where it stands).
 * more stays the caller's.
 */
int psm_issue_json_text_with(struct strbuf *out, const struct psm_issue *issue, size_t abbrev,
			     json_t *more, size_t flags);
/* The node tree as JSON, scalars as strings, nulls null: a new value (the
 * caller's json_decref), NULL when out of memory. */
json_t *psm_node_json(const struct psm_node *n);

/*
 * A Markdown text as plain text for a terminal: markup and escapes gone,
 * bullets, quotes ("> ") and indented code kept, a link's address after its
 * text, the writer's line breaks kept and lines wider than `width` wrapped
 * at spaces (0: no wrapping). Control characters become visible Control
 * Pictures (ESC as U+241B); the result still needs psm_sanitize().
 */
int psm_markdown_text(struct strbuf *out, const char *md, size_t len, int width);

/*
 * Markdown (a release note) without its HTML comments, appended to out:
 * what a team writes to itself in <!-- --> does not reach customers. The
 * text is kept byte for byte but for the comments, unless cmark and the
 * text disagree on where they are (a "<!--" in code beside one that is
 * not): then the tree without them is written back as Markdown.
 */
int psm_markdown_drop_comments(struct strbuf *out, const char *md);
/* s without any "<!-- ... -->" (an unclosed one runs to the end), read as
 * plain text; "a <!-- b --> c" becomes "a c". Appends to out. */
void psm_cut_html_comments(struct strbuf *out, const char *s);

#endif
