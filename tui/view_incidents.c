/* view_incidents.c: the incident list, a bounded window over keyset pages
 * (core/incident_page.h), as the alert queue is (view_queue.c): moving
 * past an edge fetches one page after (or before) the edge row, live
 * updates re-fetch from the first visible row with the cursor kept on the
 * same incident, and marks survive reloads. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "action.h"
#include "action_incident.h"
#include "console.h"
#include "display.h"
#include "format.h"
#include "incident_status.h"
#include "layout.h"
#include "model.h"
#include "sanitize.h"
#include "strbuf.h"
#include "theme.h"
#include "view_incidents_int.h"

static const struct view_hint list_hints[] = {
	{ REQ_HELP, "help" },
	{ REQ_ENTER, "open" },
	{ REQ_STATUS, "status" },
	{ REQ_TAKE, "take" },
	{ REQ_MARK, "mark" },
	{ REQ_FILTER, "filter" },
	{ REQ_BACK, "back" },
	{ REQ_NONE, NULL }
};

/* `v` cycles through these. */
static const enum incident_list_view view_cycle[] = {
	ILV_OPEN, ILV_MINE, ILV_UNOWNED, ILV_CLOSED, ILV_ALL, ILV_BREACHING
};

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int
page_rows(const struct ilist *l)
{
	int p = console_body_rows(l->con) - 1;	/* the column header */

	return p < 1 ? 1 : p;
}

static int
window_cap(const struct ilist *l)
{
	int c = IL_WINDOW_SCREENS * page_rows(l);

	return c < 30 ? 30 : c;
}

/* --- the window -------------------------------------------------------- */

static void
rows_clear(struct ilist *l)
{
	int i;

	for (i = 0; i < l->n; i++)
		incident_row_free(&l->rows[i]);
	l->n = 0;
}

static void
rows_reserve(struct ilist *l, int need)
{
	if (need <= l->cap)
		return;
	l->cap = need + 16;
	l->rows = xrealloc(l->rows, (size_t)l->cap * sizeof *l->rows);
}

static void
rows_append(struct ilist *l, const struct incident_page *p)
{
	int i;

	rows_reserve(l, l->n + p->n);
	for (i = 0; i < p->n; i++)
		incident_row_copy(&l->rows[l->n++], &p->rows[i]);
}

static void
rows_prepend(struct ilist *l, const struct incident_page *p)
{
	int i;

	rows_reserve(l, l->n + p->n);
	memmove(l->rows + p->n, l->rows, (size_t)l->n * sizeof *l->rows);
	for (i = 0; i < p->n; i++)
		incident_row_copy(&l->rows[i], &p->rows[i]);
	l->n += p->n;
	l->top += p->n;
	l->cur += p->n;
}

static void
set_top(struct ilist *l, int top)
{
	if (l->top_abs >= 0)
		l->top_abs += top - l->top;
	l->top = top;
}

static void
trim_front(struct ilist *l)
{
	int d = l->n - window_cap(l), i;

	if (d > l->top)
		d = l->top;
	if (d <= 0)
		return;
	for (i = 0; i < d; i++)
		incident_row_free(&l->rows[i]);
	memmove(l->rows, l->rows + d, (size_t)(l->n - d) * sizeof *l->rows);
	l->n -= d;
	l->top -= d;
	l->cur -= d;
	l->more_before = true;
}

static void
trim_back(struct ilist *l)
{
	int d = l->n - window_cap(l), keep = l->top + page_rows(l), i;

	if (d > l->n - keep)
		d = l->n - keep;
	if (d <= 0)
		return;
	for (i = l->n - d; i < l->n; i++)
		incident_row_free(&l->rows[i]);
	l->n -= d;
	l->more_after = true;
}

static int
fetch(struct ilist *l, const struct incident_row *cursor, enum queue_dir dir,
    int limit, struct incident_page *p)
{
	memset(p, 0, sizeof *p);
	if (!console_db_ready(l->con))
		return -1;
	if (incident_page_fetch(l->con->db, &l->q, cursor, dir, limit, p) < 0) {
		console_db_error(l->con, "loading the incidents");
		return -1;
	}
	return 0;
}

static void
keep_visible(struct ilist *l)
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
		set_top(l, l->cur);
	else if (l->cur >= l->top + pg)
		set_top(l, l->cur - pg + 1);
}

