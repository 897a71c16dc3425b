#ifndef PSM_CONFLICT_H
#define PSM_CONFLICT_H
/*
 * Merge conflict markers that git (or psm merge-file) leaves in a file, by
 * git's own rule (diff --check): a line that starts with seven '<', '=',
 * '>' or '|' followed by whitespace or the line's end ("<<<<<<< ours",
 * "=======", ">>>>>>> theirs", diff3's "||||||| base"). `psm check` reports
 * them anywhere in an issue file, and text meant for customers (the
 * changelog, follow-up drafts, anything that publishes later) must stop
 * instead of carrying one: half a conflict is two versions of a sentence.
 */
#include <stddef.h>

#include "psm/issue.h"
#include "psm/strbuf.h"

/* Is the line at s (len bytes, without its '\n') a conflict marker? */
int psm_conflict_marker(const char *s, size_t len);
/* The 1-based line of the first marker line in text, or 0. */
int psm_conflict_line(const char *text, size_t len);
/* Line (1-based) of the "<<<<<<<" line of the first whole conflict (followed
 * by "=======" and ">>>>>>>" lines), or 0: what a merge (merge.h) leaves in
 * a front matter, which then is no issue file until someone picks a side. */
int psm_conflict_block_line(const char *text, size_t len);
/* The line in the issue's file of the first marker in its body, or 0 (a
 * conflict in the front matter already makes the file unreadable). */
int psm_issue_conflict_line(const struct psm_issue *issue);
/* 0, or PSM_EINVALID "PATH:LINE: unresolved merge conflict in ID; resolve
 * it before <what>" when the issue holds a marker. */
int psm_issue_refuse_conflict(const struct psm_issue *issue, const char *what);
/*
 * Outside text (a customer's message) that only looks like a marker: put
 * a backslash before each marker line of text, in place. Markdown shows
 * the same characters, and psm check no longer takes the line for a
 * conflict git left. Returns how many lines were escaped.
 */
int psm_conflict_escape(struct strbuf *text);

#endif
