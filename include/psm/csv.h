#ifndef PSM_CSV_H
#define PSM_CSV_H
/*
 * An RFC 4180 reader for spreadsheet and app-store exports: fields split by
 * commas, records by CRLF or LF; a field in double quotes may hold commas,
 * line breaks and "" for a quote. A UTF-8 byte order mark at the start is
 * skipped, and so are blank lines between records. Lenient where
 * spreadsheets are sloppy (a stray quote inside an unquoted field is kept as
 * text); the only error is a quoted field that never ends.
 */
#include <stddef.h>

struct psm_csv {
	const char *p, *end;
	int line; /* the line the next record starts on, 1-based */
};

struct psm_csv_row {
	char **v;
	size_t n, alloc;
	int line; /* the line this record started on */
};

void psm_csv_init(struct psm_csv *c, const char *text, size_t len);
/*
 * Read the next record into row (its old fields are freed): 1 when a record
 * was read, 0 at the end, PSM_EPARSE for an unterminated quoted field (which
 * swallows the rest of the input), PSM_ENOMEM. The fields are row's, copies
 * of the text, until the next call or psm_csv_row_release().
 */
int psm_csv_next(struct psm_csv *c, struct psm_csv_row *row);
void psm_csv_row_release(struct psm_csv_row *row);

#endif
