/* severity_db.h: an incident's severity, loaded, computed and stored.
 *
 * Loads the incident's alerts with their rules' ratings, assets, stations,
 * sites and vehicles, the fleet's size and the policy (the data tables of
 * sql/005_severity.sql), calls severity_compute() and stores the computed
 * severity and its explanation in the incident, inside the caller's
 * transaction.  An override, when set, stays incidents.severity (the
 * database's incidents_severity trigger sees to it); the computed value
 * and explanation are stored beside it all the same.
 *
 * Storing changes the incident, so the caller's transaction also needs its
 * audit record (sql/002_security.sql refuses the commit otherwise): the
 * action that made alerts join or leave writes it, or, for a refresh on its
 * own, the caller (vsoc severity explain) does.  The incident's version
 * does not move: its own fields did not change (as for escalate). */
#ifndef VSOC_SEVERITY_DB_H
#define VSOC_SEVERITY_DB_H

#include <stdbool.h>
#include <time.h>

#include <jansson.h>

#include "severity.h"

struct db;
struct strbuf;

/* What one incident's computation saw and did. */
struct severity_incident {
	long long		 id;
	struct severity_result	 result;
	json_t			*explanation;	/* stored form (owned) */
	int			 severity;	/* incidents.severity (after a store) */
	int			 computed;	/* stored computed value, 0 none */
	int			 override;	/* 0 none */
	char			*override_reason;
	char			*override_by;	/* analyst name, NULL if unknown */
	time_t			 override_at;
	bool			 stale;		/* stored computed value or explanation differ */
	bool			 changed;	/* severity_store() wrote them */
	int			 before_severity; /* as read, before any store */
	int			 before_computed;
};

/* The policy from the data tables; 0, or -1 with err (a missing row of
 * the matrix or a missing parameter is named). */
int	 severity_policy_load(struct db *db, struct severity_policy *p, struct strbuf *err);

/* Load and compute, store nothing.  lock: take the incident's row lock
 * (FOR NO KEY UPDATE) first, as a store needs.  0; 1 no such incident;
 * -1 error (err, and db->sqlstate). */
int	 severity_incident_compute(struct db *db, long long id, bool lock,
	    struct severity_incident *out, struct strbuf *err);
/* Store a computed result when it is stale (a no-op when current).  0 or
 * -1 with err. */
int	 severity_incident_store(struct db *db, struct severity_incident *si,
	    struct strbuf *err);
void	 severity_incident_free(struct severity_incident *si);

/* The hook for the incident workflow: compute and store in the caller's
 * transaction.  0 done (stored or already current); 1 no such incident;
 * -1 error with err. */
int	 severity_refresh_incident(struct db *db, long long incident_id, struct strbuf *err);

#endif
