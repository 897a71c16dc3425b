#include "psm/validate.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "psm/conflict.h"
#include "psm/error.h"
#include "psm/limit.h"
#include "psm/time.h"

int psm_label_valid(const char *label)
{
	const char *p;

	if (!label || !*label || *label == '-' || *label == '+')
		return 0;
	for (p = label; *p; p++)
		if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == ',' || *p == '\v' ||
		    *p == '\f')
			return 0;
	return 1;
}

int psm_label_normalize(struct strbuf *out, const char *label)
{
	size_t start = out->len;
	int dash = 0;

	for (; *label; label++) {
		unsigned char c = (unsigned char)*label;

		if (isspace(c) || c == ',' || c < 0x20) {
			dash = out->len > start;
			continue;
		}
		if (out->len == start && (c == '+' || c == '-'))
			continue;
		if (dash)
			strbuf_addch(out, '-');
		dash = 0;
		strbuf_addch(out, (char)c);
	}
	return out->oom ? psm_oom() : 0;
}

struct vctx {
	struct psm_issue_set *diag;
	const struct psm_issue *issue;
	int count;
};

static void problem(struct vctx *v, const struct psm_node *at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void problem(struct vctx *v, const struct psm_node *at, const char *fmt, ...)
{
	struct strbuf msg = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&msg, fmt, ap);
	va_end(ap);
	psm_issue_set_error(v->diag, v->issue->path ? v->issue->path : "-", at ? at->line : 1,
			    at ? at->col : 1, msg.buf);
	strbuf_release(&msg);
	v->count++;
}

static const char *const time_fields[] = {
	"created", "updated", "triaged", "responded", "closed", "first_closed", "parked_until",
	"customer_replied", NULL
};

/* field -> the config list its values come from */
static const char *const vocab[][2] = {
	{ "status", "statuses" }, { "type", "types" }, { "impact", "impacts" },
	{ "response", "responses" }, { "resolution", "resolutions" }, { "source", "sources" },
	{ "owner", "owners" }, { NULL, NULL }
};

static void check_scalar(struct vctx *v, const char *key)
{
	const struct psm_node *n = psm_issue_node(v->issue, key);

	if (n && n->kind != PSM_SCALAR)
		problem(v, n, "'%s' must be a single value, not a list or mapping", key);
}

static void check_vocab(struct vctx *v, const struct psm_config *cfg)
{
	struct strbuf allowed = STRBUF_INIT;
	size_t i;

	for (i = 0; vocab[i][0]; i++) {
		const char *val = psm_issue_get(v->issue, vocab[i][0]);

		check_scalar(v, vocab[i][0]);
		if (!val || psm_config_allows(cfg, vocab[i][1], val))
			continue;
		strbuf_reset(&allowed);
		psm_config_join(&allowed, cfg, vocab[i][1]);
		problem(v, psm_issue_node(v->issue, vocab[i][0]),
			"%s '%s' is not in the config's %s (%s)", vocab[i][0], val, vocab[i][1],
			allowed.buf);
	}
	strbuf_release(&allowed);
}

static void check_times(struct vctx *v)
{
	int64_t t;
	size_t i;

	for (i = 0; time_fields[i]; i++) {
		const struct psm_node *n = psm_issue_node(v->issue, time_fields[i]);

		if (!n || psm_node_is_null(n))
			continue;
		if (n->kind != PSM_SCALAR || psm_time_parse(n->str, &t) < 0)
			problem(v, n, "'%s' is not an RFC 3339 time like 2026-11-22T09:00:00Z",
				time_fields[i]);
	}
}

static void check_labels(struct vctx *v)
{
	const struct psm_node *n = psm_issue_node(v->issue, "labels");
	size_t i;

	if (!n || psm_node_is_null(n))
		return;
	if (n->kind != PSM_SEQ) {
		problem(v, n, "'labels' must be a list");
		return;
	}
	for (i = 0; i < n->n; i++)
		if (!psm_label_valid(psm_node_str(n->items[i])))
			problem(v, n->items[i],
				"invalid label: labels are single words without commas that do not start with '+' or '-'");
}

static void check_reporters(struct vctx *v)
{
	const struct psm_node *n = psm_issue_node(v->issue, "reporters");
	size_t i;

	if (!n || psm_node_is_null(n))
		return;
	if (n->kind != PSM_SEQ) {
		problem(v, n, "'reporters' must be a list");
		return;
	}
	for (i = 0; i < n->n; i++) {
		const struct psm_node *r = n->items[i];
		int64_t t;

		if (r->kind != PSM_MAP) {
			problem(v, r, "a reporter must be a mapping with name, email or contact, channel");
			continue;
		}
		if (!psm_node_get_str(r, "name") && !psm_node_get_str(r, "email") &&
		    !psm_node_get_str(r, "contact"))
			problem(v, r, "a reporter needs a name, email or contact");
		if (psm_node_get_str(r, "at") && psm_time_parse(psm_node_get_str(r, "at"), &t) < 0)
			problem(v, psm_node_get(r, "at"), "reporter 'at' is not an RFC 3339 time");
	}
}

