/* incident_severity_hook.h: the one place an incident's computed severity
 * is brought up to date when alerts join or leave it.
 *
 * Every incident action that changes an incident's alerts (escalate,
 * create, add, remove, move, merge) calls incident_severity_refresh()
 * inside its own transaction, after the alerts moved and before its audit
 * record.  For now the computed severity is the highest severity among the
 * incident's alerts; the explainable severity of issue 8 (impact,
 * feasibility, scope, criticality, confidence) replaces the body of this
 * function and keeps its name and contract.  An analyst's override
 * (incidents.severity_override) is separate and always wins on display. */
#ifndef VSOC_INCIDENT_SEVERITY_HOOK_H
#define VSOC_INCIDENT_SEVERITY_HOOK_H

struct db;

/* Recompute incidents.severity of incident id from its alerts.  An
 * incident without alerts keeps the severity it has.  Does not change the
 * version: the calling action bumps it once.  0, or -1 with db->errmsg. */
int	incident_severity_refresh(struct db *db, long long id);

#endif
