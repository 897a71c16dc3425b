#include "owners.h"

#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "psm/query.h"

const char *resolve_owner_or_die(struct psm_store *s, const char *who)
{
	static struct strbuf sb = STRBUF_INIT;

	if (!strcmp(who, "me") && !(who = identity_email(s)))
		die("'me' needs a git identity: git config user.email you@example.com");
	strbuf_reset(&sb);
	if (psm_people_owner(&sb, s->config, who) < 0)
		die_psm();
	return sb.buf;
}

void owner_load_init(struct owner_load *ol, struct psm_store *s)
{
	size_t i;

	memset(ol, 0, sizeof(*ol));
	if (psm_people_owners(&ol->people, s->config) < 0)
		die_psm();
	if (!ol->people.n)
		return;
	ol->name = calloc(ol->people.n, sizeof(*ol->name));
	ol->open = calloc(ol->people.n, sizeof(*ol->open));
	if (!ol->name || !ol->open)
		die("out of memory");
	for (i = 0; i < ol->people.n; i++)
		ol->name[ol->n++] = psm_person_id(&ol->people.v[i]);
}

void owner_load_count(struct owner_load *ol, const struct psm_issue *issue, int delta)
{
	const char *owner = psm_issue_get(issue, "owner");
	int i;

	if (!owner || !psm_issue_is_open(issue))
		return;
	/* the person the file names, by whichever of their names it holds */
	i = psm_people_find(&ol->people, owner, 1);
	psm_error_clear();
	if (i < 0)
		return;
	if (delta > 0 || ol->open[i])
		ol->open[i] += (size_t)delta;
}

const char *owner_load_pick(const struct owner_load *ol)
{
	size_t i, best = 0;

	if (!ol->n)
		return NULL;
	for (i = 1; i < ol->n; i++) /* fewest open issues; ties: config order */
		if (ol->open[i] < ol->open[best])
			best = i;
	return ol->name[best];
}

void owner_load_release(struct owner_load *ol)
{
	free(ol->name);
	free(ol->open);
	psm_people_release(&ol->people);
	memset(ol, 0, sizeof(*ol));
}
