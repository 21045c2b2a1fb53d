/* view_queue_window.c: the queue's rows in memory, a bounded window over a
 * keyset-paginated query (see view_queue.c), and the movement, loading and
 * live reloading that keep it so.
 *
 * The window never holds more than QV_WINDOW_SCREENS screens of rows:
 * moving inside them costs no query, moving past an edge fetches one page
 * after (or before) the edge row and drops rows from the other end.
 * Live updates re-fetch from the first visible row (QD_FROM), so rows
 * inserted above the window never push the screen: they are counted and
 * shown as "N new". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "console.h"
#include "marks.h"
#include "queue.h"
#include "strbuf.h"
#include "view_queue_int.h"

long long
qv_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int
qv_page_rows(const struct qview *q)
{
	/* The body's first line is the column header. */
	int p = console_body_rows(q->con) - 1;

	return p < 1 ? 1 : p;
}

static int
window_cap(const struct qview *q)
{
	int c = QV_WINDOW_SCREENS * qv_page_rows(q);

	return c < 30 ? 30 : c;
}

/* --- the window -------------------------------------------------------- */

void
qv_rows_clear(struct qview *q)
{
	int i;

	for (i = 0; i < q->n; i++)
		queue_row_free(&q->rows[i]);
	q->n = 0;
}

static void
rows_reserve(struct qview *q, int need)
{
	if (need <= q->cap)
		return;
	q->cap = need + 16;
	q->rows = xrealloc(q->rows, (size_t)q->cap * sizeof *q->rows);
}

static void
rows_append(struct qview *q, const struct queue_page *p)
{
	int i;

	rows_reserve(q, q->n + p->n);
	for (i = 0; i < p->n; i++)
		queue_row_copy(&q->rows[q->n++], &p->rows[i]);
}

static void
rows_prepend(struct qview *q, const struct queue_page *p)
{
	int i;

	rows_reserve(q, q->n + p->n);
	memmove(q->rows + p->n, q->rows, (size_t)q->n * sizeof *q->rows);
	for (i = 0; i < p->n; i++)
		queue_row_copy(&q->rows[i], &p->rows[i]);
	q->n += p->n;
	/* Same rows under the cursor: indices shift, top_abs does not. */
	q->top += p->n;
	q->cur += p->n;
}

/* Drop rows above the screen when the window grew past its cap. */
static void
trim_front(struct qview *q)
{
	int d = q->n - window_cap(q), i;

	if (d > q->top)
		d = q->top;
	if (d <= 0)
		return;
	for (i = 0; i < d; i++)
		queue_row_free(&q->rows[i]);
	memmove(q->rows, q->rows + d, (size_t)(q->n - d) * sizeof *q->rows);
	q->n -= d;
	q->top -= d;
	q->cur -= d;
	q->more_before = true;
}

static void
trim_back(struct qview *q)
{
	int d = q->n - window_cap(q), keep = q->top + qv_page_rows(q), i;

	if (d > q->n - keep)
		d = q->n - keep;
	if (d <= 0)
		return;
	for (i = q->n - d; i < q->n; i++)
		queue_row_free(&q->rows[i]);
	q->n -= d;
	q->more_after = true;
}

int
qv_fetch(struct qview *q, const struct queue_row *cursor, enum queue_dir dir,
    int limit, struct queue_page *p)
{
	memset(p, 0, sizeof *p);
	if (!console_db_ready(q->con))
		return -1;
	if (queue_fetch(q->con->db, &q->q, cursor, dir, limit, p) < 0) {
		console_db_error(q->con, "loading the queue");
		return -1;
	}
	return 0;
}

void
qv_set_top(struct qview *q, int top)
{
	if (q->top_abs >= 0)
		q->top_abs += top - q->top;
	if (top < q->top)
		q->before_capped = false;	/* fewer rows above: count again */
	q->top = top;
	if (q->top_abs == 0)
		q->new_above = 0;	/* the analyst is looking at them */
}

