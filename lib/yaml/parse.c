#include "psm/yaml.h"

#include <string.h>
#include <yaml.h>

#include "psm/error.h"
#include "psm/limit.h"

struct loader {
	yaml_parser_t parser;
	int first_line;
	size_t nodes;
	struct psm_yaml_error *err;
};

static int fail(struct loader *l, const yaml_mark_t *m, const char *msg)
{
	l->err->line = (int)m->line + l->first_line;
	l->err->col = (int)m->column + 1;
	strbuf_reset(&l->err->msg);
	strbuf_addstr(&l->err->msg, msg);
	return PSM_EPARSE;
}

/*
 * Where a libyaml error is. For a construct left open (a key without ':', a
 * quote or a flow bracket never closed) libyaml notices only where the next
 * token starts, often lines later; the fault is where the construct began,
 * which it reports as the context mark. Elsewhere (a block mapping's "did
 * not find expected key", a tab in a block scalar) the context is a start
 * far above and the problem mark is the fault.
 */
static const yaml_mark_t *error_mark(const yaml_parser_t *p)
{
	const char *c = p->context;

	if (c && p->context_mark.line < p->problem_mark.line &&
	    (strstr(c, "simple key") || strstr(c, "quoted scalar") || strstr(c, "flow sequence") ||
	     strstr(c, "flow mapping")))
		return &p->context_mark;
	return &p->problem_mark;
}

static int next(struct loader *l, yaml_event_t *ev)
{
	const yaml_mark_t *m;

	if (yaml_parser_parse(&l->parser, ev))
		return 0;
	m = error_mark(&l->parser);
	l->err->line = (int)m->line + l->first_line;
	l->err->col = (int)m->column + 1;
	strbuf_reset(&l->err->msg);
	strbuf_addstr(&l->err->msg, l->parser.problem ? l->parser.problem : "invalid YAML");
	if (l->parser.context) {
		strbuf_addstr(&l->err->msg, " ");
		strbuf_addstr(&l->err->msg, l->parser.context);
	}
	return PSM_EPARSE;
}

static int load_node(struct loader *l, yaml_event_t *ev, int depth, struct psm_node **out);

static int anchor_of(const yaml_event_t *ev)
{
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		return ev->data.scalar.anchor != NULL;
	case YAML_SEQUENCE_START_EVENT:
		return ev->data.sequence_start.anchor != NULL;
	case YAML_MAPPING_START_EVENT:
		return ev->data.mapping_start.anchor != NULL;
	default:
		return 0;
	}
}

/*
 * The file line a node's text ends on, from the mark just past it: a mark at
 * the start of a line (after a block scalar's line break) ends the line
 * before.
 */
static int end_line_of(const struct loader *l, const yaml_mark_t *m)
{
	int line = (int)m->line + l->first_line;

	return m->column == 0 && m->line > 0 ? line - 1 : line;
}

/* "duplicate key 'title' (first on line 3)"; frees key. */
static int duplicate_key(struct loader *l, const struct psm_node *map, struct psm_node *key,
			 const yaml_mark_t *mark)
{
	struct strbuf msg = STRBUF_INIT;
	size_t i;
	int r;

	strbuf_addf(&msg, "duplicate key '%s'", key->str);
	for (i = 0; i + 1 < map->n; i += 2)
		if (map->items[i]->kind == PSM_SCALAR && !strcmp(map->items[i]->str, key->str)) {
			if (map->items[i]->line)
				strbuf_addf(&msg, " (first on line %d)", map->items[i]->line);
			break;
		}
	psm_node_free(key);
	r = msg.oom ? psm_oom() : fail(l, mark, msg.buf);
	strbuf_release(&msg);
	return r;
}

static int load_children(struct loader *l, struct psm_node *n, yaml_event_type_t end, int depth,
			 int flow)
{
	for (;;) {
		yaml_event_t ev;
		struct psm_node *child = NULL;
		yaml_mark_t mark;
		int r;

		if ((r = next(l, &ev)) < 0)
			return r;
		if (ev.type == end) {
			/* a block collection ends where the next token starts, past
			 * any comments: only a flow one's closing bracket counts */
			if (flow && end_line_of(l, &ev.end_mark) > n->end_line)
				n->end_line = end_line_of(l, &ev.end_mark);
			yaml_event_delete(&ev);
			return 0;
		}
		mark = ev.start_mark;
		r = load_node(l, &ev, depth + 1, &child);
		yaml_event_delete(&ev);
		if (r < 0)
			return r;
		if (n->kind == PSM_MAP && !(n->n % 2)) {
			if (child->kind != PSM_SCALAR) {
				psm_node_free(child);
				return fail(l, &mark, "a mapping key must be a plain value");
			}
			/* keep keys short enough to round-trip (limit.h) */
			if (child->len > PSM_LIMIT_KEY_SIZE) {
				psm_node_free(child);
				return fail(l, &mark, "a mapping key over the limit " PSM_LIMIT_KEY_SIZE_NAME);
			}
			if (psm_node_get(n, child->str))
				return duplicate_key(l, n, child, &mark);
		}
		if (child->end_line > n->end_line)
			n->end_line = child->end_line;
		if (psm_node_push(n, child) < 0)
			return psm_oom();
	}
}

