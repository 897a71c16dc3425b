/* psm import github: issues from `gh issue list --json ...` (import.h). */
#include "psm/import.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "psm/error.h"
#include "psm/utf8.h"
#include "psm/jsonl.h"
#include "psm/loop.h"
#include "psm/validate.h"

static const char *str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s && *s ? s : NULL;
}

/* GitHub's Markdown, with the CRLF line ends its API returns made LF. */
static void add_text(struct strbuf *out, const char *s)
{
	for (; *s; s++)
		if (*s != '\r' || s[1] != '\n')
			strbuf_addch(out, *s);
	strbuf_rtrim(out);
}

/* "@login", or "@ghost" as GitHub shows a deleted account. */
static void handle(struct strbuf *out, const json_t *author)
{
	const char *login = str(author, "login");

	strbuf_addch(out, '@');
	strbuf_addstr(out, login ? login : "ghost");
}

/* A GitHub time normalised; `key` names it in errors. */
static int gh_time(struct strbuf *out, const json_t *o, const char *key)
{
	const char *s = str(o, key);

	strbuf_reset(out);
	if (!s)
		return psm_error(PSM_EINVALID, "missing '%s'", key);
	if (psm_import_time(out, s) < 0)
		return psm_error(PSM_EINVALID, "'%s' is not a time: '%s'", key, s);
	return 0;
}

static int add_labels(struct psm_issue *issue, const json_t *labels)
{
	struct strbuf label = STRBUF_INIT;
	const json_t *l;
	size_t i;
	int r = 0;

	json_array_foreach(labels, i, l) {
		const char *name = json_is_string(l) ? json_string_value(l) : str(l, "name");

		strbuf_reset(&label);
		if (!name || (r = psm_label_normalize(&label, name)) < 0)
			continue;
		if (label.len && (r = psm_issue_list_add(issue, "labels", label.buf)) < 0)
			break;
	}
	strbuf_release(&label);
	return r < 0 ? r : 0;
}

static int add_reporter(struct psm_issue *issue, const json_t *author, const char *at,
			const char *url)
{
	struct psm_node *list = psm_node_new(PSM_SEQ), *rep = psm_node_new(PSM_MAP);
	struct strbuf h = STRBUF_INIT;
	const char *name = str(author, "name");
	int r = 0;

	handle(&h, author);
	if (!list || !rep || h.oom ||
	    psm_node_set_str(rep, "name", name ? name : h.buf + 1) < 0 ||
	    psm_node_set_str(rep, "contact", h.buf) < 0 || psm_node_set_str(rep, "channel", "github") < 0 ||
	    psm_node_set_str(rep, "at", at) < 0 || psm_node_set_str(rep, "ref", url) < 0) {
		psm_node_free(rep);
		psm_node_free(list);
		r = psm_oom();
	} else if (psm_node_push(list, rep) < 0) {
		psm_node_free(list);
		r = psm_oom();
	} else {
		r = psm_issue_set_node(issue, "reporters", list);
	}
	strbuf_release(&h);
	return r;
}

