#ifndef PSM_USAGE_INT_H
#define PSM_USAGE_INT_H
/* Between usage-record.c (taking events in) and usage-merge.c (merging, counting). */
#include <stdint.h>
#include <stdio.h>

#include "psm/strbuf.h"
#include "psm/usage-record.h"

#define PSM_USAGE_NO_COLUMN UINT32_MAX

struct spill {
	uint64_t h;
	int64_t t;
	uint32_t e; /* a column, or PSM_USAGE_NO_COLUMN: an event the config does not name */
	uint32_t pad;
};

struct column {
	const char *name;
	uint32_t e;
};

struct agg {
	int64_t day;
	size_t active, signups, waiting;
	size_t *features, *reached;
};

struct psm_usage_import {
	const struct psm_usage_config *uc;
	struct strbuf dir, stage, old, spilldir, added, id, lock;
	int locked;
	struct psm_usage_weeks committed; /* the week files when it began */
	unsigned char key[16];
	char **events;        /* the record's columns */
	size_t nevents;
	struct column *cols;  /* sorted by name, for lookups */
	int64_t until;        /* PSM_NO_TIME: no event yet */
	int fresh;            /* no record to merge with */
	int rebuild;          /* the counts replace every week file */
	FILE *spill[PSM_USAGE_BUCKETS];
	size_t unknown;
	int staging;          /* usage.new/ is this import's */
	int complete, kept;

	/* counting */
	long sig, *steps;     /* the columns of signup and the steps; -1: none */
	uint64_t *fmask;      /* each feature's columns */
	struct agg *aggs;
	size_t naggs, aalloc;
};

/* A user's part of the record: the bucket is the hash's top bits. */
#define PSM_USAGE_BUCKET_SHIFT 58
_Static_assert(PSM_USAGE_BUCKETS == 1 << (64 - PSM_USAGE_BUCKET_SHIFT), "buckets and shift agree");

/* The record's meta file, written into the staged folder. */
int psm_usage__write_meta(struct psm_usage_import *im);
/* Remove a folder of plain files (psm's own, in the git directory). */
int psm_usage__remove_dir(const char *path);

#endif
