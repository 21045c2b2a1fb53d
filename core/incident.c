/* incident.c: one incident's summary. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "format.h"
#include "incident.h"
#include "strbuf.h"

int
incident_get(struct db *db, long long id, struct incident *out)
{
	char idbuf[32];
	const char *p[1] = { idbuf };
	PGresult *res;

	memset(out, 0, sizeof *out);
	snprintf(idbuf, sizeof idbuf, "%lld", id);
	/* Alerts count through both links: incident_alerts and the alert's
	 * own incident_id (escalation sets both; older rows may have one). */
	res = db_query(db,
	    "SELECT i.id, i.title, i.status, i.severity, i.scope, i.summary,"
	    " i.impact::text AS impact, i.created_at, i.updated_at, an.name AS owner,"
	    " (SELECT count(*) FROM alerts a WHERE a.incident_id = i.id"
	    "   OR a.id IN (SELECT alert_id FROM incident_alerts ia"
	    "   WHERE ia.incident_id = i.id)) AS alerts,"
	    " (SELECT count(*) FROM alerts a WHERE (a.incident_id = i.id"
	    "   OR a.id IN (SELECT alert_id FROM incident_alerts ia"
	    "   WHERE ia.incident_id = i.id))"
	    "   AND a.status NOT IN ('closed', 'suppressed')) AS open_alerts"
	    " FROM incidents i LEFT JOIN analysts an ON an.id = i.owner_id"
	    " WHERE i.id = $1", 1, p);
	if (res == NULL)
		return -1;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return 1;
	}
	out->id = db_ll(res, 0, "id");
	out->title = db_dup(res, 0, "title");
	out->status = db_dup(res, 0, "status");
	out->severity = db_int(res, 0, "severity");
	out->scope = db_dup(res, 0, "scope");
	out->owner = db_dup(res, 0, "owner");
	out->summary = db_dup(res, 0, "summary");
	out->impact = db_dup(res, 0, "impact");
	out->alerts = db_ll(res, 0, "alerts");
	out->open_alerts = db_ll(res, 0, "open_alerts");
	out->created_at = db_time(res, 0, "created_at");
	out->updated_at = db_time(res, 0, "updated_at");
	PQclear(res);
	return 0;
}

void
incident_free(struct incident *i)
{
	free(i->title);
	free(i->status);
	free(i->scope);
	free(i->owner);
	free(i->summary);
	free(i->impact);
	memset(i, 0, sizeof *i);
}
