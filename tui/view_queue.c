/* view_queue.c: the alert queue view: its view_ops (open, draw, keys,
 * live notices, position), triage actions on the selected or marked
 * alerts, and mark-all.  The rows it shows are a bounded window over a
 * keyset-paginated query, kept by view_queue_window.c: memory is the same
 * for a thousand alerts as for a million.
 *
 * The cursor stays on the same alert id across live reloads when it is
 * still there, else on the same screen row.  Marks (marks.h) are ids with
 * the versions the analyst saw, so they survive every reload. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "action.h"
#include "console.h"
#include "display.h"
#include "filter.h"
#include "format.h"
#include "layout.h"
#include "marks.h"
#include "model.h"
#include "queue.h"
#include "sanitize.h"
#include "savedview.h"
#include "strbuf.h"
#include "theme.h"
#include "view_queue_int.h"

static const struct view_hint queue_hints[] = {
	{ REQ_HELP, "help" },
	{ REQ_ENTER, "open" },
	{ REQ_TAKE, "take" },
	{ REQ_CLOSE, "close" },
	{ REQ_MARK, "mark" },
	{ REQ_FILTER, "filter" },
	{ REQ_PROMPT, "cmd" },
	{ REQ_BACK, "quit" },
	{ REQ_NONE, NULL }
};

/* The built-in views in `v` order. */
static const enum queue_view view_cycle[] = {
	QV_MINE, QV_UNASSIGNED, QV_OPEN, QV_ESCALATED, QV_CLOSED, QV_ALL, QV_BREACHING
};


/* --- marks (the set itself is marks.c) ---------------------------------- */

static void
mark_all(struct qview *q)
{
	struct queue_page p;
	struct queue_row last;
	bool have_last = false, more = true;
	size_t seen = 0;
	char n1[32];
	int i;

	memset(&last, 0, sizeof last);
	while (more && seen < QV_MARK_CAP) {
		int limit = QV_MARK_PAGE;
		if ((size_t)limit > QV_MARK_CAP - seen)
			limit = (int)(QV_MARK_CAP - seen);
		if (qv_fetch(q, have_last ? &last : NULL, QD_AFTER, limit, &p) < 0)
			break;
		if (p.n > 0) {
			struct mark *add = xcalloc((size_t)p.n, sizeof *add);
			for (i = 0; i < p.n; i++) {
				add[i].id = p.rows[i].id;
				add[i].version = p.rows[i].version;
			}
			marks_add_many(&q->marks, add, (size_t)p.n);
			free(add);
		}
		seen += (size_t)p.n;
		more = p.more && p.n > 0;
		if (p.n > 0) {
			queue_row_free(&last);
			queue_row_copy(&last, &p.rows[p.n - 1]);
			have_last = true;
		}
		queue_page_free(&p);
	}
	queue_row_free(&last);
	format_count(n1, sizeof n1, (long long)seen);
	if (more)
		console_error(q->con, "marked the first %s matching alerts (the cap); "
		    "narrow the filter to act on the rest", n1);
	else
		console_message(q->con, "marked %s matching alerts (%zu marked in all)",
		    n1, marks_count(&q->marks));
}

/* --- actions ------------------------------------------------------------ */

static void
queue_action(struct view *v, enum request req, const struct action_args *args)
{
	struct qview *q = v->priv;
	struct action_target t;
	long long *ids, one_id;
	int *vers, one_ver, rc;
	bool bulk = marks_count(&q->marks) > 0;

	if (!bulk && q->n == 0) {
		console_error(q->con, "no alert selected");
		return;
	}
	if (bulk) {
		t.n = marks_count(&q->marks);
		ids = xcalloc(t.n, sizeof *ids);
		vers = xcalloc(t.n, sizeof *vers);
		marks_copy(&q->marks, ids, vers);
	} else {
		one_id = q->rows[q->cur].id;
		one_ver = q->rows[q->cur].version;
		ids = &one_id;
		vers = &one_ver;
		t.n = 1;
	}
	t.ids = ids;
	t.versions = vers;
	rc = action_run(q->con, req, &t, args);
	if (rc == TRIAGE_OK && bulk)
		marks_clear(&q->marks);
	/* After success and after a conflict alike (the rows changed under
	 * us); a denial changed nothing, and the analyst may not even read. */
	if (rc >= 0 && rc != TRIAGE_DENIED)
		qv_reload(q, false);
	if (bulk) {
		free(ids);
		free(vers);
	}
}

