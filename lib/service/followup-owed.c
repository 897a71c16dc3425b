/* Who is owed a follow-up, person by person (followup-owed.h). */
#include "psm/followup-owed.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "psm/error.h"
#include "psm/people.h"
#include "psm/time.h"

/* What tells a reporter apart: e-mail, else contact, else name (as
 * psm_reporter_key, without the copy); NULL for none. */
static const char *person_of(const struct psm_node *r)
{
	const char *k = NULL;

	if (!r || r->kind != PSM_MAP)
		return NULL;
	if (!(k = psm_node_get_str(r, "email")) || !*k)
		k = psm_node_get_str(r, "contact");
	if (!k || !*k)
		k = psm_node_get_str(r, "name");
	return k && *k ? k : NULL;
}

static const struct psm_node *seq_of(const struct psm_issue *issue, const char *key)
{
	const struct psm_node *n = psm_issue_node(issue, key);

	return n && n->kind == PSM_SEQ ? n : NULL;
}

/* Is reporter i the first entry for its person? */
static int first_of_person(const struct psm_node *reps, size_t i)
{
	const char *k = person_of(reps->items[i]);
	size_t j;

	if (!k)
		return 0;
	for (j = 0; j < i; j++) {
		const char *o = person_of(reps->items[j]);

		if (o && !strcasecmp(o, k))
			return 0;
	}
	return 1;
}

/* Is reporter i a person owed a follow-up at all: the first entry for
 * them, and not the team's own address (cfg NULL: anyone). */
static int counted(const struct psm_node *reps, size_t i, const struct psm_config *cfg)
{
	return first_of_person(reps, i) && !(cfg && psm_reporter_is_team(cfg, reps->items[i]));
}

/* The `followups` record for a person, or NULL. */
static const struct psm_node *record_of(const struct psm_issue *issue, const char *person,
					size_t *index)
{
	const struct psm_node *fs = seq_of(issue, "followups");
	size_t i;

	for (i = 0; person && fs && i < fs->n; i++) {
		const char *who = psm_node_get_str(fs->items[i], "reporter");

		if (fs->items[i]->kind == PSM_MAP && who && !strcasecmp(who, person) &&
		    psm_node_get_str(fs->items[i], "done")) {
			if (index)
				*index = i;
			return fs->items[i];
		}
	}
	return NULL;
}

/* Does the record end what is owed them? Not when what was sent came
 * back (a delivery report): they are owed one again. */
static int settled(const struct psm_node *rec)
{
	return rec && !psm_node_get_str(rec, "bounced");
}

/* The old whole-issue map: everyone was told. */
static const struct psm_node *legacy_map(const struct psm_issue *issue)
{
	const struct psm_node *f = psm_issue_node(issue, "followup");

	return f && f->kind == PSM_MAP && psm_node_get_str(f, "done") ? f : NULL;
}

static void person_state(struct psm_followup_person *p, const struct psm_issue *issue,
			 const struct psm_node *reporter)
{
	const struct psm_node *old = legacy_map(issue);

	memset(p, 0, sizeof(*p));
	p->reporter = reporter;
	p->state = PSM_FOLLOWUP_OWED;
	if ((p->record = record_of(issue, person_of(reporter), NULL))) {
		p->state = psm_node_get_str(p->record, "unreachable") ? PSM_FOLLOWUP_UNREACHABLE
								       : PSM_FOLLOWUP_TOLD;
		p->done = psm_node_get_str(p->record, "done");
		p->by = psm_node_get_str(p->record, "by");
		if ((p->bounced = psm_node_get_str(p->record, "bounced"))) {
			p->state = PSM_FOLLOWUP_OWED;
			p->bounce = psm_node_get_str(p->record, "bounce");
		}
	} else if (old) {
		p->state = PSM_FOLLOWUP_TOLD;
		p->done = psm_node_get_str(old, "done");
		p->by = psm_node_get_str(old, "by");
	}
}

