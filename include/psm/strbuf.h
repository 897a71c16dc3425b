#ifndef PSM_STRBUF_H
#define PSM_STRBUF_H
/*
 * A growable string, after git's strbuf: buf is never NULL and always
 * NUL-terminated. Allocation failure is sticky (sb->oom) so a long run of
 * appends can be checked once, at the point the result is used; the
 * appending functions also return -1 on failure for callers that check each.
 */
#include <stdarg.h>
#include <stddef.h>

struct strbuf {
	size_t alloc;
	size_t len;
	char *buf;
	int oom;
};

extern char strbuf_slopbuf[];
#define STRBUF_INIT { 0, 0, strbuf_slopbuf, 0 }

void strbuf_init(struct strbuf *sb, size_t hint);
void strbuf_release(struct strbuf *sb);
/* Hand the buffer to the caller (who frees it); sb is left empty. NULL on oom. */
char *strbuf_detach(struct strbuf *sb, size_t *len);
int strbuf_grow(struct strbuf *sb, size_t extra);
void strbuf_setlen(struct strbuf *sb, size_t len);
#define strbuf_reset(sb) strbuf_setlen(sb, 0)

int strbuf_add(struct strbuf *sb, const void *data, size_t len);
int strbuf_addstr(struct strbuf *sb, const char *s);
int strbuf_addch(struct strbuf *sb, int c);
int strbuf_addbuf(struct strbuf *sb, const struct strbuf *other);
int strbuf_addf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
int strbuf_addchars(struct strbuf *sb, int c, size_t n);

void strbuf_rtrim(struct strbuf *sb);
/* Read a whole file; appends. Returns 0, or -1 with errno set. */
int strbuf_read_file(struct strbuf *sb, const char *path, size_t max);
/* Read all of fd; appends. */
int strbuf_read_fd(struct strbuf *sb, int fd, size_t max);

/* Small helpers for owned C strings: NULL-safe duplicate, checked. */
char *psm_strdup(const char *s);
char *psm_strndup(const char *s, size_t n);
int psm_streq(const char *a, const char *b); /* both NULL counts as equal */

#endif
