/*
 * psm followup: every closed issue with reporters not told yet, person by
 * person, with a draft message for each; psm followup ID --done [--reporter
 * WHO] records the telling, --unreachable WHY one who cannot be told.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "psm/body.h"
#include "builtin.h"
#include "psm/cache.h"
#include "psm/followup.h"
#include "psm/followup-owed.h"
#include "psm/grow.h"
#include "followup-send.h"
#include "hook.h"
#include "loop-util.h"
#include "psm/loop.h"
#include "parse-options.h"
#include "psm/people.h"
#include "psm/time.h"
#include "psm/query.h"
#include "psm/render.h"
#include "ring.h"

static const char *const followup_usage[] = {
	"psm followup [--format <fmt>] [<id>...]",
	"psm followup <id>... --done [--ref <message-id>]",
	"psm followup <id> (--done [--ref <message-id>] | --unreachable <why>) --reporter <who>...",
	"psm followup [<id>...] [--reporter <who>...] --send [--dry-run | --to-file <dir>] [--yes]",
	"psm followup --template <resolution>",
	NULL
};

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static const char *const state_names[] = { "owed", "told", "unreachable" };

/*
 * What is listed: the issues named (loaded whole) or the owed ones the
 * scan kept packed, by date closed (at 100,000 issues some 40,000 are
 * owed). Each issue's text is made on every core, unpacked from its row
 * (ring.h), and printed in order. Short IDs come from the scan's listing,
 * not a folder read per issue; templates are read once per resolution,
 * before any text is made (the threads only look them up).
 */
struct owed {
	struct psm_row *row;
	int64_t closed;
};

struct template_memo {
	char *resolution; /* NULL: none */
	struct strbuf text, source;
};

struct listing {
	struct psm_store *s;
	struct psm_issue_set named;
	struct strbuf *named_sid; /* the named issues' short IDs */
	struct owed *v;
	size_t n, alloc;
	struct psm_files *files;
	struct template_memo *tm;
	size_t ntm;
	size_t people;            /* owed a follow-up, in all */
	const char *sender;
	int64_t now;
	int color, all_drafts, checking;
	enum output_format fmt;
	struct json_out o;
};

/* One of the two is empty: IDs were named, or the scan found the owed. */
static size_t listing_count(const struct listing *l)
{
	return l->named.n + l->n;
}

/* Issue i, valid until space is used again. */
static int listing_issue(const struct psm_issue **out, const struct listing *l,
			 struct psm_row_space *space, size_t i)
{
	if (l->named.n) {
		*out = l->named.v[i];
		return 0;
	}
	return psm_row_view(out, space, l->v[i].row);
}

/* Issue i's short ID, appended to out. */
static int listing_short_id(struct strbuf *out, const struct listing *l, size_t i,
			    const struct psm_issue *is)
{
	const char *id = psm_issue_get(is, "id");

	if (l->named.n)
		strbuf_addbuf(out, &l->named_sid[i]);
	else if (!id)
		strbuf_addch(out, '?');
	else if (psm_files_abbrev(out, l->files, id) < 0)
		return -1;
	return out->oom ? psm_oom() : 0;
}

/* The template for res, read the first time it is asked for. */
static void listing_template(struct listing *l, const char *res)
{
	struct template_memo *t, *nv;
	size_t i;

	for (i = 0; i < l->ntm; i++)
		if (res ? l->tm[i].resolution && !strcmp(l->tm[i].resolution, res)
			: !l->tm[i].resolution)
			return;
	if (!(nv = realloc(l->tm, (l->ntm + 1) * sizeof(*nv))))
		die("out of memory");
	l->tm = nv;
	t = &l->tm[l->ntm++];
	t->resolution = NULL;
	if (res && !(t->resolution = psm_strdup(res)))
		die("out of memory");
	strbuf_init(&t->text, 0);
	strbuf_init(&t->source, 0);
	if (psm_followup_template(&t->text, &t->source, l->s, res) < 0)
		die_psm();
}

/* The template listing_template() read for res (on any thread). */
static const struct template_memo *find_template(const struct listing *l, const char *res)
{
	size_t i;

	for (i = 0; i < l->ntm; i++)
		if (res ? l->tm[i].resolution && !strcmp(l->tm[i].resolution, res)
			: !l->tm[i].resolution)
			return &l->tm[i];
	return NULL;
}

