/* incident_page.h: the console's incident list as keyset-paginated pages.
 *
 * As the alert queue (queue.h): a page is at most `limit` rows after (or
 * before) a cursor row in the sort's order, with the id as the tie
 * breaker, so the list never reads the whole table and rows inserted
 * above the window never shift it.  Counts are bounded.  Text in rows is
 * stored text: untrusted, sanitized by whoever draws it. */
#ifndef VSOC_INCIDENT_PAGE_H
#define VSOC_INCIDENT_PAGE_H

#include <stdbool.h>
#include <time.h>

#include "queue.h"
#include "sla.h"

struct db;

enum incident_list_view {
	ILV_OPEN,	/* not closed */
	ILV_MINE,	/* not closed, owned by me */
	ILV_UNOWNED,	/* not closed, nobody owns it */
	ILV_CLOSED,
	ILV_ALL,
	/* Not closed, past the SLA deadline or due within the hour, soonest
	 * deadline first whatever the sort (one index range per severity
	 * and clock, merged: incident_page.c). */
	ILV_BREACHING,
	ILV__COUNT
};

enum incident_list_sort {
	ILS_UPDATED,	/* last change, newest first */
	ILS_SEVERITY,	/* effective severity (the override if any), highest first */
	ILS_ID,		/* newest first */
	ILS__COUNT
};

#define INCIDENT_WORDS_MAX	200	/* bytes of `/` words */

struct incident_list_query {
	enum incident_list_view	 view;
	enum incident_list_sort	 sort;
	bool			 reverse;
	int			 me;		/* analyst id, for "mine" */
	char			 words[INCIDENT_WORDS_MAX + 1];	/* title or #id; "" none */
};

struct incident_row {
	long long	 id;
	char		*title;
	char		*status;
	int		 severity;	/* effective */
	int		 computed;	/* what the alerts say */
	bool		 overridden;
	char		*owner;		/* NULL: nobody */
	int		 version;
	long long	 alerts, open_alerts;
	time_t		 created_at, updated_at;
	/* The SLA clock (core/sla.h): first acknowledged (left 'open' or got
	 * an owner; 0 not yet), closed (0 open), the severity's targets in
	 * seconds (0 none). */
	time_t		 acked_at, closed_at;
	long long	 sla_ack, sla_resolve;
	char		*key;		/* the sort key as text: the keyset cursor */
};

struct incident_page {
	struct incident_row	*rows;
	int			 n;
	bool			 more;	/* rows beyond the page in its direction */
};

const char	*incident_list_view_name(enum incident_list_view v);
/* A view by name or unique prefix; -1 if none. */
int		 incident_list_view_parse(const char *s);
const char	*incident_list_sort_name(enum incident_list_sort s);
/* The order q's rows come in: "deadline" in the breaching view. */
const char	*incident_list_query_sort_name(const struct incident_list_query *q);
/* The row's SLA clock at now. */
void		 incident_row_sla(const struct incident_row *r, time_t now,
		    struct sla_status *out);

void	 incident_list_query_init(struct incident_list_query *q);

/* Rows after (or before, or from) cursor in display order; cursor NULL:
 * from the top (QD_AFTER) or the bottom (QD_BEFORE).  0, or -1 with
 * db->errmsg. */
int	 incident_page_fetch(struct db *db, const struct incident_list_query *q,
	    const struct incident_row *cursor, enum queue_dir dir, int limit,
	    struct incident_page *out);
void	 incident_page_free(struct incident_page *p);
void	 incident_row_copy(struct incident_row *dst, const struct incident_row *src);
void	 incident_row_free(struct incident_row *r);

/* Matching rows, counting no further than cap; -1 on error. */
long long incident_page_count(struct db *db, const struct incident_list_query *q,
	    long long cap);
/* Matching rows before cursor in display order, no further than cap. */
long long incident_page_count_before(struct db *db,
	    const struct incident_list_query *q, const struct incident_row *cursor,
	    long long cap);

#endif
