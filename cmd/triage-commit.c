/*
 * The triage session's decisions: each one loads the item (and a
 * duplicate's target) under the store lock, applies the change, writes and
 * commits at once, and remembers the files as they were and became, so undo
 * can put them back in a new commit if nobody changed them since.
 */
#include <stdlib.h>
#include <string.h>

#include "hook.h"
#include "psm/grow.h"
#include "psm/loop.h"
#include "psm/time.h"
#include "triage-int.h"

const char *session_now(struct session *ss)
{
	static struct strbuf sb = STRBUF_INIT;

	ss->now_t = now_or_die();
	strbuf_reset(&sb);
	if (psm_time_format(&sb, ss->now_t) < 0)
		die_psm();
	return ss->now = sb.buf;
}

/* ---- decisions ------------------------------------------------------------ */

void undo_file_release(struct undo_file *f)
{
	free(f->path);
	strbuf_release(&f->before);
	strbuf_release(&f->after);
}

static int read_store_file(struct strbuf *out, struct session *ss, const char *path)
{
	struct strbuf full = STRBUF_INIT;
	int r;

	strbuf_addf(&full, "%s%s", ss->s->root, path);
	r = strbuf_read_file(out, full.buf, 16 << 20);
	strbuf_release(&full);
	return r;
}

static struct psm_issue *parse_text(const struct strbuf *text, const char *path)
{
	struct psm_yaml_error err = { 0, 0, STRBUF_INIT };
	struct psm_issue *is = NULL;

	if (psm_issue_parse(&is, text->buf, text->len, &err) < 0 || !(is->path = psm_strdup(path))) {
		psm_issue_free(is);
		is = NULL;
	}
	strbuf_release(&err.msg);
	return is;
}

int load_path(struct psm_issue **out, struct session *ss, const char *path)
{
	struct psm_yaml_error err = { 0, 0, STRBUF_INIT };
	int r = psm_store_load_path(out, ss->s, path, &err);

	strbuf_release(&err.msg);
	return r;
}

/* Keep the owners' counts and the similarity index in step with a change. */
static void note_change(struct session *ss, const struct strbuf *was, struct psm_issue *is)
{
	struct psm_issue *old = parse_text(was, is->path);

	if (old)
		owner_load_count(&ss->ol, old, -1);
	owner_load_count(&ss->ol, is, 1);
	psm_issue_free(old);
	if (ss->ix && psm_similar_update(ss->ix, is) < 0)
		psm_error_clear(); /* the index is a cache: refreshed next time */
}

static void commit_msg(struct strbuf *msg, struct session *ss, const char *verb,
		       const struct psm_issue *is)
{
	strbuf_reset(msg);
	commit_message(msg, ss->s, verb, is);
}

/*
 * Load the item (and target) fresh under the lock, apply, write, commit.
 * Returns 0 when decided, -1 when not (the message is printed).
 */
