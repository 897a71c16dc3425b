#ifndef PSM_ERROR_H
#define PSM_ERROR_H
/*
 * libpsm reports failure as libgit2 does: a function returns 0 (or a
 * non-negative count) on success and a negative code on failure, after
 * recording a lower-case message here for the caller to show. The library
 * never prints and never exits.
 */
enum {
	PSM_OK = 0,
	PSM_ERROR = -1,     /* generic */
	PSM_ENOTFOUND = -3, /* no such issue, key, file */
	PSM_EAMBIGUOUS = -5,/* a prefix names several issues */
	PSM_EINVALID = -6,  /* bad user input: value, label, date, ID */
	PSM_ENOSTORE = -7,  /* not inside a psm store */
	PSM_EPARSE = -8,    /* a file psm cannot read */
	PSM_EIDENTITY = -9, /* no git identity */
	PSM_ECONFLICT = -10,/* HEAD moved under us; retry */
	PSM_ELOCKED = -11,  /* another psm holds the lock */
	PSM_EUNCHANGED = -12,/* the operation would change nothing */
	PSM_ENOMEM = -13,
	PSM_ESTATE = -14,   /* the repository is in a state psm does not write in */
};

/* Set the last error; returns code so `return psm_error(PSM_EINVALID, ...)` works. */
int psm_error(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* psm_error(PSM_ENOMEM, "out of memory"): what every failed allocation returns. */
int psm_oom(void);
/* Append errno's text: "could not open 'x': No such file or directory". */
int psm_error_errno(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Take libgit2's last error as ours, prefixed. */
int psm_error_git(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The last message of this thread: psm's, valid until its next error. */
const char *psm_error_last(void);
int psm_error_code(void);
void psm_error_clear(void);

#endif
