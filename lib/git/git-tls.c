/*
 * libgit2 without the system's CA certificates. libgit2 1.5 as Debian
 * builds it (on mbedTLS) reads and parses every certificate of the CA
 * bundle inside git_libgit2_init(), for HTTPS remotes; psm opens none
 * through libgit2 (no fetch, push or clone; SMTP goes through libcurl and
 * its own TLS), and no libgit2 option skips it: the path is fixed when
 * libgit2 is built. It was about 10 ms of CPU in every psm process, 20
 * to 30 under AddressSanitizer, whose malloc is slow (docs/benchmarks.md,
 * "Start-up: no CA certificates for libgit2").
 *
 * So psm's programs define the two mbedTLS functions that load CA
 * certificates, which the dynamic linker then binds libgit2's calls to:
 * while psm_git_lib_init() (which every git_libgit2_init() of libpsm's
 * goes through) runs git_libgit2_init() on this thread they
 * load nothing and say so (0, an empty chain: a TLS connection libgit2
 * made would fail to verify, never succeed unverified); at any other
 * time, and on any other thread, they are mbedTLS's own. A libgit2 built
 * on OpenSSL never calls them.
 */
#define _GNU_SOURCE /* RTLD_NEXT */
#include <dlfcn.h>
#include <git2.h>
#include <stdint.h>

#include "psm/git.h"

struct mbedtls_x509_crt;
int mbedtls_x509_crt_parse_file(struct mbedtls_x509_crt *chain, const char *path);
int mbedtls_x509_crt_parse_path(struct mbedtls_x509_crt *chain, const char *path);

static _Thread_local int in_init;

typedef int (*parse_fn)(struct mbedtls_x509_crt *, const char *);

/* mbedTLS's own function of that name; MBEDTLS_ERR_X509_FILE_IO_ERROR
 * when there is none to call. */
static int real(const char *name, struct mbedtls_x509_crt *chain, const char *path)
{
	parse_fn fn = (parse_fn)(uintptr_t)dlsym(RTLD_NEXT, name);

	return fn ? fn(chain, path) : -0x2900;
}

int mbedtls_x509_crt_parse_file(struct mbedtls_x509_crt *chain, const char *path)
{
	return in_init ? 0 : real("mbedtls_x509_crt_parse_file", chain, path);
}

int mbedtls_x509_crt_parse_path(struct mbedtls_x509_crt *chain, const char *path)
{
	return in_init ? 0 : real("mbedtls_x509_crt_parse_path", chain, path);
}

int psm_git_lib_init(void)
{
	int r;

	in_init = 1;
	r = git_libgit2_init();
	in_init = 0;
	return r;
}
