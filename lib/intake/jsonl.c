#include "psm/jsonl.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "psm/error.h"
#include "psm/utf8.h"
#include "psm/time.h"
#include "psm/validate.h"

/* What psm's own JSON output adds that is not a field: ignored on input, so
 * `psm list --format json` output reads back too. */
static const char *const derived_keys[] = { "short_id", "path", "reporter_count", NULL };

static const char *const time_keys[] = {
	"created", "updated", "triaged", "responded", "closed", "first_closed", "parked_until",
	"customer_replied", NULL
};

static int in(const char *key, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp(*list, key))
			return 1;
	return 0;
}

static struct psm_node *plain_scalar(const char *s)
{
	struct psm_node *n = psm_node_scalar(s);

	if (n)
		n->plain = 1;
	return n;
}

/* Any JSON value as a node; numbers, booleans and null are plain scalars. */
static int to_node(struct psm_node **out, const json_t *j, const char *field)
{
	struct strbuf num = STRBUF_INIT;
	struct psm_node *n = NULL;
	const char *k;
	json_t *v;
	size_t i;

	*out = NULL;
	switch (json_typeof(j)) {
	case JSON_STRING:
		if (strlen(json_string_value(j)) != json_string_length(j))
			return psm_error(PSM_EINVALID, "'%s' holds a NUL character", field);
		n = psm_node_scalarn(json_string_value(j), json_string_length(j));
		break;
	case JSON_INTEGER:
		strbuf_addf(&num, "%" JSON_INTEGER_FORMAT, json_integer_value(j));
		n = plain_scalar(num.buf);
		break;
	case JSON_REAL:
		strbuf_addf(&num, "%.17g", json_real_value(j));
		n = plain_scalar(num.buf);
		break;
	case JSON_TRUE:
	case JSON_FALSE:
		n = plain_scalar(json_is_true(j) ? "true" : "false");
		break;
	case JSON_NULL:
		n = plain_scalar("");
		break;
	case JSON_ARRAY:
		if (!(n = psm_node_new(PSM_SEQ)))
			break;
		json_array_foreach(j, i, v) {
			struct psm_node *item;
			int r = to_node(&item, v, field);

			if (r < 0 || psm_node_push(n, item) < 0) {
				psm_node_free(n);
				return r < 0 ? r : psm_oom();
			}
		}
		break;
	case JSON_OBJECT:
		if (!(n = psm_node_new(PSM_MAP)))
			break;
		json_object_foreach((json_t *)j, k, v) {
			struct psm_node *item;
			int r = to_node(&item, v, field);

			if (r < 0) {
				psm_node_free(n);
				return r;
			}
			if (psm_node_push(n, psm_node_scalar(k)) < 0) {
				psm_node_free(item);
				psm_node_free(n);
				return psm_oom();
			}
			if (psm_node_push(n, item) < 0) { /* item freed by the push */
				psm_node_free(n);
				return psm_oom();
			}
		}
		break;
	}
	strbuf_release(&num);
	if (!n)
		return psm_oom();
	*out = n;
	return 0;
}

/* A one-line value: escape sequences out, other controls and breaks a space. */
static void one_line(struct strbuf *out, const char *s)
{
	psm_one_line(out, s, strlen(s));
}

struct psm_node *psm_reporter_parse(const char *spec)
{
	struct psm_node *r = psm_node_new(PSM_MAP);
	const char *lt = strchr(spec, '<'), *gt = lt ? strchr(lt, '>') : NULL;
	struct strbuf name = STRBUF_INIT, addr = STRBUF_INIT;

	if (!r)
		return NULL;
	if (lt && gt) {
		char *n = psm_strndup(spec, (size_t)(lt - spec));

		if (n)
			one_line(&name, n);
		else
			name.oom = 1;
		free(n);
		strbuf_add(&addr, lt + 1, (size_t)(gt - lt - 1));
	} else if (strchr(spec, '@') && !strchr(spec, ' ')) {
		strbuf_addstr(&addr, spec);
	} else {
		one_line(&name, spec);
	}
	if ((name.len && psm_node_set_str(r, "name", name.buf) < 0) ||
	    /* as psm intake --reporter: a handle ("@ann") or phone number is a contact */
	    (addr.len && psm_node_set_str(r, addr.buf[0] != '@' && strchr(addr.buf, '@') ? "email"
										 : "contact",
					  addr.buf) < 0) ||
	    name.oom || addr.oom || (!name.len && !addr.len)) {
		psm_node_free(r);
		r = NULL;
	}
	strbuf_release(&name);
	strbuf_release(&addr);
	return r;
}

