/*
 * psm log ID (also psm history): the issue's life from the git history of
 * its file, oldest first: taken in, triage decisions, owners, status,
 * replies, close, reopen, duplicates, with who made each commit and when.
 * Read only: nothing is written to get it (lib/history.c, lib/lifecycle.c).
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"
#include "psm/grow.h"
#include "psm/snapshot.h"
#include "psm/history.h"
#include "psm/lifecycle.h"
#include "parse-options.h"
#include "psm/time.h"
#include "psm/render.h"

static const char *const log_usage[] = {
	"psm log [--format <fmt>] <id>",
	NULL
};

struct entry {
	char *commit, *name, *email, *summary; /* commit NULL: the work tree */
	int64_t time;
	int merge, shallow_root;
	char *unreadable;                      /* why this version could not be read */
	struct psm_events ev;
};

struct log {
	struct psm_store *s;
	const char *path;
	struct entry *v;
	size_t n, alloc;
};

/* Parse a version; NULL when absent. *why gets the reason it is unreadable. */
static struct psm_issue *version(const struct strbuf *text, char **why)
{
	struct psm_yaml_error err = { 0, 0, STRBUF_INIT };
	struct psm_issue *is = NULL;

	if (text && psm_issue_parse(&is, text->buf, text->len, &err) < 0) {
		struct strbuf msg = STRBUF_INIT;

		strbuf_addf(&msg, "%d:%d: %s", err.line, err.col, err.msg.buf);
		if (why && !*why)
			*why = strbuf_detach(&msg, NULL);
		strbuf_release(&msg);
		is = NULL;
	}
	strbuf_release(&err.msg);
	return is;
}

static struct entry *new_entry(struct log *lg)
{
	struct entry *nv = psm_grow(lg->v, lg->n, &lg->alloc, sizeof(*nv), 16);

	if (!nv)
		die("out of memory");
	lg->v = nv;
	memset(&lg->v[lg->n], 0, sizeof(lg->v[lg->n]));
	return &lg->v[lg->n++];
}

/* The events of going from `before` texts (one per parent) to text. */
static void diff_versions(struct entry *e, const struct strbuf *const *before, size_t nb,
			  const struct strbuf *text)
{
	struct psm_issue *now = version(text, &e->unreadable), *old;
	size_t i;

	old = version(nb ? before[0] : NULL, NULL);
	if (nb && before[0] && !old && now) {
		/* after a version psm could not read: not a new issue */
		if (psm_events_add(&e->ev, "repaired", NULL, NULL, NULL, NULL, NULL, NULL) < 0)
			die_psm();
	} else if (!text || now) {
		if (psm_lifecycle_diff(&e->ev, old, now) < 0)
			die_psm();
	}
	psm_issue_free(old);
	/* a merge: only what is new against every parent */
	for (i = 1; i < nb; i++) {
		struct psm_events other = { 0 };

		old = version(before[i], NULL);
		if ((!text || now) && psm_lifecycle_diff(&other, old, now) < 0)
			die_psm();
		psm_events_intersect(&e->ev, &other);
		psm_events_release(&other);
		psm_issue_free(old);
	}
	psm_issue_free(now);
}

static int one_commit(const struct psm_hist_commit *c, void *data)
{
	struct log *lg = data;
	struct entry *e = new_entry(lg);

	if (!(e->commit = psm_strdup(c->hex)) || !(e->name = psm_strdup(c->author_name)) ||
	    !(e->email = psm_strdup(c->author_email)) || !(e->summary = psm_strdup(c->summary)))
		die("out of memory");
	e->time = c->time;
	e->merge = c->nparents > 1;
	e->shallow_root = c->shallow_root;
	diff_versions(e, c->parents, c->nparents, c->text);
	return 0;
}

