/*
 * psm_issue_json_text(): an issue's JSON object (PSM_JSON_OBJECT) written
 * straight into text, byte for byte what jansson dumps of psm_issue_json()
 * with JSON_INDENT(2) | JSON_PRESERVE_ORDER, made safe and indented as an
 * element of a listing. Building each value as a jansson object and dumping
 * it was most of `list --format json` (docs/benchmarks.md). What this
 * writer does not copy exactly (text that is not UTF-8, a key given twice,
 * where jansson replaces or refuses) it leaves to jansson: it says so and
 * writes nothing. psm_issue_json_text_with() adds members after the
 * issue's own (triage --queue's priority, roadmap's customer count),
 * dumped by jansson and spliced in one level deeper.
 */
#include "psm/render.h"

#include <stdlib.h>
#include <string.h>

#include "psm/error.h"
#include "psm/json-safe.h"
#include "psm/query.h"
#include "psm/utf8.h"
#include "render-int.h"

#define NOT_HERE 1 /* for jansson to write */

struct jw {
	struct strbuf *out;
	int not_here;
};

/* A line break and the indent of a line at depth (the object's own
 * braces are at 0): two spaces a level, and two more for the listing. */
static void newline(struct jw *w, size_t depth)
{
	strbuf_addch(w->out, '\n');
	strbuf_addchars(w->out, ' ', 2 * depth + 2);
}

/* A string as jansson dumps it: valid UTF-8 only (else jansson's). */
static void put_str(struct jw *w, const char *s, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i = 0;

	strbuf_addch(w->out, '"');
	while (i < len) {
		size_t run = i;
		unsigned cp;

		while (run < len && (unsigned char)s[run] >= 0x20 && (unsigned char)s[run] < 0x80 &&
		       s[run] != '"' && s[run] != '\\')
			run++;
		strbuf_add(w->out, s + i, run - i);
		if ((i = run) >= len)
			break;
		if ((unsigned char)s[i] >= 0x80) {
			size_t n = psm_utf8_decode(s + i, len - i, &cp);

			if (!n) {
				w->not_here = 1;
				return;
			}
			strbuf_add(w->out, s + i, n);
			i += n;
			continue;
		}
		switch (s[i]) {
		case '"': strbuf_addstr(w->out, "\\\""); break;
		case '\\': strbuf_addstr(w->out, "\\\\"); break;
		case '\b': strbuf_addstr(w->out, "\\b"); break;
		case '\f': strbuf_addstr(w->out, "\\f"); break;
		case '\n': strbuf_addstr(w->out, "\\n"); break;
		case '\r': strbuf_addstr(w->out, "\\r"); break;
		case '\t': strbuf_addstr(w->out, "\\t"); break;
		default:
			strbuf_addstr(w->out, "\\u00");
			strbuf_addch(w->out, hex[(unsigned char)s[i] >> 4]);
			strbuf_addch(w->out, hex[s[i] & 15]);
		}
		i++;
	}
	strbuf_addch(w->out, '"');
}

/* A member's key on a line of its own at depth. */
static void put_key(struct jw *w, const char *k, size_t depth, int first)
{
	if (!first)
		strbuf_addch(w->out, ',');
	newline(w, depth);
	put_str(w, k, strlen(k));
	strbuf_addstr(w->out, ": ");
}

static const char *map_key(const struct psm_node *n, size_t i)
{
	return n->items[i]->str ? n->items[i]->str : "";
}

/* value_json(n, 0) of render.c, dumped as the value of a line at depth:
 * a collection's members at depth + 1, its closing bracket at depth. */
static void put_value(struct jw *w, const struct psm_node *n, size_t depth)
{
	size_t i, j;

	if (w->not_here)
		return;
	if (!n || psm_node_is_null(n)) {
		strbuf_addstr(w->out, "null");
		return;
	}
	switch (n->kind) {
	case PSM_SCALAR:
		put_str(w, n->str, n->len);
		return;
	case PSM_SEQ:
		if (!n->n) {
			strbuf_addstr(w->out, "[]");
			return;
		}
		strbuf_addch(w->out, '[');
		for (i = 0; i < n->n && !w->not_here; i++) {
			if (i)
				strbuf_addch(w->out, ',');
			newline(w, depth + 1);
			put_value(w, n->items[i], depth + 1);
		}
		newline(w, depth);
		strbuf_addch(w->out, ']');
		return;
	case PSM_MAP:
		if (n->n < 2) {
			strbuf_addstr(w->out, "{}");
			return;
		}
		/* a key twice: jansson keeps the first place and the last value */
		for (i = 0; i + 1 < n->n; i += 2)
			for (j = 0; j < i; j += 2)
				if (!strcmp(map_key(n, i), map_key(n, j)))
					w->not_here = 1;
		strbuf_addch(w->out, '{');
		for (i = 0; i + 1 < n->n && !w->not_here; i += 2) {
			put_key(w, map_key(n, i), depth + 1, !i);
			put_value(w, n->items[i + 1], depth + 1);
		}
		newline(w, depth);
		strbuf_addch(w->out, '}');
		return;
	}
	strbuf_addstr(w->out, "null");
}

