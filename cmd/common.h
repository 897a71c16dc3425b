#ifndef PSM_COMMON_H
#define PSM_COMMON_H
/*
 * What every command shares: messages and exit codes (git's die/error),
 * store setup, output formats, colour, and the final stdout check.
 *
 * Exit statuses (psm.1, EXIT STATUS): 0 success; 1 problems found (check
 * errors, unreadable issue files, items a batch could not take); 128 an
 * error that stopped the command (die); 129 a usage error.
 */
#include <stdint.h>
#include <stdio.h>

#include "psm/error.h"
#include "psm/issue.h"
#include "psm/store.h"
#include "psm/strbuf.h"
#include "psm/txn.h"

struct option;

#define EXIT_PROBLEMS 1
#define EXIT_FATAL 128
#define EXIT_USAGE 129

void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
int error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void warning(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* die() with libpsm's last error message. */
void die_psm(void) __attribute__((noreturn));
/* Usage error: message, then the command's usage, exit 129. */
void usage_error(const char *const *usage, const struct option *opts, const char *fmt, ...)
	__attribute__((format(printf, 3, 4), noreturn));

/* The store for the current directory; dies with a hint if there is none. */
struct psm_store *setup_store(void);
/* git config psm.autoDetach (default true): housekeeping runs in a detached
 * child, as git's gc.autoDetach. Dies on a bad value. */
int auto_detach(struct psm_store *s);
/* After the command: say so if a commit split git's index (setup_store). */
/* Tell what the git layer did that the user should know (stderr). */
void git_notes(struct psm_store *s);
/* psm's clock (PSM_NOW aware); dies on a bad PSM_NOW. */
int64_t now_or_die(void);
/* "2026-11-22T07:00:00Z" for now. */
const char *now_string(void);
/* The git identity's e-mail ("me"); NULL (quietly) when unset. */
const char *identity_email(struct psm_store *s);

enum output_format { FMT_TEXT, FMT_TSV, FMT_JSON, FMT_MD, FMT_HTML };
/* Parse --format; `allowed` is a list like "text,json". Dies on others. */
enum output_format parse_format(const char *s, const char *allowed);

/* Colour on stdout: only on a terminal, never with NO_COLOR or TERM=dumb. */
int want_color(void);
#define C_RESET "\033[m"
#define C_BOLD "\033[1m"
#define C_DIM "\033[2m"
#define C_RED "\033[31m"
#define C_GREEN "\033[32m"
#define C_YELLOW "\033[33m"
#define C_BLUE "\033[34m"
#define C_CYAN "\033[36m"
/* Terminal width for tables: COLUMNS, the tty's size, else 0 (unlimited). */
int term_width(void);

/* Write text for a terminal, stripped of control sequences. */
void put_safe(FILE *f, const char *s, int keep_newlines);
/* Print a JSON value (takes the reference) on stdout with a newline. */
void print_json(void *json);
/* The same with jansson's dump flags (JSON_COMPACT for JSON lines...). */
void print_json_with(void *json, size_t flags);
/* A JSON array printed an element at a time, exactly as print_json() prints
 * the whole array: a command need not hold every element. */
struct json_out {
	size_t n;
	size_t flags; /* jansson's dump flags; 0: print_json()'s */
};
void json_out_item(struct json_out *o, void *json);
/* The element's text as json_out_item() prints it, appended to out (no
 * output, no exit: a worker thread may call it); it takes the json. -1 when
 * it cannot be made. json_out_text() prints such a text as the next one. */
int json_item_text(struct strbuf *out, void *json, size_t flags);
void json_out_text(struct json_out *o, const char *text, size_t len);
/* psm_issue_json(is) with the members of the object more after its own, as
 * the next element (written without building it where it can be); takes
 * more. */
void json_out_issue(struct json_out *o, const struct psm_issue *is, size_t abbrev, void *more);
/* Its text, as json_out_issue() prints it, appended to out with jansson's
 * dump flags (0: print_json()'s); takes more. No output, no exit (a worker
 * thread may call it): 0, or negative with psm's error set. */
int json_issue_text(struct strbuf *out, const struct psm_issue *is, size_t abbrev, void *more,
		    size_t flags);
void json_out_end(struct json_out *o);

/* Issue helpers for write commands. */
struct psm_issue *load_issue_or_die(struct psm_store *s, const char *prefix);
/* Short ID for messages. */
const char *short_id(struct psm_store *s, const struct psm_issue *issue);
/* Commit message "psm VERB SHORTID: TITLE". */
void commit_message(struct strbuf *msg, struct psm_store *s, const char *verb,
		    const struct psm_issue *issue);
/* Save + commit one issue in its own transaction; dies on failure.
 * Returns 0 when committed, 1 when nothing changed. */
int write_one_issue(struct psm_store *s, struct psm_issue *issue, const char *verb);
/* Print one issue: JSON object or its short ID. */
void print_issue_result(struct psm_store *s, const struct psm_issue *issue,
			enum output_format fmt);

/* Parse list-style search terms (owner:me, sla:breached... resolved here). */
struct psm_query *parse_query_or_die(struct psm_store *s, int argc, const char *const *argv);

/* Name every issue file a scan could not read; EXIT_PROBLEMS if any. */
int report_scan_errors(const struct psm_issue_set *set);

/* flush stdout and report a write error (EPIPE quietly); returns exit code. */
int finish_stdout(int code);

#endif
