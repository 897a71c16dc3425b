#include "psm/query.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "psm/error.h"
#include "psm/followup-owed.h"
#include "psm/loop.h"
#include "psm/people.h"
#include "psm/service.h"
#include "psm/time.h"

enum term_kind { T_FIELD, T_LABEL, T_IS, T_TIME, T_COUNT, T_WORD, T_ID, T_FOLLOWUP, T_SLA };

struct term {
	enum term_kind kind;
	const char *field;
	char *value;
	char op;       /* '<', '>', '=' plus 'l'/'g' for <= >= */
	int64_t num;
	struct psm_service *sv; /* T_SLA: targets and business hours */
	const struct psm_config *cfg; /* owner: the person the value names; followup: the team */
	size_t group;  /* which side of the ORs it is on */
};

/* Terms in groups separated by OR: an issue matches when it matches every
 * term of one group. Each group has its own default of open issues only. */
struct psm_query {
	struct term *t;
	size_t n;
	int *any_status; /* per group */
	size_t ngroups;
};

const struct psm_query_term psm_query_terms[] = {
	{ "status", PSM_TERM_FIELD, "statuses", NULL },
	{ "type", PSM_TERM_FIELD, "types", NULL },
	{ "impact", PSM_TERM_FIELD, "impacts", NULL },
	{ "response", PSM_TERM_FIELD, "responses", NULL },
	{ "owner", PSM_TERM_FIELD, "owners", "me" },
	{ "customer", PSM_TERM_FIELD, NULL, NULL },
	{ "source", PSM_TERM_FIELD, "sources", NULL },
	{ "resolution", PSM_TERM_FIELD, "resolutions", NULL },
	{ "release", PSM_TERM_FIELD, NULL, NULL },
	{ "duplicate_of", PSM_TERM_FIELD, NULL, NULL },
	{ "external_id", PSM_TERM_FIELD, NULL, NULL },
	{ "label", PSM_TERM_LABEL, NULL, NULL },
	{ "tag", PSM_TERM_LABEL, NULL, NULL },
	{ "is", PSM_TERM_IS, NULL, "open closed" },
	{ "id", PSM_TERM_ID, NULL, NULL },
	{ "followup", PSM_TERM_FOLLOWUP, NULL, "pending done" },
	{ "sla", PSM_TERM_SLA, NULL, "breached" },
	{ "created", PSM_TERM_TIME, NULL, NULL },
	{ "updated", PSM_TERM_TIME, NULL, NULL },
	{ "triaged", PSM_TERM_TIME, NULL, NULL },
	{ "responded", PSM_TERM_TIME, NULL, NULL },
	{ "closed", PSM_TERM_TIME, NULL, NULL },
	{ "parked_until", PSM_TERM_TIME, NULL, NULL },
	{ "reporters", PSM_TERM_COUNT, NULL, NULL },
	{ NULL, 0, NULL, NULL }
};

static const struct psm_query_term *find_term(const char *s, size_t len)
{
	const struct psm_query_term *t;

	for (t = psm_query_terms; t->key; t++)
		if (strlen(t->key) == len && !strncmp(t->key, s, len))
			return t;
	return NULL;
}

/* Is v one of the space-separated words? */
static int is_word_of(const char *words, const char *v)
{
	size_t n = strlen(v);

	while (n && words && *words) {
		size_t l = strcspn(words, " ");

		if (l == n && !strncmp(words, v, n))
			return 1;
		words += l + (words[l] == ' ');
	}
	return 0;
}

static const char *find_key(const char *const *keys, const char *s, size_t len)
{
	for (; *keys; keys++)
		if (strlen(*keys) == len && !strncmp(*keys, s, len))
			return *keys;
	return NULL;
}

void psm_query_free(struct psm_query *q)
{
	size_t i;

	if (!q)
		return;
	for (i = 0; i < q->n; i++) {
		free(q->t[i].value);
		psm_service_free(q->t[i].sv);
	}
	free(q->t);
	free(q->any_status);
	free(q);
}

int psm_query_needs_me(int argc, const char *const *argv)
{
	int i;

	for (i = 0; i < argc; i++)
		if (!strcmp(argv[i], "owner:me"))
			return 1;
	return 0;
}

static int parse_time(struct term *t, const char *v, const struct psm_query_ctx *ctx)
{
	int64_t d;

	if (isdigit((unsigned char)v[0]) && strlen(v) < 10 && !psm_duration_parse(v, &d)) {
		t->num = ctx->now - d;
		return 0;
	}
	psm_error_clear();
	if (psm_time_parse(v, &t->num) < 0)
		return psm_error(PSM_EINVALID,
				 "invalid time '%s' in '%s%c': use 2026-11-22, an RFC 3339 time or an age like 7d",
				 v, t->field, t->op == 'l' ? '<' : t->op == 'g' ? '>' : t->op);
	return 0;
}

