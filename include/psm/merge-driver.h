#ifndef PSM_MERGE_DRIVER_H
#define PSM_MERGE_DRIVER_H
/*
 * psm's merge driver (merge.h) set up with git, for `psm init` and every
 * store open: .gitattributes routes issue files to the driver (a
 * `merge=psm` line for the issues folder, committed, so clones have it),
 * and the driver is registered in the repository's own git config
 * (merge.psm.name, merge.psm.driver), which git never clones, so init on
 * a clone runs this again. psm only ever runs `psm merge-file`; nothing
 * from the repository.
 */
#include "psm/git.h"

#define PSM_MERGE_ATTRIBUTES ".gitattributes"
#define PSM_MERGE_DRIVER "psm merge-file %O %A %B %P"

/* Add the line to root's .gitattributes if missing: 1 if the file changed
 * (with dry_run: 1 if it would, and nothing written). */
int psm_merge_driver_attributes(const char *root, int dry_run);
/* Register the driver in the repository's own git config (through git). */
int psm_merge_driver_register(struct psm_git *g);
/*
 * 1 when root's .gitattributes names the driver (merge=psm) but git config
 * has no merge.psm.driver (a clone where psm init never ran: every merge
 * would fall back to text conflicts without a word), else 0.
 */
int psm_merge_driver_missing(struct psm_git *g, const char *root);

#endif
