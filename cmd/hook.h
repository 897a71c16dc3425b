#ifndef PSM_HOOK_H
#define PSM_HOOK_H
#include "psm/store.h"

/*
 * After a write: run <gitdir>/psm/hooks/post-<command> when the user put an
 * executable file there, with the issue's JSON on stdin, its ID as the
 * argument, the work tree as the current directory and the hook's stdout
 * sent to our stderr. Only the git directory is looked at, never a tracked
 * file (a hook that resolves into the work tree is refused), so a cloned
 * repository cannot run code. Returns 0 when the hook ran fine or there is
 * none, 1 when it failed or was refused (a warning is printed; the change
 * stays).
 */
int run_hook(struct psm_store *s, const char *command, const struct psm_issue *issue);

#endif
