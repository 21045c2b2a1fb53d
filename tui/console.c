/* console.c: terminal setup, the main loop, the header and status lines,
 * the status-line prompt, and live updates. */
#include <errno.h>
#include <langinfo.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "audit.h"
#include "command.h"
#include "console.h"
#include "display.h"
#include "format.h"
#include "keymap.h"
#include "sanitize.h"
#include "strbuf.h"
#include "theme.h"
#include "view_queue.h"

#define LIVE_CHANNEL	"vsoc_alerts"
#define IDLE_MS		1000	/* wake up to age the "5m" columns */
#define PENDING_MS	50	/* while a reload or a debounce waits */
#define DEBOUNCE_MS	150	/* the live `/` filter */
#define MAX_CHANGE_IDS	1024
#define COMPLETIONS	64

/* Set by the signal handler, read by the loop: the only thing a handler
 * may safely do. */
static volatile sig_atomic_t console_signal;
static bool curses_active;

static void
on_signal(int sig)
{
	console_signal = sig;
}

/* Whatever way the process leaves, the terminal is restored. */
static void
restore_terminal(void)
{
	if (curses_active && !isendwin())
		endwin();
	curses_active = false;
}

static void
install_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: poll() must return so the loop sees the flag. */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
}

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* --- messages ------------------------------------------------------------ */

static void
set_message(struct console *c, bool error, const char *fmt, va_list ap)
{
	vsnprintf(c->msg, sizeof c->msg, fmt, ap);
	c->msg_error = error;
}

void
console_message(struct console *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set_message(c, false, fmt, ap);
	va_end(ap);
}

void
console_error(struct console *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set_message(c, true, fmt, ap);
	va_end(ap);
}

void
console_db_error(struct console *c, const char *what)
{
	if (c->db->conn == NULL || PQstatus(c->db->conn) == CONNECTION_BAD) {
		c->db_lost = true;
		console_error(c, "database connection lost (%s): r reconnects", what);
		return;
	}
	console_error(c, "%s: %s", what, c->db->errmsg);
}

bool
console_db_ready(struct console *c)
{
	if (!c->db_lost && c->db->conn != NULL && PQstatus(c->db->conn) == CONNECTION_OK)
		return true;
	if (db_reset(c->db) < 0 || db_listen(c->db, LIVE_CHANNEL) < 0) {
		c->db_lost = true;
		/* The hint first: libpq's reason can be long and gets cut. */
		console_error(c, "database unreachable (r retries): %s", c->db->errmsg);
		return false;
	}
	c->db_lost = false;
	c->counts_stale = true;
	console_message(c, "reconnected to %s", c->db->target);
	return true;
}

void
console_counts_stale(struct console *c)
{
	c->counts_stale = true;
}

bool
console_read_only(const struct console *c)
{
	return c->read_only || !analyst_can(c->me, ROLE_ANALYST);
}

/* The role as the database grants it now.  False, with the reason shown,
 * when the analyst may no longer act at all (disabled, no role left). */
static bool
recheck_role(struct console *c)
{
	struct analyst now;
	enum analyst_role was = c->me->role;

	if (!console_db_ready(c))
		return false;
	if (analyst_self(c->db, &now) < 0) {
		if (!db_sqlstate_is(c->db, DB_SQLSTATE_NO_PRIV)) {
			console_db_error(c, "checking your role");
			return false;
		}
		/* Disabled, or every role taken: the analyst may no longer
		 * even read.  Lock the screen, with the reason, until a key
		 * finds the analyst enabled again. */
		c->me->active = false;
		c->me->role = ROLE_NONE;
		c->locked = true;
		c->dirty = true;
		console_error(c, "%s", c->db->errmsg);
		return false;
	}
	*c->me = now;
	if (now.role != was) {
		c->dirty = true;
		console_message(c, "your role is now %s (changed by an admin)%s",
		    analyst_role_name(now.role), now.role < ROLE_ANALYST ?
		    ": actions are off" : "");
	}
	return true;
}

