/* view_queue.h: what the console and the `:` commands ask of the queue. */
#ifndef VSOC_VIEW_QUEUE_H
#define VSOC_VIEW_QUEUE_H

#include <stddef.h>

struct view;

struct view_queue_options {
	const char	*view;		/* a queue view or saved view name */
	const char	*filter;
};

/* The header's second line. */
struct queue_summary {
	char		 view[40];
	char		 filter[512];	/* filter_format() text, raw */
	char		 sort[32];
	bool		 reverse;
	long long	 new_above;	/* rows that appeared above the window */
	size_t		 marked;
};

void	 view_queue_summary(struct view *v, struct queue_summary *s);

/* `:` commands; each reports to the status line. */
void	 view_queue_set_view(struct view *v, const char *name);
void	 view_queue_set_filter(struct view *v, const char *expr);
void	 view_queue_set_sort(struct view *v, const char *arg);
void	 view_queue_save(struct view *v, const char *name);
void	 view_queue_delete_view(struct view *v, const char *name);
/* Saved view names starting with prefix (for completion). */
int	 view_queue_saved_names(struct view *v, const char *prefix, char **out, int max);
/* The alerts of the queue changed (after an action elsewhere): reload. */
void	 view_queue_stale(struct view *v);

#endif
