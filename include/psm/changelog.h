#ifndef PSM_CHANGELOG_H
#define PSM_CHANGELOG_H
/*
 * Release notes from git history. A release is the issues that became closed
 * between two revisions of the store, found by comparing the two trees (see
 * snapshot.h), grouped the Keep a Changelog way by the rules under the
 * config's `changelog:` key. Building only reads; rendering only builds
 * strings and JSON values; the command decides where they go.
 */
#include <jansson.h>
#include <stdint.h>

#include "psm/store.h"
#include "psm/strbuf.h"

#define PSM_CHANGELOG_JSON_VERSION 2

struct psm_cl_entry {
	struct psm_issue *issue; /* as it is at the end of the range (owned) */
	char *id;                /* full ID, from the file name */
	char *short_id;
	char *title;             /* sanitized, one line */
	char *note;              /* its `## Release note` as one sanitized paragraph, or NULL */
	char *reason;            /* excluded entries: why ("resolution duplicate", psm_cl_verdict) */
	const char *group;       /* the heading it is listed under */
	size_t reporters;        /* distinct reporters */
	int64_t closed;          /* 0 when open */
};

struct psm_cl_list {
	char *name;
	struct psm_cl_entry *v;
	size_t n, alloc;
};

struct psm_changelog {
	struct psm_cl_list *groups; /* the config's order, then "Other"; some may be empty */
	size_t ngroups;
	struct psm_cl_list known;    /* open, labelled known-issue (when asked for) */
	struct psm_cl_list next;     /* in progress (when asked for) */
	struct psm_cl_list excluded; /* closed in the range but left out (psm_cl_verdict) */
	int has_known, has_next;
	/* Unreadable files in the range, and with `check` every bad entry:
	 * path, line, column, message (errors[] of an issue set). */
	struct psm_issue_set diag;
	size_t nbroken;              /* how many of diag's errors are unreadable files */
	size_t checked;              /* closed issues of the range looked at (all but private ones) */
	char *from, *from_commit;    /* start revision and its commit; NULL: the beginning */
	char *to, *to_commit;        /* end revision and commit; NULL: the working tree */
	int to_tag;                  /* the end revision is a tag's name (v1.4) */
	int64_t to_time;             /* commit time of the end; 0 for the working tree */
	int64_t since;               /* --since instead of a start revision; 0 if not */
	char *link;                  /* the config's changelog.link, or NULL */
};

struct psm_changelog_opts {
	const char *range;  /* "A..B", "A..", "..B", "A" or NULL (see psm_changelog_build) */
	const char *since;  /* a date or time instead of a start revision */
	int all;            /* keep issues the rules leave out, private ones too */
	int known_issues;   /* 1, 0, or -1: the config's changelog.known_issues */
	int next;           /* add the Coming next section */
	int check;          /* record every closed issue that would make a bad entry */
};

/*
 * The release. Range: A..B compares revision A with B; a missing B means
 * the working tree; "..B" or a missing range starts at the newest tag
 * reachable from before the end (from B's first parent, or from HEAD for the
 * working tree), or at the beginning when there is none. An issue is in the
 * release when it is closed at B and was open or absent at A, or was closed
 * again after a reopen (its `closed` time changed). *out is the caller's,
 * to free with psm_changelog_free(); it owns its entries and strings.
 */
int psm_changelog_build(struct psm_changelog **out, struct psm_store *s,
			const struct psm_changelog_opts *opts);
void psm_changelog_free(struct psm_changelog *cl);
/* The release a tag names, as the site and the changelog show it: "v1.4.0"
 * is 1.4.0 (docs/ci.md's ${tag#v}), any other tag itself. Points into tag. */
const char *psm_release_of_tag(const char *tag);

/*
 * Which issues a customer may read about: the rules of docs/changelog.md,
 * "What is left out" (the config's `changelog:` key over the defaults).
 * The changelog asks this of every issue it lists; anything else that
 * publishes issues (a public site, a status page) must ask it too.
 */
struct psm_cl_rules;
/* *out is the caller's (psm_cl_rules_free); it keeps no pointer into cfg. */
int psm_cl_rules_new(struct psm_cl_rules **out, const struct psm_config *cfg);
void psm_cl_rules_free(struct psm_cl_rules *r);
/* The label that marks a known issue and the status of work in progress
 * (changelog.known_issue_label, changelog.next_status, or the defaults),
 * so a publisher lists issues as the changelog does; they point into r. */
const char *psm_cl_rules_known_label(const struct psm_cl_rules *r);
const char *psm_cl_rules_next_status(const struct psm_cl_rules *r);

enum psm_cl_verdict {
	PSM_CL_PUBLIC = 0,  /* a customer-facing change (open: nothing private) */
	PSM_CL_PRIVATE,     /* a churn record, or an excluded label, type or resolution */
	PSM_CL_NOT_CHANGE,  /* closed, no release note, a resolution that changed nothing */
	PSM_CL_NO_GROUP,    /* closed, no release note, and no group takes it (no or unknown type) */
};
/*
 * The verdict on an issue, with the reason in why ("type account") when it
 * is not public; negative on error. A closed issue is public when nothing
 * about it is private and it has a release note, or a group takes it and
 * its resolution is a change (`fixed`, `documented`). For an open issue
 * only the privacy rules apply.
 */
int psm_cl_verdict(struct strbuf *why, const struct psm_cl_rules *r, const struct psm_issue *is);

/* The body's `## Release note` section as one paragraph (whitespace
 * collapsed); 0 with out untouched when there is none or it is empty. */
int psm_release_note(struct strbuf *out, const struct psm_issue *issue);

/* How a release is presented: heading and links. */
struct psm_cl_style {
	const char *release; /* "1.4.0" or "Unreleased" */
	const char *date;    /* YYYY-MM-DD, or NULL for none */
	const char *link;    /* URL template with {id} (full ID) or {short_id}; NULL: none */
};

/* Keep a Changelog Markdown: "## [1.4.0] - 2026-11-22", "### Fixed", "- ...". */
int psm_changelog_markdown(struct strbuf *out, const struct psm_changelog *cl,
			   const struct psm_cl_style *st);
/* One entry's Markdown after "- " (no newline). */
int psm_cl_entry_markdown(struct strbuf *out, const struct psm_cl_entry *e,
			  const struct psm_cl_style *st);
/* The entry's URL from the template; 0 with nothing appended when no link. */
int psm_cl_entry_url(struct strbuf *out, const struct psm_cl_entry *e,
		     const struct psm_cl_style *st);
/* The release as JSON (docs/changelog.md): a new value, the caller's
 * json_decref; NULL on out-of-memory. */
json_t *psm_changelog_json(const struct psm_changelog *cl, const struct psm_cl_style *st);
/* The --check result as JSON, the same way. */
json_t *psm_changelog_check_json(const struct psm_changelog *cl);

/*
 * Put `section` (one release's Markdown) into a Keep a Changelog file's text
 * `old` (NULL: no file yet; a title and intro are made): it replaces the
 * section of the same release name if there is one, else goes before the
 * first "## [" section (after [Unreleased] when writing a named release),
 * else at the end. Everything else is kept byte for byte, so doing it twice
 * gives the same text.
 */
int psm_changelog_splice(struct strbuf *out, const char *old, size_t len,
			 const char *section, const char *release);

#endif