int decide(struct session *ss, int kind, const char *verb, const char *target_id,
	   apply_fn apply, const void *arg)
{
	struct psm_issue *v[2] = { NULL, NULL };
	struct strbuf msg = STRBUF_INIT, tid = STRBUF_INIT;
	struct decision d;
	struct psm_txn *t = NULL;
	size_t i, n = target_id ? 2 : 1;
	int r;

	memset(&d, 0, sizeof(d));
	session_now(ss);
	if ((r = psm_txn_begin(&t, ss->s)) < 0)
		goto out;
	if ((r = load_path(&v[0], ss, ss->item->path)) < 0)
		goto out;
	if (!triage_in_queue(v[0], ss->now_t)) {
		/* decided elsewhere since it was shown: theirs stands */
		r = psm_error(PSM_ECONFLICT, "%s changed since it was shown (status %s now): press s to go on",
			      short_id(ss->s, v[0]),
			      psm_issue_get(v[0], "status") ? psm_issue_get(v[0], "status") : "none");
		goto out;
	}
	if (target_id && ((r = psm_store_resolve(&tid, ss->s, target_id)) < 0 ||
			  (r = psm_store_load(&v[1], ss->s, tid.buf)) < 0))
		goto out;
	for (i = 0; i < n; i++) {
		strbuf_init(&d.f[i].before, 0);
		strbuf_init(&d.f[i].after, 0);
		if (!(d.f[i].path = psm_strdup(v[i]->path)) ||
		    read_store_file(&d.f[i].before, ss, v[i]->path) < 0) {
			r = psm_error_errno(PSM_ERROR, "could not read '%s'", v[i]->path);
			d.nf = i + 1;
			goto out;
		}
		d.nf = i + 1;
	}
	if ((r = apply(ss, v[0], v[1], arg)) < 0)
		goto out;
	for (i = 0; i < n; i++)
		if ((r = psm_txn_save(t, v[i])) < 0 || (r = psm_issue_format(&d.f[i].after, v[i])) < 0)
			goto out;
	commit_msg(&msg, ss, verb, v[0]);
	r = psm_txn_commit(t, msg.buf);
	if (r < 0 && r != PSM_EUNCHANGED)
		goto out;
	psm_txn_free(t);
	t = NULL;
	for (i = 0; i < n; i++)
		note_change(ss, &d.f[i].before, v[i]);
	if (kind == N_TRIAGED && psm_streq(psm_issue_get(v[0], "status"), "parked"))
		kind = N_PARKED; /* response park parks it */
	d.kind = kind;
	if (kind == N_TRIAGED && psm_streq(psm_issue_get(v[0], "response"), "fix-fast")) {
		struct fixfast *f;

		if (ss->nff == ss->ffalloc) {
			struct fixfast *nf = psm_grow(ss->ff, ss->nff, &ss->ffalloc, sizeof(*nf), 8);

			if (!nf)
				die("out of memory");
			ss->ff = nf;
		}
		f = &ss->ff[ss->nff++];
		f->id = psm_strdup(short_id(ss->s, v[0]));
		f->owner = psm_strdup(psm_issue_get(v[0], "owner"));
		f->title = psm_strdup(psm_issue_get(v[0], "title"));
		d.fixfast = 1;
	}
	if (ss->ndone == ss->dalloc) {
		struct decision *nd = psm_grow(ss->done, ss->ndone, &ss->dalloc, sizeof(*nd), 16);

		if (!nd)
			die("out of memory");
		ss->done = nd;
	}
	ss->done[ss->ndone++] = d;
	ss->count[kind]++;
	screen_decided(ss, kind, v[0], v[1]);
	run_hook(ss->s, verb, v[0]);
	r = 0;
out:
	if (r < 0) {
		error("%s", psm_error_last());
		for (i = 0; i < d.nf; i++)
			undo_file_release(&d.f[i]);
	}
	psm_txn_free(t); /* NULL once committed; else it puts the files back */
	psm_issue_free(v[0]);
	psm_issue_free(v[1]);
	strbuf_release(&msg);
	strbuf_release(&tid);
	return r < 0 ? -1 : 0;
}

static int apply_staged(struct session *ss, struct psm_issue *item)
{
	if (ss->stage_type && psm_issue_set(item, "type", ss->stage_type) < 0)
		return psm_error(PSM_ENOMEM, "out of memory");
	if (ss->stage_owner && psm_loop_assign(item, ss->stage_owner, ss->now) < 0)
		return PSM_ERROR;
	return 0;
}

int apply_triage(struct session *ss, struct psm_issue *item, struct psm_issue *target,
			const void *arg)
{
	const char *const *io = arg; /* impact, owner */
	struct triage_decision d = { 0 };

	d.type = ss->stage_type;
	d.impact = io[0];
	d.owner = io[1];
	return triage_apply(ss->s, item, &d, ss->now);
}

int apply_dup(struct session *ss, struct psm_issue *item, struct psm_issue *target,
		     const void *arg)
{
	int r = psm_loop_dup(item, target, ss->now);

	if (r < 0)
		return r;
	return psm_issue_set(item, "triaged", ss->now) < 0 ? psm_error(PSM_ENOMEM, "out of memory") : 0;
}

int apply_park(struct session *ss, struct psm_issue *item, struct psm_issue *target,
		      const void *arg)
{
	int r = apply_staged(ss, item);

	return r < 0 ? r : park_apply(item, arg, ss->now);
}

