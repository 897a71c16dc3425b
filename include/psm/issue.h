#ifndef PSM_ISSUE_H
#define PSM_ISSUE_H
/*
 * One issue: a Markdown file with YAML front matter. The front matter is
 * kept as an ordered list of top-level entries, each with its parsed value
 * and the exact source lines it came from. Writing re-emits only entries
 * that changed (in canonical form) and copies the rest byte for byte, so a
 * psm write that changes one field changes only that field's lines, and keys
 * psm does not know stay where they were.
 */
#include <stddef.h>
#include <stdint.h>

#include "psm/node.h"
#include "psm/strbuf.h"
#include "psm/yaml.h"

#define PSM_ID_LEN 10
#define PSM_SHORT_ID_LEN 7

struct psm_entry {
	char *key;
	struct psm_node *value;
	struct strbuf lead; /* comment and blank lines just above the key, kept */
	struct strbuf raw;  /* source lines, each ending in '\n'; empty when dirty */
	int dirty;
};

struct psm_issue {
	char *path;               /* store-relative, e.g. "issues/7k/7kq2m9xabc.md" */
	struct strbuf preamble;   /* comments before the first key */
	struct psm_entry *entries;
	size_t n, alloc;
	struct strbuf trailer;    /* comment and blank lines after the last value */
	struct strbuf body;       /* the user's Markdown, untouched */
	int body_line;            /* file line the body starts on */
	int crlf;                 /* its first line ended in CRLF: written so throughout
				   * (a row from the cache, lib/cache/pack.c, says 0) */
	int64_t sort_created;     /* parsed `created`, for sorting; 0 if absent */
	double score;             /* scratch for callers (sorting, ranking) */
};

/* The fields psm knows, in the order files are written. */
extern const char *const psm_known_keys[];
#define PSM_NKNOWN_KEYS 28 /* psm_known_keys without its NULL */
int psm_key_rank(const char *key); /* index in psm_known_keys, or -1 */

/* An empty issue, the caller's (psm_issue_free); NULL when out of memory. */
struct psm_issue *psm_issue_new(void);
void psm_issue_free(struct psm_issue *issue);

/*
 * Parse a whole file. On PSM_EPARSE, err holds the line and column. Checks
 * the shape only (front matter present, a mapping at the top); what the
 * values mean is psm_issue_validate()'s job (check.c). *out is the caller's
 * (psm_issue_free); it copies what it keeps of text.
 */
int psm_issue_parse(struct psm_issue **out, const char *text, size_t len,
		    struct psm_yaml_error *err);
/* Serialize: clean entries verbatim, dirty ones canonical. */
int psm_issue_format(struct strbuf *out, const struct psm_issue *issue);

/* Entries, nodes and strings an issue returns are its own, valid until the
 * issue changes (psm_issue_set...) or is freed. */
struct psm_entry *psm_issue_entry(const struct psm_issue *issue, const char *key);
const struct psm_node *psm_issue_node(const struct psm_issue *issue, const char *key);
/* A field's scalar text, or NULL when absent, null or not a scalar. */
const char *psm_issue_get(const struct psm_issue *issue, const char *key);
/* Replace a field (takes ownership of value; NULL removes the key). */
int psm_issue_set_node(struct psm_issue *issue, const char *key, struct psm_node *value);
int psm_issue_set(struct psm_issue *issue, const char *key, const char *value);
/* Entry count of a sequence field (labels, reporters); 0 when absent. */
size_t psm_issue_count(const struct psm_issue *issue, const char *key);
/* A sorted, duplicate-free list of strings: add or remove one. Returns 1 if changed. */
int psm_issue_list_add(struct psm_issue *issue, const char *key, const char *value);
int psm_issue_list_remove(struct psm_issue *issue, const char *key, const char *value);
int psm_issue_list_has(const struct psm_issue *issue, const char *key, const char *value);

#endif
