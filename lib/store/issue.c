#include "psm/issue.h"

#include <stdlib.h>
#include <string.h>

#include "psm/error.h"
#include "psm/conflict.h"
#include "psm/grow.h"
#include "psm/time.h"
#include "psm/utf8.h"

/* Order of keys in a file; later features append theirs before `release`. */
const char *const psm_known_keys[] = {
	"id", "title", "status", "type", "impact", "response", "labels", "owner",
	"customer", "source", "external_id", "reporters", "created", "updated", "triaged",
	"responded", "closed", "first_closed", "reopened", "resolution",
	"duplicate_of", "parked_until", "followup", "followups", "ratings", "churn_reason",
	"customer_replied", "release", NULL
};
_Static_assert(sizeof(psm_known_keys) / sizeof(*psm_known_keys) == PSM_NKNOWN_KEYS + 1,
	       "PSM_NKNOWN_KEYS is the number of psm_known_keys");

int psm_key_rank(const char *key)
{
	int i;

	/* the first character first: asked for every key of every issue a
	 * listing writes */
	for (i = 0; psm_known_keys[i]; i++)
		if (psm_known_keys[i][0] == key[0] && !strcmp(psm_known_keys[i], key))
			return i;
	return -1;
}

struct psm_issue *psm_issue_new(void)
{
	struct psm_issue *issue = calloc(1, sizeof(*issue));

	if (!issue)
		return NULL;
	strbuf_init(&issue->preamble, 0);
	strbuf_init(&issue->trailer, 0);
	strbuf_init(&issue->body, 0);
	return issue;
}

static void entry_release(struct psm_entry *e)
{
	free(e->key);
	psm_node_free(e->value);
	strbuf_release(&e->lead);
	strbuf_release(&e->raw);
}

void psm_issue_free(struct psm_issue *issue)
{
	size_t i;

	if (!issue)
		return;
	for (i = 0; i < issue->n; i++)
		entry_release(&issue->entries[i]);
	free(issue->entries);
	strbuf_release(&issue->preamble);
	strbuf_release(&issue->trailer);
	strbuf_release(&issue->body);
	free(issue->path);
	free(issue);
}

/* Insert an entry at position pos, taking ownership of key and value. */
static int insert_entry(struct psm_issue *issue, size_t pos, char *key, struct psm_node *value)
{
	struct psm_entry *e;

	if (issue->n == issue->alloc) {
		struct psm_entry *ne = psm_grow(issue->entries, issue->n, &issue->alloc, sizeof(*ne), 24);

		if (!ne)
			goto oom;
		issue->entries = ne;
	}
	memmove(issue->entries + pos + 1, issue->entries + pos,
		(issue->n - pos) * sizeof(*issue->entries));
	e = &issue->entries[pos];
	memset(e, 0, sizeof(*e));
	e->key = key;
	e->value = value;
	strbuf_init(&e->lead, 0);
	strbuf_init(&e->raw, 0);
	issue->n++;
	return 0;
oom:
	free(key);
	psm_node_free(value);
	return psm_oom();
}

/* Find the closing "---" (or "...") line; returns its offset or -1. */
static long find_fence(const char *text, size_t len, size_t from)
{
	size_t p = from;

	while (p < len) {
		const char *nl = memchr(text + p, '\n', len - p);
		size_t end = nl ? (size_t)(nl - text) : len;
		size_t l = end - p;

		if (l && text[end - 1] == '\r')
			l--;
		if (l == 3 && (!memcmp(text + p, "---", 3) || !memcmp(text + p, "...", 3)))
			return (long)p;
		p = end + 1;
	}
	return -1;
}

/* Offset of the start of (0-based) line `line` within text, or len. */
static size_t line_offset(const char *text, size_t len, size_t *cursor, int *cur_line, int line)
{
	while (*cur_line < line && *cursor < len) {
		const char *nl = memchr(text + *cursor, '\n', len - *cursor);

		*cursor = nl ? (size_t)(nl - text) + 1 : len;
		(*cur_line)++;
	}
	return *cursor;
}

/*
 * Where the comment and blank lines at the end of chunk [start, end) begin:
 * they belong above the next key, not to this value, so they survive when
 * this value is rewritten or removed. Only whole lines from `from` on (the
 * line after the value's text ends) count, and only with '#' at column 1:
 * anything else may be the value's own text.
 */
