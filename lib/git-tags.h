#ifndef PSM_GIT_TAGS_H
#define PSM_GIT_TAGS_H
/*
 * The repository's tags as releases: every tag, lightweight or annotated,
 * that names a commit (through any chain of tag objects), read with
 * libgit2 from the refs git keeps. A tag of a tree or a blob is no release
 * and is left out.
 */
#include <stdint.h>

#include "store.h"

struct psm_tag {
	char *name;      /* "v1.4.0" (refs/tags/ left off) */
	char commit[41]; /* the commit it names, full hex */
	int64_t time;    /* that commit's committer time */
	int has_store;   /* the commit's tree has .psm/config.yml */
};

/* Newest commit first; tags of one commit by name, highest first. */
int psm_git_tags(struct psm_tag **out, size_t *n, struct psm_store *s);
void psm_git_tags_free(struct psm_tag *tags, size_t n);

#endif
