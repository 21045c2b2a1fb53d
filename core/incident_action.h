/* incident_action.h: analyst actions on incidents.
 *
 * As for alerts (triage.h): each call is one transaction with one audit
 * record ("incident.<action>", its details holding the values before and
 * after), retried on a deadlock.  The incidents involved are locked first
 * (in id order), then their alerts (in id order), the same order escalate
 * uses, so concurrent actions queue instead of deadlocking.
 *
 * Optimistic versions: every action but a note bumps incidents.version;
 * with req.version set, a different current version is a conflict naming
 * who changed the incident last and when (incidents.updated_by, set by the
 * database).  Move and merge change the other incident too: with
 * req.target_version set, it is checked the same way.
 *
 * Roles: every action needs the analyst role; overriding severity (and
 * clearing an override) and reassigning an incident someone else owns
 * need the lead role.  The database enforces the same (sql/002, sql/004);
 * a refusal is TRIAGE_DENIED and is recorded in the audit log.
 *
 * Results and exit codes are those of triage.h: 0 ok, 1 error, 2 usage,
 * 3 conflict, 4 not found, 5 denied. */
#ifndef VSOC_INCIDENT_ACTION_H
#define VSOC_INCIDENT_ACTION_H

#include <stdbool.h>
#include <stddef.h>

#include "incident_status.h"
#include "model.h"
#include "triage.h"

struct db;
struct analyst;

enum incident_action {
	IA_CREATE,	/* title, and alerts (none: an empty incident) */
	IA_RENAME,	/* title */
	IA_ASSIGN,	/* assignee (NULL: nobody) */
	IA_STATUS,	/* status; reason, resolution, force, disposition */
	IA_NOTE,	/* text */
	IA_ADD,		/* alerts join */
	IA_REMOVE,	/* alerts leave, back to the queue acknowledged */
	IA_MOVE,	/* alerts of id go to target */
	IA_MERGE,	/* id is merged into target and closed */
	IA_SEVERITY,	/* severity override with reason; 0 clears it */
	IA__COUNT
};

struct incident_req {
	enum incident_action	 action;
	long long		 id;		/* the incident; 0 for create */
	int			 version;	/* expected version of id, 0: any */
	const struct analyst	*actor;
	const char		*title;		/* create, rename */
	const char		*assignee;	/* assign: analyst name; NULL: none */
	enum incident_status	 status;	/* status */
	const char		*reason;	/* status back/reopen, severity */
	const char		*resolution;	/* status closed */
	bool			 force;		/* close its open alerts too */
	enum disposition	 disposition;	/* ... as this */
	const char		*text;		/* note body */
	const long long		*alerts;	/* create, add, remove, move */
	size_t			 nalerts;
	long long		 target;	/* move, merge: the other incident */
	int			 target_version;	/* expected version of target, 0: any */
	int			 severity;	/* override 1..5; 0 clears */
};

struct incident_outcome {
	enum triage_result	 result;
	char			 message[512];	/* one line for the analyst */
	long long		 incident_id;	/* the incident acted on (created) */
	int			 version;	/* its version afterwards */
	long long		 audit_id;
	long long		 failed_alert;	/* the alert that failed a check */
	size_t			 changed;	/* alerts changed */
};

#define INCIDENT_TITLE_MAX	500
#define INCIDENT_TEXT_MAX	4096		/* reason, resolution */
#define INCIDENT_NOTE_MAX	65536
#define INCIDENT_ALERTS_MAX	100000		/* alerts in one action */

const char	*incident_action_name(enum incident_action a);

/* Check a request without the database, so that a front end can refuse
 * bad input before it connects.  TRIAGE_OK or TRIAGE_USAGE. */
enum triage_result incident_validate(const struct incident_req *req,
		    struct incident_outcome *out);

/* Run one action; the outcome's result is also returned. */
enum triage_result incident_run(struct db *db, const struct incident_req *req,
		    struct incident_outcome *out);

#endif
