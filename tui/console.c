/* console.c: terminal setup, the view stack, the main loop and the idle
 * lock.  Live updates are console_live.c, the page deliverer
 * console_deliver.c, drawing console_draw.c, the prompt console_prompt.c;
 * views are reached only through view_ops. */
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
#include "console_int.h"
#include "display.h"
#include "format.h"
#include "keymap.h"
#include "sanitize.h"
#include "strbuf.h"
#include "theme.h"


/* Set by the signal handler, read by the loop: the only thing a handler
 * may safely do. */
static volatile sig_atomic_t console_signal;
static bool curses_active;

bool
console_interrupted(void)
{
	return console_signal != 0;
}

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

long long
console_now_ms(void)
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
	if (db_reset(c->db) < 0 || console_listen(c) < 0) {
		c->db_lost = true;
		/* The hint first: libpq's reason can be long and gets cut. */
		console_error(c, "database unreachable (r retries): %s", c->db->errmsg);
		return false;
	}
	c->db_lost = false;
	c->live_deaf = false;	/* listening again on every channel */
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
void
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

/* --- idle lock ------------------------------------------------------------- */

bool
console_lock_due(const struct console *c)
{
	return !c->locked && c->idle_lock > 0 &&
	    console_now_ms() - c->last_input >= c->idle_lock * 1000LL;
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

void
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


/* --- input ------------------------------------------------------------------ */

/* Wait until the terminal or the database has something, a signal
 * arrives, or timeout_ms passes. */
void
console_wait_input(struct console *c, int timeout_ms)
{
	struct pollfd p[3];
	int n = 0, sock = c->db_lost ? -1 : db_socket(c->db);
	int dfd = console_deliver_fd(c);

	p[n].fd = STDIN_FILENO;
	p[n].events = POLLIN;
	n++;
	if (sock >= 0) {
		p[n].fd = sock;
		p[n].events = POLLIN;
		n++;
	}
	/* The page deliverer's reports (it never blocks this loop). */
	if (dfd >= 0) {
		p[n].fd = dfd;
		p[n].events = POLLIN;
		n++;
	}
	if (poll(p, (nfds_t)n, timeout_ms) < 0 && errno != EINTR)
		console_error(c, "poll: %s", strerror(errno));
}

/* One key as a keymap code, or 0 when none is waiting. */
int
console_read_key(struct console *c)
{
	wint_t wc;
	int r = wget_wch(c->status, &wc);

	if (r == ERR)
		return 0;
	c->last_input = console_now_ms();
	if (r == KEY_CODE_YES) {
		if (wc == KEY_ENTER)
			return '\n';
		return KEYMAP_FKEY | (int)wc;
	}
	if (wc == '\r')
		return '\n';
	return (int)wc;
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
	if (c->trace != NULL) {
		char ev[48];
		snprintf(ev, sizeof ev, "key %s", keyname);
		console_trace(c, ev);	/* key read -> frame: the console's part */
	}
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
	case REQ_INCIDENTS:
		console_push(c, &view_incidents_ops, NULL);
		break;
	case REQ_PROMPT:
		run_prompt(c);
		break;
	case REQ_REFRESH:
		console_db_ready(c);
		c->counts_stale = true;
		break;
	default:
		if (v->ops->action == NULL && ((req >= REQ_TAKE && req <= REQ_ESCALATE) ||
		    req == REQ_STATUS || req == REQ_RENAME || req == REQ_SEVERITY ||
		    req == REQ_PAGE_ONCALL))
			console_error(c, "nothing to act on here: q goes back");
		else
			console_error(c, "%s does nothing here", request_name(req));
		break;
	}
	c->dirty = true;
}

static int
console_loop(struct console *c)
{
	long long last_frame = 0, last_refresh = 0;
	bool pending = false, keyed = false;
	int key;

	while (!c->quit && !console_signal) {
		if (console_lock_due(c))
			console_lock(c);
		/* A key's frame goes out before a live reload that came due
		 * with it: the analyst waits for the cursor, not for the
		 * queries (the reload follows at once, unless keys keep coming
		 * for a whole KEY_FIRST_MS). */
		if (c->locked) {
			pending = false;
		} else if (!keyed || console_now_ms() - last_refresh >= KEY_FIRST_MS) {
			pending = console_refresh_views(c);
			last_refresh = console_now_ms();
		} else {
			pending = true;
		}
		if (c->dirty || console_now_ms() - last_frame >= 30000) {
			console_draw_frame(c, false);
			doupdate();
			console_trace_frame(c);
			c->dirty = false;
			last_frame = console_now_ms();
		}
		/* Gathered notices are told when their time is up. */
		if (c->live_since != 0)
			pending = true;
		console_wait_input(c, keyed ? 0 : pending ? PENDING_MS : IDLE_MS);
		keyed = false;
		console_poll_database(c);
		console_deliver_poll(c);
		while (!c->quit && !console_signal && (key = console_read_key(c)) != 0) {
			keyed = true;
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
	char path[512], err[600];
	bool utf8 = locale_utf8();
	time_t started;

	memset(&c, 0, sizeof c);
	c.db = db;
	c.me = me;
	c.cfg = opt->cfg;
	c.counts_stale = true;
	c.read_only = opt->read_only;
	c.idle_lock = opt->idle_lock;
	c.last_input = console_now_ms();
	keymap_init(&c.km);
	err[0] = '\0';
	if (keymap_default_path(path, sizeof path) &&
	    keymap_load_file(&c.km, path, err, sizeof err) > 0)
		console_error(&c, "%s", err);
	open_trace(&c);
	console_stats_open(&c);
	if (console_listen(&c) < 0)
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

	/* The queue is the bottom view; it reads --view and --filter. */
	if (console_push(&c, &view_queue_ops, opt) < 0) {
		restore_terminal();
		fprintf(stderr, "vsoc: cannot open the queue\n");
		return 1;
	}
	started = time(NULL);
	session_record(&c, "session.start", session_details(&c));
	console_deliver_start(&c, opt);

	console_loop(&c);
	/* Before anything else: a page in flight is abandoned, not waited for. */
	console_deliver_stop(&c);
	session_record(&c, "session.end", json_pack("{s:I, s:I}", "seconds",
	    (json_int_t)(time(NULL) - started), "actions", (json_int_t)c.actions));
	console_stats_write(&c);

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
	free(c.live_ids);
	free(c.inc_ids);
	if (c.trace != NULL)
		fclose(c.trace);
	return 0;
}
