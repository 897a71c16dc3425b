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

/* The writer appends to out itself: what psm_json_make_safe() would
 * escape in the dump is escaped as it is written, in put_str(). */
struct jw {
	struct strbuf *out;
	int not_here;
};

/* Appending, with room at hand done here: a text is many short pieces. */
static inline void add(struct jw *w, const char *s, size_t n)
{
	struct strbuf *b = w->out;

	if (b->alloc - b->len > n) {
		memcpy(b->buf + b->len, s, n);
		b->len += n;
		b->buf[b->len] = '\0';
	} else {
		strbuf_add(b, s, n);
	}
}

static inline void addch(struct jw *w, char c)
{
	add(w, &c, 1);
}

#define ADD_LIT(w, lit) add((w), (lit), sizeof(lit) - 1)

/* A line break and the indent of a line at depth (the object's own
 * braces are at 0): two spaces a level, and two more for the listing. */
static void newline(struct jw *w, size_t depth)
{
	static const char nl[] = "\n                                        ";

	if (2 * depth + 3 <= sizeof(nl) - 1) {
		add(w, nl, 2 * depth + 3);
	} else {
		addch(w, '\n');
		strbuf_addchars(w->out, ' ', 2 * depth + 2);
	}
}

/* A string as jansson dumps it, made safe as psm_json_make_safe() makes
 * it: valid UTF-8 only (else jansson's). */
static void put_str(struct jw *w, const char *s, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i = 0;

	addch(w, '"');
	while (i < len) {
		size_t run = i, n;
		unsigned cp;
		char esc[6];

		while (run < len && (unsigned char)s[run] >= 0x20 && (unsigned char)s[run] < 0x7f &&
		       s[run] != '"' && s[run] != '\\')
			run++;
		add(w, s + i, run - i);
		if ((i = run) >= len)
			break;
		if ((unsigned char)s[i] >= 0x7f) {
			if (s[i] != 0x7f && !psm_utf8_decode(s + i, len - i, &cp)) {
				w->not_here = 1;
				return;
			}
			if ((cp = psm_json_unsafe_at((const unsigned char *)s + i, len - i, &n))) {
				esc[0] = '\\';
				esc[1] = 'u';
				esc[2] = hex[cp >> 12 & 15];
				esc[3] = hex[cp >> 8 & 15];
				esc[4] = hex[cp >> 4 & 15];
				esc[5] = hex[cp & 15];
				add(w, esc, 6);
			} else {
				n = psm_utf8_decode(s + i, len - i, &cp);
				add(w, s + i, n);
			}
			i += n;
			continue;
		}
		switch (s[i]) {
		case '"': ADD_LIT(w, "\\\""); break;
		case '\\': ADD_LIT(w, "\\\\"); break;
		case '\b': ADD_LIT(w, "\\b"); break;
		case '\f': ADD_LIT(w, "\\f"); break;
		case '\n': ADD_LIT(w, "\\n"); break;
		case '\r': ADD_LIT(w, "\\r"); break;
		case '\t': ADD_LIT(w, "\\t"); break;
		default:
			esc[0] = '\\';
			esc[1] = 'u';
			esc[2] = '0';
			esc[3] = '0';
			esc[4] = hex[(unsigned char)s[i] >> 4];
			esc[5] = hex[s[i] & 15];
			add(w, esc, 6);
		}
		i++;
	}
	addch(w, '"');
}

/* A member's key on a line of its own at depth. */
static void put_key(struct jw *w, const char *k, size_t depth, int first)
{
	if (!first)
		addch(w, ',');
	newline(w, depth);
	put_str(w, k, strlen(k));
	ADD_LIT(w, ": ");
}

