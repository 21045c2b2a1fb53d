/* view_candidates_int.h: what the candidates list (view_candidates.c),
 * its drawing (view_candidates_draw.c), one candidate's alerts
 * (view_candidate.c) and the decisions on them (view_candidates_act.c)
 * share. */
#ifndef VSOC_VIEW_CANDIDATES_INT_H
#define VSOC_VIEW_CANDIDATES_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "candidates.h"
#include "view.h"

struct console;

#define CL_RELOAD_MS	200	/* coalesce bursts of live updates, as the lists do */
#define CL_WINDOW_MAX	600	/* rows kept; paging past it drops the far end */

struct clist {
	struct console		*con;
	struct candidate	*rows;	/* the window, in the list's order */
	int			 n, cap;
	long long		 base;	/* rows[0]'s place in the list */
	size_t			 total;
	bool			 more_after;
	int			 top, cur;
	bool			 stale;
	long long		 last_reload_ms;
};

/* view_candidates.c: every candidates list on the stack re-reads on its
 * next turn (after a decision taken in a view above it). */
void	 cl_mark_stale(struct console *c);

/* view_candidates_draw.c */
void	 cl_draw(struct view *v, WINDOW *w, int h, int width);

/* view_candidates_act.c: ask, confirm, run, say.  True when done. */
/* A new incident from key's alerts (alerts of them) less except[]; the
 * new incident's id in *incident. */
bool	 cv_accept(struct console *c, const char *key, long long alerts,
	    const long long *except, size_t nexcept, long long *incident);
/* Hide key for a duration with a reason, both asked for. */
bool	 cv_dismiss(struct console *c, const char *key);

#endif
