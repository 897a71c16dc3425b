/*
 * psm __complete [--no-descriptions] -- WORD...: what the shell completion
 * scripts (completion/) ask. The WORDs are the command line after "psm",
 * the last one the word being completed ("" for a new one). Prints one
 * candidate a line, "candidate<TAB>description" (descriptions are
 * sanitized; none with --no-descriptions), then ":" and directives
 * (docs/completion.md). Everything comes from the tables that print the
 * usage: psm_commands[] (commands, and what their arguments are), each
 * command's option table (run through parse_options_hook), the search terms
 * of lib/service/query.c, and the store: its config and its issue files. Writes
 * nothing, and a missing store just means fewer candidates.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "builtin.h"
#include "complete.h"
#include "parse-options.h"

static struct comp comp;
static const struct cmd_struct *comp_cmd;
/* The words from the command's name on; the last is comp.cur. */
static const char **words;
static int nwords;

/* Where an option's value comes from, by the option's long name. */
static const struct {
	const char *option;
	const char *config; /* a config list */
	char what;          /* 'o'wners, 'l'abels, 'i'ssue IDs, 'h'elp text */
} option_values[] = {
	{ "type", "types", 0 }, { "impact", "impacts", 0 }, { "response", "responses", 0 },
	{ "source", "sources", 0 }, { "resolution", "resolutions", 0 },
	{ "template", "resolutions", 0 }, { "owner", "owners", 'o' }, { "label", NULL, 'l' },
	{ "of", NULL, 'i' }, { "duplicate-of", NULL, 'i' }, { "format", NULL, 'h' },
	{ "sort", NULL, 'h' }, { "preset", NULL, 'h' }, { NULL, NULL, 0 }
};

static int comp_finish(void)
{
	static const char *const names[] = { "files", "dirs", "nospace" };
	const char *sep = "";
	int i;

	putchar(':');
	for (i = 0; i < 3; i++)
		if (comp.directives & (1u << i)) {
			printf("%s%s", sep, names[i]);
			sep = ",";
		}
	putchar('\n');
	psm_store_free(comp.store);
	comp.store = NULL;
	free(comp.named);
	comp.named = NULL;
	return finish_stdout(0);
}

static int takes_value(const struct option *o)
{
	return o->type == OPTION_STRING || o->type == OPTION_LIST || o->type == OPTION_INT;
}

/* The option that word (-x, -xVALUE, --name, --name=VALUE, --no-name) is. */
static const struct option *find_option(const struct option *o, const char *w)
{
	size_t len;

	if (!o || w[0] != '-' || !w[1])
		return NULL;
	if (w[1] != '-') {
		for (; o->type != OPTION_END; o++)
			if (o->short_name && o->short_name == w[1])
				return o;
		return NULL;
	}
	len = strcspn(w + 2, "=");
	for (; o->type != OPTION_END; o++)
		if (o->long_name && ((strlen(o->long_name) == len && !strncmp(o->long_name, w + 2, len)) ||
				     (o->type == OPTION_BOOL && len == strlen(o->long_name) + 3 &&
				      !strncmp(w + 2, "no-", 3) && !strncmp(o->long_name, w + 5, len - 3))))
			return o;
	return NULL;
}

static void add_options(const struct option *o)
{
	struct strbuf name = STRBUF_INIT;

	for (; o && o->type != OPTION_END; o++) {
		if (o->type == OPTION_GROUP)
			continue;
		if (o->short_name && comp.cur[1] != '-') {
			strbuf_reset(&name);
			strbuf_addf(&name, "-%c", o->short_name);
			comp_add(&comp, "", name.buf, o->help);
		}
		if (o->long_name)
			comp_add(&comp, "--", o->long_name, o->help);
		/* --no-NAME only once asked for, as git does */
		if (o->long_name && o->type == OPTION_BOOL && strncmp(o->long_name, "no-", 3) &&
		    !strncmp(comp.cur, "--no-", 5))
			comp_add(&comp, "--no-", o->long_name, o->help);
	}
	strbuf_release(&name);
}

/* The values a <fmt> or <key> option's help starts with (parse-options.h):
 * "output: text (the ID) or json; ..." gives text and json. */
