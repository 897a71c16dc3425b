/*
 * psm followup: every closed issue whose reporters have not been told, with
 * a draft message per reporter; psm followup ID --done records the telling.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "psm/body.h"
#include "builtin.h"
#include "psm/followup.h"
#include "hook.h"
#include "loop-util.h"
#include "psm/loop.h"
#include "parse-options.h"
#include "psm/time.h"
#include "psm/query.h"
#include "psm/render.h"

static const char *const followup_usage[] = {
	"psm followup [--format <fmt>] [<id>...]",
	"psm followup <id>... --done",
	"psm followup --template <resolution>",
	NULL
};

/* One draft per person: reporters are matched as psm dup matches them. */
static int seen_before(const struct psm_node *list, size_t i)
{
	char *k = psm_reporter_key(list->items[i]);
	size_t j;
	int seen = 0;

	for (j = 0; k && j < i && !seen; j++) {
		char *o = psm_reporter_key(list->items[j]);

		seen = o && !strcmp(o, k);
		free(o);
	}
	free(k);
	return seen;
}

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *issue_json(struct psm_store *s, const struct psm_issue *is, const char *tmpl,
			  const char *source, const char *sender)
{
	const struct psm_node *reps = psm_issue_node(is, "reporters");
	json_t *o = json_object(), *arr = json_array();
	struct strbuf note = STRBUF_INIT, draft = STRBUF_INIT, sid = STRBUF_INIT;
	size_t i;

	if (!o || !arr)
		die("out of memory");
	strbuf_addstr(&sid, short_id(s, is));
	if (psm_body_get(&note, &is->body, "Release note") < 0)
		die_psm();
	json_object_set_new(o, "id", str_or_null(psm_issue_get(is, "id")));
	json_object_set_new(o, "short_id", json_string(sid.buf));
	json_object_set_new(o, "title", str_or_null(psm_issue_get(is, "title")));
	json_object_set_new(o, "resolution", str_or_null(psm_issue_get(is, "resolution")));
	json_object_set_new(o, "closed", str_or_null(psm_issue_get(is, "closed")));
	json_object_set_new(o, "owner", str_or_null(psm_issue_get(is, "owner")));
	json_object_set_new(o, "customer", str_or_null(psm_issue_get(is, "customer")));
	json_object_set_new(o, "release_note", note.len ? json_string(note.buf) : json_null());
	json_object_set_new(o, "pending", json_boolean(psm_loop_followup_owed(is)));
	json_object_set_new(o, "template", json_string(source));
	for (i = 0; reps && reps->kind == PSM_SEQ && i < reps->n; i++) {
		const struct psm_node *r = reps->items[i];
		json_t *rj;

		if (r->kind != PSM_MAP || seen_before(reps, i))
			continue;
		strbuf_reset(&draft);
		if (psm_followup_draft(&draft, tmpl, is, r, sid.buf, sender) < 0)
			die_psm();
		if (!(rj = json_object()))
			die("out of memory");
		json_object_set_new(rj, "name", str_or_null(psm_node_get_str(r, "name")));
		json_object_set_new(rj, "email", str_or_null(psm_node_get_str(r, "email")));
		json_object_set_new(rj, "contact", str_or_null(psm_node_get_str(r, "contact")));
		json_object_set_new(rj, "channel", str_or_null(psm_node_get_str(r, "channel")));
		json_object_set_new(rj, "via", str_or_null(psm_node_get_str(r, "via")));
		json_object_set_new(rj, "draft", json_string(draft.buf));
		json_array_append_new(arr, rj);
	}
	json_object_set_new(o, "reporters", arr);
	strbuf_release(&note);
	strbuf_release(&draft);
	strbuf_release(&sid);
	return o;
}

/* Indent every line of text by four spaces, for the terminal. */
static void put_indented(const char *text)
{
	struct strbuf sb = STRBUF_INIT;
	const char *p;

	for (p = text; *p; p++) {
		if (p == text || p[-1] == '\n')
			strbuf_addstr(&sb, *p == '\n' ? "" : "    ");
		strbuf_addch(&sb, *p);
	}
	put_safe(stdout, sb.buf, 1);
	strbuf_release(&sb);
}

