/* console.h: the triage console's main loop and what views may ask of it.
 *
 * One loop (console_run): reload stale views, draw what is dirty with
 * wnoutrefresh and one doupdate, then wait on the terminal and the
 * database socket together (poll), so a NOTIFY reaches the screen in well
 * under a second.  Signals only set a flag; the loop ends between actions,
 * never inside a transaction, and endwin() always runs. */
#ifndef VSOC_CONSOLE_H
#define VSOC_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>

#include <curses.h>

#include "analyst.h"
#include "db.h"
#include "keymap.h"
#include "layout.h"
#include "prompt.h"
#include "queue.h"
#include "view.h"

#define CONSOLE_MAX_VIEWS	8
#define CONSOLE_IDLE_LOCK_DEFAULT	(15 * 60)	/* seconds */
#define CONSOLE_LIVE_MS		250	/* change notices gathered this long */
/* ...and told no more often than this: a steady stream of notices costs
 * each console two reloads, header counts and repaints a second, however
 * fast the alerts arrive. */
#define CONSOLE_LIVE_GAP_MS	500
/* More alert notices than this in one batch and the console stops
 * listening (UNLISTEN) until the batch is told.  PostgreSQL wakes every
 * listening backend for every notifying commit: with 20 consoles and
 * 1,000 single-row inserts a second that is 20,000 wake-ups a second,
 * which halved the writer on a 2-CPU machine even when the consoles did
 * nothing with the notices.  While deaf, what changed is unknown, so the
 * batch is told as "anything, any status" (one reload, as it would be). */
#define CONSOLE_LIVE_DEAF	8
/* A deaf console is told once a second: a stream that fast is watched,
 * not read row by row. */
#define CONSOLE_LIVE_DEAF_GAP_MS	1000

struct settings;
struct outbox_agent;

struct console {
	struct db		*db;
	struct analyst		*me;
	const struct settings	*cfg;		/* the settings file's (channels) */
	struct outbox_agent	*deliver;	/* the page deliverer, or NULL */
	struct keymap		 km;
	struct screen_layout	 lay;
	WINDOW			*header, *body, *status;
	struct view		*stack[CONSOLE_MAX_VIEWS];
	int			 depth;

	char			 msg[512];	/* status-line message (raw; sanitized when drawn) */
	bool			 msg_error;
	bool			 quit;
	bool			 db_lost;	/* the connection broke; reset on next action */
	bool			 dirty;		/* redraw everything */

	struct queue_counts	 counts;
	bool			 counts_ok;
	bool			 counts_stale;

	/* Change notices waiting to be told to the views: a burst is
	 * gathered for CONSOLE_LIVE_MS, then told once (one reload, one
	 * count, one repaint). */
	long long		*live_ids;
	size_t			 live_n;
	bool			 live_all;	/* too many ids, or a notice without */
	unsigned		 live_statuses;	/* 1u << alert_status; ~0u unknown */
	long long		 live_since;	/* ms of the first waiting notice; 0 none */
	long long		 live_told;	/* ms of the last batch told */
	long long		 live_heard;	/* ms of the last notice */
	bool			 live_quiet;	/* the batch began after a silence */
	bool			 live_inserts;	/* every waiting notice is an insert */
	bool			 live_alerts;	/* alert notices wait */
	unsigned		 live_heard_n;	/* alert notices in this batch */
	bool			 live_deaf;	/* UNLISTENed until the batch is told */
	/* Incident notices (vsoc_incident) wait apart: told as a change
	 * with .incidents set, in the same burst. */
	long long		*inc_ids;
	size_t			 inc_n;
	bool			 inc_all;
	bool			 live_incidents;

	/* Who may do what.  read_only is --read-only; the role is the one
	 * the database grants (re-read before every action). */
	bool			 read_only;
	long			 idle_lock;	/* seconds, 0 = never */
	long long		 last_input;	/* monotonic ms of the last key */
	bool			 locked;	/* idle: content hidden until a key */
	unsigned long		 actions;	/* for the session's audit record */

	struct prompt_history	 hist_cmd, hist_filter, hist_text;
	FILE			*trace;		/* VSOC_TRACE: one line per frame */
	unsigned long		 frames;
	const char		*last_key;	/* for the trace */
	struct console_stats {		/* VSOC_DEBUG_STATS (console_stats.c) */
		char		 path[512];	/* "" when off */
		unsigned long	 notices;	/* NOTIFYs on the live channel */
		unsigned long	 batches;	/* coalesced batches told to views */
		unsigned long	 frames;	/* screens drawn (doupdate) */
		unsigned long	 counts;	/* header counts read */
		unsigned long	 reloads;	/* view reloads */
		unsigned long	 deaf;		/* batches that went deaf */
	}			 stats;
};

struct console_options {
	const char	*view;		/* --view NAME */
	const char	*filter;	/* --filter EXPR */
	bool		 read_only;	/* --read-only */
	long		 idle_lock;	/* seconds; 0 never */
	/* For paging and the page deliverer (console_deliver.c): the
	 * settings (channels, [console] deliver) and how to open the
	 * deliverer's own connection (the --db value, or NULL). */
	const struct settings *cfg;
	const char	*db_flag;
};

/* Run the console on a connected database as analyst me; returns an exit
 * code. */
int	 console_main(struct db *db, struct analyst *me,
	    const struct console_options *opt);

/* For views. */
/* Alerts changed (an action of from, or a notification when from is
 * NULL): tell every other view on the stack and recount the header. */
void	 console_changed(struct console *c, struct view *from,
	    const struct view_change *ch);
int	 console_push(struct console *c, const struct view_ops *ops, const void *arg);
void	 console_pop(struct console *c);
struct view *console_top(struct console *c);
void	 console_message(struct console *c, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	 console_error(struct console *c, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* After a failed database call: show db->errmsg, note a lost connection. */
void	 console_db_error(struct console *c, const char *what);
/* Before a database action: reconnect if the connection was lost.  False
 * (with a message) if still down. */
bool	 console_db_ready(struct console *c);
/* May the analyst make request req (request_role() > 0) now?  Refuses,
 * with the reason on the status line, in read-only mode or when the role
 * is short; with recheck, first re-reads the role from the database (an
 * admin may have disabled the analyst or lowered the role meanwhile).  A
 * refusal for the role is recorded in the audit log. */
bool	 console_may(struct console *c, enum request req, bool recheck);
/* True when the console is read-only: --read-only or a viewer. */
bool	 console_read_only(const struct console *c);
/* Header counts changed (an action, a live update). */
void	 console_counts_stale(struct console *c);
/* Ask y/N on the status line. */
bool	 console_confirm(struct console *c, const char *question);
/* Read a line on the status line; true when entered (Enter), false on Esc. */
bool	 console_prompt(struct console *c, const struct prompt_spec *spec,
	    char *out, size_t outlen);
/* Redraw everything on the next frame (after a view change). */
void	 console_dirty(struct console *c);
/* A line in the VSOC_TRACE file (no-op without it), for the benchmark. */
void	 console_trace(struct console *c, const char *event);
/* A view re-read its rows (VSOC_DEBUG_STATS). */
void	 console_stats_reload(struct console *c);
/* The body height a view gets (for page sizes before the first draw). */
int	 console_body_rows(const struct console *c);

#endif
