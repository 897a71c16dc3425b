#ifndef PSM_INTAKE_BATCH_H
#define PSM_INTAKE_BATCH_H
/*
 * Batch intake (psm intake --email/--mbox/--maildir/--jsonl/--csv) and
 * psm import: many items, one transaction, one commit. A run collects what
 * happened to each item and prints it after the commit, one line per item
 * (tab-separated: action, short ID, where, title) or one JSON object;
 * items that could not be taken in are reported on stderr as they are met
 * and make the exit status 1. docs/import.md has the details.
 */
#include "psm/batch.h"
#include "common.h"
#include "parse-options.h"

enum run_action { RUN_NEW, RUN_REPLY, RUN_UPDATED, RUN_SKIPPED, RUN_FAILED, RUN_NACTIONS };

struct run_item {
	enum run_action action;
	char *id, *title, *where, *detail;
	const struct psm_issue *issue; /* a new one: the batch's, until run_finish frees it */
	void *similar;                 /* json_t *: its likely duplicates, when looked for */
};

struct batch_run {
	struct psm_store *s;
	struct psm_batch *b;
	enum output_format fmt;
	const char *now;
	/* defaults for items that do not say (psm intake's options) */
	const char *source, *customer, *type;
	const struct opt_list *labels;
	int hints;                     /* name likely duplicates of new items, as intake does */
	struct run_item *items;
	size_t n, alloc;
	size_t counts[RUN_NACTIONS];
};

/* The options psm intake hands to a batch mode. */
struct batch_opts {
	int email, mbox, maildir, jsonl, csv;
	const struct opt_list *maps, *labels;
	const char *source, *customer, *type;
	enum output_format fmt;
};

/* psm intake in a batch mode: argv holds the files (none: standard input). */
int intake_batch(const struct batch_opts *o, int argc, const char **argv, struct psm_store *s);
int intake_email(struct batch_run *run, const struct batch_opts *o, int argc, const char **argv);
int intake_jsonl(struct batch_run *run, const struct opt_list *maps, int argc, const char **argv);
int intake_csv(struct batch_run *run, const struct opt_list *maps, int argc, const char **argv);

/* Lock and read the store (dies on failure). */
void run_begin(struct batch_run *run, struct psm_store *s, enum output_format fmt);
/* Remember what happened to an item (issue may be NULL). */
void run_note(struct batch_run *run, enum run_action a, const struct psm_issue *issue,
	      const char *where, const char *detail);
/* An item that could not be taken in: reported on stderr now. */
void run_fail(struct batch_run *run, const char *where, const char *why);
/* Fill the fields an item left out from the run's defaults. */
int run_defaults(struct batch_run *run, struct psm_issue *issue, const char *source);
/* A new issue: skipped when the store holds it already, else added. Takes
 * ownership of issue. */
void run_take(struct batch_run *run, struct psm_issue *issue, int flags, const char *where);
/* Commit ("VERB: 3 new, 1 skipped"), print, free; returns the exit status. */
int run_finish(struct batch_run *run, const char *verb);

/* Die before taking the lock when an input cannot be read at all. */
void check_inputs(int argc, const char **argv);
/* Read a whole file, or standard input for "-" (dies on failure). */
void read_input(struct strbuf *out, const char *path);
/* Nothing but white space: an empty input, which holds zero items. */
int is_blank(const struct strbuf *text);
/* "-" shows as "stdin" in messages. */
const char *input_name(const char *path);

/*
 * CSV columns and JSON keys named as forms and help desks name psm's fields
 * ("Email", "Company", "Subject"): nothing is guessed, but the batch names
 * them with the --map that would read each, once per file (intake-alias.c).
 */
const char *alias_field(const char *name); /* the field it most likely is, or NULL */
struct alias_hint {
	struct strbuf names, maps;
	const char *taken[16]; /* fields offered already: one column each */
	size_t ntaken, n;
};
#define ALIAS_HINT_INIT { STRBUF_INIT, STRBUF_INIT, { NULL }, 0, 0 }
void alias_hint_add(struct alias_hint *h, const char *name, const char *field);
/* "hint: FILE: columns 'a', 'b' FATE" and the --maps, on stderr; none: nothing */
void alias_hint_print(const struct alias_hint *h, const char *file, const char *what,
		      const char *fate_one, const char *fate_many);
void alias_hint_release(struct alias_hint *h);

#endif