bool
console_may(struct console *c, enum request req, bool recheck)
{
	int need = request_role(req);
	char tried[48];

	if (need == REQUEST_ROLE_NONE)
		return true;
	if (c->read_only) {
		console_error(c, "read-only console (--read-only): %s is off",
		    request_name(req));
		return false;
	}
	/* A role short of the request is re-read too before saying no: an
	 * admin may have raised it since. */
	if ((recheck || (int)c->me->role < need) && !recheck_role(c)) {
		snprintf(tried, sizeof tried, "console:%s", request_name(req));
		if (!c->db_lost)
			audit_denied(c->db, tried, "console", 0, NULL, 0, c->msg);
		return false;
	}
	if ((int)c->me->role < need) {
		console_error(c, "%s needs the %s role; %s is %s (read-only)",
		    request_name(req), analyst_role_name((enum analyst_role)need),
		    c->me->name, analyst_role_name(c->me->role));
		snprintf(tried, sizeof tried, "console:%s", request_name(req));
		if (!c->db_lost)
			audit_denied(c->db, tried, "console", 0, NULL, 0, c->msg);
		return false;
	}
	return true;
}

void
console_dirty(struct console *c)
{
	c->dirty = true;
}

int
console_body_rows(const struct console *c)
{
	return c->lay.body_h;
}

/* --- views ---------------------------------------------------------------- */

struct view *
console_top(struct console *c)
{
	/* The queue is pushed before the loop starts and popped after it. */
	return c->stack[c->depth > 0 ? c->depth - 1 : 0];
}

int
console_push(struct console *c, const struct view_ops *ops, const void *arg)
{
	struct view *v;

	if (c->depth == CONSOLE_MAX_VIEWS) {
		console_error(c, "too many views open: q goes back");
		return -1;
	}
	v = xcalloc(1, sizeof *v);
	v->ops = ops;
	v->con = c;
	v->h = c->lay.body_h;
	v->width = c->lay.cols;
	if (ops->open(v, arg) < 0) {
		free(v);
		return -1;
	}
	c->stack[c->depth++] = v;
	c->dirty = true;
	return 0;
}

void
console_pop(struct console *c)
{
	struct view *v;

	if (c->depth == 0)
		return;
	v = c->stack[--c->depth];
	v->ops->close(v);
	free(v);
	c->dirty = true;
}

/* --- geometry --------------------------------------------------------------- */

/* The one place windows get their size (tig's resize_display). */
static void
resize_display(struct console *c)
{
	int rows, cols;

	getmaxyx(stdscr, rows, cols);
	layout_screen(rows, cols, &c->lay);
	if (c->header == NULL) {
		c->header = newwin(c->lay.header_h, cols, c->lay.header_y, 0);
		c->body = newwin(c->lay.body_h, cols, c->lay.body_y, 0);
		c->status = newwin(1, cols, c->lay.status_y, 0);
		keypad(c->status, TRUE);
		nodelay(c->status, TRUE);
	} else {
		/* Shrink before moving so no window ever hangs off the screen. */
		wresize(c->header, c->lay.header_h, cols);
		wresize(c->body, c->lay.body_h, cols);
		mvwin(c->body, c->lay.body_y, 0);
		wresize(c->status, 1, cols);
		mvwin(c->status, c->lay.status_y, 0);
	}
	c->dirty = true;
}

/* --- drawing ---------------------------------------------------------------- */