static void
count_rows(struct ilist *l)
{
	long long n;

	if (l->con->db_lost)
		return;
	if (!l->more_before && !l->more_after) {
		l->total = l->n;
		l->exact = true;
		return;
	}
	if ((n = incident_page_count(l->con->db, &l->q, IL_COUNT_CAP)) < 0) {
		console_db_error(l->con, "counting the incidents");
		return;
	}
	l->total = n;
	l->exact = n < IL_COUNT_CAP;
}

/* Marked incidents take what the reloaded rows say about them. */
static void
marks_follow_rows(struct ilist *l)
{
	int i, k;

	for (k = 0; k < l->nmarks; k++)
		for (i = 0; i < l->n; i++)
			if (l->rows[i].id == l->marks[k].id) {
				incident_row_free(&l->marks[k]);
				incident_row_copy(&l->marks[k], &l->rows[i]);
			}
}

static void
load_first(struct ilist *l)
{
	struct incident_page p;

	if (fetch(l, NULL, QD_AFTER, 2 * page_rows(l), &p) < 0)
		return;
	rows_clear(l);
	rows_append(l, &p);
	l->more_before = false;
	l->more_after = p.more;
	l->top = l->cur = 0;
	l->top_abs = 0;
	incident_page_free(&p);
	marks_follow_rows(l);
}

static void
load_last(struct ilist *l)
{
	struct incident_page p;
	int pg = page_rows(l);

	if (fetch(l, NULL, QD_BEFORE, 2 * pg, &p) < 0)
		return;
	rows_clear(l);
	rows_append(l, &p);
	l->more_before = p.more;
	l->more_after = false;
	l->cur = l->n - 1;
	l->top = l->n > pg ? l->n - pg : 0;
	l->top_abs = !l->more_before ? l->top : l->exact ? l->total - l->n + l->top : -1;
	incident_page_free(&p);
	marks_follow_rows(l);
}

static bool
extend(struct ilist *l, bool after)
{
	struct incident_page p;

	if ((after ? !l->more_after : !l->more_before) || l->n == 0)
		return false;
	if (fetch(l, after ? &l->rows[l->n - 1] : &l->rows[0],
	    after ? QD_AFTER : QD_BEFORE, page_rows(l), &p) < 0)
		return false;
	if (p.n == 0) {
		if (after)
			l->more_after = false;
		else
			l->more_before = false;
		incident_page_free(&p);
		return false;
	}
	if (after) {
		rows_append(l, &p);
		l->more_after = p.more;
		trim_front(l);
	} else {
		rows_prepend(l, &p);
		l->more_before = p.more;
		trim_back(l);
	}
	incident_page_free(&p);
	return true;
}

/* Re-fetch from the first visible row; the cursor stays on the same
 * incident when it is still listed, else on the same screen row. */
static void
reload(struct ilist *l)
{
	struct incident_page p;
	struct incident_row anchor;
	long long sel, before;
	int off, i, pg = page_rows(l);

	l->stale = false;
	l->last_reload_ms = now_ms();
	console_dirty(l->con);
	if (l->n == 0) {
		load_first(l);
		count_rows(l);
		return;
	}
	incident_row_copy(&anchor, &l->rows[l->top]);
	sel = l->rows[l->cur].id;
	off = l->cur - l->top;
	if (fetch(l, &anchor, QD_FROM, 2 * pg, &p) < 0) {
		incident_row_free(&anchor);
		return;
	}
	before = incident_page_count_before(l->con->db, &l->q, &anchor, IL_COUNT_CAP);
	incident_row_free(&anchor);
	rows_clear(l);
	rows_append(l, &p);
	l->more_after = p.more;
	incident_page_free(&p);
	l->top = 0;
	if (before < 0) {
		console_db_error(l->con, "counting the incidents");
		before = 0;
		l->top_abs = -1;
	} else {
		l->top_abs = before < IL_COUNT_CAP ? before : -1;
	}
	l->more_before = before > 0;
	if (l->n == 0 && l->more_before) {
		count_rows(l);
		load_last(l);
		return;
	}
	l->cur = -1;
	for (i = 0; i < l->n; i++)
		if (l->rows[i].id == sel)
			l->cur = i;
	if (l->cur < 0)
		l->cur = off;
	while (l->n - l->top < pg && l->more_before && l->top == 0) {
		if (!extend(l, false))
			break;
		set_top(l, l->n > pg ? l->n - pg : 0);
	}
	keep_visible(l);
	marks_follow_rows(l);
	count_rows(l);
}

void
il_reload_from_start(struct ilist *l)
{
	load_first(l);
	count_rows(l);
	console_dirty(l->con);
}

static void
move_by(struct ilist *l, int delta, bool scroll_page)
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
		set_top(l, top);
	}
	keep_visible(l);
}

