#ifndef PSM_DL_H
#define PSM_DL_H
/*
 * A library loaded the first time it is needed (dlopen) rather than linked.
 * Every linked library costs every psm process its start-up, before main;
 * the ones only a few commands use (GMime and libxml2 for e-mail intake,
 * GMime for sending, libcurl for SMTP) are loaded here instead
 * (docs/hacking.md, "Libraries").
 */
#include <stddef.h>

/* The SONAMEs the build found (CMakeLists.txt); a build without CMake
 * (fuzz/run.sh) gets Debian 12's. */
#ifndef PSM_LIBGMIME_SONAME
#define PSM_LIBGMIME_SONAME "libgmime-3.0.so.0"
#endif
#ifndef PSM_LIBXML2_SONAME
#define PSM_LIBXML2_SONAME "libxml2.so.2"
#endif
#ifndef PSM_LIBCURL_SONAME
#define PSM_LIBCURL_SONAME "libcurl.so.4"
#endif

/* One function to find: name, and where its address goes (the address of
 * a function pointer of the right type). */
struct psm_dl_sym {
	const char *name;
	void *slot;
};

/*
 * PSM_DL_TABLE(t, LIST): t, a table of pointers to the functions LIST
 * names, each typed as the library's header declares it, and t_syms, what
 * psm_dl_load() fills it from. LIST(X, t) is X(t, name) for each name.
 */
#define PSM_DL_FIELD(t, f) __typeof__(f) *f;
#define PSM_DL_SYM(t, f) { #f, &t.f },
#define PSM_DL_TABLE(t, LIST) \
	static struct { LIST(PSM_DL_FIELD, t) } t; \
	static const struct psm_dl_sym t##_syms[] = { LIST(PSM_DL_SYM, t) }

/*
 * A library to load: fill in the first six fields (a static object, zero
 * otherwise). init, when set, runs once after the functions are found;
 * it returns NULL, or what went wrong ("could not set up libcurl").
 */
struct psm_dl {
	const char *what;          /* "GMime": named in the error */
	const char *soname;        /* "libgmime-3.0.so.0", as the linker records it */
	const char *hint;          /* what to do when it is missing, or NULL */
	const struct psm_dl_sym *syms;
	size_t nsyms;
	const char *(*init)(void);
	/* psm_dl_load()'s */
	int state;                 /* 0 not tried, 1 loaded, -1 failed */
	char *said;                /* dlerror()'s text (NULL when none) */
	const char *failed;        /* what went wrong */
};

/*
 * Load dl once per process (safe from several threads): 0 with every slot
 * filled, or PSM_ERROR: "could not load GMime (libgmime-3.0.so.0): <why>;
 * <hint>", the same for every caller. The library stays loaded for the
 * process's life.
 */
int psm_dl_load(struct psm_dl *dl);

#endif
