/* view_candidates.c: the incident candidates, a bounded window over the
 * list (core/candidates.h).
 *
 * Moving past the bottom fetches the page after the last row (keyset:
 * its severity, assets, alerts, window and key); moving above the top
 * fetches the page before by its place (the list is small and sorted in
 * the database either way).  Live alert changes mark the list stale and it
 * re-reads from the first visible row at most every CL_RELOAD_MS, the
 * cursor staying on the same candidate.  Enter opens a candidate's alerts
 * (view_candidate.c); accept and dismiss act on the selected one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "console.h"
#include "layout.h"
#include "model.h"
#include "strbuf.h"
#include "view_candidates_int.h"

static const struct view_hint list_hints[] = {
	{ REQ_HELP, "help" },
	{ REQ_ENTER, "alerts" },
	{ REQ_ACCEPT, "accept" },
	{ REQ_DISMISS, "dismiss" },
	{ REQ_BACK, "back" },
	{ REQ_NONE, NULL }
};

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int
page_rows(const struct clist *l)
{
	int p = console_body_rows(l->con) - 1;	/* the column header */

	return p < 1 ? 1 : p;
}

/* --- the window -------------------------------------------------------- */

static void
rows_clear(struct clist *l)
{
	int i;

	for (i = 0; i < l->n; i++)
		candidate_free(&l->rows[i]);
	l->n = 0;
}

static void
rows_reserve(struct clist *l, int need)
{
	if (need <= l->cap)
		return;
	l->cap = need + 16;
	l->rows = xrealloc(l->rows, (size_t)l->cap * sizeof *l->rows);
}

/* Take the page's rows (moved, not copied) at the end or the front. */
static void
rows_take(struct clist *l, struct cand_list *p, bool front)
{
	int k = (int)p->n;

	rows_reserve(l, l->n + k);
	if (front) {
		memmove(l->rows + k, l->rows, (size_t)l->n * sizeof *l->rows);
		memcpy(l->rows, p->items, (size_t)k * sizeof *l->rows);
		l->top += k;
		l->cur += k;
		l->base -= k;
	} else {
		memcpy(l->rows + l->n, p->items, (size_t)k * sizeof *l->rows);
	}
	l->n += k;
	free(p->items);
	memset(p, 0, sizeof *p);
}

static int
fetch(struct clist *l, const struct candidate *after, long long offset, size_t limit,
    struct cand_list *p)
{
	struct cand_page pg;

	memset(p, 0, sizeof *p);
	if (!console_db_ready(l->con))
		return -1;
	memset(&pg, 0, sizeof pg);
	pg.offset = after != NULL || offset < 0 ? 0 : (size_t)offset;
	pg.limit = limit;
	pg.after = after;
	if (candidates_list(l->con->db, &pg, p) < 0) {
		console_db_error(l->con, "loading the candidates");
		return -1;
	}
	console_stats_reload(l->con);
	return 0;
}

static void
keep_visible(struct clist *l)
{
	int pg = page_rows(l);

	if (l->n == 0) {
		l->cur = l->top = 0;
		return;
	}
	if (l->cur >= l->n)
		l->cur = l->n - 1;
	if (l->cur < 0)
		l->cur = 0;
	if (l->cur < l->top)
		l->top = l->cur;
	else if (l->cur >= l->top + pg)
		l->top = l->cur - pg + 1;
	if (l->top < 0)
		l->top = 0;
}

/* Rows from place offset on; false when nothing was read. */
static bool
load_at(struct clist *l, long long offset)
{
	struct cand_list p;

	if (offset < 0)
		offset = 0;
	if (fetch(l, NULL, offset, (size_t)(2 * page_rows(l)), &p) < 0)
		return false;
	rows_clear(l);
	l->top = l->cur = 0;
	l->base = offset;
	l->total = p.total;
	rows_take(l, &p, false);
	l->more_after = l->base + l->n < (long long)l->total;
	return true;
}

static void
trim(struct clist *l, bool front)
{
	int d = l->n - CL_WINDOW_MAX, i;

	if (d <= 0)
		return;
	if (front) {
		if (d > l->top)
			d = l->top;
		for (i = 0; i < d; i++)
			candidate_free(&l->rows[i]);
		memmove(l->rows, l->rows + d, (size_t)(l->n - d) * sizeof *l->rows);
		l->top -= d;
		l->cur -= d;
		l->base += d;
	} else {
		if (d > l->n - (l->top + page_rows(l)))
			d = l->n - (l->top + page_rows(l));
		if (d <= 0)
			return;
		for (i = l->n - d; i < l->n; i++)
			candidate_free(&l->rows[i]);
		l->more_after = true;
	}
	l->n -= d;
}

static bool
extend(struct clist *l, bool after)
{
	struct cand_list p;
	long long from;
	int pg = page_rows(l);

	if (after) {
		if (!l->more_after || l->n == 0)
			return false;
		if (fetch(l, &l->rows[l->n - 1], 0, (size_t)pg, &p) < 0)
			return false;
	} else {
		if (l->base <= 0)
			return false;
		from = l->base > pg ? l->base - pg : 0;
		if (fetch(l, NULL, from, (size_t)(l->base - from), &p) < 0)
			return false;
	}
	l->total = p.total;
	if (p.n == 0) {
		if (after)
			l->more_after = false;
		else
			l->base = 0;
		cand_list_free(&p);
		return false;
	}
	rows_take(l, &p, !after);
	if (after)
		l->more_after = l->base + l->n < (long long)l->total;
	trim(l, after);
	return true;
}

/* Re-read from the first visible row; the cursor stays on the same
 * candidate when it is still listed, else on the same screen row. */
