#include "psm/people.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "psm/error.h"
#include "psm/freemail.h"

/* A person as spans into the config's strings: reading needs no allocation. */
struct span {
	const char *p;
	size_t len;
};
struct pspan {
	struct span handle, name, email;
	const char *entry;
};

static int is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static struct span trim(const char *p, size_t len)
{
	struct span s;

	while (len && is_space((unsigned char)*p))
		p++, len--;
	while (len && is_space((unsigned char)p[len - 1]))
		len--;
	s.p = len ? p : NULL;
	s.len = len;
	return s;
}

static int span_eq(struct span s, const char *p, size_t len)
{
	return s.p && s.len == len && !strncasecmp(s.p, p, len);
}

/* "Name <email>", "email" or "Name" into out's name and email. */
static void parse_person(struct pspan *out, const char *s)
{
	size_t len = strlen(s);
	const char *lt = memchr(s, '<', len);
	struct span all = trim(s, len);

	if (lt && all.len && all.p[all.len - 1] == '>') {
		out->name = trim(s, (size_t)(lt - s));
		out->email = trim(lt + 1, (size_t)(all.p + all.len - 1 - (lt + 1)));
	} else if (all.p && memchr(all.p, '@', all.len) && !memchr(all.p, ' ', all.len)) {
		out->email = all;
	} else {
		out->name = all;
	}
}

/* One entry of `owners`: a scalar, or a one-key map "handle: person". */
static int parse_entry(struct pspan *out, const struct psm_node *item)
{
	memset(out, 0, sizeof(*out));
	if (item->kind == PSM_MAP && item->n == 2 && psm_node_str(item->items[1])) {
		out->entry = item->items[1]->str;
		out->handle = trim(item->items[0]->str, item->items[0]->len);
	} else if (psm_node_str(item)) {
		out->entry = item->str;
	} else {
		return 0;
	}
	parse_person(out, out->entry);
	return out->handle.p || out->name.p || out->email.p;
}

/* Does who name the person exactly: handle, e-mail, full name, the entry? */
static int exact_match(const struct pspan *ps, const char *who)
{
	size_t len = strlen(who);
	const char *lt = memchr(who, '<', len);

	if (lt && len && who[len - 1] == '>') { /* "Name <email>": the address decides */
		struct span e = trim(lt + 1, len - 1 - (size_t)(lt + 1 - who));

		return e.p && span_eq(ps->email, e.p, e.len);
	}
	return span_eq(ps->handle, who, len) || span_eq(ps->email, who, len) ||
	       span_eq(ps->name, who, len) || !strcasecmp(ps->entry, who);
}

/* A looser match: the e-mail's local part or one word of the name. */
static int loose_match(const struct pspan *ps, const char *who)
{
	size_t len = strlen(who), i = 0;
	const char *at;

	if (!len)
		return 0;
	if (ps->email.p && (at = memchr(ps->email.p, '@', ps->email.len)) &&
	    (size_t)(at - ps->email.p) == len && !strncasecmp(ps->email.p, who, len))
		return 1;
	while (ps->name.p && i < ps->name.len) {
		size_t start;

		while (i < ps->name.len && is_space((unsigned char)ps->name.p[i]))
			i++;
		start = i;
		while (i < ps->name.len && !is_space((unsigned char)ps->name.p[i]))
			i++;
		if (i - start == len && !strncasecmp(ps->name.p + start, who, len))
			return 1;
	}
	return 0;
}

static char *span_dup(struct span s)
{
	return s.p ? psm_strndup(s.p, s.len) : NULL;
}

void psm_people_release(struct psm_people *p)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		free(p->v[i].handle);
		free(p->v[i].name);
		free(p->v[i].email);
	}
	free(p->v);
	memset(p, 0, sizeof(*p));
}

int psm_people_owners(struct psm_people *out, const struct psm_config *cfg)
{
	const struct psm_node *list = psm_config_list(cfg, "owners");
	size_t i;

	memset(out, 0, sizeof(*out));
	if (!list || !list->n)
		return 0;
	if (!(out->v = calloc(list->n, sizeof(*out->v))))
		return psm_oom();
	for (i = 0; i < list->n; i++) {
		struct psm_person *p = &out->v[out->n];
		struct pspan ps;

		if (!parse_entry(&ps, list->items[i]))
			continue;
		p->entry = ps.entry;
		p->handle = span_dup(ps.handle);
		p->name = span_dup(ps.name);
		p->email = span_dup(ps.email);
		out->n++;
		if ((ps.handle.p && !p->handle) || (ps.name.p && !p->name) ||
		    (ps.email.p && !p->email)) {
			psm_people_release(out);
			return psm_oom();
		}
	}
	return 0;
}

static struct pspan person_span(const struct psm_person *p)
{
	struct pspan ps;