static void add_help_values(const char *pre, const char *help)
{
	struct strbuf text = STRBUF_INIT, w = STRBUF_INIT;
	const char *p, *colon;
	int depth = 0;

	for (p = help; *p && !(*p == ';' && !depth); p++) {
		if (*p == '(')
			depth++;
		else if (*p == ')' && depth)
			depth--;
		else if (!depth)
			strbuf_addch(&text, *p);
	}
	for (p = text.buf; (colon = strstr(p, ": ")); p = colon + 2)
		;
	while (*p) {
		size_t l = strcspn(p, ", ");

		strbuf_reset(&w);
		strbuf_add(&w, p, l);
		if (l && strcmp(w.buf, "or") && strspn(w.buf, "abcdefghijklmnopqrstuvwxyz0123456789-") == l)
			comp_add(&comp, pre, w.buf, NULL);
		p += l;
		p += strspn(p, ", ");
	}
	strbuf_release(&text);
	strbuf_release(&w);
}

/* The value of option o; pre is "--name=" when it is in the same word. */
static void add_option_value(const struct option *o, const char *pre)
{
	int i;

	for (i = 0; o->long_name && option_values[i].option; i++)
		if (!strcmp(option_values[i].option, o->long_name))
			break;
	if (o->long_name && option_values[i].option) {
		switch (option_values[i].what) {
		case 'l':
			comp_labels(&comp, pre, '+');
			break;
		case 'i':
			comp_ids(&comp, pre, comp.cur + strlen(pre));
			break;
		case 'h':
			add_help_values(pre, o->help);
			break;
		case 'o':
			comp_words(&comp, pre, "me");
			break;
		}
		if (option_values[i].config)
			comp_config(&comp, pre, option_values[i].config);
	} else if (o->argh && !strcmp(o->argh, "file")) {
		comp.directives |= COMP_FILES;
	} else if (o->argh && !strcmp(o->argh, "dir")) {
		comp.directives |= COMP_DIRS;
	}
}

static void add_commands(void)
{
	const struct cmd_struct *c;

	for (c = psm_commands; c->name; c++)
		comp_add(&comp, "", c->name, c->summary);
}

/* An argument of the kind the command table names (builtin.h). */
static void add_argument(const char *kind, size_t len)
{
	struct strbuf k = STRBUF_INIT;
	const struct psm_node *statuses;
	struct psm_store *s;
	size_t i;

	strbuf_add(&k, kind, len);
	if (len > 3 && !strcmp(k.buf + len - 3, "..."))
		strbuf_setlen(&k, len - 3);
	if (!strcmp(k.buf, "<id>")) {
		comp_ids(&comp, "", comp.cur);
	} else if (!strcmp(k.buf, "<term>")) {
		comp_terms(&comp);
	} else if (!strcmp(k.buf, "<file>")) {
		comp.directives |= COMP_FILES;
	} else if (!strcmp(k.buf, "<dir>")) {
		comp.directives |= COMP_DIRS;
	} else if (!strcmp(k.buf, "<owner>")) {
		comp_config(&comp, "", "owners");
		comp_words(&comp, "", "me");
	} else if (!strcmp(k.buf, "<command>")) {
		add_commands();
	} else if (!strcmp(k.buf, "<status>")) {
		s = comp_store(&comp);
		statuses = s ? psm_config_list(s->config, "statuses") : NULL;
		for (i = 0; statuses && i < statuses->n; i++)
			if (psm_node_str(statuses->items[i]) &&
			    status_is_settable(statuses->items[i]->str))
				comp_add(&comp, "", statuses->items[i]->str, NULL);
	} else if (k.len && k.buf[0] != '<') {
		for (i = 0; i < k.len; i++)
			if (k.buf[i] == '|')
				k.buf[i] = ' ';
		comp_words(&comp, "", k.buf);
	}
	strbuf_release(&k);
}

/* The spec's argument number pos (after its "--" when the command line
 * had one, if the spec has one): start and length. */
static const char *spec_arg(const char *spec, int after, int pos, size_t *len)
{
	const char *last = NULL, *dashdash = strstr(spec, " -- ");
	size_t lastlen = 0;

	if (after && dashdash)
		spec = dashdash + 4;
	while (*spec) {
		size_t l = strcspn(spec, " ");

		if (l == 2 && !strncmp(spec, "--", 2))
			break;
		if (l != 8 || strncmp(spec, "+<label>", 8)) {
			if (!pos--) {
				*len = l;
				return spec;
			}
			last = spec;
			lastlen = l;
		}
		spec += l + (spec[l] == ' ');
	}
	if (last && lastlen > 3 && !strncmp(last + lastlen - 3, "...", 3)) {
		*len = lastlen;
		return last;
	}
	return NULL;
}