/* One of psm_known_keys: plain ASCII, nothing to escape. */
static void put_known_key(struct jw *w, const char *k, size_t depth, int first)
{
	if (!first)
		addch(w, ',');
	newline(w, depth);
	addch(w, '"');
	add(w, k, strlen(k));
	ADD_LIT(w, "\": ");
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
		ADD_LIT(w, "null");
		return;
	}
	switch (n->kind) {
	case PSM_SCALAR:
		put_str(w, n->str, n->len);
		return;
	case PSM_SEQ:
		if (!n->n) {
			ADD_LIT(w, "[]");
			return;
		}
		addch(w, '[');
		for (i = 0; i < n->n && !w->not_here; i++) {
			if (i)
				addch(w, ',');
			newline(w, depth + 1);
			put_value(w, n->items[i], depth + 1);
		}
		newline(w, depth);
		addch(w, ']');
		return;
	case PSM_MAP:
		if (n->n < 2) {
			ADD_LIT(w, "{}");
			return;
		}
		/* a key twice: jansson keeps the first place and the last value */
		for (i = 0; i + 1 < n->n; i += 2)
			for (j = 0; j < i; j += 2)
				if (!strcmp(map_key(n, i), map_key(n, j)))
					w->not_here = 1;
		addch(w, '{');
		for (i = 0; i + 1 < n->n && !w->not_here; i += 2) {
			put_key(w, map_key(n, i), depth + 1, !i);
			put_value(w, n->items[i + 1], depth + 1);
		}
		newline(w, depth);
		addch(w, '}');
		return;
	}
	ADD_LIT(w, "null");
}

static void put_int(struct jw *w, long long v)
{
	strbuf_addf(w->out, "%lld", v);
}

static void put_extra(struct jw *w, const struct psm_issue *issue, size_t unknown)
{
	size_t i, j, n = 0;

	for (i = 0; i < issue->n && n < unknown; i++) {
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
	addch(w, '}');
}

static void put_issue(struct jw *w, const struct psm_issue *issue, size_t abbrev)
{
	/* each known key's value as psm_issue_node() finds it: the first */
	const struct psm_node *known[PSM_NKNOWN_KEYS];
	unsigned char have[PSM_NKNOWN_KEYS] = { 0 };
	const char *id;
	size_t i, unknown = 0;

	for (i = 0; i < issue->n; i++) {
		int r = psm_key_rank(issue->entries[i].key);

		if (r < 0) {
			unknown++;
		} else if (!have[r]) {
			have[r] = 1;
			known[r] = issue->entries[i].value;
		}
	}
	for (i = 0; i < PSM_NKNOWN_KEYS; i++)
		if (!have[i])
			known[i] = NULL;
	id = psm_node_str(known[0]); /* psm_known_keys[0] is "id" */
	ADD_LIT(w, "  {");
	for (i = 0; psm_known_keys[i] && !w->not_here; i++) {
		const char *k = psm_known_keys[i];
		const struct psm_node *n = known[i];

		put_known_key(w, k, 1, !i);
		if (k[0] == 'r' && !strcmp(k, "reopened")) {
			const char *s = psm_node_str(n);

			put_int(w, s ? strtoll(s, NULL, 10) : 0);
		} else if ((!n || psm_node_is_null(n)) && render_list_key(k)) {
			ADD_LIT(w, "[]");
		} else {
			put_value(w, n, 1);
		}
	}
	put_known_key(w, "short_id", 1, 0);
	if (id)
		put_str(w, id, abbrev < strlen(id) ? abbrev : strlen(id));
	else
		ADD_LIT(w, "null");
	put_known_key(w, "reporter_count", 1, 0);
	put_int(w, (long long)psm_issue_reporter_count(issue));
	put_known_key(w, "path", 1, 0);
	if (issue->path)
		put_str(w, issue->path, strlen(issue->path));
	else
		ADD_LIT(w, "null");
	put_known_key(w, "body", 1, 0);
	put_str(w, issue->body.buf, issue->body.len);
	put_known_key(w, "extra", 1, 0);
	addch(w, '{');
	put_extra(w, issue, unknown);
	newline(w, 0);
	addch(w, '}');
}

int psm_issue_json_text(struct strbuf *out, const struct psm_issue *issue, size_t abbrev)
{
	struct jw w = { out, 0 };
	size_t start = out->len;

	if (out->oom)
		return psm_oom();
	put_issue(&w, issue, abbrev);
	if (out->oom)
		return psm_oom();
	if (w.not_here) {
		strbuf_setlen(out, start);
		return NOT_HERE;
	}
	return 0;
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