/* What the work tree holds that HEAD does not: an entry of its own. */
static void work_tree(struct log *lg)
{
	struct psm_snap *head = NULL, *wt = NULL;
	struct strbuf h = STRBUF_INIT, w = STRBUF_INIT;
	const struct strbuf *before[1];
	int hr, wr;
	struct entry *e;

	if (psm_snap_open(&wt, lg->s, NULL) < 0)
		die_psm();
	if (lg->n && psm_snap_open_sibling(&head, wt, "HEAD") < 0)
		die_psm();
	hr = head ? psm_snap_read(&h, head, lg->path) : PSM_ENOTFOUND;
	wr = psm_snap_read(&w, wt, lg->path);
	if ((hr < 0 && hr != PSM_ENOTFOUND) || (wr < 0 && wr != PSM_ENOTFOUND))
		die_psm();
	psm_error_clear();
	if ((hr < 0) != (wr < 0) || (!hr && (h.len != w.len || memcmp(h.buf, w.buf, h.len)))) {
		e = new_entry(lg);
		before[0] = hr < 0 ? NULL : &h;
		diff_versions(e, before, 1, wr < 0 ? NULL : &w);
	}
	psm_snap_free(head);
	psm_snap_free(wt);
	strbuf_release(&h);
	strbuf_release(&w);
}

static void release(struct log *lg)
{
	size_t i;

	for (i = 0; i < lg->n; i++) {
		free(lg->v[i].commit);
		free(lg->v[i].name);
		free(lg->v[i].email);
		free(lg->v[i].summary);
		free(lg->v[i].unreadable);
		psm_events_release(&lg->v[i].ev);
	}
	free(lg->v);
}

/* A value for one line of text: "none" when absent, long ones cut. */
static void value(struct strbuf *sb, const char *v)
{
	size_t len = v ? strlen(v) : 0;

	if (!v) {
		strbuf_addstr(sb, "none");
		return;
	}
	if (len <= 100) {
		strbuf_addstr(sb, v);
		return;
	}
	while (len > 97 && ((unsigned char)v[len] & 0xc0) == 0x80)
		len--; /* not inside a UTF-8 character */
	strbuf_add(sb, v, len > 97 ? 97 : len);
	strbuf_addstr(sb, "...");
}

static void short_of(struct strbuf *sb, struct psm_store *s, const char *id)
{
	if (!id || psm_store_abbrev(sb, s, id) < 0) {
		psm_error_clear();
		value(sb, id);
	}
}

