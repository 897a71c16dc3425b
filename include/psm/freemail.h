#ifndef PSM_FREEMAIL_H
#define PSM_FREEMAIL_H
#include <stddef.h>

/* The shipped list of free-mail domains (lower case, sorted). */
extern const char *const psm_free_mail_domains[];
extern const size_t psm_free_mail_count;
/* Is domain (any case) on it? */
int psm_free_mail_domain(const char *domain);

#endif
