#ifndef PSM_PARSE_OPTIONS_H
#define PSM_PARSE_OPTIONS_H
/*
 * Option tables, after git's parse-options: one table both parses argv and
 * prints the usage text, so the two cannot drift apart.
 */
#include <stddef.h>

struct strbuf;

enum opt_type { OPTION_END, OPTION_BOOL, OPTION_STRING, OPTION_LIST, OPTION_INT, OPTION_GROUP };

struct option {
	enum opt_type type;
	int short_name;
	const char *long_name;
	void *value;      /* int*, const char**, struct opt_list*, int* */
	const char *argh; /* placeholder for the argument in usage */
	const char *help;
};

/* A repeatable string option (-l LABEL -l LABEL). */
struct opt_list {
	const char **v;
	int n;
	size_t alloc;
};
void opt_list_release(struct opt_list *l);

#define OPT_END() { OPTION_END, 0, NULL, NULL, NULL, NULL }
#define OPT_GROUP(h) { OPTION_GROUP, 0, NULL, NULL, NULL, (h) }
#define OPT_BOOL(s, l, v, h) { OPTION_BOOL, (s), (l), (v), NULL, (h) }
#define OPT_STRING(s, l, v, a, h) { OPTION_STRING, (s), (l), (v), (a), (h) }
#define OPT_LIST(s, l, v, a, h) { OPTION_LIST, (s), (l), (v), (a), (h) }
#define OPT_INT(s, l, v, a, h) { OPTION_INT, (s), (l), (v), (a), (h) }

enum {
	/* Arguments like "-label" that are not known options are kept as
	 * arguments (notmuch's +tag/-tag syntax). */
	PARSE_OPT_KEEP_DASHARGS = 1,
	/* Stop at the first non-option (for the dispatcher). */
	PARSE_OPT_STOP_AT_NON_OPTION = 2,
};

/*
 * Parse options out of argv[1..argc-1] (argv[0] is the command name);
 * non-option arguments are left in argv[0..result-1], in order. "--" ends
 * options and is kept as an argument only with PARSE_OPT_KEEP_DASHARGS.
 * -h/--help prints the usage to stdout and exits 0; an unknown or malformed
 * option prints an error and the usage to stderr and exits 129.
 */
int parse_options(int argc, const char **argv, const struct option *opts,
		  const char *const *usage, int flags);

/*
 * Completion (complete.c) sets this hook and runs a command: the command's
 * parse_options() hands its option table to the hook instead of parsing,
 * so what is offered is what the usage prints. The hook does not return.
 * By convention the help of a <fmt> or <key> option starts with its values:
 * "table (default), tsv or json".
 */
extern void (*parse_options_hook)(const struct option *opts, int flags);
void usage_with_options(const char *const *usage, const struct option *opts, int to_stderr);

#endif