static void
draw_header(struct console *c)
{
	static const int sevs[] = { 5, 4, 3, 2, 1 };
	WINDOW *w = c->header;
	struct queue_summary s;
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

	/* Line 2: the queue's view, filter and sort; new rows and marks. */
	view_queue_summary(c->queue, &s);
	strbuf_reset(&right);
	if (s.new_above > 0) {
		format_count(n, sizeof n, s.new_above);
		strbuf_appendf(&right, " %s new above (g) ", n);
	}
	if (s.marked > 0)
		strbuf_appendf(&right, " %zu marked ", s.marked);
	strbuf_reset(&left);
	strbuf_reset(&clean);
	sanitize(&clean, s.filter, strlen(s.filter), display_san_flags());
	strbuf_appendf(&left, " view: %s  sort: %s%s  filter: %s", s.view, s.sort,
	    theme_sym(queue_sort_descending(queue_sort_parse(s.sort)) != s.reverse ?
	    SYM_DESC : SYM_ASC), *clean.buf ? clean.buf : "(none)");
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

static void
draw_status(struct console *c)
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

static void
trace_frame(struct console *c)
{
	struct timespec ts;

	if (c->trace == NULL)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	fprintf(c->trace, "%lld.%06ld frame %lu view=%s key=%s\n",
	    (long long)ts.tv_sec, ts.tv_nsec / 1000, ++c->frames,
	    console_top(c)->ops->name, c->last_key ? c->last_key : "-");
	fflush(c->trace);
	c->last_key = NULL;
}

/* --- idle lock ------------------------------------------------------------- */

static bool
lock_due(const struct console *c)
{
	return !c->locked && c->idle_lock > 0 &&
	    now_ms() - c->last_input >= c->idle_lock * 1000LL;
}

static void
session_record(struct console *c, const char *action, json_t *details)
{
	/* Best effort: a console on a read-only replica cannot write, and a
	 * lost connection has nothing to write to. */
	if (!c->db_lost && c->db->conn != NULL)
		audit_append(c->db, action, "console", 0, NULL, 0, details);
	json_decref(details);
}

static void
console_lock(struct console *c)
{
	char idle[32];

	c->locked = true;
	c->dirty = true;
	format_age(idle, sizeof idle, c->idle_lock, 0);
	console_message(c, "locked after %s without a key: any key unlocks, Q quits", idle);
	session_record(c, "session.lock", json_pack("{s:I}", "idle_seconds",
	    (json_int_t)c->idle_lock));
}

/* The key after a lock re-checks before anything else: the database is
 * there, the analyst is still active, and with which role. */
static void
console_unlock(struct console *c)
{
	if (!recheck_role(c))
		return;	/* the reason is on the lock screen's status line */
	c->locked = false;
	c->dirty = true;
	c->counts_stale = true;
	if (c->msg[0] == '\0' || !c->msg_error)
		console_message(c, "unlocked: %s (%s)%s", c->me->name,
		    analyst_role_name(c->me->role), console_read_only(c) ? ", read-only" : "");
	session_record(c, "session.unlock", json_pack("{s:s}", "role",
	    analyst_role_name(c->me->role)));
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
	draw_status(c);
	wnoutrefresh(c->status);
	strbuf_free(&line);
}

/* Draw everything into the windows, then one doupdate: curses sends only
 * the cells that differ, so redrawing the virtual windows costs no
 * bandwidth over SSH; clear() is never called. */
static void
draw_frame(struct console *c, bool prompt_active)
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
		draw_status(c);
		wnoutrefresh(c->status);
	}
}

static void
refresh_counts(struct console *c)
{
	if (!c->counts_stale || c->db_lost)
		return;
	c->counts_stale = false;
	if (queue_counts(c->db, &c->counts) < 0) {
		console_db_error(c, "counting alerts");
		return;
	}
	c->counts_ok = true;
	c->dirty = true;
}

/* --- input ------------------------------------------------------------------ */

/* Wait until the terminal or the database has something, a signal
 * arrives, or timeout_ms passes. */
static void
wait_input(struct console *c, int timeout_ms)
{
	struct pollfd p[2];
	int n = 0, sock = c->db_lost ? -1 : db_socket(c->db);

	p[n].fd = STDIN_FILENO;
	p[n].events = POLLIN;
	n++;
	if (sock >= 0) {
		p[n].fd = sock;
		p[n].events = POLLIN;
		n++;
	}
	if (poll(p, (nfds_t)n, timeout_ms) < 0 && errno != EINTR)
		console_error(c, "poll: %s", strerror(errno));
}

