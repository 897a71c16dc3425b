#include "parse-options.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "psm/grow.h"

void (*parse_options_hook)(const struct option *opts, int flags);

void opt_list_release(struct opt_list *l)
{
	free(l->v);
	l->v = NULL;
	l->n = 0;
	l->alloc = 0;
}

static void list_push(struct opt_list *l, const char *s)
{
	const char **nv = psm_grow(l->v, (size_t)l->n, &l->alloc, sizeof(*nv), 4);

	if (!nv)
		die("out of memory");
	l->v = nv;
	l->v[l->n++] = s;
}

void usage_with_options(const char *const *usage, const struct option *o, int to_stderr)
{
	FILE *f = to_stderr ? stderr : stdout;
	int first = 1;

	for (; *usage; usage++) {
		fprintf(f, "%s%s\n", first ? "usage: " : "   or: ", *usage);
		first = 0;
	}
	if (o->type != OPTION_END && o->type != OPTION_GROUP)
		fputc('\n', f);
	for (; o->type != OPTION_END; o++) {
		int pos;

		if (o->type == OPTION_GROUP) {
			fprintf(f, "\n%s%s", o->help, *o->help ? "\n" : "");
			continue;
		}
		pos = fprintf(f, "    ");
		if (o->short_name)
			pos += fprintf(f, "-%c%s", o->short_name, o->long_name ? ", " : "");
		if (o->long_name)
			pos += fprintf(f, "--%s", o->long_name);
		if (o->argh)
			pos += fprintf(f, " <%s>", o->argh);
		if (pos >= 30) {
			fputc('\n', f);
			pos = 0;
		}
		fprintf(f, "%*s%s\n", 30 - pos, "", o->help);
	}
	fputc('\n', f);
}

/* what: "unknown option", "option expects a whole number, not" ... */
static void bad_option(const char *const *usage, const struct option *opts, const char *what,
		       const char *arg)
{
	fprintf(stderr, "error: %s '%s'\n", what, arg);
	usage_with_options(usage, opts, 1);
	exit(129);
}

static void set_value(const struct option *o, const char *arg, const char *const *usage,
		      const struct option *opts)
{
	char *end;
	long v;

	switch (o->type) {
	case OPTION_BOOL:
		*(int *)o->value = 1;
		break;
	case OPTION_STRING:
		*(const char **)o->value = arg;
		break;
	case OPTION_LIST:
		list_push(o->value, arg);
		break;
	case OPTION_INT:
		errno = 0;
		v = strtol(arg, &end, 10);
		if (!*arg || *end || errno || v < INT_MIN || v > INT_MAX)
			bad_option(usage, opts, "option expects a whole number, not", arg);
		*(int *)o->value = (int)v;
		break;
	default:
		break;
	}
}

static const struct option *find_long(const struct option *o, const char *name, size_t len)
{
	for (; o->type != OPTION_END; o++)
		if (o->long_name && strlen(o->long_name) == len && !strncmp(o->long_name, name, len))
			return o;
	return NULL;
}

static const struct option *find_short(const struct option *o, int c)
{
	for (; o->type != OPTION_END; o++)
		if (o->short_name == c)
			return o;
	return NULL;
}

/* Handle argv[*i]; returns 0 if it was not an option we know. */
static int take_option(int argc, const char **argv, int *i, const struct option *opts,
		       const char *const *usage, int flags)
{
	const char *arg = argv[*i];
	const struct option *o;

	if (arg[1] == '-') {
		const char *eq = strchr(arg + 2, '=');
		size_t len = eq ? (size_t)(eq - arg - 2) : strlen(arg + 2);
		int neg = 0;

		o = find_long(opts, arg + 2, len);
		if (!o && len > 3 && !strncmp(arg + 2, "no-", 3)) {
			o = find_long(opts, arg + 5, len - 3);
			neg = o && o->type == OPTION_BOOL;
			if (!neg)
				o = NULL;
		}
		if (!o) {
			if (flags & PARSE_OPT_KEEP_DASHARGS)
				return 0;
			bad_option(usage, opts, "unknown option", arg);
		}
		if (o->type == OPTION_BOOL) {
			if (eq)
				bad_option(usage, opts, "this option takes no value:", arg);
			*(int *)o->value = !neg;
		} else if (eq) {
			set_value(o, eq + 1, usage, opts);
		} else if (*i + 1 < argc) {
			set_value(o, argv[++*i], usage, opts);
		} else {
			bad_option(usage, opts, "this option needs a value:", arg);
		}
		return 1;
	}
	o = find_short(opts, arg[1]);
	if (!o) {
		if (flags & PARSE_OPT_KEEP_DASHARGS)
			return 0;
		bad_option(usage, opts, "unknown switch", arg);
	}
	if (o->type == OPTION_BOOL) {
		const char *p;

		/* bundled booleans: -abc */
		for (p = arg + 1; *p; p++) {
			const struct option *b = find_short(opts, *p);

			if (!b || b->type != OPTION_BOOL)
				bad_option(usage, opts, "unknown switch", arg);
			*(int *)b->value = 1;
		}
	} else if (arg[2]) {
		set_value(o, arg + 2, usage, opts);
	} else if (*i + 1 < argc) {
		set_value(o, argv[++*i], usage, opts);
	} else {
		bad_option(usage, opts, "this switch needs a value:", arg);
	}
	return 1;
}

int parse_options(int argc, const char **argv, const struct option *opts,
		  const char *const *usage, int flags)
{
	int i, out = 0;

	if (parse_options_hook) {
		parse_options_hook(opts, flags);
		exit(EXIT_FATAL); /* not reached: the hook exits */
	}
	for (i = 1; i < argc; i++) {
		const char *arg = argv[i];

		if (!strcmp(arg, "-h") || !strcmp(arg, "--help")) {
			usage_with_options(usage, opts, 0);
			exit(0);
		}
		if (!strcmp(arg, "--")) {
			if (flags & PARSE_OPT_KEEP_DASHARGS)
				argv[out++] = arg;
			for (i++; i < argc; i++)
				argv[out++] = argv[i];
			break;
		}
		if (arg[0] != '-' || !arg[1] || !take_option(argc, argv, &i, opts, usage, flags)) {
			if (arg[0] != '-' && (flags & PARSE_OPT_STOP_AT_NON_OPTION)) {
				for (; i < argc; i++)
					argv[out++] = argv[i];
				break;
			}
			argv[out++] = arg;
		}
	}
	argv[out] = NULL;
	return out;
}
