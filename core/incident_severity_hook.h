/* incident_severity_hook.h: the one place an incident's computed severity
 * is brought up to date when alerts join or leave it.
 *
 * Every incident action that changes an incident's alerts (escalate,
 * create, add, remove, move, merge) calls incident_severity_refresh()
 * inside its own transaction, after the alerts moved and before its audit
 * record.  The computed severity and its explanation are stored in
 * incidents.severity_computed and severity_explanation; incidents.severity
 * is the effective one, the override while there is one (sql/005). */
#ifndef VSOC_INCIDENT_SEVERITY_HOOK_H
#define VSOC_INCIDENT_SEVERITY_HOOK_H

struct db;

/* Recompute the computed severity of incident id from its alerts.  Does not change the
 * version: the calling action bumps it once.  0, or -1 with db->errmsg. */
int	incident_severity_refresh(struct db *db, long long id);

#endif
