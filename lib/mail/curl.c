/* Loading libcurl on first use (curl-int.h says why). */
#include "curl-int.h"

#include "psm/dl.h"
#include "psm/error.h"

static struct psm_curl api;

static const struct psm_dl_sym syms[] = {
	{ "curl_global_init", &api.global_init },
	{ "curl_easy_init", &api.easy_init },
	{ "curl_easy_setopt", &api.easy_setopt },
	{ "curl_easy_perform", &api.easy_perform },
	{ "curl_easy_strerror", &api.easy_strerror },
	{ "curl_easy_cleanup", &api.easy_cleanup },
	{ "curl_slist_append", &api.slist_append },
	{ "curl_slist_free_all", &api.slist_free_all },
};

static const char *setup(void)
{
	return api.global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? NULL : "could not set up";
}

/* what to do: psm.smtpServer needs libcurl; psm.sendmail does not */
static struct psm_dl libcurl = {
	.what = "libcurl",
	.soname = PSM_LIBCURL_SONAME,
	.hint = "install libcurl, or unset psm.smtpServer to send through psm.sendmail",
	.syms = syms,
	.nsyms = sizeof(syms) / sizeof(syms[0]),
	.init = setup,
};

int psm_curl_load(const struct psm_curl **out)
{
	*out = NULL;
	if (psm_dl_load(&libcurl) < 0)
		return PSM_ERROR;
	*out = &api;
	return 0;
}