int psm_import_time(struct strbuf *out, const char *s)
{
	struct strbuf full = STRBUF_INIT;
	size_t len = strlen(s);
	int64_t t;
	int r = 0;

	/* "2026-08-17 07:26" and "2026-08-17 07:26:00": spreadsheet style, UTC */
	if ((len == 16 || len == 19) && s[10] == ' ' && !strchr(s, 'Z') && !strchr(s + 10, '+') &&
	    !strchr(s + 10, '-')) {
		strbuf_addstr(&full, s);
		strbuf_addstr(&full, len == 16 ? ":00Z" : "Z");
		s = full.buf;
		len = full.len;
	}
	if (psm_time_parse(s, &t) < 0)
		r = psm_error(PSM_EINVALID, "'%s' is not a time like 2026-11-22T09:00:00Z", s);
	else if (len == 10) /* a date stays a date */
		strbuf_addstr(out, s);
	else
		psm_time_format(out, t);
	strbuf_release(&full);
	return r < 0 ? r : out->oom ? psm_oom() : 0;
}

static int set_time(struct psm_issue *issue, const char *key, const json_t *v)
{
	struct strbuf utc = STRBUF_INIT;
	const char *s = json_string_value(v);
	int r;

	if (!s)
		return psm_error(PSM_EINVALID, "'%s' must be a time like 2026-11-22T09:00:00Z", key);
	if ((r = psm_import_time(&utc, s)) < 0)
		r = psm_error(PSM_EINVALID, "'%s' is not an RFC 3339 time like 2026-11-22T09:00:00Z",
			      key);
	else
		r = psm_issue_set(issue, key, utc.buf);
	strbuf_release(&utc);
	return r;
}

static int set_labels(struct psm_issue *issue, const json_t *v)
{
	struct strbuf label = STRBUF_INIT;
	size_t i, n = json_is_array(v) ? json_array_size(v) : 1;
	int r = 0;

	if (!json_is_array(v) && !json_is_string(v))
		return psm_error(PSM_EINVALID, "'labels' must be a list of strings");
	for (i = 0; i < n && r >= 0; i++) {
		const json_t *item = json_is_array(v) ? json_array_get(v, i) : v;
		const char *s = json_string_value(item), *p;

		if (!s) {
			r = psm_error(PSM_EINVALID, "'labels' must be a list of strings");
			break;
		}
		/* a string may hold several, comma-separated */
		for (p = s; *p && r >= 0; p += *p == ',') {
			size_t l = json_is_array(v) ? strlen(p) : strcspn(p, ",");
			char *one = psm_strndup(p, l);

			strbuf_reset(&label);
			r = one ? psm_label_normalize(&label, one) : psm_oom();
			if (r >= 0 && label.len)
				r = psm_issue_list_add(issue, "labels", label.buf);
			free(one);
			p += l;
		}
	}
	strbuf_release(&label);
	return r < 0 ? r : 0;
}

/* "reporter": one person, added first to `reporters` with the issue's
 * source as channel and its created time as `at` unless given. */
static int add_reporter(struct psm_issue *issue, const json_t *v)
{
	const struct psm_node *old = psm_issue_node(issue, "reporters");
	struct psm_node *rep = NULL, *list = NULL;
	const char *source = psm_issue_get(issue, "source");
	size_t i;
	int r;

	if (json_is_string(v)) {
		if (!(rep = psm_reporter_parse(json_string_value(v))))
			return psm_error(PSM_EINVALID, "invalid 'reporter' '%s': use \"Name <email>\", an e-mail address or a name",
					 json_string_value(v));
	} else if (json_is_object(v)) {
		if ((r = to_node(&rep, v, "reporter")) < 0)
			return r;
		if (!psm_node_get_str(rep, "name") && !psm_node_get_str(rep, "email") &&
		    !psm_node_get_str(rep, "contact")) {
			psm_node_free(rep);
			return psm_error(PSM_EINVALID, "'reporter' needs a name, email or contact");
		}
	} else {
		return psm_error(PSM_EINVALID, "'reporter' must be an object or \"Name <email>\"");
	}
	if ((!psm_node_get(rep, "channel") &&
	     psm_node_set_str(rep, "channel", source ? source : "other") < 0) ||
	    (!psm_node_get(rep, "at") && psm_issue_get(issue, "created") &&
	     psm_node_set_str(rep, "at", psm_issue_get(issue, "created")) < 0) ||
	    !(list = psm_node_new(PSM_SEQ)) || psm_node_push(list, rep) < 0) {
		if (!list)
			psm_node_free(rep);
		psm_node_free(list);
		return psm_oom();
	}
	for (i = 0; old && old->kind == PSM_SEQ && i < old->n; i++)
		if (psm_node_push(list, psm_node_dup(old->items[i])) < 0) {
			psm_node_free(list);
			return psm_oom();
		}
	return psm_issue_set_node(issue, "reporters", list);
}

