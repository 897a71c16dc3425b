#ifndef PSM_JSONL_H
#define PSM_JSONL_H
/*
 * Issues as JSON records, the shape `psm intake --jsonl` reads and `psm
 * export` writes (docs/import.md): an object with the front-matter fields
 * by name, "body", and "extra" for keys psm does not know. Intake also takes
 * "reporter" (one person: an object, or "Name <email>") and labels as one
 * comma-separated string, which other tools find easier to produce.
 */
#include <jansson.h>

#include "psm/issue.h"
#include "psm/render.h" /* psm_issue_record(): the records psm export writes */

/*
 * Fill issue (new and empty) from one record. Missing status is "new",
 * missing created and updated are `now`; `id` is kept for the caller to
 * honour or drop. Values are checked for shape (a title, times, labels),
 * not against the config (psm_issue_validate does that). PSM_EINVALID with
 * a message naming the field.
 */
int psm_json_to_issue(struct psm_issue *issue, const json_t *obj, const char *now);


/*
 * A time from another tool, as psm stores it: RFC 3339 in UTC, whole
 * seconds (an offset is converted), a bare date kept as a date, and "YYYY-MM-DD HH:MM[:SS]"
 * without a zone read as UTC. PSM_EINVALID when it is none of these.
 */
int psm_import_time(struct strbuf *out, const char *s);

/* "Name <addr>", "addr@host" or "Name" as a reporter map, channel and at
 * not set; an address that is no e-mail address ("@ann", a phone number)
 * becomes `contact`, as with psm intake --reporter. The caller's
 * (psm_node_free); NULL when out of memory. */
struct psm_node *psm_reporter_parse(const char *spec);


#endif
