/* psm changelog's rules: the config's `changelog:` key, exclusions, groups, release notes. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "psm/body.h"
#include "changelog-int.h"
#include "psm/error.h"
#include "psm/metrics.h"
#include "psm/query.h"
#include "psm/render.h"
#include "psm/yaml.h"

/*
 * The rules when the config says nothing; a `changelog:` map in the config
 * replaces these key by key (a `groups` key replaces all the groups).
 */
static const char default_rules[] =
	"groups:\n"
	"  Added:\n    types: [feature]\n"
	"  Changed:\n    types: [usability]\n"
	"  Fixed:\n    types: [bug]\n"
	"  Documentation:\n    types: [docs]\n    resolutions: [documented]\n"
	"exclude_resolutions: [duplicate, wontfix, cannot-reproduce, answered]\n"
	"exclude_labels: [internal]\n"
	"exclude_types: [account]\n"
	"change_resolutions: [fixed, documented]\n"
	"known_issue_label: known-issue\n"
	"next_status: in-progress\n"
	"known_issues: false\n"
	"require_release_note: false\n"
	"link: ''\n";

static int bad_rule(const struct psm_node *at, const char *key, const char *what)
{
	return psm_error(PSM_EINVALID, "%s:%d:%d: changelog.%s must be %s", PSM_CONFIG_PATH,
			 at ? at->line : 1, at ? at->col : 1, key, what);
}

/* A list of words, or one word; null or absent is an empty list. */
static int check_words(const struct psm_node *n, const char *key)
{
	size_t i;

	if (!n || psm_node_is_null(n) || n->kind == PSM_SCALAR)
		return 0;
	if (n->kind != PSM_SEQ)
		return bad_rule(n, key, "a list of words");
	for (i = 0; i < n->n; i++)
		if (n->items[i]->kind != PSM_SCALAR)
			return bad_rule(n->items[i], key, "a list of words");
	return 0;
}

static int has_word(const struct psm_node *n, const char *v)
{
	size_t i;

	if (!n || !v || psm_node_is_null(n))
		return 0;
	if (n->kind == PSM_SCALAR)
		return !strcmp(n->str, v);
	for (i = 0; n->kind == PSM_SEQ && i < n->n; i++)
		if (psm_streq(psm_node_str(n->items[i]), v))
			return 1;
	return 0;
}

static int check_groups(const struct psm_node *g)
{
	static const char *const keys[] = { "types", "resolutions", "labels", NULL };
	size_t i, k;
	int r;

	if (!g || g->kind != PSM_MAP)
		return bad_rule(g, "groups", "a mapping of group names to {types, resolutions, labels}");
	for (i = 1; i < g->n; i += 2) {
		const struct psm_node *spec = g->items[i];

		if (spec->kind == PSM_SEQ) /* shorthand: a list of types */
			r = check_words(spec, "groups");
		else if (spec->kind != PSM_MAP)
			r = bad_rule(spec, "groups", "a mapping of group names to {types, resolutions, labels}");
		else
			for (k = 0, r = 0; keys[k] && !r; k++)
				r = check_words(psm_node_get(spec, keys[k]), "groups");
		if (r < 0)
			return r;
	}
	return 0;
}

int psm_cl_rules_load(struct psm_cl_rules *r, const struct psm_config *cfg)
{
	struct psm_yaml_error err = { 0, 0, STRBUF_INIT };
	const struct psm_node *user = psm_node_get(cfg->root, "changelog");
	size_t i;
	int e;

	if ((e = psm_yaml_load(&r->root, default_rules, strlen(default_rules), 1, &err)) < 0)
		goto out;
	if (user && !psm_node_is_null(user) && user->kind != PSM_MAP) {
		e = psm_error(PSM_EINVALID, "%s:%d:%d: 'changelog' must be a mapping", PSM_CONFIG_PATH,
			      user->line, user->col);
		goto out;
	}
	for (i = 0; user && user->kind == PSM_MAP && i + 1 < user->n; i += 2) {
		struct psm_node *v = psm_node_dup(user->items[i + 1]);

		if (!v || psm_node_set(r->root, user->items[i]->str, v) < 0) {
			e = psm_oom();
			goto out;
		}
	}
	r->groups = psm_node_get(r->root, "groups");
	r->excl_res = psm_node_get(r->root, "exclude_resolutions");
	r->excl_labels = psm_node_get(r->root, "exclude_labels");
	r->excl_types = psm_node_get(r->root, "exclude_types");
	r->change_res = psm_node_get(r->root, "change_resolutions");
	r->known_label = psm_node_str(psm_node_get(r->root, "known_issue_label"));
	r->next_status = psm_node_str(psm_node_get(r->root, "next_status"));
	r->link = psm_node_str(psm_node_get(r->root, "link"));
	r->require_note = psm_node_bool(psm_node_get(r->root, "require_release_note"), 0);
	r->known_issues = psm_node_bool(psm_node_get(r->root, "known_issues"), 0);
	if ((e = check_groups(r->groups)) < 0 ||
	    (e = check_words(r->excl_res, "exclude_resolutions")) < 0 ||
	    (e = check_words(r->excl_labels, "exclude_labels")) < 0 ||
	    (e = check_words(r->excl_types, "exclude_types")) < 0 ||
	    (e = check_words(r->change_res, "change_resolutions")) < 0)
		goto out;
	e = 0;
out:
	strbuf_release(&err.msg);
	return e;
}

