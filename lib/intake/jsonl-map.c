/* Records of other tools' shapes through --map (jsonl-map.h). */
#include "psm/jsonl-map.h"

#include <stdlib.h>
#include <string.h>

#include "psm/error.h"
#include "psm/issue.h"
#include "psm/strbuf.h"

/* The child of node named by the len bytes of key (an index in an array). */
static json_t *child(json_t *node, const char *key, size_t len)
{
	char *end, *k;
	json_t *v;
	long i;

	if (json_is_object(node)) { /* json_object_getn is jansson 2.14's */
		if (!(k = psm_strndup(key, len)))
			return NULL;
		v = json_object_get(node, k);
		free(k);
		return v;
	}
	if (!json_is_array(node) || !len || key[0] < '0' || key[0] > '9')
		return NULL;
	i = strtol(key, &end, 10);
	return end == key + len && i >= 0 ? json_array_get(node, (size_t)i) : NULL;
}

/* The value at path under node, and where it hangs (parent, key). */
static json_t *lookup(json_t *node, const char *path, json_t **parent, const char **key,
		      size_t *klen)
{
	const char *dot;
	json_t *v, *c;

	if ((v = child(node, path, strlen(path)))) {
		*parent = node;
		*key = path;
		*klen = strlen(path);
		return v;
	}
	for (dot = strchr(path, '.'); dot; dot = strchr(dot + 1, '.'))
		if ((c = child(node, path, (size_t)(dot - path))) &&
		    (v = lookup(c, dot + 1, parent, key, klen)))
			return v;
	return NULL;
}

