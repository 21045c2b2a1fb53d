/* outbox.h: on-call pages that are never lost.
 *
 * A page is written to the outbox table in the transaction of the incident
 * change that causes it (outbox_enqueue, outbox_page_incident), and sent
 * afterwards by a deliverer (outbox_deliver_due): the console between
 * keypresses, or `vsoc outbox deliver` from cron or systemd.  A deliverer
 * claims one due row at a time with FOR UPDATE SKIP LOCKED, holds the lock
 * while it sends, and records the outcome and its audit record before it
 * commits, so two deliverers never send the same row (sql/006_outbox.sql).
 * Retries follow core/backoff.c.  Stored payloads never hold a secret: the
 * deliverer adds routing keys, API keys and webhook URLs from its own
 * secrets when it sends, and redacts them from anything it records. */
#ifndef VSOC_OUTBOX_H
#define VSOC_OUTBOX_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <jansson.h>
#include <libpq-fe.h>

#include "channel.h"

struct db;
struct settings;
struct secrets;
struct strbuf;

#define OUTBOX_ERROR_MAX	1000	/* bytes of a backend's message kept */
#define OUTBOX_PAGE_MAX		CHANNEL_MAX

/* Insert one pending page in the caller's open transaction (the caller
 * writes the action's audit record).  type is the contract the payload
 * follows (outbox.kind, which the follow-up rule reads).  payload is
 * borrowed.  Returns the row's id, or -1 with db->errmsg. */
long long outbox_enqueue(struct db *db, long long incident_id, const char *channel,
	    enum channel_type type, enum page_action action, json_t *payload);

/* What a page says about incident id, read in the caller's transaction
 * (FOR SHARE: it cannot change under the page).  inc's strings point into
 * *res, which the caller clears.  0; 1 when there is no such incident;
 * -1 with db->errmsg. */
int	 outbox_incident_read(struct db *db, long long id, struct page_incident *inc,
	    PGresult **res);

/* The pages an incident change made. */
struct outbox_paged {
	size_t		 n;
	long long	 id[OUTBOX_PAGE_MAX];
	char		 channel[OUTBOX_PAGE_MAX][CHANNEL_NAME_MAX + 1];
	int		 severity;	/* the incident's */
};

/* Page an incident, in the caller's open transaction: PAGE_TRIGGER
 * enqueues one row per configured channel whose severities include the
 * incident's; PAGE_ACKNOWLEDGE and PAGE_RESOLVE (following the incident's
 * status) go to the configured channels that were triggered for it.
 * Returns the number of rows (0: no channel, said in err), or -1 with
 * db->errmsg (db->sqlstate P0002 for no such incident). */
int	 outbox_page_incident(struct db *db, const struct settings *cfg,
	    long long incident_id, enum page_action action, struct outbox_paged *out,
	    struct strbuf *err);

/* One delivery attempt's outcome, for the caller to show. */
struct outbox_result {
	long long	 id;
	long long	 incident_id;
	char		 channel[CHANNEL_NAME_MAX + 1];
	char		 action[16];
	char		 state[12];	/* sent, retrying, failed */
	long		 code;		/* HTTP status, 0 without a reply */
	int		 delay;		/* retrying: seconds to the next attempt */
	int		 attempt;
	char		 error[OUTBOX_ERROR_MAX + 1];	/* redacted and sanitized */
};

struct outbox_run {
	int		 sent, retrying, failed;
	size_t		 n;		/* results below */
	struct outbox_result *results;
	/* Configured channels this deliverer cannot send to (a secret is
	 * missing): their rows stay pending for another deliverer. */
	struct strbuf	*skipped;	/* optional: "name: why" lines */
	/* Optional: once set, the page being sent is abandoned and rolled
	 * back (it stays due, its attempt not counted) and no other is
	 * claimed; a reply already read is still recorded. */
	const atomic_bool *cancel;
};

void	 outbox_run_free(struct outbox_run *r);

/* Send up to max due rows of the channels cfg configures, one transaction
 * each (claim, send, record, audit, commit).  Bounded: at most max sends,
 * each bounded by its channel's timeout; the console calls it from its
 * idle loop with a small max.  now seeds the retry jitter.  Returns the
 * number of rows handled, or -1 with db->errmsg (the row in hand is
 * rolled back and stays due). */
int	 outbox_deliver_due(struct db *db, const struct settings *cfg,
	    const struct secrets *sec, int max, time_t now, struct outbox_run *run);

/* A page's delivery state in words, as the incident view and `incident
 * show` print it: "pending", "sent at T", "retrying (attempt N failed),
 * next at T: MESSAGE", "failed after N attempts: MESSAGE".  Every
 * argument but status may be NULL; message is the stored last_error
 * (untrusted: the caller sanitizes what it prints). */
void	 outbox_state_text(const char *status, long long attempts, const char *next_attempt,
	    const char *sent_at, const char *message, struct strbuf *out);

/* Seconds until the next row of cfg's channels is due (0: now), -1 when
 * none is waiting, -2 on error (db->errmsg). */
long	 outbox_next_due(struct db *db, const struct settings *cfg);

#endif
