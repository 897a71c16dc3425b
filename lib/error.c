#include "error.h"

#include <errno.h>
#include <git2.h>
#include <stdarg.h>
#include <string.h>

#include "strbuf.h"

/* per thread: psm_store_scan parses on several threads */
static _Thread_local struct strbuf last = STRBUF_INIT;
static _Thread_local int last_code;

static int set(int code, const char *suffix, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

static int set(int code, const char *suffix, const char *fmt, va_list ap)
{
	strbuf_reset(&last);
	last.oom = 0;
	strbuf_vaddf(&last, fmt, ap);
	if (suffix) {
		strbuf_addstr(&last, ": ");
		strbuf_addstr(&last, suffix);
	}
	last_code = code;
	return code;
}

int psm_error(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set(code, NULL, fmt, ap);
	va_end(ap);
	return code;
}

int psm_error_errno(int code, const char *fmt, ...)
{
	va_list ap;
	int e = errno;

	va_start(ap, fmt);
	set(code, strerror(e), fmt, ap);
	va_end(ap);
	errno = e;
	return code;
}

int psm_error_git(int code, const char *fmt, ...)
{
	const git_error *ge = git_error_last();
	va_list ap;

	va_start(ap, fmt);
	set(code, ge && ge->message ? ge->message : "unknown libgit2 error", fmt, ap);
	va_end(ap);
	return code;
}

const char *psm_error_last(void)
{
	if (last.oom)
		return "out of memory";
	return last.len ? last.buf : "unknown error";
}

int psm_error_code(void)
{
	return last_code;
}

void psm_error_clear(void)
{
	strbuf_reset(&last);
	last_code = 0;
}