static size_t trailing_comments(const char *text, size_t from, size_t end)
{
	size_t keep = end, p = end;

	while (p > from) {
		size_t ls = p - 1, i;
		int blank = 1;

		while (ls > from && text[ls - 1] != '\n')
			ls--;
		for (i = ls; i < p && blank; i++)
			blank = text[i] == ' ' || text[i] == '\t' || text[i] == '\r' ||
				text[i] == '\n';
		if (!blank && text[ls] != '#')
			break;
		keep = p = ls;
	}
	return keep;
}

/* Offset after n more line breaks from start, at most end. */
static size_t after_lines(const char *text, size_t start, size_t end, int n)
{
	while (n-- > 0 && start < end) {
		const char *nl = memchr(text + start, '\n', end - start);

		start = nl ? (size_t)(nl - text) + 1 : end;
	}
	return start;
}

/*
 * Split the YAML text into per-key raw chunks. Block mappings put each
 * top-level key at the start of its own line; anything else (flow style,
 * two keys on a line) is kept parsed but marked dirty, to be rewritten.
 */
static int split_entries(struct psm_issue *issue, struct psm_node *root,
			 const char *yaml, size_t len)
{
	struct strbuf pending = STRBUF_INIT; /* comments for the next key's lead */
	size_t i, cursor = 0, start, vend;
	int cur = 0, prev_line = -1, rewrite = 0, r = 0;

	for (i = 0; i + 1 < root->n; i += 2) {
		int line = root->items[i]->line - 2; /* file line 2 is YAML line 0 */

		if (root->items[i]->col != 1 || line <= prev_line)
			rewrite = 1;
		prev_line = line;
	}
	/* the size the file needs, plus room for a few keys a command adds */
	if (!issue->alloc && root->n) {
		if (!(issue->entries = malloc((root->n / 2 + 4) * sizeof(*issue->entries))))
			return psm_oom();
		issue->alloc = root->n / 2 + 4;
	}
	if (!rewrite && root->n)
		strbuf_add(&issue->preamble, yaml,
			   line_offset(yaml, len, &cursor, &cur, root->items[0]->line - 2));
	for (i = 0; i + 1 < root->n; i += 2) {
		char *key = root->items[i]->str;
		struct psm_node *value = root->items[i + 1];
		struct psm_entry *e;

		root->items[i]->str = NULL;
		root->items[i + 1] = NULL;
		if ((r = insert_entry(issue, issue->n, key, value)) < 0)
			goto out;
		e = &issue->entries[issue->n - 1];
		if (rewrite) {
			e->dirty = 1;
			continue;
		}
		strbuf_addbuf(&e->lead, &pending);
		strbuf_reset(&pending);
		start = cursor;
		if (i + 2 < root->n)
			line_offset(yaml, len, &cursor, &cur, root->items[i + 2]->line - 2);
		else
			cursor = len;
		vend = trailing_comments(yaml, after_lines(yaml, start, cursor,
							   value->end_line > root->items[i]->line ?
							   value->end_line - root->items[i]->line + 1 : 1),
					 cursor);
		strbuf_add(&e->raw, yaml + start, vend - start);
		if (e->raw.len && e->raw.buf[e->raw.len - 1] != '\n')
			strbuf_addch(&e->raw, '\n');
		strbuf_add(i + 2 < root->n ? &pending : &issue->trailer, yaml + vend, cursor - vend);
		if (e->raw.oom || e->lead.oom) {
			r = psm_oom();
			goto out;
		}
	}
	if (issue->preamble.oom || issue->trailer.oom || pending.oom)
		r = psm_oom();
out:
	strbuf_release(&pending);
	return r;
}

/*
 * YAML also breaks lines at a lone CR, NEL and LS/PS; psm splits entries and
 * keeps comments by LF, so such a "line" would be read by one and not the
 * other (a key hidden in a kept comment comes back as a duplicate). psm
 * never writes them raw (the emitter escapes them): refuse them. Returns
 * the 1-based line (by LF) of the first one, or 0.
 */