int psm_followup_people(struct psm_followup_person **out, size_t *n,
			const struct psm_issue *issue, const struct psm_config *cfg)
{
	const struct psm_node *reps = seq_of(issue, "reporters");
	size_t i, k = 0;

	*out = NULL;
	*n = 0;
	if (!reps || !reps->n)
		return 0;
	if (!(*out = calloc(reps->n, sizeof(**out))))
		return psm_oom();
	for (i = 0; i < reps->n; i++)
		if (counted(reps, i, cfg))
			person_state(&(*out)[k++], issue, reps->items[i]);
	*n = k;
	return 0;
}

size_t psm_followup_owed(const struct psm_issue *issue, const struct psm_config *cfg)
{
	const struct psm_node *reps = seq_of(issue, "reporters");
	size_t i, owed = 0;

	if (!psm_streq(psm_issue_get(issue, "status"), "closed") || !reps ||
	    psm_streq(psm_issue_get(issue, "resolution"), "duplicate") || legacy_map(issue))
		return 0;
	for (i = 0; i < reps->n; i++)
		if (counted(reps, i, cfg) && !settled(record_of(issue, person_of(reps->items[i]), NULL)))
			owed++;
	return owed;
}

/* Does the reporter answer to `who` (an address, a contact or a name)? */
static int answers_to(const struct psm_node *r, const char *who, size_t len)
{
	static const char *const keys[] = { "email", "contact", "name", NULL };
	size_t i;

	for (i = 0; keys[i]; i++) {
		const char *v = psm_node_get_str(r, keys[i]);

		if (v && strlen(v) == len && !strncasecmp(v, who, len))
			return 1;
	}
	return 0;
}

int psm_followup_find(const struct psm_node **out, const struct psm_issue *issue,
		      const char *who)
{
	const struct psm_node *reps = seq_of(issue, "reporters");
	const char *lt = strchr(who, '<'), *gt = lt ? strchr(lt, '>') : NULL;
	const char *id = psm_issue_get(issue, "id");
	struct strbuf names = STRBUF_INIT;
	size_t i, len = strlen(who), found = 0;
	int r;

	*out = NULL;
	if (lt && gt) { /* "Name <email>": the address decides */
		who = lt + 1;
		len = (size_t)(gt - lt - 1);
	}
	while (len && (*who == ' ' || *who == '\t'))
		who++, len--;
	while (len && (who[len - 1] == ' ' || who[len - 1] == '\t'))
		len--;
	for (i = 0; reps && i < reps->n; i++) {
		const char *k = person_of(reps->items[i]);

		if (!first_of_person(reps, i))
			continue;
		strbuf_addf(&names, "%s%s", names.len ? ", " : "", k);
		if (len && answers_to(reps->items[i], who, len)) {
			if (!found++)
				*out = reps->items[i];
		}
	}
	if (names.oom) {
		r = psm_oom();
	} else if (found == 1) {
		r = 0;
	} else if (found) {
		*out = NULL;
		r = psm_error(PSM_EAMBIGUOUS, "'%.*s' names %zu reporters of '%s': give the e-mail address or contact",
			      (int)len, who, found, id ? id : "?");
	} else {
		r = psm_error(PSM_ENOTFOUND, "'%.*s' is not a reporter of '%s' (%s%s)", (int)len, who,
			      id ? id : "?", names.len ? "its reporters: " : "it has no reporters",
			      names.buf);
	}
	strbuf_release(&names);
	return r;
}

static int one_line(const char *s)
{
	return s && *s && !strchr(s, '\n') && !strchr(s, '\r');
}

