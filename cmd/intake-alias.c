/*
 * Names forms and help desks give psm's fields: a CSV column or JSON key
 * psm does not read as a field still goes into the body (or, in --jsonl
 * without --map, fails the record), nothing is guessed, but the batch says
 * which --map would read it as the field.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "intake-batch.h"

static const struct {
	const char *field, *names;
} aliases[] = {
	{ "reporter_email", "|email|e mail|email address|e mail address|mail|from|sender|user email|customer email|contact email|" },
	{ "reporter_name", "|name|full name|your name|author|reviewer|user|user name|username|customer name|contact name|submitter|" },
	{ "customer", "|company|company name|account|account name|organization|organisation|org|" },
	{ "created", "|date|timestamp|time|submitted|submitted at|submitted on|created at|date submitted|received|" },
	{ "title", "|subject|summary|headline|topic|" },
	{ "body", "|message|description|comment|comments|feedback|text|details|content|" },
	{ "labels", "|tags|tag|label|" },
	{ "external_id", "|ticket|ticket id|review id|response id|submission id|" },
	{ "source", "|channel|" },
};

/* Case, '-' and '_' aside; only letters and those, so the name is safe to
 * print and needs no quoting but for its spaces. */
const char *alias_field(const char *name)
{
	struct strbuf key = STRBUF_INIT;
	const char *p, *field = NULL;
	size_t i;

	strbuf_addch(&key, '|');
	for (p = name; *p; p++) {
		if (!isalpha((unsigned char)*p) && *p != ' ' && *p != '-' && *p != '_')
			goto out;
		strbuf_addch(&key, *p == '-' || *p == '_' ? ' ' : (char)tolower((unsigned char)*p));
	}
	strbuf_addch(&key, '|');
	if (key.oom)
		die("out of memory");
	for (i = 0; i < sizeof(aliases) / sizeof(*aliases) && !field; i++)
		if (strstr(aliases[i].names, key.buf))
			field = aliases[i].field;
out:
	strbuf_release(&key);
	return field;
}

void alias_hint_add(struct alias_hint *h, const char *name, const char *field)
{
	size_t k;

	for (k = 0; k < h->ntaken; k++)
		if (!strcmp(h->taken[k], field))
			return; /* one column per field is offered */
	if (h->ntaken == sizeof(h->taken) / sizeof(*h->taken))
		return;
	h->taken[h->ntaken++] = field;
	strbuf_addf(&h->names, "%s'%s'", h->n ? ", " : "", name);
	strbuf_addf(&h->maps, strchr(name, ' ') ? " --map \"%s=%s\"" : " --map %s=%s", name, field);
	if (h->names.oom || h->maps.oom)
		die("out of memory");
	h->n++;
}

void alias_hint_print(const struct alias_hint *h, const char *file, const char *what,
		      const char *fate_one, const char *fate_many)
{
	if (!h->n)
		return;
	fprintf(stderr, "hint: %s: %s%s %s %s\nhint: to read %s:%s\n", file, what,
		h->n == 1 ? "" : "s", h->names.buf, h->n == 1 ? fate_one : fate_many,
		h->n == 1 ? "it as a field" : "them as fields", h->maps.buf);
}

void alias_hint_release(struct alias_hint *h)
{
	strbuf_release(&h->names);
	strbuf_release(&h->maps);
}
