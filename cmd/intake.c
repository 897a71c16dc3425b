/* psm intake: take in one new issue (status new) and print its ID. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "builtin.h"
#include "psm/conflict.h"
#include "editor.h"
#include "intake-batch.h"
#include "psm/limit.h"
#include "parse-options.h"
#include "triage.h"
#include "psm/validate.h"

static const char *const intake_usage[] = {
	"psm intake -t <title> [-m <body> | -F <file> | -] [<options>]",
	"psm intake            (on a terminal: write title and body in $EDITOR)",
	"psm intake (--email | --mbox | --maildir | --jsonl | --csv) [--map <col>=<field>...] [<file>...]",
	NULL
};

static const char edit_template[] =
	"# Do not modify or remove the line above: everything below it is ignored.\n"
	"# Write the issue's title on the first line above it and its description\n"
	"# (Markdown: '## ' headings are kept) below the title; an empty message\n"
	"# aborts the intake.\n";

/* "Name <addr>", "addr@host" or "Name": a reporter mapping. */
static struct psm_node *parse_reporter(const char *spec, const char *channel, const char *at)
{
	struct psm_node *r = psm_node_new(PSM_MAP);
	const char *lt = strchr(spec, '<'), *gt = lt ? strchr(lt, '>') : NULL;
	struct strbuf name = STRBUF_INIT, addr = STRBUF_INIT;

	if (!r)
		die("out of memory");
	if (lt && gt) {
		strbuf_add(&name, spec, (size_t)(lt - spec));
		strbuf_rtrim(&name);
		strbuf_add(&addr, lt + 1, (size_t)(gt - lt - 1));
	} else if (strchr(spec, '@') && !strchr(spec, ' ')) {
		strbuf_addstr(&addr, spec);
	} else {
		strbuf_addstr(&name, spec);
	}
	if (!name.len && !addr.len)
		die("invalid reporter '%s': use \"Name <email>\", an e-mail address or a name", spec);
	if (name.len)
		psm_node_set_str(r, "name", name.buf);
	if (addr.len)
		psm_node_set_str(r, "email" , addr.buf);
	if (addr.len && (addr.buf[0] == '@' || !strchr(addr.buf, '@'))) {
		/* not an e-mail address: a handle ("@ann") or phone number */
		psm_node_set(r, "email", NULL);
		psm_node_set_str(r, "contact", addr.buf);
	}
	psm_node_set_str(r, "channel", channel);
	psm_node_set_str(r, "at", at);
	strbuf_release(&name);
	strbuf_release(&addr);
	return r;
}

static void check_vocab(struct psm_store *s, const char *list, const char *what, const char *v)
{
	struct strbuf allowed = STRBUF_INIT;

	if (!v || psm_config_allows(s->config, list, v))
		return;
	psm_config_join(&allowed, s->config, list);
	die("unknown %s '%s' (the config's %s: %s)", what, v, list, allowed.buf);
}

static void read_body(struct strbuf *body, struct opt_list *msgs, const char *file)
{
	int i;

	for (i = 0; i < msgs->n; i++) {
		if (i)
			strbuf_addch(body, '\n');
		strbuf_addstr(body, msgs->v[i]);
		strbuf_rtrim(body);
		strbuf_addch(body, '\n');
	}
	if (file) {
		int r = !strcmp(file, "-") ? strbuf_read_fd(body, 0, PSM_LIMIT_FILE_SIZE)
					    : strbuf_read_file(body, file, PSM_LIMIT_FILE_SIZE);
		if (r < 0 && errno == EFBIG)
			die("'%s' is larger than an issue file may be: over the limit "
			    PSM_LIMIT_FILE_SIZE_NAME, file);
		if (r < 0)
			die("could not read '%s': %s", file, strerror(errno));
		strbuf_rtrim(body);
		if (body->len)
			strbuf_addch(body, '\n');
	}
}

