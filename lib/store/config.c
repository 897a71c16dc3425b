#include "psm/config.h"

#include <stdlib.h>
#include <string.h>

#include "psm/error.h"
#include "psm/people.h"

const char psm_default_config[] =
	"# psm store configuration. Every list is editable; `psm check` validates\n"
	"# issue files against it. See psm(1) and docs/format.md.\n"
	"version: 1\n"
	"types:\n- bug\n- usability\n- feature\n- docs\n- account\n"
	"# Impact rubric: each impact has a default response and a priority weight.\n"
	"impacts:\n"
	"  core:\n    response: fix-fast\n    weight: 10\n"
	"    means: prevents completing the core task\n"
	"  repeated:\n    response: investigate\n    weight: 6\n"
	"    means: many users hit it\n"
	"  explanation:\n    response: docs\n    weight: 3\n"
	"    means: poor explanation, onboarding or docs\n"
	"  edge:\n    response: park\n    weight: 1\n"
	"    means: one-off edge request\n"
	"  strategic:\n    response: roadmap\n    weight: 2\n"
	"    means: fits where the product is going\n"
	"responses:\n- fix-fast\n- investigate\n- docs\n- park\n- roadmap\n"
	"statuses:\n- new\n- triaged\n- in-progress\n- blocked\n- parked\n- closed\n"
	"resolutions:\n- fixed\n- documented\n- answered\n- wontfix\n- duplicate\n"
	"- cannot-reproduce\n"
	"sources:\n- email\n- chat\n- call\n- app-store\n- dm\n- form\n- github\n- other\n"
	"# Words that suggest impact `core` (must fix fast).\n"
	"keywords:\n- login\n- sign in\n- onboarding\n- payment\n- billing\n- checkout\n"
	"# Other ways to write a keyword (plurals, -ed/-ing, sign-in and signin are\n"
	"# found without them), and phrases that only look like one.\n"
	"keyword_variants:\n"
	"  login: [log in, log into, log on, logon, locked out]\n"
	"  sign in: [sign into]\n"
	"  onboarding: [onboard]\n"
	"  payment: [can't pay, cannot pay, unable to pay, couldn't pay, card declined,\n"
	"    card was declined]\n"
	"  billing: [billed twice, charged twice, overcharged]\n"
	"keyword_exceptions:\n- payment term\n"
	"# Priority score = sum of weighted terms (psm triage --explain ID shows them).\n"
	"weights:\n  impact: 1.0\n  reporter: 2.0\n  customer: 3.0\n  keyword: 5.0\n"
	"  age_per_week: 0.5\n  untriaged_per_day: 0.3\n"
	"# psm triage's session length and how long response park parks an issue;\n"
	"# how long closed issues stay duplicate candidates.\n"
	"triage:\n  timebox: 30m\n  park_for: 4w\n"
	"similar:\n  window: 30d\n  min_score: 0.2\n  on_intake: true\n"
	"# Who can own issues (e-mail addresses or names); empty allows anyone.\n"
	"owners: []\n"
	"# Commit every change (false: write files only, like --no-commit).\n"
	"commit: true\n";

void psm_config_free(struct psm_config *cfg)
{
	if (!cfg)
		return;
	if (cfg->keywords_free)
		cfg->keywords_free(cfg->keywords);
	psm_node_free(cfg->root);
	free(cfg->path);
	free(cfg);
}

int psm_config_parse(struct psm_config **out, const char *text, size_t len,
		     struct psm_yaml_error *err)
{
	struct psm_config *cfg = calloc(1, sizeof(*cfg));
	struct psm_node *user = NULL;
	size_t i;
	int r;

