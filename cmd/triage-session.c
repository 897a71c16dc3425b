/*
 * The triage session: the queue one item at a time, like git add -p. Each
 * decision (impact, duplicate, park, close) is its own transaction and
 * commit, made at once, so quitting or losing the terminal loses nothing
 * decided. Undo puts back the files the last decision changed, in a new
 * commit, and shows that item again.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "psm/cache.h"
#include "psm/time.h"
#include "psm/query.h"
#include "triage-int.h"

#define MAX_HITS 5
#define MIN_HIT 0.1 /* below this the "similar" issues are noise */

/* ---- menus ---------------------------------------------------------------- */

/* "title: 1 a, 2 b? " and a choice: its index, -1 cancelled, -2 end of input. */
static int menu(struct session *ss, const char *title, const char *const *labels, size_t n)
{
	struct strbuf key = STRBUF_INIT;
	size_t i;
	long v;
	char *end;
	int r;

	for (;;) {
		printf("%s: ", title);
		for (i = 0; i < n; i++)
			printf("%s%zu %s", i ? ", " : "", i + 1, labels[i]);
		printf(" (Esc cancels)? ");
		fflush(stdout);
		if (!(ss->raw && n > 9 ? line_read(&key) : key_read(&key))) {
			r = -2;
			break;
		}
		if (!key.len || !strcmp(key.buf, "\033") || !strcmp(key.buf, "q")) {
			r = -1;
			break;
		}
		v = strtol(key.buf, &end, 10);
		if (!*end && v >= 1 && (size_t)v <= n) {
			r = (int)v - 1;
			break;
		}
		printf("Choose a number from 1 to %zu.\n", n);
		keys_discard();
	}
	strbuf_release(&key);
	return r;
}

/* An owner: from the config's list, me, auto, or typed when there is no
 * list. *owner NULL with 0: none chosen. -2 at end of input. */
static int ask_owner(struct session *ss, const char *title, const char **owner)
{
	static struct strbuf typed = STRBUF_INIT;
	struct strbuf key = STRBUF_INIT;
	size_t i;
	char *end;
	long v;
	int r = 0;

	*owner = NULL;
	if (!ss->ol.n) {
		printf("%s (a name or e-mail, 'me', or Enter for none): ", title);
		if (!line_read(&typed))
			return -2;
		if (typed.len)
			*owner = !strcmp(typed.buf, "me") ? identity_email(ss->s) : typed.buf;
		if (typed.len && !*owner)
			printf("'me' needs a git identity (git config user.email).\n");
		return 0;
	}
	for (;;) {
		printf("%s: ", title);
		for (i = 0; i < ss->ol.n; i++) {
			const struct psm_person *p = &ss->ol.people.v[i];

			printf("%zu %s (%zu open), ", i + 1,
			       p->handle ? p->handle : p->name ? p->name : ss->ol.name[i],
			       ss->ol.open[i]);
		}
		printf("m me, a auto, n none? ");
		fflush(stdout);
		if (!(ss->raw && ss->ol.n > 9 ? line_read(&key) : key_read(&key))) {
			r = -2;
			break;
		}
		if (!key.len || !strcmp(key.buf, "\033") || !strcmp(key.buf, "n"))
			break;
		if (!strcmp(key.buf, "a")) {
			*owner = owner_load_pick(&ss->ol);
			break;
		}
		if (!strcmp(key.buf, "m")) {
			if (!(*owner = identity_email(ss->s)))
				printf("'me' needs a git identity (git config user.email).\n");
			else if ((v = psm_people_find(&ss->ol.people, *owner, 1)) < 0)
				printf("%s is not in the config's owners.\n", *owner), *owner = NULL;
			else {
				*owner = ss->ol.name[v];
				break;
			}
			continue;
		}
		v = strtol(key.buf, &end, 10);
		if (!*end && v >= 1 && (size_t)v <= ss->ol.n) {
			*owner = ss->ol.name[v - 1];
			break;
		}
		printf("Choose a number from 1 to %zu, m, a or n.\n", ss->ol.n);
		keys_discard();
	}
	strbuf_release(&key);
	return r;
}

/* ---- the loop --------------------------------------------------------------- */

enum { NEXT, AGAIN, QUIT, UNDONE };