static void listing_release(struct listing *l)
{
	size_t i;

	for (i = 0; l->named_sid && i < l->named.n; i++)
		strbuf_release(&l->named_sid[i]);
	free(l->named_sid);
	psm_issue_set_release(&l->named);
	for (i = 0; i < l->n; i++)
		psm_row_free(l->v[i].row);
	free(l->v);
	for (i = 0; i < l->ntm; i++) {
		free(l->tm[i].resolution);
		strbuf_release(&l->tm[i].text);
		strbuf_release(&l->tm[i].source);
	}
	free(l->tm);
	psm_files_put(l->files);
}

/* What is made of one issue: its people (one draft per person, as psm dup
 * tells reporters apart; the team's own addresses, people.h, get none),
 * its short ID, its template. */
struct item {
	const struct psm_issue *is;
	struct psm_followup_person *p;
	size_t n;
	struct strbuf sid;
	const struct template_memo *t;
};

static json_t *issue_json(const struct listing *l, const struct item *it)
{
	const struct psm_issue *is = it->is;
	const struct psm_config *cfg = l->s->config;
	json_t *o = json_object(), *arr = json_array();
	struct strbuf note = STRBUF_INIT, draft = STRBUF_INIT;
	size_t i;

	if (!o || !arr) {
		psm_oom();
		goto fail;
	}
	if (psm_body_get(&note, &is->body, "Release note") < 0)
		goto fail;
	json_object_set_new(o, "id", str_or_null(psm_issue_get(is, "id")));
	json_object_set_new(o, "short_id", json_string(it->sid.buf));
	json_object_set_new(o, "title", str_or_null(psm_issue_get(is, "title")));
	json_object_set_new(o, "resolution", str_or_null(psm_issue_get(is, "resolution")));
	json_object_set_new(o, "closed", str_or_null(psm_issue_get(is, "closed")));
	json_object_set_new(o, "owner", str_or_null(psm_issue_get(is, "owner")));
	json_object_set_new(o, "customer", str_or_null(psm_issue_get(is, "customer")));
	json_object_set_new(o, "release_note", note.len ? json_string(note.buf) : json_null());
	json_object_set_new(o, "pending", json_boolean(psm_loop_followup_owed(is, cfg)));
	json_object_set_new(o, "owed", json_integer((json_int_t)psm_followup_owed(is, cfg)));
	json_object_set_new(o, "template", json_string(it->t->source.buf));
	for (i = 0; i < it->n; i++) {
		const struct psm_node *r = it->p[i].reporter, *rec = it->p[i].record;
		json_t *rj;

		strbuf_reset(&draft);
		if (psm_followup_draft(&draft, it->t->text.buf, is, r, it->sid.buf, l->sender) < 0)
			goto fail;
		if (!(rj = json_object())) {
			psm_oom();
			goto fail;
		}
		json_object_set_new(rj, "name", str_or_null(psm_node_get_str(r, "name")));
		json_object_set_new(rj, "email", str_or_null(psm_node_get_str(r, "email")));
		json_object_set_new(rj, "contact", str_or_null(psm_node_get_str(r, "contact")));
		json_object_set_new(rj, "channel", str_or_null(psm_node_get_str(r, "channel")));
		json_object_set_new(rj, "via", str_or_null(psm_node_get_str(r, "via")));
		json_object_set_new(rj, "state", json_string(state_names[it->p[i].state]));
		json_object_set_new(rj, "done", str_or_null(it->p[i].done));
		json_object_set_new(rj, "by", str_or_null(it->p[i].by));
		json_object_set_new(rj, "ref", str_or_null(rec ? psm_node_get_str(rec, "ref") : NULL));
		json_object_set_new(rj, "unreachable",
				    str_or_null(rec ? psm_node_get_str(rec, "unreachable") : NULL));
		json_object_set_new(rj, "bounced", str_or_null(it->p[i].bounced));
		json_object_set_new(rj, "bounce", str_or_null(it->p[i].bounce));
		json_object_set_new(rj, "draft", json_string(draft.buf));
		json_array_append_new(arr, rj);
	}
	json_object_set_new(o, "reporters", arr);
	strbuf_release(&note);
	strbuf_release(&draft);
	return o;
fail:
	json_decref(o);
	json_decref(arr);
	strbuf_release(&note);
	strbuf_release(&draft);
	return NULL;
}

