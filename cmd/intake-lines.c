/* psm intake --jsonl and --csv: records from other tools, one issue each. */
#include <ctype.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "psm/csv.h"
#include "intake-batch.h"
#include "psm/jsonl-map.h"
#include "psm/jsonl.h"

/* What a CSV column can be mapped to; other columns go into the body. */
static const char *const csv_fields[] = {
	"title", "body", "source", "customer", "labels", "type", "created", "updated",
	"external_id", "id", "status", "impact", "response", "owner", "release", "reporter",
	"reporter_name", "reporter_email", "reporter_contact", NULL
};

#define CSV_FIELD_NAMES "title, body, source, customer, labels, type, created, updated, external_id, id, status, impact, response, owner, release, reporter, reporter_name, reporter_email, reporter_contact"

static void take_record(struct batch_run *run, const json_t *obj, const char *where)
{
	struct psm_issue *issue = psm_issue_new();
	int flags = 0;

	/* the default first: a reporter's channel follows the source */
	if (!issue || psm_issue_set(issue, "source", run->source ? run->source : "other") < 0)
		die("out of memory");
	if (psm_json_to_issue(issue, obj, run->now) < 0) {
		if (psm_error_code() == PSM_ENOMEM)
			die_psm();
		run_fail(run, where, psm_error_last());
		psm_issue_free(issue);
		return;
	}
	if (run_defaults(run, issue, "other") < 0)
		die_psm();
	/* An item with no ID of its own but a time of its own is matched on
	 * (source, created, title), so feeding the same export twice is safe. */
	if (!json_object_get(obj, "external_id") && !json_object_get(obj, "id") &&
	    json_object_get(obj, "created"))
		flags = PSM_BATCH_MATCH_CONTENT;
	run_take(run, issue, flags, where);
}

/* --jsonl --map: the maps, and each record through them first. */
struct jsonl_maps {
	struct psm_json_map *v;
	size_t n;
	struct alias_hint *hint; /* this file's keys that look like fields */
};

/* A key no map reads, psm does not know and forms use for a field. */
static void note_keys(struct alias_hint *h, const struct jsonl_maps *m, const json_t *obj)
{
	static const char *const own[] = { "body", "reporter", "extra", "short_id", "path",
					   "reporter_count", NULL };
	const char *k, *f;
	json_t *v;
	size_t i;

	if (!json_is_object(obj))
		return;
	json_object_foreach((json_t *)obj, k, v) {
		int skip = psm_key_rank(k) >= 0 || !(f = alias_field(k)) || json_object_get(obj, f);

		for (i = 0; own[i] && !skip; i++)
			skip = !strcmp(own[i], k);
		for (i = 0; i < m->n && !skip; i++)
			skip = !strcmp(m->v[i].path, k) || !strcmp(m->v[i].field, f);
		if (!skip)
			alias_hint_add(h, k, f);
	}
}

static void take_mapped(struct batch_run *run, const struct jsonl_maps *m, const json_t *obj,
			const char *where)
{
	json_t *mapped;

	note_keys(m->hint, m, obj);
	if (!m->n) {
		take_record(run, obj, where);
		return;
	}
	if (psm_json_map_record(&mapped, obj, m->v, m->n) < 0) {
		if (psm_error_code() == PSM_ENOMEM)
			die_psm();
		run_fail(run, where, psm_error_last());
		return;
	}
	take_record(run, mapped, where);
	json_decref(mapped);
}

static void jsonl_array(struct batch_run *run, const struct jsonl_maps *m,
			const struct strbuf *text, const char *name)
{
	struct strbuf where = STRBUF_INIT;
	json_error_t err;
	json_t *a = json_loadb(text->buf, text->len, JSON_REJECT_DUPLICATES, &err), *v;
	size_t i;

	if (!a || !json_is_array(a)) {
		strbuf_addf(&where, "%s:%d", name, a ? 1 : err.line);
		run_fail(run, where.buf, a ? "not a JSON array of objects" : err.text);
	} else {
		json_array_foreach(a, i, v) {
			strbuf_reset(&where);
			strbuf_addf(&where, "%s: item %zu", name, i + 1);
			take_mapped(run, m, v, where.buf);
		}
	}
	json_decref(a);
	strbuf_release(&where);
}

static void jsonl_file(struct batch_run *run, const struct jsonl_maps *m, const char *path)
{
	struct strbuf text = STRBUF_INIT, where = STRBUF_INIT, why = STRBUF_INIT;
	const char *name = input_name(path), *p, *end;
	int line = 0;

	read_input(&text, path);
	for (p = text.buf; p < text.buf + text.len && isspace((unsigned char)*p); p++)
		;
	if (*p == '[') { /* psm export --format json: one array */
		jsonl_array(run, m, &text, name);
		goto out;
	}
	for (p = text.buf; p < text.buf + text.len; p = end + 1) {
		json_error_t err;
		json_t *obj;
		const char *q;

		end = memchr(p, '\n', (size_t)(text.buf + text.len - p));
		if (!end)
			end = text.buf + text.len;
		line++;
		for (q = p; q < end && isspace((unsigned char)*q); q++)
			;
		if (q == end)
			continue; /* blank lines carry nothing */
		strbuf_reset(&where);
		strbuf_addf(&where, "%s:%d", name, line);
		if (!(obj = json_loadb(p, (size_t)(end - p), JSON_REJECT_DUPLICATES, &err))) {
			strbuf_reset(&why);
			strbuf_addf(&why, "invalid JSON at column %d: %s", err.column, err.text);
			run_fail(run, where.buf, why.buf);
			continue;
		}
		take_mapped(run, m, obj, where.buf);
		json_decref(obj);
	}
out:
	strbuf_release(&text);
	strbuf_release(&where);
	strbuf_release(&why);
}

