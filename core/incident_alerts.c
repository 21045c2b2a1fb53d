/* incident_alerts.c: the incident actions that move alerts: add, remove,
 * move, merge, and closing an incident's open alerts with it.
 *
 * An alert's incident is alerts.incident_id; incident_alerts keeps who
 * linked it and when, and incident_assets the assets involved.  The three
 * change together here, in the action's transaction, with the incidents
 * already locked (core/incident_action.c); the alerts are locked next, in
 * id order, as escalate locks them.  Whenever alerts join or leave an
 * incident its severity is recomputed (incident_severity_refresh). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "analyst.h"
#include "db.h"
#include "incident_int.h"
#include "incident_severity_hook.h"
#include "model.h"
#include "strbuf.h"

#define LIVE	"('new', 'acknowledged', 'escalated')"

static int
ll_cmp(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

static json_t *
ids_json(PGresult *res, const char *col)
{
	json_t *a = json_array();
	int i;

	for (i = 0; i < PQntuples(res); i++)
		json_array_append_new(a, json_integer(db_ll(res, i, col)));
	return a;
}

/* The requested alerts, locked in id order; NULL after irun_fail(). */
static PGresult *
lock_requested(struct irun *r, struct strbuf *ids)
{
	const struct incident_req *req = r->req;
	long long *sorted;
	const char *p[1];
	PGresult *res;
	size_t i, n = 0, k = 0;

	sorted = xcalloc(req->nalerts + 1, sizeof *sorted);
	if (req->nalerts > 0)
		memcpy(sorted, req->alerts, req->nalerts * sizeof *sorted);
	if (req->nalerts > 1)
		qsort(sorted, req->nalerts, sizeof *sorted, ll_cmp);
	for (i = 0; i < req->nalerts; i++)
		if (n == 0 || sorted[n - 1] != sorted[i])
			sorted[n++] = sorted[i];
	incident_ids_text(ids, sorted, n);
	p[0] = ids->buf;
	res = db_query(r->db, "SELECT id, status, coalesce(incident_id, 0) AS incident_id"
	    " FROM alerts WHERE id = ANY($1::bigint[]) ORDER BY id FOR UPDATE", 1, p);
	if (res == NULL) {
		free(sorted);
		irun_dberror(r);
		return NULL;
	}
	/* Both lists are sorted: the first id missing from the rows. */
	for (i = 0; i < n; i++) {
		if (k < (size_t)PQntuples(res) && db_ll(res, (int)k, "id") == sorted[i]) {
			k++;
			continue;
		}
		irun_fail(r, TRIAGE_NOT_FOUND, sorted[i], "alert %lld not found", sorted[i]);
		PQclear(res);
		free(sorted);
		return NULL;
	}
	free(sorted);
	return res;
}

/* Run one statement of the action; $1.. as given. */
static enum triage_result
exec(struct irun *r, const char *sql, int n, const char *const *p)
{
	return db_command(r->db, sql, n, p) < 0 ? irun_dberror(r) : TRIAGE_OK;
}

/* Recompute the severity, and say in the record when it moved. */
static enum triage_result
refresh(struct irun *r, long long incident, const char *key)
{
	char num[32];
	const char *p[1] = { num };
	PGresult *res;
	int before, after;
	json_t *sev;

	snprintf(num, sizeof num, "%lld", incident);
	if ((res = db_query(r->db, "SELECT severity FROM incidents WHERE id = $1", 1, p)) == NULL)
		return irun_dberror(r);
	before = db_int(res, 0, "severity");
	PQclear(res);
	if (incident_severity_refresh(r->db, incident) < 0)
		return irun_dberror(r);
	if ((res = db_query(r->db, "SELECT severity FROM incidents WHERE id = $1", 1, p)) == NULL)
		return irun_dberror(r);
	after = db_int(res, 0, "severity");
	PQclear(res);
	if (before != after) {
		sev = json_object();
		json_object_set_new(sev, "before", json_string(severity_name(before)));
		json_object_set_new(sev, "after", json_string(severity_name(after)));
		json_object_set_new(r->details, key, sev);
	}
	return TRIAGE_OK;
}

/* Assets no alert of the incident points at any more leave it.  The
 * incident's remaining assets are read once (a hashed NOT IN over its
 * alerts, through alerts_incident_idx) rather than probed per asset, which
 * on a large fleet walked every alert of each asset. */
