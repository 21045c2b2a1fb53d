/* incident_severity_hook.c: the computed severity of an incident, for now
 * the highest severity of its alerts (see incident_severity_hook.h). */
#include <stdio.h>

#include "db.h"
#include "incident_severity_hook.h"

int
incident_severity_refresh(struct db *db, long long id)
{
	char idbuf[32];
	const char *p[1] = { idbuf };

	snprintf(idbuf, sizeof idbuf, "%lld", id);
	/* Only a real change writes the row: no dead tuple and no notice
	 * when the severity stays. */
	return db_command(db, "UPDATE incidents i SET severity = m.sev"
	    " FROM (SELECT max(severity) AS sev FROM alerts WHERE incident_id = $1) m"
	    " WHERE i.id = $1 AND m.sev IS NOT NULL AND i.severity <> m.sev",
	    1, p) < 0 ? -1 : 0;
}
