/* queue.h: the alert queue as keyset-paginated pages.
 *
 * Nothing here reads a whole table: a page is at most `limit` rows fetched
 * after (or before) a cursor row, in an order that an index serves, and
 * counts come from the alert_counts table or from bounded counts. */
#ifndef VSOC_QUEUE_H
#define VSOC_QUEUE_H

#include <stdbool.h>
#include <time.h>

#include "filter.h"
#include "model.h"
#include "sla.h"

struct db;

enum queue_view {
	QV_OPEN,	/* new and acknowledged */
	QV_MINE,	/* open or escalated, assigned to me */
	QV_UNASSIGNED,	/* open, nobody has it */
	QV_ESCALATED,
	QV_CLOSED,	/* closed and suppressed */
	QV_ALL,
	/* Open (new, acknowledged, escalated) past their SLA deadline or due
	 * within the hour, soonest deadline first (core/queue_sla.c); the
	 * sort is always the deadline. */
	QV_BREACHING,
	QV__COUNT
};

enum queue_sort {
	QS_SEVERITY,	/* severity, then last seen */
	QS_LAST,	/* last seen */
	QS_AGE,		/* first seen */
	QS_OCCURRENCES,
	QS_RULE,
	QS_ASSET,
	QS_STATUS,
	QS_ASSIGNEE,
	QS_TITLE,
	QS_ID,
	QS__COUNT
};

#define QUEUE_MAX_KEYS	4

enum queue_dir {
	QD_AFTER,	/* rows after the cursor, in display order */
	QD_BEFORE,	/* rows before the cursor, returned in display order */
	QD_FROM		/* the cursor row itself and the rows after it */
};

/* How free words are searched (queue.c explains the two plans). */
enum queue_search {
	QSEARCH_AUTO,		/* chosen per query from the planner's estimates */
	QSEARCH_WALK,		/* walk the sort's index, test each row */
	QSEARCH_INDEX		/* trigram index first, then sort the matches */
};

struct queue_query {
	enum queue_view	 view;
	enum queue_sort	 sort;
	bool		 reverse;	/* flip the sort's natural direction */
	struct filter	 filter;	/* owned */
	int		 me;		/* acting analyst id, for QV_MINE and assignee=me */
	long long	 asset_id;	/* one asset by id (0: any); the detail's siblings */
	enum queue_search search;	/* tests and benchmarks force a plan */
};

/* How far a count can be trusted. */
enum queue_total {
	QT_EXACT,		/* the number */
	QT_AT_LEAST,		/* the cap was reached: "10,000+" */
	QT_ABOUT		/* the planner's estimate: "~80,000" */
};

struct queue_row {
	long long	 id;
	int		 severity;
	enum alert_status status;
	char		*assignee;	/* NULL if unassigned */
	char		*rule_id;
	char		*asset_ref;
	char		*title;
	int		 occurrences;
	time_t		 first_seen;
	time_t		 last_seen;
	int		 version;
	long long	 incident_id;
	/* The SLA clock (core/sla.h): when the alert arrived, was first
	 * acknowledged (0 unknown or not yet) and was closed or suppressed
	 * (0 open), and its severity's targets in seconds (0 none). */
	time_t		 created_at;
	time_t		 acked_at;
	time_t		 resolved_at;
	long long	 sla_ack, sla_resolve;
	/* The row's sort key, as text, for the next page's cursor. */
	char		*key[QUEUE_MAX_KEYS];
};

struct queue_page {
	struct queue_row *rows;
	int		 n;
	bool		 more;		/* another row exists past the last one */
};

struct queue_counts {
	long long	 by[ST__COUNT][SEV__COUNT];	/* status x severity */
	long long	 status[ST__COUNT];
	long long	 open_sev[SEV__COUNT];	/* new+acknowledged per severity */
	long long	 open;
	long long	 total;
};

const char	*queue_view_name(enum queue_view v);
enum queue_view	 queue_view_parse(const char *s);	/* QV__COUNT if unknown */
const char	*queue_sort_name(enum queue_sort s);
/* The sort q's rows come in: "deadline" in the breaching view. */
const char	*queue_query_sort_name(const struct queue_query *q);
enum queue_sort	 queue_sort_parse(const char *s);	/* QS__COUNT if unknown */
/* Natural direction: true when the sort shows largest first. */
bool		 queue_sort_descending(enum queue_sort s);

void		 queue_query_init(struct queue_query *q);
/* The statuses rows of q can have (1u << alert_status). */
unsigned	 queue_statuses(const struct queue_query *q);
void		 queue_query_free(struct queue_query *q);

/* Fetch up to limit rows relative to cursor (NULL: from the start for
 * QD_AFTER/QD_FROM, from the end for QD_BEFORE).  0, or -1 (db->errmsg). */
int		 queue_fetch(struct db *db, const struct queue_query *q,
		    const struct queue_row *cursor, enum queue_dir dir, int limit,
		    struct queue_page *out);
void		 queue_page_free(struct queue_page *p);
void		 queue_row_free(struct queue_row *r);
void		 queue_row_copy(struct queue_row *dst, const struct queue_row *src);

/* An asset's latest alerts, newest first (the detail's "other alerts on
 * this asset"), at most limit and more set past them.  The asset is given
 * by id, never by name: "asset_id = N ORDER BY last_seen DESC" is read
 * from the (asset_id, last_seen, id) index in order, limit entries for
 * the busiest station as for the quietest, whatever the statistics say
 * (tests/unit/check_plans.c).  0, or -1 (db->errmsg). */
int		 queue_asset_latest(struct db *db, long long asset_id, int limit,
		    struct queue_page *out);

/* Fetch one alert as a queue row (for live updates); 0 found, 1 gone, -1. */
int		 queue_fetch_one(struct db *db, const struct queue_query *q,
		    long long id, struct queue_row *out, bool *matches);

/* The row's SLA clock at now.  The status says which clock runs: 'new'
 * the time to acknowledge, the other open statuses the time to resolve,
 * as in the breaching view. */
void		 queue_row_sla(const struct queue_row *r, time_t now, struct sla_status *out);

/* Header counts, from alert_counts (constant time). */
int		 queue_counts(struct db *db, struct queue_counts *out);
/* Rows matching q, counted up to cap.  A word search that matches more
 * than QUEUE_COUNT_EXACT_MAX rows (by the planner's estimate) is not
 * counted: the estimate comes back as QT_ABOUT, since counting it would
 * cost one index entry and one row per match; one that does is counted
 * up to QUEUE_COUNT_EXACT_MAX at most (QT_AT_LEAST past it).  5,000
 * matches are counted in about 25 ms (bench/README). */
#define QUEUE_COUNT_EXACT_MAX	5000
long long	 queue_count(struct db *db, const struct queue_query *q, long long cap,
		    enum queue_total *kind);
/* Matching rows before cursor in display order, counted up to cap; -2 when
 * a word search would have to test every row before the cursor (the
 * position is then unknown, not an error). */
long long	 queue_count_before(struct db *db, const struct queue_query *q,
		    const struct queue_row *cursor, long long cap);

#endif