/* One key as a keymap code, or 0 when none is waiting. */
static int
read_key(struct console *c)
{
	wint_t wc;
	int r = wget_wch(c->status, &wc);

	if (r == ERR)
		return 0;
	c->last_input = now_ms();
	if (r == KEY_CODE_YES) {
		if (wc == KEY_ENTER)
			return '\n';
		return KEYMAP_FKEY | (int)wc;
	}
	if (wc == '\r')
		return '\n';
	return (int)wc;
}

/* Parse "insert:1,2,3" / "update:*" into ids (or all). */
static void
change_add(const char *payload, long long *ids, size_t *n, bool *all)
{
	const char *p = strchr(payload, ':');
	char *end;
	long long id;

	if (p == NULL || p[1] == '*') {
		*all = true;
		return;
	}
	for (p++; *p != '\0'; p = *end == ',' ? end + 1 : end) {
		id = strtoll(p, &end, 10);
		if (end == p)
			break;
		if (*n < MAX_CHANGE_IDS)
			ids[(*n)++] = id;
		else
			*all = true;
	}
}

/* Drain every waiting notification and tell the views once. */
static void
poll_database(struct console *c)
{
	long long *ids;
	char chan[64], payload[1024];
	size_t n = 0;
	bool all = false, any = false;
	struct view_change ch;
	int r, i;

	if (c->db_lost || c->db->conn == NULL)
		return;
	ids = xcalloc(MAX_CHANGE_IDS, sizeof *ids);
	while ((r = db_notification(c->db, chan, sizeof chan, payload, sizeof payload)) > 0) {
		if (strcmp(chan, LIVE_CHANNEL) != 0)
			continue;
		change_add(payload, ids, &n, &all);
		any = true;
		console_trace(c, "notify");
	}
	if (r < 0) {
		/* Drawn now, not at the next 30 s repaint: an idle console
		 * must show DISCONNECTED as soon as the socket closes. */
		c->db_lost = true;
		c->dirty = true;
		console_error(c, "database connection lost: r reconnects");
	}
	if (any) {
		ch.all = all;
		ch.ids = ids;
		ch.n = n;
		for (i = 0; i < c->depth; i++)
			if (c->stack[i]->ops->notify != NULL)
				c->stack[i]->ops->notify(c->stack[i], &ch);
		c->counts_stale = true;
		c->dirty = true;
	}
	free(ids);
}

/* Reload what is stale; true while something still waits (throttled). */
static bool
refresh_views(struct console *c)
{
	struct view *v = console_top(c);
	bool pending = false;

	if (v->ops->reload != NULL)
		pending = v->ops->reload(v);
	refresh_counts(c);
	return pending;
}

/* --- prompt ------------------------------------------------------------------ */

struct completion {
	char	*cand[COMPLETIONS];
	int	 n, i;
	size_t	 ws;
	bool	 cycling;
};

static void
completion_reset(struct completion *cp)
{
	int i;

	for (i = 0; i < cp->n; i++)
		free(cp->cand[i]);
	cp->n = cp->i = 0;
	cp->cycling = false;
}

static void
complete_word(struct console *c, const struct prompt_spec *spec,
    struct line_edit *e, struct completion *cp)
{
	char word[PROMPT_MAX];
	size_t common, wlen;

	if (spec->complete == NULL)
		return;
	if (cp->cycling && cp->n > 1) {
		cp->i = (cp->i + 1) % cp->n;
		edit_replace_word(e, cp->ws, cp->cand[cp->i]);
		return;
	}
	completion_reset(cp);
	cp->ws = edit_word_start(e);
	wlen = e->cur - cp->ws;
	memcpy(word, e->buf + cp->ws, wlen);
	word[wlen] = '\0';
	cp->n = spec->complete(spec->complete_ctx, e->buf, cp->ws, word, cp->cand,
	    COMPLETIONS);
	if (cp->n == 0) {
		console_error(c, "no completions");
		return;
	}
	if (cp->n == 1) {
		edit_replace_word(e, cp->ws, cp->cand[0]);
		if (e->cur == e->len && e->buf[e->len - 1] != ':')
			edit_key(e, ' ');
		completion_reset(cp);
		return;
	}
	common = prompt_common_prefix(cp->cand, cp->n);
	if (common > wlen) {
		char pre[PROMPT_MAX];
		memcpy(pre, cp->cand[0], common);
		pre[common] = '\0';
		edit_replace_word(e, cp->ws, pre);
		console_message(c, "%d matches: Tab again cycles", cp->n);
		return;
	}
	cp->cycling = true;
	cp->i = 0;
	edit_replace_word(e, cp->ws, cp->cand[0]);
}

