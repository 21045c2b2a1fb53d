/* view_queue_int.h: what view_queue.c (view ops, drawing, keys,
 * actions), view_queue_window.c (the rows in memory, movement, loading
 * and live reloads) and view_queue_cmd.c (views, sorts, filters, saved
 * views and the queue's `:` commands) share.  Private to those files. */
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
	bool			 stale_inserts;	/* only inserts since the last reload */
	bool			 before_capped;	/* rows above the screen >= QV_COUNT_CAP */
	long long		 last_reload_ms;
};

/* view_queue_window.c */
long long qv_now_ms(void);
int	 qv_page_rows(const struct qview *q);	/* body rows less the column header */
void	 qv_rows_clear(struct qview *q);
/* One page from the database; -1 with the error on the status line. */
int	 qv_fetch(struct qview *q, const struct queue_row *cursor,
	    enum queue_dir dir, int limit, struct queue_page *p);
void	 qv_set_top(struct qview *q, int top);
void	 qv_keep_visible(struct qview *q);	/* the cursor on the screen */
void	 qv_load_first(struct qview *q);	/* g */
void	 qv_load_last(struct qview *q);		/* G */
void	 qv_move_by(struct qview *q, int delta, bool scroll_page);
/* Re-read the window around the same alert; grown: only inserts since. */
void	 qv_reload(struct qview *q, bool grown);
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
