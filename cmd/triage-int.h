#ifndef PSM_CMD_TRIAGE_INT_H
#define PSM_CMD_TRIAGE_INT_H
/* Inside the triage session: triage-session.c (the loop and decisions),
 * triage-screen.c (what is shown) and triage-tty.c (keys). */
#include <time.h>

#include "triage.h"

enum { N_TRIAGED, N_DUP, N_PARKED, N_CLOSED, N_REOPENED, N_KEPT, N_SKIPPED, N_COUNTS };

/* A file as it was before a decision and as the decision left it. */
struct undo_file {
	char *path;
	struct strbuf before, after;
};

/* One decision of this session, for undo. */
struct decision {
	int kind;                 /* N_TRIAGED ... N_CLOSED */
	struct undo_file f[2];    /* the item, and a duplicate's target */
	size_t nf;
	int fixfast;              /* added an entry to the fix-fast list */
};

struct fixfast {
	char *id, *owner, *title;
};

struct session {
	struct psm_store *s;
	struct psm_similar *ix;
	struct psm_issue_set queue;  /* in priority order; pos is the current one */
	size_t pos, shown;
	struct owner_load ol;
	int raw;                     /* single keys from a terminal */
	int color, rows, cols;
	int64_t timebox;             /* seconds; 0: none */
	struct timespec start;
	const char *now;             /* for the fields psm writes */
	int64_t now_t;
	struct decision *done;       /* the undo stack */
	size_t ndone, dalloc;
	size_t count[N_COUNTS];
	size_t left;                 /* in the queue at the end, from the store */
	struct fixfast *ff;
	size_t nff, ffalloc;
	/* the item on screen */
	struct psm_issue *item;
	struct psm_similar_hit *hits;
	size_t nhits;
	const char *stage_type, *stage_owner;
};

/* triage-commit.c: decisions, each its own transaction and commit. */
typedef int (*apply_fn)(struct session *ss, struct psm_issue *item, struct psm_issue *target,
			const void *arg);
/* Refresh ss->now (and now_t) from psm's clock; returns ss->now. */
const char *session_now(struct session *ss);
int load_path(struct psm_issue **out, struct session *ss, const char *path);
/* Apply to the current item (and the issue target_id, if any), write,
 * commit "psm VERB ..."; 0 when decided, -1 (message printed) when not. */
int decide(struct session *ss, int kind, const char *verb, const char *target_id,
	   apply_fn apply, const void *arg);
/* The decisions: arg is {impact, owner} for triage, the date for park,
 * the resolution for close; staged type and owner go along. */
int apply_triage(struct session *ss, struct psm_issue *item, struct psm_issue *target,
		 const void *arg);
int apply_dup(struct session *ss, struct psm_issue *item, struct psm_issue *target,
	      const void *arg);
int apply_park(struct session *ss, struct psm_issue *item, struct psm_issue *target,
	       const void *arg);
int apply_close(struct session *ss, struct psm_issue *item, struct psm_issue *target,
		const void *arg);
/* A customer replied to a closed item: reopen it (a duplicate's reporters
 * leave target), or keep it closed. */
int apply_reopen(struct session *ss, struct psm_issue *item, struct psm_issue *target,
		 const void *arg);
int apply_keep(struct session *ss, struct psm_issue *item, struct psm_issue *target,
	       const void *arg);
/* Put back the files of the last decision (new commit); the item is shown
 * next. 0, or -1 with the reason printed. */
int undo_last(struct session *ss);
void undo_file_release(struct undo_file *f);

/* triage-tty.c: keys. raw mode on a terminal (restored at exit and on
 * signals), else one key per line. */
int keys_open(void);            /* returns 1 when in raw mode */
void keys_close(void);
/* Next key into key: one character on a terminal, the trimmed line
 * otherwise; "" is Enter, "\033" is Escape. Returns 0 at end of input. */
int key_read(struct strbuf *key);
/* A whole line, even on a terminal (cooked mode for the while). */
int line_read(struct strbuf *line);
void keys_discard(void);          /* drop keys typed ahead after a wrong one */

/* triage-screen.c */
double session_elapsed(const struct session *ss);
void format_clock(struct strbuf *sb, int64_t secs);
void screen_item(struct session *ss);
void screen_prompt(struct session *ss);
void screen_help(void);
/* "✓ 7kq2m9x triaged: impact core, ..." for a decision just committed. */
void screen_decided(struct session *ss, int kind, const struct psm_issue *item,
		    const struct psm_issue *target);
void screen_summary(struct session *ss);

#endif