/*
 * owner:WHO names a person (people.h): a handle, a name, a first name or an
 * e-mail, quoted or not; it matches the issues whose owner is that person
 * under any of their names. A name no configured person has matches as
 * written.
 */
static int owner_term(struct term *t, const char *v, const struct psm_config *cfg)
{
	struct strbuf who = STRBUF_INIT, canon = STRBUF_INIT;
	size_t len = strlen(v);
	int r;

	if (len >= 2 && v[0] == '"' && v[len - 1] == '"')
		strbuf_add(&who, v + 1, len - 2);
	else
		strbuf_addstr(&who, v);
	if (who.oom)
		return PSM_ENOMEM;
	r = psm_people_owner(&canon, cfg, who.buf);
	if (r == PSM_EINVALID) { /* no such person: the value as written */
		psm_error_clear();
		r = 0;
		strbuf_reset(&canon);
		strbuf_addbuf(&canon, &who);
	}
	strbuf_release(&who);
	if (r < 0 || canon.oom) {
		strbuf_release(&canon);
		return r < 0 ? r : PSM_ENOMEM;
	}
	t->cfg = cfg;
	t->value = strbuf_detach(&canon, NULL);
	return 0;
}

static int parse_term(struct term *t, const char *arg, const struct psm_query_ctx *ctx,
		      int *any_status)
{
	size_t klen = strcspn(arg, ":<>=");
	const struct psm_query_term *qt = find_term(arg, klen);
	enum psm_term_kind kind = qt ? qt->kind : PSM_TERM_FIELD;
	const char *key = qt ? qt->key : NULL;
	const char *v = arg + klen;
	char sep = *v;

	if (!sep || !klen) {
		t->kind = T_WORD;
		return (t->value = psm_strdup(arg)) ? 0 : PSM_ENOMEM;
	}
	if (sep == ':' )
		v++;
	else if ((sep == '<' || sep == '>') && v[1] == '=')
		v += 2, sep = sep == '<' ? 'l' : 'g';
	else
		v++;
	t->op = sep;
	if (qt && kind == PSM_TERM_TIME && sep != ':') {
		t->kind = T_TIME;
		t->field = key;
		return parse_time(t, v, ctx);
	}
	if (qt && kind == PSM_TERM_FIELD && sep == ':') {
		t->kind = T_FIELD;
		t->field = key;
		/* external_id: names one issue, as id: does, whatever its status */
		if (!strcmp(key, "status") || !strcmp(key, "external_id"))
			*any_status = 1;
		if (!strcmp(key, "owner") && !strcmp(v, "me")) {
			if (!ctx->me)
				return psm_error(PSM_EIDENTITY, "'owner:me' needs a git identity (git config user.email)");
			v = ctx->me;
		}
		if (!strcmp(key, "owner") && ctx->config && strcmp(v, "none"))
			return owner_term(t, v, ctx->config);
		return (t->value = psm_strdup(v)) ? 0 : PSM_ENOMEM;
	}
	if (qt && kind == PSM_TERM_LABEL && sep == ':') {
		t->kind = T_LABEL;
		return (t->value = psm_strdup(v)) ? 0 : PSM_ENOMEM;
	}
	if (qt && kind == PSM_TERM_IS && sep == ':') {
		if (!is_word_of(qt->words, v) && *v && ctx->config &&
		    psm_config_list(ctx->config, "statuses") &&
		    psm_config_list(ctx->config, "statuses")->n &&
		    psm_config_allows(ctx->config, "statuses", v) > 0)
			return psm_error(PSM_EINVALID, "unknown term '%s': use status:%s (is: takes open or closed)",
					 arg, v);
		if (!is_word_of(qt->words, v))
			return psm_error(PSM_EINVALID, "unknown term '%s': use is:open or is:closed", arg);
		t->kind = T_IS;
		*any_status = 1;
		return (t->value = psm_strdup(v)) ? 0 : PSM_ENOMEM;
	}
	if (qt && kind == PSM_TERM_ID && sep == ':') {
		t->kind = T_ID;
		*any_status = 1; /* naming an issue finds it whatever its status */
		return (t->value = psm_strdup(v)) ? 0 : PSM_ENOMEM;
	}
	if (qt && kind == PSM_TERM_FOLLOWUP && sep == ':') {
		if (!is_word_of(qt->words, v))
			return psm_error(PSM_EINVALID, "unknown term '%s': use followup:pending or followup:done", arg);
		t->kind = T_FOLLOWUP;
		t->cfg = ctx->config; /* the team is owed none */
		*any_status = 1;
		return (t->value = psm_strdup(v)) ? 0 : PSM_ENOMEM;
	}
	if (qt && kind == PSM_TERM_SLA && sep == ':') {
		if (!is_word_of(qt->words, v))
			return psm_error(PSM_EINVALID, "unknown term '%s': use sla:breached", arg);
		t->kind = T_SLA;
		t->num = ctx->now;
		return psm_service_load(&t->sv, ctx->config);
	}
	if (qt && kind == PSM_TERM_COUNT && sep != ':') {
		char *end;

		t->kind = T_COUNT;
		t->num = strtoll(v, &end, 10);
		if (end == v || *end)
			return psm_error(PSM_EINVALID, "invalid count in '%s': use reporters>N", arg);
		return 0;
	}
	/* "word:" that looks like a key but is not one: say so, don't guess. */
	{
		size_t i;
		int keyish = 1;

		for (i = 0; i < klen; i++)
			if (!islower((unsigned char)arg[i]) && arg[i] != '_')
				keyish = 0;
		if (keyish)
			return psm_error(PSM_EINVALID,
					 "unknown search term '%s' (terms: status: type: impact: response: label: owner: customer: source: resolution: external_id: is:open is:closed id: followup: sla:breached created> updated< reporters>N, or plain words)",
					 arg);
	}
	t->kind = T_WORD;
	return (t->value = psm_strdup(arg)) ? 0 : PSM_ENOMEM;
}

