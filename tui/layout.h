/* layout.h: the console's geometry and the queue's columns, as pure
 * functions of the terminal size (neomutt's reflow, tested without a
 * terminal in tests/unit/check_keymap.c).  resize_display() in console.c
 * applies the result to the curses windows. */
#ifndef VSOC_LAYOUT_H
#define VSOC_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "queue.h"

struct strbuf;

#define LAYOUT_MIN_COLS	40
#define LAYOUT_MIN_ROWS	8

struct screen_layout {
	int	 rows, cols;
	int	 header_y, header_h;	/* counts, view, filter, sort */
	int	 body_y, body_h;	/* the view; the queue's first line is its column header */
	int	 status_y;		/* keys, messages, position; also the prompt */
	bool	 too_small;
};

void	 layout_screen(int rows, int cols, struct screen_layout *out);

enum qcol {
	QC_MARK, QC_SEV, QC_ID, QC_AGE, QC_LAST, QC_SLA, QC_STATUS, QC_ASSIGNEE,
	QC_RULE, QC_ASSET, QC_TITLE, QC_OCC, QC__COUNT
};

#define QCOL_RIGHT	0x1

struct qcol_layout {
	enum qcol	 col;
	int		 x, w;
	int		 flags;
};

/* Which columns fit in width, left to right, with their positions; the
 * title takes what is left.  Returns the number of columns. */
int		 layout_queue(int width, struct qcol_layout out[QC__COUNT]);
const char	*layout_qcol_header(enum qcol c);
/* The sort a column header stands for; QS__COUNT if none. */
enum queue_sort	 layout_qcol_sort(enum qcol c);

/* A cell's text, sanitized with san_flags (untrusted fields) and not yet
 * fitted; mark is the symbol shown for a marked row. */
void		 layout_queue_cell(struct strbuf *out, const struct queue_row *r,
		    enum qcol c, time_t now, bool marked, const char *mark,
		    int san_flags);
/* A whole row as it is drawn, for tests; fit_flags as format_fit's. */
void		 layout_queue_row(struct strbuf *out, const struct queue_row *r,
		    const struct qcol_layout *cols, int n, time_t now, bool marked,
		    const char *mark, int san_flags, int fit_flags);

/* "row 12 of 1,234" / "row 12 of 10,000+" / "no rows". */
void		 layout_position(char *buf, size_t len, long long row, long long total,
		    bool exact);

#endif
