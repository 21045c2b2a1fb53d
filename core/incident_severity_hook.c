/* incident_severity_hook.c: an incident's computed severity brought up to
 * date when alerts join or leave it, through the explainable classifier
 * (core/severity_db.c: impact, feasibility, scope, criticality,
 * confidence).  See incident_severity_hook.h. */
#include <stdio.h>

#include "db.h"
#include "incident_severity_hook.h"
#include "severity_db.h"
#include "strbuf.h"

int
incident_severity_refresh(struct db *db, long long id)
{
	struct strbuf err;
	int rc;

	strbuf_init(&err);
	rc = severity_refresh_incident(db, id, &err);
	if (rc != 0)
		db_set_error(db, "%s", rc > 0 ? "no such incident" : err.buf);
	strbuf_free(&err);
	return rc == 0 ? 0 : -1;
}
