#ifndef PSM_FOLLOWUP_H
#define PSM_FOLLOWUP_H
/*
 * Follow-up drafts: the message that tells a reporter their issue was
 * closed, from a per-resolution template in the store
 * (.psm/templates/<resolution>.md, then .psm/templates/default.md, then
 * psm's built-in text for that resolution). Placeholders are written in
 * braces: {name} {email} {contact} {channel} {title} {id} {short_id}
 * {resolution} {release_note} {customer} {owner} {sender}; an unknown one is
 * left as it is.
 */
#include "psm/issue.h"
#include "psm/store.h"
#include "psm/strbuf.h"

#define PSM_TEMPLATE_DIR ".psm/templates"

/* The built-in template for a resolution (the default one for others): a
 * constant string. */
const char *psm_followup_builtin(const char *resolution);
/* The template in effect; `source` gets its store-relative path or
 * "built-in". PSM_EINVALID naming the line when it holds a conflict marker. */
int psm_followup_template(struct strbuf *out, struct strbuf *source, struct psm_store *s,
			  const char *resolution);
/*
 * Fill a template for one reporter (a map from `reporters`). Runs of blank
 * lines left by empty placeholders collapse into one; the result ends in
 * one newline and is safe text (psm_sanitize: no escape sequences, control
 * or bidi characters). PSM_EINVALID naming the line when the issue holds a
 * merge conflict marker, or the draft would (conflict.h): it goes to a
 * customer. sender (who signs) and short_id may be NULL.
 */
int psm_followup_draft(struct strbuf *out, const char *tmpl, const struct psm_issue *issue,
		       const struct psm_node *reporter, const char *short_id, const char *sender);

#endif