static void
reload(struct clist *l)
{
	char *sel = NULL;
	long long from = l->base + l->top;
	int off = l->cur - l->top, i;

	l->stale = false;
	l->last_reload_ms = now_ms();
	console_dirty(l->con);
	if (l->n > 0)
		sel = xstrdup(l->rows[l->cur].key);
	if (!load_at(l, from)) {
		free(sel);
		return;
	}
	if (l->n == 0 && l->total > 0)
		load_at(l, (long long)l->total - page_rows(l));
	l->cur = -1;
	for (i = 0; sel != NULL && i < l->n; i++)
		if (strcmp(l->rows[i].key, sel) == 0)
			l->cur = i;
	if (l->cur < 0)
		l->cur = off;
	free(sel);
	keep_visible(l);
}

static void
move_by(struct clist *l, int delta, bool scroll_page)
{
	int steps = delta < 0 ? -delta : delta, moved = 0, pg = page_rows(l), top;

	while (moved < steps) {
		if (delta > 0) {
			if (l->cur + 1 >= l->n && !extend(l, true))
				break;
			l->cur++;
		} else {
			if (l->cur <= 0 && !extend(l, false))
				break;
			l->cur--;
		}
		moved++;
	}
	if (scroll_page && moved > 0) {
		top = l->top + (delta > 0 ? moved : -moved);
		if (top > l->n - pg)
			top = l->n - pg;
		if (top < 0)
			top = 0;
		l->top = top;
	}
	keep_visible(l);
}

void
cl_mark_stale(struct console *c)
{
	int i;

	for (i = 0; i < c->depth; i++)
		if (c->stack[i]->ops == &view_candidates_ops)
			((struct clist *)c->stack[i]->priv)->stale = true;
}

/* --- view ops ------------------------------------------------------------ */

static int
list_open(struct view *v, const void *arg)
{
	struct clist *l = xcalloc(1, sizeof *l);

	(void)arg;
	v->priv = l;
	l->con = v->con;
	l->last_reload_ms = now_ms();
	load_at(l, 0);
	return 0;
}

static void
list_close(struct view *v)
{
	struct clist *l = v->priv;

	rows_clear(l);
	free(l->rows);
	free(l);
}

static enum request
list_request(struct view *v, enum request req)
{
	struct clist *l = v->priv;
	struct candidate *c = l->n > 0 ? &l->rows[l->cur] : NULL;
	int pg = page_rows(l);
	long long inc;

	switch (req) {
	case REQ_MOVE_DOWN:
		move_by(l, 1, false);
		break;
	case REQ_MOVE_UP:
		move_by(l, -1, false);
		break;
	case REQ_PAGE_DOWN:
		move_by(l, pg, true);
		break;
	case REQ_PAGE_UP:
		move_by(l, -pg, true);
		break;
	case REQ_MOVE_FIRST:
		if (l->base > 0)
			load_at(l, 0);
		l->cur = l->top = 0;
		break;
	case REQ_MOVE_LAST:
		if (l->more_after)
			load_at(l, (long long)l->total - pg);
		l->cur = l->n - 1;
		keep_visible(l);
		break;
	case REQ_ENTER:
		if (c != NULL)
			console_push(l->con, &view_candidate_ops, c->key);
		else
			console_error(l->con, "no candidate selected");
		break;
	case REQ_REFRESH:
		if (console_db_ready(l->con))
			reload(l);
		break;
	case REQ_CANDIDATES:
		break;	/* already here */
	case REQ_ACCEPT:
		if (c == NULL) {
			console_error(l->con, "no candidate selected");
			break;
		}
		if (cv_accept(l->con, c->key, c->alerts, NULL, 0, &inc)) {
			reload(l);
			console_push(l->con, &view_incident_ops, &inc);
		}
		break;
	case REQ_DISMISS:
		if (c == NULL)
			console_error(l->con, "no candidate selected");
		else if (cv_dismiss(l->con, c->key))
			reload(l);
		break;
	default:
		return req;
	}
	return REQ_NONE;
}

static void
list_notify(struct view *v, const struct view_change *c)
{
	struct clist *l = v->priv;

	/* Open alerts (new, acknowledged) make and unmake candidates; an
	 * alert leaving them says so through the status it had. */
	if (!c->incidents && (c->statuses & ((1u << ST_NEW) | (1u << ST_ACKNOWLEDGED))) != 0)
		l->stale = true;
}

static bool
list_refresh(struct view *v)
{
	struct clist *l = v->priv;

	if (!l->stale)
		return false;
	if (now_ms() - l->last_reload_ms < CL_RELOAD_MS)
		return true;
	if (l->con->db_lost)
		return false;
	reload(l);
	return false;
}

static void
list_position(struct view *v, char *buf, size_t len)
{
	struct clist *l = v->priv;

	if (l->n == 0)
		snprintf(buf, len, "no candidates");
	else
		layout_position(buf, len, l->base + l->cur + 1, (long long)l->total, true);
}

static void
list_summary(struct view *v, struct strbuf *left, struct strbuf *right)
{
	struct clist *l = v->priv;

	strbuf_appendf(left, "candidates: open alerts in no incident, grouped");
	strbuf_appendf(right, "%zu candidate%s", l->total, l->total == 1 ? "" : "s");
}

const struct view_ops view_candidates_ops = {
	.name = "candidates",
	.scope = KS_QUEUE,
	.open = list_open,
	.close = list_close,
	.draw = cl_draw,
	.request = list_request,
	.notify = list_notify,
	.reload = list_refresh,
	.position = list_position,
	.summary = list_summary,
	.hints = list_hints,
};