/* --- view ops ----------------------------------------------------------- */

static int
queue_open(struct view *v, const void *arg)
{
	const struct console_options *opt = arg;
	struct qview *q = xcalloc(1, sizeof *q);

	v->priv = q;
	q->con = v->con;
	queue_query_init(&q->q);
	marks_init(&q->marks);
	q->q.me = q->con->me->id;
	q->top_abs = 0;
	snprintf(q->label, sizeof q->label, "%s", queue_view_name(q->q.view));
	if (opt != NULL && opt->view != NULL)
		qv_select_view(q, opt->view);
	if (opt != NULL && opt->filter != NULL) {
		struct filter f;
		char err[256];

		filter_init(&f);
		if (filter_parse(&f, opt->filter, err, sizeof err) < 0) {
			console_error(q->con, "--filter: %s", err);
			filter_free(&f);
		} else {
			filter_free(&q->q.filter);
			q->q.filter = f;
		}
	}
	qv_reload_from_start(q);
	return 0;
}

static void
queue_close(struct view *v)
{
	struct qview *q = v->priv;

	qv_rows_clear(q);
	free(q->rows);
	marks_free(&q->marks);
	queue_query_free(&q->q);
	free(q);
}

static void
draw_columns(struct qview *q, WINDOW *w, const struct qcol_layout *cols, int nc)
{
	char head[40];
	int i;
	enum queue_sort s;

	display_fill(w, 0, 0, getmaxx(w), theme_attr(ROLE_COLUMNS));
	for (i = 0; i < nc; i++) {
		s = layout_qcol_sort(cols[i].col);
		/* The breaching view's order (the deadline) has no column. */
		snprintf(head, sizeof head, "%s%s", layout_qcol_header(cols[i].col),
		    s == q->q.sort && q->q.view != QV_BREACHING ? theme_sym((queue_sort_descending(s) != q->q.reverse) ?
		    SYM_DESC : SYM_ASC) : "");
		if (cols[i].flags & QCOL_RIGHT)
			display_put_right(w, 0, cols[i].x, cols[i].w, head,
			    theme_attr(ROLE_COLUMNS));
		else
			display_put(w, 0, cols[i].x, cols[i].w, head,
			    theme_attr(ROLE_COLUMNS), false);
	}
}

