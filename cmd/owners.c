#include "owners.h"

#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "psm/query.h"

void owner_load_init(struct owner_load *ol, struct psm_store *s)
{
	const struct psm_node *owners = psm_config_list(s->config, "owners");
	size_t i;

	memset(ol, 0, sizeof(*ol));
	if (!owners || !owners->n)
		return;
	ol->name = calloc(owners->n, sizeof(*ol->name));
	ol->open = calloc(owners->n, sizeof(*ol->open));
	if (!ol->name || !ol->open)
		die("out of memory");
	for (i = 0; i < owners->n; i++)
		if (psm_node_str(owners->items[i]))
			ol->name[ol->n++] = psm_node_str(owners->items[i]);
}

void owner_load_count(struct owner_load *ol, const struct psm_issue *issue, int delta)
{
	const char *owner = psm_issue_get(issue, "owner");
	size_t i;

	if (!owner || !psm_issue_is_open(issue))
		return;
	for (i = 0; i < ol->n; i++)
		if (!strcmp(ol->name[i], owner)) {
			if (delta > 0 || ol->open[i])
				ol->open[i] += (size_t)delta;
			return;
		}
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
	memset(ol, 0, sizeof(*ol));
}

