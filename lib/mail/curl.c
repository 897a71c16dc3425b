/* Loading libcurl on first use (curl-int.h says why). */
#include "curl-int.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "psm/error.h"

#ifndef PSM_LIBCURL_SONAME
#define PSM_LIBCURL_SONAME "libcurl.so.4"
#endif

static struct psm_curl api;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static const char *failed;   /* what went wrong, for every caller */
static char *dl_said;        /* dlerror()'s text (NULL when none) */

/* POSIX's way to turn dlsym()'s object pointer into a function pointer. */
#define LOAD(field, name) \
	do { \
		void *sym_ = dlsym(h, name); \
		if (!sym_) \
			goto bad; \
		memcpy(&api.field, &sym_, sizeof(sym_)); \
	} while (0)

static void load(void)
{
	const char *e;
	void *h = dlopen(PSM_LIBCURL_SONAME, RTLD_NOW | RTLD_LOCAL);

	if (!h)
		goto bad;
	LOAD(global_init, "curl_global_init");
	LOAD(easy_init, "curl_easy_init");
	LOAD(easy_setopt, "curl_easy_setopt");
	LOAD(easy_perform, "curl_easy_perform");
	LOAD(easy_strerror, "curl_easy_strerror");
	LOAD(easy_cleanup, "curl_easy_cleanup");
	LOAD(slist_append, "curl_slist_append");
	LOAD(slist_free_all, "curl_slist_free_all");
	if (api.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		failed = "could not set up libcurl";
		return;
	}
	return; /* the handle stays open for the process's life */
bad:
	e = dlerror();
	dl_said = e ? strdup(e) : NULL; /* kept for the process's life, as api is */
	failed = "could not load libcurl";
}

int psm_curl_load(const struct psm_curl **out)
{
	*out = NULL;
	if (pthread_once(&once, load))
		return psm_error(PSM_ERROR, "could not load libcurl");
	/* what to do: psm.smtpServer needs libcurl; psm.sendmail does not */
	if (failed)
		return psm_error(PSM_ERROR,
				 "%s (%s)%s%s; install libcurl, or unset psm.smtpServer to send through psm.sendmail",
				 failed, PSM_LIBCURL_SONAME, dl_said ? ": " : "", dl_said ? dl_said : "");
	*out = &api;
	return 0;
}