/* One event as a line of text. */
static void event_text(struct strbuf *sb, struct psm_store *s, const struct psm_event *e)
{
	const char *k = e->kind;

	if (!strcmp(k, "intake")) {
		strbuf_addstr(sb, "taken in");
		if (e->via)
			strbuf_addf(sb, " via %s", e->via);
		if (e->who)
			strbuf_addf(sb, " from %s", e->who);
		strbuf_addstr(sb, ": ");
		value(sb, e->to);
	} else if (!strcmp(k, "removed")) {
		strbuf_addstr(sb, "file removed");
	} else if (!strcmp(k, "close")) {
		strbuf_addstr(sb, "closed as ");
		value(sb, e->to);
	} else if (!strcmp(k, "duplicate")) {
		strbuf_addstr(sb, "closed as a duplicate of ");
		short_of(sb, s, e->to);
	} else if (!strcmp(k, "reopen")) {
		strbuf_addstr(sb, "reopened, status ");
		value(sb, e->to);
	} else if (!strcmp(k, "park")) {
		strbuf_addstr(sb, "parked until ");
		value(sb, e->to);
	} else if (!strcmp(k, "triage") && !e->field) {
		strbuf_addstr(sb, "triaged (no field changed)");
	} else if (!strcmp(k, "label")) {
		strbuf_addf(sb, "label %c", e->to ? '+' : '-');
		value(sb, e->to ? e->to : e->from);
	} else if (!strcmp(k, "reporter")) {
		strbuf_addstr(sb, "reporter added: ");
		value(sb, e->to);
		if (e->via) {
			strbuf_addstr(sb, " (from ");
			short_of(sb, s, e->via);
			strbuf_addch(sb, ')');
		}
	} else if (!strcmp(k, "reply") || !strcmp(k, "note") || !strcmp(k, "customer") ||
		   !strcmp(k, "entry")) {
		strbuf_addstr(sb, !strcmp(k, "reply") ? "reply" : !strcmp(k, "note") ? "internal note" :
			      !strcmp(k, "customer") ? "customer message" : "timeline entry");
		if (e->who)
			strbuf_addf(sb, " %s %s", !strcmp(k, "customer") ? "from" : "by", e->who);
		if (e->at)
			strbuf_addf(sb, " at %s", e->at);
	} else if (!strcmp(k, "followup")) {
		strbuf_addstr(sb, e->to ? "told of the close: " : "follow-up done");
		if (e->to)
			value(sb, e->to);
		if (e->who)
			strbuf_addf(sb, " by %s", e->who);
	} else if (!strcmp(k, "unreachable")) {
		strbuf_addstr(sb, "cannot be told of the close: ");
		value(sb, e->to);
		if (e->via)
			strbuf_addf(sb, " (%s)", e->via);
		if (e->who)
			strbuf_addf(sb, " by %s", e->who);
	} else if (!strcmp(k, "bounced")) {
		strbuf_addstr(sb, "follow-up came back: ");
		value(sb, e->to);
		if (e->via)
			strbuf_addf(sb, " (%s)", e->via);
	} else if (!strcmp(k, "rating")) {
		strbuf_addstr(sb, "rated ");
		value(sb, e->to);
		if (e->who)
			strbuf_addf(sb, " by %s", e->who);
	} else if (!strcmp(k, "release_note")) {
		strbuf_addstr(sb, e->to ? "release note: " : "release note removed");
		if (e->to)
			value(sb, e->to);
	} else if (!strcmp(k, "body")) {
		strbuf_addstr(sb, "description edited");
	} else if (!strcmp(k, "repaired")) {
		strbuf_addstr(sb, "the file is readable again");
	} else { /* status, owner, triage, field: key: from -> to */
		strbuf_addf(sb, "%s%s: ", !strcmp(k, "triage") ? "triage: " : "",
			    e->field ? e->field : k);
		value(sb, e->from);
		strbuf_addstr(sb, " -> ");
		value(sb, e->to);
	}
}

