#ifndef PSM_STORE_H
#define PSM_STORE_H
/*
 * A psm store is a git work tree with .psm/config.yml and an issues/ folder
 * sharded by the first two characters of the ID (issues/7k/7kq2m9xabc.md),
 * so no git tree grows past a few hundred entries at 100,000 issues.
 * Everything that reads many issues goes through psm_store_scan(), the one
 * place a derived cache can slot in.
 */
#include <stddef.h>
#include <stdint.h>

#include "psm/config.h"
#include "psm/git.h"
#include "psm/issue.h"

#define PSM_CONFIG_PATH ".psm/config.yml"
#define PSM_ISSUE_DIR "issues"

struct psm_store {
	struct psm_git *git;
	const char *root;          /* work tree, trailing slash */
	struct psm_config *config;
	int no_commit;             /* write files only */
	int no_cache;              /* read the files alone (cache.h) */
	const char *build;         /* the program's version: part of the cache's key */
	/* the issue files as listed for this command: lib/cache offers its
	 * listing here while it is held (psm_files_get, cache.h), files_free
	 * lets go of it; every file written through the store counts in
	 * wrote, so that a listing taken before the write is taken again */
	void *files;
	void (*files_free)(void *files);
	unsigned long wrote;
};

/* A file psm could not read: never skipped silently. */
struct psm_scan_error {
	char *path;
	int line, col;
	char *msg;
};

struct psm_issue_set {
	struct psm_issue **v;
	size_t n, alloc;
	struct psm_scan_error *errors;
	size_t nerrors, ealloc;
};

/* Open the store git finds from dir. *out is the caller's, to free with
 * psm_store_free(); the issues, sets and transactions made from it must go
 * first. */
int psm_store_open(struct psm_store **out, const char *dir);
/* Make dir's repository (created if none) a store. *changed: files written. */
int psm_store_init(struct psm_store **out, const char *dir, int no_commit, int *changed);
void psm_store_free(struct psm_store *s);

/* IDs: 10 characters of Crockford base32 (50 random bits). */
int psm_id_new(char out[PSM_ID_LEN + 1]);
int psm_id_valid(const char *id);      /* a full ID */
int psm_id_prefix_valid(const char *p); /* 1..10 ID characters */
int psm_issue_path(struct strbuf *out, const char *id);

/*
 * Resolve a unique prefix of at least PSM_ID_MIN_PREFIX characters to a full
 * ID (PSM_EINVALID for a shorter one, PSM_ENOTFOUND, PSM_EAMBIGUOUS): as git
 * takes no object name under 4 hex digits, "psm close 3" must not close
 * whichever issue alone starts with 3 (an issue's number in another tracker).
 */
#define PSM_ID_MIN_PREFIX 4
int psm_store_resolve(struct strbuf *id, struct psm_store *s, const char *prefix);
/* The issue IDs starting with prefix (any case; "" for all), sorted, as
 * scalars appended to the seq ids; from the file names alone. With max > 0,
 * stops after the shard where more than max were found and returns 1. */
int psm_store_list_ids(struct psm_node *ids, struct psm_store *s, const char *prefix,
		       size_t max);
/* The shards in issues/ (two ID characters each), sorted, appended to seq. */
int psm_store_shards(struct psm_node *shards, struct psm_store *s);
/* What else issues/ holds at its top (not a shard, a dot file or the
 * README.md psm init writes), sorted, as scalars appended to the seq
 * names: files of the user's own that psm leaves alone. */
int psm_store_foreign(struct psm_node *names, struct psm_store *s);
/* Every label some issue has, sorted and unique, appended to the seq
 * labels: read from each file's front matter without a YAML parse, for
 * completion (store-labels.c). */
int psm_store_labels(struct psm_node *labels, struct psm_store *s);
/* Shortest unique prefix, at least PSM_SHORT_ID_LEN characters. */
int psm_store_abbrev(struct strbuf *out, struct psm_store *s, const char *id);

/* Read one issue: *out is the caller's (psm_issue_free). */
int psm_store_load(struct psm_issue **out, struct psm_store *s, const char *id);
/* Load by a path relative to the work tree, or absolute. */
int psm_store_load_path(struct psm_issue **out, struct psm_store *s, const char *path,
			struct psm_yaml_error *err);
int psm_store_save(struct psm_store *s, const struct psm_issue *issue);

/*
 * Read every issue (sorted by path). Files that cannot be read, and files
 * psm check rejects (psm_issue_validate()), land in set->errors (one each,
 * sorted by path), never skipped silently: the set holds valid issues only.
 * The set owns its issues and errors; psm_issue_set_release() frees them.
 */
int psm_store_scan(struct psm_store *s, struct psm_issue_set *set);
/* The same, keeping readable issues whatever their fields say (psm check,
 * batches, which must know every issue they could match). */
int psm_store_scan_raw(struct psm_store *s, struct psm_issue_set *set);
void psm_issue_set_release(struct psm_issue_set *set);
/* Takes ownership of issue (freed on failure too). */
int psm_issue_set_add(struct psm_issue_set *set, struct psm_issue *issue);
int psm_issue_set_error(struct psm_issue_set *set, const char *path, int line, int col,
			const char *msg);
/* Uniform abbreviation length that is unique across the set (>= 7). */
size_t psm_issue_set_abbrev(const struct psm_issue_set *set);

/* One commit of these paths (or nothing, with no_commit). The message is
 * made safe for a terminal first (psm_sanitize, newlines kept): it holds
 * customer text, and git log prints it raw. */
int psm_store_commit(struct psm_store *s, const char *const *paths, size_t n,
		     const char *message);

#endif
