/* incident_fields.c: the incident actions that change the incident's own
 * fields: create, rename, assign, status, note and severity override.  Each
 * runs inside the action's transaction, with the incident locked and its
 * version checked (core/incident_action.c), and fills the audit record's
 * before and after. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "analyst.h"
#include "db.h"
#include "incident_int.h"
#include "model.h"
#include "strbuf.h"

static json_t *
json_text_or_null(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

/* --- the simple actions ------------------------------------------------------------ */

enum triage_result
incident_do_create(struct irun *r)
{
	const struct incident_req *req = r->req;
	char owner[16];
	const char *p[3], *scope = "asset";
	struct strbuf ids;
	PGresult *res;
	enum triage_result rc;

	strbuf_init(&ids);
	incident_ids_text(&ids, req->alerts, req->nalerts);
	if (req->nalerts > 0 && incident_scope_of(r->db, ids.buf, &scope) < 0) {
		strbuf_free(&ids);
		return irun_dberror(r);
	}
	snprintf(owner, sizeof owner, "%d", req->actor->id);
	p[1] = scope;
	p[2] = owner;
	/* Titled after the first alert named when no title is given. */
	if (req->title != NULL) {
		p[0] = req->title;
		res = db_query(r->db, "INSERT INTO incidents (title, scope, owner_id)"
		    " VALUES ($1, $2, $3) RETURNING id, title", 3, p);
	} else {
		char first[32];

		snprintf(first, sizeof first, "%lld", req->alerts[0]);
		p[0] = first;
		res = db_query(r->db, "INSERT INTO incidents (title, scope, owner_id)"
		    " SELECT title, $2::text, $3::int FROM alerts WHERE id = $1::bigint"
		    " UNION ALL SELECT 'Incident', $2::text, $3::int"
		    "  WHERE NOT EXISTS (SELECT 1 FROM alerts WHERE id = $1)"
		    " RETURNING id, title", 3, p);
	}
	strbuf_free(&ids);
	if (res == NULL)
		return irun_dberror(r);
	r->id = db_ll(res, 0, "id");
	json_object_set_new(r->after, "title", json_string(db_value(res, 0, "title")));
	json_object_set_new(r->after, "status", json_string("open"));
	json_object_set_new(r->after, "owner", json_string(req->actor->name));
	json_object_set_new(r->after, "scope", json_string(scope));
	PQclear(res);
	if (req->nalerts > 0 && (rc = incident_do_add(r, r->id)) != TRIAGE_OK)
		return rc;
	return TRIAGE_OK;
}

enum triage_result
incident_do_rename(struct irun *r)
{
	const char *old = irun_col(r, r->main, "title");

	if (strcmp(old, r->req->title) == 0) {
		r->noop = true;
		return TRIAGE_OK;
	}
	json_object_set_new(r->before, "title", json_string(old));
	json_object_set_new(r->after, "title", json_string(r->req->title));
	return irun_set_field(r, "UPDATE incidents SET title = $2 WHERE id = $1", r->req->title);
}

enum triage_result
incident_do_assign(struct irun *r)
{
	const struct analyst *me = r->req->actor;
	struct analyst target;
	int owner = db_int(r->locked, r->main, "owner_id");
	char oldname[80], num[16];

	memset(&target, 0, sizeof target);
	if (r->req->assignee != NULL) {
		switch (analyst_lookup(r->db, r->req->assignee, &target)) {
		case -1:
			return irun_dberror(r);
		case 1:
			return irun_fail(r, TRIAGE_NOT_FOUND, 0, "no analyst named '%s'",
			    r->req->assignee);
		}
		if (!target.active)
			return irun_fail(r, TRIAGE_USAGE, 0, "analyst '%s' is not active",
			    target.name);
	}
	if (owner == target.id) {
		r->noop = true;
		return TRIAGE_OK;
	}
	irun_analyst_name(r, owner, oldname, sizeof oldname);
	/* Taking an incident from another analyst is a lead's call; the
	 * database checks it too (vsoc_guard_owner). */
	if (owner != 0 && owner != me->id && !analyst_can(me, ROLE_LEAD))
		return irun_fail(r, TRIAGE_DENIED, 0, "incident %lld belongs to %s:"
		    " reassigning it needs the lead role (you are %s)", r->id, oldname,
		    analyst_role_name(me->role));
	json_object_set_new(r->before, "owner", owner ? json_string(oldname) : json_null());
	json_object_set_new(r->after, "owner",
	    target.id ? json_string(target.name) : json_null());
	snprintf(num, sizeof num, "%d", target.id);
	return irun_set_field(r, "UPDATE incidents SET owner_id = nullif($2::int, 0)"
	    " WHERE id = $1", num);
}

/* The kinds of move, as the audit record names them (enum incident_move). */
static const char *const move_names[] = { "same", "forward", "back", "close", "reopen" };