static void
draw_prompt(struct console *c, const char *label, const struct line_edit *e)
{
	WINDOW *w = c->status;
	struct strbuf text;
	int cols = c->lay.cols, lw, col, skip = 0;
	const char *shown;

	werase(w);
	display_fill(w, 0, 0, cols, theme_attr(ROLE_NORMAL));
	lw = display_put(w, 0, 0, cols - 12, label, theme_attr(ROLE_PROMPT), false);
	strbuf_init(&text);
	sanitize(&text, e->buf, e->len, display_san_flags());
	col = edit_cursor_col(e, display_san_flags());
	/* Scroll long lines so the cursor stays visible. */
	shown = text.buf + edit_scroll(text.buf, col, cols - lw - 2, &skip);
	display_put(w, 0, lw, cols - lw, shown, theme_attr(ROLE_NORMAL), false);
	if (c->msg[0] != '\0' && col + lw + 4 < cols - 20) {
		struct strbuf m;
		strbuf_init(&m);
		sanitize(&m, c->msg, strlen(c->msg), display_san_flags());
		display_put_right(w, 0, cols - 30, 29, m.buf,
		    theme_attr(c->msg_error ? ROLE_ERROR : ROLE_DIM));
		strbuf_free(&m);
	}
	wmove(w, 0, lw + col - skip);
	wnoutrefresh(w);
	strbuf_free(&text);
}

bool
console_prompt(struct console *c, const struct prompt_spec *spec, char *out,
    size_t outlen)
{
	struct line_edit e;
	struct completion cp;
	char saved[PROMPT_MAX];
	int key, hist = spec->hist ? spec->hist->n : 0;
	long long last_edit = 0;
	bool pending = false, done = false, entered = false;
	enum edit_result r;

	memset(&cp, 0, sizeof cp);
	edit_set(&e, spec->initial);
	saved[0] = '\0';
	curs_set(1);
	while (!done && !console_signal) {
		if (lock_due(c)) {
			/* Walked away mid-prompt: nothing half typed is sent. */
			console_lock(c);
			break;
		}
		if (pending && now_ms() - last_edit >= DEBOUNCE_MS) {
			spec->changed(spec->changed_ctx, e.buf);
			pending = false;
		}
		refresh_views(c);
		draw_frame(c, true);
		draw_prompt(c, spec->label, &e);
		doupdate();
		trace_frame(c);
		wait_input(c, pending ? PENDING_MS : IDLE_MS);
		poll_database(c);
		while (!done && (key = read_key(c)) != 0) {
			if (key == (KEYMAP_FKEY | KEY_RESIZE)) {
				resize_display(c);
				continue;
			}
			c->msg[0] = '\0';
			r = edit_key(&e, key);
			if (r != EDIT_TAB)
				cp.cycling = false;
			switch (r) {
			case EDIT_ENTER:
				done = entered = true;
				break;
			case EDIT_CANCEL:
				done = true;
				break;
			case EDIT_CHANGED:
				if (spec->changed != NULL) {
					pending = true;
					last_edit = now_ms();
				}
				break;
			case EDIT_TAB:
				complete_word(c, spec, &e, &cp);
				break;
			case EDIT_HIST_PREV:
			case EDIT_HIST_NEXT:
				if (spec->hist == NULL || spec->hist->n == 0)
					break;
				if (hist == spec->hist->n)
					snprintf(saved, sizeof saved, "%s", e.buf);
				hist += r == EDIT_HIST_PREV ? -1 : 1;
				if (hist < 0)
					hist = 0;
				if (hist > spec->hist->n)
					hist = spec->hist->n;
				edit_set(&e, hist == spec->hist->n ? saved : spec->hist->item[hist]);
				if (spec->changed != NULL) {
					pending = true;
					last_edit = now_ms();
				}
				break;
			default:
				break;
			}
		}
	}
	curs_set(0);
	completion_reset(&cp);
	/* Enter keeps exactly what was typed, even inside the debounce. */
	if (entered && pending)
		spec->changed(spec->changed_ctx, e.buf);
	if (entered) {
		snprintf(out, outlen, "%s", e.buf);
		if (spec->hist != NULL)
			prompt_history_add(spec->hist, e.buf);
	}
	c->dirty = true;
	return entered;
}

