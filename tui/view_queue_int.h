/* view_queue_int.h: what view_queue.c (the window, movement, drawing)
 * and view_queue_cmd.c (views, sorts, filters, saved views and the queue's
 * `:` commands) share.  Private to those two files. */
#ifndef VSOC_VIEW_QUEUE_INT_H
#define VSOC_VIEW_QUEUE_INT_H

#include <stdbool.h>

#include "marks.h"
#include "queue.h"
#include "view.h"

struct console;

#define QV_WINDOW_SCREENS	3
#define QV_MARK_CAP		10000	/* mark-all stops here */
#define QV_COUNT_CAP		10000	/* "row 3 of 10,000+" */
/* While `/` is being typed each keystroke reloads; a smaller cap keeps the
 * count from scanning far for a broad word.  Enter counts in full. */
#define QV_TYPING_COUNT_CAP	1000
#define QV_RELOAD_MS		200	/* coalesce bursts of live updates */
#define QV_MARK_PAGE		1000

struct qview {
	struct console		*con;
	struct queue_query	 q;
	char			 label[40];	/* built-in or saved view name */

	struct queue_row	*rows;		/* the window, in display order */
	int			 n, cap;
	bool			 more_before, more_after;
	int			 top, cur;	/* first visible and selected row */
	long long		 top_abs;	/* rows[top]'s index in the queue; -1 unknown */

	long long		 total;
	bool			 exact;
	bool			 about;		/* total is an estimate: "~80,000" */
	bool			 typing;	/* inside a live `/` edit */
	long long		 new_above;

	struct marks		 marks;

	bool			 stale;
	long long		 last_reload_ms;
};

/* view_queue.c */
void	 qv_reload_from_start(struct qview *q);
void	 qv_count_rows(struct qview *q);

/* view_queue_cmd.c */
/* Built-in names exactly, then the analyst's saved views, then a unique
 * prefix of a built-in name.  0 when the query changed (not reloaded). */
int	 qv_select_view(struct qview *q, const char *name);
void	 qv_apply_view(struct qview *q, enum queue_view qv);
void	 qv_filter_interactive(struct qview *q);
void	 qv_summary(struct view *v, struct strbuf *left, struct strbuf *right);
extern const struct view_command qv_commands[];

#endif
