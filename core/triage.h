/* triage.h: analyst actions on alerts.
 *
 * Each call is one transaction and one audit record, whatever the number of
 * alerts.  Every alert is locked (SELECT ... FOR UPDATE) and checked before
 * anything changes; if one fails its check the whole action rolls back.
 * Optimistic concurrency: when the caller passes the version it showed the
 * analyst (versions != NULL), a different current version is a conflict.
 * The more specific conflicts are reported first: an alert someone else
 * took, or one now closed, says so rather than quoting versions.
 * Take is atomic: of two analysts taking the same alert, one wins and the
 * other gets TRIAGE_CONFLICT naming the owner.
 * Roles: every action needs the analyst role, and reassigning an alert
 * someone else owns needs the lead role.  The database enforces both
 * (sql/002_security.sql); triage_run() checks first for a clear message,
 * maps the database's own refusal (SQLSTATE 42501) to TRIAGE_DENIED, and
 * records every refusal in the audit log. */
#ifndef VSOC_TRIAGE_H
#define VSOC_TRIAGE_H

#include <stdarg.h>
#include <stddef.h>

#include "model.h"

struct db;
struct analyst;

enum triage_result {
	TRIAGE_OK = 0,
	TRIAGE_ERROR = 1,	/* database or backend failure (exit 1) */
	TRIAGE_USAGE = 2,	/* bad input: missing reason, unknown analyst */
	TRIAGE_CONFLICT = 3,	/* someone else changed or owns the alert */
	TRIAGE_NOT_FOUND = 4,	/* no such alert / incident */
	TRIAGE_DENIED = 5	/* the analyst's role does not allow it */
};

enum triage_action {
	TA_TAKE,
	TA_ASSIGN,
	TA_UNASSIGN,
	TA_ACK,
	TA_NOTE,
	TA_CLOSE,
	TA_REOPEN,
	TA_SUPPRESS,
	TA_ESCALATE,
	TA__COUNT
};

enum suppress_scope {
	SUPPRESS_ASSET,		/* same rule and asset */
	SUPPRESS_EVIDENCE	/* same rule and evidence field value */
};

struct triage_req {
	enum triage_action	 action;
	const long long		*ids;
	size_t			 n;
	const int		*versions;	/* expected versions (0: any), or NULL */
	const struct analyst	*actor;
	const char		*assignee;	/* TA_ASSIGN: analyst name */
	const char		*text;		/* note body / close or suppress reason */
	enum disposition	 disposition;	/* TA_CLOSE */
	enum suppress_scope	 scope;		/* TA_SUPPRESS */
	const char		*evidence_key;	/* TA_SUPPRESS scope evidence: JSON key path a.b.c */
	long			 duration;	/* TA_SUPPRESS: seconds */
	long long		 incident_id;	/* TA_ESCALATE: existing incident, 0 = new */
	const char		*incident_title; /* TA_ESCALATE new: title (default from alert) */
	/* An action run on behalf of another (accepting an incident
	 * candidate is an escalation): its audit action instead of
	 * "alert.<name>", and fields added to the record's details
	 * (borrowed).  NULL: none. */
	const char		*audit_action;
	struct json_t		*audit_extra;
};

struct triage_outcome {
	enum triage_result	 result;
	char			 message[512];	/* one line for the analyst */
	long long		 failed_id;	/* the alert that failed a check */
	long long		 incident_id;	/* TA_ESCALATE: the incident used */
	long long		 suppression_id;
	long long		 audit_id;
	size_t			 changed;	/* alerts changed */
};

/* Limits checked by triage_validate(). */
#define TRIAGE_NOTE_MAX		65536		/* bytes in a note */
#define TRIAGE_REASON_MAX	4096		/* bytes in a reason */
#define TRIAGE_TITLE_MAX	500		/* bytes in an incident title */
#define TRIAGE_EVIDENCE_KEY_MAX	200		/* bytes in a --by evidence:KEY path */
#define TRIAGE_SUPPRESS_MAX	(90L * 86400)	/* longest suppression, seconds */

const char	*triage_action_name(enum triage_action a);
/* An outcome's message: printf-formatted, cut to len, on one line
 * (newlines and tabs of a database error become spaces).  Shared by the
 * alert and incident actions. */
void		 triage_message_vset(char *msg, size_t len, const char *fmt, va_list ap);
enum triage_action triage_action_parse(const char *s);	/* TA__COUNT if unknown */

/* Check a request without the database (reasons, disposition, duration,
 * text lengths, evidence key), so a front end can reject bad input before
 * it connects.  The actor is not checked.  TRIAGE_OK, or TRIAGE_USAGE with
 * the message filled in.  triage_run() calls it too. */
enum triage_result triage_validate(const struct triage_req *req,
		    struct triage_outcome *out);

/* Run one action.  The outcome's result is also returned.  A deadlock or
 * serialization failure is retried a few times before it is reported. */
enum triage_result triage_run(struct db *db, const struct triage_req *req,
		    struct triage_outcome *out);

#endif
