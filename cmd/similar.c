/* psm similar ID: likely duplicates of an issue, closest first; and the
 * hint psm intake prints after taking an issue in. */
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "builtin.h"
#include "parse-options.h"
#include "psm/render.h"
#include "triage.h"

static int open_index(struct psm_similar **ix, struct psm_store *s)
{
	int r = psm_similar_open(ix, s);

	if (r < 0)
		die_psm();
	return r;
}

static void print_hits(struct psm_store *s, const struct psm_similar_hit *h, size_t n,
		       enum output_format fmt)
{
	struct strbuf sid = STRBUF_INIT, line = STRBUF_INIT;
	json_t *a = fmt == FMT_JSON ? json_array() : NULL;
	size_t i;

	if (fmt == FMT_JSON && !a)
		die("out of memory");
	for (i = 0; i < n; i++) {
		strbuf_reset(&sid);
		if (psm_store_abbrev(&sid, s, h[i].id) < 0)
			die_psm();
		if (fmt == FMT_JSON) {
			json_t *o = json_object();

			if (!o)
				die("out of memory");
			json_object_set_new(o, "id", json_string(h[i].id));
			json_object_set_new(o, "short_id", json_string(sid.buf));
			json_object_set_new(o, "score", json_real(round3(h[i].score)));
			json_object_set_new(o, "status", json_string(h[i].status));
			json_object_set_new(o, "title", json_string(h[i].title));
			json_object_set_new(o, "via", h[i].via[0] ? json_string(h[i].via) : json_null());
			json_array_append_new(a, o);
			continue;
		}
		strbuf_reset(&line);
		strbuf_addf(&line, "%.2f  %s  %-8s %s", h[i].score, sid.buf, h[i].status, h[i].title);
		if (h[i].via[0])
			strbuf_addf(&line, "  (via duplicate %.*s)", PSM_SHORT_ID_LEN, h[i].via);
		put_safe(stdout, line.buf, 0); /* titles are customer text */
		putchar('\n');
	}
	if (a)
		print_json_scores(a);
	strbuf_release(&sid);
	strbuf_release(&line);
}

int cmd_similar(int argc, const char **argv, struct psm_store *s)
{
	static const char *const usage[] = {
		"psm similar <id> [-n <n>] [--min-score <x>] [--format text|json]",
		NULL
	};
	const char *format = NULL, *min = NULL;
	int max = 5;
	struct option opts[] = {
		OPT_INT('n', NULL, &max, "n", "show at most <n> issues (default 5)"),
		OPT_STRING(0, "min-score", &min, "x", "only scores of at least <x> (0 to 1; default 0.05)"),
		OPT_STRING(0, "format", &format, "fmt", "text (default) or json"),
		OPT_END(),
	};
	struct psm_similar_hit *hits = NULL;
	struct psm_similar *ix;
	struct psm_issue *issue;
	enum output_format fmt;
	double min_score = 0.05;
	size_t n;
	char *end;

	argc = parse_options(argc, argv, opts, usage, 0);
	if (argc != 1)
		usage_error(usage, opts, argc ? "similar takes one issue ID" : "which issue? give its ID");
	if (max < 1)
		usage_error(usage, opts, "-n needs a number of at least 1");
	if (min) {
		min_score = strtod(min, &end);
		if (end == min || *end || min_score < 0 || min_score > 1)
			usage_error(usage, opts, "--min-score takes a number from 0 to 1, not '%s'", min);
	}
	fmt = parse_format(format, "text,json");
	issue = load_issue_or_die(s, argv[0]);
	open_index(&ix, s);
	if (psm_similar_find(&hits, &n, ix, issue, now_or_die() - similar_window(s), (size_t)max,
			     min_score) < 0)
		die_psm();
	print_hits(s, hits, n, fmt);
	free(hits);
	psm_similar_free(ix);
	psm_issue_free(issue);
	return 0;
}

/*
 * The hint's log is due to be folded into a new similar.inv: a pass over the
 * whole store, most of a second at 100,000 issues. As git runs `gc --auto`,
 * a detached child does it so that this intake does not wait: its own
 * session, standard streams on /dev/null (a `$(psm intake)` reads to EOF),
 * never returning. psm.autoDetach false, or no fork: folded here.
 */
