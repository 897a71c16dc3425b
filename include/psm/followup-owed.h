#ifndef PSM_FOLLOWUP_OWED_H
#define PSM_FOLLOWUP_OWED_H
/*
 * Who is owed a follow-up, person by person. Telling the reporters that
 * their issue was closed is owed to each distinct reporter (told apart as
 * psm_reporter_key() does: e-mail, else contact, else name, any case) of a
 * closed issue that is not a duplicate (a duplicate's reporters are told
 * through the issue it duplicates). The `followups` list of the issue
 * holds one record per person done with:
 *
 *	followups:
 *	- reporter: dana@acme.example      their e-mail, else contact, else name
 *	  done: 2026-11-21T09:30:00Z       when
 *	  by: pat@team.example             who
 *	  ref: <20261121.abc@team.example> the message that told them (optional)
 *	- reporter: jk88
 *	  done: 2026-11-21T09:31:00Z
 *	  by: pat@team.example
 *	  unreachable: app-store review, no address
 *
 * The team's own addresses (people.h: the config's `team` and owners) are
 * owed nothing: with a config, the functions below that take one leave
 * them out (NULL: every reporter counts).
 *
 * A record with `unreachable` says nobody could tell them, and why; it
 * ends what is owed to that person like being told does. One with
 * `bounced` (when a delivery report said the message that told them did
 * not arrive) and `bounce` (what the report said) does not: they are owed
 * one again, until a new record replaces it. The older
 * whole-issue map `followup: {done, by}` still means "everyone told".
 * A fresh close, a new resolution or a reopen forgets all of it.
 *
 * The e-mail sending of a later psm builds on these: psm_followup_people()
 * says who is owed, psm_followup_told() records a message sent (its
 * Message-ID as ref), psm_followup_unreachable() a person who cannot be.
 */
#include <stddef.h>
#include <stdint.h>

#include "psm/config.h"
#include "psm/issue.h"

enum psm_followup_state {
	PSM_FOLLOWUP_OWED,
	PSM_FOLLOWUP_TOLD,
	PSM_FOLLOWUP_UNREACHABLE,
};

struct psm_followup_person {
	const struct psm_node *reporter; /* their first entry in `reporters` */
	const struct psm_node *record;   /* their `followups` record, or NULL */
	enum psm_followup_state state;
	const char *done, *by;           /* from the record or the old map; NULL when owed,
					  * but for a follow-up that came back */
	const char *bounced, *bounce;    /* when it came back (owed again) and what the
					  * delivery report said; NULL otherwise */
};

/*
 * Every distinct person among the issue's reporters, in order of arrival,
 * and where their follow-up stands (whatever the issue's status). *out is
 * an array of *n to free() (NULL when there is nobody); its pointers point
 * into the issue and live until it changes.
 */
int psm_followup_people(struct psm_followup_person **out, size_t *n,
			const struct psm_issue *issue, const struct psm_config *cfg);

/* How many people are owed a follow-up: 0 unless the issue is closed and
 * not a duplicate. Allocates nothing. */
size_t psm_followup_owed(const struct psm_issue *issue, const struct psm_config *cfg);

/*
 * The reporter `who` names: their e-mail, contact or name (any case), or
 * "Name <email>". PSM_ENOTFOUND naming the issue's reporters when nobody
 * fits; PSM_EAMBIGUOUS when a name fits several people.
 */
int psm_followup_find(const struct psm_node **out, const struct psm_issue *issue,
		      const char *who);

/*
 * Record that `reporter` (one of the issue's, e.g. from psm_followup_find)
 * was told, by `by`, now; ref (the Message-ID or URL of what told them) may
 * be NULL. 1 when it was already recorded (or the old map says everyone
 * was told). PSM_EINVALID when the issue is open. Sets `updated`.
 */
int psm_followup_told(struct psm_issue *issue, const struct psm_node *reporter,
		      const char *by, const char *ref, const char *now);
/* Record that `reporter` cannot be told, and why (one line). Same returns. */
int psm_followup_unreachable(struct psm_issue *issue, const struct psm_node *reporter,
			     const char *by, const char *why, const char *now);

/*
 * A delivery report says a message did not arrive: refs are the IDs it
 * names (the returned message's Message-ID, In-Reply-To, References), at
 * its time (RFC 3339), why a one-line reason or NULL. The record whose
 * `ref` is among them, sent no later than a minute after at (the clocks
 * of the two servers) and not `unreachable`, gets
 * `bounced` and `bounce`, and its person is owed a follow-up again; sets
 * `updated`. 0 when marked, 1 when it was already, with *person the
 * record's `reporter` (the issue's, valid until it changes);
 * PSM_ENOTFOUND when no follow-up was sent as one of those messages;
 * PSM_EINVALID for a time psm cannot read or a reason of many lines.
 */
int psm_followup_bounced(const char **person, struct psm_issue *issue, char *const *refs,
			 size_t nrefs, const char *at, const char *why, const char *now);

/*
 * When the follow-up was complete: 1 with *when the latest `done` when the
 * issue has reporters, nobody is owed and someone was told or marked (or
 * the old map says so); 0 when someone is owed or nothing was recorded.
 */
int psm_followup_complete(const struct psm_issue *issue, const struct psm_config *cfg,
			  int64_t *when);

/*
 * Add a person to a closed or open issue's reporters unless they are
 * there already (1 then). On an issue whose follow-up the old map records
 * as done, the map becomes a record per person already there first, so
 * the newcomer is owed and the others stay told. Takes ownership of
 * reporter (a mapping); sets `updated`.
 */
int psm_followup_add_reporter(struct psm_issue *issue, struct psm_node *reporter,
			      const char *now);
/* The same conversion, for callers that append reporters themselves:
 * the old map, if any, becomes records for reporters[0..first_new). */
int psm_followup_split_legacy(struct psm_issue *issue, size_t first_new);

/* Forget every follow-up record (a fresh close, a new resolution, a reopen). */
int psm_followup_clear(struct psm_issue *issue);

#endif