static int load_node(struct loader *l, yaml_event_t *ev, int depth, struct psm_node **out)
{
	struct psm_node *n;
	int r;

	if (ev->type == YAML_ALIAS_EVENT || anchor_of(ev))
		return fail(l, &ev->start_mark, "YAML anchors and aliases are not allowed in issue files");
	if (depth > PSM_LIMIT_YAML_DEPTH)
		return fail(l, &ev->start_mark, "nesting too deep: over the limit " PSM_LIMIT_YAML_DEPTH_NAME);
	if (++l->nodes > PSM_LIMIT_YAML_VALUES)
		return fail(l, &ev->start_mark, "too many values: over the limit " PSM_LIMIT_YAML_VALUES_NAME);

	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		n = psm_node_scalarn((const char *)ev->data.scalar.value, ev->data.scalar.length);
		if (!n)
			return psm_oom();
		if (memchr(n->str, '\0', n->len)) {
			psm_node_free(n);
			return fail(l, &ev->start_mark, "NUL byte in value");
		}
		n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && !ev->data.scalar.tag;
		n->end_line = end_line_of(l, &ev->end_mark);
		break;
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		n = psm_node_new(ev->type == YAML_SEQUENCE_START_EVENT ? PSM_SEQ : PSM_MAP);
		if (!n)
			return psm_oom();
		n->line = (int)ev->start_mark.line + l->first_line;
		n->col = (int)ev->start_mark.column + 1;
		n->end_line = n->line;
		r = load_children(l, n, ev->type == YAML_SEQUENCE_START_EVENT ?
				  YAML_SEQUENCE_END_EVENT : YAML_MAPPING_END_EVENT, depth,
				  ev->type == YAML_SEQUENCE_START_EVENT ?
				  ev->data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE :
				  ev->data.mapping_start.style == YAML_FLOW_MAPPING_STYLE);
		if (r < 0) {
			psm_node_free(n);
			return r;
		}
		*out = n;
		return 0;
	default:
		return fail(l, &ev->start_mark, "unexpected YAML event");
	}
	n->line = (int)ev->start_mark.line + l->first_line;
	n->col = (int)ev->start_mark.column + 1;
	*out = n;
	return 0;
}

int psm_yaml_load(struct psm_node **out, const char *text, size_t len, int first_line,
		  struct psm_yaml_error *err)
{
	struct loader l = { .first_line = first_line, .err = err };
	struct psm_node *root = NULL;
	yaml_event_t ev;
	int r, started = 0;

	*out = NULL;
	if (!yaml_parser_initialize(&l.parser))
		return psm_oom();
	yaml_parser_set_input_string(&l.parser, (const unsigned char *)text, len);
	for (;;) {
		if ((r = next(&l, &ev)) < 0)
			goto out;
		if (ev.type == YAML_STREAM_END_EVENT) {
			yaml_event_delete(&ev);
			break;
		}
		if (ev.type == YAML_DOCUMENT_START_EVENT && started) {
			r = fail(&l, &ev.start_mark, "more than one YAML document");
			yaml_event_delete(&ev);
			goto out;
		}
		if (ev.type == YAML_DOCUMENT_START_EVENT)
			started = 1;
		if (ev.type == YAML_SCALAR_EVENT || ev.type == YAML_SEQUENCE_START_EVENT ||
		    ev.type == YAML_MAPPING_START_EVENT || ev.type == YAML_ALIAS_EVENT) {
			r = load_node(&l, &ev, 0, &root);
			yaml_event_delete(&ev);
			if (r < 0)
				goto out;
			continue;
		}
		yaml_event_delete(&ev);
	}
	if (!root) {
		root = psm_node_new(PSM_MAP);
		if (!root) {
			r = psm_oom();
			goto out;
		}
		root->line = first_line;
		root->col = 1;
	}
	*out = root;
	root = NULL;
	r = 0;
out:
	if (r == PSM_EPARSE)
		psm_error(PSM_EPARSE, "%d:%d: %s", err->line, err->col, err->msg.buf);
	psm_node_free(root);
	yaml_parser_delete(&l.parser);
	return r;
}