	memset(&ps, 0, sizeof(ps));
	ps.handle.p = p->handle;
	ps.handle.len = p->handle ? strlen(p->handle) : 0;
	ps.name.p = p->name;
	ps.name.len = p->name ? strlen(p->name) : 0;
	ps.email.p = p->email;
	ps.email.len = p->email ? strlen(p->email) : 0;
	ps.entry = p->entry;
	return ps;
}

const char *psm_person_id(const struct psm_person *p)
{
	return p->email ? p->email : p->name ? p->name : p->handle;
}

int psm_person_describe(struct strbuf *out, const struct psm_person *p)
{
	if (p->name && p->email)
		strbuf_addf(out, "%s <%s>", p->name, p->email);
	else
		strbuf_addstr(out, psm_person_id(p));
	if (p->handle)
		strbuf_addf(out, " (%s)", p->handle);
	return out->oom ? psm_oom() : 0;
}

int psm_people_find(const struct psm_people *p, const char *who, int exact_only)
{
	struct strbuf msg = STRBUF_INIT;
	size_t i, n = 0, pass;
	int found = -1;

	for (pass = 0; pass < 2 && !n; pass++) {
		if (pass && exact_only)
			break;
		for (i = 0; i < p->n; i++) {
			struct pspan ps = person_span(&p->v[i]);

			if (!(pass ? loose_match(&ps, who) : exact_match(&ps, who)))
				continue;
			if (n++)
				strbuf_addstr(&msg, ", ");
			psm_person_describe(&msg, &p->v[i]);
			found = (int)i;
		}
	}
	if (n > 1) {
		found = psm_error(PSM_EAMBIGUOUS, "'%s' could be %s: say which by handle, full name or e-mail",
				  who, msg.buf);
	} else if (!n) {
		found = PSM_ENOTFOUND;
	}
	strbuf_release(&msg);
	return found;
}

int psm_people_join(struct strbuf *out, const struct psm_config *cfg)
{
	struct psm_people p;
	size_t i;
	int r;

	if ((r = psm_people_owners(&p, cfg)) < 0)
		return r;
	for (i = 0; i < p.n && r >= 0; i++) {
		if (i)
			strbuf_addstr(out, ", ");
		r = psm_person_describe(out, &p.v[i]);
	}
	psm_people_release(&p);
	return r < 0 ? r : 0;
}

int psm_people_owner(struct strbuf *out, const struct psm_config *cfg, const char *who)
{
	struct strbuf all = STRBUF_INIT;
	struct psm_people p;
	int r;

	if ((r = psm_people_owners(&p, cfg)) < 0)
		return r;
	if (!p.n) {
		r = strbuf_addstr(out, who) < 0 ? psm_oom() : 0;
		goto out;
	}
	r = psm_people_find(&p, who, 0);
	if (r >= 0) {
		r = strbuf_addstr(out, psm_person_id(&p.v[r])) < 0 ? psm_oom() : 0;
	} else if (r == PSM_ENOTFOUND) {
		psm_people_join(&all, cfg);
		r = psm_error(PSM_EINVALID, "unknown owner '%s' (the config's owners: %s)", who, all.buf);
	}
out:
	psm_people_release(&p);
	strbuf_release(&all);
	return r;
}

int psm_people_owner_allowed(const struct psm_config *cfg, const char *owner)
{
	const struct psm_node *list = psm_config_list(cfg, "owners");
	size_t i;

	if (!list || !list->n)
		return 1;
	for (i = 0; i < list->n; i++) {
		struct pspan ps;

		if (parse_entry(&ps, list->items[i]) && exact_match(&ps, owner))
			return 1;
	}
	return 0;
}


/* The index of the one entry naming who exactly, or -1. */
static int exact_index(const struct psm_node *list, const char *who)
{
	size_t i;
	int found = -1;

	for (i = 0; list && i < list->n; i++) {
		struct pspan ps;

		if (!parse_entry(&ps, list->items[i]) || !exact_match(&ps, who))
			continue;
		if (found >= 0)
			return -1;
		found = (int)i;
	}
	return found;
}

int psm_people_same_owner(const struct psm_config *cfg, const char *a, const char *b)
{
	const struct psm_node *list = psm_config_list(cfg, "owners");
	int i;

	if (!a || !b)
		return 0;
	if (!strcasecmp(a, b))
		return 1;
	return (i = exact_index(list, a)) >= 0 && i == exact_index(list, b);
}

/* The part after the last '@', or NULL. */
static const char *domain_of(const char *email)
{
	const char *at = email ? strrchr(email, '@') : NULL;

	return at && at[1] ? at + 1 : NULL;
}

/* Is d the domain key or one of its subdomains ("eu.acme.example")? */
static int domain_in(const char *d, const char *key)
{
	size_t dl = strlen(d), kl;

	if (*key == '@')
		key++;
	kl = strlen(key);
	if (!kl || dl < kl || strcasecmp(d + dl - kl, key))
		return 0;
	return dl == kl || d[dl - kl - 1] == '.';
}

