/* incident_escalate.c: escalating alerts into an incident, the one
 * incident action that starts from the alert queue.  It runs as a triage
 * action (core/triage.c: the alerts are locked, checked and updated there,
 * with one audit record); these are its hooks: find or create the
 * incident, and link the alerts and their assets to it.  The incident
 * workflow proper is core/incident_action.c. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "db.h"
#include "incident_int.h"
#include "incident_severity_hook.h"
#include "model.h"
#include "strbuf.h"
#include "triage_int.h"

/* An existing incident is locked before the alerts (every escalation does
 * the same, so there is one order).  NO KEY UPDATE: it keeps the incident
 * from being closed under us without blocking the foreign keys of notes or
 * links other sessions add to it. */
enum triage_result
escalate_resolve(struct trun *r)
{
	char id[32];
	const char *p[1] = { id };
	PGresult *res;
	bool closed;

	if (r->req->incident_id == 0)
		return TRIAGE_OK;
	snprintf(id, sizeof id, "%lld", r->req->incident_id);
	res = db_query(r->db, "SELECT id, status FROM incidents WHERE id = $1"
	    " FOR NO KEY UPDATE", 1, p);
	if (res == NULL)
		return trun_dberror(r);
	if (PQntuples(res) != 1) {
		PQclear(res);
		return trun_fail(r, TRIAGE_NOT_FOUND, 0, "incident %lld not found",
		    r->req->incident_id);
	}
	closed = strcmp(db_value(res, 0, "status"), "closed") == 0;
	PQclear(res);
	if (closed)
		return trun_fail(r, TRIAGE_CONFLICT, 0, "incident %lld is closed",
		    r->req->incident_id);
	r->incident = r->req->incident_id;
	return TRIAGE_OK;
}

/* Moving an alert between incidents belongs to the incident workflow, not
 * to escalate. */
enum triage_result
escalate_check(struct trun *r, const struct trow *w)
{
	if (w->status == ST_ESCALATED && w->incident_id != 0 &&
	    w->incident_id != r->incident)
		return trun_fail(r, TRIAGE_CONFLICT, w->id, "alert %lld is already "
		    "escalated to incident %lld", w->id, w->incident_id);
	return TRIAGE_OK;
}

bool
escalate_same(const struct trun *r, const struct trow *w)
{
	return w->status == ST_ESCALATED && r->incident != 0 &&
	    w->incident_id == r->incident;
}

/* Scope of a new incident: one asset is 'asset'; several assets under the
 * same site (the nearest ancestor of kind site, or the asset itself) are
 * 'site'; anything else, such as vehicles or stations of two sites, is
 * 'fleet'. */
int
incident_scope_of(struct db *db, const char *ids, const char **scope)
{
	const char *p[1] = { ids };
	PGresult *res;
	long long assets, sites, sited;

	res = db_query(db, "WITH RECURSIVE up (start, id, kind, parent_id, depth) AS ("
	    " SELECT id, id, kind, parent_id, 0 FROM assets"
	    "  WHERE id IN (SELECT asset_id FROM alerts WHERE id = ANY($1::bigint[]))"
	    " UNION ALL SELECT up.start, a.id, a.kind, a.parent_id, up.depth + 1"
	    "  FROM up JOIN assets a ON a.id = up.parent_id"
	    "  WHERE up.kind <> 'site' AND up.depth < 16)"
	    " SELECT count(DISTINCT start) AS assets,"
	    " count(DISTINCT id) FILTER (WHERE kind = 'site') AS sites,"
	    " count(DISTINCT start) FILTER (WHERE kind = 'site') AS sited FROM up",
	    1, p);
	if (res == NULL)
		return -1;
	assets = db_ll(res, 0, "assets");
	sites = db_ll(res, 0, "sites");
	sited = db_ll(res, 0, "sited");
	PQclear(res);
	if (assets <= 1)
		*scope = "asset";
	else if (sites == 1 && sited == assets)
		*scope = "site";
	else
		*scope = "fleet";
	return 0;
}

/* A new incident: titled after the first alert named unless a title was
 * given, as severe as its most severe alert, owned by the actor. */