static int is_csv_field(const char *s);

int intake_jsonl(struct batch_run *run, const struct opt_list *maps, int argc, const char **argv)
{
	struct jsonl_maps m = { NULL, 0, NULL };
	int i;

	if (maps && maps->n && !(m.v = calloc((size_t)maps->n, sizeof(*m.v))))
		die("out of memory");
	for (i = 0; maps && i < maps->n; i++) {
		const char *eq = strrchr(maps->v[i], '=');

		if (!eq || eq == maps->v[i])
			die("invalid --map '%s': use --map PATH=FIELD (a key, or author.email for a nested one)",
			    maps->v[i]);
		if (strcmp(eq + 1, "-") && !is_csv_field(eq + 1))
			die("invalid --map '%s': '%s' is not a field (%s, or - to drop it)", maps->v[i],
			    eq + 1, CSV_FIELD_NAMES);
		if (!(m.v[m.n].path = psm_strndup(maps->v[i], (size_t)(eq - maps->v[i]))))
			die("out of memory");
		m.v[m.n++].field = eq + 1;
	}
	for (i = 0; i < (argc ? argc : 1); i++) {
		struct alias_hint h = ALIAS_HINT_INIT;
		const char *path = argc ? argv[i] : "-";

		m.hint = &h;
		jsonl_file(run, &m, path);
		alias_hint_print(&h, input_name(path), "key",
				 m.n ? "went into each body" : "is not a psm field",
				 m.n ? "went into each body" : "are not psm fields");
		alias_hint_release(&h);
	}
	/* a path no record has is most likely mistyped */
	for (i = 0; (size_t)i < m.n; i++) {
		if (!m.v[i].used)
			warning("--map '%s': no record has '%s'", maps->v[i], m.v[i].path);
		free((char *)m.v[i].path);
	}
	free(m.v);
	return 0;
}

static int is_csv_field(const char *s)
{
	const char *const *f;

	for (f = csv_fields; *f; f++)
		if (!strcmp(*f, s))
			return 1;
	return 0;
}

/*
 * Each column's field: --map COLUMN=FIELD ("-" drops the column), else the
 * header itself when it names a field (any case), else NULL (the body).
 */
static const char **column_fields(const struct psm_csv_row *header, const struct opt_list *maps,
				  const char *name)
{
	const char **fields = calloc(header->n ? header->n : 1, sizeof(*fields));
	size_t i;
	int m;

	if (!fields)
		die("out of memory");
	for (i = 0; i < header->n; i++) {
		char lower[32];
		size_t k, l = strlen(header->v[i]);

		if (l >= sizeof(lower))
			continue;
		for (k = 0; k <= l; k++)
			lower[k] = (char)tolower((unsigned char)header->v[i][k]);
		for (k = 0; csv_fields[k]; k++)
			if (!strcmp(csv_fields[k], lower))
				fields[i] = csv_fields[k];
	}
	for (m = 0; maps && m < maps->n; m++) {
		const char *eq = strrchr(maps->v[m], '=');
		int found = 0;

		if (!eq || eq == maps->v[m])
			die("invalid --map '%s': use --map COLUMN=FIELD", maps->v[m]);
		if (strcmp(eq + 1, "-") && !is_csv_field(eq + 1))
			die("invalid --map '%s': '%s' is not a field (%s, or - to drop the column)",
			    maps->v[m], eq + 1, CSV_FIELD_NAMES);
		for (i = 0; i < header->n; i++)
			if (strlen(header->v[i]) == (size_t)(eq - maps->v[m]) &&
			    !strncmp(header->v[i], maps->v[m], (size_t)(eq - maps->v[m]))) {
				fields[i] = strcmp(eq + 1, "-") ? eq + 1 : "-";
				found = 1;
			}
		if (!found)
			die("--map '%s': '%s' has no column '%.*s'", maps->v[m], name,
			    (int)(eq - maps->v[m]), maps->v[m]);
	}
	/* one value per field: a second would replace the first unseen (bodies
	 * are paragraphs, so several columns may make one) */
	for (i = 0; i < header->n; i++) {
		size_t k;

		for (k = 0; fields[i] && strcmp(fields[i], "-") && strcmp(fields[i], "body") && k < i; k++)
			if (fields[k] && !strcmp(fields[k], fields[i]))
				die("'%s': columns '%s' and '%s' are both read as %s (--map one of them to another field, or to - to drop it)",
				    name, header->v[k], header->v[i], fields[i]);
	}
	return fields;
}

