/* console_draw.c: the frame around the top view: the header (who, where,
 * open counts; the view's summary line), the status line (message, key
 * hints from the keymap, position), the lock screen, and the frame trace
 * (VSOC_TRACE) the tests and the benchmark read. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "console.h"
#include "console_int.h"
#include "display.h"
#include "format.h"
#include "keymap.h"
#include "sanitize.h"
#include "strbuf.h"
#include "theme.h"

static void
draw_header(struct console *c)
{
	static const int sevs[] = { 5, 4, 3, 2, 1 };
	WINDOW *w = c->header;
	struct strbuf right, left, clean;
	char n[32];
	int cols = c->lay.cols, i, rw;

	werase(w);
	display_fill(w, 0, 0, cols, theme_attr(ROLE_HEADER));
	display_fill(w, 1, 0, cols, theme_attr(ROLE_NORMAL));
	strbuf_init(&right);
	strbuf_init(&left);
	strbuf_init(&clean);
	/* Line 1: who and where, then open counts per severity; while the
	 * connection is down the counts are stale, and where they stood the
	 * header says so (a suffix on the target would be cut at 80 columns). */
	if (c->db_lost) {
		strbuf_append(&right, cols >= 60 ? " DISCONNECTED: r reconnects " :
		    " DISCONNECTED ");
	} else if (c->counts_ok) {
		format_count(n, sizeof n, c->counts.open);
		strbuf_appendf(&right, "open %s:", n);
		for (i = 0; i < 5; i++) {
			format_count(n, sizeof n, c->counts.open_sev[sevs[i]]);
			strbuf_appendf(&right, " %s %s", severity_label(sevs[i]), n);
		}
		if (cols >= 110) {
			format_count(n, sizeof n, c->counts.status[ST_ESCALATED]);
			strbuf_appendf(&right, " | escal %s", n);
			format_count(n, sizeof n, c->counts.status[ST_CLOSED]);
			strbuf_appendf(&right, " closed %s", n);
		}
		strbuf_appendc(&right, ' ');
	}
	rw = format_width(right.buf);
	if (rw > cols - 20 && !c->db_lost && c->counts_ok) {
		/* Too narrow for the severities (60 columns): the total still
		 * tells the analyst how much is waiting. */
		strbuf_reset(&right);
		format_count(n, sizeof n, c->counts.open);
		strbuf_appendf(&right, "open %s ", n);
		rw = format_width(right.buf);
	}
	if (rw > cols - 20)
		rw = 0;
	sanitize(&clean, c->me->name, strlen(c->me->name), display_san_flags());
	strbuf_appendf(&left, " vsoc  %s", clean.buf);
	if (console_read_only(c))
		strbuf_appendf(&left, " [read-only%s]", c->read_only ? "" : ": viewer");
	strbuf_reset(&clean);
	sanitize(&clean, c->db->target, strlen(c->db->target), display_san_flags());
	strbuf_appendf(&left, " @ %s", clean.buf);
	display_put(w, 0, 0, cols - rw, left.buf, theme_attr(ROLE_HEADER), false);
	if (rw > 0)
		display_put(w, 0, cols - rw, rw, right.buf,
		    theme_attr(c->db_lost ? ROLE_ERROR : ROLE_HEADER), false);

	/* Line 2: what the top-most view that can say so shows (the queue's
	 * view, filter and sort) and what waits (new rows, marks). */
	strbuf_reset(&right);
	strbuf_reset(&left);
	for (i = c->depth - 1; i >= 0; i--) {
		if (c->stack[i]->ops->summary != NULL) {
			c->stack[i]->ops->summary(c->stack[i], &left, &right);
			break;
		}
	}
	rw = format_width(right.buf);
	if (rw > cols / 2)
		rw = cols / 2;
	display_put(w, 1, 0, cols - rw, left.buf, theme_attr(ROLE_NORMAL), false);
	if (rw > 0)
		display_put(w, 1, cols - rw, rw, right.buf, theme_attr(ROLE_NEW_MARKER), false);
	strbuf_free(&right);
	strbuf_free(&left);
	strbuf_free(&clean);
	wnoutrefresh(w);
}

/* "?:help Enter:open t:take ..." from the keymap, so it never lies; as
 * many whole hints as fit in width. */
static void
key_hints(struct console *c, struct view *v, struct strbuf *out, int width)
{
	const struct view_hint *h;
	char keys[128], item[160], *comma;
	const char *k;

	for (h = v->ops->hints; h != NULL && h->req != REQ_NONE; h++) {
		if (request_role(h->req) > (console_read_only(c) ? REQUEST_ROLE_NONE :
		    (int)c->me->role))
			continue;
		if (keymap_keys_for(&c->km, v->ops->scope, h->req, keys, sizeof keys) == 0)
			continue;
		if ((comma = strchr(keys, ',')) != NULL)
			*comma = '\0';
		/* "<Enter>" reads better as "Enter" on a crowded line. */
		k = keys;
		if (keys[0] == '<' && keys[1] != '\0') {
			keys[strlen(keys) - 1] = '\0';
			k = keys + 1;
		}
		snprintf(item, sizeof item, " %s%s%s", k, strcmp(k, ":") == 0 ? "" : ":",
		    h->label);
		if ((int)(out->len + strlen(item)) > width)
			break;
		strbuf_append(out, item);
	}
}