int cmd_intake(int argc, const char **argv, struct psm_store *s)
{
	const char *title = NULL, *file = NULL, *source = NULL, *reporter = NULL;
	const char *customer = NULL, *type = NULL, *format = NULL;
	struct opt_list msgs = { 0 }, labels = { 0 }, maps = { 0 };
	struct batch_opts bo = { 0 };
	int no_commit = 0, i, batch;
	struct option opts[] = {
		OPT_STRING('t', "title", &title, "title", "the issue's title (one line)"),
		OPT_LIST('m', "message", &msgs, "text", "the body; several -m are paragraphs"),
		OPT_STRING('F', "file", &file, "file", "read the body from <file> ('-': standard input)"),
		OPT_STRING(0, "source", &source, "channel", "where it came from: email, chat, call, app-store, dm, form, github, other"),
		OPT_STRING(0, "reporter", &reporter, "who", "who reported it: \"Name <email>\""),
		OPT_STRING(0, "customer", &customer, "name", "the customer (account, company)"),
		OPT_LIST('l', "label", &labels, "label", "add a label (repeatable)"),
		OPT_STRING(0, "type", &type, "type", "bug, usability, feature, docs, account"),
		OPT_STRING(0, "format", &format, "fmt", "output: text (the ID) or json"),
		OPT_NO_COMMIT(&no_commit),
		OPT_GROUP("Batches: many items, one commit; the files follow (none: standard input)"),
		OPT_BOOL(0, "email", &bo.email, "RFC 5322 messages, one per file"),
		OPT_BOOL(0, "mbox", &bo.mbox, "mailboxes in mbox format"),
		OPT_BOOL(0, "maildir", &bo.maildir, "maildirs (cur/ and new/) or folders of messages"),
		OPT_BOOL(0, "jsonl", &bo.jsonl, "one JSON object per line (docs/import.md)"),
		OPT_BOOL(0, "csv", &bo.csv, "CSV with a header row (RFC 4180)"),
		OPT_LIST(0, "map", &maps, "col=field", "--csv: read column <col> as <field>; --jsonl: key <col> (author.email: nested) ('-': drop it)"),
		OPT_END(),
	};
	struct strbuf body = STRBUF_INIT, edited = STRBUF_INIT, etitle = STRBUF_INIT;
	struct strbuf path = STRBUF_INIT;
	enum output_format fmt;
	struct psm_issue *issue;
	char id[PSM_ID_LEN + 1];
	const char *now;

	argc = parse_options(argc, argv, opts, intake_usage, 0);
	batch = bo.email + bo.mbox + bo.maildir + bo.jsonl + bo.csv;
	if (batch > 1)
		usage_error(intake_usage, opts, "use one of --email, --mbox, --maildir, --jsonl, --csv");
	if (batch && (title || msgs.n || file || reporter))
		usage_error(intake_usage, opts, "-t, -m, -F and --reporter are for one issue; a batch reads them from its input");
	if (maps.n && !bo.csv && !bo.jsonl)
		usage_error(intake_usage, opts, "--map goes with --csv or --jsonl");
	if (batch)
		; /* the arguments are the batch's files */
	else if (argc == 1 && !strcmp(argv[0], "-"))
		file = "-";
	else if (argc)
		usage_error(intake_usage, opts, "unexpected argument '%s'", argv[0]);
	fmt = parse_format(format, "text,json");
	s->no_commit |= no_commit;
	now = now_string();

	check_vocab(s, "sources", "source", source);
	check_vocab(s, "types", "type", type);
	for (i = 0; i < labels.n; i++)
		if (!psm_label_valid(labels.v[i]))
			die("invalid label '%s': labels are single words without commas that do not start with '+' or '-'",
			    labels.v[i]);
	if (batch) {
		bo.maps = &maps;
		bo.labels = &labels;
		bo.source = source;
		bo.customer = customer;
		bo.type = type;
		bo.fmt = fmt;
		i = intake_batch(&bo, argc, argv, s);
		opt_list_release(&maps);
		opt_list_release(&labels);
		opt_list_release(&msgs);
		return i;
	}

	if (!title && !msgs.n && !file && isatty(0) && isatty(2)) {
		edit_text(&edited, s, "PSM_INTAKE_EDITMSG", edit_template);
		split_title_body(&etitle, &body, edited.buf);
		if (!etitle.len)
			die("aborting intake: empty message");
		title = etitle.buf;
	} else {
		read_body(&body, &msgs, file);
	}
	if (!title)
		die("a title is required: psm intake -t <title> (or run it on a terminal to use the editor)");
	while (*title == ' ' || *title == '\t')
		title++;
	if (!*title)
		die("the title is empty: give a one-line summary with -t");
	if (strchr(title, '\n') || strchr(title, '\r'))
		die("the title must be one line (put details in the body with -m)");

	if (!(issue = psm_issue_new()))
		die("out of memory");
	for (;;) {
		struct strbuf full = STRBUF_INIT;
		int taken;

		if (psm_id_new(id) < 0)
			die_psm();
		strbuf_reset(&path);
		if (psm_issue_path(&path, id) < 0)
			die_psm();
		strbuf_addf(&full, "%s%s", s->root, path.buf);
		taken = access(full.buf, F_OK) == 0; /* 50 random bits: paranoia */
		strbuf_release(&full);
		if (!taken)
			break;
	}
	issue->path = strbuf_detach(&path, NULL);
	psm_issue_set(issue, "id", id);
	psm_issue_set(issue, "title", title);
	psm_issue_set(issue, "status", "new");
	if (type)
		psm_issue_set(issue, "type", type);
	for (i = 0; i < labels.n; i++)
		if (psm_issue_list_add(issue, "labels", labels.v[i]) < 0)
			die_psm();
	if (customer)
		psm_issue_set(issue, "customer", customer);
	psm_issue_set(issue, "source", source ? source : "other");
	if (reporter) {
		struct psm_node *list = psm_node_new(PSM_SEQ);

		if (!list || psm_node_push(list, parse_reporter(reporter, source ? source : "other", now)) < 0)
			die("out of memory");
		psm_issue_set_node(issue, "reporters", list);
	}
	psm_issue_set(issue, "created", now);
	psm_issue_set(issue, "updated", now);
	strbuf_addbuf(&issue->body, &body);
	/* a pasted line that only looks like a conflict must not fail psm check */
	if (psm_conflict_escape(&issue->body) < 0)
		die_psm();

	write_one_issue(s, issue, "intake");
	print_issue_result(s, issue, fmt);
	intake_similar_hint(s, issue); /* stderr: stdout stays the ID */

	psm_issue_free(issue);
	opt_list_release(&msgs);
	opt_list_release(&labels);
	strbuf_release(&body);
	strbuf_release(&edited);
	strbuf_release(&etitle);
	return 0;
}
