#ifndef PSM_NOTIFY_H
#define PSM_NOTIFY_H
/*
 * Status notifications (git config psm.notify, off by default): "close"
 * e-mails the reporters of an issue just closed their follow-up (as psm
 * followup ID --send does: the resolution's template, the release note),
 * "park" e-mails them that it was set aside, with the reason and the date
 * it comes back. cmd/notify.c.
 */
#include "common.h"

/* Is event ("close", "park") in psm.notify? Dies on an unknown word. */
int notify_wanted(struct psm_store *s, const char *event);
/* After psm close committed: the follow-up of issue `id`. Exit code. */
int notify_close(struct psm_store *s, const char *id);
/* After psm park committed: why, and until when. Exit code. */
int notify_park(struct psm_store *s, const char *id, const char *reason, const char *until);

#endif