/* A plain value as text; NULL for objects, arrays and null. */
static int scalar_text(struct strbuf *out, const json_t *v)
{
	if (json_is_string(v))
		return strbuf_add(out, json_string_value(v), json_string_length(v));
	if (json_is_integer(v))
		return strbuf_addf(out, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
	if (json_is_real(v))
		return strbuf_addf(out, "%.17g", json_real_value(v));
	if (json_is_boolean(v))
		return strbuf_addstr(out, json_is_true(v) ? "true" : "false");
	return 1;
}

/* "- path: value" for every value left under v (as --csv's extra columns). */
static int add_extra(struct strbuf *body, struct strbuf *path, const json_t *v)
{
	struct strbuf text = STRBUF_INIT;
	size_t at = path->len, i;
	const char *k, *p;
	json_t *c;
	int r = 0, plain = 1;

	if (json_is_object(v)) {
		json_object_foreach((json_t *)v, k, c) {
			strbuf_setlen(path, at);
			strbuf_addf(path, "%s%s", at ? "." : "", k);
			if ((r = add_extra(body, path, c)) < 0)
				break;
		}
		strbuf_setlen(path, at);
		return r;
	}
	if (json_is_array(v)) {
		json_array_foreach(v, i, c)
			plain &= !json_is_object(c) && !json_is_array(c);
		if (!plain) {
			json_array_foreach(v, i, c) {
				strbuf_setlen(path, at);
				strbuf_addf(path, "%s%zu", at ? "." : "", i);
				if ((r = add_extra(body, path, c)) < 0)
					break;
			}
			strbuf_setlen(path, at);
			return r;
		}
		json_array_foreach(v, i, c) {
			if (json_is_null(c))
				continue;
			if (text.len)
				strbuf_addstr(&text, ", ");
			scalar_text(&text, c);
		}
	} else if (scalar_text(&text, v) > 0) {
		return 0; /* null */
	}
	strbuf_rtrim(&text);
	if (text.len) {
		strbuf_addf(body, "- %s: ", path->buf);
		for (p = text.buf; p < text.buf + text.len; p++) {
			strbuf_addch(body, *p);
			if (*p == '\n')
				strbuf_addstr(body, "  "); /* a value's lines stay in its item */
		}
		strbuf_addch(body, '\n');
	}
	r = text.oom ? psm_oom() : 0;
	strbuf_release(&text);
	return r;
}

/* A top-level key that psm reads as a field (or its JSON's own members). */
static int psm_field(const char *k)
{
	static const char *const own[] = { "body", "reporter", "extra", "short_id", "path",
					   "reporter_count", NULL };
	size_t i;

	for (i = 0; own[i]; i++)
		if (!strcmp(own[i], k))
			return 1;
	return psm_key_rank(k) >= 0;
}

/* Set a mapped field in out (reporter_* into out's reporter object). */
static int set_mapped(json_t *out, json_t *rep, struct strbuf *body, const char *field,
		      json_t *v)
{
	struct strbuf text = STRBUF_INIT;
	json_t *val;
	int r = 0;

	if (json_is_null(v))
		return 0;
	if (!strcmp(field, "body")) {
		if (scalar_text(&text, v) > 0)
			return 0; /* an object as the body: its values are kept below */
		if (body->len)
			strbuf_addstr(body, "\n\n");
		strbuf_addbuf(body, &text);
		strbuf_release(&text);
		return body->oom ? psm_oom() : 0;
	}
	/* a number where text is wanted (a title, a name) is that text */
	if (json_is_number(v) || json_is_boolean(v)) {
		scalar_text(&text, v);
		val = json_stringn(text.buf, text.len);
	} else {
		val = json_deep_copy(v);
	}
	if (!val)
		r = psm_oom();
	else if (!strncmp(field, "reporter_", 9))
		r = json_object_set_new(rep, field + 9, val) < 0 ? psm_oom() : 0;
	else
		r = json_object_set_new(out, field, val) < 0 ? psm_oom() : 0;
	strbuf_release(&text);
	return r;
}

/* The reporter's fields in psm's order (name, email, contact), whatever
 * the order of the maps. */
static int set_reporter(json_t *res, const json_t *rep)
{
	static const char *const keys[] = { "name", "email", "contact", NULL };
	json_t *o = json_object();
	size_t i;

	for (i = 0; o && keys[i]; i++)
		if (json_object_get(rep, keys[i]) &&
		    json_object_set(o, keys[i], json_object_get(rep, keys[i])) < 0)
			break;
	if (!o || keys[i] || json_object_set_new(res, "reporter", o) < 0)
		return psm_oom();
	return 0;
}

int psm_json_map_record(json_t **out, const json_t *in, struct psm_json_map *maps, size_t n)
{
	json_t *rest = NULL, *res = json_object(), *rep = json_object(), *v, *parent;
	struct strbuf body = STRBUF_INIT, extra = STRBUF_INIT, path = STRBUF_INIT;
	const char *key, *k;
	size_t i, klen;
	int r = 0;

	*out = NULL;
	if (!json_is_object(in)) {
		r = psm_error(PSM_EINVALID, "not a JSON object");
		goto out;
	}
	if (!res || !rep || !(rest = json_deep_copy(in))) {
		r = psm_oom();
		goto out;
	}
	/* every map reads the record as it came, so one path may fill two
	 * fields; a field filled already keeps its first value, and the
	 * second is kept in the body, never dropped */
	for (i = 0; i < n && r >= 0; i++)
		if ((v = lookup((json_t *)in, maps[i].path, &parent, &key, &klen))) {
			const char *f = maps[i].field;

			maps[i].used = 1;
			if (!strcmp(f, "-") || json_is_null(v))
				continue;
			if (strcmp(f, "body") &&
			    json_object_get(strncmp(f, "reporter_", 9) ? res : rep,
					    strncmp(f, "reporter_", 9) ? f : f + 9)) {
				strbuf_reset(&path);
				strbuf_addstr(&path, maps[i].path);
				r = add_extra(&extra, &path, v);
			} else {
				r = set_mapped(res, rep, &body, f, v);
			}
		}
	/* then what they took leaves what is kept (an array item becomes null) */
	for (i = 0; i < n && r >= 0; i++) {
		if (!lookup(rest, maps[i].path, &parent, &key, &klen))
			continue;
		if (json_is_object(parent)) {
			char *kk = psm_strndup(key, klen);

			r = !kk || json_object_del(parent, kk) < 0 ? psm_oom() : 0;
			free(kk);
		} else
			r = json_array_set_new(parent, (size_t)strtol(key, NULL, 10), json_null()) < 0 ? psm_oom() : 0;
	}
	json_object_foreach(rest, k, v) {
		if (r < 0)
			break;
		if (!strcmp(k, "body") && json_is_string(v)) {
			if (body.len)
				strbuf_addstr(&body, "\n\n");
			strbuf_add(&body, json_string_value(v), json_string_length(v));
		} else if (psm_field(k) && !json_object_get(res, k) &&
			   (strcmp(k, "reporter") || !json_object_size(rep))) {
			r = json_object_set(res, k, v) < 0 ? psm_oom() : 0;
		} else {
			/* not a field, or one a map filled: kept, not dropped */
			strbuf_reset(&path);
			strbuf_addstr(&path, k);
			r = add_extra(&extra, &path, v);
		}
	}
	if (r < 0)
		goto out;
	if (extra.len) {
		strbuf_rtrim(&body);
		if (body.len)
			strbuf_addstr(&body, "\n\n");
		strbuf_addbuf(&body, &extra);
	}
	if (body.oom || extra.oom || path.oom) {
		r = psm_oom();
		goto out;
	}
	if (body.len && json_object_set_new(res, "body", json_stringn(body.buf, body.len)) < 0)
		r = psm_oom();
	else if (json_object_size(rep) && !json_object_get(res, "reporter"))
		r = set_reporter(res, rep);
	if (r >= 0) {
		*out = res;
		res = NULL;
	}
out:
	json_decref(res);
	json_decref(rep);
	json_decref(rest);
	strbuf_release(&body);
	strbuf_release(&extra);
	strbuf_release(&path);
	return r;
}