/* --- marks --------------------------------------------------------------- */

int
il_mark_find(const struct ilist *l, long long id)
{
	int k;

	for (k = 0; k < l->nmarks; k++)
		if (l->marks[k].id == id)
			return k;
	return -1;
}

static void
marks_clear(struct ilist *l)
{
	int k;

	for (k = 0; k < l->nmarks; k++)
		incident_row_free(&l->marks[k]);
	l->nmarks = 0;
}

static bool
mark_add(struct ilist *l, const struct incident_row *r)
{
	if (il_mark_find(l, r->id) >= 0)
		return true;
	if (l->nmarks >= IL_MARK_CAP)
		return false;
	if (l->marks == NULL)
		l->marks = xcalloc(IL_MARK_CAP, sizeof *l->marks);
	incident_row_copy(&l->marks[l->nmarks++], r);
	return true;
}

static void
mark_toggle(struct ilist *l)
{
	int k;

	if (l->n == 0)
		return;
	if ((k = il_mark_find(l, l->rows[l->cur].id)) >= 0) {
		incident_row_free(&l->marks[k]);
		l->marks[k] = l->marks[--l->nmarks];
		memset(&l->marks[l->nmarks], 0, sizeof l->marks[0]);
	} else if (!mark_add(l, &l->rows[l->cur])) {
		console_error(l->con, "at most %d marks", IL_MARK_CAP);
	}
	move_by(l, 1, false);
}

/* Every incident the list shows, up to the cap, a page at a time. */
static void
mark_all(struct ilist *l)
{
	struct incident_page p;
	struct incident_row last;
	bool have_last = false, more = true, full = false;
	int i;

	memset(&last, 0, sizeof last);
	while (more && !full) {
		if (fetch(l, have_last ? &last : NULL, QD_AFTER, 200, &p) < 0)
			break;
		for (i = 0; i < p.n && !full; i++)
			full = !mark_add(l, &p.rows[i]);
		more = p.more && p.n > 0;
		if (p.n > 0) {
			incident_row_free(&last);
			incident_row_copy(&last, &p.rows[p.n - 1]);
			have_last = true;
		}
		incident_page_free(&p);
	}
	incident_row_free(&last);
	if (full)
		console_error(l->con, "marked the first %d incidents (the cap); narrow "
		    "the filter to act on the rest", IL_MARK_CAP);
	else
		console_message(l->con, "%d incidents marked", l->nmarks);
}

/* --- actions ------------------------------------------------------------- */

static void
target_of(struct incident_target *t, const struct incident_row *r)
{
	t->id = r->id;
	t->version = r->version;
	t->status = incident_status_parse(r->status);
	t->open_alerts = r->open_alerts;
	t->title = r->title;
}

static void
list_action(struct view *v, enum request req, const struct action_args *args)
{
	struct ilist *l = v->priv;
	struct incident_target *t;
	size_t n, i;
	int rc;

	if (!action_incident_handles(req)) {
		console_error(l->con, "%s acts on alerts: open an incident (Enter) "
		    "or go back to the queue", request_name(req));
		return;
	}
	n = l->nmarks > 0 ? (size_t)l->nmarks : l->n > 0 ? 1 : 0;
	if (n == 0) {
		console_error(l->con, "no incident selected");
		return;
	}
	t = xcalloc(n, sizeof *t);
	for (i = 0; i < n; i++)
		target_of(&t[i], l->nmarks > 0 ? &l->marks[i] : &l->rows[l->cur]);
	rc = action_incident_run(l->con, req, t, n, args);
	free(t);
	if (rc < 0)
		return;
	if (rc == (int)n && l->nmarks > 0)
		marks_clear(l);
	reload(l);
}

/* --- view ops ------------------------------------------------------------ */

static int
list_open(struct view *v, const void *arg)
{
	struct ilist *l = xcalloc(1, sizeof *l);

	(void)arg;
	v->priv = l;
	l->con = v->con;
	incident_list_query_init(&l->q);
	l->q.me = l->con->me->id;
	il_reload_from_start(l);
	return 0;
}

static void
list_close(struct view *v)
{
	struct ilist *l = v->priv;

	rows_clear(l);
	free(l->rows);
	marks_clear(l);
	free(l->marks);
	free(l);
}

