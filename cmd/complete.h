#ifndef PSM_COMPLETE_H
#define PSM_COMPLETE_H
/*
 * Inside `psm __complete` (docs/completion.md): complete.c reads the
 * command line, complete-values.c finds the candidates that come from the
 * store. Candidates are printed as they are found.
 */
#include "parse-options.h"
#include "psm/store.h"

/* psm's own options (-C, --version): psm.c. */
extern const struct option psm_options[];

#define COMP_FILES 1   /* let the shell complete file names */
#define COMP_DIRS 2    /* ... directory names */
#define COMP_NOSPACE 4 /* no space after the word: "status:" wants a value */

struct comp {
	const char *cur;       /* the word being completed */
	int descriptions;      /* print "\tdescription" after candidates */
	unsigned directives;
	struct psm_store *store;
	int store_tried;
	const char **named;    /* the arguments before cur (issue IDs for -label) */
	int nnamed;
};

/* Print pre+word when it starts with cur (any case) and is safe to show. */
void comp_add(struct comp *c, const char *pre, const char *word, const char *desc);
/* The store of the current directory, or NULL (quietly) when there is none. */
struct psm_store *comp_store(struct comp *c);

/* Short issue IDs starting with prefix, with titles when few match. */
void comp_ids(struct comp *c, const char *pre, const char *prefix);
/* sign '+': labels in use; '-': labels of the named issues. */
void comp_labels(struct comp *c, const char *pre, int sign);
/* The values of config list or map `key` (types, impacts...). */
void comp_config(struct comp *c, const char *pre, const char *key);
/* Space-separated words. */
void comp_words(struct comp *c, const char *pre, const char *words);
/* A search term: its key (status:, created>...), or its values. */
void comp_terms(struct comp *c);

#endif
