/* incident_view.h: incidents as the command line (and later the console)
 * reads them: a page of the list, and one incident with its alerts,
 * assets, notes and timeline.  Both come as one JSON document (jansson),
 * the same for `--json` and for the human printer, so the two never
 * disagree.  Text in them is stored text: untrusted, to be sanitized by
 * whoever puts it on a screen. */
#ifndef VSOC_INCIDENT_VIEW_H
#define VSOC_INCIDENT_VIEW_H

#include <stdbool.h>

#include <jansson.h>

struct db;

#define INCIDENT_LIST_MAX	1000	/* rows in one page */
#define INCIDENT_SHOW_ALERTS	1000	/* alerts listed by show */
#define INCIDENT_SHOW_TIMELINE	200	/* audit records listed by show */
#define INCIDENT_SHOW_PAGES	50	/* outbox rows listed by show */

struct incident_filter {
	const char	*status;	/* a status name; NULL: not closed; "all" */
	bool		 owner_set;	/* filter by owner_id */
	int		 owner_id;	/* 0: nobody */
	long		 limit;		/* 1..INCIDENT_LIST_MAX */
	long long	 after;		/* keyset: ids below this one; 0: from the top */
};

/* {"incidents": [...], "next_after": ID or null}: newest first.  NULL on
 * error (db->errmsg). */
json_t	*incident_list_json(struct db *db, const struct incident_filter *f);

/* One incident; NULL with *found false when there is none, NULL with
 * *found true on error (db->errmsg). */
json_t	*incident_show_json(struct db *db, long long id, bool *found);

#endif