/*
 * A column no field takes, as a Markdown list item ("- Device: Pixel 7"),
 * so each stays on its own line wherever the body is rendered; the lines
 * of a value with several are indented into the item.
 */
static void add_extra(struct strbuf *out, const char *column, const char *value)
{
	const char *p;
	size_t len = strlen(value);

	while (len && isspace((unsigned char)value[len - 1]))
		len--;
	strbuf_addf(out, "- %s: ", column);
	for (p = value; p < value + len; p++) {
		strbuf_addch(out, *p);
		if (*p == '\n')
			strbuf_addstr(out, "  ");
	}
	strbuf_addch(out, '\n');
}

/* One CSV record as the JSON record --jsonl would read. */
static json_t *csv_record(const struct psm_csv_row *header, const char **fields,
			  const struct psm_csv_row *row)
{
	json_t *obj = json_object(), *rep = NULL;
	struct strbuf body = STRBUF_INIT, extra = STRBUF_INIT;
	size_t i;

	if (!obj)
		die("out of memory");
	for (i = 0; i < row->n && i < header->n; i++) {
		const char *f = fields[i], *v = row->v[i];

		if (!*v || (f && !strcmp(f, "-")))
			continue;
		if (!f) {
			add_extra(&extra, header->v[i], v);
		} else if (!strncmp(f, "reporter_", 9)) {
			if (!rep && !(rep = json_object()))
				die("out of memory");
			json_object_set_new(rep, f + 9, json_string(v));
		} else if (!strcmp(f, "body")) {
			strbuf_rtrim(&body);
			if (body.len)
				strbuf_addstr(&body, "\n\n");
			strbuf_addstr(&body, v);
		} else {
			json_object_set_new(obj, f, json_string(v));
		}
	}
	if (extra.len) {
		strbuf_rtrim(&body);
		if (body.len)
			strbuf_addstr(&body, "\n\n");
		strbuf_addbuf(&body, &extra);
	}
	if (body.len)
		json_object_set_new(obj, "body", json_string(body.buf));
	if (rep && !json_object_get(obj, "reporter"))
		json_object_set_new(obj, "reporter", rep);
	else
		json_decref(rep);
	if (body.oom || extra.oom)
		die("out of memory");
	strbuf_release(&body);
	strbuf_release(&extra);
	return obj;
}

/* Columns going into the body that look like fields: the --map to read them. */
static void hint_columns(const struct psm_csv_row *header, const char **fields, const char *name)
{
	struct alias_hint h = ALIAS_HINT_INIT;
	size_t i, k;

	for (i = 0; i < header->n; i++) {
		const char *f = fields[i] ? NULL : alias_field(header->v[i]);
		int filled = 0;

		for (k = 0; f && k < header->n; k++) /* another column fills it */
			filled |= fields[k] && !strcmp(fields[k], f);
		if (f && !filled)
			alias_hint_add(&h, header->v[i], f);
	}
	alias_hint_print(&h, name, "column", "went into each body", "went into each body");
	alias_hint_release(&h);
}

static void csv_file(struct batch_run *run, const struct opt_list *maps, const char *path)
{
	struct psm_csv_row header = { 0 }, row = { 0 };
	struct strbuf text = STRBUF_INIT, where = STRBUF_INIT;
	const char *name = input_name(path), **fields = NULL;
	struct psm_csv c;
	int r;

	read_input(&text, path);
	if (is_blank(&text))
		goto out; /* no header, no rows: zero items, as for an empty mbox */
	psm_csv_init(&c, text.buf, text.len);
	if ((r = psm_csv_next(&c, &header)) <= 0) {
		strbuf_addf(&where, "%s:1", name);
		run_fail(run, where.buf, r ? psm_error_last() : "no header row");
		goto out;
	}
	fields = column_fields(&header, maps, name);
	hint_columns(&header, fields, name);
	while ((r = psm_csv_next(&c, &row)) != 0) {
		json_t *obj;

		strbuf_reset(&where);
		strbuf_addf(&where, "%s:%d", name, row.line);
		if (r < 0) {
			if (psm_error_code() == PSM_ENOMEM)
				die_psm();
			run_fail(run, where.buf, psm_error_last());
			break;
		}
		if (row.n > header.n) {
			size_t k;

			for (k = header.n; k < row.n && !*row.v[k]; k++)
				;
			if (k < row.n) {
				run_fail(run, where.buf, "more fields than the header has columns");
				continue;
			}
		}
		obj = csv_record(&header, fields, &row);
		take_record(run, obj, where.buf);
		json_decref(obj);
	}
out:
	free(fields);
	psm_csv_row_release(&header);
	psm_csv_row_release(&row);
	strbuf_release(&text);
	strbuf_release(&where);
}

int intake_csv(struct batch_run *run, const struct opt_list *maps, int argc, const char **argv)
{
	int i;

	if (!argc)
		csv_file(run, maps, "-");
	for (i = 0; i < argc; i++)
		csv_file(run, maps, argv[i]);
	return 0;
}