/* Write or replace the person's record; 1 when it already says the same. */
static int mark(struct psm_issue *issue, const struct psm_node *reporter, const char *by,
		const char *ref, const char *why, const char *now)
{
	const char *id = psm_issue_get(issue, "id"), *person = person_of(reporter);
	const struct psm_node *old = psm_issue_node(issue, "followups"), *rec;
	struct psm_node *list = NULL, *m = NULL;
	size_t at = 0;

	if (!psm_streq(psm_issue_get(issue, "status"), "closed"))
		return psm_error(PSM_EINVALID, "'%s' is not closed: follow up once it is", id ? id : "?");
	if (!person)
		return psm_error(PSM_EINVALID, "a reporter needs a name, email or contact");
	if (!one_line(by))
		return psm_error(PSM_EINVALID, "who followed up? (no identity given)");
	if ((ref && !one_line(ref)) || (why && !one_line(why)))
		return psm_error(PSM_EINVALID, "a %s is one line, not empty", ref ? "ref" : "reason");
	if (old && old->kind != PSM_SEQ && !psm_node_is_null(old))
		return psm_error(PSM_EINVALID, "'followups' of '%s' is not a list", id ? id : "?");
	if (legacy_map(issue))
		return 1; /* everyone was told */
	rec = record_of(issue, person, &at);
	if (settled(rec) && psm_streq(psm_node_get_str(rec, "unreachable"), why) &&
	    (!ref || psm_streq(psm_node_get_str(rec, "ref"), ref)))
		return 1;
	if (!(m = psm_node_new(PSM_MAP)) || psm_node_set_str(m, "reporter", person) < 0 ||
	    psm_node_set_str(m, "done", now) < 0 || psm_node_set_str(m, "by", by) < 0 ||
	    (ref && psm_node_set_str(m, "ref", ref) < 0) ||
	    (why && psm_node_set_str(m, "unreachable", why) < 0) ||
	    !(list = old && old->kind == PSM_SEQ ? psm_node_dup(old) : psm_node_new(PSM_SEQ))) {
		psm_node_free(m);
		return psm_oom();
	}
	if (rec) { /* found an address after all, or learnt they cannot be told */
		psm_node_free(list->items[at]);
		list->items[at] = m;
	} else if (psm_node_push(list, m) < 0) {
		psm_node_free(list);
		return psm_oom();
	}
	if (psm_issue_set_node(issue, "followups", list) < 0)
		return PSM_ENOMEM;
	return psm_issue_set(issue, "updated", now);
}

int psm_followup_told(struct psm_issue *issue, const struct psm_node *reporter,
		      const char *by, const char *ref, const char *now)
{
	return mark(issue, reporter, by, ref, NULL, now);
}

int psm_followup_unreachable(struct psm_issue *issue, const struct psm_node *reporter,
			     const char *by, const char *why, const char *now)
{
	return mark(issue, reporter, by, NULL, why ? why : "no way to reach them", now);
}

int psm_followup_bounced(const char **person, struct psm_issue *issue, char *const *refs,
			 size_t nrefs, const char *at, const char *why, const char *now)
{
	const struct psm_node *fs = seq_of(issue, "followups");
	struct psm_node *list, *m;
	int64_t sent, back;
	size_t i, j;

	*person = NULL;
	if (psm_time_parse(at, &back) < 0 || (why && !one_line(why)))
		return psm_error(PSM_EINVALID, "a bounce needs a time and a one-line reason");
	for (i = 0; fs && i < fs->n; i++) {
		const struct psm_node *f = fs->items[i];
		const char *ref = f->kind == PSM_MAP ? psm_node_get_str(f, "ref") : NULL;

		if (!ref || psm_node_get_str(f, "unreachable") || !psm_node_get_str(f, "reporter"))
			continue;
		for (j = 0; j < nrefs && strcmp(refs[j], ref); j++)
			;
		/* a report older than the sending is about an earlier message
		 * (a minute's grace: the other server's clock) */
		if (j == nrefs || psm_time_parse(psm_node_get_str(f, "done"), &sent) < 0 ||
		    back + 60 < sent) {
			psm_error_clear();
			continue;
		}
		*person = psm_node_get_str(f, "reporter");
		if (psm_node_get_str(f, "bounced"))
			return 1;
		if (!(list = psm_node_dup(fs)))
			return psm_oom();
		m = list->items[i];
		if (psm_node_set_str(m, "bounced", at) < 0 ||
		    (why && psm_node_set_str(m, "bounce", why) < 0)) {
			psm_node_free(list);
			return psm_oom();
		}
		if (psm_issue_set(issue, "updated", now) < 0) {
			psm_node_free(list);
			return PSM_ENOMEM;
		}
		if (psm_issue_set_node(issue, "followups", list) < 0) /* it owns list */
			return PSM_ENOMEM;
		*person = psm_node_get_str(psm_issue_node(issue, "followups")->items[i], "reporter");
		return 0;
	}
	return psm_error(PSM_ENOTFOUND, "no follow-up sent as one of these messages");
}