/* Labels of a config list (or a map's keys), skipping `except`. */
static size_t config_labels(const char ***out, struct psm_store *s, const char *key,
			    const char *except)
{
	const struct psm_node *n = psm_node_get(s->config->root, key);
	size_t i, step = n && n->kind == PSM_MAP ? 2 : 1, k = 0;

	*out = calloc(n && n->n ? n->n : 1, sizeof(**out));
	if (!*out)
		die("out of memory");
	for (i = 0; n && n->kind != PSM_SCALAR && i < n->n; i += step) {
		const char *v = psm_node_str(n->items[i]);

		if (v && !psm_streq(v, except))
			(*out)[k++] = v;
	}
	return k;
}

static int key_impact(struct session *ss)
{
	const char **names, **labels, *io[2];
	struct strbuf *sb;
	size_t n = config_labels(&names, ss->s, "impacts", NULL), i;
	int c, r = AGAIN;

	labels = calloc(n ? n : 1, sizeof(*labels));
	sb = calloc(n ? n : 1, sizeof(*sb));
	if (!labels || !sb)
		die("out of memory");
	for (i = 0; i < n; i++) {
		const char *resp = impact_response(ss->s, names[i]);

		strbuf_init(&sb[i], 0);
		strbuf_addf(&sb[i], "%s%s%s%s", names[i], resp ? " (" : "", resp ? resp : "",
			    resp ? ")" : "");
		labels[i] = sb[i].buf;
	}
	c = menu(ss, "impact", labels, n);
	if (c == -2)
		r = QUIT;
	if (c < 0)
		goto out;
	io[0] = names[c];
	io[1] = ss->stage_owner;
	if (!io[1] && !psm_issue_get(ss->item, "owner") &&
	    psm_streq(impact_response(ss->s, names[c]), "fix-fast") &&
	    ask_owner(ss, "fix-fast: who owns it", &io[1]) == -2) {
		r = QUIT;
		goto out;
	}
	if (!decide(ss, N_TRIAGED, "triage", NULL, apply_triage, io))
		r = NEXT;
out:
	for (i = 0; i < n; i++)
		strbuf_release(&sb[i]);
	free(sb);
	free(labels);
	free(names);
	return r;
}

static int key_dup(struct session *ss)
{
	struct strbuf *sb;
	const char **labels;
	size_t i;
	int c, r = AGAIN;

	if (!ss->nhits) {
		printf("No similar issues to merge it into (psm dup <id> --of <target> does any).\n");
		return AGAIN;
	}
	labels = calloc(ss->nhits, sizeof(*labels));
	sb = calloc(ss->nhits, sizeof(*sb));
	if (!labels || !sb)
		die("out of memory");
	for (i = 0; i < ss->nhits; i++) {
		strbuf_init(&sb[i], 0);
		strbuf_add(&sb[i], ss->hits[i].id, PSM_SHORT_ID_LEN);
		labels[i] = sb[i].buf;
	}
	c = menu(ss, "duplicate of", labels, ss->nhits);
	if (c == -2)
		r = QUIT;
	else if (c >= 0 && !decide(ss, N_DUP, "dup", ss->hits[c].id, apply_dup, NULL))
		r = NEXT;
	for (i = 0; i < ss->nhits; i++)
		strbuf_release(&sb[i]);
	free(sb);
	free(labels);
	return r;
}

static int key_park(struct session *ss)
{
	static const char *const labels[] = { "1 week", "2 weeks", "4 weeks", "12 weeks" };
	static const char *const spans[] = { "1w", "2w", "4w", "12w" };
	struct strbuf date = STRBUF_INIT;
	int c = menu(ss, "park for", labels, 4), r = AGAIN;

	if (c == -2)
		return QUIT;
	if (c < 0)
		return AGAIN;
	if (park_until(&date, spans[c], ss->now_t) < 0)
		die_psm();
	if (!decide(ss, N_PARKED, "park", NULL, apply_park, date.buf))
		r = NEXT;
	strbuf_release(&date);
	return r;
}

static int key_close(struct session *ss)
{
	const char **res;
	size_t n = config_labels(&res, ss->s, "resolutions", "duplicate");
	int c = menu(ss, "close as", res, n), r = AGAIN;

	if (c == -2)
		r = QUIT;
	else if (c >= 0 && !decide(ss, N_CLOSED, "close", NULL, apply_close, res[c]))
		r = NEXT;
	free(res);
	return r;
}

