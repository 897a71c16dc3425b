#ifndef PSM_MAIL_CURL_INT_H
#define PSM_MAIL_CURL_INT_H
/*
 * libcurl, loaded (dlopen) the first time a message goes out over SMTP
 * rather than linked: libcurl and the seventeen libraries it pulls in
 * (TLS, LDAP, Kerberos, HTTP/2...) cost every psm process about 7 ms of
 * start-up (a fifth of it), while only `reply --send` and `followup --send` with
 * psm.smtpServer use it. git keeps libcurl out of git itself
 * (git-remote-http) for the same reason. docs/hacking.md, "Libraries".
 */
#include <curl/curl.h>

struct psm_curl {
	CURLcode (*global_init)(long flags);
	CURL *(*easy_init)(void);
	CURLcode (*easy_setopt)(CURL *c, CURLoption opt, ...);
	CURLcode (*easy_perform)(CURL *c);
	const char *(*easy_strerror)(CURLcode code);
	void (*easy_cleanup)(CURL *c);
	struct curl_slist *(*slist_append)(struct curl_slist *list, const char *s);
	void (*slist_free_all)(struct curl_slist *list);
};

/*
 * libcurl's functions, loaded and curl_global_init()ed once per process:
 * 0 with *out set (static, never freed), or PSM_ERROR naming the library
 * when it cannot be loaded.
 */
int psm_curl_load(const struct psm_curl **out);

#endif
