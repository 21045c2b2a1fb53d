/* demo_incidents.c: the demo's incidents in every phase (see
 * demo_incidents.h).  Plain statements over what demo seed loaded: the
 * DBA is not held to the workflow's triggers, so each statement sets what
 * the incident actions would (closed_at, resolution, merged_into, the
 * override's author). */
#include <stdio.h>

#include "db.h"
#include "demo_incidents.h"

/* $1 is the lead.  Each statement picks its incident by status and id, so
 * the same seed gives the same result; one that finds none does nothing. */
static const char *const steps[] = {
	/* Closed, its alerts with it as true positives: the last open one,
	 * when there are two (ten incidents or more). */
	"WITH i AS (SELECT max(id) AS id FROM incidents WHERE status = 'open'"
	" HAVING count(*) > 1)"
	" UPDATE alerts a SET status = 'closed', disposition = 'true_positive',"
	" disposition_reason = 'Profiles reverted; API principal revoked and rotated',"
	" closed_at = a.updated_at FROM i WHERE a.incident_id = i.id"
	" AND a.status IN ('new', 'acknowledged', 'escalated') AND $1::int > 0",
	"UPDATE incidents SET status = 'closed', closed_at = updated_at,"
	" resolution = 'Profiles reverted; API principal revoked and rotated'"
	" WHERE id = (SELECT max(id) FROM incidents WHERE status = 'open'"
	" HAVING count(*) > 1)"
	" AND $1::int > 0",
	/* Post-incident review: the last in containment, when there are two. */
	"UPDATE incidents SET status = 'post_incident' WHERE id ="
	" (SELECT max(id) FROM incidents WHERE status = 'containment'"
	"  HAVING count(*) > 1) AND $1::int > 0",
	/* A lead's overrides, one up and one down, with their reasons. */
	"UPDATE incidents SET severity_override = 5, severity_override_by = $1,"
	" severity_override_at = updated_at, severity_override_reason ="
	" 'Safety: chargers in public car parks run unsigned firmware'"
	" WHERE id = (SELECT min(id) FROM incidents WHERE status = 'containment')",
	"UPDATE incidents SET severity_override = 3, severity_override_by = $1,"
	" severity_override_at = updated_at, severity_override_reason ="
	" 'Only test accounts affected so far'"
	" WHERE id = (SELECT min(id) FROM incidents WHERE status = 'open')",
	/* A merge: the second incident in triage into the first, when there
	 * are two.  Alerts, links, assets and notes move, the severity is
	 * recomputed, and the merged one is closed with the link (last: until
	 * then both are in triage, which is how the statements find them). */
#define PAIR "(SELECT max(id) AS b, min(id) AS a FROM incidents" \
	" WHERE status = 'triage' HAVING count(*) > 1)"
	"UPDATE alerts SET incident_id = m.a FROM " PAIR " m WHERE incident_id = m.b"
	" AND $1::int > 0",
	"INSERT INTO incident_alerts (incident_id, alert_id, added_by, added_at)"
	" SELECT m.a, ia.alert_id, ia.added_by, ia.added_at FROM incident_alerts ia"
	" JOIN " PAIR " m ON ia.incident_id = m.b WHERE $1::int > 0"
	" ON CONFLICT DO NOTHING",
	"DELETE FROM incident_alerts ia USING " PAIR " m WHERE ia.incident_id = m.b"
	" AND $1::int > 0",
	"INSERT INTO incident_assets (incident_id, asset_id)"
	" SELECT m.a, ia.asset_id FROM incident_assets ia JOIN " PAIR " m"
	" ON ia.incident_id = m.b WHERE $1::int > 0 ON CONFLICT DO NOTHING",
	"DELETE FROM incident_assets ia USING " PAIR " m WHERE ia.incident_id = m.b"
	" AND $1::int > 0",
	"UPDATE notes n SET incident_id = m.a FROM " PAIR " m WHERE n.incident_id = m.b"
	" AND $1::int > 0",
	"UPDATE incidents i SET severity = s.sev FROM (SELECT incident_id, max(severity) AS sev"
	" FROM alerts WHERE incident_id = (SELECT a FROM " PAIR " m) GROUP BY 1) s"
	" WHERE i.id = s.incident_id AND $1::int > 0",
	"UPDATE incidents i SET status = 'closed', merged_into = m.a, closed_at = i.updated_at,"
	" resolution = 'merged into incident ' || m.a FROM " PAIR " m WHERE i.id = m.b"
	" AND $1::int > 0",
#undef PAIR
};

int
demo_incidents(struct db *db, int lead)
{
	char num[16];
	const char *p[1] = { num };
	size_t i;

	snprintf(num, sizeof num, "%d", lead);
	for (i = 0; i < sizeof steps / sizeof steps[0]; i++)
		if (db_command(db, steps[i], 1, p) < 0)
			return -1;
	return demo_pages(db, lead);
}