static int set_field(struct psm_issue *issue, const char *key, const json_t *v)
{
	struct strbuf sb = STRBUF_INIT;
	struct psm_node *n;
	int r;

	if (!strcmp(key, "title")) {
		if (!json_is_string(v))
			return psm_error(PSM_EINVALID, "'title' must be a string");
		one_line(&sb, json_string_value(v));
		r = sb.len ? psm_issue_set(issue, "title", sb.buf)
			   : psm_error(PSM_EINVALID, "'title' is empty");
		strbuf_release(&sb);
		return r;
	}
	if (!strcmp(key, "body")) {
		if (!json_is_string(v))
			return psm_error(PSM_EINVALID, "'body' must be a string");
		strbuf_reset(&issue->body);
		strbuf_add(&issue->body, json_string_value(v), json_string_length(v));
		if (issue->body.len && issue->body.buf[issue->body.len - 1] != '\n')
			strbuf_addch(&issue->body, '\n');
		return issue->body.oom ? psm_oom() : 0;
	}
	if (!strcmp(key, "labels"))
		return set_labels(issue, v);
	if (in(key, time_keys))
		return set_time(issue, key, v);
	if (!strcmp(key, "reporters") && !json_is_array(v))
		return psm_error(PSM_EINVALID, "'reporters' must be a list of objects");
	if ((r = to_node(&n, v, key)) < 0)
		return r;
	return psm_issue_set_node(issue, key, n);
}

static int set_extra(struct psm_issue *issue, const json_t *extra)
{
	const char *k;
	json_t *v;
	int r;

	if (!json_is_object(extra))
		return psm_error(PSM_EINVALID, "'extra' must be an object");
	json_object_foreach((json_t *)extra, k, v) {
		struct psm_node *n;

		if (psm_key_rank(k) >= 0 || !*k)
			return psm_error(PSM_EINVALID, "'extra' cannot hold '%s': give psm's fields at the top level",
					 k);
		if (json_is_null(v))
			continue;
		if ((r = to_node(&n, v, k)) < 0 || (r = psm_issue_set_node(issue, k, n)) < 0)
			return r;
	}
	return 0;
}

int psm_json_to_issue(struct psm_issue *issue, const json_t *obj, const char *now)
{
	const json_t *reporter = NULL, *extra = NULL;
	const char *k;
	json_t *v;
	int r;

	if (!json_is_object(obj))
		return psm_error(PSM_EINVALID, "not a JSON object");
	json_object_foreach((json_t *)obj, k, v) {
		if (json_is_null(v) || in(k, derived_keys) ||
		    (json_is_array(v) && !json_array_size(v)))
			continue;
		if (!strcmp(k, "reporter")) {
			reporter = v;
			continue;
		}
		if (!strcmp(k, "extra")) {
			extra = v;
			continue;
		}
		if (psm_key_rank(k) < 0 && strcmp(k, "body"))
			return psm_error(PSM_EINVALID, "unknown field '%s' (see docs/import.md; other keys go in \"extra\")",
					 k);
		if ((r = set_field(issue, k, v)) < 0)
			return r;
	}
	if (!psm_issue_get(issue, "title"))
		return psm_error(PSM_EINVALID, "missing 'title'");
	if ((!psm_issue_get(issue, "status") && psm_issue_set(issue, "status", "new") < 0) ||
	    (!psm_issue_get(issue, "created") && psm_issue_set(issue, "created", now) < 0) ||
	    (!psm_issue_get(issue, "updated") && psm_issue_set(issue, "updated", now) < 0))
		return psm_oom();
	if (reporter && (r = add_reporter(issue, reporter)) < 0)
		return r;
	if (extra && (r = set_extra(issue, extra)) < 0)
		return r;
	return 0;
}
