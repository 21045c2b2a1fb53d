/* console_int.h: what console.c (setup, loop), console_draw.c and
 * console_prompt.c share.  Views use console.h, never this. */
#ifndef VSOC_CONSOLE_INT_H
#define VSOC_CONSOLE_INT_H

#include <stdbool.h>

struct console;
struct console_options;

#define IDLE_MS		1000	/* wake up to age the "5m" columns */
#define PENDING_MS	50	/* while a reload or a debounce waits */
#define KEY_FIRST_MS	1000	/* live reloads wait at most this for keys */

/* Change notices (sql/003, sql/004, sql/006). */
#define LIVE_CHANNEL	"vsoc_alerts"
#define INCIDENT_CHANNEL "vsoc_incident"
#define OUTBOX_CHANNEL	"vsoc_outbox"

/* console.c */
long long console_now_ms(void);
bool	 console_interrupted(void);	/* a signal asks the console to end */
void	 resize_display(struct console *c);
void	 console_wait_input(struct console *c, int timeout_ms);
int	 console_read_key(struct console *c);
bool	 console_lock_due(const struct console *c);
void	 console_lock(struct console *c);

/* console_live.c */
/* LISTEN on every change channel; -1 with db->errmsg. */
int	 console_listen(struct console *c);
/* Read the waiting notices and tell a batch when its time is up; true
 * while notices wait. */
bool	 console_poll_database(struct console *c);
/* Reload what is stale; true while something still waits. */
bool	 console_refresh_views(struct console *c);
/* Re-read the header's counts when a change made them stale. */
void	 console_refresh_counts(struct console *c);

/* console_deliver.c: the console's page deliverer (outbox_agent.h). */
/* Start it when this console may and should deliver; a reason on the
 * status line when it cannot. */
void	 console_deliver_start(struct console *c, const struct console_options *opt);
/* The fd to poll with the terminal, -1 when not delivering. */
int	 console_deliver_fd(const struct console *c);
/* Take what the deliverer reported (problems go to the status line). */
void	 console_deliver_poll(struct console *c);
/* Stop it, waiting a bounded time. */
void	 console_deliver_stop(struct console *c);

/* console_stats.c */
void	 console_stats_open(struct console *c);
void	 console_stats_write(struct console *c);

/* console_draw.c */
void	 console_draw_frame(struct console *c, bool prompt_active);
void	 console_draw_status(struct console *c);
void	 console_trace_frame(struct console *c);

#endif
