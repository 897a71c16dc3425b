#ifndef PSM_TABLE_H
#define PSM_TABLE_H
/*
 * Aligned text tables. Cells are sanitized for the terminal. With a width,
 * the widest middle columns are narrowed (cut with an ellipsis) so the last
 * one keeps room, and the last column is cut to the width.
 */
#include <stddef.h>

#include "psm/strbuf.h"

struct table;

struct table *table_new(size_t ncols);
/* Add a cell to the current row (copied); colour is an escape or NULL. */
void table_cell(struct table *t, const char *text, const char *color);
void table_end_row(struct table *t);
/* Print to stdout. width 0: no limit. header: the first row is a header. */
void table_print(struct table *t, int width, int color, int header);
void table_free(struct table *t);

/*
 * The same table, its cells asked for rather than copied in: for a table
 * too big to hold twice (a listing of 100,000 issues). Each cell is asked
 * for twice, once for the column widths and once to print: cell() returns
 * row `row`'s cell `col` (NULL: empty), which may be written into scratch
 * (emptied before each call), and sets *color (NULL: none). cell() is
 * called from several threads at once (cmd/ring.h): it may read data, never
 * change it.
 */
typedef const char *(*table_cell_fn)(void *data, size_t row, size_t col,
				     struct strbuf *scratch, const char **color);
void table_print_rows(size_t ncols, size_t nrows, table_cell_fn cell, void *data, int width,
		      int color, int header);

/* TSV: tabs and newlines inside a value become spaces. */
void tsv_field(const char *s, int last);

#endif