enum triage_result
incident_do_status(struct irun *r)
{
	const struct incident_req *req = r->req;
	struct incident_transition t;
	enum incident_verdict v;
	enum triage_result rc;
	char msg[256], num[32];
	const char *p[3];
	PGresult *res;

	memset(&t, 0, sizeof t);
	t.from = incident_status_parse(irun_col(r, r->main, "status"));
	t.to = req->status;
	t.reason = !incident_blank(req->reason);
	t.resolution = !incident_blank(req->resolution);
	t.force = req->force;
	t.disposition = req->disposition > DISP_NONE && req->disposition < DISP__COUNT;
	t.merged = irun_col(r, r->main, "merged_into") != NULL;
	snprintf(num, sizeof num, "%lld", r->id);
	p[0] = num;
	res = db_query(r->db, "SELECT count(*) AS n FROM alerts WHERE incident_id = $1"
	    " AND status IN ('new', 'acknowledged', 'escalated')", 1, p);
	if (res == NULL)
		return irun_dberror(r);
	t.open_alerts = db_ll(res, 0, "n");
	PQclear(res);

	switch ((v = incident_transition_check(&t, msg, sizeof msg))) {
	case IV_OK:
		break;
	case IV_SAME:
		r->noop = true;
		return TRIAGE_OK;
	case IV_OPEN_ALERTS:
	case IV_MERGED:
		return irun_fail(r, TRIAGE_CONFLICT, 0, "incident %lld: %s", r->id, msg);
	default:
		return irun_fail(r, TRIAGE_USAGE, 0, "incident %lld: %s", r->id, msg);
	}
	json_object_set_new(r->details, "move",
	    json_string(move_names[incident_move_of(t.from, t.to)]));
	json_object_set_new(r->before, "status", json_string(incident_status_name(t.from)));
	json_object_set_new(r->after, "status", json_string(incident_status_name(t.to)));
	if (t.reason)
		json_object_set_new(r->details, "reason", json_string(req->reason));
	if (t.to == IS_CLOSED) {
		json_object_set_new(r->after, "resolution", json_string(req->resolution));
		if (t.open_alerts > 0 && (rc = incident_do_close_alerts(r)) != TRIAGE_OK)
			return rc;
	}
	if (t.from == IS_CLOSED)
		json_object_set_new(r->before, "resolution",
		    json_text_or_null(irun_col(r, r->main, "resolution")));
	p[1] = incident_status_name(t.to);
	p[2] = req->resolution;
	/* closed_at here too: the workflow trigger leaves the DBA's own
	 * changes alone. */
	if (db_command(r->db, "UPDATE incidents SET status = $2,"
	    " resolution = CASE WHEN $2 = 'closed' THEN $3"
	    "  WHEN status = 'closed' THEN NULL ELSE resolution END,"
	    " closed_at = CASE WHEN $2 = 'closed' THEN now() END WHERE id = $1", 3, p) != 1)
		return irun_dberror(r);
	return TRIAGE_OK;
}

enum triage_result
incident_do_note(struct irun *r)
{
	char num[32], actor[16];
	const char *p[3] = { num, r->req->text, actor };
	PGresult *res;

	snprintf(num, sizeof num, "%lld", r->id);
	snprintf(actor, sizeof actor, "%d", r->req->actor->id);
	res = db_query(r->db, "INSERT INTO notes (incident_id, author_id, body)"
	    " VALUES ($1, $3, $2) RETURNING id", 3, p);
	if (res == NULL)
		return irun_dberror(r);
	/* The body stays in notes: the audit log is forever, and a note may
	 * quote anything. */
	json_object_set_new(r->details, "note", json_integer(db_ll(res, 0, "id")));
	json_object_set_new(r->details, "bytes",
	    json_integer((json_int_t)strlen(r->req->text)));
	PQclear(res);
	return TRIAGE_OK;
}

enum triage_result
incident_do_severity(struct irun *r)
{
	const struct incident_req *req = r->req;
	const char *old = irun_col(r, r->main, "severity_override");
	const char *oldreason = irun_col(r, r->main, "severity_override_reason");
	char num[32], sev[8];
	const char *p[3] = { num, sev, req->reason };

	if (req->severity == 0 && old == NULL) {
		r->noop = true;
		return TRIAGE_OK;
	}
	if (req->severity > 0 && old != NULL && atoi(old) == req->severity &&
	    oldreason != NULL && strcmp(oldreason, req->reason) == 0) {
		r->noop = true;
		return TRIAGE_OK;
	}
	json_object_set_new(r->details, "computed",
	    json_string(severity_name(db_int(r->locked, r->main, "severity"))));
	json_object_set_new(r->before, "override",
	    old ? json_string(severity_name(atoi(old))) : json_null());
	json_object_set_new(r->before, "reason", json_text_or_null(oldreason));
	json_object_set_new(r->after, "override", req->severity ?
	    json_string(severity_name(req->severity)) : json_null());
	json_object_set_new(r->after, "reason",
	    req->severity ? json_string(req->reason) : json_null());
	if (req->severity == 0 && !incident_blank(req->reason))
		json_object_set_new(r->details, "reason", json_string(req->reason));
	snprintf(num, sizeof num, "%lld", r->id);
	snprintf(sev, sizeof sev, "%d", req->severity);
	if (db_command(r->db, "UPDATE incidents SET"
	    " severity_override = nullif($2::smallint, 0),"
	    " severity_override_reason = CASE WHEN $2::int = 0 THEN NULL ELSE $3 END"
	    " WHERE id = $1", 3, p) != 1)
		return irun_dberror(r);
	return TRIAGE_OK;
}
