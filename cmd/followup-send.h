#ifndef PSM_FOLLOWUP_SEND_H
#define PSM_FOLLOWUP_SEND_H
/* psm followup [ID...] --send (cmd/followup-send.c). */
#include "mail-send.h"
#include "parse-options.h"

/* E-mail the drafts of the people owed (only those `only` names, when
 * any) of the issues named, else of every issue owing someone. Returns
 * the exit code. */
int followup_send(struct psm_store *s, int argc, const char **argv, const struct mail_opts *mo,
		  const struct opt_list *only);

#endif