/* The command's words up to cur, then what cur can be. */
static void complete_command(const struct option *opts)
{
	const char *spec = comp_cmd->args ? comp_cmd->args : "";
	int labels = strstr(spec, "+<label>") != NULL;
	const struct option *value_of = NULL, *o;
	const char *cur = comp.cur, *kind;
	int after = 0, pos = 0, i;
	size_t len;

	if (!(comp.named = calloc((size_t)nwords, sizeof(*comp.named))))
		return;
	for (i = 1; i < nwords - 1; i++) {
		const char *w = words[i];

		if (!after && !strcmp(w, "--")) {
			after = 1;
			if (strstr(spec, " -- "))
				pos = 0; /* tag ... -- TERM...: what follows is another list */
			continue;
		}
		if (!after && w[0] == '-' && w[1]) {
			/* an option, and its value when that is the next word;
			 * else a -label for tag and triage */
			o = find_option(opts, w);
			if (o && takes_value(o) && !strchr(w, '=') && (w[1] == '-' || !w[2])) {
				if (i + 1 == nwords - 1)
					value_of = o;
				i++;
			}
			continue;
		}
		if (labels && !after && w[0] == '+')
			continue;
		if (!after)
			comp.named[comp.nnamed++] = w;
		pos++;
	}
	if (value_of) {
		add_option_value(value_of, "");
	} else if (!after && !strncmp(cur, "--", 2) && strchr(cur, '=')) {
		struct strbuf pre = STRBUF_INIT;

		if ((o = find_option(opts, cur)) && takes_value(o)) {
			strbuf_add(&pre, cur, (size_t)(strchr(cur, '=') - cur) + 1);
			add_option_value(o, pre.buf);
		}
		strbuf_release(&pre);
	} else if (!after && cur[0] == '-') {
		if (labels && cur[1] != '-')
			comp_labels(&comp, "-", '-');
		add_options(opts);
	} else if (labels && !after && cur[0] == '+') {
		comp_labels(&comp, "+", '+');
	} else if ((kind = spec_arg(spec, after, pos, &len))) {
		add_argument(kind, len);
	}
}

static void __attribute__((noreturn)) command_hook(const struct option *opts, int flags)
{
	parse_options_hook = NULL;
	complete_command(opts);
	exit(comp_finish());
}

int complete_main(int argc, const char **argv)
{
	static const char *empty[] = { "" };
	const char *none[] = { NULL, NULL };
	int i = 1;

	comp.descriptions = 1;
	if (i < argc && !strcmp(argv[i], "--no-descriptions")) {
		comp.descriptions = 0;
		i++;
	}
	if (i >= argc || strcmp(argv[i], "--")) {
		fprintf(stderr, "usage: psm __complete [--no-descriptions] -- <word>...\n");
		return EXIT_USAGE;
	}
	words = argv + i + 1;
	nwords = argc - i - 1;
	if (!nwords) {
		words = empty;
		nwords = 1;
	}
	comp.cur = words[nwords - 1];

	/* psm's own options, as main() takes them: -C moves us */
	for (i = 0; i < nwords - 1; i++) {
		const char *w = words[i];

		if (!strcmp(w, "-C") && i + 2 < nwords) {
			if (chdir(words[++i]) < 0)
				return comp_finish();
		} else if (!strcmp(w, "-C")) {
			comp.directives |= COMP_DIRS; /* its value is the word completed */
			return comp_finish();
		} else if (!strncmp(w, "-C", 2)) {
			if (chdir(w + 2) < 0)
				return comp_finish();
		} else if (w[0] != '-') {
			break;
		}
	}
	if (i == nwords - 1) {
		if (comp.cur[0] == '-')
			add_options(psm_options);
		else
			add_commands();
		return comp_finish();
	}
	if (!(comp_cmd = find_command(words[i])))
		return comp_finish();
	words += i;
	nwords -= i;
	/* The command's own parse_options() hands its table to the hook. */
	parse_options_hook = command_hook;
	none[0] = comp_cmd->name;
	comp_cmd->fn(1, none, NULL);
	parse_options_hook = NULL;
	complete_command(NULL);
	return comp_finish();
}