static void
queue_draw(struct view *v, WINDOW *w, int h, int width)
{
	struct qview *q = v->priv;
	struct qcol_layout cols[QC__COUNT];
	struct strbuf cell;
	time_t now = time(NULL);
	int nc, i, c, idx;
	attr_t base, a;
	bool marked;
	struct sla_status sla;

	nc = layout_queue(width, cols);
	draw_columns(q, w, cols, nc);
	if (q->n == 0) {
		display_put(w, 2, 2, width - 4, filter_empty(&q->q.filter) ?
		    "No alerts in this view." : "No alerts match the filter "
		    "(/ to change it, :filter to clear it).", theme_attr(ROLE_DIM), false);
		return;
	}
	strbuf_init(&cell);
	for (i = 0; i + 1 < h; i++) {
		idx = q->top + i;
		if (idx >= q->n)
			break;
		marked = marks_has(&q->marks, q->rows[idx].id);
		base = idx == q->cur ? theme_attr(ROLE_SELECTED) :
		    marked ? theme_attr(ROLE_MARKED) : theme_attr(ROLE_NORMAL);
		/* A breached row is bold throughout, its SLA cell in the
		 * breach's colours (bold and reverse without colours). */
		queue_row_sla(&q->rows[idx], now, &sla);
		base = theme_sla_row((int)sla.state, base);
		if (idx == q->cur)
			display_fill(w, i + 1, 0, width, base);
		for (c = 0; c < nc; c++) {
			strbuf_reset(&cell);
			layout_queue_cell(&cell, &q->rows[idx], cols[c].col, now, marked,
			    theme_sym(SYM_MARK), display_san_flags());
			a = base;
			if (idx != q->cur && cols[c].col == QC_SEV)
				a = theme_severity(q->rows[idx].severity) |
				    (base & A_BOLD);
			if (cols[c].col == QC_SLA)
				a = theme_sla((int)sla.state, a);
			if (cols[c].flags & QCOL_RIGHT)
				display_put_right(w, i + 1, cols[c].x, cols[c].w, cell.buf, a);
			else
				display_put(w, i + 1, cols[c].x, cols[c].w, cell.buf, a,
				    idx == q->cur);
		}
	}
	strbuf_free(&cell);
}

static enum request
queue_request(struct view *v, enum request req)
{
	struct qview *q = v->priv;
	int pg = qv_page_rows(q);
	size_t i;

	switch (req) {
	case REQ_MOVE_DOWN:
		qv_move_by(q, 1, false);
		return REQ_NONE;
	case REQ_MOVE_UP:
		qv_move_by(q, -1, false);
		return REQ_NONE;
	case REQ_PAGE_DOWN:
		qv_move_by(q, pg, true);
		return REQ_NONE;
	case REQ_PAGE_UP:
		qv_move_by(q, -pg, true);
		return REQ_NONE;
	case REQ_MOVE_FIRST:
		if (q->more_before || q->top_abs != 0 || q->new_above > 0)
			qv_load_first(q);
		q->cur = 0;
		qv_set_top(q, 0);
		return REQ_NONE;
	case REQ_MOVE_LAST:
		if (q->more_after)
			qv_load_last(q);
		q->cur = q->n - 1;
		qv_keep_visible(q);
		return REQ_NONE;
	case REQ_ENTER:
		if (q->n > 0)
			console_push(q->con, &view_detail_ops, &q->rows[q->cur].id);
		return REQ_NONE;
	case REQ_CANDIDATES:
		/* The console's frame knows views only through their ops. */
		console_push(q->con, &view_candidates_ops, NULL);
		return REQ_NONE;
	case REQ_REFRESH:
		if (console_db_ready(q->con)) {
			qv_reload(q, false);
			console_counts_stale(q->con);
		}
		return REQ_NONE;
	case REQ_FILTER:
		qv_filter_interactive(q);
		return REQ_NONE;
	case REQ_MARK:
		if (q->n == 0)
			return REQ_NONE;
		if (!marks_has(&q->marks, q->rows[q->cur].id) &&
		    marks_count(&q->marks) >= QV_MARK_CAP)
			console_error(q->con, "at most %d marks", QV_MARK_CAP);
		else
			marks_toggle(&q->marks, q->rows[q->cur].id,
			    q->rows[q->cur].version);
		qv_move_by(q, 1, false);
		return REQ_NONE;
	case REQ_MARK_ALL:
		mark_all(q);
		return REQ_NONE;
	case REQ_UNMARK_ALL:
		console_message(q->con, "unmarked %zu alerts", marks_count(&q->marks));
		marks_clear(&q->marks);
		return REQ_NONE;
	case REQ_VIEW_NEXT:
		for (i = 0; i < sizeof view_cycle / sizeof view_cycle[0]; i++)
			if (view_cycle[i] == q->q.view)
				break;
		i = (i + 1) % (sizeof view_cycle / sizeof view_cycle[0]);
		qv_apply_view(q, view_cycle[i]);
		return REQ_NONE;
	case REQ_VIEW_OPEN:
		qv_apply_view(q, QV_OPEN);
		return REQ_NONE;
	case REQ_VIEW_MINE:
		qv_apply_view(q, QV_MINE);
		return REQ_NONE;
	case REQ_VIEW_UNASSIGNED:
		qv_apply_view(q, QV_UNASSIGNED);
		return REQ_NONE;
	case REQ_VIEW_ESCALATED:
		qv_apply_view(q, QV_ESCALATED);
		return REQ_NONE;
	case REQ_VIEW_CLOSED:
		qv_apply_view(q, QV_CLOSED);
		return REQ_NONE;
	case REQ_VIEW_ALL:
		qv_apply_view(q, QV_ALL);
		return REQ_NONE;
	case REQ_VIEW_BREACHING:
		qv_apply_view(q, QV_BREACHING);
		return REQ_NONE;
	case REQ_SORT_NEXT:
		if (q->q.view == QV_BREACHING) {
			/* Its order is what the view is for; < still reverses it. */
			console_error(q->con, "the breaching view is sorted by deadline");
			return REQ_NONE;
		}
		q->q.sort = (enum queue_sort)((q->q.sort + 1) % QS__COUNT);
		q->q.reverse = false;
		qv_reload_from_start(q);
		console_message(q->con, "sorted by %s", queue_sort_name(q->q.sort));
		return REQ_NONE;
	case REQ_SORT_REVERSE:
		q->q.reverse = !q->q.reverse;
		qv_reload_from_start(q);
		console_message(q->con, "sorted by %s%s", queue_query_sort_name(&q->q),
		    q->q.reverse ? ", reversed" : "");
		return REQ_NONE;
	default:
		if (action_for_request(req) != TA__COUNT) {
			queue_action(v, req, NULL);
			return REQ_NONE;
		}
		return req;
	}
}