void
qv_keep_visible(struct qview *q)
{
	int pg = qv_page_rows(q);

	if (q->n == 0) {
		q->cur = q->top = 0;
		return;
	}
	if (q->cur >= q->n)
		q->cur = q->n - 1;
	if (q->cur < 0)
		q->cur = 0;
	if (q->cur < q->top)
		qv_set_top(q, q->cur);
	else if (q->cur >= q->top + pg)
		qv_set_top(q, q->cur - pg + 1);
}

void
qv_count_rows(struct qview *q)
{
	long long n;
	enum queue_total kind;

	/* After a failed load the count would fail too, and its message would
	 * hide the first, clearer one. */
	if (q->con->db_lost)
		return;
	/* The window already holds every matching row: that is the count, and
	 * a filter that matches little costs one scan instead of two. */
	if (!q->more_before && !q->more_after) {
		q->total = q->n;
		q->exact = true;
		q->about = false;
		return;
	}
	n = queue_count(q->con->db, &q->q, q->typing ? QV_TYPING_COUNT_CAP :
	    QV_COUNT_CAP, &kind);
	if (n < 0) {
		console_db_error(q->con, "counting the queue");
		return;
	}
	q->total = n;
	q->exact = kind == QT_EXACT;
	q->about = kind == QT_ABOUT;
}

void
qv_load_first(struct qview *q)
{
	struct queue_page p;

	if (qv_fetch(q, NULL, QD_AFTER, 2 * qv_page_rows(q), &p) < 0)
		return;
	qv_rows_clear(q);
	rows_append(q, &p);
	q->more_before = false;
	q->more_after = p.more;
	q->top = q->cur = 0;
	q->top_abs = 0;
	q->new_above = 0;
	q->before_capped = false;
	queue_page_free(&p);
}

void
qv_load_last(struct qview *q)
{
	struct queue_page p;
	int pg = qv_page_rows(q);

	if (qv_fetch(q, NULL, QD_BEFORE, 2 * pg, &p) < 0)
		return;
	qv_rows_clear(q);
	rows_append(q, &p);
	q->more_before = p.more;
	q->more_after = false;
	q->cur = q->n - 1;
	q->top = q->n > pg ? q->n - pg : 0;
	q->top_abs = !q->more_before ? q->top :
	    q->exact ? q->total - q->n + q->top : -1;
	q->new_above = 0;
	q->before_capped = false;
	queue_page_free(&p);
}

static bool
extend_after(struct qview *q)
{
	struct queue_page p;

	if (!q->more_after || q->n == 0)
		return false;
	if (qv_fetch(q, &q->rows[q->n - 1], QD_AFTER, qv_page_rows(q), &p) < 0)
		return false;
	if (p.n == 0) {
		q->more_after = false;
		queue_page_free(&p);
		return false;
	}
	rows_append(q, &p);
	q->more_after = p.more;
	queue_page_free(&p);
	trim_front(q);
	return true;
}

static bool
extend_before(struct qview *q)
{
	struct queue_page p;

	if (!q->more_before || q->n == 0)
		return false;
	if (qv_fetch(q, &q->rows[0], QD_BEFORE, qv_page_rows(q), &p) < 0)
		return false;
	if (p.n == 0) {
		q->more_before = false;
		queue_page_free(&p);
		return false;
	}
	rows_prepend(q, &p);
	q->more_before = p.more;
	queue_page_free(&p);
	trim_back(q);
	return true;
}


/* --- marks follow the rows ----------------------------------------------- */

static void
marks_follow_rows(struct qview *q)
{
	int i;

	if (marks_count(&q->marks) == 0)
		return;
	for (i = 0; i < q->n; i++)
		marks_update(&q->marks, q->rows[i].id, q->rows[i].version);
}


/* --- reloading ---------------------------------------------------------- */

/* Re-fetch the window from its first visible row, keeping the cursor on
 * the same alert, and count what appeared above it.  grown: rows were only
 * inserted since the last load, so a count that had reached its cap still
 * has (a live update at 1,000 alerts a second would otherwise recount
 * 10,000 rows twice for every batch, in every console). */
