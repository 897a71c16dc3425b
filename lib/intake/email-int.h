#ifndef PSM_EMAIL_INT_H
#define PSM_EMAIL_INT_H
/* Inside lib/intake/: what email-fwd.c (a forward's author) and
 * email-quote.c (a reply's quote) both read in a block of mail headers. */
#include <stddef.h>

/* Is the header name key (len bytes, without its colon) the sender's, as
 * mail programs write it: From, Von, De, Van, Da, Från? */
int psm_mail__from_key(const char *key, size_t len);

#endif
