#ifndef PSM_TXN_INT_H
#define PSM_TXN_INT_H
/* Between txn.c and txn-recover.c: the crash journal. */
#include "psm/store.h"

/*
 * Journal format, one line each:
 *	psm-journal-1 <HEAD hex, or - when unborn>
 *	<existed 0|1> <n> <store-relative path>   (old content in journal.d/<n>)
 */
#define PSM_JOURNAL_MAGIC "psm-journal-1"

/* Finish a dead psm's transaction (see txn.c), then remove the journal. */
int psm_txn_recover(struct psm_store *s, const char *journal);
/* Remove the journal, then its copies. */
void psm_txn_journal_clear(const char *journal);

#endif