static const char prune_assets_sql[] =
	"DELETE FROM incident_assets ia WHERE ia.incident_id = $2"
	" AND ia.asset_id IN (SELECT asset_id FROM alerts WHERE id = ANY($1::bigint[]))"
	" AND ia.asset_id NOT IN (SELECT a.asset_id FROM alerts a"
	"  WHERE a.incident_id = $2)";
static const char link_sql[] =
	"INSERT INTO incident_alerts (incident_id, alert_id, added_by)"
	" SELECT $2, unnest($1::bigint[]), $3 ON CONFLICT DO NOTHING";
static const char link_assets_sql[] =
	"INSERT INTO incident_assets (incident_id, asset_id)"
	" SELECT DISTINCT $2::bigint, asset_id FROM alerts WHERE id = ANY($1::bigint[])"
	" ON CONFLICT DO NOTHING";

enum triage_result
incident_do_add(struct irun *r, long long incident)
{
	struct strbuf ids, chg;
	json_t *same = json_array();
	char inc[32], actor[16];
	const char *p[3];
	enum triage_result rc = TRIAGE_OK;
	PGresult *lk, *res = NULL;
	long long *changed;
	size_t nchanged = 0;
	int i;

	strbuf_init(&ids);
	strbuf_init(&chg);
	if ((lk = lock_requested(r, &ids)) == NULL) {
		rc = r->out->result;
		goto done;
	}
	changed = xcalloc((size_t)PQntuples(lk) + 1, sizeof *changed);
	for (i = 0; i < PQntuples(lk) && rc == TRIAGE_OK; i++) {
		long long id = db_ll(lk, i, "id"), in = db_ll(lk, i, "incident_id");
		enum alert_status st = status_parse(db_value(lk, i, "status"));

		if (in == incident) {
			json_array_append_new(same, json_integer(id));
		} else if (in != 0) {
			rc = irun_fail(r, TRIAGE_CONFLICT, id, "alert %lld is in incident %lld;"
			    " move it with: vsoc incident move %lld %lld --to %lld", id, in,
			    in, id, incident);
		} else if (st == ST_CLOSED || st == ST_SUPPRESSED) {
			rc = irun_fail(r, TRIAGE_CONFLICT, id, "alert %lld is %s; reopen it"
			    " first", id, status_name(st));
		} else {
			changed[nchanged++] = id;
		}
	}
	PQclear(lk);
	incident_ids_text(&chg, changed, nchanged);
	free(changed);
	if (rc != TRIAGE_OK)
		goto done;
	if (nchanged == 0 && r->req->action == IA_ADD) {
		r->noop = true;
		goto done;
	}
	snprintf(inc, sizeof inc, "%lld", incident);
	snprintf(actor, sizeof actor, "%d", r->req->actor->id);
	p[0] = chg.buf;
	p[1] = inc;
	p[2] = actor;
	res = db_query(r->db, "UPDATE alerts SET status = 'escalated', incident_id = $2,"
	    " version = version + 1, updated_at = now() WHERE id = ANY($1::bigint[])"
	    " RETURNING id", 2, p);
	if (res == NULL) {
		rc = irun_dberror(r);
		goto done;
	}
	irun_touch_alerts(r, res, "id");
	r->out->changed = (size_t)PQntuples(res);
	json_object_set_new(r->details, "added", ids_json(res, "id"));
	if (json_array_size(same) > 0)
		json_object_set(r->details, "unchanged", same);
	if ((rc = exec(r, link_sql, 3, p)) == TRIAGE_OK &&
	    (rc = exec(r, link_assets_sql, 2, p)) == TRIAGE_OK)
		rc = refresh(r, incident, "severity");
done:
	PQclear(res);
	json_decref(same);
	strbuf_free(&ids);
	strbuf_free(&chg);
	return rc;
}

/* Every requested alert must be in incident r->id; NULL after a failure. */
static PGresult *
lock_members(struct irun *r, struct strbuf *ids)
{
	PGresult *lk;
	int i;

	if ((lk = lock_requested(r, ids)) == NULL)
		return NULL;
	for (i = 0; i < PQntuples(lk); i++) {
		long long id = db_ll(lk, i, "id");

		if (db_ll(lk, i, "incident_id") != r->id) {
			irun_fail(r, TRIAGE_CONFLICT, id, "alert %lld is not in incident %lld",
			    id, r->id);
			PQclear(lk);
			return NULL;
		}
	}
	return lk;
}

static enum triage_result
refuse_closed(struct irun *r, int row)
{
	if (strcmp(irun_col(r, row, "status"), "closed") == 0)
		return irun_fail(r, TRIAGE_CONFLICT, 0, "incident %s is closed%s",
		    irun_col(r, row, "id"), irun_col(r, row, "merged_into") ?
		    " (merged)" : "; reopen it first");
	return TRIAGE_OK;
}

