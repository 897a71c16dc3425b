#ifndef PSM_TABLE_H
#define PSM_TABLE_H
/*
 * Aligned text tables. Cells are sanitized for the terminal. With a width,
 * the widest middle columns are narrowed (cut with an ellipsis) so the last
 * one keeps room, and the last column is cut to the width.
 */
#include <stddef.h>

struct table;

struct table *table_new(size_t ncols);
/* Add a cell to the current row (copied); colour is an escape or NULL. */
void table_cell(struct table *t, const char *text, const char *color);
void table_end_row(struct table *t);
/* Print to stdout. width 0: no limit. header: the first row is a header. */
void table_print(struct table *t, int width, int color, int header);
void table_free(struct table *t);

/* TSV: tabs and newlines inside a value become spaces. */
void tsv_field(const char *s, int last);

#endif
