/* incident_int.h: what the incident action files share: one run of an
 * action (core/incident_action.c) and the actions that move alerts
 * (core/incident_alerts.c).  Not for front ends: they use
 * incident_action.h. */
#ifndef VSOC_INCIDENT_INT_H
#define VSOC_INCIDENT_INT_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>
#include <libpq-fe.h>

#include "incident_action.h"
#include "strbuf.h"

struct irun {
	struct db			*db;
	const struct incident_req	*req;
	struct incident_outcome		*out;

	/* Per attempt. */
	PGresult	*locked;	/* the incidents, locked, in id order */
	int		 main;		/* row of req->id in locked, -1 if none */
	int		 other;		/* row of req->target, -1 if none */
	long long	 id;		/* the incident acted on (created) */
	json_t		*details;	/* the audit record's details */
	json_t		*before;	/* details.before */
	json_t		*after;		/* details.after */
	long long	*alerts;	/* alerts touched, for the audit record */
	size_t		 nalerts;
	bool		 noop;		/* nothing changed: no record, no bump */
};

/* Fill the outcome and return res. */
enum triage_result irun_fail(struct irun *r, enum triage_result res, long long alert,
		    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* After a failed statement: denied (42501), conflict (55000, 23514 from
 * the workflow triggers), usage (22023) or error. */
enum triage_result irun_dberror(struct irun *r);
/* A column of a locked incident row. */
const char	*irun_col(const struct irun *r, int row, const char *col);
/* {1,2,3}. */
void		 incident_ids_text(struct strbuf *sb, const long long *ids, size_t n);
/* Remember alerts touched (sorted, unique at the end by the runner). */
void		 irun_touch_alerts(struct irun *r, PGresult *res, const char *col);

/* True for NULL or only white space. */
bool		 incident_blank(const char *s);
/* The name of analyst id into buf: "(none)" for 0, "" if unknown. */
const char	*irun_analyst_name(struct irun *r, int id, char *buf, size_t len);
/* UPDATE incidents SET ... WHERE id = $1 with $2 = value: one row. */
enum triage_result irun_set_field(struct irun *r, const char *sql, const char *value);

/* The incident's own fields (core/incident_fields.c). */
enum triage_result incident_do_create(struct irun *r);
enum triage_result incident_do_rename(struct irun *r);
enum triage_result incident_do_assign(struct irun *r);
enum triage_result incident_do_status(struct irun *r);
enum triage_result incident_do_note(struct irun *r);
enum triage_result incident_do_severity(struct irun *r);

/* Alert membership (core/incident_alerts.c).  Each runs inside the
 * action's transaction with the incidents already locked. */
enum triage_result incident_do_add(struct irun *r, long long incident);
enum triage_result incident_do_remove(struct irun *r);
enum triage_result incident_do_move(struct irun *r);
enum triage_result incident_do_merge(struct irun *r);
/* Close the incident's open alerts under the request's disposition,
 * with the resolution as their reason (status closed --force). */
enum triage_result incident_do_close_alerts(struct irun *r);

/* Scope of a set of alerts' assets, as escalate names it: asset, site or
 * fleet (core/incident_escalate.c).  0, or -1 with db->errmsg. */
int		 incident_scope_of(struct db *db, const char *alert_ids, const char **scope);

#endif
