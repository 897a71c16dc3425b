#ifndef PSM_EDITOR_H
#define PSM_EDITOR_H
#include "store.h"
#include "strbuf.h"

/*
 * Open $VISUAL / $EDITOR (then vi) on a file in the git dir holding
 * `template`, like git commit; on return `out` holds the text with '#'
 * comment lines removed and trailing blank lines trimmed.
 */
int edit_text(struct strbuf *out, struct psm_store *s, const char *name, const char *template);
/* Split edited text into a first-line title and the body after it. */
void split_title_body(struct strbuf *title, struct strbuf *body, const char *text);

#endif
