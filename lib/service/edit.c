#include "psm/edit.h"

#include <stdlib.h>
#include <string.h>

#include "psm/error.h"
#include "psm/node.h"
#include "psm/utf8.h"

/* Keys whose value other commands own, with the one to use. */
static const char *const owned[][2] = {
	{ "id", "the ID names the file; it cannot change" },
	{ "updated", "psm sets 'updated' on every write" },
	{ "status", "use psm status, close, reopen or park: they keep the times and the follow-up right" },
	{ "duplicate_of", "use psm dup (it moves the reporters) or psm reopen" },
	{ "labels", "'labels' is a list: use psm tag ID +LABEL -LABEL" },
	{ NULL, NULL }
};

static int key_valid(const char *key)
{
	const char *p;

	if (!*key)
		return 0;
	for (p = key; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '_' || *p == '-' || *p == '.'))
			return 0;
	return 1;
}

int psm_edit_field(struct psm_issue *issue, const char *key, const char *value)
{
	const struct psm_node *old = psm_issue_node(issue, key);
	size_t i;

	if (!key_valid(key))
		return psm_error(PSM_EINVALID, "invalid field name '%s': use letters, digits, '_', '-' or '.'",
				 key);
	for (i = 0; owned[i][0]; i++)
		if (!strcmp(key, owned[i][0]))
			return psm_error(PSM_EINVALID, "cannot set '%s' with psm edit: %s", key, owned[i][1]);
	if (old && old->kind != PSM_SCALAR)
		return psm_error(PSM_EINVALID,
				 "'%s' holds a %s: change it in the file (psm edit ID, on a terminal)",
				 key, old->kind == PSM_SEQ ? "list" : "mapping");
	if (strchr(value, '\n') || strchr(value, '\r'))
		return psm_error(PSM_EINVALID, "the value of '%s' must be one line", key);
	if (!psm_utf8_valid(value, strlen(value)))
		return psm_error(PSM_EINVALID, "the value of '%s' is not valid UTF-8", key);
	if (!*value && !strcmp(key, "title"))
		return psm_error(PSM_EINVALID, "the title cannot be empty");
	/* the same text: leave the entry as written (quotes, comments) */
	if (*value && old && psm_streq(psm_node_str(old), value))
		return 0;
	return psm_issue_set(issue, key, *value ? value : NULL);
}

int psm_edit_text(struct psm_issue **out, const char *path, const char *old, size_t oldlen,
		  const char *text, size_t len, const char *now, struct psm_yaml_error *err)
{
	struct psm_issue *issue = NULL;
	int r;

	*out = NULL;
	if ((r = psm_issue_parse(&issue, text, len, err)) < 0)
		return r;
	if (!(issue->path = psm_strdup(path))) {
		psm_issue_free(issue);
		return psm_oom();
	}
	r = len == oldlen && !memcmp(text, old, len);
	if (!r && psm_issue_set(issue, "updated", now) < 0) {
		psm_issue_free(issue);
		return PSM_ENOMEM;
	}
	*out = issue;
	return r;
}