static int odd_line_break(const char *s, size_t len)
{
	size_t i;
	int line = 1;

	for (i = 0; i < len; i++) {
		if (s[i] == '\n')
			line++;
		else if ((s[i] == '\r' && (i + 1 == len || s[i + 1] != '\n')) ||
			 (s[i] == '\xc2' && i + 1 < len && s[i + 1] == '\x85') ||
			 (s[i] == '\xe2' && i + 2 < len && s[i + 1] == '\x80' &&
			  (s[i + 2] == '\xa8' || s[i + 2] == '\xa9')))
			return line;
	}
	return 0;
}

int psm_issue_parse(struct psm_issue **out, const char *text, size_t len,
		    struct psm_yaml_error *err)
{
	struct psm_issue *issue = NULL;
	struct psm_node *root = NULL;
	size_t ystart;
	long fence;
	int r;

	*out = NULL;
	err->line = 1;
	err->col = 1;
	if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3)) {
		strbuf_addstr(&err->msg, "byte order mark before front matter");
		return psm_error(PSM_EPARSE, "1:1: byte order mark before front matter");
	}
	if (len < 4 || memcmp(text, "---", 3) || (text[3] != '\n' && text[3] != '\r')) {
		strbuf_reset(&err->msg);
		strbuf_addstr(&err->msg, "missing front matter: the file must start with a '---' line");
		return psm_error(PSM_EPARSE, "1:1: %s", err->msg.buf);
	}
	if (text[3] == '\r' && (len < 5 || text[4] != '\n')) {
		strbuf_reset(&err->msg);
		strbuf_addstr(&err->msg, "a line break other than LF or CRLF (a lone CR) after the first '---'");
		err->col = 4;
		return psm_error(PSM_EPARSE, "1:4: %s", err->msg.buf);
	}
	ystart = text[3] == '\r' ? 5 : 4;
	fence = find_fence(text, len, ystart);
	if (fence < 0) {
		strbuf_reset(&err->msg);
		strbuf_addstr(&err->msg, "front matter is not closed by a '---' line");
		return psm_error(PSM_EPARSE, "1:1: %s", err->msg.buf);
	}
	/* a merge left both sides of a field (merge.h): say so, not a YAML error */
	if ((err->line = psm_conflict_block_line(text + ystart, (size_t)fence - ystart))) {
		err->line += 1;
		strbuf_reset(&err->msg);
		strbuf_addstr(&err->msg, "unresolved merge conflict: keep one side and delete the "
			      "'<<<<<<<', '=======' and '>>>>>>>' lines");
		return psm_error(PSM_EPARSE, "%d:1: %s", err->line, err->msg.buf);
	}
	if ((err->line = odd_line_break(text + ystart, (size_t)fence - ystart))) {
		err->line += 1;
		strbuf_reset(&err->msg);
		strbuf_addstr(&err->msg, "a line break other than LF or CRLF (a lone CR, U+0085, "
			      "U+2028 or U+2029) in the front matter");
		return psm_error(PSM_EPARSE, "%d:1: %s", err->line, err->msg.buf);
	}
	if ((r = psm_yaml_load(&root, text + ystart, (size_t)fence - ystart, 2, err)) < 0)
		return r;
	if (root->kind != PSM_MAP) {
		err->line = root->line;
		err->col = root->col;
		strbuf_reset(&err->msg);
		strbuf_addstr(&err->msg, "front matter must be a mapping of keys to values");
		r = psm_error(PSM_EPARSE, "%d:%d: %s", err->line, err->col, err->msg.buf);
		goto out;
	}
	if (!(issue = psm_issue_new())) {
		r = psm_oom();
		goto out;
	}
	if ((r = split_entries(issue, root, text + ystart, (size_t)fence - ystart)) < 0)
		goto out;
	issue->crlf = text[3] == '\r';
	{
		const char *nl = memchr(text + fence, '\n', len - (size_t)fence);
		size_t bstart = nl ? (size_t)(nl - text) + 1 : len;
		size_t i;

		issue->body_line = 1;
		for (i = 0; i < bstart; i++)
			issue->body_line += text[i] == '\n';
		strbuf_add(&issue->body, text + bstart, len - bstart);
	}
	psm_time_parse(psm_issue_get(issue, "created"), &issue->sort_created);
	if (issue->body.oom) {
		r = psm_oom();
		goto out;
	}
	*out = issue;
	issue = NULL;
out:
	psm_node_free(root);
	psm_issue_free(issue);
	return r;
}

