/* outbox_follow.c: follow-up pages and the page action (outbox_follow.h). */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "audit.h"
#include "db.h"
#include "outbox_follow.h"
#include "strbuf.h"

/* A status past open and before closed: someone is working on it. */
static bool
working(const char *status)
{
	return strcmp(status, "open") != 0 && strcmp(status, "closed") != 0;
}

static int
follow_one(struct db *db, const struct page_incident *inc, const char *channel,
    enum page_action a, json_t *pages)
{
	json_t *payload = channel_payload(CHANNEL_PAGERDUTY, inc, a);
	long long id;

	if (payload == NULL) {
		db_set_error(db, "no %s payload for PagerDuty", page_action_name(a));
		return -1;
	}
	id = outbox_enqueue(db, inc->id, channel, CHANNEL_PAGERDUTY, a, payload);
	json_decref(payload);
	if (id < 0)
		return -1;
	json_array_append_new(pages, json_pack("{s:I, s:s, s:s}", "outbox", (json_int_t)id,
	    "channel", channel, "page", page_action_name(a)));
	return 1;
}

int
outbox_follow_status(struct db *db, long long incident_id, const char *from,
    const char *to, json_t *pages)
{
	struct page_incident inc;
	char idbuf[32];
	const char *p[1] = { idbuf };
	PGresult *res, *ir = NULL;
	bool reopen = strcmp(from, "closed") == 0 && strcmp(to, "closed") != 0;
	int i, n = 0, rc;

	if (strcmp(from, to) == 0)
		return 0;
	/* Going back to open changes nothing at PagerDuty. */
	if (strcmp(to, "open") == 0 && !reopen)
		return 0;
	snprintf(idbuf, sizeof idbuf, "%lld", incident_id);
	/* Per PagerDuty channel: the last trigger (and how it went), the
	 * last acknowledge and the last resolve. */
	res = db_query(db, "SELECT s.channel, coalesce(s.t, 0) AS t, coalesce(s.a, 0) AS a,"
	    " coalesce(s.r, 0) AS r, coalesce((SELECT status FROM outbox WHERE id = s.t), '')"
	    " AS t_status FROM (SELECT channel,"
	    "  max(id) FILTER (WHERE action = 'trigger') AS t,"
	    "  max(id) FILTER (WHERE action = 'acknowledge') AS a,"
	    "  max(id) FILTER (WHERE action = 'resolve') AS r"
	    "  FROM outbox WHERE incident_id = $1 AND kind = 'pagerduty'"
	    "  GROUP BY channel) s WHERE s.t IS NOT NULL ORDER BY s.channel", 1, p);
	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0) {
		PQclear(res);
		return 0;
	}
	if ((rc = outbox_incident_read(db, incident_id, &inc, &ir)) != 0) {
		if (rc > 0)
			db_set_error(db, "no incident %lld", incident_id);
		PQclear(ir);
		PQclear(res);
		return -1;
	}
	for (i = 0; i < PQntuples(res); i++) {
		const char *ch = db_value(res, i, "channel");
		long long t = db_ll(res, i, "t"), a = db_ll(res, i, "a"), r = db_ll(res, i, "r");
		bool failed = strcmp(db_value(res, i, "t_status"), "failed") == 0;
		bool resolved = r > t, open = !failed && !resolved, acked = a > t;

		if (reopen && resolved && !failed) {
			if ((rc = follow_one(db, &inc, ch, PAGE_TRIGGER, pages)) < 0)
				goto fail;
			n += rc;
			open = true;
			acked = false;
		}
		if (strcmp(to, "closed") == 0 && open)
			rc = follow_one(db, &inc, ch, PAGE_RESOLVE, pages);
		else if (working(to) && open && !acked)
			rc = follow_one(db, &inc, ch, PAGE_ACKNOWLEDGE, pages);
		else
			rc = 0;
		if (rc < 0)
			goto fail;
		n += rc;
	}
	PQclear(ir);
	PQclear(res);
	return n;
fail:
	PQclear(ir);
	PQclear(res);
	return -1;
}

int
outbox_page_action(struct db *db, const struct settings *cfg, long long incident_id,
    enum page_action action, struct outbox_paged *out, struct strbuf *err)
{
	json_t *details, *chans, *ids;
	size_t k;
	int n;

	if (db_begin(db) < 0)
		return -1;
	n = outbox_page_incident(db, cfg, incident_id, action, out, err);
	if (n < 0) {
		db_rollback(db);
		if (db_sqlstate_is(db, DB_SQLSTATE_NO_PRIV))
			audit_denied(db, "incident.page", "incident", incident_id, NULL, 0,
			    db->errmsg);
		return -1;
	}
	if (n == 0) {
		db_rollback(db);
		return 0;
	}
	details = json_object();
	chans = json_array();
	ids = json_array();
	for (k = 0; k < out->n; k++) {
		json_array_append_new(chans, json_string(out->channel[k]));
		json_array_append_new(ids, json_integer(out->id[k]));
	}
	json_object_set_new(details, "page", json_string(page_action_name(action)));
	json_object_set_new(details, "channels", chans);
	json_object_set_new(details, "outbox", ids);
	if (audit_append(db, "incident.page", "incident", incident_id, NULL, 0, details) < 0 ||
	    db_commit(db) < 0) {
		json_decref(details);
		db_rollback(db);
		return -1;
	}
	json_decref(details);
	return n;
}