/* s made safe for a terminal (newlines kept), appended to out. */
static void add_safe(struct strbuf *out, const char *s)
{
	if (s)
		psm_sanitize(out, s, strlen(s), 1);
}

/* A draft (safe already: psm_followup_draft()), every line indented by
 * four spaces, for the terminal. */
static void add_indented(struct strbuf *out, const char *text)
{
	const char *p, *nl;

	for (p = text; *p; p = nl + 1) {
		if (!(nl = strchr(p, '\n')))
			nl = p + strlen(p) - 1;
		if (*p != '\n')
			strbuf_addstr(out, "    ");
		strbuf_add(out, p, (size_t)(nl - p) + 1);
	}
}

static void add_person(struct strbuf *sb, const struct psm_node *r)
{
	if (psm_reporter_format(sb, r) < 0)
		die_psm();
}

/*
 * One issue for the terminal: its people, each owed one with a draft;
 * those told or who cannot be, one line each. all_drafts (an ID was named):
 * a draft for everyone, to see again what was sent.
 */
static int add_text(struct strbuf *out, struct ring_local *local, const struct listing *l,
		    const struct item *it)
{
	const struct psm_issue *is = it->is;
	const char *res = psm_issue_get(is, "resolution"), *title = psm_issue_get(is, "title");
	/* the thread's own, kept from item to item (malloc's locks) */
	struct strbuf line = local->a, draft = local->b;
	int64_t closed = 0;
	size_t i;
	int r = 0;

	strbuf_reset(&line);
	strbuf_addf(out, "%s%s%s  ", l->color ? C_YELLOW : "", it->sid.buf, l->color ? C_RESET : "");
	strbuf_addf(&line, "%s  closed ", res ? res : "-");
	if (!psm_time_parse(psm_issue_get(is, "closed"), &closed)) {
		strbuf_add(&line, psm_issue_get(is, "closed"), 10);
		strbuf_addstr(&line, " (");
		psm_age_format(&line, l->now - closed);
		strbuf_addstr(&line, " ago)");
	} else {
		strbuf_addch(&line, '?');
	}
	strbuf_addf(&line, "  %s\n", title ? title : "");
	add_safe(out, line.buf);
	strbuf_addf(out, "  template: %s\n", it->t->source.buf);
	for (i = 0; i < it->n; i++) {
		const struct psm_followup_person *p = &it->p[i];
		const struct psm_node *rep = p->reporter;
		const char *chan = psm_node_get_str(rep, "channel");

		strbuf_reset(&line);
		if (p->state != PSM_FOLLOWUP_OWED) {
			const char *why = p->record ? psm_node_get_str(p->record, "unreachable") : NULL;

			strbuf_addstr(&line, p->state == PSM_FOLLOWUP_TOLD ? "  told " : "  cannot be told: ");
			add_person(&line, rep);
			strbuf_addf(&line, " %.10s by %s", p->done ? p->done : "?", p->by ? p->by : "?");
			if (why)
				strbuf_addf(&line, " (%s)", why);
			strbuf_addch(&line, '\n');
			add_safe(out, line.buf);
			if (!l->all_drafts)
				continue;
			strbuf_reset(&line);
		}
		strbuf_addstr(&line, "\n  to ");
		add_person(&line, rep);
		strbuf_addf(&line, "%s%s\n", chan ? " via " : "", chan ? chan : "");
		if (p->bounced) /* what was sent came back: the address may be wrong */
			strbuf_addf(&line, "  (the follow-up sent %.10s came back %.10s%s%s;\n"
				    "   a wrong address: mend it with psm edit %s, then send again)\n",
				    p->done ? p->done : "?", p->bounced, p->bounce ? ": " : "",
				    p->bounce ? p->bounce : "", it->sid.buf);
		if (p->state == PSM_FOLLOWUP_OWED && !psm_node_get_str(rep, "email") &&
		    !psm_node_get_str(rep, "contact"))
			strbuf_addf(&line, "  (no address: if they cannot be told, psm followup %s --unreachable WHY --reporter '%s')\n",
				    it->sid.buf, psm_node_get_str(rep, "name") ? psm_node_get_str(rep, "name") : "?");
		strbuf_addch(&line, '\n');
		add_safe(out, line.buf);
		strbuf_reset(&draft);
		if ((r = psm_followup_draft(&draft, it->t->text.buf, is, rep, it->sid.buf, l->sender)) < 0)
			break;
		add_indented(out, draft.buf);
	}
	strbuf_addch(out, '\n');
	local->a = line;
	local->b = draft;
	return r;
}