static void
queue_notify(struct view *v, const struct view_change *c)
{
	struct qview *q = v->priv;

	/* A change to rows of statuses this query cannot show moves nothing
	 * in or out of it: no query.  Any other may: reload the window
	 * (throttled), whatever the ids. */
	if ((c->statuses & queue_statuses(&q->q)) == 0)
		return;
	q->stale_inserts = c->inserts_only && (q->stale_inserts || !q->stale);
	q->stale = true;
}

static bool
queue_refresh(struct view *v)
{
	struct qview *q = v->priv;

	if (!q->stale)
		return false;
	if (qv_now_ms() - q->last_reload_ms < QV_RELOAD_MS)
		return true;
	if (q->con->db_lost)
		return false;
	qv_reload(q, q->stale_inserts);
	return false;
}

static void
queue_position(struct view *v, char *buf, size_t len)
{
	struct qview *q = v->priv;
	long long row = q->top_abs >= 0 ? q->top_abs + (q->cur - q->top) + 1 : -1;

	if (q->n == 0) {
		snprintf(buf, len, "no rows");
	} else if (row < 0) {
		char t[32];
		format_count(t, sizeof t, q->total);
		snprintf(buf, len, "row ? of %s%s%s", q->about ? "~" : "", t,
		    q->exact || q->about ? "" : "+");
	} else if (q->about && q->total >= row) {
		char r[32], t[32];
		format_count(r, sizeof r, row);
		format_count(t, sizeof t, q->total);
		snprintf(buf, len, "row %s of ~%s", r, t);
	} else {
		layout_position(buf, len, row, q->total < row ? row : q->total,
		    q->exact || q->total < row);
	}
}

const struct view_ops view_queue_ops = {
	.name = "queue",
	.scope = KS_QUEUE,
	.open = queue_open,
	.close = queue_close,
	.draw = queue_draw,
	.request = queue_request,
	.notify = queue_notify,
	.reload = queue_refresh,
	.action = queue_action,
	.position = queue_position,
	.summary = qv_summary,
	.commands = qv_commands,
	.hints = queue_hints,
};
