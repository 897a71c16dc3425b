/*
 * psm edit ID [--title T] [--customer C] ... [--set KEY=VALUE]...: change
 * fields of any issue, open or closed, in one commit. With no field option
 * on a terminal, the issue file itself in $VISUAL / $EDITOR, as visudo
 * does: on save it is checked as psm check would; on a problem psm shows it
 * and offers to edit again or abort, and writes nothing until it is valid.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "builtin.h"
#include "psm/edit.h"
#include "editor.h"
#include "psm/fs.h"
#include "hook.h"
#include "psm/limit.h"
#include "loop-util.h"
#include "psm/loop.h"
#include "parse-options.h"
#include "psm/validate.h"

static const char *const edit_usage[] = {
	"psm edit <id> [--title <t>] [--customer <c>] [--type <t>] [--source <s>] [--churn-reason <r>]\n"
	"              [--release <r>] [--release-note <text>] [--set <key>=<value>]...",
	"psm edit <id>                  (on a terminal: the file in your editor)",
	NULL
};

/* The file's bytes as they are now; -1 with a message in err when it is no
 * regular file or cannot be read. */
static int read_raw(struct strbuf *out, struct strbuf *err, struct psm_store *s, const char *path)
{
	struct strbuf full = STRBUF_INIT;
	struct stat st;
	int r = 0;

	strbuf_addf(&full, "%s%s", s->root, path);
	strbuf_reset(out);
	if (lstat(full.buf, &st) < 0) {
		strbuf_addf(err, "could not read '%s': %s", path, strerror(errno));
		r = -1;
	} else if (!S_ISREG(st.st_mode)) {
		strbuf_addf(err, "refusing to edit '%s': not a regular file", path);
		r = -1;
	} else if (strbuf_read_file(out, full.buf, PSM_LIMIT_FILE_SIZE) < 0) {
		if (errno == EFBIG)
			strbuf_addf(err, "'%s' is larger than an issue file may be: over the limit "
				    PSM_LIMIT_FILE_SIZE_NAME, path);
		else
			strbuf_addf(err, "could not read '%s': %s", path, strerror(errno));
		r = -1;
	}
	strbuf_release(&full);
	return r;
}

/* "e" (or Enter): edit again; "a" or the end of input: abort. */
static int ask_again(void)
{
	struct strbuf line = STRBUF_INIT;
	int c, again = -1;

	while (again < 0) {
		fputs("What now? (e)dit the file again, (a)bort [e]: ", stderr);
		fflush(stderr);
		strbuf_reset(&line);
		while ((c = getchar()) != EOF && c != '\n' && line.len < 64)
			if (c != ' ' && c != '\t' && c != '\r')
				strbuf_addch(&line, c);
		if (c == EOF && !line.len)
			again = 0;
		else if (!line.len || !strcmp(line.buf, "e"))
			again = 1;
		else if (!strcmp(line.buf, "a") || !strcmp(line.buf, "q"))
			again = 0;
	}
	strbuf_release(&line);
	return again;
}

/* Show what psm check finds in the edited text; 0 when nothing. */
static int show_problems(struct psm_store *s, const char *path, const struct strbuf *text)
{
	struct psm_issue_set diag = { 0 };
	struct strbuf line = STRBUF_INIT;
	size_t i;
	int r = psm_validate_write(&diag, path, text->buf, text->len, s->config);

	if (r == PSM_ENOMEM)
		die_psm();
	/* as psm check prints them; the lines are the ones the editor shows */
	for (i = 0; r && i < diag.nerrors; i++) {
		const struct psm_scan_error *e = &diag.errors[i];

		strbuf_reset(&line);
		strbuf_addf(&line, "%s:%d:%d: error: %s\n", e->path, e->line ? e->line : 1,
			    e->col ? e->col : 1, e->msg);
		put_safe(stderr, line.buf, 1);
	}
	strbuf_release(&line);
	psm_issue_set_release(&diag);
	return r;
}

/*
 * The file in the editor until it is valid or the user gives up. The copy
 * being edited lives in the git dir; the issue file is replaced, under the
 * lock, only if nobody wrote it meanwhile (else the copy is kept).
 */
