#ifndef PSM_BUILTIN_H
#define PSM_BUILTIN_H
/*
 * One file per command (cmd/NAME.c), each with cmd_NAME(); the table in
 * psm.c says what setup a command needs. A command gets argv with its own
 * name in argv[0] and the store when it declared NEED_STORE.
 */
#include "common.h"

#define NEED_STORE 1

int cmd_init(int argc, const char **argv, struct psm_store *s);
int cmd_intake(int argc, const char **argv, struct psm_store *s);
int cmd_list(int argc, const char **argv, struct psm_store *s);
int cmd_show(int argc, const char **argv, struct psm_store *s);
int cmd_check(int argc, const char **argv, struct psm_store *s);
int cmd_help(int argc, const char **argv, struct psm_store *s);
int cmd_tag(int argc, const char **argv, struct psm_store *s);
int cmd_status(int argc, const char **argv, struct psm_store *s);
int cmd_assign(int argc, const char **argv, struct psm_store *s);
int cmd_reply(int argc, const char **argv, struct psm_store *s);
int cmd_note(int argc, const char **argv, struct psm_store *s);
int cmd_close(int argc, const char **argv, struct psm_store *s);
int cmd_reopen(int argc, const char **argv, struct psm_store *s);
int cmd_dup(int argc, const char **argv, struct psm_store *s);
int cmd_edit(int argc, const char **argv, struct psm_store *s);
int cmd_log(int argc, const char **argv, struct psm_store *s);
int cmd_followup(int argc, const char **argv, struct psm_store *s);
int cmd_rate(int argc, const char **argv, struct psm_store *s);
int cmd_stats(int argc, const char **argv, struct psm_store *s);
int cmd_review(int argc, const char **argv, struct psm_store *s);
int cmd_merge_file(int argc, const char **argv, struct psm_store *s);
int cmd_changelog(int argc, const char **argv, struct psm_store *s);
int cmd_site(int argc, const char **argv, struct psm_store *s);
int cmd_triage(int argc, const char **argv, struct psm_store *s);
int cmd_similar(int argc, const char **argv, struct psm_store *s);
int cmd_park(int argc, const char **argv, struct psm_store *s);
int cmd_roadmap(int argc, const char **argv, struct psm_store *s);
int cmd_import(int argc, const char **argv, struct psm_store *s);
int cmd_export(int argc, const char **argv, struct psm_store *s);
int cmd_usage(int argc, const char **argv, struct psm_store *s);

struct cmd_struct {
	const char *name;
	int (*fn)(int argc, const char **argv, struct psm_store *s);
	unsigned flags;
	const char *summary;
	/*
	 * What the arguments after the options are, for completion
	 * (complete.c): <id>, <term>, <file>, <dir>, <status>, <owner>,
	 * <command>, or words like good|bad; "..." repeats the last one;
	 * +<label> means +LABEL/-LABEL words may come anywhere; after "--"
	 * what follows a "--" on the command line.
	 */
	const char *args;
};

extern const struct cmd_struct psm_commands[];
const struct cmd_struct *find_command(const char *name);
/* "The most similar command is" lines for a mistyped name, on stderr (help.c);
 * returns how many it named. */
int help_similar_commands(const char *name);
/* psm __complete -- WORD...: candidates for the last word (complete.c). */
int complete_main(int argc, const char **argv);
/* A status `psm status` sets (not closed, parked or new: own commands). */
int status_is_settable(const char *status);

#define OPT_NO_COMMIT(v) OPT_BOOL(0, "no-commit", (v), "write the files but do not commit")

#endif