static int key_type(struct session *ss)
{
	const char **types;
	size_t n = config_labels(&types, ss->s, "types", NULL);
	int c = menu(ss, "type", types, n);

	if (c >= 0)
		ss->stage_type = types[c]; /* the config's string: lives as long as s */
	free(types);
	return c == -2 ? QUIT : AGAIN;
}

/* Reopen a closed item a customer replied to; a duplicate's reporters go
 * back from its target, as psm reopen does. */
static int key_reopen(struct session *ss)
{
	const char *of = psm_issue_get(ss->item, "duplicate_of");
	struct strbuf tid = STRBUF_INIT;
	int r = AGAIN;

	if (of && psm_store_resolve(&tid, ss->s, of) < 0) {
		psm_error_clear(); /* the target is gone: nothing to take back */
		of = NULL;
	}
	if (!decide(ss, N_REOPENED, "reopen", of, apply_reopen, NULL))
		r = NEXT;
	strbuf_release(&tid);
	return r;
}

/* The keys for a closed item a customer replied to: reopen or keep closed. */
static int replied_key(struct session *ss, int c)
{
	switch (c) {
	case 'r':
		return key_reopen(ss);
	case 'k':
		return decide(ss, N_KEPT, "triage", NULL, apply_keep, NULL) ? AGAIN : NEXT;
	case 't': case 'i': case 'o': case 'd': case 'p': case 'c':
		printf("It is closed and the customer wrote since: r reopens it, k keeps it closed.\n");
		keys_discard();
		return AGAIN;
	}
	return -1; /* the keys every item has */
}

static int item_keys(struct session *ss)
{
	struct strbuf key = STRBUF_INIT;
	const char *owner;
	int r = AGAIN;

	while (r == AGAIN) {
		screen_prompt(ss);
		if (!key_read(&key)) {
			r = QUIT;
			break;
		}
		if (key.len > 1) {
			printf("One key at a time: '%c' ... (? for help).\n", key.buf[0]);
			continue;
		}
		if (key.len && triage_replied(ss->item) && (r = replied_key(ss, key.buf[0])) >= 0)
			continue;
		r = AGAIN;
		switch (key.len ? key.buf[0] : '\n') {
		case 't': r = key_type(ss); break;
		case 'i': r = key_impact(ss); break;
		case 'd': r = key_dup(ss); break;
		case 'p': r = key_park(ss); break;
		case 'c': r = key_close(ss); break;
		case 'o':
			if (ask_owner(ss, "owner", &owner) == -2)
				r = QUIT;
			else
				ss->stage_owner = owner;
			break;
		case 's':
			ss->count[N_SKIPPED]++;
			r = NEXT;
			break;
		case 'u':
			if (!undo_last(ss))
				r = UNDONE; /* show the item undone */
			break;
		case 'q':
			r = QUIT;
			break;
		case '?': case 'h':
			screen_help();
			break;
		case '\n': case '\033':
			break;
		default:
			printf("Unknown key '%c' (? for help).\n", (unsigned char)key.buf[0] < 0x20 ? '?' : key.buf[0]);
			keys_discard();
		}
	}
	strbuf_release(&key);
	return r;
}

static void screen_size(struct session *ss)
{
	struct winsize ws;

	ss->color = want_color();
	ss->cols = term_width() > 0 ? term_width() : 80;
	ss->rows = 24; /* not a terminal: a classic screen's worth */
	if (isatty(1) && !ioctl(1, TIOCGWINSZ, &ws) && ws.ws_row)
		ss->rows = ws.ws_row;
}

/* Drop queue entry pos (someone else dealt with it meanwhile). */
static void drop_current(struct session *ss)
{
	psm_issue_free(ss->queue.v[ss->pos]);
	memmove(ss->queue.v + ss->pos, ss->queue.v + ss->pos + 1,
		(ss->queue.n - ss->pos - 1) * sizeof(*ss->queue.v));
	ss->queue.n--;
}

