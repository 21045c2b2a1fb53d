/* view_audit.c: the audit log in the console, newest first, and one record
 * in full.
 *
 * The list holds a bounded window of records, paged by seq in both
 * directions (auditlog_list), so scrolling through a million records keeps
 * a few hundred in memory.  `/` filters with the same terms as `vsoc audit
 * list` (actor= action= alert= incident= since=); from an alert's detail
 * the log opens filtered to that alert. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "auditlog.h"
#include "console.h"
#include "display.h"
#include "format.h"
#include "pager.h"
#include "sanitize.h"
#include "strbuf.h"
#include "theme.h"

#define AUDIT_PAGE	100	/* records per fetch */
#define AUDIT_KEEP	600	/* records held at most */

struct audit_view {
	struct console		*con;
	struct audit_query	 q;
	struct audit_record	*rows;
	int			 n;
	int			 sel, top;
	bool			 more_newer;	/* records above rows[0] were dropped */
	bool			 more_older;	/* the last fetch downwards was full */
	bool			 stale;
};

static const struct view_hint audit_hints[] = {
	{ REQ_ENTER, "open" },
	{ REQ_FILTER, "filter" },
	{ REQ_BACK, "back" },
	{ REQ_REFRESH, "reload" },
	{ REQ_HELP, "help" },
	{ REQ_NONE, NULL }
};

/* --- the window of records ------------------------------------------------- */

static int
fetch(struct audit_view *a, long long before, long long after, struct audit_record **out)
{
	struct audit_filter f = a->q.f;
	int n;

	f.before_seq = before;
	f.after_seq = after;
	f.oldest_first = after > 0;
	f.limit = AUDIT_PAGE;
	n = auditlog_list(a->con->db, &f, out);
	if (n < 0)
		console_db_error(a->con, "reading the audit log");
	return n;
}

static void
window_drop(struct audit_view *a)
{
	auditlog_free(a->rows, a->n);
	a->rows = NULL;
	a->n = a->sel = a->top = 0;
	a->more_newer = a->more_older = false;
}

/* From the head (the newest record). */
static int
load_head(struct audit_view *a)
{
	struct audit_record *r;
	int n;

	if (!console_db_ready(a->con) || (n = fetch(a, 0, 0, &r)) < 0)
		return -1;
	window_drop(a);
	a->rows = r;
	a->n = n;
	a->more_older = n == AUDIT_PAGE;
	a->stale = false;
	return 0;
}

static void
append(struct audit_view *a, struct audit_record *r, int n, bool at_end)
{
	a->rows = xrealloc(a->rows, (size_t)(a->n + n) * sizeof *a->rows);
	if (at_end) {
		memcpy(a->rows + a->n, r, (size_t)n * sizeof *r);
	} else {
		memmove(a->rows + n, a->rows, (size_t)a->n * sizeof *a->rows);
		memcpy(a->rows, r, (size_t)n * sizeof *r);
		a->sel += n;
		a->top += n;
	}
	a->n += n;
	free(r);	/* the strings moved into the window */
}

/* Keep memory bounded: drop the far end of the window. */
static void
trim(struct audit_view *a, bool keep_end)
{
	int drop = a->n - AUDIT_KEEP, i;

	if (drop <= 0)
		return;
	if (keep_end) {
		for (i = 0; i < drop; i++)
			auditlog_record_clear(&a->rows[i]);
		memmove(a->rows, a->rows + drop, (size_t)(a->n - drop) * sizeof *a->rows);
		a->sel -= drop;
		a->top -= drop;
		a->more_newer = true;
	} else {
		for (i = a->n - drop; i < a->n; i++)
			auditlog_record_clear(&a->rows[i]);
		a->more_older = true;
	}
	a->n -= drop;
}

static void
older(struct audit_view *a)
{
	struct audit_record *r;
	int n;

	if (!a->more_older || a->n == 0)
		return;
	if ((n = fetch(a, a->rows[a->n - 1].seq, 0, &r)) < 0)
		return;
	a->more_older = n == AUDIT_PAGE;
	append(a, r, n, true);
	trim(a, true);
}

static void
newer(struct audit_view *a)
{
	struct audit_record *r, tmp;
	int n, i;

	if (!a->more_newer || a->n == 0)
		return;
	if ((n = fetch(a, 0, a->rows[0].seq, &r)) < 0)
		return;
	a->more_newer = n == AUDIT_PAGE;
	/* Fetched oldest first: newest first for the window. */
	for (i = 0; i < n / 2; i++) {
		tmp = r[i];
		r[i] = r[n - 1 - i];
		r[n - 1 - i] = tmp;
	}
	append(a, r, n, false);
	trim(a, false);
}

/* --- the view ---------------------------------------------------------------- */

static int
audit_open(struct view *v, const void *arg)
{
	struct audit_view *a = xcalloc(1, sizeof *a);
	char err[256];

	a->con = v->con;
	if (arg != NULL && auditlog_query_parse(&a->q, arg, time(NULL), err, sizeof err) < 0) {
		console_error(v->con, "%s", err);
		free(a);
		return -1;
	}
	if (load_head(a) < 0) {
		free(a);
		return -1;
	}
	v->priv = a;
	return 0;
}