static void fold_hint_log(struct psm_store *s)
{
	const char *go = getenv("PSM_TEST_FOLD_WAIT"); /* tests see the intake return first */
	int fd, folded, i;
	pid_t pid = -1;

	if (auto_detach(s)) {
		fflush(stdout);
		fflush(stderr);
		pid = fork();
		if (pid > 0)
			return;
	}
	if (!pid) {
		setsid();
		if ((fd = open("/dev/null", O_RDWR | O_CLOEXEC)) >= 0) {
			dup2(fd, 0);
			dup2(fd, 1);
			dup2(fd, 2);
			close(fd);
		}
		for (i = 0; go && access(go, F_OK) && i < 6000; i++)
			usleep(10000);
	}
	/* a cache: if it fails, the next hint folds it, later */
	if (psm_similar_fold(s, &folded) < 0)
		psm_error_clear();
	if (!pid)
		_exit(0); /* the parent's exit handlers and buffers are not ours */
}

/* intake's hint lines for one new issue, on standard error. */
static void print_hint(struct psm_store *s, const struct psm_issue *issue,
		       const struct psm_similar_hit *hits, size_t n)
{
	struct strbuf sid = STRBUF_INIT, line = STRBUF_INIT;
	size_t i;

	if (n) {
		fflush(stdout); /* after the ID, on a terminal */
		strbuf_addstr(&sid, short_id(s, issue));
		fprintf(stderr, "hint: likely duplicates; to merge: psm dup %s --of <id>\n", sid.buf);
	}
	for (i = 0; i < n; i++) {
		strbuf_reset(&sid);
		if (psm_store_abbrev(&sid, s, hits[i].id) < 0)
			psm_error_clear();
		strbuf_reset(&line);
		strbuf_addf(&line, "hint:   %.2f  %s  %-8s %s\n", hits[i].score, sid.buf,
			    hits[i].status, hits[i].title);
		put_safe(stderr, line.buf, 1);
	}
	strbuf_release(&sid);
	strbuf_release(&line);
}

void intake_similar_hint(struct psm_store *s, const struct psm_issue *issue)
{
	struct psm_similar_hit *hits = NULL;
	struct psm_similar *ix;
	size_t n = 0;

	if (!psm_config_bool(s->config, "similar.on_intake", 1))
		return;
	/* a hint only: if the index cannot be had, intake still succeeded */
	if (psm_similar_hint(&hits, &n, &ix, s, issue, now_or_die() - similar_window(s), 3,
			     psm_config_number(s->config, "similar.min_score", 0.2)) < 0)
		psm_error_clear();
	print_hint(s, issue, hits, n);
	if (psm_similar_fold_due(ix))
		fold_hint_log(s);
	free(hits);
	psm_similar_free(ix);
}

/* Hits as psm similar --format json writes them. */
static json_t *hits_json(struct psm_store *s, const struct psm_similar_hit *h, size_t n)
{
	struct strbuf sid = STRBUF_INIT;
	json_t *a = json_array();
	size_t i;

	for (i = 0; a && i < n; i++) {
		json_t *o = json_object();

		strbuf_reset(&sid);
		if (psm_store_abbrev(&sid, s, h[i].id) < 0)
			psm_error_clear();
		if (!o || json_object_set_new(o, "id", json_string(h[i].id)) < 0 ||
		    json_object_set_new(o, "short_id", json_string(sid.buf)) < 0 ||
		    json_object_set_new(o, "score", json_real(round3(h[i].score))) < 0 ||
		    json_object_set_new(o, "status", json_string(h[i].status)) < 0 ||
		    json_object_set_new(o, "title", json_string(h[i].title)) < 0 ||
		    json_object_set_new(o, "via", h[i].via[0] ? json_string(h[i].via) : json_null()) < 0 ||
		    json_array_append_new(a, o) < 0)
			die("out of memory");
	}
	if (!a)
		die("out of memory");
	strbuf_release(&sid);
	return a;
}

int intake_similar_hints(struct psm_store *s, const struct psm_issue *const *issues, size_t n,
			 void **similar)
{
	struct psm_similar_hit *hits = NULL;
	struct psm_similar *ix = NULL;
	double min = psm_config_number(s->config, "similar.min_score", 0.2);
	int64_t since = now_or_die() - similar_window(s);
	size_t i, nh;

	if (!n || n > INTAKE_HINT_MAX || !psm_config_bool(s->config, "similar.on_intake", 1))
		return 0;
	/* a hint only: if the index cannot be had, the intake still succeeded */
	if (psm_similar_hint_open(&ix, s) < 0) {
		psm_error_clear();
		psm_similar_free(ix);
		return 0;
	}
	for (i = 0; i < n; i++) {
		if (psm_similar_hint_find(&hits, &nh, ix, issues[i], since, 3, min) < 0) {
			psm_error_clear();
			nh = 0;
		}
		if (similar)
			similar[i] = hits_json(s, hits, nh); /* json_t *: triage.h has no jansson */
		else
			print_hint(s, issues[i], hits, nh);
		free(hits);
	}
	if (psm_similar_fold_due(ix))
		fold_hint_log(s);
	psm_similar_free(ix);
	return 1;
}