static int edit_in_editor(struct psm_store *s, const char *id, enum output_format fmt)
{
	struct strbuf path = STRBUF_INIT, tmp = STRBUF_INIT, old = STRBUF_INIT, text = STRBUF_INIT;
	struct strbuf sid = STRBUF_INIT, msg = STRBUF_INIT, cur = STRBUF_INIT, err = STRBUF_INIT;
	struct psm_yaml_error yerr = { 0, 0, STRBUF_INIT };
	struct psm_issue *issue = NULL;
	struct psm_txn *t;
	int code = 0, r;

	if (psm_issue_path(&path, id) < 0 || psm_store_abbrev(&sid, s, id) < 0)
		die_psm();
	if (read_raw(&old, &err, s, path.buf) < 0)
		die("%s", err.buf);
	strbuf_addf(&tmp, "%sPSM_EDIT_%s.md", psm_git_gitdir(s->git), sid.buf);
	if (tmp.oom)
		die("out of memory");
	/* what an aborted edit kept is the user's: never overwrite it */
	if (psm_path_exists(tmp.buf))
		die("an earlier psm edit of '%s' left its text in %s: take what you need from it, "
		    "remove it, and run psm edit again", sid.buf, tmp.buf);
	if (psm_write_file_atomic(tmp.buf, old.buf, old.len) < 0)
		die_psm();
	for (;;) {
		run_editor(tmp.buf);
		strbuf_reset(&text);
		if (strbuf_read_file(&text, tmp.buf, PSM_LIMIT_FILE_SIZE) < 0)
			die("could not read '%s' back from the editor", tmp.buf);
		if (text.len == old.len && !memcmp(text.buf, old.buf, old.len)) {
			fprintf(stderr, "%s: nothing to change (the file was not changed)\n", sid.buf);
			unlink(tmp.buf);
			goto out;
		}
		if (!show_problems(s, path.buf, &text))
			break;
		if (!ask_again()) {
			fprintf(stderr, "nothing was written; what you typed is in %s\n", tmp.buf);
			code = EXIT_PROBLEMS;
			goto out;
		}
	}

	t = begin_or_die(s);
	if (read_raw(&cur, &err, s, path.buf) < 0)
		die_txn(t, "%s", err.buf);
	if (cur.len != old.len || memcmp(cur.buf, old.buf, old.len))
		die_txn(t, "'%s' changed while you were editing it: nothing was written; "
			"your version is in %s", sid.buf, tmp.buf);
	if ((r = psm_edit_text(&issue, path.buf, old.buf, old.len, text.buf, text.len,
			       now_string(), &yerr)) < 0)
		die_txn(t, "%s", r == PSM_EPARSE ? yerr.msg.buf : psm_error_last());
	commit_message(&msg, s, "edit", issue);
	if (commit_or_die(t, &issue, 1, NULL, msg.buf))
		code = run_hook(s, "edit", issue) ? EXIT_PROBLEMS : 0;
	unlink(tmp.buf);
	print_issue_result(s, issue, fmt);
out:
	psm_issue_free(issue);
	strbuf_release(&yerr.msg);
	strbuf_release(&path);
	strbuf_release(&tmp);
	strbuf_release(&old);
	strbuf_release(&text);
	strbuf_release(&sid);
	strbuf_release(&msg);
	strbuf_release(&cur);
	strbuf_release(&err);
	return code;
}

