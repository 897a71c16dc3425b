#ifndef PSM_JSON_SAFE_H
#define PSM_JSON_SAFE_H
/*
 * jansson escapes C0 controls but writes DEL, C1 controls (U+0080..U+009F,
 * e.g. the one-byte CSI U+009B) and bidi controls (U+202E...) as raw UTF-8,
 * which a terminal showing `psm ... --format json` may act on. This
 * rewrites them as \uXXXX escapes: same JSON value, inert bytes. They can
 * only occur inside strings, so a byte-level pass over the dump is exact.
 */
#include <stddef.h>

#include "psm/strbuf.h"

int psm_json_make_safe(struct strbuf *out, const char *json, size_t len);

/* The code point of the character at s (left bytes, left > 0) if it is
 * one psm_json_make_safe() escapes, with its length in *n; else 0. For a
 * writer that escapes them as it goes (render-json.c). */
unsigned psm_json_unsafe_at(const unsigned char *s, size_t left, size_t *n);

#endif