void
qv_reload(struct qview *q, bool grown)
{
	struct queue_page p;
	struct queue_row anchor;
	long long sel, before;
	int off, i, pg = qv_page_rows(q);
	bool capped = grown && !q->typing && !q->exact && !q->about &&
	    q->total >= QV_COUNT_CAP;

	q->stale = false;
	q->stale_inserts = false;
	q->last_reload_ms = qv_now_ms();
	console_dirty(q->con);
	console_stats_reload(q->con);
	if (q->n == 0) {
		qv_load_first(q);
		qv_count_rows(q);
		return;
	}
	queue_row_copy(&anchor, &q->rows[q->top]);
	sel = q->rows[q->cur].id;
	off = q->cur - q->top;
	if (qv_fetch(q, &anchor, QD_FROM, 2 * pg, &p) < 0) {
		queue_row_free(&anchor);
		return;
	}
	before = grown && q->before_capped ? QV_COUNT_CAP :
	    queue_count_before(q->con->db, &q->q, &anchor, QV_COUNT_CAP);
	queue_row_free(&anchor);
	q->before_capped = before >= QV_COUNT_CAP;
	qv_rows_clear(q);
	rows_append(q, &p);
	q->more_after = p.more;
	queue_page_free(&p);
	q->top = 0;
	if (before == -2) {
		/* A word search walking its index cannot afford to count the
		 * rows above: the position is unknown, the rows are not. */
		before = 1;
		q->top_abs = -1;
	} else if (before < 0) {
		console_db_error(q->con, "counting the queue");
		before = 0;
		q->top_abs = -1;
	} else {
		if (q->top_abs >= 0 && before > q->top_abs)
			q->new_above += before - q->top_abs;
		q->top_abs = before < QV_COUNT_CAP ? before : -1;
	}
	q->more_before = before > 0;
	if (q->n == 0 && q->more_before) {
		/* Every row from the top of the screen on is gone (the last
		 * screen closed): extend_before needs a row to page from, so
		 * show the end of what is left instead of an empty queue. */
		qv_count_rows(q);		/* load_last places top_abs from it */
		qv_load_last(q);
		marks_follow_rows(q);
		return;
	}
	q->cur = -1;
	for (i = 0; i < q->n; i++)
		if (q->rows[i].id == sel)
			q->cur = i;
	if (q->cur < 0)
		q->cur = off;
	/* Rows left the end: pull earlier ones in rather than show a short
	 * screen, without moving the rows under the cursor. */
	while (q->n - q->top < pg && q->more_before && q->top == 0) {
		if (!extend_before(q))
			break;
		qv_set_top(q, q->n > pg ? q->n - pg : 0);
	}
	qv_keep_visible(q);
	marks_follow_rows(q);
	if (!capped || !q->more_after)
		qv_count_rows(q);
}

void
qv_reload_from_start(struct qview *q)
{
	qv_load_first(q);
	qv_count_rows(q);
	console_counts_stale(q->con);
}

/* --- movement ----------------------------------------------------------- */

void
qv_move_by(struct qview *q, int delta, bool scroll_page)
{
	int steps = delta < 0 ? -delta : delta, moved = 0, pg = qv_page_rows(q), top;

	while (moved < steps) {
		if (delta > 0) {
			if (q->cur + 1 >= q->n && !extend_after(q))
				break;
			q->cur++;
		} else {
			if (q->cur <= 0 && !extend_before(q))
				break;
			q->cur--;
		}
		moved++;
	}
	if (scroll_page && moved > 0) {
		/* Page keys move the screen with the cursor, as in less. */
		top = q->top + (delta > 0 ? moved : -moved);
		if (top > q->n - pg)
			top = q->n - pg;
		if (top < 0)
			top = 0;
		qv_set_top(q, top);
	}
	qv_keep_visible(q);
}
