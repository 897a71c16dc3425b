#ifndef PSM_VERSION_H
#define PSM_VERSION_H
/*
 * The versions of the libraries psm runs with, as they report themselves
 * at run time (which may differ from the headers it was built against).
 */
#include "psm/strbuf.h"

/* "libgit2 1.5.1\nlibyaml 0.2.5\ncmark 0.30.2\n", appended to out. */
int psm_library_versions(struct strbuf *out);

#endif