/* Can every string in n be written as YAML (well-formed UTF-8)? */
static int node_utf8_valid(const struct psm_node *n)
{
	size_t i;

	if (n->kind == PSM_SCALAR)
		return psm_utf8_valid(n->str, n->len);
	for (i = 0; i < n->n; i++)
		if (!node_utf8_valid(n->items[i]))
			return 0;
	return 1;
}

/*
 * The comments and blank lines kept between entries (lead, trailer). Their
 * indent suited the entry above as the file had it; after an entry psm
 * rewrote, or with the one above removed, an indent holding a tab can make
 * YAML refuse the value above ("a tab character that violates
 * indentation"), so such a line loses its indent (a comment or a blank
 * line reads the same at column 1).
 */
static void add_between(struct strbuf *out, const struct strbuf *text)
{
	const char *p = text->buf, *end = text->buf + text->len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *next = nl ? nl + 1 : end;
		size_t indent = strspn(p, " \t");

		if (memchr(p, '\t', indent))
			p += indent;
		strbuf_add(out, p, (size_t)(next - p));
		p = next;
	}
}

/*
 * A file written with CRLF line ends (an editor's or git's core.autocrlf
 * on Windows) keeps them: the lines psm writes (the fences, the entries
 * it emits, what it adds to the body) get a CR too, rather than leaving
 * the file with both kinds. Every LF from start on without a CR before it.
 */
static void to_crlf(struct strbuf *out, size_t start)
{
	struct strbuf tmp = STRBUF_INIT;
	size_t i;

	for (i = start; i < out->len; i++) {
		if (out->buf[i] == '\n' && (i == start || out->buf[i - 1] != '\r'))
			strbuf_addch(&tmp, '\r');
		strbuf_addch(&tmp, out->buf[i]);
	}
	if (tmp.oom) {
		out->oom = 1;
	} else {
		strbuf_setlen(out, start);
		strbuf_addbuf(out, &tmp);
	}
	strbuf_release(&tmp);
}

int psm_issue_format(struct strbuf *out, const struct psm_issue *issue)
{
	size_t i, start = out->len;

	/* never write a file no YAML reader (psm included) could read back */
	for (i = 0; i < issue->n; i++)
		if (issue->entries[i].dirty && (!node_utf8_valid(issue->entries[i].value) ||
		    !psm_utf8_valid(issue->entries[i].key, strlen(issue->entries[i].key))))
			return psm_error(PSM_EINVALID, "'%s' is not valid UTF-8 text",
					 issue->entries[i].key);

	strbuf_addstr(out, "---\n");
	strbuf_addbuf(out, &issue->preamble);
	for (i = 0; i < issue->n; i++) {
		const struct psm_entry *e = &issue->entries[i];

		add_between(out, &e->lead);
		if (e->dirty)
			psm_node_emit_entry(out, e->key, e->value);
		else
			strbuf_addbuf(out, &e->raw);
	}
	add_between(out, &issue->trailer);
	strbuf_addstr(out, "---\n");
	strbuf_addbuf(out, &issue->body);
	if (issue->crlf && !out->oom)
		to_crlf(out, start);
	return out->oom ? psm_oom() : 0;
}

struct psm_entry *psm_issue_entry(const struct psm_issue *issue, const char *key)
{
	size_t i;

	/* the first character first: a read command looks up a dozen keys of
	 * every issue, and most keys differ there */
	for (i = 0; i < issue->n; i++)
		if (issue->entries[i].key[0] == key[0] && !strcmp(issue->entries[i].key, key))
			return &issue->entries[i];
	return NULL;
}

const struct psm_node *psm_issue_node(const struct psm_issue *issue, const char *key)
{
	struct psm_entry *e = psm_issue_entry(issue, key);

	return e ? e->value : NULL;
}

const char *psm_issue_get(const struct psm_issue *issue, const char *key)
{
	return psm_node_str(psm_issue_node(issue, key));
}

/* Where a new key goes: before the first present key that sorts after it. */
static size_t insert_pos(const struct psm_issue *issue, const char *key)
{
	int rank = psm_key_rank(key);
	size_t i, pos = issue->n;

	if (rank < 0)
		return issue->n;
	for (i = issue->n; i-- > 0;) {
		int r = psm_key_rank(issue->entries[i].key);

		if (r >= 0 && r > rank)
			pos = i;
		else if (r >= 0)
			break;
	}
	return pos;
}