int psm_cl_rules_new(struct psm_cl_rules **out, const struct psm_config *cfg)
{
	struct psm_cl_rules *r = calloc(1, sizeof(*r));
	int e;

	*out = NULL;
	if (!r)
		return psm_oom();
	if ((e = psm_cl_rules_load(r, cfg)) < 0) {
		psm_cl_rules_free(r);
		return e;
	}
	*out = r;
	return 0;
}

void psm_cl_rules_free(struct psm_cl_rules *r)
{
	if (!r)
		return;
	psm_cl_rules_release(r);
	free(r);
}

const char *psm_cl_rules_known_label(const struct psm_cl_rules *r)
{
	return r->known_label;
}

const char *psm_cl_rules_next_status(const struct psm_cl_rules *r)
{
	return r->next_status;
}

static int because(struct strbuf *why, int v, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Verdict v, with the reason in why. */
static int because(struct strbuf *why, int v, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(why, fmt, ap);
	va_end(ap);
	return why->oom ? psm_oom() : v;
}

/* What a customer may never read about, open or closed. */
static int private_reason(struct strbuf *why, const struct psm_cl_rules *r,
			  const struct psm_issue *is)
{
	const struct psm_node *labels = psm_issue_node(is, "labels");
	const char *res = psm_issue_get(is, "resolution"), *type = psm_issue_get(is, "type");
	size_t i;

	if (psm_churn_slot(is) >= 0)
		return because(why, PSM_CL_PRIVATE, "churn record");
	for (i = 0; labels && labels->kind == PSM_SEQ && i < labels->n; i++)
		if (has_word(r->excl_labels, psm_node_str(labels->items[i])))
			return because(why, PSM_CL_PRIVATE, "label %s", labels->items[i]->str);
	if (type && has_word(r->excl_types, type))
		return because(why, PSM_CL_PRIVATE, "type %s", type);
	if (res && has_word(r->excl_res, res))
		return because(why, PSM_CL_PRIVATE, "resolution %s", res);
	return PSM_CL_PUBLIC;
}

int psm_cl_verdict(struct strbuf *why, const struct psm_cl_rules *r, const struct psm_issue *is)
{
	struct strbuf note = STRBUF_INIT;
	const char *res = psm_issue_get(is, "resolution"), *type = psm_issue_get(is, "type");
	int v = private_reason(why, r, is);

	if (v || psm_issue_is_open(is))
		return v;
	v = psm_release_note(&note, is);
	strbuf_release(&note);
	if (v) /* a release note is written for customers: public */
		return v < 0 ? v : PSM_CL_PUBLIC;
	if (!res || !has_word(r->change_res, res))
		return because(why, PSM_CL_NOT_CHANGE, "resolution %s, no release note",
			       res ? res : "missing");
	if (!psm_cl_group_of(r, is))
		return type ? because(why, PSM_CL_NO_GROUP, "type %s is in no group, no release note", type)
			    : because(why, PSM_CL_NO_GROUP, "no type, no release note");
	return PSM_CL_PUBLIC;
}

static const struct psm_node *spec_part(const struct psm_node *spec, const char *key)
{
	if (spec->kind == PSM_SEQ)
		return !strcmp(key, "types") ? spec : NULL;
	return psm_node_get(spec, key);
}

/* Resolution and label rules win over type rules: a bug resolved as
 * `documented` is documentation. NULL: no group ("Other"). */
const char *psm_cl_group_of(const struct psm_cl_rules *r, const struct psm_issue *is)
{
	const struct psm_node *labels = psm_issue_node(is, "labels");
	const char *res = psm_issue_get(is, "resolution"), *type = psm_issue_get(is, "type");
	size_t i, j;

	for (i = 0; i + 1 < r->groups->n; i += 2) {
		const struct psm_node *spec = r->groups->items[i + 1];

		if (res && has_word(spec_part(spec, "resolutions"), res))
			return r->groups->items[i]->str;
		for (j = 0; labels && labels->kind == PSM_SEQ && j < labels->n; j++)
			if (has_word(spec_part(spec, "labels"), psm_node_str(labels->items[j])))
				return r->groups->items[i]->str;
	}
	for (i = 0; type && i + 1 < r->groups->n; i += 2)
		if (has_word(spec_part(r->groups->items[i + 1], "types"), type))
			return r->groups->items[i]->str;
	return NULL;
}

int psm_release_note(struct strbuf *out, const struct psm_issue *issue)
{
	struct strbuf sec = STRBUF_INIT, raw = STRBUF_INIT;
	size_t i, start = out->len;
	int r;

	/* the section as psm close writes it, without the team's comments;
	 * the note's lines become one paragraph */
	if ((r = psm_body_get(&sec, &issue->body, "Release note")) < 0 ||
	    (r = psm_markdown_drop_comments(&raw, sec.buf)) < 0)
		goto out;
	for (i = 0; i < raw.len; i++) {
		int space = raw.buf[i] == ' ' || raw.buf[i] == '\t' || raw.buf[i] == '\r' ||
			    raw.buf[i] == '\n';

		if (space)
			continue;
		if (out->len > start && i && strchr(" \t\r\n", raw.buf[i - 1]))
			strbuf_addch(out, ' ');
		strbuf_addch(out, raw.buf[i]);
	}
	r = out->oom ? psm_oom() : out->len > start;
out:
	strbuf_release(&sec);
	strbuf_release(&raw);
	return r;
}

void psm_cl_rules_release(struct psm_cl_rules *r)
{
	psm_node_free(r->root);
	memset(r, 0, sizeof(*r));
}