/*
 * Checking (before anything is printed): every reporter's draft, made and
 * dropped, so that one psm refuses (a merge conflict in its issue or
 * template) stops the command before half a listing is out. Else issue i's
 * text or JSON element. On any thread (ring.h).
 */
static int make_item(struct strbuf *out, struct ring_local *local, void *ctx, size_t i)
{
	const struct listing *l = ctx;
	const struct psm_node *reps;
	struct item it = { NULL, NULL, 0, STRBUF_INIT, NULL };
	size_t j;
	int r;

	if ((r = listing_issue(&it.is, l, &local->space, i)) < 0)
		return r;
	if (!(it.t = find_template(l, psm_issue_get(it.is, "resolution"))))
		return psm_error(PSM_ERROR, "no template read for '%s'", it.is->path);
	if (l->checking) {
		reps = psm_issue_node(it.is, "reporters");
		for (j = 0; !r && reps && reps->kind == PSM_SEQ && j < reps->n; j++) {
			strbuf_reset(out);
			if (reps->items[j]->kind == PSM_MAP)
				r = psm_followup_draft(out, it.t->text.buf, it.is, reps->items[j],
						       NULL, l->sender);
		}
		return r;
	}
	if ((r = psm_followup_people(&it.p, &it.n, it.is, l->s->config)) < 0 ||
	    (r = listing_short_id(&it.sid, l, i, it.is)) < 0)
		goto out;
	if (l->fmt == FMT_JSON) {
		json_t *elem = issue_json(l, &it);

		if (!elem)
			r = -1;
		else if (json_item_text(out, elem, 0) < 0)
			r = psm_error(PSM_ERROR, "could not write JSON");
	} else {
		r = add_text(out, local, l, &it);
	}
out:
	free(it.p);
	strbuf_release(&it.sid);
	return r;
}

static void put_item(void *ctx, size_t i, const char *text, size_t len)
{
	struct listing *l = ctx;

	(void)i;
	if (l->fmt == FMT_JSON)
		json_out_text(&l->o, text, len);
	else
		fwrite(text, 1, len, stdout);
}

static int cmp_closed(const void *a, const void *b)
{
	const struct owed *x = a, *y = b;

	if (x->closed != y->closed)
		return x->closed < y->closed ? -1 : 1;
	return strcmp(psm_row_path(x->row), psm_row_path(y->row));
}

/* The issues to list: those named, else every one that is owed. */
static int collect(struct listing *l, int argc, const char **argv)
{
	struct psm_store *s = l->s;
	const struct psm_issue *cur;
	struct psm_scan *sc;
	int i, code = 0, r;

	if (argc) {
		if (!(l->named_sid = calloc((size_t)argc, sizeof(*l->named_sid))))
			die("out of memory");
		for (i = 0; i < argc; i++) {
			struct psm_issue *is = load_issue_or_die(s, argv[i]);

			/* held first: still reachable when psm dies on it */
			if (psm_issue_set_add(&l->named, is) < 0)
				die_psm();
			if (psm_issue_is_open(is))
				die("'%s' is not closed: there is nothing to follow up yet", argv[i]);
			strbuf_init(&l->named_sid[i], 0);
			strbuf_addstr(&l->named_sid[i], short_id(s, is));
			listing_template(l, psm_issue_get(is, "resolution"));
		}
		return 0;
	}
	if (psm_scan_open(&sc, s, PSM_SCAN_BODY) < 0)
		die_psm();
	while ((r = psm_scan_next(sc, &cur)) > 0) {
		struct owed *nv;

		if (!psm_loop_followup_owed(cur, s->config))
			continue;
		if (!(nv = psm_grow(l->v, l->n, &l->alloc, sizeof(*nv), 256)))
			die("out of memory");
		l->v = nv;
		l->v[l->n].closed = 0;
		psm_time_parse(psm_issue_get(cur, "closed"), &l->v[l->n].closed);
		if (psm_scan_keep(&l->v[l->n].row, sc) < 0)
			die_psm();
		l->n++;
		l->people += psm_followup_owed(cur, s->config);
		listing_template(l, psm_issue_get(cur, "resolution"));
	}
	/* the short IDs come from the scan's listing, taken whole once it is
	 * read (asked for first, the scan would wait for all of it) */
	if (r < 0 || psm_files_get(&l->files, s) < 0)
		die_psm();
	code = report_scan_errors(psm_scan_errors(sc));
	psm_scan_free(sc);
	if (l->n > 1)
		qsort(l->v, l->n, sizeof(*l->v), cmp_closed);
	return code;
}