	*out = NULL;
	if (!cfg)
		return psm_oom();
	r = psm_yaml_load(&cfg->root, psm_default_config, strlen(psm_default_config), 1, err);
	if (r < 0)
		goto out;
	if (text) {
		if ((r = psm_yaml_load(&user, text, len, 1, err)) < 0)
			goto out;
		if (user->kind != PSM_MAP) {
			err->line = user->line;
			err->col = user->col;
			strbuf_reset(&err->msg);
			strbuf_addstr(&err->msg, "the config must be a mapping of keys to values");
			r = psm_error(PSM_EPARSE, "%d:%d: %s", err->line, err->col, err->msg.buf);
			goto out;
		}
		for (i = 0; i + 1 < user->n; i += 2) {
			r = psm_node_set(cfg->root, user->items[i]->str, user->items[i + 1]);
			user->items[i + 1] = NULL;
			if (r < 0) {
				r = psm_oom();
				goto out;
			}
		}
	}
	*out = cfg;
	cfg = NULL;
	r = 0;
out:
	psm_node_free(user);
	psm_config_free(cfg);
	return r;
}

const struct psm_node *psm_config_list(const struct psm_config *cfg, const char *key)
{
	const struct psm_node *n = psm_node_get(cfg->root, key);

	return n && n->kind == PSM_SEQ ? n : NULL;
}

int psm_config_allows(const struct psm_config *cfg, const char *key, const char *value)
{
	const struct psm_node *n;
	size_t i;

	if (!strcmp(key, "owners")) /* people: by handle, name or e-mail */
		return psm_people_owner_allowed(cfg, value);
	if (!strcmp(key, "impacts")) {
		n = psm_node_get(cfg->root, "impacts");
		return !n || n->kind != PSM_MAP || !n->n || psm_node_get(n, value);
	}
	n = psm_config_list(cfg, key);
	if (!n || !n->n)
		return 1;
	for (i = 0; i < n->n; i++)
		if (psm_streq(psm_node_str(n->items[i]), value))
			return 1;
	return 0;
}

int psm_config_join(struct strbuf *out, const struct psm_config *cfg, const char *key)
{
	const struct psm_node *n = psm_node_get(cfg->root, key);
	size_t i, step = 1;

	if (!strcmp(key, "owners"))
		return psm_people_join(out, cfg);
	if (!n || n->kind == PSM_SCALAR)
		return 0;
	if (n->kind == PSM_MAP)
		step = 2;
	for (i = 0; i < n->n; i += step) {
		if (i)
			strbuf_addstr(out, ", ");
		strbuf_addstr(out, n->items[i]->str ? n->items[i]->str : "?");
	}
	return out->oom ? -1 : 0;
}

const struct psm_node *psm_config_impact(const struct psm_config *cfg, const char *name)
{
	const struct psm_node *n = psm_node_get(cfg->root, "impacts");
	const struct psm_node *m = n && n->kind == PSM_MAP ? psm_node_get(n, name) : NULL;

	return m && m->kind == PSM_MAP ? m : NULL;
}

const char *psm_config_get(const struct psm_config *cfg, const char *dotted)
{
	const struct psm_node *n = cfg->root;
	struct strbuf part = STRBUF_INIT;
	const char *p = dotted;

	while (n && *p) {
		const char *dot = strchr(p, '.');
		size_t l = dot ? (size_t)(dot - p) : strlen(p);

		strbuf_reset(&part);
		strbuf_add(&part, p, l);
		n = n->kind == PSM_MAP ? psm_node_get(n, part.buf) : NULL;
		p += l + (dot ? 1 : 0);
	}
	strbuf_release(&part);
	return psm_node_str(n);
}

double psm_config_number(const struct psm_config *cfg, const char *dotted, double dflt)
{
	const char *s = psm_config_get(cfg, dotted);
	char *end;
	double v;

	if (!s)
		return dflt;
	v = strtod(s, &end);
	return *end || end == s ? dflt : v;
}

int psm_config_bool(const struct psm_config *cfg, const char *dotted, int dflt)
{
	return psm_str_bool(psm_config_get(cfg, dotted), dflt);
}
