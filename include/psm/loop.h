#ifndef PSM_LOOP_H
#define PSM_LOOP_H
/*
 * The service-loop operations on issue objects in memory (no I/O): label,
 * own, answer, close, reopen, merge duplicates. `now` is RFC 3339 UTC. Each
 * sets `updated` when it changes something. Return 0, 1 when nothing
 * changed where noted, or a negative PSM_E* after psm_error().
 * The commands (cmd/tag.c, close.c, ...) and the triage session share these,
 * so what a field means stays in one place (docs/hacking.md).
 */
#include <stddef.h>

#include "psm/config.h"
#include "psm/issue.h"

/* Add then remove labels; each must pass psm_label_valid(). 1 if unchanged. */
int psm_loop_tag(struct psm_issue *issue, const char *const *add, size_t nadd,
		 const char *const *remove, size_t nremove, const char *now);
/* Set the owner (NULL clears). 1 if unchanged. Checking it against the
 * config's `owners` is the caller's job (it knows the config). */
int psm_loop_assign(struct psm_issue *issue, const char *owner, const char *now);
/*
 * Append an entry to the body's `## Timeline` section (made at the end of the
 * body when absent): kind is reply (public answer), note (internal) or
 * customer (a reporter's message). A reply sets `responded` the first time.
 */
int psm_loop_timeline(struct psm_issue *issue, const char *kind, const char *who,
		      const char *text, const char *now);
/* Replace the body's `## Release note` with text as one paragraph (runs of
 * whitespace become one space); PSM_EINVALID when it is empty. No `updated`. */
int psm_loop_release_note(struct psm_issue *issue, const char *text);
/*
 * Close: status closed, `closed`, `resolution` (duplicate_of required for and
 * only for resolution duplicate), `first_closed` on the first close; a
 * release note (may be NULL) writes or replaces the `## Release note`
 * section. Closing a closed issue keeps its `closed` time; a different
 * resolution makes the follow-up owed again. A duplicate (duplicate_of set)
 * is refused another resolution or target until reopened. Resolution
 * duplicate here only records the fields: psm_loop_dup() also moves the
 * reporters, which is what callers want.
 */
int psm_loop_close(struct psm_issue *issue, const char *resolution,
		   const char *duplicate_of, const char *release_note, const char *now);
/* Reopen: status triaged; clears closed/resolution/duplicate_of/followup(s)/
 * customer_replied, counts `reopened`, keeps `first_closed`. PSM_EINVALID
 * when not closed. */
int psm_loop_reopen(struct psm_issue *issue, const char *now);
/*
 * Close dup as a duplicate of target and append dup's reporters to target's,
 * one entry per person (matched by e-mail, else contact, else name), each
 * new entry with `via: <dup id>`; a closed target's follow-up becomes owed
 * again. Timeline entries dup took in from outside (a psm-ref: e-mail
 * replies, comments) that target does not hold are copied to target's
 * timeline in time order; one both hold (the same message taken in on two
 * clones) is not copied twice. Refuses a chain or a cycle (target is itself a duplicate, or is
 * dup; dup has reporters brought `via` other issues) and a dup already a
 * duplicate of another issue, with PSM_EINVALID. 1 when already recorded.
 */
int psm_loop_dup(struct psm_issue *dup, struct psm_issue *target, const char *now);
/* Remove from target the reporters dup brought (via: dup id). 1 if unchanged. */
int psm_loop_undup(struct psm_issue *dup, struct psm_issue *target, const char *now);

/*
 * A customer's message threaded into an existing issue (an e-mail reply, a
 * new comment on an imported issue): a `customer` timeline entry at `at`
 * (when they wrote it), and on a closed issue `customer_replied` set to
 * `now` (when psm took it in; kept if already set), which brings the
 * issue back to the triage queue until a triage decision: reopen, or
 * psm_loop_keep_closed(). Its close, resolution and history stay.
 */
int psm_loop_customer_message(struct psm_issue *issue, const char *who, const char *text,
			      const char *at, const char *now);
/* The triage decision to keep a closed issue closed after a customer's
 * reply: clears `customer_replied`, sets `triaged`. PSM_EINVALID when the
 * issue is open or has no such reply. */
int psm_loop_keep_closed(struct psm_issue *issue, const char *now);

/* Closed, not a duplicate (whose reporters are carried by the issue it
 * duplicates), and someone among its reporters from outside the team (cfg,
 * people.h; NULL: any reporter) not told yet (followup-owed.h has the
 * person-by-person view). */
int psm_loop_followup_owed(const struct psm_issue *issue, const struct psm_config *cfg);
/* Record that every reporter still owed (cfg as above) was told: a
 * `followups` record per person (done: now, by). 1 if nobody was owed;
 * PSM_EINVALID when the issue is open or has no reporters. */
int psm_loop_followup_done(struct psm_issue *issue, const struct psm_config *cfg, const char *by,
			   const char *now);
/* Record {value: good|bad, reporter, at, comment} in `ratings` (reporter and
 * comment may be NULL): it replaces, in place, the rating of the same
 * reporter (ignoring case); one without a reporter is appended. */
int psm_loop_rate(struct psm_issue *issue, const char *value, const char *reporter,
		  const char *comment, const char *now);

/* The key psm_loop_dup matches people by: e-mail, contact or name, lower-cased;
 * NULL for a reporter with none of them (or out of memory). The caller frees it. */
char *psm_reporter_key(const struct psm_node *reporter);

#endif