static int list_followups(struct psm_store *s, int argc, const char **argv,
			  enum output_format fmt)
{
	struct listing l;
	struct strbuf why = STRBUF_INIT, sid = STRBUF_INIT;
	int code;
	size_t n;

	memset(&l, 0, sizeof(l));
	l.s = s;
	l.sender = identity_name(s);
	l.now = now_or_die();
	l.color = want_color();
	l.all_drafts = argc > 0;
	l.fmt = fmt;
	code = collect(&l, argc, argv);
	n = listing_count(&l);
	/* psm_files_abbrev() indexes the listing on its first call: here, not
	 * on two threads at once; jansson seeds its hashing on its first object */
	if (l.files && n && psm_files_abbrev(&sid, l.files, "0") < 0)
		die_psm();
	json_decref(json_object());
	l.checking = 1;
	if (ring_run(n, make_item, NULL, &l, &why) < 0)
		die("%s", why.buf);
	l.checking = 0;
	if (ring_run(n, make_item, put_item, &l, &why) < 0)
		die("%s", why.buf);
	if (fmt == FMT_JSON)
		json_out_end(&l.o);
	else if (!argc && n)
		printf("%zu %s on %zu closed issue%s not told yet (psm followup ID --done [--reporter WHO] when they are)\n",
		       l.people, l.people == 1 ? "person" : "people", n, n == 1 ? "" : "s");
	else if (!argc)
		printf("no follow-ups owed\n");
	strbuf_release(&why);
	strbuf_release(&sid);
	listing_release(&l);
	return code;
}

/* What --done or --unreachable records, and for whom (no reporters: all owed). */
struct marking {
	const struct opt_list *reporters;
	const char *ref, *why;
};

static int mark_person(struct psm_issue *is, const struct psm_node *r, const struct marking *mk,
		       const char *by, const char *now)
{
	return mk->why ? psm_followup_unreachable(is, r, by, mk->why, now)
		       : psm_followup_told(is, r, by, mk->ref, now);
}

/* 0 when something was recorded, 1 when it all was already, or an error. */
static int mark_issue(struct psm_issue *is, const struct psm_config *cfg,
		      const struct marking *mk, const char *by, const char *now)
{
	const char *id = psm_issue_get(is, "id");
	struct psm_followup_person *p;
	const struct psm_node *r;
	size_t n, i;
	int ret = 1, one = 1;

	if (!mk->reporters->n && !mk->ref && !mk->why)
		return psm_loop_followup_done(is, cfg, by, now);
	if (!psm_streq(psm_issue_get(is, "status"), "closed"))
		return psm_error(PSM_EINVALID, "'%s' is not closed: follow up once it is", id ? id : "?");
	if (!psm_issue_count(is, "reporters"))
		return psm_error(PSM_EINVALID, "'%s' has no reporters to follow up with", id ? id : "?");
	for (i = 0; i < (size_t)mk->reporters->n && one >= 0; i++)
		if ((one = psm_followup_find(&r, is, mk->reporters->v[i])) == 0 &&
		    (one = mark_person(is, r, mk, by, now)) == 0)
			ret = 0;
	if (mk->reporters->n)
		return one < 0 ? one : ret;
	if (psm_followup_people(&p, &n, is, cfg) < 0)
		return PSM_ENOMEM;
	for (i = 0; i < n && one >= 0; i++)
		if (p[i].state == PSM_FOLLOWUP_OWED && (one = mark_person(is, p[i].reporter, mk, by, now)) == 0)
			ret = 0;
	free(p);
	return one < 0 ? one : ret;
}

