#include "psm/render.h"

#include <stdlib.h>
#include <string.h>

#include "psm/error.h"
#include "psm/query.h"
#include "render-int.h"

/*
 * A value as JSON. Scalars are text, except that with `typed` a plain
 * (unquoted) integer or boolean stays one: what the file means by
 * `reopened: 2` survives an export and import.
 */
static json_t *value_json(const struct psm_node *n, int typed)
{
	json_t *j;
	size_t i;

	if (!n || psm_node_is_null(n))
		return json_null();
	switch (n->kind) {
	case PSM_SCALAR:
		if (typed && n->plain) {
			const char *s = n->str;
			size_t d = s[0] == '-';

			if (!strcmp(s, "true"))
				return json_true();
			if (!strcmp(s, "false"))
				return json_false();
			if (s[d] && n->len - d <= 15 && strspn(s + d, "0123456789") == n->len - d &&
			    (s[d] != '0' || n->len - d == 1))
				return json_integer(strtoll(s, NULL, 10));
		}
		return json_stringn(n->str, n->len);
	case PSM_SEQ:
		j = json_array();
		for (i = 0; j && i < n->n; i++)
			if (json_array_append_new(j, value_json(n->items[i], typed)) < 0) {
				json_decref(j);
				return NULL;
			}
		return j;
	case PSM_MAP:
		j = json_object();
		for (i = 0; j && i + 1 < n->n; i += 2)
			if (json_object_set_new(j, n->items[i]->str ? n->items[i]->str : "",
						value_json(n->items[i + 1], typed)) < 0) {
				json_decref(j);
				return NULL;
			}
		return j;
	}
	return json_null();
}

json_t *psm_node_json(const struct psm_node *n)
{
	return value_json(n, 0);
}

static const char *const list_keys[] = { "labels", "reporters", "followups", "ratings", NULL };

int render_list_key(const char *k)
{
	const char *const *p;

	for (p = list_keys; *p; p++)
		if ((*p)[0] == k[0] && !strcmp(*p, k))
			return 1;
	return 0;
}

/* The body is the user's bytes: invalid UTF-8 becomes U+FFFD rather than
 * making jansson refuse the string (and the body vanish from the JSON). */
static json_t *json_text(const char *s, size_t len)
{
	struct strbuf sb = STRBUF_INIT;
	json_t *j = json_stringn(s, len);
	size_t i = 0;

	if (j)
		return j;
	while (i < len) {
		unsigned cp;
		size_t n = psm_utf8_decode(s + i, len - i, &cp);

		if (n)
			strbuf_add(&sb, s + i, n);
		else
			strbuf_addstr(&sb, "\xef\xbf\xbd");
		i += n ? n : 1;
	}
	j = sb.oom ? NULL : json_stringn(sb.buf, sb.len);
	strbuf_release(&sb);
	return j;
}

json_t *psm_issue_to_json(const struct psm_issue *issue, enum psm_json_shape shape,
			  size_t abbrev)
{
	int record = shape == PSM_JSON_RECORD;
	json_t *o = json_object(), *extra = json_object();
	const char *id = psm_issue_get(issue, "id");
	size_t i;

	if (!o || !extra)
		goto fail;
	for (i = 0; psm_known_keys[i]; i++) {
		const char *k = psm_known_keys[i];
		const struct psm_node *n = psm_issue_node(issue, k);
		json_t *v;

		if (record && !n)
			continue;
		if (record) {
			v = value_json(n, 1);
		} else if (!strcmp(k, "reopened")) {
			const char *s = psm_node_str(n);

			v = json_integer(s ? strtoll(s, NULL, 10) : 0);
		} else if (render_list_key(k) && (!n || psm_node_is_null(n))) {
			v = json_array();
		} else {
			v = value_json(n, 0);
		}
		if (json_object_set_new(o, k, v) < 0)
			goto fail;
	}
	for (i = 0; i < issue->n; i++)
		if (psm_key_rank(issue->entries[i].key) < 0 &&
		    json_object_set_new(extra, issue->entries[i].key,
					value_json(issue->entries[i].value, record)) < 0)
			goto fail;
	if (!record &&
	    (json_object_set_new(o, "short_id", id ? json_stringn(id, abbrev < strlen(id) ? abbrev
										: strlen(id))
						   : json_null()) < 0 ||
	     json_object_set_new(o, "reporter_count",
				 json_integer((json_int_t)psm_issue_reporter_count(issue))) < 0 ||
	     json_object_set_new(o, "path", issue->path ? json_string(issue->path) : json_null()) < 0))
		goto fail;
	if (json_object_set_new(o, "body", json_text(issue->body.buf, issue->body.len)) < 0)
		goto fail;
	/* a record leaves out what it does not have */
	if ((!record || json_object_size(extra)) && json_object_set(o, "extra", extra) < 0)
		goto fail;
	json_decref(extra);
	return o;
fail:
	json_decref(o);
	json_decref(extra);
	return NULL;
}

json_t *psm_issue_json(const struct psm_issue *issue, size_t abbrev)
{
	return psm_issue_to_json(issue, PSM_JSON_OBJECT, abbrev);
}

json_t *psm_issue_record(const struct psm_issue *issue)
{
	return psm_issue_to_json(issue, PSM_JSON_RECORD, 0);
}
