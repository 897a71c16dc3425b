#ifndef PSM_EDITOR_H
#define PSM_EDITOR_H
#include "psm/store.h"
#include "psm/strbuf.h"

/* git's scissors line (commit --cleanup=scissors): it and all below it are dropped. */
#define EDIT_SCISSORS "# ------------------------ >8 ------------------------"

/* Run $VISUAL / $EDITOR (then vi) on path and wait; dies when it fails. */
void run_editor(const char *path);
/*
 * Open $VISUAL / $EDITOR (then vi) on a file in the git dir: an empty line
 * for the user, the scissors line, then `template` (psm's help text, whose
 * lines start with '#'). On return `out` holds every line the user wrote
 * above the scissors line ('#' lines too: a Markdown body has headings),
 * trailing blank lines trimmed; the whole text when the scissors line was
 * deleted.
 */
int edit_text(struct strbuf *out, struct psm_store *s, const char *name, const char *template);
/* Split edited text into a first-line title and the body after it. */
void split_title_body(struct strbuf *title, struct strbuf *body, const char *text);

#endif
