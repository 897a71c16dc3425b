/* Candidates from the store: issue IDs, labels, config values, search terms. */
#include <string.h>
#include <strings.h>

#include "complete.h"
#include "psm/error.h"
#include "psm/people.h"
#include "psm/query.h"
#include "psm/render.h"

/* Up to this many IDs are listed, with titles (a YAML parse each); a
 * prefix of two characters matches about 100 at 100,000 issues. Past it,
 * a shorter prefix gets the next character instead, as a path gets the
 * next folder: what a person can pick from, in a few milliseconds. */
#define COMP_IDS 200

/* Safe on a terminal and one line: exactly what psm_sanitize leaves alone. */
static int safe_word(const char *w)
{
	struct strbuf sb = STRBUF_INIT;
	size_t n = strlen(w), i;
	int ok = 1;

	for (i = 0; i < n; i++)
		if ((unsigned char)w[i] < 0x20 || w[i] == 0x7f)
			return 0;
	if (psm_sanitize(&sb, w, n, 0) < 0 || sb.oom || strcmp(sb.buf, w))
		ok = 0;
	strbuf_release(&sb);
	return ok;
}

void comp_add(struct comp *c, const char *pre, const char *word, const char *desc)
{
	struct strbuf full = STRBUF_INIT, d = STRBUF_INIT;

	strbuf_addstr(&full, pre);
	strbuf_addstr(&full, word);
	if (!full.oom && full.len && !strncasecmp(full.buf, c->cur, strlen(c->cur)) &&
	    safe_word(full.buf)) {
		fputs(full.buf, stdout);
		if (c->descriptions && desc && *desc &&
		    psm_sanitize(&d, desc, strlen(desc), 0) >= 0 && !d.oom && d.len)
			printf("\t%s", d.buf);
		putchar('\n');
	}
	strbuf_release(&full);
	strbuf_release(&d);
}

struct psm_store *comp_store(struct comp *c)
{
	if (!c->store_tried) {
		c->store_tried = 1;
		if (psm_store_open(&c->store, ".") < 0)
			c->store = NULL;
		psm_error_clear();
	}
	return c->store;
}

static size_t common_prefix(const char *a, const char *b)
{
	size_t i = 0;

	while (a[i] && a[i] == b[i])
		i++;
	return i;
}

/* More than COMP_IDS issues start with prefix (shorter than a shard's
 * name): offer the shards' names, cut one character past the prefix. */
static void add_next_chars(struct comp *c, const char *pre, const char *prefix)
{
	struct psm_node *shards = psm_node_new(PSM_SEQ);
	size_t len = strlen(prefix), i;
	char next[3] = { 0, 0, 0 };

	if (shards && psm_store_shards(shards, c->store) >= 0) {
		for (i = 0; i < shards->n; i++) {
			const char *sh = shards->items[i]->str;

			if (strncasecmp(sh, prefix, len) || !strncmp(next, sh, len + 1))
				continue;
			memcpy(next, sh, len + 1);
			comp_add(c, pre, next, NULL);
		}
		c->directives |= COMP_NOSPACE;
	}
	psm_node_free(shards);
}

void comp_ids(struct comp *c, const char *pre, const char *prefix)
{
	struct psm_store *s = comp_store(c);
	struct psm_node *ids = psm_node_new(PSM_SEQ);
	struct strbuf word = STRBUF_INIT;
	size_t i;
	int r;

	if (!s || !ids || (r = psm_store_list_ids(ids, s, prefix, COMP_IDS)) < 0)
		goto out;
	if (r == 1) {
		add_next_chars(c, pre, prefix);
		goto out;
	}
	for (i = 0; i < ids->n; i++) {
		const char *id = ids->items[i]->str;
		/* unique among all IDs: those without the prefix differ within it */
		size_t len = PSM_SHORT_ID_LEN, l;
		struct psm_issue *issue = NULL;

		if (i > 0 && (l = common_prefix(id, ids->items[i - 1]->str) + 1) > len)
			len = l;
		if (i + 1 < ids->n && (l = common_prefix(id, ids->items[i + 1]->str) + 1) > len)
			len = l;
		if (strlen(prefix) > len)
			len = strlen(prefix);
		if (len > PSM_ID_LEN)
			len = PSM_ID_LEN;
		strbuf_reset(&word);
		strbuf_add(&word, id, len);
		if (c->descriptions && ids->n <= COMP_IDS && psm_store_load(&issue, s, id) < 0)
			issue = NULL;
		comp_add(c, pre, word.buf, issue ? psm_issue_get(issue, "title") : NULL);
		psm_issue_free(issue);
	}
out:
	psm_error_clear();
	psm_node_free(ids);
	strbuf_release(&word);
}