int cmd_edit(int argc, const char **argv, struct psm_store *s)
{
	const char *format = NULL, *title = NULL, *customer = NULL, *type = NULL, *source = NULL;
	const char *churn = NULL, *release = NULL, *release_note = NULL;
	struct opt_list sets = { 0 };
	int no_commit = 0, code = 0, i;
	struct option opts[] = {
		OPT_STRING(0, "title", &title, "t", "the title"),
		OPT_STRING(0, "customer", &customer, "c", "the customer account ('' removes it)"),
		OPT_STRING(0, "type", &type, "t", "the type, from the config's types"),
		OPT_STRING(0, "source", &source, "s", "the channel, from the config's sources"),
		OPT_STRING(0, "churn-reason", &churn, "r", "why the customer left"),
		OPT_STRING(0, "release", &release, "r", "the release it was reported against"),
		OPT_STRING(0, "release-note", &release_note, "text", "replace the release note for the changelog"),
		OPT_LIST(0, "set", &sets, "key=value", "any other field ('key=' removes it); repeatable"),
		OPT_STRING(0, "format", &format, "fmt", "output: text (the ID) or json"),
		OPT_NO_COMMIT(&no_commit),
		OPT_END(),
	};
	struct strbuf msg = STRBUF_INIT, id = STRBUF_INIT, before = STRBUF_INIT, after = STRBUF_INIT;
	const char *fields[6][2];
	enum output_format fmt;
	struct psm_issue *issue;
	struct psm_txn *t;
	size_t f;
	int any;

	argc = parse_options(argc, argv, opts, edit_usage, 0);
	if (argc != 1)
		usage_error(edit_usage, opts, argc ? "one issue at a time" : "which issue? give its ID");
	fmt = parse_format(format, "text,json");
	s->no_commit |= no_commit;
	/* filled once parse_options() has set the values */
	fields[0][0] = "title", fields[0][1] = title;
	fields[1][0] = "customer", fields[1][1] = customer;
	fields[2][0] = "type", fields[2][1] = type;
	fields[3][0] = "source", fields[3][1] = source;
	fields[4][0] = "churn_reason", fields[4][1] = churn;
	fields[5][0] = "release", fields[5][1] = release;
	any = sets.n || release_note;
	for (f = 0; f < sizeof(fields) / sizeof(fields[0]); f++)
		any |= fields[f][1] != NULL;
	if (type && *type)
		check_config_value(s, "types", "type", type);
	if (source && *source)
		check_config_value(s, "sources", "source", source);
	for (i = 0; i < sets.n; i++)
		if (!strchr(sets.v[i], '=') || sets.v[i][0] == '=')
			usage_error(edit_usage, opts, "--set takes key=value, not '%s'", sets.v[i]);
	if (!any) {
		if (!isatty(0) || !isatty(2))
			usage_error(edit_usage, opts,
				    "what should change? give --title, --set key=value... (or run it on a terminal to edit the file)");
		if (psm_store_resolve(&id, s, argv[0]) < 0)
			die_psm();
		code = edit_in_editor(s, id.buf, fmt);
		goto out;
	}

	t = begin_or_die(s);
	issue = load_in_txn(t, s, argv[0]);
	if (psm_issue_format(&before, issue) < 0)
		die_txn_psm(t);
	for (f = 0; f < sizeof(fields) / sizeof(fields[0]); f++)
		if (fields[f][1] && psm_edit_field(issue, fields[f][0], fields[f][1]) < 0)
			die_txn_psm(t);
	for (i = 0; i < sets.n; i++) {
		char *key = psm_strndup(sets.v[i], strcspn(sets.v[i], "="));

		if (!key)
			die_txn(t, "out of memory");
		if (psm_edit_field(issue, key, sets.v[i] + strlen(key) + 1) < 0) {
			free(key);
			die_txn_psm(t);
		}
		free(key);
	}
	if (release_note && psm_loop_release_note(issue, release_note) < 0)
		die_txn_psm(t);
	if (psm_issue_format(&after, issue) < 0)
		die_txn_psm(t);
	if ((before.len != after.len || memcmp(before.buf, after.buf, after.len)) &&
	    psm_issue_set(issue, "updated", now_string()) < 0)
		die_txn_psm(t);
	commit_message(&msg, s, "edit", issue);
	if (!commit_or_die(t, &issue, 1, NULL, msg.buf))
		say_unchanged(s, issue, "the fields already hold those values");
	else
		code = run_hook(s, "edit", issue) ? EXIT_PROBLEMS : 0;
	print_issue_result(s, issue, fmt);
	psm_issue_free(issue);
out:
	opt_list_release(&sets);
	strbuf_release(&msg);
	strbuf_release(&id);
	strbuf_release(&before);
	strbuf_release(&after);
	return code;
}