static enum request
list_request(struct view *v, enum request req)
{
	struct ilist *l = v->priv;
	int pg = page_rows(l);
	size_t i;

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
		if (l->more_before || l->top_abs != 0)
			load_first(l);
		l->cur = 0;
		set_top(l, 0);
		break;
	case REQ_MOVE_LAST:
		if (l->more_after)
			load_last(l);
		l->cur = l->n - 1;
		keep_visible(l);
		break;
	case REQ_ENTER:
		if (l->n > 0)
			console_push(l->con, &view_incident_ops, &l->rows[l->cur].id);
		break;
	case REQ_REFRESH:
		if (console_db_ready(l->con))
			reload(l);
		break;
	case REQ_INCIDENTS:
		break;	/* already here */
	case REQ_FILTER:
		il_filter_interactive(l);
		break;
	case REQ_MARK:
		mark_toggle(l);
		break;
	case REQ_MARK_ALL:
		mark_all(l);
		break;
	case REQ_UNMARK_ALL:
		console_message(l->con, "unmarked %d incidents", l->nmarks);
		marks_clear(l);
		break;
	case REQ_VIEW_NEXT:
		for (i = 0; i < sizeof view_cycle / sizeof view_cycle[0]; i++)
			if (view_cycle[i] == l->q.view)
				break;
		i = (i + 1) % (sizeof view_cycle / sizeof view_cycle[0]);
		il_apply_view(l, view_cycle[i]);
		break;
	case REQ_VIEW_OPEN:
		il_apply_view(l, ILV_OPEN);
		break;
	case REQ_VIEW_MINE:
		il_apply_view(l, ILV_MINE);
		break;
	case REQ_VIEW_UNASSIGNED:
		il_apply_view(l, ILV_UNOWNED);
		break;
	case REQ_VIEW_ESCALATED:
		console_error(l->con, "incidents have no escalated view: 1 open, "
		    "2 mine, 3 unowned, 5 closed, 6 all, 7 breaching");
		break;
	case REQ_VIEW_CLOSED:
		il_apply_view(l, ILV_CLOSED);
		break;
	case REQ_VIEW_ALL:
		il_apply_view(l, ILV_ALL);
		break;
	case REQ_VIEW_BREACHING:
		il_apply_view(l, ILV_BREACHING);
		break;
	case REQ_SORT_NEXT:
		if (l->q.view == ILV_BREACHING) {
			/* Its order is what the view is for; < still reverses it. */
			console_error(l->con, "the breaching view is sorted by deadline");
			break;
		}
		l->q.sort = (enum incident_list_sort)((l->q.sort + 1) % ILS__COUNT);
		l->q.reverse = false;
		il_reload_from_start(l);
		console_message(l->con, "sorted by %s", incident_list_sort_name(l->q.sort));
		break;
	case REQ_SORT_REVERSE:
		l->q.reverse = !l->q.reverse;
		il_reload_from_start(l);
		console_message(l->con, "sorted by %s%s", incident_list_query_sort_name(&l->q),
		    l->q.reverse ? ", reversed" : "");
		break;
	default:
		if (action_incident_handles(req)) {
			list_action(v, req, NULL);
			break;
		}
		return req;
	}
	return REQ_NONE;
}

static void
list_notify(struct view *v, const struct view_change *c)
{
	struct ilist *l = v->priv;

	/* Incidents changed, or alerts that may be in one (every status but
	 * new): the counts in the list may have moved. */
	if (c->incidents || (c->statuses & ~(1u << ST_NEW)) != 0)
		l->stale = true;
}

static bool
list_refresh(struct view *v)
{
	struct ilist *l = v->priv;

	if (!l->stale)
		return false;
	if (now_ms() - l->last_reload_ms < IL_RELOAD_MS)
		return true;
	if (l->con->db_lost)
		return false;
	reload(l);
	return false;
}

static void
list_position(struct view *v, char *buf, size_t len)
{
	struct ilist *l = v->priv;
	long long row = l->top_abs >= 0 ? l->top_abs + (l->cur - l->top) + 1 : -1;

	if (l->n == 0)
		snprintf(buf, len, "no incidents");
	else if (row < 0)
		snprintf(buf, len, "row ? of %lld%s", l->total, l->exact ? "" : "+");
	else
		layout_position(buf, len, row, l->total < row ? row : l->total,
		    l->exact || l->total < row);
}

const struct view_ops view_incidents_ops = {
	.name = "incidents",
	.scope = KS_QUEUE,
	.open = list_open,
	.close = list_close,
	.draw = il_draw,
	.request = list_request,
	.notify = list_notify,
	.reload = list_refresh,
	.action = list_action,
	.position = list_position,
	.summary = il_summary,
	.commands = il_commands,
	.hints = list_hints,
};