static void session_release(struct session *ss)
{
	size_t i, j;

	for (i = 0; i < ss->ndone; i++)
		for (j = 0; j < ss->done[i].nf; j++)
			undo_file_release(&ss->done[i].f[j]);
	for (i = 0; i < ss->nff; i++) {
		free(ss->ff[i].id);
		free(ss->ff[i].owner);
		free(ss->ff[i].title);
	}
	free(ss->done);
	free(ss->ff);
	free(ss->hits);
	psm_issue_free(ss->item);
	psm_issue_set_release(&ss->queue);
	owner_load_release(&ss->ol);
	if (ss->ix && psm_similar_save(ss->ix) < 0)
		psm_error_clear();
	psm_similar_free(ss->ix);
}

/*
 * What is left is what the store says at the end, not the session's
 * position: skipped items are still new, others may have taken items in
 * or triaged some meanwhile. Read through the cache (cache.h), an issue at
 * a time: the store is not held whole to count it. Without a readable
 * store, what the session knows.
 */
static void count_left(struct session *ss)
{
	const struct psm_issue *is;
	struct psm_scan *sc;
	size_t left = 0;
	int r;

	session_now(ss);
	if (psm_scan_open(&sc, ss->s, 0) < 0) {
		r = -1;
	} else {
		while ((r = psm_scan_next(sc, &is)) > 0)
			left += triage_in_queue(is, ss->now_t);
		psm_scan_free(sc);
	}
	if (r < 0) {
		psm_error_clear();
		left = ss->queue.n > ss->pos ? ss->queue.n - ss->pos : 0;
	}
	ss->left = left;
}

int triage_session(struct psm_store *s, int64_t timebox)
{
	struct psm_files *pass = NULL;
	struct session ss;
	size_t seen = 0;
	int code, r = NEXT, spent = 0;

	memset(&ss, 0, sizeof(ss));
	ss.s = s;
	ss.timebox = timebox;
	clock_gettime(CLOCK_MONOTONIC, &ss.start);
	session_now(&ss);
	owner_load_init(&ss.ol, s);
	/* the queue and the similar index share one listing of issues/ */
	if (psm_files_get(&pass, s) < 0)
		die_psm();
	code = triage_queue_load(&ss.queue, s, ss.now_t, &ss.ol, NULL);
	if (!ss.queue.n) {
		psm_files_put(pass);
		printf("Nothing to triage: the queue is empty.\n");
		session_release(&ss);
		return code;
	}
	if (psm_similar_open(&ss.ix, s) < 0) {
		warning("similar issues are not available: %s", psm_error_last());
		psm_error_clear();
	}
	psm_files_put(pass);
	screen_size(&ss);
	ss.raw = keys_open();
	while (r != QUIT && ss.pos < ss.queue.n) {
		if (timebox && session_elapsed(&ss) >= (double)timebox) {
			spent = 1;
			break;
		}
		session_now(&ss);
		psm_issue_free(ss.item);
		ss.item = NULL;
		if (load_path(&ss.item, &ss, ss.queue.v[ss.pos]->path) < 0 ||
		    !triage_in_queue(ss.item, ss.now_t)) {
			psm_error_clear();
			drop_current(&ss);
			continue;
		}
		free(ss.hits);
		ss.hits = NULL;
		ss.nhits = 0;
		if (ss.ix && psm_similar_find(&ss.hits, &ss.nhits, ss.ix, ss.item,
					      ss.now_t - similar_window(s), MAX_HITS, MIN_HIT) < 0)
			psm_error_clear();
		ss.stage_type = ss.stage_owner = NULL;
		if (ss.pos + 1 > seen)
			seen = ss.pos + 1;
		ss.shown = seen;
		screen_size(&ss); /* the window may have been resized */
		screen_item(&ss);
		r = item_keys(&ss);
		if (r == NEXT)
			ss.pos++;
	}
	keys_close();
	if (spent) {
		struct strbuf sb = STRBUF_INIT;

		format_clock(&sb, timebox);
		printf("\nThe time box (%s) is spent: stopping here.\n", sb.buf);
		strbuf_release(&sb);
	} else if (ss.pos >= ss.queue.n) {
		printf("\nThat was the last item in the queue.\n");
	}
	count_left(&ss);
	screen_summary(&ss);
	session_release(&ss);
	return code;
}