int psm_followup_complete(const struct psm_issue *issue, const struct psm_config *cfg,
			  int64_t *when)
{
	const struct psm_node *reps = seq_of(issue, "reporters"), *old = legacy_map(issue);
	int64_t latest = 0, t;
	size_t i;

	*when = 0;
	if (!reps || !reps->n || (cfg && !psm_people_outside_reporters(cfg, issue)))
		return 0;
	if (old) {
		if (psm_time_parse(psm_node_get_str(old, "done"), when) == 0)
			return 1;
		psm_error_clear();
		return 0;
	}
	for (i = 0; i < reps->n; i++) {
		const struct psm_node *rec;

		if (!counted(reps, i, cfg))
			continue;
		if (!settled(rec = record_of(issue, person_of(reps->items[i]), NULL)) ||
		    psm_time_parse(psm_node_get_str(rec, "done"), &t) < 0) {
			psm_error_clear();
			return 0;
		}
		if (t > latest)
			latest = t;
	}
	*when = latest;
	return latest != 0;
}

int psm_followup_split_legacy(struct psm_issue *issue, size_t first_new)
{
	const struct psm_node *reps = seq_of(issue, "reporters"), *old = legacy_map(issue);
	struct psm_node *list, *m;
	size_t i;

	if (!old)
		return 0;
	if (!(list = psm_node_new(PSM_SEQ)))
		return psm_oom();
	for (i = 0; reps && i < reps->n && i < first_new; i++) {
		const char *by = psm_node_get_str(old, "by");

		if (!first_of_person(reps, i))
			continue;
		if (!(m = psm_node_new(PSM_MAP)) ||
		    psm_node_set_str(m, "reporter", person_of(reps->items[i])) < 0 ||
		    psm_node_set_str(m, "done", psm_node_get_str(old, "done")) < 0 ||
		    (by && psm_node_set_str(m, "by", by) < 0)) {
			psm_node_free(m);
			psm_node_free(list);
			return psm_oom();
		}
		if (psm_node_push(list, m) < 0) {
			psm_node_free(list);
			return psm_oom();
		}
	}
	if (!list->n) {
		psm_node_free(list);
		list = NULL;
	}
	if (psm_issue_set_node(issue, "followups", list) < 0 ||
	    psm_issue_set_node(issue, "followup", NULL) < 0)
		return PSM_ENOMEM;
	return 0;
}

int psm_followup_add_reporter(struct psm_issue *issue, struct psm_node *reporter,
			      const char *now)
{
	const struct psm_node *old = psm_issue_node(issue, "reporters");
	const char *person = person_of(reporter);
	struct psm_node *list;
	size_t i;
	int r;

	if (!person) {
		psm_node_free(reporter);
		return psm_error(PSM_EINVALID, "a reporter needs a name, email or contact");
	}
	if (old && old->kind != PSM_SEQ && !psm_node_is_null(old)) {
		psm_node_free(reporter);
		return psm_error(PSM_EINVALID, "'reporters' of '%s' is not a list",
				 psm_issue_get(issue, "id") ? psm_issue_get(issue, "id") : "?");
	}
	for (i = 0; old && old->kind == PSM_SEQ && i < old->n; i++) {
		const char *k = person_of(old->items[i]);

		if (k && !strcasecmp(k, person)) {
			psm_node_free(reporter);
			return 1;
		}
	}
	if ((r = psm_followup_split_legacy(issue, old && old->kind == PSM_SEQ ? old->n : 0)) < 0) {
		psm_node_free(reporter);
		return r;
	}
	old = psm_issue_node(issue, "reporters");
	list = old && old->kind == PSM_SEQ ? psm_node_dup(old) : psm_node_new(PSM_SEQ);
	if (!list) {
		psm_node_free(reporter);
		return psm_oom();
	}
	if (psm_node_push(list, reporter) < 0) { /* it freed reporter */
		psm_node_free(list);
		return psm_oom();
	}
	if (psm_issue_set_node(issue, "reporters", list) < 0)
		return PSM_ENOMEM;
	return psm_issue_set(issue, "updated", now);
}

int psm_followup_clear(struct psm_issue *issue)
{
	if (psm_issue_set_node(issue, "followup", NULL) < 0 ||
	    psm_issue_set_node(issue, "followups", NULL) < 0)
		return PSM_ENOMEM;
	return 0;
}
