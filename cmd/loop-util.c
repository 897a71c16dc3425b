#include "loop-util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "editor.h"
#include "psm/cache.h"
#include "psm/limit.h"
#include "parse-options.h"

struct psm_txn *begin_or_die(struct psm_store *s)
{
	struct psm_txn *t;

	if (psm_txn_begin(&t, s) < 0)
		die_psm();
	return t;
}

void die_txn(struct psm_txn *t, const char *fmt, ...)
{
	struct strbuf msg = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&msg, fmt, ap);
	va_end(ap);
	psm_txn_free(t);
	die("%s", msg.buf);
}

void die_txn_psm(struct psm_txn *t)
{
	die_txn(t, "%s", psm_error_last());
}

size_t commit_or_die(struct psm_txn *t, struct psm_issue *const *v, size_t n, int *changed,
		     const char *msg)
{
	size_t i, written;
	int r;

	for (i = 0; i < n; i++) {
		if ((r = psm_txn_save(t, v[i])) < 0)
			die_txn_psm(t);
		if (changed)
			changed[i] = r;
	}
	written = psm_txn_count(t);
	if (written && psm_txn_commit(t, msg) < 0)
		die_txn_psm(t);
	psm_txn_free(t);
	return written;
}

struct psm_issue *load_in_txn(struct psm_txn *t, struct psm_store *s, const char *prefix)
{
	struct strbuf id = STRBUF_INIT;
	struct psm_issue *issue;

	if (psm_store_resolve(&id, s, prefix) < 0 || psm_store_load(&issue, s, id.buf) < 0)
		die_txn_psm(t);
	strbuf_release(&id);
	return issue;
}

void load_matching_in_txn(struct psm_issue_set *out, struct psm_issue_set *errors,
			  struct psm_txn *t, struct psm_store *s, unsigned flags,
			  int (*match)(const struct psm_issue *is, void *ctx), void *ctx)
{
	struct strbuf paths = STRBUF_INIT; /* NUL-terminated, one after another */
	const struct psm_issue_set *left_out;
	const struct psm_issue *is;
	struct psm_scan *sc;
	size_t i, n = 0;
	const char *p;
	int r;

	if (psm_scan_open(&sc, s, flags) < 0)
		die_txn_psm(t);
	while ((r = psm_scan_next(sc, &is)) > 0)
		if (match(is, ctx)) {
			strbuf_add(&paths, is->path, strlen(is->path) + 1);
			n++;
		}
	left_out = psm_scan_errors(sc);
	for (i = 0; r >= 0 && i < left_out->nerrors; i++) {
		const struct psm_scan_error *e = &left_out->errors[i];

		r = psm_issue_set_error(errors, e->path, e->line, e->col, e->msg);
	}
	psm_scan_free(sc);
	if (r < 0 || paths.oom)
		die_txn(t, "%s", paths.oom ? "out of memory" : psm_error_last());
	for (p = paths.buf, i = 0; i < n; i++, p += strlen(p) + 1) {
		struct psm_yaml_error err = { 0, 0, STRBUF_INIT };
		struct psm_issue *found;

		if (psm_store_load_path(&found, s, p, &err) < 0) {
			strbuf_release(&err.msg);
			die_txn_psm(t);
		}
		strbuf_release(&err.msg);
		/* held first: released with out whatever comes next */
		if (psm_issue_set_add(out, found) < 0) {
			psm_issue_free(found);
			die_txn_psm(t);
		}
	}
	strbuf_release(&paths);
}

const char *who_or_die(struct psm_store *s)
{
	const char *me = identity_email(s);

	if (!me || !*me)
		die("psm signs this with your e-mail: set it with 'git config user.email you@example.com'");
	return me;
}

const char *identity_name(struct psm_store *s)
{
	static struct strbuf name = STRBUF_INIT, email = STRBUF_INIT;

	if (!name.len && !email.len && psm_git_identity(&name, &email, s->git) < 0) {
		psm_error_clear();
		return "";
	}
	return name.len ? name.buf : email.buf;
}

void read_text(struct strbuf *out, struct psm_store *s, const struct opt_list *msgs,
	       const char *file, const char *edit_name, const char *template)
{
	int i;

	for (i = 0; i < msgs->n; i++) {
		if (i)
			strbuf_addstr(out, "\n\n");
		strbuf_addstr(out, msgs->v[i]);
		strbuf_rtrim(out);
	}
	if (file) {
		int r = !strcmp(file, "-") ? strbuf_read_fd(out, 0, PSM_LIMIT_FILE_SIZE)
					    : strbuf_read_file(out, file, PSM_LIMIT_FILE_SIZE);

		if (r < 0 && errno == EFBIG)
			die("'%s' is larger than an issue file may be: over the limit "
			    PSM_LIMIT_FILE_SIZE_NAME, file);
		if (r < 0)
			die("could not read '%s': %s", file, strerror(errno));
	}
	if (!msgs->n && !file && edit_name && isatty(0) && isatty(2))
		edit_text(out, s, edit_name, template);
	strbuf_rtrim(out);
	if (out->oom)
		die("out of memory");
}

void check_config_value(struct psm_store *s, const char *list, const char *what,
			const char *value)
{
	struct strbuf allowed = STRBUF_INIT;

	if (psm_config_allows(s->config, list, value))
		return;
	psm_config_join(&allowed, s->config, list);
	die("unknown %s '%s' (the config's %s: %s)", what, value, list, allowed.buf);
}

void say_unchanged(struct psm_store *s, const struct psm_issue *issue, const char *why)
{
	struct strbuf msg = STRBUF_INIT;

	strbuf_addf(&msg, "%s: nothing to change (%s)\n", short_id(s, issue), why);
	put_safe(stderr, msg.buf, 1);
	strbuf_release(&msg);
}