int psm_issue_set_node(struct psm_issue *issue, const char *key, struct psm_node *value)
{
	struct psm_entry *e = psm_issue_entry(issue, key);
	size_t pos;
	char *k;

	if (e) {
		size_t i = (size_t)(e - issue->entries);

		if (!value) {
			/* the comments above the key stay, above whatever follows */
			struct strbuf *next = i + 1 < issue->n ? &issue->entries[i + 1].lead
							       : &issue->trailer;

			if (e->lead.len) {
				struct strbuf tmp;

				if (strbuf_addbuf(&e->lead, next) < 0)
					return psm_oom();
				tmp = *next;
				*next = e->lead;
				e->lead = tmp; /* freed with the entry */
			}
			entry_release(e);
			memmove(e, e + 1, (issue->n - i - 1) * sizeof(*e));
			issue->n--;
			return 0;
		}
		if (psm_node_equal(e->value, value) && e->value->kind == value->kind) {
			psm_node_free(value);
			return 0;
		}
		psm_node_free(e->value);
		e->value = value;
		e->dirty = 1;
		strbuf_release(&e->raw);
		return 0;
	}
	if (!value)
		return 0;
	if (!(k = psm_strdup(key))) {
		psm_node_free(value);
		return psm_oom();
	}
	pos = insert_pos(issue, key);
	if (insert_entry(issue, pos, k, value) < 0)
		return PSM_ENOMEM;
	issue->entries[pos].dirty = 1;
	return 0;
}

int psm_issue_set(struct psm_issue *issue, const char *key, const char *value)
{
	struct psm_node *v = NULL;

	if (value && !(v = psm_node_scalar(value)))
		return psm_oom();
	if (!strcmp(key, "created"))
		psm_time_parse(value, &issue->sort_created);
	return psm_issue_set_node(issue, key, v);
}

size_t psm_issue_count(const struct psm_issue *issue, const char *key)
{
	const struct psm_node *n = psm_issue_node(issue, key);

	return n && n->kind == PSM_SEQ ? n->n : 0;
}

int psm_issue_list_has(const struct psm_issue *issue, const char *key, const char *value)
{
	const struct psm_node *n = psm_issue_node(issue, key);
	size_t i;

	if (!n || n->kind != PSM_SEQ)
		return 0;
	for (i = 0; i < n->n; i++)
		if (psm_streq(psm_node_str(n->items[i]), value))
			return 1;
	return 0;
}

static int cmp_nodes(const void *a, const void *b)
{
	const struct psm_node *x = *(const struct psm_node *const *)a;
	const struct psm_node *y = *(const struct psm_node *const *)b;

	return strcmp(x->str ? x->str : "", y->str ? y->str : "");
}

/* Rebuild the list as a new node so that the entry is re-emitted. */
static int list_edit(struct psm_issue *issue, const char *key, const char *value, int add)
{
	const struct psm_node *old = psm_issue_node(issue, key);
	struct psm_node *n;
	size_t i;
	int has = psm_issue_list_has(issue, key, value);

	if (old && old->kind != PSM_SEQ && !psm_node_is_null(old))
		return psm_error(PSM_EINVALID, "'%s' is not a list", key);
	if (has == add)
		return 0;
	if (!(n = psm_node_new(PSM_SEQ)))
		return psm_oom();
	for (i = 0; old && old->kind == PSM_SEQ && i < old->n; i++) {
		if (!add && psm_streq(psm_node_str(old->items[i]), value))
			continue;
		if (psm_node_push(n, psm_node_dup(old->items[i])) < 0)
			goto oom;
	}
	if (add && psm_node_push(n, psm_node_scalar(value)) < 0)
		goto oom;
	if (n->n) /* qsort's base must not be NULL, even for no items */
		qsort(n->items, n->n, sizeof(*n->items), cmp_nodes);
	if (!n->n) {
		psm_node_free(n);
		n = NULL;
	}
	if (psm_issue_set_node(issue, key, n) < 0)
		return PSM_ENOMEM;
	return 1;
oom:
	psm_node_free(n);
	return psm_oom();
}

int psm_issue_list_add(struct psm_issue *issue, const char *key, const char *value)
{
	return list_edit(issue, key, value, 1);
}

int psm_issue_list_remove(struct psm_issue *issue, const char *key, const char *value)
{
	return list_edit(issue, key, value, 0);
}
