#ifndef PSM_KEYWORD_H
#define PSM_KEYWORD_H
/*
 * The config's keywords (words that suggest impact core) found the ways
 * people write them. Text and keyword are split into words (letters and
 * digits; an apostrophe inside a word is dropped, so "can't" is "cant")
 * and compared without case:
 *
 *  - a word may carry an inflection the keyword's does not: -s, -es, -ed,
 *    -ing, with a final e dropped or consonant doubled (login: logins;
 *    log in: logged in, logging in; charge: charging), never the reverse
 *    ("billing" does not find "Bill");
 *  - words the keyword splits may be one word in the text, and words the
 *    keyword joins may be split by a hyphen ("sign in": sign-in, signin;
 *    login: log-in), but not by a space, which would find "check out the
 *    docs" for checkout;
 *  - between the words of a phrase, only white space or a hyphen ("sign.
 *    In the menu" is no "sign in").
 *
 * The config's `keyword_variants` maps a keyword to other ways to say it
 * (login: log in, log into, locked out), each matched the same way and
 * reported as the keyword; `keyword_exceptions` lists phrases that only
 * look like one ("payment terms"): a match inside one does not count.
 */
#include <stddef.h>

#include "psm/config.h"

struct psm_keyword_hit {
	const char *keyword; /* the config's keyword (lives as long as the config) */
	const char *phrase;  /* what matched: the keyword or one of its variants */
	size_t at, len;      /* the match in the text */
};

/*
 * The first keyword of the config's list (in its order) that the text
 * holds in one of its forms: 1 with *out filled, 0 when none, PSM_ENOMEM.
 */
int psm_keyword_find(struct psm_keyword_hit *out, const struct psm_config *cfg,
		     const char *text, size_t len);

/* Does phrase (one of the forms above) occur in text? 1, 0 or PSM_ENOMEM. */
int psm_keyword_phrase_in(const char *phrase, const char *text, size_t len);

#endif
