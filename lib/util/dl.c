/* Libraries loaded on first use (psm/dl.h says why). */
#include "psm/dl.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "psm/error.h"

/* Loads are rare: one lock for all of them. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static int load(struct psm_dl *dl)
{
	const char *e;
	void *h = dlopen(dl->soname, RTLD_NOW | RTLD_LOCAL);
	size_t i;

	dl->failed = "could not load";
	if (!h)
		goto bad;
	for (i = 0; i < dl->nsyms; i++) {
		void *sym = dlsym(h, dl->syms[i].name);

		if (!sym)
			goto bad;
		/* POSIX's way to turn dlsym()'s object pointer into a function pointer */
		memcpy(dl->syms[i].slot, &sym, sizeof(sym));
	}
	if (dl->init && (dl->failed = dl->init()))
		return -1;
	return 1; /* the handle stays open for the process's life */
bad:
	e = dlerror();
	dl->said = e ? strdup(e) : NULL; /* kept for the process's life, as the handle is */
	return -1;
}

int psm_dl_load(struct psm_dl *dl)
{
	int state;

	pthread_mutex_lock(&lock);
	if (!dl->state)
		dl->state = load(dl);
	state = dl->state;
	pthread_mutex_unlock(&lock);
	if (state > 0)
		return 0;
	return psm_error(PSM_ERROR, "%s %s (%s)%s%s%s%s", dl->failed, dl->what, dl->soname,
			 dl->said ? ": " : "", dl->said ? dl->said : "", dl->hint ? "; " : "",
			 dl->hint ? dl->hint : "");
}