static int mark_done(struct psm_store *s, int argc, const char **argv, const struct marking *mk,
		     enum output_format fmt)
{
	const char *who = who_or_die(s), *now = now_string();
	struct psm_issue_set set = { 0 };
	struct strbuf msg = STRBUF_INIT;
	struct psm_txn *t = begin_or_die(s);
	int *changed, code = 0, i;

	if (!(changed = calloc((size_t)argc, sizeof(*changed))))
		die_txn(t, "out of memory");
	for (i = 0; i < argc; i++) {
		struct psm_issue *is = load_in_txn(t, s, argv[i]);

		if (psm_issue_set_add(&set, is) < 0)
			die_txn_psm(t);
		if (mark_issue(is, s->config, mk, who, now) < 0)
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
	struct opt_list reporters = { 0 };
	struct marking mk = { &reporters, NULL, NULL };
	int no_commit = 0, done = 0, r;
	struct mail_opts mo = { 0 };
	struct option opts[] = {
		OPT_BOOL(0, "done", &done, "record that the reporters were told (now, by you)"),
		OPT_LIST(0, "reporter", &reporters, "who", "--done or --unreachable for this reporter only (e-mail, contact or name; repeatable)"),
		OPT_STRING(0, "ref", &mk.ref, "message-id", "with --done: the Message-ID or URL of the message that told them"),
		OPT_STRING(0, "unreachable", &mk.why, "why", "record that the reporter(s) cannot be told, and why"),
		OPT_STRING(0, "template", &template, "resolution", "print the template in effect for <resolution>"),
		OPT_STRING(0, "format", &format, "fmt", "output: text or json"),
		OPT_MAIL(&mo),
		OPT_NO_COMMIT(&no_commit),
		OPT_END(),
	};
	struct strbuf tmpl = STRBUF_INIT, source = STRBUF_INIT;
	enum output_format fmt;

	argc = parse_options(argc, argv, opts, followup_usage, 0);
	fmt = parse_format(format, "text,json");
	s->no_commit |= no_commit;
	if (template) {
		if (argc || done || mk.why || reporters.n || mk.ref)
			usage_error(followup_usage, opts, "--template takes no IDs");
		if (psm_followup_template(&tmpl, &source, s, template) < 0)
			die_psm();
		fprintf(stderr, "# %s\n", source.buf);
		fputs(tmpl.buf, stdout);
		strbuf_release(&tmpl);
		strbuf_release(&source);
		return 0;
	}
	if (mail_wanted(&mo)) {
		if (done || mk.why || mk.ref)
			usage_error(followup_usage, opts, "--send records what it sends: it does not mix with --done, --unreachable or --ref");
		if (reporters.n && argc != 1)
			usage_error(followup_usage, opts, "--reporter names the people of one issue: give one ID");
		r = followup_send(s, argc, argv, &mo, &reporters);
		opt_list_release(&reporters);
		return r;
	}
	if (done && mk.why)
		usage_error(followup_usage, opts, "--done and --unreachable do not mix: a person is told or cannot be");
	if (mk.ref && !done)
		usage_error(followup_usage, opts, "--ref goes with --done");
	if (reporters.n && !done && !mk.why)
		usage_error(followup_usage, opts, "--reporter goes with --done, --unreachable or --send");
	if (done || mk.why) {
		if (!argc)
			usage_error(followup_usage, opts, "%s needs the IDs of the issues followed up",
				    done ? "--done" : "--unreachable");
		if (reporters.n && argc > 1)
			usage_error(followup_usage, opts, "--reporter names the people of one issue: give one ID");
		r = mark_done(s, argc, argv, &mk, fmt);
		opt_list_release(&reporters);
		return r;
	}
	return list_followups(s, argc, argv, fmt);
}
