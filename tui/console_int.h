/* console_int.h: what console.c (setup, loop), console_draw.c and
 * console_prompt.c share.  Views use console.h, never this. */
#ifndef VSOC_CONSOLE_INT_H
#define VSOC_CONSOLE_INT_H

#include <stdbool.h>

struct console;

#define IDLE_MS		1000	/* wake up to age the "5m" columns */
#define PENDING_MS	50	/* while a reload or a debounce waits */
#define KEY_FIRST_MS	1000	/* live reloads wait at most this for keys */

/* console.c */
long long console_now_ms(void);
bool	 console_interrupted(void);	/* a signal asks the console to end */
void	 resize_display(struct console *c);
void	 console_wait_input(struct console *c, int timeout_ms);
int	 console_read_key(struct console *c);
bool	 console_poll_database(struct console *c);
bool	 console_refresh_views(struct console *c);
bool	 console_lock_due(const struct console *c);
void	 console_lock(struct console *c);

/* console_stats.c */
void	 console_stats_open(struct console *c);
void	 console_stats_write(struct console *c);

/* console_draw.c */
void	 console_draw_frame(struct console *c, bool prompt_active);
void	 console_draw_status(struct console *c);
void	 console_trace_frame(struct console *c);

#endif
