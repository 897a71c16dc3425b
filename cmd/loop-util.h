#ifndef PSM_LOOP_UTIL_H
#define PSM_LOOP_UTIL_H
/* What the service-loop commands (tag, assign, reply, close, ...) share. */
#include "common.h"

struct opt_list;

/* Take the store lock before reading what will be changed: no lost updates. */
struct psm_txn *begin_or_die(struct psm_store *s);
/*
 * Save the issues in t and make one commit with msg when any file changed;
 * changed[i] (if not NULL) says whether issue i was written. Frees t.
 * Returns the number of files written; dies, putting the files back, on
 * failure.
 */
size_t commit_or_die(struct psm_txn *t, struct psm_issue *const *v, size_t n, int *changed,
		     const char *msg);
/* die(), after releasing the transaction (lock and files put back). */
void die_txn(struct psm_txn *t, const char *fmt, ...) __attribute__((format(printf, 2, 3), noreturn));
/* die_txn() with libpsm's last error. */
void die_txn_psm(struct psm_txn *t) __attribute__((noreturn));
/* Load by ID prefix inside a transaction (dies, releasing it, on failure). */
struct psm_issue *load_in_txn(struct psm_txn *t, struct psm_store *s, const char *prefix);
/*
 * The valid issues a scan finds (flags: psm_scan_open()'s) that match()
 * accepts, read again from their files inside the transaction and
 * appended to out (the caller's, to write): found through the cache an
 * issue at a time, so the store is never held whole, and the cache's
 * issues, for reading only, are never the ones written. The files left
 * out (unreadable, not valid) are appended to errors. Dies, releasing t,
 * on failure.
 */
void load_matching_in_txn(struct psm_issue_set *out, struct psm_issue_set *errors,
			  struct psm_txn *t, struct psm_store *s, unsigned flags,
			  int (*match)(const struct psm_issue *is, void *ctx), void *ctx);
/* The e-mail that signs timeline entries and follow-ups; dies with a hint. */
const char *who_or_die(struct psm_store *s);
/* The git identity's name, else its e-mail, else "" (to sign drafts). */
const char *identity_name(struct psm_store *s);
/*
 * Text from -m (several are paragraphs), -F <file> ('-': stdin), or, with
 * neither and a terminal, the editor on `template`. Empty when none.
 */
void read_text(struct strbuf *out, struct psm_store *s, const struct opt_list *msgs,
	       const char *file, const char *edit_name, const char *template);
/* Check a value against a config list; dies naming the list. */
void check_config_value(struct psm_store *s, const char *list, const char *what,
			const char *value);
/* "nothing to do" on stderr for a command that changed nothing. */
void say_unchanged(struct psm_store *s, const struct psm_issue *issue, const char *why);

/*
 * psm dup (and psm close --resolution duplicate): close `dup` as a duplicate
 * of `target`, carry its reporters over, add `note` (may be NULL) to its
 * timeline; both files in one commit; hook post-<verb>. Returns the exit code.
 */
int dup_issue(struct psm_store *s, const char *dup, const char *target, const char *note,
	      const char *release_note, enum output_format fmt, const char *verb);

#endif