int psm_query_parse(struct psm_query **out, int argc, const char *const *argv,
		    const struct psm_query_ctx *ctx)
{
	struct psm_query *q = calloc(1, sizeof(*q));
	size_t start = 0; /* the current group's first term */
	int i, r = 0;

	*out = NULL;
	if (!q || (argc && !(q->t = calloc((size_t)argc, sizeof(*q->t)))) ||
	    !(q->any_status = calloc((size_t)argc + 1, sizeof(*q->any_status)))) {
		psm_query_free(q);
		return psm_oom();
	}
	q->ngroups = 1;
	for (i = 0; i < argc && r >= 0; i++) {
		if (!strcmp(argv[i], "OR")) { /* upper case, as GitHub and Gmail read it */
			if (q->n == start || i == argc - 1)
				r = psm_error(PSM_EINVALID, "'OR' needs a search term on each side");
			start = q->n;
			q->ngroups++;
			continue;
		}
		q->t[q->n].group = q->ngroups - 1;
		r = parse_term(&q->t[q->n], argv[i], ctx, &q->any_status[q->ngroups - 1]);
		q->n++;
		if (r == PSM_ENOMEM)
			psm_error(r, "out of memory");
	}
	if (r < 0) {
		psm_query_free(q);
		return r;
	}
	*out = q;
	return 0;
}

int psm_query_reads_body(const struct psm_query *q)
{
	size_t i;

	for (i = 0; i < q->n; i++)
		if (q->t[i].kind == T_WORD)
			return 1;
	return 0;
}

int psm_issue_is_open(const struct psm_issue *issue)
{
	return !psm_streq(psm_issue_get(issue, "status"), "closed");
}

/* The same person rule as psm_reporter_key() (loop.h), without allocating:
 * e-mail, else contact, else name, compared without case. */
static const char *reporter_key(const struct psm_node *r)
{
	const char *k = psm_node_get_str(r, "email");

	if (!k || !*k)
		k = psm_node_get_str(r, "contact");
	if (!k || !*k)
		k = psm_node_get_str(r, "name");
	return k && *k ? k : NULL;
}

size_t psm_issue_reporter_count(const struct psm_issue *issue)
{
	const struct psm_node *n = psm_issue_node(issue, "reporters");
	size_t i, j, count = 0;

	if (!n || n->kind != PSM_SEQ)
		return 0;
	for (i = 0; i < n->n; i++) {
		const char *k = reporter_key(n->items[i]);
		int seen = 0;

		for (j = 0; k && j < i && !seen; j++) {
			const char *o = reporter_key(n->items[j]);

			seen = o && !strcasecmp(o, k);
		}
		count += !seen;
	}
	return count;
}

static int contains_ci(const char *hay, size_t hlen, const char *needle)
{
	size_t nlen = strlen(needle), i;

	if (!nlen)
		return 1;
	for (i = 0; i + nlen <= hlen; i++)
		if (!strncasecmp(hay + i, needle, nlen))
			return 1;
	return 0;
}

static int cmp_time(int64_t have, const struct term *t)
{
	switch (t->op) {
	case '<': return have < t->num;
	case '>': return have > t->num;
	case 'l': return have <= t->num;
	case 'g': return have >= t->num;
	default: return have / 86400 == t->num / 86400;
	}
}

