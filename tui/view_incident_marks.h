/* view_incident_marks.h: marks on the incident view's alert list, kept
 * out of view_incident.c: which alerts are marked (with the version seen),
 * how marked rows are drawn, and the remove / move / merge actions run on
 * them (action_incident_alerts.h).
 *
 * The view owns the struct marks (marks.h) and hands over its alert rows:
 * their ids in display order and each one's pager line. */
#ifndef VSOC_VIEW_INCIDENT_MARKS_H
#define VSOC_VIEW_INCIDENT_MARKS_H

#include <stdbool.h>

#include <curses.h>
#include <jansson.h>

#include "request.h"

struct console;
struct incident_target;
struct marks;
struct pager;

/* The alert rows of the view, as drawn. */
struct incident_rows {
	const long long	*ids;		/* in display order */
	const int	*lines;		/* each one's pager line */
	const json_t	*alerts;	/* the rows as loaded (incident_view.h) */
	int		 n;
	int		 sel;		/* the selected row; -1 none */
};

/* Mark or unmark the selected alert; false when there is none (said on
 * the status line). */
bool	 incident_marks_toggle(struct console *c, struct marks *m,
	    const struct incident_rows *rows);
/* Drop the marks of alerts no longer in the incident (moved away by
 * someone else meanwhile: never acted on from here). */
void	 incident_marks_keep(struct marks *m, const struct incident_rows *rows);
/* Over the drawn pager: marked rows in the marked attribute with the mark
 * symbol in the first column (which the rows leave blank). */
void	 incident_marks_draw(const struct marks *m, const struct incident_rows *rows,
	    const struct pager *pg, WINDOW *w, int h, int width);
/* Run remove-alerts, move-alerts or merge from incident t on the marked
 * alerts, else the selected one; the marks are cleared when it changed
 * the database.  True then (the view reloads). */
bool	 incident_marks_act(struct console *c, enum request req,
	    const struct incident_target *t, struct marks *m,
	    const struct incident_rows *rows);

#endif