int apply_close(struct session *ss, struct psm_issue *item, struct psm_issue *target,
		       const void *arg)
{
	int r = apply_staged(ss, item);

	if (r < 0 || (r = psm_loop_close(item, arg, NULL, NULL, ss->now)) < 0)
		return r;
	return psm_issue_set(item, "triaged", ss->now) < 0 ? psm_error(PSM_ENOMEM, "out of memory") : 0;
}

int apply_reopen(struct session *ss, struct psm_issue *item, struct psm_issue *target,
		 const void *arg)
{
	int r;

	if (target && (r = psm_loop_undup(item, target, ss->now)) < 0)
		return r;
	if ((r = psm_loop_reopen(item, ss->now)) < 0)
		return r;
	return psm_issue_set(item, "triaged", ss->now) < 0 ? psm_error(PSM_ENOMEM, "out of memory") : 0;
}

int apply_keep(struct session *ss, struct psm_issue *item, struct psm_issue *target,
	       const void *arg)
{
	return psm_loop_keep_closed(item, ss->now);
}

/* Show the item at queue index j again next: move it to just before pos. */
static void requeue(struct session *ss, const char *path)
{
	size_t j;

	for (j = ss->pos; j-- > 0;)
		if (!strcmp(ss->queue.v[j]->path, path)) {
			struct psm_issue *is = ss->queue.v[j];

			memmove(ss->queue.v + j, ss->queue.v + j + 1,
				(ss->pos - 1 - j) * sizeof(*ss->queue.v));
			ss->queue.v[--ss->pos] = is;
			return;
		}
}

int undo_last(struct session *ss)
{
	struct psm_issue *v[2] = { NULL, NULL };
	struct strbuf cur = STRBUF_INIT, msg = STRBUF_INIT;
	struct psm_txn *t = NULL;
	struct decision *d;
	size_t i;
	int r;

	if (!ss->ndone) {
		printf("Nothing to undo: no decision made in this session yet.\n");
		return -1;
	}
	d = &ss->done[ss->ndone - 1];
	session_now(ss);
	if ((r = psm_txn_begin(&t, ss->s)) < 0)
		goto out;
	for (i = 0; i < d->nf; i++) {
		strbuf_reset(&cur);
		if (read_store_file(&cur, ss, d->f[i].path) < 0 || cur.len != d->f[i].after.len ||
		    memcmp(cur.buf, d->f[i].after.buf, cur.len)) {
			r = psm_error(PSM_ECONFLICT, "'%s' changed after that decision: not undone",
				      d->f[i].path);
			goto out;
		}
		if (!(v[i] = parse_text(&d->f[i].before, d->f[i].path))) {
			r = psm_error(PSM_EPARSE, "could not read back '%s'", d->f[i].path);
			goto out;
		}
		if ((r = psm_txn_save(t, v[i])) < 0)
			goto out;
	}
	commit_msg(&msg, ss, "triage undo", v[0]);
	r = psm_txn_commit(t, msg.buf);
	if (r < 0 && r != PSM_EUNCHANGED)
		goto out;
	psm_txn_free(t);
	t = NULL;
	for (i = 0; i < d->nf; i++)
		note_change(ss, &d->f[i].after, v[i]);
	ss->count[d->kind]--;
	if (d->fixfast && ss->nff) {
		struct fixfast *f = &ss->ff[--ss->nff];

		free(f->id);
		free(f->owner);
		free(f->title);
	}
	printf("Undone: %s is back as it was.\n", short_id(ss->s, v[0]));
	requeue(ss, d->f[0].path);
	for (i = 0; i < d->nf; i++)
		undo_file_release(&d->f[i]);
	ss->ndone--;
	r = 0;
out:
	if (r < 0)
		error("%s", psm_error_last());
	psm_txn_free(t); /* NULL once committed; else it puts the files back */
	psm_issue_free(v[0]);
	psm_issue_free(v[1]);
	strbuf_release(&cur);
	strbuf_release(&msg);
	return r < 0 ? -1 : 0;
}