void
console_draw_status(struct console *c)
{
	WINDOW *w = c->status;
	struct view *v = console_top(c);
	char pos[64];
	struct strbuf left;
	int cols = c->lay.cols, pw;

	werase(w);
	display_fill(w, 0, 0, cols, theme_attr(ROLE_STATUS));
	pos[0] = '\0';
	if (console_read_only(c))
		snprintf(pos, sizeof pos, "READ-ONLY  ");
	if (v->ops->position != NULL)
		v->ops->position(v, pos + strlen(pos), sizeof pos - strlen(pos));
	pw = (int)strlen(pos) + 2;
	if (pw > cols / 2)
		pw = 0;
	strbuf_init(&left);
	if (c->msg[0] != '\0') {
		strbuf_appendc(&left, ' ');
		/* Messages quote database text: sanitized like everything else. */
		sanitize(&left, c->msg, strlen(c->msg), display_san_flags());
		display_put(w, 0, 0, cols - pw, left.buf,
		    theme_attr(c->msg_error ? ROLE_ERROR : ROLE_STATUS), false);
	} else {
		key_hints(c, v, &left, cols - pw - 1);
		display_put(w, 0, 0, cols - pw, left.buf, theme_attr(ROLE_STATUS), false);
	}
	if (pw > 0)
		display_put_right(w, 0, cols - pw, pw - 1, pos, theme_attr(ROLE_STATUS));
	strbuf_free(&left);
}

void
console_trace(struct console *c, const char *event)
{
	struct timespec ts;

	if (c->trace == NULL)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	fprintf(c->trace, "%lld.%06ld %s\n", (long long)ts.tv_sec, ts.tv_nsec / 1000,
	    event);
	fflush(c->trace);
}

void
console_trace_frame(struct console *c)
{
	struct timespec ts;

	/* Every doupdate() passes here: the repaint count. */
	c->stats.frames++;
	if (c->trace != NULL) {
		clock_gettime(CLOCK_REALTIME, &ts);
		fprintf(c->trace, "%lld.%06ld frame %lu view=%s key=%s\n",
		    (long long)ts.tv_sec, ts.tv_nsec / 1000, ++c->frames,
		    console_top(c)->ops->name, c->last_key ? c->last_key : "-");
		fflush(c->trace);
		c->last_key = NULL;
	}
	/* After the trace's timestamp: the file is the benchmark's, not
	 * part of the frame it times. */
	console_stats_write(c);
}

static void
draw_locked(struct console *c)
{
	int cols = c->lay.cols, y = c->lay.body_h / 2 - 1;
	struct strbuf line;

	strbuf_init(&line);
	strbuf_append(&line, " vsoc  LOCKED  ");
	sanitize(&line, c->me->name, strlen(c->me->name), display_san_flags());
	werase(c->header);
	display_fill(c->header, 0, 0, cols, theme_attr(ROLE_HEADER));
	display_put(c->header, 0, 0, cols, line.buf, theme_attr(ROLE_HEADER), false);
	wnoutrefresh(c->header);
	werase(c->body);
	display_put(c->body, y < 0 ? 0 : y, 2, cols - 4, "The screen is locked: alert"
	    " content is hidden.", theme_attr(ROLE_SECTION), false);
	display_put(c->body, y < 0 ? 1 : y + 1, 2, cols - 4, "Any key re-checks the"
	    " connection and your role, then unlocks.", theme_attr(ROLE_NORMAL), false);
	wnoutrefresh(c->body);
	console_draw_status(c);
	wnoutrefresh(c->status);
	strbuf_free(&line);
}

/* Draw everything into the windows, then one doupdate: curses sends only
 * the cells that differ, so redrawing the virtual windows costs no
 * bandwidth over SSH; clear() is never called. */
void
console_draw_frame(struct console *c, bool prompt_active)
{
	struct view *v = console_top(c);

	if (c->locked) {
		draw_locked(c);
		return;
	}
	if (c->lay.too_small) {
		werase(stdscr);
		mvwaddnstr(stdscr, 0, 0, "terminal too small for vsoc (need 40x8)",
		    c->lay.cols);
		wnoutrefresh(stdscr);
		doupdate();
		return;
	}
	draw_header(c);
	werase(c->body);
	v->h = c->lay.body_h;
	v->width = c->lay.cols;
	v->ops->draw(v, c->body, c->lay.body_h, c->lay.cols);
	wnoutrefresh(c->body);
	if (!prompt_active) {
		console_draw_status(c);
		wnoutrefresh(c->status);
	}
}