int psm_people_is_team(const struct psm_config *cfg, const char *email)
{
	const struct psm_node *team = cfg ? psm_config_list(cfg, "team") : NULL;
	const struct psm_node *owners = cfg ? psm_config_list(cfg, "owners") : NULL;
	const char *d = domain_of(email);
	size_t i;

	if (!d)
		return 0;
	for (i = 0; team && i < team->n; i++) {
		const char *t = psm_node_str(team->items[i]);
		const char *at = t ? strchr(t, '@') : NULL;

		if (!t || !*t)
			continue;
		if (at && at != t ? !strcasecmp(t, email) : domain_in(d, t))
			return 1;
	}
	for (i = 0; owners && i < owners->n; i++) {
		struct pspan ps;

		if (parse_entry(&ps, owners->items[i]) && span_eq(ps.email, email, strlen(email)))
			return 1;
	}
	return 0;
}

int psm_reporter_format(struct strbuf *out, const struct psm_node *reporter)
{
	const char *name = psm_node_get_str(reporter, "name");
	const char *addr = psm_node_get_str(reporter, "email");

	if (!addr)
		addr = psm_node_get_str(reporter, "contact");
	if (name && addr)
		strbuf_addf(out, "%s <%s>", name, addr);
	else if (name || addr)
		strbuf_addstr(out, name ? name : addr);
	return out->oom ? psm_oom() : 0;
}

int psm_reporter_is_team(const struct psm_config *cfg, const struct psm_node *reporter)
{
	const char *email = reporter && reporter->kind == PSM_MAP ?
			    psm_node_get_str(reporter, "email") : NULL;

	return email && psm_people_is_team(cfg, email);
}

size_t psm_people_outside_reporters(const struct psm_config *cfg, const struct psm_issue *issue)
{
	const struct psm_node *reps = psm_issue_node(issue, "reporters");
	size_t i, n = 0;

	for (i = 0; reps && reps->kind == PSM_SEQ && i < reps->n; i++)
		n += !cfg || !psm_reporter_is_team(cfg, reps->items[i]);
	return n;
}

int psm_people_free_mail(const struct psm_config *cfg, const char *domain)
{
	const struct psm_node *extra = cfg ? psm_config_list(cfg, "free_mail") : NULL;
	size_t i;

	if (psm_free_mail_domain(domain))
		return 1;
	for (i = 0; extra && i < extra->n; i++) {
		const char *f = psm_node_str(extra->items[i]);

		if (f && *f && domain_in(domain, f))
			return 1;
	}
	return 0;
}

const char *psm_reporter_customer(const struct psm_config *cfg, const struct psm_node *reporter,
				  const char **domain)
{
	const struct psm_node *map = cfg ? psm_node_get(cfg->root, "customer_domains") : NULL;
	const char *own, *d, *best = NULL;
	size_t i, bestlen = 0;

	if (domain)
		*domain = NULL;
	if (!reporter || reporter->kind != PSM_MAP || psm_reporter_is_team(cfg, reporter))
		return NULL;
	if ((own = psm_node_get_str(reporter, "customer")) && *own)
		return own;
	d = domain_of(psm_node_get_str(reporter, "email"));
	if (!d || !map || map->kind != PSM_MAP || psm_people_free_mail(cfg, d))
		return NULL;
	/* the most specific key wins: eu.acme.example before acme.example */
	for (i = 0; i + 1 < map->n; i += 2) {
		const char *key = map->items[i]->str, *cust = psm_node_str(map->items[i + 1]);

		if (key && cust && *cust && domain_in(d, key) && strlen(key) > bestlen) {
			best = cust;
			bestlen = strlen(key);
			if (domain)
				*domain = key;
		}
	}
	return best;
}

size_t psm_people_customers(struct psm_customer *out, const struct psm_config *cfg,
			    const struct psm_issue *issue)
{
	const struct psm_node *reps = psm_issue_node(issue, "reporters");
	const char *own = psm_issue_get(issue, "customer");
	size_t i, j, n = 0;

	if (own && *own) {
		if (out)
			out[n] = (struct psm_customer){ own, NULL };
		n++;
	}
	for (i = 0; reps && reps->kind == PSM_SEQ && i < reps->n; i++) {
		const char *dom, *c = psm_reporter_customer(cfg, reps->items[i], &dom);
		int seen = c && own && !strcasecmp(own, c);

		/* without out, compare with the earlier reporters' customers again */
		for (j = 0; c && !seen && j < i; j++) {
			const char *p = psm_reporter_customer(cfg, reps->items[j], NULL);

			seen = p && !strcasecmp(p, c);
		}
		if (!c || seen)
			continue;
		if (out)
			out[n] = (struct psm_customer){ c, dom };
		n++;
	}
	return n;
}