enum triage_result
incident_do_remove(struct irun *r)
{
	struct strbuf ids;
	char inc[32];
	const char *p[2];
	enum triage_result rc;
	PGresult *lk, *res;

	if ((rc = refuse_closed(r, r->main)) != TRIAGE_OK)
		return rc;
	strbuf_init(&ids);
	if ((lk = lock_members(r, &ids)) == NULL) {
		strbuf_free(&ids);
		return r->out->result;
	}
	PQclear(lk);
	snprintf(inc, sizeof inc, "%lld", r->id);
	p[0] = ids.buf;
	p[1] = inc;
	/* Back to the queue, acknowledged: someone has looked at them. */
	res = db_query(r->db, "UPDATE alerts SET incident_id = NULL,"
	    " status = CASE WHEN status IN " LIVE " THEN 'acknowledged' ELSE status END,"
	    " version = version + 1, updated_at = now()"
	    " WHERE id = ANY($1::bigint[]) RETURNING id", 1, p);
	if (res == NULL) {
		strbuf_free(&ids);
		return irun_dberror(r);
	}
	irun_touch_alerts(r, res, "id");
	r->out->changed = (size_t)PQntuples(res);
	json_object_set_new(r->details, "removed", ids_json(res, "id"));
	json_object_set_new(r->after, "alert_status", json_string("acknowledged"));
	PQclear(res);
	if ((rc = exec(r, "DELETE FROM incident_alerts WHERE incident_id = $2"
	    " AND alert_id = ANY($1::bigint[])", 2, p)) == TRIAGE_OK &&
	    (rc = exec(r, prune_assets_sql, 2, p)) == TRIAGE_OK)
		rc = refresh(r, r->id, "severity");
	strbuf_free(&ids);
	return rc;
}

enum triage_result
incident_do_move(struct irun *r)
{
	struct strbuf ids;
	char inc[32], to[32], actor[16];
	const char *p[3], *q[3];
	enum triage_result rc;
	PGresult *lk, *res;

	if ((rc = refuse_closed(r, r->main)) != TRIAGE_OK ||
	    (rc = refuse_closed(r, r->other)) != TRIAGE_OK)
		return rc;
	strbuf_init(&ids);
	if ((lk = lock_members(r, &ids)) == NULL) {
		strbuf_free(&ids);
		return r->out->result;
	}
	PQclear(lk);
	snprintf(inc, sizeof inc, "%lld", r->id);
	snprintf(to, sizeof to, "%lld", r->req->target);
	snprintf(actor, sizeof actor, "%d", r->req->actor->id);
	p[0] = q[0] = ids.buf;
	p[1] = inc;
	q[1] = to;
	q[2] = actor;
	res = db_query(r->db, "UPDATE alerts SET incident_id = $2,"
	    " status = CASE WHEN status IN ('new', 'acknowledged') THEN 'escalated'"
	    " ELSE status END, version = version + 1, updated_at = now()"
	    " WHERE id = ANY($1::bigint[]) RETURNING id", 2, q);
	if (res == NULL) {
		strbuf_free(&ids);
		return irun_dberror(r);
	}
	irun_touch_alerts(r, res, "id");
	r->out->changed = (size_t)PQntuples(res);
	json_object_set_new(r->details, "moved", ids_json(res, "id"));
	json_object_set_new(r->details, "to", json_integer(r->req->target));
	json_object_set_new(r->before, "incident", json_integer(r->id));
	json_object_set_new(r->after, "incident", json_integer(r->req->target));
	PQclear(res);
	if ((rc = exec(r, "DELETE FROM incident_alerts WHERE incident_id = $2"
	    " AND alert_id = ANY($1::bigint[])", 2, p)) == TRIAGE_OK &&
	    (rc = exec(r, link_sql, 3, q)) == TRIAGE_OK &&
	    (rc = exec(r, link_assets_sql, 2, q)) == TRIAGE_OK &&
	    (rc = exec(r, prune_assets_sql, 2, p)) == TRIAGE_OK &&
	    (rc = refresh(r, r->id, "severity")) == TRIAGE_OK)
		rc = refresh(r, r->req->target, "target_severity");
	strbuf_free(&ids);
	return rc;
}