static void add_list(struct comp *c, const char *pre, const struct psm_node *list)
{
	size_t i;

	for (i = 0; list && list->kind == PSM_SEQ && i < list->n; i++)
		if (psm_node_str(list->items[i]))
			comp_add(c, pre, list->items[i]->str, NULL);
}

/* Add the labels of list to the seq set, once each. */
static void gather(struct psm_node *set, const struct psm_node *list)
{
	size_t i, j;

	for (i = 0; list && list->kind == PSM_SEQ && i < list->n; i++) {
		const char *l = psm_node_str(list->items[i]);

		for (j = 0; l && j < set->n && strcmp(set->items[j]->str, l); j++)
			;
		if (l && j == set->n && psm_node_push(set, psm_node_scalar(l)) < 0)
			return;
	}
}

void comp_labels(struct comp *c, const char *pre, int sign)
{
	struct psm_store *s = comp_store(c);
	struct psm_node *labels = psm_node_new(PSM_SEQ);
	struct strbuf id = STRBUF_INIT;
	int i, named = 0;

	if (!s || !labels)
		goto out;
	for (i = 0; sign == '-' && i < c->nnamed; i++) {
		struct psm_issue *issue = NULL;

		strbuf_reset(&id);
		if (psm_store_resolve(&id, s, c->named[i]) < 0 ||
		    psm_store_load(&issue, s, id.buf) < 0)
			continue;
		named = 1;
		gather(labels, psm_issue_node(issue, "labels"));
		psm_issue_free(issue);
	}
	if (named || psm_store_labels(labels, s) >= 0)
		add_list(c, pre, labels);
out:
	psm_error_clear();
	psm_node_free(labels);
	strbuf_release(&id);
}

/* Owners are people: each by handle, else e-mail (else name), described. */
static void add_owners(struct comp *c, const char *pre, struct psm_store *s)
{
	struct psm_people p;
	struct strbuf desc = STRBUF_INIT;
	size_t i;

	if (psm_people_owners(&p, s->config) < 0) {
		psm_error_clear();
		return;
	}
	for (i = 0; i < p.n; i++) {
		const struct psm_person *o = &p.v[i];

		strbuf_reset(&desc);
		psm_person_describe(&desc, o);
		comp_add(c, pre, o->handle ? o->handle : psm_person_id(o), desc.buf);
	}
	psm_people_release(&p);
	strbuf_release(&desc);
}

void comp_config(struct comp *c, const char *pre, const char *key)
{
	struct psm_store *s = comp_store(c);
	const struct psm_node *n = s ? psm_node_get(s->config->root, key) : NULL;
	size_t i;

	if (s && !strcmp(key, "owners")) {
		add_owners(c, pre, s);
		return;
	}
	if (n && n->kind == PSM_SEQ)
		add_list(c, pre, n);
	for (i = 0; n && n->kind == PSM_MAP && i + 1 < n->n; i += 2)
		if (psm_node_str(n->items[i]))
			comp_add(c, pre, n->items[i]->str, psm_node_get_str(n->items[i + 1], "means"));
}

void comp_words(struct comp *c, const char *pre, const char *words)
{
	struct strbuf w = STRBUF_INIT;

	while (words && *words) {
		size_t l = strcspn(words, " ");

		strbuf_reset(&w);
		strbuf_add(&w, words, l);
		comp_add(c, pre, w.buf, NULL);
		words += l + (words[l] == ' ');
	}
	strbuf_release(&w);
}

void comp_terms(struct comp *c)
{
	size_t klen = strcspn(c->cur, ":<>=");
	const struct psm_query_term *t;
	struct strbuf pre = STRBUF_INIT;

	if (!c->cur[klen]) {
		for (t = psm_query_terms; t->key; t++) {
			if (t->kind == PSM_TERM_TIME)
				comp_add(c, t->key, "<", NULL);
			if (t->kind == PSM_TERM_TIME || t->kind == PSM_TERM_COUNT)
				comp_add(c, t->key, ">", NULL);
			else
				comp_add(c, t->key, ":", NULL);
		}
		c->directives |= COMP_NOSPACE;
		return;
	}
	if (c->cur[klen] != ':')
		return; /* a time or a count: nothing to offer */
	for (t = psm_query_terms; t->key; t++)
		if (strlen(t->key) == klen && !strncmp(t->key, c->cur, klen))
			break;
	if (!t->key || t->kind == PSM_TERM_TIME || t->kind == PSM_TERM_COUNT)
		return;
	strbuf_addf(&pre, "%s:", t->key);
	if (t->kind == PSM_TERM_ID)
		comp_ids(c, pre.buf, c->cur + klen + 1);
	else if (t->kind == PSM_TERM_LABEL)
		comp_labels(c, pre.buf, '+');
	if (t->config)
		comp_config(c, pre.buf, t->config);
	comp_words(c, pre.buf, t->words);
	strbuf_release(&pre);
}