static void print_text(struct log *lg, const char *id)
{
	struct strbuf sb = STRBUF_INIT, sid = STRBUF_INIT;
	int color = want_color();
	size_t i, j;

	short_of(&sid, lg->s, id);
	printf("%s%s%s  %s\n", color ? C_YELLOW : "", sid.buf, color ? C_RESET : "", lg->path);
	for (i = 0; i < lg->n; i++) {
		const struct entry *e = &lg->v[i];

		strbuf_reset(&sb);
		putchar('\n');
		if (e->commit) {
			psm_time_format(&sb, e->time);
			strbuf_addf(&sb, "  %s <%s>  ", e->name, e->email);
			put_safe(stdout, sb.buf, 0);
			printf("%s%.7s%s%s\n", color ? C_YELLOW : "", e->commit, color ? C_RESET : "",
			       e->merge ? " (merge)" : "");
			strbuf_reset(&sb);
			strbuf_addf(&sb, "  %s\n", e->summary);
			if (color)
				fputs(C_DIM, stdout);
			put_safe(stdout, sb.buf, 1);
			if (color)
				fputs(C_RESET, stdout);
		} else {
			printf("not committed (in the work tree)\n");
		}
		if (e->unreadable) {
			strbuf_reset(&sb);
			strbuf_addf(&sb, "    psm cannot read the file here: %s\n", e->unreadable);
			put_safe(stdout, sb.buf, 1);
		}
		for (j = 0; j < e->ev.n; j++) {
			strbuf_reset(&sb);
			strbuf_addstr(&sb, "    ");
			event_text(&sb, lg->s, &e->ev.v[j]);
			strbuf_addch(&sb, '\n');
			put_safe(stdout, sb.buf, 1);
		}
		if (e->shallow_root)
			printf("    (a shallow clone: the history before this commit is not here)\n");
	}
	strbuf_release(&sb);
	strbuf_release(&sid);
}

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static void print_json_log(struct log *lg, const char *id)
{
	json_t *o = json_object(), *a = json_array();
	struct strbuf sb = STRBUF_INIT;
	size_t i, j;

	if (!o || !a)
		die("out of memory");
	short_of(&sb, lg->s, id);
	json_object_set_new(o, "version", json_integer(PSM_JSON_VERSION));
	json_object_set_new(o, "id", json_string(id));
	json_object_set_new(o, "short_id", json_string(sb.buf));
	json_object_set_new(o, "path", json_string(lg->path));
	for (i = 0; i < lg->n; i++) {
		const struct entry *e = &lg->v[i];
		json_t *c = json_object(), *evs = json_array();

		if (!c || !evs)
			die("out of memory");
		json_object_set_new(c, "commit", str_or_null(e->commit));
		strbuf_reset(&sb);
		if (e->commit)
			psm_time_format(&sb, e->time);
		json_object_set_new(c, "date", e->commit ? json_string(sb.buf) : json_null());
		json_object_set_new(c, "author", e->commit ? json_pack("{s:s, s:s}", "name", e->name,
								      "email", e->email)
							  : json_null());
		json_object_set_new(c, "summary", str_or_null(e->summary));
		json_object_set_new(c, "merge", json_boolean(e->merge));
		json_object_set_new(c, "shallow_root", json_boolean(e->shallow_root));
		json_object_set_new(c, "unreadable", str_or_null(e->unreadable));
		for (j = 0; j < e->ev.n; j++) {
			const struct psm_event *v = &e->ev.v[j];
			json_t *x = json_object();

			if (!x)
				die("out of memory");
			json_object_set_new(x, "event", json_string(v->kind));
			json_object_set_new(x, "field", str_or_null(v->field));
			json_object_set_new(x, "from", str_or_null(v->from));
			json_object_set_new(x, "to", str_or_null(v->to));
			json_object_set_new(x, "who", str_or_null(v->who));
			json_object_set_new(x, "at", str_or_null(v->at));
			json_object_set_new(x, "via", str_or_null(v->via));
			json_array_append_new(evs, x);
		}
		json_object_set_new(c, "events", evs);
		json_array_append_new(a, c);
	}
	json_object_set_new(o, "entries", a);
	strbuf_release(&sb);
	print_json(o);
}

int cmd_log(int argc, const char **argv, struct psm_store *s)
{
	const char *format = NULL;
	struct option opts[] = {
		OPT_STRING(0, "format", &format, "fmt", "output: text or json"),
		OPT_END(),
	};
	struct strbuf id = STRBUF_INIT, path = STRBUF_INIT;
	struct log lg;
	enum output_format fmt;

	argc = parse_options(argc, argv, opts, log_usage, 0);
	if (argc != 1)
		usage_error(log_usage, opts, argc ? "one issue at a time" : "which issue? give its ID");
	fmt = parse_format(format, "text,json");
	/* a removed issue has no file to find it by: its full ID still names it */
	if (psm_store_resolve(&id, s, argv[0]) < 0) {
		if (psm_error_code() != PSM_ENOTFOUND || !psm_id_valid(argv[0]))
			die_psm();
		psm_error_clear();
		strbuf_addstr(&id, argv[0]);
	}
	if (psm_issue_path(&path, id.buf) < 0)
		die_psm();
	memset(&lg, 0, sizeof(lg));
	lg.s = s;
	lg.path = path.buf;
	if (psm_history_walk(s, path.buf, one_commit, &lg) < 0)
		die_psm();
	work_tree(&lg);
	if (!lg.n)
		die("no history for '%s': its file was never committed", argv[0]);
	if (fmt == FMT_JSON)
		print_json_log(&lg, id.buf);
	else
		print_text(&lg, id.buf);
	release(&lg);
	strbuf_release(&id);
	strbuf_release(&path);
	return 0;
}