int psm_github_to_issue(struct psm_issue *issue, const json_t *gh)
{
	struct strbuf created = STRBUF_INIT, closed = STRBUF_INIT, title = STRBUF_INIT;
	const char *url = str(gh, "url"), *state = str(gh, "state"), *body = str(gh, "body");
	const json_t *labels = json_object_get(gh, "labels");
	int r;

	if (!json_is_object(gh))
		return psm_error(PSM_EINVALID, "not a JSON object");
	if (!url)
		return psm_error(PSM_EINVALID, "missing 'url' (run gh issue list with --json ...,url,...)");
	if (!str(gh, "title"))
		return psm_error(PSM_EINVALID, "missing 'title'");
	if ((r = gh_time(&created, gh, "createdAt")) < 0)
		goto out;
	/* a title is one line of its words */
	if ((r = psm_one_line(&title, str(gh, "title"), strlen(str(gh, "title")))) < 0 ||
	    (r = psm_issue_set(issue, "title", title.buf)) < 0 ||
	    (r = psm_issue_set(issue, "status", "new")) < 0 ||
	    (json_is_array(labels) && (r = add_labels(issue, labels)) < 0) ||
	    (r = psm_issue_set(issue, "source", "github")) < 0 ||
	    (r = psm_issue_set(issue, "external_id", url)) < 0 ||
	    (r = psm_issue_set(issue, "created", created.buf)) < 0 ||
	    (r = psm_issue_set(issue, "updated", created.buf)) < 0)
		goto out;
	if (json_is_object(json_object_get(gh, "author")) &&
	    (r = add_reporter(issue, json_object_get(gh, "author"), created.buf, url)) < 0)
		goto out;
	if (body) {
		add_text(&issue->body, body);
		strbuf_addch(&issue->body, '\n');
		if (issue->body.oom) {
			r = psm_oom();
			goto out;
		}
	}
	if (state && !strcasecmp(state, "closed")) {
		/* gh's list has no close reason: "fixed" says done, whatever it was */
		if (str(gh, "closedAt") ? (r = gh_time(&closed, gh, "closedAt")) < 0
					: (strbuf_addbuf(&closed, &created), 0))
			goto out;
		if ((r = psm_loop_close(issue, "fixed", NULL, NULL, closed.buf)) < 0)
			goto out;
	} else if (state && strcasecmp(state, "open")) {
		r = psm_error(PSM_EINVALID, "unknown state '%s' (OPEN or CLOSED)", state);
		goto out;
	}
	r = 0;
out:
	strbuf_release(&created);
	strbuf_release(&closed);
	strbuf_release(&title);
	return r < 0 ? r : 0;
}

static int cmp_created(const void *a, const void *b)
{
	const char *x = str(*(json_t *const *)a, "createdAt");
	const char *y = str(*(json_t *const *)b, "createdAt");

	return strcmp(x ? x : "", y ? y : "");
}

static int is_maintainer(const json_t *c)
{
	const char *a = str(c, "authorAssociation");

	return a && (!strcmp(a, "OWNER") || !strcmp(a, "MEMBER") || !strcmp(a, "COLLABORATOR"));
}

static int add_comment(struct psm_issue *issue, const json_t *c, const char *now)
{
	struct strbuf text = STRBUF_INIT, who = STRBUF_INIT, at = STRBUF_INIT;
	const char *url = str(c, "url"), *body = str(c, "body");
	int r;

	if ((r = gh_time(&at, c, "createdAt")) < 0)
		goto out;
	if (body) {
		add_text(&text, body);
		strbuf_addstr(&text, "\n\n");
	}
	handle(&who, json_object_get(c, "author"));
	if ((r = psm_batch_ref_line(&text, url)) < 0)
		goto out;
	if (text.oom || who.oom) {
		r = psm_oom();
		goto out;
	}
	if (now && !is_maintainer(c))
		r = psm_loop_customer_message(issue, who.buf, text.buf, at.buf, now);
	else
		r = psm_loop_timeline(issue, is_maintainer(c) ? "reply" : "customer", who.buf,
				      text.buf, at.buf);
out:
	strbuf_release(&text);
	strbuf_release(&who);
	strbuf_release(&at);
	return r;
}

int psm_github_comments(struct psm_issue *issue, const json_t *gh, struct psm_batch *b,
			const char *now)
{
	const json_t *comments = json_object_get(gh, "comments"), *c;
	const json_t **v;
	size_t i, n = 0;
	int r = 0, added = 0;

	if (!json_is_array(comments) || !json_array_size(comments))
		return 0;
	if (!(v = calloc(json_array_size(comments), sizeof(*v))))
		return psm_oom();
	json_array_foreach(comments, i, c)
		if (str(c, "url") && !psm_batch_find_ref(b, str(c, "url")))
			v[n++] = c; /* one psm holds already is not added again */
	/* in time order, as a timeline reads (gh lists them so; be sure) */
	qsort(v, n, sizeof(*v), cmp_created);
	if (n)
		r = psm_batch_will_change(b, issue);
	for (i = 0; i < n && r >= 0; i++)
		if ((r = add_comment(issue, v[i], now)) >= 0)
			added++;
	/* all or none: the batch checks the file and undoes them when refused */
	for (i = 0; i < n && r >= 0; i++)
		r = psm_batch_changed(b, issue, str(v[i], "url"));
	free(v);
	return r < 0 ? r : added;
}