bool
console_confirm(struct console *c, const char *question)
{
	int key = 0;

	c->msg[0] = '\0';
	while (!console_signal) {
		if (lock_due(c)) {
			console_lock(c);
			return false;
		}
		draw_frame(c, true);
		werase(c->status);
		display_fill(c->status, 0, 0, c->lay.cols, theme_attr(ROLE_ERROR));
		display_put(c->status, 0, 0, c->lay.cols, question, theme_attr(ROLE_ERROR),
		    false);
		wnoutrefresh(c->status);
		doupdate();
		trace_frame(c);
		wait_input(c, IDLE_MS);
		while ((key = read_key(c)) == (KEYMAP_FKEY | KEY_RESIZE))
			resize_display(c);
		if (key != 0)
			break;
	}
	c->dirty = true;
	return key == 'y' || key == 'Y';
}

/* --- dispatch ------------------------------------------------------------------ */

static void
run_prompt(struct console *c)
{
	struct prompt_spec spec;
	char line[PROMPT_MAX];

	memset(&spec, 0, sizeof spec);
	spec.label = ":";
	spec.hist = &c->hist_cmd;
	spec.complete = command_complete;
	spec.complete_ctx = c;
	if (console_prompt(c, &spec, line, sizeof line))
		command_run(c, line);
}

static void
handle_key(struct console *c, int key)
{
	struct view *v = console_top(c);
	enum request req;
	static char keyname[32];

	keymap_key_name(key, keyname, sizeof keyname);
	c->last_key = keyname;
	if (c->locked) {
		if (key == 'Q')
			c->quit = true;
		else
			console_unlock(c);
		c->dirty = true;
		return;
	}
	req = keymap_lookup(&c->km, v->ops->scope, key);
	if (req == REQ_NONE) {
		char name[32];
		keymap_key_name(key, name, sizeof name);
		console_error(c, "%s is not bound here (? lists the keys)", name);
		return;
	}
	c->msg[0] = '\0';
	/* Actions are off before any prompt opens when the role or
	 * --read-only says so (action_run re-checks with the database). */
	if (!console_may(c, req, false)) {
		c->dirty = true;
		return;
	}
	req = v->ops->request(v, req);
	switch (req) {
	case REQ_NONE:
		break;
	case REQ_BACK:
		if (c->depth > 1)
			console_pop(c);
		else
			c->quit = true;
		break;
	case REQ_QUIT:
		c->quit = true;
		break;
	case REQ_HELP:
		console_push(c, &view_help_ops, NULL);
		break;
	case REQ_AUDIT:
		console_push(c, &view_audit_ops, NULL);
		break;
	case REQ_PROMPT:
		run_prompt(c);
		break;
	case REQ_REFRESH:
		console_db_ready(c);
		c->counts_stale = true;
		break;
	default:
		if (v->ops->action == NULL && req >= REQ_TAKE && req <= REQ_ESCALATE)
			console_error(c, "no alert here: q goes back");
		else
			console_error(c, "%s does nothing here", request_name(req));
		break;
	}
	c->dirty = true;
}

