/* output.c: tables and JSON for the command line. */
#include <langinfo.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "format.h"
#include "output.h"
#include "sanitize.h"
#include "strbuf.h"

struct table {
	int	  ncols;
	char	**headers;
	int	 *flags;
	char	**cells;	/* nrows * ncols, sanitized */
	int	  nrows;
	int	  cap;
};

int
output_utf8(void)
{
	static int cached = -1;

	if (cached < 0)
		cached = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
	return cached;
}

struct table *
table_new(int ncols, const char *const *headers, const int *flags)
{
	struct table *t = xcalloc(1, sizeof *t);
	int i;

	t->ncols = ncols;
	t->headers = xcalloc((size_t)ncols, sizeof *t->headers);
	t->flags = xcalloc((size_t)ncols, sizeof *t->flags);
	for (i = 0; i < ncols; i++) {
		t->headers[i] = xstrdup(headers[i]);
		t->flags[i] = flags ? flags[i] : 0;
	}
	return t;
}

void
table_add(struct table *t, const char *const *cells)
{
	int i;

	if (t->nrows == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 64;
		t->cells = xrealloc(t->cells, (size_t)t->cap * (size_t)t->ncols *
		    sizeof *t->cells);
	}
	for (i = 0; i < t->ncols; i++)
		t->cells[t->nrows * t->ncols + i] =
		    sanitize_dup(cells[i] ? cells[i] : "-",
		    output_utf8() ? 0 : SAN_ASCII);
	t->nrows++;
}

/* The width human output must fit: the terminal's, else $COLUMNS, else 0
 * (a pipe with no COLUMNS: only the per-column caps apply). */
static int
output_width(FILE *out)
{
	struct winsize ws;
	const char *cols = getenv("COLUMNS");
	long long v;

	if (isatty(fileno(out)) && ioctl(fileno(out), TIOCGWINSZ, &ws) == 0 &&
	    ws.ws_col > 0)
		return ws.ws_col;
	if (cols != NULL && format_parse_id(cols, &v) == 0 && v <= 10000)
		return (int)v;
	return 0;
}

void
table_print(struct table *t, FILE *out)
{
	int *w = xcalloc((size_t)t->ncols, sizeof *w);
	int i, r, total, limit, fit_flags = 0;
	struct strbuf line;

	if (!output_utf8())
		fit_flags |= FIT_ASCII;
	for (i = 0; i < t->ncols; i++)
		w[i] = format_width(t->headers[i]);
	/* A cell is capped before it sets its column's width: one alert with
	 * a 100,000-character asset ref must not pad every other row. */
	for (r = 0; r < t->nrows; r++)
		for (i = 0; i < t->ncols; i++) {
			int cap = (t->flags[i] & COL_WRAP) ? TABLE_WRAP_MAX : TABLE_CELL_MAX;
			int cw = format_width(t->cells[r * t->ncols + i]);
			if (cw > cap)
				cw = cap;
			if (cw > w[i])
				w[i] = cw;
		}
	/* Then the whole line fits the width: the COL_WRAP column gives up a
	 * column at a time down to TABLE_WRAP_MIN, then the widest text
	 * column, down to TABLE_CELL_MIN (numbers keep theirs). */
	limit = output_width(out);
	for (total = -2, i = 0; i < t->ncols; i++)
		total += w[i] + 2;
	while (limit > 0 && total > limit) {
		int widest = -1;

		for (i = 0; i < t->ncols; i++) {
			if ((t->flags[i] & COL_RIGHT) || w[i] <= TABLE_CELL_MIN)
				continue;
			/* The variable column goes first, as far as a
			 * readable width; then the widest one. */
			if ((t->flags[i] & COL_WRAP) && w[i] > TABLE_WRAP_MIN) {
				widest = i;
				break;
			}
			if (widest < 0 || w[i] > w[widest])
				widest = i;
		}
		if (widest < 0)
			break;	/* narrower than any table: let it wrap */
		w[widest]--;
		total--;
	}
	strbuf_init(&line);
	for (r = -1; r < t->nrows; r++) {
		strbuf_reset(&line);
		for (i = 0; i < t->ncols; i++) {
			const char *cell = r < 0 ? t->headers[i] : t->cells[r * t->ncols + i];
			int last = i == t->ncols - 1;
			int f = fit_flags | ((t->flags[i] & COL_RIGHT) ? FIT_RIGHT : 0);

			if (!last || (t->flags[i] & COL_RIGHT))
				f |= FIT_PAD;
			format_fit(&line, cell, w[i], f);
			if (!last)
				strbuf_append(&line, "  ");
		}
		/* No trailing blanks. */
		while (line.len > 0 && line.buf[line.len - 1] == ' ')
			line.buf[--line.len] = '\0';
		fprintf(out, "%s\n", line.buf);
	}
	strbuf_free(&line);
	free(w);
}

void
table_free(struct table *t)
{
	int i;

	if (t == NULL)
		return;
	for (i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	for (i = 0; i < t->ncols; i++)
		free(t->headers[i]);
	free(t->cells);
	free(t->headers);
	free(t->flags);
	free(t);
}

int
output_json(FILE *out, json_t *doc)
{
	int rc;

	/* ASCII only: a bidi override in a title must not reach a terminal
	 * that cats the JSON, and every JSON parser reads \\uXXXX. */
	rc = json_dumpf(doc, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
	json_decref(doc);
	if (rc == 0 && fputc('\n', out) == EOF)
		rc = -1;
	return rc;
}

json_t *
output_json_text(const char *s)
{
	json_t *j = json_string(s);
	char *clean;

	if (j != NULL)
		return j;
	clean = sanitize_dup(s, 0);
	j = json_string(clean);
	free(clean);
	return j;
}

void
output_text(FILE *out, const char *s)
{
	char *clean = sanitize_dup(s, SAN_NEWLINES | (output_utf8() ? 0 : SAN_ASCII));

	fputs(clean, out);
	free(clean);
}