static void
audit_close(struct view *v)
{
	struct audit_view *a = v->priv;

	window_drop(a);
	free(a);
}

static void
draw_row(WINDOW *w, int y, int width, const struct audit_record *r, bool sel,
    time_t now)
{
	char seq[24], when[32], obj[64];
	attr_t attr = theme_attr(sel ? ROLE_SELECTED : ROLE_NORMAL);
	int x = 0;

	snprintf(seq, sizeof seq, "%lld", r->seq);
	format_age(when, sizeof when, now, r->at);
	if (r->object_id)
		snprintf(obj, sizeof obj, "%s %lld", r->object_kind, r->object_id);
	else
		snprintf(obj, sizeof obj, "%s", r->object_kind);
	display_fill(w, y, 0, width, attr);
	x += display_put_right(w, y, x, 8, seq, attr) + 1;
	x += display_put(w, y, x, 5, when, attr, true) + 1;
	x += display_untrusted(w, y, x, 10, r->actor, attr, true) + 1;
	x += display_untrusted(w, y, x, 18, r->action,
	    strcmp(r->action, "permission.denied") == 0 && !sel ?
	    theme_attr(ROLE_ERROR) : attr, true) + 1;
	if (width - x > 40)
		x += display_untrusted(w, y, x, 14, obj, attr, true) + 1;
	if (width - x > 4)
		display_untrusted(w, y, x, width - x, r->details, sel ? attr :
		    theme_attr(ROLE_DIM), false);
}

static void
audit_draw(struct view *v, WINDOW *w, int h, int width)
{
	struct audit_view *a = v->priv;
	struct strbuf title;
	time_t now = time(NULL);
	int i, rows = h - 1;

	strbuf_init(&title);
	auditlog_query_format(&a->q, &title);
	display_fill(w, 0, 0, width, theme_attr(ROLE_COLUMNS));
	display_put(w, 0, 0, width, "     SEQ AGE   ACTOR      ACTION", theme_attr(ROLE_COLUMNS),
	    false);
	if (title.len > 0 && width > 50) {
		struct strbuf t;

		strbuf_init(&t);
		strbuf_appendf(&t, "audit: %s ", title.buf);
		display_untrusted(w, 0, 35, width - 35, t.buf, theme_attr(ROLE_COLUMNS), false);
		strbuf_free(&t);
	}
	strbuf_free(&title);
	if (a->n == 0) {
		display_put(w, 1, 2, width - 2, "no audit records match",
		    theme_attr(ROLE_DIM), false);
		return;
	}
	if (a->sel < a->top)
		a->top = a->sel;
	if (a->sel >= a->top + rows)
		a->top = a->sel - rows + 1;
	for (i = 0; i < rows && a->top + i < a->n; i++)
		draw_row(w, 1 + i, width, &a->rows[a->top + i], a->top + i == a->sel, now);
}

static void
move_sel(struct audit_view *a, int delta)
{
	int want = a->sel + delta;

	while (want >= a->n && a->more_older) {
		int before = a->n;
		older(a);
		want = a->sel + delta;
		if (a->n == before)
			break;
	}
	while (want < 0 && a->more_newer) {
		int before = a->n;
		newer(a);
		want = a->sel + delta;
		if (a->n == before)
			break;
	}
	if (want >= a->n)
		want = a->n - 1;
	if (want < 0)
		want = 0;
	a->sel = want;
}

static void
filter_prompt(struct view *v)
{
	struct audit_view *a = v->priv;
	struct prompt_spec spec;
	struct audit_query q;
	struct strbuf cur;
	char line[PROMPT_MAX], err[256];

	strbuf_init(&cur);
	auditlog_query_format(&a->q, &cur);
	memset(&spec, 0, sizeof spec);
	spec.label = "audit filter: ";
	spec.initial = cur.buf;
	spec.hist = &v->con->hist_filter;
	if (console_prompt(v->con, &spec, line, sizeof line)) {
		if (auditlog_query_parse(&q, line, time(NULL), err, sizeof err) < 0) {
			console_error(v->con, "%s (filter unchanged)", err);
		} else {
			/* Strings point into q: fix them up for their new home. */
			a->q = q;
			if (a->q.f.actor != NULL)
				a->q.f.actor = a->q.actor;
			if (a->q.f.action != NULL)
				a->q.f.action = a->q.action;
			load_head(a);
		}
	}
	strbuf_free(&cur);
}