static void print_text(struct psm_store *s, const struct psm_issue *is, const char *tmpl,
		       const char *source, const char *sender, int64_t now, int color)
{
	const struct psm_node *reps = psm_issue_node(is, "reporters");
	const char *res = psm_issue_get(is, "resolution"), *title = psm_issue_get(is, "title");
	struct strbuf line = STRBUF_INIT, draft = STRBUF_INIT, sid = STRBUF_INIT;
	int64_t closed = 0;
	size_t i;

	strbuf_addstr(&sid, short_id(s, is));
	printf("%s%s%s  ", color ? C_YELLOW : "", sid.buf, color ? C_RESET : "");
	strbuf_addf(&line, "%s  closed ", res ? res : "-");
	if (!psm_time_parse(psm_issue_get(is, "closed"), &closed)) {
		strbuf_add(&line, psm_issue_get(is, "closed"), 10);
		strbuf_addstr(&line, " (");
		psm_age_format(&line, now - closed);
		strbuf_addstr(&line, " ago)");
	} else {
		strbuf_addch(&line, '?');
	}
	strbuf_addf(&line, "  %s\n", title ? title : "");
	put_safe(stdout, line.buf, 1);
	printf("  template: %s\n", source);
	for (i = 0; reps && reps->kind == PSM_SEQ && i < reps->n; i++) {
		const struct psm_node *r = reps->items[i];
		const char *name = psm_node_get_str(r, "name"), *addr = psm_node_get_str(r, "email");
		const char *chan = psm_node_get_str(r, "channel");

		if (r->kind != PSM_MAP || seen_before(reps, i))
			continue;
		if (!addr)
			addr = psm_node_get_str(r, "contact");
		strbuf_reset(&line);
		strbuf_addf(&line, "\n  to %s%s%s%s%s", name ? name : "", name && addr ? " <" : "",
			    addr ? addr : "", name && addr ? ">" : "", chan ? " via " : "");
		strbuf_addf(&line, "%s\n\n", chan ? chan : "");
		put_safe(stdout, line.buf, 1);
		strbuf_reset(&draft);
		if (psm_followup_draft(&draft, tmpl, is, r, sid.buf, sender) < 0)
			die_psm();
		put_indented(draft.buf);
	}
	putchar('\n');
	strbuf_release(&line);
	strbuf_release(&draft);
	strbuf_release(&sid);
}

static int cmp_closed(const void *a, const void *b)
{
	const struct psm_issue *x = *(struct psm_issue *const *)a, *y = *(struct psm_issue *const *)b;
	int64_t tx = 0, ty = 0;

	psm_time_parse(psm_issue_get(x, "closed"), &tx);
	psm_time_parse(psm_issue_get(y, "closed"), &ty);
	if (tx != ty)
		return tx < ty ? -1 : 1;
	return strcmp(x->path, y->path);
}

/* The issues to list: those named, else every one that is owed. */
static int collect(struct psm_issue_set *out, struct psm_store *s, int argc, const char **argv)
{
	struct psm_issue_set all = { 0 };
	int i, code = 0;
	size_t j;

	if (argc) {
		for (i = 0; i < argc; i++) {
			struct psm_issue *is = load_issue_or_die(s, argv[i]);

			if (psm_issue_is_open(is))
				die("'%s' is not closed: there is nothing to follow up yet", argv[i]);
			if (psm_issue_set_add(out, is) < 0)
				die_psm();
		}
		return 0;
	}
	if (psm_store_scan(s, &all) < 0)
		die_psm();
	code = report_scan_errors(&all);
	for (j = 0; j < all.n; j++) {
		if (psm_loop_followup_owed(all.v[j]) && psm_issue_set_add(out, all.v[j]) == 0) {
			all.v[j] = NULL;
			continue;
		}
		psm_issue_free(all.v[j]);
		all.v[j] = NULL;
	}
	psm_issue_set_release(&all);
	if (out->n)
		qsort(out->v, out->n, sizeof(*out->v), cmp_closed);
	return code;
}

/*
 * Every draft, made and dropped before anything is printed: one that psm
 * refuses (a merge conflict in its issue or template) stops the command
 * before half a listing is out.
 */
static void check_drafts(struct psm_store *s, const struct psm_issue_set *set, const char *sender)
{
	struct strbuf tmpl = STRBUF_INIT, source = STRBUF_INIT, draft = STRBUF_INIT;
	size_t i, j;

	for (i = 0; i < set->n; i++) {
		const struct psm_node *reps = psm_issue_node(set->v[i], "reporters");

		strbuf_reset(&tmpl);
		if (psm_followup_template(&tmpl, &source, s, psm_issue_get(set->v[i], "resolution")) < 0)
			die_psm();
		for (j = 0; reps && reps->kind == PSM_SEQ && j < reps->n; j++) {
			strbuf_reset(&draft);
			if (reps->items[j]->kind == PSM_MAP &&
			    psm_followup_draft(&draft, tmpl.buf, set->v[i], reps->items[j], NULL, sender) < 0)
				die_psm();
		}
	}
	strbuf_release(&tmpl);
	strbuf_release(&source);
	strbuf_release(&draft);
}

