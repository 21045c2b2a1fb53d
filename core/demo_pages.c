/* demo_pages.c: the demo's on-call pages, one of each delivery state, so
 * the incident view shows what paging looks like before anyone configures
 * a channel (see demo_incidents.h).
 *
 * The payloads are the real contracts' (channel_payload), on channels
 * named demo-oncall (PagerDuty) and demo-chat (Slack): no settings file
 * names those unless someone means to, so no console or `outbox deliver`
 * ever sends a demo page to a real backend.  The states are set as the
 * DBA, as a deliverer's vsoc_outbox_result() would have left them. */
#include <stdio.h>
#include <string.h>

#include "db.h"
#include "demo_incidents.h"
#include "outbox.h"

struct demo_page {
	const char	*pick;		/* SQL: one incident id, or none */
	const char	*channel;
	enum channel_type type;
	enum page_action action;
	const char	*status;	/* as the deliverer left it */
	int		 attempts;
	const char	*code;		/* the backend's HTTP status, or NULL */
	const char	*error;		/* its message, as the deliverer keeps it */
	int		 age_min;	/* last attempt this long ago */
	int		 next_min;	/* retrying: due this long from now */
};

#define CLOSED	"SELECT max(id) AS id FROM incidents WHERE status = 'closed'" \
		" AND merged_into IS NULL"
#define CONTAIN	"SELECT min(id) AS id FROM incidents WHERE status = 'containment'"
#define OPEN	"SELECT min(id) AS id FROM incidents WHERE status = 'open'"
#define ERAD	"SELECT min(id) AS id FROM incidents WHERE status = 'eradication'"
#define RECOV	"SELECT min(id) AS id FROM incidents WHERE status = 'recovery'"

static const struct demo_page pages[] = {
	/* Paged, acknowledged when triage began, resolved when closed. */
	{ CLOSED, "demo-oncall", CHANNEL_PAGERDUTY, PAGE_TRIGGER, "sent", 1, "202", NULL, 300, 0 },
	{ CLOSED, "demo-chat", CHANNEL_SLACK, PAGE_TRIGGER, "sent", 1, "200", NULL, 300, 0 },
	{ CLOSED, "demo-oncall", CHANNEL_PAGERDUTY, PAGE_ACKNOWLEDGE, "sent", 1, "202", NULL,
	  280, 0 },
	{ CLOSED, "demo-oncall", CHANNEL_PAGERDUTY, PAGE_RESOLVE, "sent", 1, "202", NULL, 60, 0 },
	/* Acknowledged on PagerDuty; the Slack webhook was deleted. */
	{ CONTAIN, "demo-oncall", CHANNEL_PAGERDUTY, PAGE_TRIGGER, "sent", 2, "202", NULL,
	  90, 0 },
	{ CONTAIN, "demo-oncall", CHANNEL_PAGERDUTY, PAGE_ACKNOWLEDGE, "sent", 1, "202", NULL,
	  85, 0 },
	{ CONTAIN, "demo-chat", CHANNEL_SLACK, PAGE_TRIGGER, "failed", 1, "404",
	  "HTTP 404, refused: not retried: no_service", 90, 0 },
	/* PagerDuty answering 500: retrying with backoff. */
	{ OPEN, "demo-oncall", CHANNEL_PAGERDUTY, PAGE_TRIGGER, "retrying", 2, "500",
	  "HTTP 500, server error: {\"status\":\"error\",\"message\":\"internal error\"}",
	  2, 6 },
	/* A routing key PagerDuty does not know: refused, not retried. */
	{ ERAD, "demo-oncall", CHANNEL_PAGERDUTY, PAGE_TRIGGER, "failed", 1, "400",
	  "HTTP 400, refused: not retried: {\"status\":\"invalid event\",\"message\":"
	  "\"Event object is invalid\",\"errors\":[\"'routing_key' is invalid\"]}", 40, 0 },
	/* Written a moment ago, waiting for a deliverer. */
	{ RECOV, "demo-oncall", CHANNEL_PAGERDUTY, PAGE_TRIGGER, "pending", 0, NULL, NULL, 0, 0 },
};

static int
demo_page(struct db *db, const struct demo_page *pg, int lead)
{
	struct page_incident inc;
	char idbuf[32], num[4][16];
	const char *p[9];
	PGresult *res, *ir = NULL;
	json_t *payload;
	long long inc_id, id;
	int rc;

	if ((res = db_query(db, pg->pick, 0, NULL)) == NULL)
		return -1;
	inc_id = db_value(res, 0, "id") != NULL ? db_ll(res, 0, "id") : 0;
	PQclear(res);
	if (inc_id == 0)
		return 0;	/* a small fleet without that phase */
	if ((rc = outbox_incident_read(db, inc_id, &inc, &ir)) != 0) {
		PQclear(ir);
		return rc < 0 ? -1 : 0;
	}
	payload = channel_payload(pg->type, &inc, pg->action);
	PQclear(ir);
	if (payload == NULL)
		return 0;
	id = outbox_enqueue(db, inc_id, pg->channel, pg->type, pg->action, payload);
	json_decref(payload);
	if (id < 0)
		return -1;
	snprintf(idbuf, sizeof idbuf, "%lld", id);
	snprintf(num[0], sizeof num[0], "%d", pg->attempts);
	snprintf(num[1], sizeof num[1], "%d", pg->age_min);
	snprintf(num[2], sizeof num[2], "%d", pg->next_min);
	snprintf(num[3], sizeof num[3], "%d", lead);
	p[0] = idbuf;
	p[1] = pg->status;
	p[2] = num[0];
	p[3] = pg->code;
	p[4] = pg->error;
	p[5] = num[1];
	p[6] = num[2];
	p[7] = num[3];
	/* The insert trigger made it pending and due now; the rest is what
	 * the deliverer's attempts would have recorded. */
	return db_command(db, "UPDATE outbox SET status = $2, attempts = $3::int,"
	    " last_code = $4::int, last_error = $5,"
	    " updated_at = now() - make_interval(mins => $6::int),"
	    " created_at = now() - make_interval(mins => $6::int + 1),"
	    " sent_at = CASE WHEN $2 = 'sent' THEN now() - make_interval(mins => $6::int) END,"
	    " next_attempt = now() + make_interval(mins => $7::int),"
	    " created_by = nullif($8::int, 0) WHERE id = $1", 8, p) == 1 ? 0 : -1;
}

int
demo_pages(struct db *db, int lead)
{
	size_t i;

	for (i = 0; i < sizeof pages / sizeof pages[0]; i++)
		if (demo_page(db, &pages[i], lead) < 0)
			return -1;
	return 0;
}