static int match_term(const struct term *t, const struct psm_issue *issue)
{
	const char *v;
	int64_t tm;

	switch (t->kind) {
	case T_FIELD:
		v = psm_issue_get(issue, t->field);
		if (!strcmp(t->value, "none"))
			return v == NULL;
		if (t->cfg)
			return psm_people_same_owner(t->cfg, v, t->value);
		return v && !strcasecmp(v, t->value);
	case T_LABEL:
		return psm_issue_list_has(issue, "labels", t->value);
	case T_IS:
		return psm_issue_is_open(issue) == !strcmp(t->value, "open");
	case T_ID:
		v = psm_issue_get(issue, "id");
		/* IDs are lower case; a prefix typed in capitals still names them */
		return v && !strncasecmp(v, t->value, strlen(t->value));
	case T_TIME:
		if (psm_time_parse(psm_issue_get(issue, t->field), &tm) < 0)
			return 0;
		return cmp_time(tm, t);
	case T_COUNT: {
		long long c = (long long)psm_issue_reporter_count(issue);

		return t->op == '>' ? c > t->num : t->op == '<' ? c < t->num :
		       t->op == 'g' ? c >= t->num : t->op == 'l' ? c <= t->num : c == t->num;
	}
	case T_FOLLOWUP: {
		int64_t done;

		/* one definition of "owed", shared with psm followup */
		if (!strcmp(t->value, "pending"))
			return psm_loop_followup_owed(issue, t->cfg);
		return psm_followup_complete(issue, t->cfg, &done);
	}
	case T_SLA:
		return psm_service_breach(t->sv, issue, t->num) != 0;
	case T_WORD:
		v = psm_issue_get(issue, "title");
		if (v && contains_ci(v, strlen(v), t->value))
			return 1;
		/* an imported issue's old ID (BACK-634) is what people remember */
		v = psm_issue_get(issue, "external_id");
		if (v && contains_ci(v, strlen(v), t->value))
			return 1;
		return contains_ci(issue->body.buf, issue->body.len, t->value);
	}
	return 0;
}

/* Does a group of terms match: among the groups that may (closed: only
 * those held to open issues by default), one whose every term matches? */
static int match_groups(const struct psm_query *q, const struct psm_issue *issue, int closed)
{
	int open = psm_issue_is_open(issue);
	size_t g, i = 0;

	for (g = 0; g < q->ngroups; g++) {
		int ok = closed ? !q->any_status[g] : q->any_status[g] || open;

		for (; i < q->n && q->t[i].group == g; i++)
			if (ok && !match_term(&q->t[i], issue))
				ok = 0;
		if (ok)
			return 1;
	}
	return 0;
}

int psm_query_match(const struct psm_query *q, const struct psm_issue *issue)
{
	return match_groups(q, issue, 0);
}

int psm_query_match_closed(const struct psm_query *q, const struct psm_issue *issue)
{
	return !psm_issue_is_open(issue) && match_groups(q, issue, 1);
}

static const char *sort_key;
static int sort_reverse;

static int cmp_str_field(const struct psm_issue *a, const struct psm_issue *b, const char *k)
{
	const char *x = psm_issue_get(a, k), *y = psm_issue_get(b, k);

	return strcmp(x ? x : "", y ? y : "");
}

static int cmp_issues(const void *pa, const void *pb)
{
	const struct psm_issue *a = *(const struct psm_issue *const *)pa;
	const struct psm_issue *b = *(const struct psm_issue *const *)pb;
	int c = 0;

	if (!strcmp(sort_key, "priority"))
		c = a->score < b->score ? 1 : a->score > b->score ? -1 : 0;
	else if (!strcmp(sort_key, "reporters")) {
		size_t x = psm_issue_reporter_count(a), y = psm_issue_reporter_count(b);

		c = x < y ? 1 : x > y ? -1 : 0;
	} else if (!strcmp(sort_key, "created"))
		c = a->sort_created < b->sort_created ? -1 : a->sort_created > b->sort_created;
	else
		c = cmp_str_field(a, b, sort_key);
	if (!c && strcmp(sort_key, "created"))
		c = a->sort_created < b->sort_created ? -1 : a->sort_created > b->sort_created;
	if (!c)
		c = strcmp(a->path ? a->path : "", b->path ? b->path : "");
	return sort_reverse ? -c : c;
}

int psm_issue_set_sort(struct psm_issue_set *set, const char *key, int reverse)
{
	static const char *const keys[] = {
		"created", "updated", "id", "title", "status", "reporters", "owner",
		"type", "impact", "closed", "priority", NULL
	};
	const char *k = key ? find_key(keys, key, strlen(key)) : "created";

	if (!k)
		return psm_error(PSM_EINVALID,
				 "unknown sort key '%s' (use created, updated, id, title, status, reporters, owner, type, impact, closed, priority)",
				 key);
	sort_key = k;
	sort_reverse = reverse;
	if (set->n)
		qsort(set->v, set->n, sizeof(*set->v), cmp_issues);
	return 0;
}