static int
console_loop(struct console *c)
{
	long long last_frame = 0;
	bool pending = false;
	int key;

	while (!c->quit && !console_signal) {
		if (lock_due(c))
			console_lock(c);
		pending = c->locked ? false : refresh_views(c);
		if (c->dirty || now_ms() - last_frame >= 30000) {
			draw_frame(c, false);
			doupdate();
			trace_frame(c);
			c->dirty = false;
			last_frame = now_ms();
		}
		wait_input(c, pending ? PENDING_MS : IDLE_MS);
		poll_database(c);
		while (!c->quit && !console_signal && (key = read_key(c)) != 0) {
			if (key == (KEYMAP_FKEY | KEY_RESIZE)) {
				resize_display(c);
				continue;
			}
			handle_key(c, key);
		}
	}
	return 0;
}

/* --- setup -------------------------------------------------------------------- */

static bool
locale_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);

	return cs != NULL && strcmp(cs, "UTF-8") == 0;
}

/* Who opened the console, from where, able to do what. */
static json_t *
session_details(const struct console *c)
{
	const char *ssh = getenv("SSH_CONNECTION"), *tty = ttyname(STDIN_FILENO);
	json_t *d = json_object();
	char from[64];

	json_object_set_new(d, "client", json_string("console"));
	json_object_set_new(d, "role", json_string(analyst_role_name(c->me->role)));
	json_object_set_new(d, "read_only", json_boolean(console_read_only(c)));
	json_object_set_new(d, "idle_lock", json_integer(c->idle_lock));
	if (ssh != NULL && sscanf(ssh, "%63s", from) == 1)
		json_object_set_new(d, "ssh_from", json_stringn(from, strlen(from)));
	if (tty != NULL)
		json_object_set_new(d, "tty", json_stringn(tty, strnlen(tty, 64)));
	json_object_set_new(d, "pid", json_integer(getpid()));
	return d;
}

static void
open_trace(struct console *c)
{
	const char *path = getenv("VSOC_TRACE");

	if (path == NULL || *path == '\0')
		return;
	c->trace = fopen(path, "a");
}

int
console_main(struct db *db, struct analyst *me, const struct console_options *opt)
{
	struct console c;
	struct view_queue_options qopt;
	char path[512], err[600];
	bool utf8 = locale_utf8();
	time_t started;

	memset(&c, 0, sizeof c);
	c.db = db;
	c.me = me;
	c.counts_stale = true;
	c.read_only = opt->read_only;
	c.idle_lock = opt->idle_lock;
	c.last_input = now_ms();
	keymap_init(&c.km);
	err[0] = '\0';
	if (keymap_default_path(path, sizeof path) &&
	    keymap_load_file(&c.km, path, err, sizeof err) > 0)
		console_error(&c, "%s", err);
	open_trace(&c);
	if (db_listen(db, LIVE_CHANNEL) < 0)
		console_error(&c, "live updates off: %s", db->errmsg);

	install_signals();
	/* ESC must answer fast; escape sequences arrive in one read anyway. */
	if (getenv("ESCDELAY") == NULL)
		set_escdelay(25);
	if (initscr() == NULL)
		return 1;
	curses_active = true;
	atexit(restore_terminal);
	cbreak();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	curs_set(0);
	theme_init(theme_want_colors(), utf8);
	display_init(utf8);
	resize_display(&c);

	memset(&qopt, 0, sizeof qopt);
	qopt.view = opt->view;
	qopt.filter = opt->filter;
	if (console_push(&c, &view_queue_ops, &qopt) < 0) {
		restore_terminal();
		fprintf(stderr, "vsoc: cannot open the queue\n");
		return 1;
	}
	c.queue = c.stack[0];
	started = time(NULL);
	session_record(&c, "session.start", session_details(&c));

	console_loop(&c);
	session_record(&c, "session.end", json_pack("{s:I, s:I}", "seconds",
	    (json_int_t)(time(NULL) - started), "actions", (json_int_t)c.actions));

	while (c.depth > 0)
		console_pop(&c);
	delwin(c.header);
	delwin(c.body);
	delwin(c.status);
	restore_terminal();
	keymap_free(&c.km);
	prompt_history_free(&c.hist_cmd);
	prompt_history_free(&c.hist_filter);
	prompt_history_free(&c.hist_text);
	if (c.trace != NULL)
		fclose(c.trace);
	return 0;
}
