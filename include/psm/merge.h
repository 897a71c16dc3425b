#ifndef PSM_MERGE_H
#define PSM_MERGE_H
/*
 * Three-way merge of issue files, for `psm merge-file` (git's merge driver).
 *
 * Front matter merges key by key: a key changed on one side takes that
 * side's lines byte for byte; lists merge as sets (an addition on one side
 * and a removal on the other both hold; labels stay sorted, reporters are
 * matched by e-mail, contact or name, follow-up records by their `reporter`,
 * and a person changed on both sides keeps ours' entry); `updated`, `triaged` and `closed`
 * take the later time, `created`, `responded` and `first_closed` the
 * earlier, `reopened` the larger count. A scalar changed to two different
 * values is a conflict: the key is written between conflict markers
 *
 *	<<<<<<< ours
 *	owner: ana@example.com
 *	=======
 *	owner: bo@example.com
 *	>>>>>>> theirs
 *
 * inside the front matter, so the file stops parsing until someone picks a
 * side, and `psm check` names the marker's line. A status changed to two
 * values is one conflict holding each side's status, resolution,
 * duplicate_of, closed and parked_until, so keeping a side keeps where
 * that side put the issue.
 *
 * Bodies merge line by line (libgit2's file merge), except the entries of
 * `## Timeline`, which merge as a set: entries added on either side are all
 * kept, in time order.
 *
 * A side that is not an issue file (no front matter, invalid YAML) makes the
 * whole file merge line by line.
 *
 * How git comes to run the driver (psm init's set-up) is merge-driver.h's.
 */
#include <stddef.h>

#include "psm/strbuf.h"

struct psm_merge_labels {
	const char *ours;   /* marker labels; NULL: "ours", "theirs" */
	const char *theirs;
};

/*
 * Merge base/ours/theirs (an empty base: both sides added the file).
 * Appends the result to out and returns the number of conflicts written
 * (0: clean), or a negative PSM_E* code.
 */
int psm_merge_issue(struct strbuf *out, const char *base, size_t blen,
		    const char *ours, size_t olen, const char *theirs, size_t tlen,
		    const struct psm_merge_labels *labels);

/* Line-by-line three-way merge (libgit2); same return convention. */
int psm_merge_text(struct strbuf *out, const char *base, size_t blen,
		   const char *ours, size_t olen, const char *theirs, size_t tlen,
		   const struct psm_merge_labels *labels);

#endif
