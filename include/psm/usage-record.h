#ifndef PSM_USAGE_RECORD_H
#define PSM_USAGE_RECORD_H
/*
 * The per-user record the week files are counted from. It stays in the
 * git directory (<gitdir>/psm/usage/, docs/format.md) and is never
 * committed: for each user, known only by a keyed hash of the id (the key
 * is the record's own, random), the first time of each event the config
 * names and, for each week, which of them the user sent (any event at all
 * makes the user active). Merging an export takes the earliest times and
 * the union of the weeks, so the same event twice, or an export imported
 * again, changes nothing, and overlapping exports count each user once.
 *
 * Memory stays bounded by the largest of PSM_USAGE_BUCKETS parts of the
 * record, not by the export: events are first spilled to one file per
 * part (by hash), then each part is merged and counted on its own.
 *
 * Crash safety: the merged record is written beside the old one
 * (usage.new/, marked complete last) and replaces it once the week files
 * are committed. A complete usage.new/ found later is taken as the record
 * (it holds the old one and more, never less: counts it gives are never
 * lower); an incomplete one is removed.
 */
#include <stddef.h>

#include "psm/usage-read.h"
#include "psm/usage.h"

#define PSM_USAGE_BUCKETS 64

struct psm_usage_import;

/*
 * Take the record in gitdir (with its trailing slash) for merging: its own
 * lock, <gitdir>psm/usage.lock, is held until psm_usage_import_free (the
 * store lock is not: other commands go on while an export is read). The
 * week files in the work tree root (trailing slash too) must each have been
 * counted from this record, or the import would count users twice
 * (PSM_ESTATE saying so). rebuild: start a new record (new id and key) and
 * let the counts replace every week file.
 */
int psm_usage_import_begin(struct psm_usage_import **out, const char *gitdir, const char *root,
			   const struct psm_usage_config *uc, int rebuild);
/* The week files as last read (at the start, or by psm_usage_import_recheck). */
const struct psm_usage_weeks *psm_usage_import_committed(const struct psm_usage_import *im);
/*
 * The week files in root again, under the store lock, before they are
 * written: the store lock is not held while an export is read, and the
 * files may have changed meanwhile (a pull, a checkout, the next
 * transaction finishing a killed one). Those this record counted are
 * taken as they are now; one from another record is refused (PSM_ESTATE,
 * as at the start), since writing over it would lose counts.
 */
int psm_usage_import_recheck(struct psm_usage_import *im, const char *root);
/* Event names the config names that the record had no column for yet
 * (their counts start with this import), one per line; "" when none. */
const char *psm_usage_import_added(const struct psm_usage_import *im);
/* Take one event in. */
int psm_usage_import_event(struct psm_usage_import *im, const struct psm_usage_event *ev);
/* Events whose name the config does not name (counted as activity only). */
size_t psm_usage_import_unknown(const struct psm_usage_import *im);

/*
 * Merge what was taken in into the staged record and count every week
 * from it: out gets one week per week with any activity, sorted.
 */
int psm_usage_import_count(struct psm_usage_import *im, struct psm_usage_weeks *out);
/* The staged record becomes the record (after the week files are committed). */
int psm_usage_import_keep(struct psm_usage_import *im);
/* Remove what was spilled and staged but not kept. */
void psm_usage_import_free(struct psm_usage_import *im);

#endif
