#ifndef PSM_HTML_H
#define PSM_HTML_H
/*
 * Readable plain text from an HTML-only e-mail: not a browser, just enough
 * that a person can read the customer's words in an issue file. Tags are
 * dropped (the contents of script, style, head and title too), block
 * elements and <br> break lines, list items start with "- ", a link shows
 * its URL after its text when the two differ, every HTML entity is decoded
 * (libxml2's HTML parser reads the markup), runs of white space collapse,
 * and at most one blank line separates paragraphs. <pre> keeps its white
 * space. Every line inside a <blockquote> starts with "> " per level (at
 * most eight), and <hr> is a line of 32 underscores: a quoted message
 * reads as the Markdown and the text parts of mail programs write it.
 */
#include <stddef.h>

#include "psm/strbuf.h"

/* Appends the text (UTF-8 in, UTF-8 out), ending in '\n' unless empty. */
int psm_html_to_text(struct strbuf *out, const char *html, size_t len);

#endif
