#include "common.h"

#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "psm/json-safe.h"
#include "parse-options.h"
#include "psm/query.h"
#include "psm/time.h"
#include "psm/render.h"

static void vreport(const char *prefix, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

static void vreport(const char *prefix, const char *fmt, va_list ap)
{
	struct strbuf msg = STRBUF_INIT;

	fflush(stdout);
	strbuf_vaddf(&msg, fmt, ap);
	fputs(prefix, stderr);
	/* messages may quote customer text: keep them from driving the terminal */
	put_safe(stderr, msg.buf, 1);
	fputc('\n', stderr);
	strbuf_release(&msg);
}

void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("fatal: ", fmt, ap);
	va_end(ap);
	exit(EXIT_FATAL);
}

int error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("error: ", fmt, ap);
	va_end(ap);
	return -1;
}

void warning(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("warning: ", fmt, ap);
	va_end(ap);
}

void die_psm(void)
{
	die("%s", psm_error_last());
}

void usage_error(const char *const *usage, const struct option *opts, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("error: ", fmt, ap);
	va_end(ap);
	usage_with_options(usage, opts, 1);
	exit(EXIT_USAGE);
}

struct psm_store *setup_store(void)
{
	struct psm_store *s;

	if (psm_store_open(&s, ".") < 0)
		die_psm();
	auto_detach(s); /* a bad value stops every command, not just the one that forks */
	return s;
}

int auto_detach(struct psm_store *s)
{
	int64_t detach = 1;
	int r;

	if ((r = psm_git_config_int(&detach, s->git, "psm.autoDetach")) < 0 && r != PSM_ENOTFOUND)
		die_psm();
	return detach != 0;
}

void git_notes(struct psm_store *s)
{
	unsigned notes;
	const char *detached;

	if (!s)
		return;
	notes = psm_git_notes(s->git);
	detached = psm_git_detached_commit(s->git);
	if (notes & PSM_GIT_NOTE_DRIVER)
		fputs("psm: registered psm's merge driver in this repository's git config "
		      "(.gitattributes names it; git config is not cloned)\n", stderr);
	if (notes & PSM_GIT_NOTE_UNSPLIT)
		fprintf(stderr, "psm: git's index is one file again (an earlier psm had split "
			"it); the sharedindex.* files in '%s' no longer serve it\n",
			psm_git_gitdir(s->git));
	if (*detached)
		fprintf(stderr, "warning: HEAD is detached: psm committed %.7s to no branch; "
			"'git switch -c <branch>' keeps it\n", detached);
}

int64_t now_or_die(void)
{
	int64_t now;

	if (psm_now(&now) < 0)
		die_psm();
	return now;
}

const char *now_string(void)
{
	static struct strbuf sb = STRBUF_INIT;

	if (!sb.len)
		psm_time_format(&sb, now_or_die());
	return sb.buf;
}

const char *identity_email(struct psm_store *s)
{
	static struct strbuf name = STRBUF_INIT, email = STRBUF_INIT;

	if (!email.len && psm_git_identity(&name, &email, s->git) < 0) {
		psm_error_clear();
		return NULL;
	}
	return email.buf;
}

enum output_format parse_format(const char *s, const char *allowed)
{
	static const struct { const char *name; enum output_format f; } names[] = {
		{ "text", FMT_TEXT }, { "table", FMT_TEXT }, { "tsv", FMT_TSV },
		{ "json", FMT_JSON }, { "md", FMT_MD }, { "html", FMT_HTML },
	};
	size_t i, l;
	const char *p;

	if (!s)
		return FMT_TEXT;
	l = strlen(s);
	for (p = allowed; *p;) {
		size_t pl = strcspn(p, ",");

		if (pl == l && !strncmp(p, s, l))
			for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
				if (!strcmp(names[i].name, s))
					return names[i].f;
		p += pl + (p[pl] == ',');
	}
	fprintf(stderr, "error: unknown format '%s' (use %s)\n", s, allowed);
	exit(EXIT_USAGE);
}

int want_color(void)
{
	const char *term = getenv("TERM");

	if (getenv("NO_COLOR") && *getenv("NO_COLOR"))
		return 0;
	if (term && !strcmp(term, "dumb"))
		return 0;
	return isatty(1);
}

int term_width(void)
{
	const char *env = getenv("COLUMNS");
	struct winsize ws;

	if (env && atoi(env) > 0)
		return atoi(env);
	if (isatty(1) && !ioctl(1, TIOCGWINSZ, &ws) && ws.ws_col)
		return ws.ws_col;
	return 0;
}

void put_safe(FILE *f, const char *s, int keep_newlines)
{
	struct strbuf sb = STRBUF_INIT;

	if (!s)
		return;
	psm_sanitize(&sb, s, strlen(s), keep_newlines);
	fwrite(sb.buf, 1, sb.len, f);
	strbuf_release(&sb);
}

