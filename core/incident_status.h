/* incident_status.h: the incident-response phases and the rules for
 * moving between them.  Pure C, no database: table-driven unit tests
 * (tests/unit/check_incident.c) pin every rule down.
 *
 *   open -> triage -> containment -> eradication -> recovery ->
 *   post_incident -> closed
 *
 * Forward moves are free (skipping phases too: a false alarm goes from
 * triage straight to closed).  A move back needs a reason.  Closing needs
 * a resolution summary, and refuses while alerts in the incident are open
 * unless forced, which closes them with it under a disposition.  Reopening
 * a closed incident needs a reason, and an incident merged into another
 * stays closed. */
#ifndef VSOC_INCIDENT_STATUS_H
#define VSOC_INCIDENT_STATUS_H

#include <stdbool.h>
#include <stddef.h>

enum incident_status {
	IS_OPEN,
	IS_TRIAGE,
	IS_CONTAINMENT,
	IS_ERADICATION,
	IS_RECOVERY,
	IS_POST_INCIDENT,
	IS_CLOSED,
	IS__COUNT,
	IS_UNKNOWN = -1
};

/* What kind of move a transition is. */
enum incident_move {
	IM_SAME,	/* to the status it has */
	IM_FORWARD,	/* a later phase, not closed */
	IM_BACK,	/* an earlier phase */
	IM_CLOSE,	/* to closed */
	IM_REOPEN	/* from closed */
};

enum incident_verdict {
	IV_OK,
	IV_SAME,		/* nothing to do */
	IV_NEEDS_REASON,	/* back or reopen without a reason */
	IV_NEEDS_RESOLUTION,	/* close without a resolution summary */
	IV_OPEN_ALERTS,		/* close with open alerts, not forced */
	IV_NEEDS_DISPOSITION,	/* forced close of open alerts without one */
	IV_MERGED,		/* reopening an incident merged into another */
	IV_INVALID		/* unknown status */
};

struct incident_transition {
	enum incident_status	from;
	enum incident_status	to;
	bool			reason;		/* a non-blank reason was given */
	bool			resolution;	/* a non-blank resolution summary */
	long long		open_alerts;	/* new, acknowledged or escalated */
	bool			force;		/* close those alerts with it */
	bool			disposition;	/* ... under a disposition given */
	bool			merged;		/* from is closed as merged */
};

/* Database names: "open" .. "post_incident", "closed". */
const char	*incident_status_name(enum incident_status s);
/* A name, case-insensitively, a unique prefix, or "post-incident";
 * IS_UNKNOWN otherwise. */
enum incident_status incident_status_parse(const char *s);
enum incident_move incident_move_of(enum incident_status from, enum incident_status to);

/* Judge a transition.  On anything but IV_OK, msg (if not NULL) gets one
 * line for the analyst naming what is missing. */
enum incident_verdict incident_transition_check(const struct incident_transition *t,
		    char *msg, size_t len);

#endif