enum triage_result
incident_do_merge(struct irun *r)
{
	/* $1 the merged incident (B), $2 the one it joins (A). */
	static const char *const links[] = {
		"INSERT INTO incident_alerts (incident_id, alert_id, added_by, added_at)"
		" SELECT $2::bigint, alert_id, added_by, added_at FROM incident_alerts"
		" WHERE incident_id = $1::bigint ON CONFLICT DO NOTHING",
		/* Alerts linked only through alerts.incident_id get a link too;
		 * $1 is there to keep the parameter list the same. */
		"INSERT INTO incident_alerts (incident_id, alert_id)"
		" SELECT $2::bigint, id FROM alerts WHERE incident_id = $2::bigint"
		" AND $1::bigint IS NOT NULL ON CONFLICT DO NOTHING",
		"DELETE FROM incident_alerts WHERE incident_id = $1::bigint"
		" AND $2::bigint IS NOT NULL",
		"INSERT INTO incident_assets (incident_id, asset_id)"
		" SELECT $2::bigint, asset_id FROM incident_assets WHERE incident_id = $1::bigint"
		" ON CONFLICT DO NOTHING",
		"DELETE FROM incident_assets WHERE incident_id = $1::bigint"
		" AND $2::bigint IS NOT NULL",
		/* Closed as merged, with the link; the workflow trigger sees
		 * no open alert left in it. */
		"UPDATE incidents SET status = 'closed', merged_into = $2::bigint,"
		" closed_at = now(), resolution = 'merged into incident ' || $2::bigint"
		" WHERE id = $1::bigint",
	};
	char from[32], into[32];
	const char *p[2] = { from, into };
	enum triage_result rc;
	PGresult *res;
	size_t i;

	if ((rc = refuse_closed(r, r->main)) != TRIAGE_OK ||
	    (rc = refuse_closed(r, r->other)) != TRIAGE_OK)
		return rc;
	snprintf(from, sizeof from, "%lld", r->id);
	snprintf(into, sizeof into, "%lld", r->req->target);
	res = db_query(r->db, "SELECT id FROM alerts WHERE incident_id = $1 ORDER BY id"
	    " FOR UPDATE", 1, p);
	if (res == NULL)
		return irun_dberror(r);
	PQclear(res);
	res = db_query(r->db, "UPDATE alerts SET incident_id = $2, version = version + 1,"
	    " updated_at = now() WHERE incident_id = $1 RETURNING id", 2, p);
	if (res == NULL)
		return irun_dberror(r);
	irun_touch_alerts(r, res, "id");
	r->out->changed = (size_t)PQntuples(res);
	json_object_set_new(r->details, "into", json_integer(r->req->target));
	json_object_set_new(r->details, "moved", ids_json(res, "id"));
	PQclear(res);
	json_object_set_new(r->before, "status", json_string(irun_col(r, r->main, "status")));
	json_object_set_new(r->after, "status", json_string("closed"));
	json_object_set_new(r->after, "merged_into", json_integer(r->req->target));
	for (i = 0; i < sizeof links / sizeof links[0]; i++)
		if ((rc = exec(r, links[i], 2, p)) != TRIAGE_OK)
			return rc;
	res = db_query(r->db, "SELECT vsoc_incident_move_notes($1, $2) AS n", 2, p);
	if (res == NULL)
		return irun_dberror(r);
	json_object_set_new(r->details, "notes_moved", json_integer(db_ll(res, 0, "n")));
	PQclear(res);
	return refresh(r, r->req->target, "target_severity");
}

enum triage_result
incident_do_close_alerts(struct irun *r)
{
	char inc[32];
	const char *p[3] = { inc, disposition_name(r->req->disposition), r->req->resolution };
	PGresult *res;

	snprintf(inc, sizeof inc, "%lld", r->id);
	res = db_query(r->db, "SELECT id FROM alerts WHERE incident_id = $1"
	    " AND status IN " LIVE " ORDER BY id FOR UPDATE", 1, p);
	if (res == NULL)
		return irun_dberror(r);
	PQclear(res);
	res = db_query(r->db, "UPDATE alerts SET status = 'closed', disposition = $2,"
	    " disposition_reason = $3, closed_at = now(), version = version + 1,"
	    " updated_at = now() WHERE incident_id = $1 AND status IN " LIVE
	    " RETURNING id", 3, p);
	if (res == NULL)
		return irun_dberror(r);
	irun_touch_alerts(r, res, "id");
	r->out->changed = (size_t)PQntuples(res);
	json_object_set_new(r->details, "closed_alerts", ids_json(res, "id"));
	json_object_set_new(r->details, "disposition",
	    json_string(disposition_name(r->req->disposition)));
	PQclear(res);
	return TRIAGE_OK;
}