enum triage_result
escalate_before(struct trun *r)
{
	const struct triage_req *req = r->req;
	const struct trow *first;
	char sev[8], owner[16];
	const char *p[4], *scope = "asset", *title;
	struct strbuf ids;
	enum triage_result rc;
	PGresult *res;
	int maxsev = 1;
	size_t i;

	if (r->incident != 0) {
		json_object_set_new(r->details, "incident", json_integer(r->incident));
		json_object_set_new(r->details, "created", json_false());
		return TRIAGE_OK;
	}
	for (i = 0; i < r->nrows; i++)
		if (r->rows[i].severity > maxsev)
			maxsev = r->rows[i].severity;
	first = trow_find(r, req->ids[0]);
	title = req->incident_title ? req->incident_title : trow_text(r, first, "title");
	strbuf_init(&ids);
	triage_ids_text(&ids, r->ids, r->n);
	rc = incident_scope_of(r->db, ids.buf, &scope) < 0 ? trun_dberror(r) : TRIAGE_OK;
	strbuf_free(&ids);
	if (rc != TRIAGE_OK)
		return rc;
	snprintf(sev, sizeof sev, "%d", maxsev);
	snprintf(owner, sizeof owner, "%d", req->actor->id);
	p[0] = title;
	p[1] = sev;
	p[2] = scope;
	p[3] = owner;
	res = db_query(r->db, "INSERT INTO incidents (title, severity, scope, owner_id)"
	    " VALUES ($1, $2, $3, $4) RETURNING id", 4, p);
	if (res == NULL)
		return trun_dberror(r);
	r->incident = db_ll(res, 0, "id");
	r->incident_new = true;
	PQclear(res);
	json_object_set_new(r->details, "incident", json_integer(r->incident));
	json_object_set_new(r->details, "created", json_true());
	json_object_set_new(r->details, "title", json_string(title));
	json_object_set_new(r->details, "severity", json_string(severity_name(maxsev)));
	json_object_set_new(r->details, "scope", json_string(scope));
	return TRIAGE_OK;
}

/* Link the alerts and their assets, and bring the incident's severity up
 * to date (incident_severity_refresh).  An existing incident changed: its
 * alerts and maybe its severity, so its version moves like any other
 * incident change (an analyst editing it from an older view is told). */
enum triage_result
escalate_after(struct trun *r)
{
	/* Parameters: $1 incident, $2 alert ids, $3 actor; each statement
	 * takes the first nparams of them. */
	static const struct {
		const char	*sql;
		int		 nparams;
	} stmts[] = {
		{ "INSERT INTO incident_alerts (incident_id, alert_id, added_by)"
		  " SELECT $1::bigint, unnest($2::bigint[]), $3::int"
		  " ON CONFLICT DO NOTHING", 3 },
		{ "INSERT INTO incident_assets (incident_id, asset_id)"
		  " SELECT DISTINCT $1::bigint, asset_id FROM alerts"
		  " WHERE id = ANY($2::bigint[]) ON CONFLICT DO NOTHING", 2 },
		{ "UPDATE incidents SET updated_at = now(), version = version + 1"
		  " WHERE id = $1", 1 },
	};
	char inc[32], actor[16];
	const char *p[3];
	struct strbuf ids;
	size_t i, nstmts = sizeof stmts / sizeof stmts[0];
	enum triage_result rc = TRIAGE_OK;

	if (r->incident_new)
		nstmts--;	/* it was just created */
	strbuf_init(&ids);
	triage_ids_text(&ids, r->ids, r->n);
	snprintf(inc, sizeof inc, "%lld", r->incident);
	snprintf(actor, sizeof actor, "%d", r->req->actor->id);
	p[0] = inc;
	p[1] = ids.buf;
	p[2] = actor;
	for (i = 0; i < nstmts && rc == TRIAGE_OK; i++)
		if (db_command(r->db, stmts[i].sql, stmts[i].nparams, p) < 0)
			rc = trun_dberror(r);
	strbuf_free(&ids);
	if (rc == TRIAGE_OK && incident_severity_refresh(r->db, r->incident) < 0)
		rc = trun_dberror(r);
	return rc;
}

void
escalate_suffix(const struct trun *r, struct strbuf *sb)
{
	strbuf_appendf(sb, " to %sincident %lld", r->incident_new ? "new " : "",
	    r->incident);
}