static int list_followups(struct psm_store *s, int argc, const char **argv,
			  enum output_format fmt)
{
	struct psm_issue_set set = { 0 };
	struct strbuf tmpl = STRBUF_INIT, source = STRBUF_INIT;
	const char *sender = identity_name(s);
	int64_t now = now_or_die();
	json_t *arr = fmt == FMT_JSON ? json_array() : NULL;
	int code = collect(&set, s, argc, argv), color = want_color();
	size_t i;

	check_drafts(s, &set, sender);
	for (i = 0; i < set.n; i++) {
		strbuf_reset(&tmpl);
		strbuf_reset(&source);
		if (psm_followup_template(&tmpl, &source, s, psm_issue_get(set.v[i], "resolution")) < 0)
			die_psm();
		if (arr)
			json_array_append_new(arr, issue_json(s, set.v[i], tmpl.buf, source.buf, sender));
		else
			print_text(s, set.v[i], tmpl.buf, source.buf, sender, now, color);
	}
	if (arr)
		print_json(arr);
	else if (!argc && set.n)
		printf("%zu closed issue%s whose reporters have not been told (psm followup ID --done when they have)\n",
		       set.n, set.n == 1 ? "" : "s");
	else if (!argc)
		printf("no follow-ups owed\n");
	psm_issue_set_release(&set);
	strbuf_release(&tmpl);
	strbuf_release(&source);
	return code;
}

static int mark_done(struct psm_store *s, int argc, const char **argv, enum output_format fmt)
{
	const char *who = who_or_die(s), *now = now_string();
	struct psm_issue_set set = { 0 };
	struct strbuf msg = STRBUF_INIT;
	struct psm_txn *t = begin_or_die(s);
	int *changed, code = 0, i, r;

	if (!(changed = calloc((size_t)argc, sizeof(*changed))))
		die_txn(t, "out of memory");
	for (i = 0; i < argc; i++) {
		struct psm_issue *is = load_in_txn(t, s, argv[i]);

		if (psm_issue_set_add(&set, is) < 0)
			die_txn_psm(t);
		if ((r = psm_loop_followup_done(is, who, now)) < 0)
			die_txn_psm(t);
	}
	if (set.n == 1)
		commit_message(&msg, s, "followup", set.v[0]);
	else
		strbuf_addf(&msg, "psm followup %zu issues", set.n);
	if (!commit_or_die(t, set.v, set.n, changed, msg.buf))
		fprintf(stderr, "nothing to change: the follow-up was already recorded\n");
	for (i = 0; i < argc; i++)
		if (changed[i])
			code |= run_hook(s, "followup", set.v[i]);
	if (fmt == FMT_JSON && argc > 1) {
		json_t *arr = json_array();

		for (i = 0; arr && i < argc; i++)
			if (json_array_append_new(arr, psm_issue_json(set.v[i],
								       strlen(short_id(s, set.v[i])))) < 0)
				die("out of memory");
		print_json(arr);
	} else {
		for (i = 0; i < argc; i++)
			print_issue_result(s, set.v[i], fmt);
	}
	free(changed);
	psm_issue_set_release(&set);
	strbuf_release(&msg);
	return code ? EXIT_PROBLEMS : 0;
}

int cmd_followup(int argc, const char **argv, struct psm_store *s)
{
	const char *format = NULL, *template = NULL;
	int no_commit = 0, done = 0;
	struct option opts[] = {
		OPT_BOOL(0, "done", &done, "record that the reporters were told (now, by you)"),
		OPT_STRING(0, "template", &template, "resolution", "print the template in effect for <resolution>"),
		OPT_STRING(0, "format", &format, "fmt", "output: text or json"),
		OPT_NO_COMMIT(&no_commit),
		OPT_END(),
	};
	struct strbuf tmpl = STRBUF_INIT, source = STRBUF_INIT;
	enum output_format fmt;

	argc = parse_options(argc, argv, opts, followup_usage, 0);
	fmt = parse_format(format, "text,json");
	s->no_commit |= no_commit;
	if (template) {
		if (argc || done)
			usage_error(followup_usage, opts, "--template takes no IDs");
		if (psm_followup_template(&tmpl, &source, s, template) < 0)
			die_psm();
		fprintf(stderr, "# %s\n", source.buf);
		fputs(tmpl.buf, stdout);
		strbuf_release(&tmpl);
		strbuf_release(&source);
		return 0;
	}
	if (done) {
		if (!argc)
			usage_error(followup_usage, opts, "--done needs the IDs of the issues followed up");
		return mark_done(s, argc, argv, fmt);
	}
	return list_followups(s, argc, argv, fmt);
}
