#include "psm/error.h"

#include <errno.h>
#include <git2.h>
#include <stdarg.h>
#include <string.h>

#include "psm/strbuf.h"

/* per thread: psm_store_scan parses on several threads */
static _Thread_local struct strbuf last = STRBUF_INIT;
static _Thread_local int last_code;

static int set(int code, const char *suffix, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

static int set(int code, const char *suffix, const char *fmt, va_list ap)
{
	/* Built aside: an argument may be the previous message itself
	 * (psm_error(code, "...: %s", psm_error_last())). */
	struct strbuf msg = STRBUF_INIT;

	strbuf_vaddf(&msg, fmt, ap);
	if (suffix) {
		strbuf_addstr(&msg, ": ");
		strbuf_addstr(&msg, suffix);
	}
	strbuf_release(&last);
	last = msg;
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

int psm_oom(void)
{
	return psm_error(PSM_ENOMEM, "out of memory");
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
	strbuf_release(&last); /* frees it: a worker thread's copy dies with the thread */
	last_code = 0;
}
