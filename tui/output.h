/* output.h: how the command line prints: aligned tables of sanitized text
 * for humans, one stable JSON document for scripts. */
#ifndef VSOC_OUTPUT_H
#define VSOC_OUTPUT_H

#include <stdio.h>

#include <jansson.h>

#define COL_RIGHT	0x1	/* right-align (numbers) */
#define COL_WRAP	0x2	/* the last, variable column: cut to the terminal */

/* Human tables never grow with hostile data: a cell longer than its cap is
 * cut with a marker (U+2026, or ~), on a terminal and in a pipe alike. */
#define TABLE_CELL_MAX	40	/* columns of any cell but the COL_WRAP one */
#define TABLE_WRAP_MAX	200	/* columns of the COL_WRAP cell */
#define TABLE_WRAP_MIN	24	/* the COL_WRAP column is cut to this first */
#define TABLE_CELL_MIN	6	/* narrowest a column is cut to, to fit */

struct table;

struct table	*table_new(int ncols, const char *const *headers, const int *flags);
/* Cells are untrusted: each is sanitized on the way in.  NULL shows "-". */
void		 table_add(struct table *t, const char *const *cells);
/* Print with two spaces between columns, cells capped as above, and the
 * whole line cut to the terminal's width ($COLUMNS in a pipe, if set):
 * the COL_WRAP column gives way first, then the widest. */
void		 table_print(struct table *t, FILE *out);
void		 table_free(struct table *t);

/* Print a JSON document (indented, keys in insertion order) and a newline;
 * steals the reference.  Returns 0 or -1 on a write error. */
int		 output_json(FILE *out, json_t *doc);
/* A JSON string of a message that may quote the command line (bytes that
 * are not UTF-8, which json_string() refuses with NULL): sanitized then. */
json_t		*output_json_text(const char *s);
/* True when the locale's charset is UTF-8 (else escape all non-ASCII). */
int		 output_utf8(void);
/* Print untrusted text, sanitized, keeping newlines. */
void		 output_text(FILE *out, const char *s);

#endif
