#include "psm/node.h"

#include <stdlib.h>
#include <string.h>

#include "psm/grow.h"

struct psm_node *psm_node_new(enum psm_node_kind kind)
{
	struct psm_node *n = calloc(1, sizeof(*n));

	if (n)
		n->kind = kind;
	return n;
}

struct psm_node *psm_node_scalarn(const char *s, size_t len)
{
	struct psm_node *n = psm_node_new(PSM_SCALAR);

	if (!n)
		return NULL;
	n->str = psm_strndup(s, len);
	if (!n->str) {
		free(n);
		return NULL;
	}
	n->len = len;
	return n;
}

struct psm_node *psm_node_scalar(const char *s)
{
	return psm_node_scalarn(s, strlen(s));
}

void psm_node_free(struct psm_node *n)
{
	size_t i;

	if (!n)
		return;
	for (i = 0; i < n->n; i++)
		psm_node_free(n->items[i]);
	free(n->items);
	free(n->str);
	free(n);
}

struct psm_node *psm_node_dup(const struct psm_node *n)
{
	struct psm_node *d;
	size_t i;

	if (!n)
		return NULL;
	if (n->kind == PSM_SCALAR) {
		d = psm_node_scalarn(n->str, n->len);
		if (d)
			d->plain = n->plain;
		return d;
	}
	d = psm_node_new(n->kind);
	if (!d)
		return NULL;
	for (i = 0; i < n->n; i++) {
		if (psm_node_push(d, psm_node_dup(n->items[i])) < 0) {
			psm_node_free(d);
			return NULL;
		}
	}
	return d;
}

int psm_node_equal(const struct psm_node *a, const struct psm_node *b)
{
	size_t i;

	if (!a || !b)
		return a == b;
	if (a->kind != b->kind || a->n != b->n)
		return 0;
	if (a->kind == PSM_SCALAR)
		return a->len == b->len && !memcmp(a->str, b->str, a->len) &&
		       psm_node_is_null(a) == psm_node_is_null(b);
	for (i = 0; i < a->n; i++)
		if (!psm_node_equal(a->items[i], b->items[i]))
			return 0;
	return 1;
}

int psm_node_push(struct psm_node *seq, struct psm_node *item)
{
	if (!item)
		return -1;
	if (seq->n == seq->alloc) {
		struct psm_node **ni = psm_grow(seq->items, seq->n, &seq->alloc, sizeof(*ni), 4);

		if (!ni) {
			psm_node_free(item);
			return -1;
		}
		seq->items = ni;
	}
	seq->items[seq->n++] = item;
	return 0;
}

void psm_node_remove(struct psm_node *seq, size_t i)
{
	if (i >= seq->n)
		return;
	psm_node_free(seq->items[i]);
	memmove(seq->items + i, seq->items + i + 1, (seq->n - i - 1) * sizeof(*seq->items));
	seq->n--;
}

static long map_find(const struct psm_node *map, const char *key)
{
	size_t i;

	if (!map || map->kind != PSM_MAP)
		return -1;
	for (i = 0; i + 1 < map->n; i += 2)
		if (map->items[i]->kind == PSM_SCALAR && map->items[i]->str[0] == key[0] &&
		    !strcmp(map->items[i]->str, key))
			return (long)i;
	return -1;
}

struct psm_node *psm_node_get(const struct psm_node *map, const char *key)
{
	long i = map_find(map, key);

	return i < 0 ? NULL : map->items[i + 1];
}

const char *psm_node_get_str(const struct psm_node *map, const char *key)
{
	return psm_node_str(psm_node_get(map, key));
}

int psm_node_set(struct psm_node *map, const char *key, struct psm_node *value)
{
	long i = map_find(map, key);

	if (i >= 0) {
		if (!value) {
			psm_node_remove(map, (size_t)i + 1);
			psm_node_remove(map, (size_t)i);
			return 0;
		}
		psm_node_free(map->items[i + 1]);
		map->items[i + 1] = value;
		return 0;
	}
	if (!value)
		return 0;
	if (psm_node_push(map, psm_node_scalar(key)) < 0) {
		psm_node_free(value);
		return -1;
	}
	if (psm_node_push(map, value) < 0) {
		psm_node_remove(map, map->n - 1);
		return -1;
	}
	return 0;
}

int psm_node_set_str(struct psm_node *map, const char *key, const char *value)
{
	struct psm_node *v = NULL;

	if (value && !(v = psm_node_scalar(value)))
		return -1;
	return psm_node_set(map, key, v);
}

int psm_node_is_null(const struct psm_node *n)
{
	if (!n)
		return 1;
	if (n->kind != PSM_SCALAR || !n->plain)
		return 0;
	return !n->len || !strcmp(n->str, "~") || !strcmp(n->str, "null") ||
	       !strcmp(n->str, "Null") || !strcmp(n->str, "NULL");
}

const char *psm_node_str(const struct psm_node *n)
{
	if (!n || n->kind != PSM_SCALAR || psm_node_is_null(n))
		return NULL;
	return n->str;
}

int psm_node_bool(const struct psm_node *n, int dflt)
{
	return psm_str_bool(psm_node_str(n), dflt);
}

int psm_str_bool(const char *s, int dflt)
{
	if (!s)
		return dflt;
	if (!strcmp(s, "true") || !strcmp(s, "yes") || !strcmp(s, "on"))
		return 1;
	if (!strcmp(s, "false") || !strcmp(s, "no") || !strcmp(s, "off"))
		return 0;
	return dflt;
}
