/* psm import backlog-md: Backlog.md task files (import.h). */
#include "psm/import.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "psm/error.h"
#include "psm/jsonl.h"
#include "psm/loop.h"
#include "psm/validate.h"

/* Keys mapped to psm fields; any other key is kept as backlog_<key>. */
static const char *const mapped[] = {
	"id", "title", "status", "labels", "priority", "type", "assignee", "created_date",
	"updated_date", NULL
};

static int is_mapped(const char *key)
{
	size_t i;

	for (i = 0; mapped[i]; i++)
		if (!strcmp(mapped[i], key))
			return 1;
	return 0;
}

/* "<prefix><value>" as a label, if anything valid is left. */
static int add_label(struct psm_issue *issue, const char *prefix, const char *value)
{
	struct strbuf raw = STRBUF_INIT, label = STRBUF_INIT;
	int r;

	strbuf_addf(&raw, "%s%s", prefix, value);
	if (raw.oom)
		r = psm_oom();
	else if ((r = psm_label_normalize(&label, raw.buf)) >= 0 && label.len)
		r = psm_issue_list_add(issue, "labels", label.buf);
	strbuf_release(&raw);
	strbuf_release(&label);
	return r < 0 ? r : 0;
}

/* To Do, In Progress, Done are Backlog.md's defaults; projects add their own. */
static const char *map_status(const char *s)
{
	static const char *const map[][2] = {
		{ "to do", "new" }, { "todo", "new" }, { "in progress", "in-progress" },
		{ "blocked", "blocked" }, { "done", "closed" }, { NULL, NULL }
	};
	size_t i;

	for (i = 0; map[i][0]; i++)
		if (!strcasecmp(s, map[i][0]))
			return map[i][1];
	return NULL;
}

static const char *map_type(const char *t)
{
	static const char *const map[][2] = {
		{ "bug", "bug" }, { "feature", "feature" }, { "enhancement", "feature" },
		{ "docs", "docs" }, { "documentation", "docs" }, { NULL, NULL }
	};
	size_t i;

	for (i = 0; map[i][0]; i++)
		if (!strcasecmp(t, map[i][0]))
			return map[i][1];
	return NULL;
}

static int set_time(struct psm_issue *issue, const char *key, const char *value)
{
	struct strbuf t = STRBUF_INIT;
	int r;

	if ((r = psm_import_time(&t, value)) >= 0)
		r = psm_issue_set(issue, key, t.buf);
	strbuf_release(&t);
	return r;
}

static int map_assignee(struct psm_issue *issue, const struct psm_node *a,
			const struct psm_config *cfg)
{
	const struct psm_node *first = a->kind == PSM_SEQ ? (a->n ? a->items[0] : NULL) : a;
	const char *who = psm_node_str(first);
	size_t i;
	int r;

	if (!who || !*who)
		return 0;
	if (*who == '@')
		who++;
	if (psm_config_allows(cfg, "owners", who) && (r = psm_issue_set(issue, "owner", who)) < 0)
		return r;
	if (!psm_config_allows(cfg, "owners", who) && (r = add_label(issue, "assignee:", who)) < 0)
		return r;
	for (i = 1; a->kind == PSM_SEQ && i < a->n; i++) /* psm has one owner */
		if (psm_node_str(a->items[i]) && (r = add_label(issue, "assignee:",
				psm_node_str(a->items[i]) + (*psm_node_str(a->items[i]) == '@'))) < 0)
			return r;
	return 0;
}

/* Everything but the mapped keys, under backlog_<key>; empty lists dropped. */
static int keep_rest(struct psm_issue *issue, const struct psm_issue *task)
{
	struct strbuf key = STRBUF_INIT;
	size_t i;
	int r = 0;

	for (i = 0; i < task->n && r >= 0; i++) {
		const struct psm_entry *e = &task->entries[i];

		if (is_mapped(e->key) || psm_node_is_null(e->value) ||
		    (e->value->kind != PSM_SCALAR && !e->value->n))
			continue;
		strbuf_reset(&key);
		strbuf_addf(&key, "backlog_%s", e->key);
		r = key.oom ? psm_oom() : psm_issue_set_node(issue, key.buf, psm_node_dup(e->value));
	}
	strbuf_release(&key);
	return r;
}

static int map_task(struct psm_issue *issue, const struct psm_issue *task,
		    const struct psm_config *cfg, const char *now)
{
	const char *id = psm_issue_get(task, "id"), *title = psm_issue_get(task, "title");
	const char *status = psm_issue_get(task, "status"), *prio = psm_issue_get(task, "priority");
	const char *type = psm_issue_get(task, "type"), *st;
	const char *created = psm_issue_get(task, "created_date");
	const char *updated = psm_issue_get(task, "updated_date");
	const struct psm_node *labels = psm_issue_node(task, "labels");
	const struct psm_node *assignee = psm_issue_node(task, "assignee");
	size_t i;
	int r;

	if (!id || !title)
		return psm_error(PSM_EINVALID, "not a Backlog.md task: no '%s' in the front matter",
				 id ? "title" : "id");
	st = status ? map_status(status) : "new";
	if ((r = psm_issue_set(issue, "title", title)) < 0 ||
	    (r = psm_issue_set(issue, "status", st && strcmp(st, "closed") ? st : "new")) < 0 ||
	    (r = psm_issue_set(issue, "source", "other")) < 0 ||
	    (r = psm_issue_set(issue, "external_id", id)) < 0)
		return r;
	if (status && !st && (r = add_label(issue, "status:", status)) < 0)
		return r;
	if (type && map_type(type) && (r = psm_issue_set(issue, "type", map_type(type))) < 0)
		return r;
	if (type && !map_type(type) && (r = add_label(issue, "type:", type)) < 0)
		return r;
	if (prio && (r = add_label(issue, "priority:", prio)) < 0)
		return r;
	for (i = 0; labels && labels->kind == PSM_SEQ && i < labels->n; i++)
		if (psm_node_str(labels->items[i]) &&
		    (r = add_label(issue, "", psm_node_str(labels->items[i]))) < 0)
			return r;
	if (assignee && (r = map_assignee(issue, assignee, cfg)) < 0)
		return r;
	if ((r = set_time(issue, "created", created ? created : now)) < 0 ||
	    (r = set_time(issue, "updated", updated ? updated : created ? created : now)) < 0)
		return psm_error(PSM_EINVALID, "%s", psm_error_last());
	strbuf_addbuf(&issue->body, &task->body);
	if (issue->body.oom)
		return psm_oom();
	if (st && !strcmp(st, "closed")) {
		const char *when = psm_issue_get(issue, "updated");
		char *at = psm_strdup(when);

		/* the close is dated by the task's last update, not by the import */
		r = at ? psm_loop_close(issue, "fixed", NULL, NULL, at) : psm_oom();
		free(at);
		if (r < 0)
			return r;
	}
	/* last, so psm's own fields all come first, as after export and import */
	return keep_rest(issue, task);
}

int psm_backlog_to_issue(struct psm_issue *issue, const char *text, size_t len,
			 const struct psm_config *cfg, const char *now)
{
	struct psm_yaml_error err = { 0, 0, STRBUF_INIT };
	struct psm_issue *task = NULL;
	int r;

	if ((r = psm_issue_parse(&task, text, len, &err)) < 0) {
		if (r == PSM_EPARSE)
			r = psm_error(PSM_EPARSE, "not a Backlog.md task: %d:%d: %s", err.line, err.col,
				      err.msg.buf);
		goto out;
	}
	r = map_task(issue, task, cfg, now);
out:
	psm_issue_free(task);
	strbuf_release(&err.msg);
	return r;
}