static void put_int(struct jw *w, long long v)
{
	strbuf_addf(w->out, "%lld", v);
}

static void put_extra(struct jw *w, const struct psm_issue *issue)
{
	size_t i, j, n = 0;

	for (i = 0; i < issue->n; i++) {
		const char *k = issue->entries[i].key;

		if (psm_key_rank(k) >= 0)
			continue;
		for (j = 0; j < i; j++)
			if (!strcmp(issue->entries[j].key, k))
				w->not_here = 1;
		put_key(w, k, 2, !n++);
		put_value(w, issue->entries[i].value, 2);
	}
	if (n)
		newline(w, 1);
	strbuf_addch(w->out, '}');
}

static void put_issue(struct jw *w, const struct psm_issue *issue, size_t abbrev)
{
	const char *id = psm_issue_get(issue, "id");
	size_t i;

	strbuf_addstr(w->out, "  {");
	for (i = 0; psm_known_keys[i] && !w->not_here; i++) {
		const char *k = psm_known_keys[i];
		const struct psm_node *n = psm_issue_node(issue, k);

		put_key(w, k, 1, !i);
		if (!strcmp(k, "reopened")) {
			const char *s = psm_node_str(n);

			put_int(w, s ? strtoll(s, NULL, 10) : 0);
		} else if (render_list_key(k) && (!n || psm_node_is_null(n))) {
			strbuf_addstr(w->out, "[]");
		} else {
			put_value(w, n, 1);
		}
	}
	put_key(w, "short_id", 1, 0);
	if (id)
		put_str(w, id, abbrev < strlen(id) ? abbrev : strlen(id));
	else
		strbuf_addstr(w->out, "null");
	put_key(w, "reporter_count", 1, 0);
	put_int(w, (long long)psm_issue_reporter_count(issue));
	put_key(w, "path", 1, 0);
	if (issue->path)
		put_str(w, issue->path, strlen(issue->path));
	else
		strbuf_addstr(w->out, "null");
	put_key(w, "body", 1, 0);
	put_str(w, issue->body.buf, issue->body.len);
	put_key(w, "extra", 1, 0);
	strbuf_addch(w->out, '{');
	put_extra(w, issue);
	newline(w, 0);
	strbuf_addch(w->out, '}');
}

int psm_issue_json_text(struct strbuf *out, const struct psm_issue *issue, size_t abbrev)
{
	struct strbuf raw = STRBUF_INIT;
	struct jw w = { &raw, 0 };
	int r;

	put_issue(&w, issue, abbrev);
	if (raw.oom)
		r = psm_oom();
	else if (w.not_here)
		r = NOT_HERE;
	else
		r = psm_json_make_safe(out, raw.buf, raw.len);
	strbuf_release(&raw);
	return r;
}

/* A member the issue's object has already: jansson would replace it. */
static int own_member(const char *k)
{
	return psm_key_rank(k) >= 0 || !strcmp(k, "short_id") || !strcmp(k, "reporter_count") ||
	       !strcmp(k, "path") || !strcmp(k, "body") || !strcmp(k, "extra");
}

int psm_issue_json_text_with(struct strbuf *out, const struct psm_issue *issue, size_t abbrev,
			     json_t *more, size_t flags)
{
	/* the flags that leave the issue's own members as the writer writes them */
	const size_t same = 0x1F | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(31);
	struct strbuf text = STRBUF_INIT, safe = STRBUF_INIT;
	const char *k, *p, *nl;
	char *dump = NULL;
	json_t *v;
	int r;

	if (!json_is_object(more) || (flags & ~same) || (flags & 0x1F) != 2)
		return NOT_HERE;
	json_object_foreach(more, k, v)
		if (own_member(k))
			return NOT_HERE;
	if ((r = psm_issue_json_text(&text, issue, abbrev)) != 0)
		goto out;
	if (!(dump = json_dumps(more, flags)) || psm_json_make_safe(&safe, dump, strlen(dump)) < 0) {
		r = psm_oom();
		goto out;
	}
	/* the text ends "\n  }"; more's members, one level in, go before it */
	if (safe.len < 4 || text.len < 4 || memcmp(text.buf + text.len - 4, "\n  }", 4)) {
		r = NOT_HERE;
		goto out;
	}
	if (!strcmp(safe.buf, "{}")) {
		strbuf_addbuf(out, &text);
	} else {
		strbuf_add(out, text.buf, text.len - 4);
		strbuf_addch(out, ',');
		/* between "{\n" and "\n}": every line two spaces further in */
		safe.buf[safe.len - 2] = '\0';
		for (p = safe.buf + 2; p; p = nl ? nl + 1 : NULL) {
			nl = strchr(p, '\n');
			strbuf_addstr(out, "\n  ");
			strbuf_add(out, p, nl ? (size_t)(nl - p) : strlen(p));
		}
		strbuf_addstr(out, "\n  }");
	}
	r = out->oom ? psm_oom() : 0;
out:
	free(dump);
	strbuf_release(&text);
	strbuf_release(&safe);
	return r;
}