static enum request
audit_request(struct view *v, enum request req)
{
	struct audit_view *a = v->priv;
	int page = v->h > 2 ? v->h - 2 : 1;

	switch (req) {
	case REQ_MOVE_DOWN:
		move_sel(a, 1);
		break;
	case REQ_MOVE_UP:
		move_sel(a, -1);
		break;
	case REQ_PAGE_DOWN:
		move_sel(a, page);
		break;
	case REQ_PAGE_UP:
		move_sel(a, -page);
		break;
	case REQ_MOVE_FIRST:
	case REQ_REFRESH:
		load_head(a);
		break;
	case REQ_MOVE_LAST:
		while (a->more_older && a->n > 0) {
			int before = a->n;
			older(a);
			if (a->n == before)
				break;
		}
		a->sel = a->n > 0 ? a->n - 1 : 0;
		break;
	case REQ_FILTER:
		filter_prompt(v);
		break;
	case REQ_ENTER:
		if (a->n > 0)
			console_push(v->con, &view_audit_record_ops, &a->rows[a->sel]);
		break;
	case REQ_AUDIT:
		break;
	default:
		return req;
	}
	return REQ_NONE;
}

static void
audit_notify(struct view *v, const struct view_change *c)
{
	struct audit_view *a = v->priv;

	/* Every change to alerts comes with a record: reload when shown. */
	a->stale = true;
}

static bool
audit_reload(struct view *v)
{
	struct audit_view *a = v->priv;

	/* Only while the analyst looks at the newest records: further down,
	 * a reload would pull the rows from under the cursor. */
	if (a->stale && a->sel == 0 && !a->more_newer) {
		load_head(a);
		console_dirty(v->con);	/* notices no longer repaint by themselves */
	}
	a->stale = false;
	return false;
}

static void
audit_position(struct view *v, char *buf, size_t len)
{
	struct audit_view *a = v->priv;

	if (a->n == 0)
		snprintf(buf, len, "no records");
	else
		snprintf(buf, len, "seq %lld%s", a->rows[a->sel].seq,
		    a->more_older ? "" : a->sel == a->n - 1 ? " (first)" : "");
}

const struct view_ops view_audit_ops = {
	.name = "audit",
	.scope = KS_LIST,
	.open = audit_open,
	.close = audit_close,
	.draw = audit_draw,
	.request = audit_request,
	.notify = audit_notify,
	.reload = audit_reload,
	.position = audit_position,
	.hints = audit_hints,
};

/* --- one record -------------------------------------------------------------- */

struct audit_one {
	struct audit_record	 r;
	struct pager		 pg;
};

static const struct view_hint record_hints[] = {
	{ REQ_BACK, "back" },
	{ REQ_PAGE_DOWN, "page" },
	{ REQ_HELP, "help" },
	{ REQ_NONE, NULL }
};

static int
record_open(struct view *v, const void *arg)
{
	const struct audit_record *src = arg;
	struct audit_one *o = xcalloc(1, sizeof *o);

	auditlog_record_copy(&o->r, src);
	pager_init(&o->pg, 0, 12);
	v->priv = o;
	return 0;
}

static void
record_close(struct view *v)
{
	struct audit_one *o = v->priv;

	auditlog_record_clear(&o->r);
	pager_free(&o->pg);
	free(o);
}

static void
record_build(struct audit_one *o, int width)
{
	struct pager *p = &o->pg;
	json_t *j;
	char *pretty;
	char buf[64];

	pager_clear(p, width);
	snprintf(buf, sizeof buf, "Audit record %lld", o->r.seq);
	pager_text(p, ROLE_SECTION, buf);
	pager_field_time(p, "When", o->r.at);
	pager_field(p, "Actor", o->r.actor);
	pager_field(p, "Action", o->r.action);
	if (o->r.object_id)
		snprintf(buf, sizeof buf, "%lld", o->r.object_id);
	pager_field(p, "Object", o->r.object_kind);
	if (o->r.object_id)
		pager_field(p, "Object id", buf);
	pager_field(p, "Alerts", o->r.alert_ids);
	pager_field(p, "Hash", o->r.hash);
	pager_field(p, "Previous", o->r.prev_hash);
	pager_section(p, "Details");
	j = o->r.details ? json_loads(o->r.details, JSON_DECODE_ANY, NULL) : NULL;
	pretty = j ? json_dumps(j, JSON_INDENT(2) | JSON_ENCODE_ANY) : NULL;
	pager_untrusted(p, ROLE_NORMAL, pretty ? pretty : o->r.details ? o->r.details : "{}", 2);
	free(pretty);
	json_decref(j);
}

static void
record_draw(struct view *v, WINDOW *w, int h, int width)
{
	struct audit_one *o = v->priv;

	if (o->pg.width != width)
		record_build(o, width);
	pager_draw(&o->pg, w, h, width);
}

static enum request
record_request(struct view *v, enum request req)
{
	struct audit_one *o = v->priv;

	return pager_request(&o->pg, req, v->h);
}

static void
record_position(struct view *v, char *buf, size_t len)
{
	struct audit_one *o = v->priv;

	pager_position(&o->pg, v->h, buf, len);
}

const struct view_ops view_audit_record_ops = {
	.name = "audit record",
	.scope = KS_DETAIL,
	.open = record_open,
	.close = record_close,
	.draw = record_draw,
	.request = record_request,
	.position = record_position,
	.hints = record_hints,
};