/* Follow-up records (followup-owed.h): whose, and when. */
static void check_followups(struct vctx *v)
{
	const struct psm_node *n = psm_issue_node(v->issue, "followups");
	size_t i;
	int64_t t;

	if (!n || psm_node_is_null(n))
		return;
	if (n->kind != PSM_SEQ) {
		problem(v, n, "'followups' must be a list");
		return;
	}
	for (i = 0; i < n->n; i++) {
		const struct psm_node *f = n->items[i];

		if (f->kind != PSM_MAP || !psm_node_get_str(f, "reporter"))
			problem(v, f, "a follow-up record must be a mapping with reporter, done and by");
		else if (psm_time_parse(psm_node_get_str(f, "done"), &t) < 0)
			problem(v, psm_node_get(f, "done") ? psm_node_get(f, "done") : f,
				"follow-up 'done' is not an RFC 3339 time");
		else if (psm_node_get(f, "bounced") &&
			 psm_time_parse(psm_node_get_str(f, "bounced"), &t) < 0)
			problem(v, psm_node_get(f, "bounced"), "follow-up 'bounced' is not an RFC 3339 time");
	}
}

/* A conflict in the front matter makes the file unreadable (issue.c); one
 * in the body still parses, and would reach the changelog and drafts. */
static void check_conflict(struct vctx *v)
{
	int line = psm_issue_conflict_line(v->issue);

	if (!line)
		return;
	psm_issue_set_error(v->diag, v->issue->path ? v->issue->path : "-", line, 1,
			    "unresolved merge conflict in the body: keep one side and delete the "
			    "'<<<<<<<', '=======' and '>>>>>>>' lines (a customer's line that only "
			    "looks like one: put a backslash before it)");
	v->count++;
}

int psm_issue_validate(struct psm_issue_set *diag, const struct psm_issue *issue,
		       const struct psm_config *cfg)
{
	struct vctx v = { diag, issue, 0 };
	const char *id = psm_issue_get(issue, "id");
	const char *title = psm_issue_get(issue, "title");
	size_t before = diag->nerrors;

	if (!id)
		problem(&v, NULL, "missing 'id'");
	else if (!psm_id_valid(id))
		problem(&v, psm_issue_node(issue, "id"), "invalid id '%s'", id);
	else if (issue->path && !strstr(issue->path, id))
		problem(&v, psm_issue_node(issue, "id"), "id '%s' does not match the file name", id);
	if (!title || !*title)
		problem(&v, psm_issue_node(issue, "title"), "missing 'title'");
	else if (strchr(title, '\n'))
		problem(&v, psm_issue_node(issue, "title"), "'title' must be one line");
	if (!psm_issue_get(issue, "status"))
		problem(&v, psm_issue_node(issue, "status"), "missing 'status'");
	if (!psm_issue_get(issue, "created"))
		problem(&v, psm_issue_node(issue, "created"), "missing 'created'");
	check_vocab(&v, cfg);
	check_times(&v);
	check_labels(&v);
	check_reporters(&v);
	check_followups(&v);
	if (psm_streq(psm_issue_get(issue, "status"), "closed") && !psm_issue_get(issue, "resolution"))
		problem(&v, psm_issue_node(issue, "status"), "a closed issue needs a 'resolution'");
	check_conflict(&v);
	if (diag->nerrors - before != (size_t)v.count)
		return psm_oom();
	return v.count;
}

int psm_validate_write(struct psm_issue_set *diag, const char *path, const char *text,
		       size_t len, const struct psm_config *cfg)
{
	struct psm_yaml_error err = { 0, 0, STRBUF_INIT };
	struct psm_issue_set own = { 0 };
	struct psm_issue *issue = NULL;
	int r;

	if (!diag)
		diag = &own;
	if (len > PSM_LIMIT_FILE_SIZE) {
		/* not parsed: the reader would not get that far */
		r = psm_error(PSM_EINVALID, "the issue file would be %zu bytes: over the limit "
			      PSM_LIMIT_FILE_SIZE_NAME, len);
		if (psm_issue_set_error(diag, path, 1, 1, psm_error_last()) < 0)
			r = PSM_ENOMEM;
		goto out;
	}
	if ((r = psm_issue_parse(&issue, text, len, &err)) < 0) {
		if (r != PSM_EPARSE)
			goto out;
		r = psm_error(PSM_EINVALID, "%s", err.msg.buf);
		if (psm_issue_set_error(diag, path, err.line, err.col, err.msg.buf) < 0)
			r = PSM_ENOMEM;
		goto out;
	}
	if (!(issue->path = psm_strdup(path))) {
		r = psm_oom();
		goto out;
	}
	r = psm_issue_validate(diag, issue, cfg);
	if (r > 0) {
		const struct psm_scan_error *e = &diag->errors[diag->nerrors - (size_t)r];

		r = psm_error(PSM_EINVALID, "%s", e->msg);
	}
out:
	psm_issue_free(issue);
	psm_issue_set_release(&own);
	strbuf_release(&err.msg);
	return r;
}
