#ifndef PSM_TAP_H
#define PSM_TAP_H
/*
 * The unit tests' TAP harness: ok() prints one result line, and on failure
 * libpsm's last error, which is usually the reason; tap_done() prints the
 * plan and gives main() its exit status. Header-only because each test is
 * its own executable.
 */
#include <stdarg.h>
#include <stdio.h>

#include "error.h"

static int ntests, nfailed;

static int ok(int cond, const char *fmt, ...) __attribute__((format(printf, 2, 3), unused));
static int ok(int cond, const char *fmt, ...)
{
	va_list ap;

	ntests++;
	printf("%sok %d - ", cond ? "" : "not ", ntests);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (!cond) {
		nfailed++;
		printf("# last psm error: %s\n", psm_error_last());
	}
	fflush(stdout);
	return cond;
}

static int tap_done(void) __attribute__((unused));
static int tap_done(void)
{
	printf("1..%d\n", ntests);
	return nfailed ? 1 : 0;
}

#endif
