/* view_incidents_int.h: what view_incidents.c (the window, movement,
 * drawing, actions) and view_incidents_cmd.c (views, sorts, the `/`
 * filter, the list's `:` commands, the header line) share. */
#ifndef VSOC_VIEW_INCIDENTS_INT_H
#define VSOC_VIEW_INCIDENTS_INT_H

#include <stdbool.h>

#include "incident_page.h"
#include "view.h"

struct console;

#define IL_WINDOW_SCREENS	3
#define IL_MARK_CAP		1000	/* marks, and mark-all stops here */
#define IL_COUNT_CAP		10000
#define IL_RELOAD_MS		200	/* coalesce bursts of live updates */

struct ilist {
	struct console			*con;
	struct incident_list_query	 q;

	struct incident_row		*rows;	/* the window, in display order */
	int				 n, cap;
	bool				 more_before, more_after;
	int				 top, cur;
	long long			 top_abs;	/* -1 unknown */
	long long			 total;
	bool				 exact;

	/* Marked incidents as last seen (version, status, open alerts go
	 * with an action), refreshed from every reload. */
	struct incident_row		*marks;
	int				 nmarks;

	bool				 stale;
	long long			 last_reload_ms;
};

/* view_incidents.c */
void	 il_reload_from_start(struct ilist *l);
/* The mark of incident id; -1 when not marked. */
int	 il_mark_find(const struct ilist *l, long long id);

/* view_incidents_draw.c */
void	 il_draw(struct view *v, WINDOW *w, int h, int width);

/* view_incidents_cmd.c */
void	 il_apply_view(struct ilist *l, enum incident_list_view v);
void	 il_filter_interactive(struct ilist *l);
void	 il_summary(struct view *v, struct strbuf *left, struct strbuf *right);
extern const struct view_command il_commands[];

#endif