void print_json(void *json)
{
	print_json_with(json, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
}

void print_json_with(void *json, size_t flags)
{
	json_t *j = json;
	struct strbuf safe = STRBUF_INIT;
	char *text;

	if (!j)
		die("out of memory");
	/* C1 and bidi controls escaped too (json-safe.h) */
	if (!(text = json_dumps(j, flags)) ||
	    psm_json_make_safe(&safe, text, strlen(text)) < 0)
		die("could not write JSON");
	fwrite(safe.buf, 1, safe.len, stdout);
	putchar('\n');
	free(text);
	strbuf_release(&safe);
	json_decref(j);
}

int json_item_text(struct strbuf *out, void *json, size_t flags)
{
	json_t *j = json;
	struct strbuf safe = STRBUF_INIT;
	const char *p, *nl;
	char *text;
	int r = -1;

	if (!j)
		return -1;
	if (!(text = json_dumps(j, flags ? flags : JSON_INDENT(2) | JSON_PRESERVE_ORDER)) ||
	    psm_json_make_safe(&safe, text, strlen(text)) < 0)
		goto out;
	/* JSON strings hold no raw newline: every line break is the layout's */
	for (p = safe.buf; p; p = nl ? nl + 1 : NULL) {
		nl = strchr(p, '\n');
		strbuf_add(out, "  ", 2);
		strbuf_add(out, p, nl ? (size_t)(nl - p) + 1 : strlen(p));
	}
	r = out->oom ? -1 : 0;
out:
	free(text);
	strbuf_release(&safe);
	json_decref(j);
	return r;
}

void json_out_text(struct json_out *o, const char *text, size_t len)
{
	fputs(o->n++ ? ",\n" : "[\n", stdout);
	fwrite(text, 1, len, stdout);
}

/* One element of an array that JSON_INDENT(2) would print: its lines
 * indented one level more. */
void json_out_item(struct json_out *o, void *json)
{
	struct strbuf sb = STRBUF_INIT;

	if (!json)
		die("out of memory");
	if (json_item_text(&sb, json, o->flags) < 0)
		die("could not write JSON");
	json_out_text(o, sb.buf, sb.len);
	strbuf_release(&sb);
}

int json_issue_text(struct strbuf *out, const struct psm_issue *is, size_t abbrev, void *more,
		    size_t flags)
{
	json_t *m = more, *j, *v;
	const char *k;
	int r;

	if (!m || (r = psm_issue_json_text_with(out, is, abbrev, m, flags)) < 0) {
		r = psm_oom();
		goto out;
	}
	if (r) {
		if (!(j = psm_issue_json(is, abbrev))) {
			r = psm_oom();
			goto out;
		}
		r = 0;
		json_object_foreach(m, k, v)
			if (!r && json_object_set(j, k, v) < 0)
				r = psm_oom();
		if (r < 0)
			json_decref(j);
		else if (json_item_text(out, j, flags) < 0)
			r = psm_error(PSM_ERROR, "could not write JSON");
	}
out:
	json_decref(m);
	return r;
}

/* An issue's element (json_issue_text()), printed; takes more. */
void json_out_issue(struct json_out *o, const struct psm_issue *is, size_t abbrev, void *more)
{
	struct strbuf sb = STRBUF_INIT;

	if (json_issue_text(&sb, is, abbrev, more, o->flags) < 0)
		die_psm();
	json_out_text(o, sb.buf, sb.len);
	strbuf_release(&sb);
}

void json_out_end(struct json_out *o)
{
	fputs(o->n ? "\n]\n" : "[]\n", stdout);
}

struct psm_issue *load_issue_or_die(struct psm_store *s, const char *prefix)
{
	struct strbuf id = STRBUF_INIT;
	struct psm_issue *issue;

	if (psm_store_resolve(&id, s, prefix) < 0 || psm_store_load(&issue, s, id.buf) < 0)
		die_psm();
	strbuf_release(&id);
	return issue;
}

const char *short_id(struct psm_store *s, const struct psm_issue *issue)
{
	static struct strbuf sb = STRBUF_INIT;
	const char *id = psm_issue_get(issue, "id");

	strbuf_reset(&sb);
	if (!id)
		return "?";
	if (psm_store_abbrev(&sb, s, id) < 0)
		die_psm();
	return sb.buf;
}

void commit_message(struct strbuf *msg, struct psm_store *s, const char *verb,
		    const struct psm_issue *issue)
{
	const char *title = psm_issue_get(issue, "title");

	strbuf_addf(msg, "psm %s %s: %s", verb, short_id(s, issue), title ? title : "");
}

int write_one_issue(struct psm_store *s, struct psm_issue *issue, const char *verb)
{
	struct strbuf msg = STRBUF_INIT;
	struct psm_txn *t;
	int r;

	if (psm_txn_begin(&t, s) < 0)
		die_psm();
	if ((r = psm_txn_save(t, issue)) < 0)
		goto fail;
	if (!r) {
		psm_txn_free(t);
		return 1;
	}
	commit_message(&msg, s, verb, issue);
	if (psm_txn_commit(t, msg.buf) < 0)
		goto fail;
	psm_txn_free(t);
	strbuf_release(&msg);
	return 0;
fail:
	{
		struct strbuf err = STRBUF_INIT;

		strbuf_addstr(&err, psm_error_last());
		psm_txn_free(t); /* puts the file back and releases the lock */
		die("%s", err.buf);
	}
}

void print_issue_result(struct psm_store *s, const struct psm_issue *issue,
			enum output_format fmt)
{
	if (fmt == FMT_JSON) {
		struct strbuf sid = STRBUF_INIT;

		strbuf_addstr(&sid, short_id(s, issue));
		print_json(psm_issue_json(issue, sid.len));
		strbuf_release(&sid);
		return;
	}
	printf("%s\n", short_id(s, issue));
}

int finish_stdout(int code)
{
	if (fflush(stdout) || ferror(stdout)) {
		if (errno == EPIPE)
			return code;
		fprintf(stderr, "fatal: could not write to standard output: %s\n", strerror(errno));
		return EXIT_FATAL;
	}
	return code;
}

struct psm_query *parse_query_or_die(struct psm_store *s, int argc, const char *const *argv)
{
	struct psm_query_ctx ctx = { 0 };
	struct psm_query *q;

	ctx.now = now_or_die();
	ctx.config = s->config; /* sla:breached reads the targets */
	if (psm_query_needs_me(argc, argv))
		ctx.me = identity_email(s);
	if (psm_query_parse(&q, argc, argv, &ctx) < 0)
		die_psm();
	return q;
}
