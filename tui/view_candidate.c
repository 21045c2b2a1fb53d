/* view_candidate.c: one incident candidate and its alerts.
 *
 * Three lines say what the candidate is (its reason, key, counts, window,
 * first and last seen), then its alerts as a selectable list: Enter opens
 * an alert's detail, Space marks it out (a split: it stays in the queue
 * when the rest is accepted), E accepts the candidate less the marked
 * alerts and lands in the new incident, D dismisses it for a while.  Live
 * alert changes re-read it (coalesced as the lists do); marks on alerts
 * that left it are dropped.  Titles and assets are untrusted: sanitized. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "console.h"
#include "display.h"
#include "format.h"
#include "model.h"
#include "sanitize.h"
#include "strbuf.h"
#include "theme.h"
#include "view_candidates_int.h"

#define CV_HEAD		3	/* lines above the column header */

struct cview {
	struct console		*con;
	char			 key[CAND_KEY_MAX + 1];
	struct candidate	 cand;
	bool			 have;		/* false: the candidate is gone */
	struct cand_alert	*alerts;
	long			 n;
	long long		*out;		/* marked out (split) */
	size_t			 nout;
	int			 top, cur;
	bool			 stale;
	long long		 last_reload_ms;
};

static const struct view_hint cand_hints[] = {
	{ REQ_ENTER, "open" },
	{ REQ_MARK, "mark out" },
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
list_rows(const struct cview *cv)
{
	int p = console_body_rows(cv->con) - CV_HEAD - 1;

	return p < 1 ? 1 : p;
}

static long
out_find(const struct cview *cv, long long id)
{
	size_t i;

	for (i = 0; i < cv->nout; i++)
		if (cv->out[i] == id)
			return (long)i;
	return -1;
}

static void
keep_visible(struct cview *cv)
{
	int pg = list_rows(cv);

	if (cv->cur >= cv->n)
		cv->cur = (int)cv->n - 1;
	if (cv->cur < 0)
		cv->cur = 0;
	if (cv->cur < cv->top)
		cv->top = cv->cur;
	else if (cv->cur >= cv->top + pg)
		cv->top = cv->cur - pg + 1;
	if (cv->top < 0)
		cv->top = 0;
}

/* Read the candidate and its alerts; the cursor stays on the same alert. */
static int
load(struct cview *cv)
{
	struct cand_alert *a = NULL;
	long long sel = cv->n > 0 ? cv->alerts[cv->cur].id : 0;
	long n, i;
	size_t k, kept;
	int rc;

	cv->stale = false;
	cv->last_reload_ms = now_ms();
	console_dirty(cv->con);
	if (!console_db_ready(cv->con))
		return -1;
	candidate_free(&cv->cand);
	rc = candidates_get(cv->con->db, cv->key, 0, &cv->cand);
	if (rc < 0) {
		console_db_error(cv->con, "loading the candidate");
		return -1;
	}
	cv->have = rc == 0;
	n = cv->have ? candidates_alerts(cv->con->db, cv->key, CAND_ACCEPT_MAX, &a) : 0;
	if (n < 0) {
		console_db_error(cv->con, "loading the candidate's alerts");
		return -1;
	}
	console_stats_reload(cv->con);
	cand_alerts_free(cv->alerts, cv->n);
	cv->alerts = cv->have ? a : NULL;
	cv->n = n;
	/* Marks on alerts that left the candidate go with them. */
	for (k = kept = 0; k < cv->nout; k++) {
		for (i = 0; i < n && cv->alerts[i].id != cv->out[k]; i++)
			;
		if (i < n)
			cv->out[kept++] = cv->out[k];
	}
	cv->nout = kept;
	for (i = 0; i < n; i++)
		if (cv->alerts[i].id == sel)
			cv->cur = (int)i;
	keep_visible(cv);
	return 0;
}

static void
mark_toggle(struct cview *cv)
{
	long k;

	if (cv->n == 0)
		return;
	if ((k = out_find(cv, cv->alerts[cv->cur].id)) >= 0) {
		cv->out[k] = cv->out[--cv->nout];
	} else {
		if (cv->out == NULL)
			cv->out = xcalloc(CAND_ACCEPT_MAX, sizeof *cv->out);
		if (cv->nout < CAND_ACCEPT_MAX)
			cv->out[cv->nout++] = cv->alerts[cv->cur].id;
	}
	if (cv->cur + 1 < cv->n)
		cv->cur++;
	keep_visible(cv);
}

/* --- drawing ------------------------------------------------------------- */

/* "12-02 08:05" in UTC; "-" for never. */
static void
short_time(char *buf, size_t len, time_t t)
{
	struct tm tm;

	if (t == 0 || gmtime_r(&t, &tm) == NULL || strftime(buf, len, "%m-%d %H:%M", &tm) == 0)
		snprintf(buf, len, "-");
}

static void
draw_head(struct cview *cv, WINDOW *w, int width)
{
	struct strbuf sb;
	char first[32], last[32];
	const struct candidate *c = &cv->cand;

	strbuf_init(&sb);
	if (!cv->have) {
		display_put(w, 0, 0, width, "This candidate is gone: its alerts were triaged,"
		    " or it fell below its thresholds (q goes back).", theme_attr(ROLE_DIM),
		    false);
		strbuf_free(&sb);
		return;
	}
	if (c->reason != NULL)
		sanitize(&sb, c->reason, strlen(c->reason), display_san_flags());
	display_put(w, 0, 0, width, sb.buf, theme_attr(ROLE_SECTION), false);
	strbuf_reset(&sb);
	short_time(first, sizeof first, c->first_seen);
	short_time(last, sizeof last, c->last_seen);
	/* The key first (it names the window): printable ASCII without
	 * blanks (candidates.h). */
	strbuf_appendf(&sb, "%s  %s, %lld alerts on %lld assets, seen %s..%s UTC", c->key,
	    c->max_severity > 0 ? severity_label(c->max_severity) : "-", c->alerts,
	    c->assets, first, last + (strncmp(first, last, 6) == 0 ? 6 : 0));
	display_put(w, 1, 0, width, sb.buf, theme_attr(ROLE_LABEL), false);
	strbuf_reset(&sb);
	if (cv->nout > 0)
		strbuf_appendf(&sb, "%zu marked out: E accepts the other %ld", cv->nout,
		    cv->n - (long)cv->nout);
	else
		strbuf_appendf(&sb, "Space marks an alert out; E accepts, D dismisses");
	if (cv->n < c->alerts)
		strbuf_appendf(&sb, "  (first %ld of %lld listed)", cv->n, c->alerts);
	display_put(w, 2, 0, width, sb.buf, theme_attr(cv->nout > 0 ? ROLE_MARKED : ROLE_DIM),
	    false);
	strbuf_free(&sb);
}

static void
cand_draw(struct view *v, WINDOW *w, int h, int width)
{
	struct cview *cv = v->priv;
	struct strbuf sb;
	time_t now = time(NULL);
	char age[16];
	int i, idx, y;
	attr_t base;
	bool out;

	draw_head(cv, w, width);
	if (!cv->have || h <= CV_HEAD)
		return;
	display_fill(w, CV_HEAD, 0, width, theme_attr(ROLE_COLUMNS));
	display_put(w, CV_HEAD, 0, width, "  ID         SEV   RULE  LAST  ASSET        TITLE",
	    theme_attr(ROLE_COLUMNS), false);
	strbuf_init(&sb);
	for (i = 0, y = CV_HEAD + 1; y < h; i++, y++) {
		const struct cand_alert *a;

		idx = cv->top + i;
		if (idx >= cv->n)
			break;
		a = &cv->alerts[idx];
		out = out_find(cv, a->id) >= 0;
		base = idx == cv->cur ? theme_attr(ROLE_SELECTED) :
		    out ? theme_attr(ROLE_MARKED) : theme_attr(ROLE_NORMAL);
		display_fill(w, y, 0, width, base);
		format_age(age, sizeof age, now, a->last_seen);
		strbuf_reset(&sb);
		strbuf_appendf(&sb, "%s %-10lld ", out ? "x" : " ", a->id);
		display_put(w, y, 0, width, sb.buf, base, false);
		display_put(w, y, 13, 5, severity_label(a->severity),
		    idx == cv->cur ? base : theme_severity(a->severity), false);
		strbuf_reset(&sb);
		sanitize(&sb, a->rule_id ? a->rule_id : "", strlen(a->rule_id ? a->rule_id : ""),
		    display_san_flags());
		display_put(w, y, 19, 5, sb.buf, base, false);
		display_put_right(w, y, 25, 4, age, base);
		display_untrusted(w, y, 31, 12, a->asset_ref ? a->asset_ref : "", base, false);
		if (width > 44)
			display_untrusted(w, y, 44, width - 44, a->title ? a->title : "", base,
			    false);
	}
	strbuf_free(&sb);
}

/* --- view ops ------------------------------------------------------------ */

static int
cand_open(struct view *v, const void *arg)
{
	struct cview *cv;
	const char *key = arg;

	if (key == NULL || !cand_key_valid(key)) {
		console_error(v->con, "not a candidate key");
		return -1;
	}
	cv = xcalloc(1, sizeof *cv);
	cv->con = v->con;
	snprintf(cv->key, sizeof cv->key, "%s", key);
	v->priv = cv;
	if (load(cv) < 0) {
		candidate_free(&cv->cand);
		free(cv);
		return -1;
	}
	return 0;
}

static void
cand_close(struct view *v)
{
	struct cview *cv = v->priv;

	candidate_free(&cv->cand);
	cand_alerts_free(cv->alerts, cv->n);
	free(cv->out);
	free(cv);
}

static void
accept_here(struct view *v)
{
	struct cview *cv = v->priv;
	struct console *c = cv->con;
	long long inc;

	if (!cv->have) {
		console_error(c, "this candidate is gone: q goes back");
		return;
	}
	if (!cv_accept(c, cv->key, cv->n, cv->out, cv->nout, &inc)) {
		cv->stale = true;
		return;
	}
	/* The candidate is no more: the incident takes its place. */
	cl_mark_stale(c);
	console_pop(c);
	console_push(c, &view_incident_ops, &inc);
}

static enum request
cand_request(struct view *v, enum request req)
{
	struct cview *cv = v->priv;
	int pg = list_rows(cv);

	switch (req) {
	case REQ_MOVE_DOWN:
		cv->cur++;
		break;
	case REQ_MOVE_UP:
		cv->cur--;
		break;
	case REQ_PAGE_DOWN:
		cv->cur += pg;
		cv->top += pg;
		break;
	case REQ_PAGE_UP:
		cv->cur -= pg;
		cv->top -= pg;
		break;
	case REQ_MOVE_FIRST:
		cv->cur = 0;
		break;
	case REQ_MOVE_LAST:
		cv->cur = (int)cv->n - 1;
		break;
	case REQ_ENTER:
		if (cv->n > 0)
			console_push(cv->con, &view_detail_ops, &cv->alerts[cv->cur].id);
		else
			console_error(cv->con, "no alert in this candidate");
		return REQ_NONE;
	case REQ_MARK:
		mark_toggle(cv);
		return REQ_NONE;
	case REQ_UNMARK_ALL:
		console_message(cv->con, "%zu alerts back in the candidate", cv->nout);
		cv->nout = 0;
		return REQ_NONE;
	case REQ_REFRESH:
		load(cv);
		return REQ_NONE;
	case REQ_ACCEPT:
		accept_here(v);		/* v may be gone after it */
		return REQ_NONE;
	case REQ_DISMISS:
		if (!cv->have) {
			console_error(cv->con, "this candidate is gone: q goes back");
		} else if (cv_dismiss(cv->con, cv->key)) {
			cl_mark_stale(cv->con);
			console_pop(cv->con);
		}
		return REQ_NONE;
	case REQ_CANDIDATES:
		return REQ_NONE;
	default:
		return req;
	}
	if (cv->top > cv->n - pg)
		cv->top = (int)cv->n - pg;
	if (cv->top < 0)
		cv->top = 0;
	keep_visible(cv);
	return REQ_NONE;
}

static void
cand_notify(struct view *v, const struct view_change *c)
{
	struct cview *cv = v->priv;

	if (!c->incidents && (c->statuses & ((1u << ST_NEW) | (1u << ST_ACKNOWLEDGED))) != 0)
		cv->stale = true;
}

static bool
cand_refresh(struct view *v)
{
	struct cview *cv = v->priv;

	if (!cv->stale)
		return false;
	if (now_ms() - cv->last_reload_ms < CL_RELOAD_MS)
		return true;
	if (cv->con->db_lost)
		return false;
	load(cv);
	return false;
}

static void
cand_position(struct view *v, char *buf, size_t len)
{
	struct cview *cv = v->priv;

	if (cv->n == 0)
		snprintf(buf, len, "no alerts");
	else
		snprintf(buf, len, "alert %d of %ld", cv->cur + 1, cv->n);
}

const struct view_ops view_candidate_ops = {
	.name = "candidate",
	.scope = KS_QUEUE,
	.open = cand_open,
	.close = cand_close,
	.draw = cand_draw,
	.request = cand_request,
	.notify = cand_notify,
	.reload = cand_refresh,
	.position = cand_position,
	.hints = cand_hints,
};
