#ifndef PSM_UTF8_H
#define PSM_UTF8_H
/*
 * UTF-8 text: psm's one decoder, and text made safe and measured for a
 * terminal. Customer text is hostile: whatever a title or body holds is
 * shown through psm_sanitize().
 */
#include <stddef.h>

#include "psm/strbuf.h"

/*
 * Decode the sequence at s (len > 0 bytes): its length, with the code
 * point in *cp, or 0 when it is not well-formed UTF-8 (overlong, a
 * surrogate, past U+10FFFF, cut short).
 */
size_t psm_utf8_decode(const char *s, size_t len, unsigned *cp);
/* Is s well-formed UTF-8 throughout? (YAML cannot hold other bytes.) */
int psm_utf8_valid(const char *s, size_t len);

/*
 * Copy UTF-8 text for a terminal: escape sequences (CSI, OSC, DCS...), C0
 * and C1 controls, DEL and bidi overrides are removed or shown as U+FFFD,
 * invalid UTF-8 becomes U+FFFD. keep_newlines keeps '\n' (and tabs).
 */
int psm_sanitize(struct strbuf *out, const char *s, size_t len, int keep_newlines);
/*
 * Append text as one line of what it says: escape sequences (CSI, OSC,
 * DCS... with their parameters) are dropped whole, every other run of
 * control characters, line breaks and spaces becomes one space, and the
 * line starts and ends with neither. The rest is kept as is (a title taken
 * in keeps every word; display goes through psm_sanitize()).
 */
int psm_one_line(struct strbuf *out, const char *s, size_t len);
/* Display width of sanitized UTF-8 text (wide East Asian chars count 2). */
size_t psm_display_width(const char *s, size_t len);
/* Byte length of the longest prefix of s that fits in width columns. */
size_t psm_fit_width(const char *s, size_t len, size_t width);

#endif
