#ifndef PSM_CONFIG_H
#define PSM_CONFIG_H
/*
 * The store's configuration (.psm/config.yml): vocabularies, the impact
 * rubric, owners, settings. Each top-level key the file leaves out takes its
 * default, so an old config keeps working when psm learns a new key.
 */
#include "psm/node.h"
#include "psm/yaml.h"

struct psm_config {
	struct psm_node *root; /* the defaults, overlaid with the file's keys */
	char *path;            /* store-relative path of the file */
	/* keyword.c's phrases, split once (NULL until first asked for);
	 * psm_config_free() frees them with keywords_free */
	void *keywords;
	void (*keywords_free)(void *keywords);
};

extern const char psm_default_config[];

/* Parse config text (NULL text: defaults only). PSM_EPARSE fills err.
 * *out is the caller's, to free with psm_config_free(). */
int psm_config_parse(struct psm_config **out, const char *text, size_t len,
		     struct psm_yaml_error *err);
void psm_config_free(struct psm_config *cfg);

/* A top-level list of strings (types, statuses...); NULL if absent. What
 * these return belongs to cfg, valid until psm_config_free(). */
const struct psm_node *psm_config_list(const struct psm_config *cfg, const char *key);
/* Is value in list `key`? An absent or empty list allows anything. */
int psm_config_allows(const struct psm_config *cfg, const char *key, const char *value);
/* Comma-separated list for error messages: "bug, usability, feature". */
int psm_config_join(struct strbuf *out, const struct psm_config *cfg, const char *key);
/* impacts.<name>: a map (response, weight, means) or NULL. */
const struct psm_node *psm_config_impact(const struct psm_config *cfg, const char *name);
/* A scalar setting at a dotted path ("weights.reporter"), or NULL. */
const char *psm_config_get(const struct psm_config *cfg, const char *dotted);
double psm_config_number(const struct psm_config *cfg, const char *dotted, double dflt);
int psm_config_bool(const struct psm_config *cfg, const char *dotted, int dflt);

#endif
