/* incident_action.c: analyst actions on incidents (see incident_action.h).
 *
 * Every action has the same shape, written once in incident_once():
 *
 *   BEGIN
 *   lock the incidents it names (FOR UPDATE, id order); check they exist
 *       and that the analyst saw the current version
 *   the action: its own checks, then its changes (alerts, notes, fields)
 *   bump the version of every incident it changed
 *   one audit record, with the values before and after
 *   COMMIT
 *
 * The actions that move alerts between incidents are in
 * core/incident_alerts.c. */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "analyst.h"
#include "audit.h"
#include "db.h"
#include "incident_action.h"
#include "incident_int.h"
#include "outbox_follow.h"
#include "sanitize.h"
#include "strbuf.h"

#define INCIDENT_ATTEMPTS	3

static const char *const action_names[IA__COUNT] = {
	"create", "rename", "assign", "status", "note", "add", "remove", "move",
	"merge", "severity"
};

const char *
incident_action_name(enum incident_action a)
{
	return a >= 0 && a < IA__COUNT ? action_names[a] : "unknown";
}

/* --- helpers ----------------------------------------------------------------- */

static void
outcome_vset(struct incident_outcome *out, enum triage_result res, long long alert,
    const char *fmt, va_list ap)
{
	out->result = res;
	out->failed_alert = alert;
	triage_message_vset(out->message, sizeof out->message, fmt, ap);
}

static enum triage_result __attribute__((format(printf, 2, 3)))
usage(struct incident_outcome *out, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	outcome_vset(out, TRIAGE_USAGE, 0, fmt, ap);
	va_end(ap);
	return TRIAGE_USAGE;
}

enum triage_result
irun_fail(struct irun *r, enum triage_result res, long long alert, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	outcome_vset(r->out, res, alert, fmt, ap);
	va_end(ap);
	return res;
}

enum triage_result
irun_dberror(struct irun *r)
{
	const char *what = incident_action_name(r->req->action);
	enum triage_result res = TRIAGE_ERROR;

	if (db_sqlstate_is(r->db, DB_SQLSTATE_NO_PRIV))
		res = TRIAGE_DENIED;
	else if (db_sqlstate_is(r->db, "55000") || db_sqlstate_is(r->db, DB_SQLSTATE_CHECK))
		res = TRIAGE_CONFLICT;
	else if (db_sqlstate_is(r->db, "22023"))
		res = TRIAGE_USAGE;
	return irun_fail(r, res, 0, "cannot %s incident: %s", what, r->db->errmsg);
}

const char *
irun_col(const struct irun *r, int row, const char *col)
{
	return row < 0 ? NULL : db_value(r->locked, row, col);
}

void
incident_ids_text(struct strbuf *sb, const long long *ids, size_t n)
{
	size_t i;

	strbuf_reset(sb);
	strbuf_appendc(sb, '{');
	for (i = 0; i < n; i++)
		strbuf_appendf(sb, "%s%lld", i ? "," : "", ids[i]);
	strbuf_appendc(sb, '}');
}

void
irun_touch_alerts(struct irun *r, PGresult *res, const char *col)
{
	int i, n = PQntuples(res);

	r->alerts = xrealloc(r->alerts, (r->nalerts + (size_t)n + 1) * sizeof *r->alerts);
	for (i = 0; i < n; i++)
		r->alerts[r->nalerts++] = db_ll(res, i, col);
}

bool
incident_blank(const char *s)
{
	if (s == NULL)
		return true;
	for (; *s != '\0'; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return false;
	return true;
}

static enum triage_result
check_text(struct incident_outcome *out, const char *what, const char *s, size_t max)
{
	if (s == NULL)
		return TRIAGE_OK;
	if (strlen(s) > max)
		return usage(out, "the %s is longer than %zu bytes", what, max);
	if (!utf8_valid(s))
		return usage(out, "the %s is not valid UTF-8", what);
	return TRIAGE_OK;
}

/* --- validation ---------------------------------------------------------------- */

enum triage_result
incident_validate(const struct incident_req *req, struct incident_outcome *out)
{
	size_t i;

	memset(out, 0, sizeof *out);
	if (req->action < 0 || req->action >= IA__COUNT)
		return usage(out, "unknown incident action");
	if (req->action != IA_CREATE && req->id <= 0)
		return usage(out, "no incident given");
	if (req->nalerts > INCIDENT_ALERTS_MAX)
		return usage(out, "at most %d alerts in one action", INCIDENT_ALERTS_MAX);
	for (i = 0; i < req->nalerts; i++)
		if (req->alerts[i] <= 0)
			return usage(out, "%lld is not an alert id", req->alerts[i]);
	if (check_text(out, "title", req->title, INCIDENT_TITLE_MAX) != TRIAGE_OK ||
	    check_text(out, "reason", req->reason, INCIDENT_TEXT_MAX) != TRIAGE_OK ||
	    check_text(out, "resolution", req->resolution, INCIDENT_TEXT_MAX) != TRIAGE_OK ||
	    check_text(out, "note", req->text, INCIDENT_NOTE_MAX) != TRIAGE_OK)
		return TRIAGE_USAGE;

	switch (req->action) {
	case IA_CREATE:
		if (req->nalerts == 0 && incident_blank(req->title))
			return usage(out, "an incident without alerts needs a title (--title)");
		if (req->title != NULL && incident_blank(req->title))
			return usage(out, "the title is empty");
		break;
	case IA_RENAME:
		if (incident_blank(req->title))
			return usage(out, "rename needs a title");
		break;
	case IA_ASSIGN:
		if (req->assignee != NULL && incident_blank(req->assignee))
			return usage(out, "assign needs an analyst name (none unassigns)");
		break;
	case IA_STATUS:
		if (req->status < 0 || req->status >= IS__COUNT)
			return usage(out, "unknown status: use open, triage, containment,"
			    " eradication, recovery, post_incident or closed");
		if (req->force && req->status != IS_CLOSED)
			return usage(out, "--force only applies to closing");
		if (req->force && (req->disposition <= DISP_NONE ||
		    req->disposition >= DISP__COUNT))
			return usage(out, "--force closes the open alerts too: it needs"
			    " --disposition tp|fp|benign|duplicate");
		if (req->resolution != NULL && req->status != IS_CLOSED)
			return usage(out, "a resolution only applies to closing");
		break;
	case IA_NOTE:
		if (incident_blank(req->text))
			return usage(out, "a note needs text");
		break;
	case IA_ADD:
	case IA_REMOVE:
		if (req->nalerts == 0)
			return usage(out, "%s: no alert given", incident_action_name(req->action));
		break;
	case IA_MOVE:
		if (req->nalerts == 0)
			return usage(out, "move: no alert given");
		/* fall through */
	case IA_MERGE:
		if (req->target <= 0)
			return usage(out, "%s needs the other incident (--to ID / --into ID)",
			    incident_action_name(req->action));
		if (req->target == req->id)
			return usage(out, "incident %lld cannot %s into itself", req->id,
			    req->action == IA_MOVE ? "move alerts" : "be merged");
		break;
	case IA_SEVERITY:
		if (req->severity < 0 || req->severity > SEV_CRITICAL)
			return usage(out, "unknown severity");
		if (req->severity > 0 && incident_blank(req->reason))
			return usage(out, "overriding severity needs a reason (--reason)");
		break;
	case IA__COUNT:
		break;
	}
	return TRIAGE_OK;
}

/* --- locking and the version check --------------------------------------------- */

static enum triage_result
lock_incidents(struct irun *r)
{
	const struct incident_req *req = r->req;
	char ids[80];
	const char *p[1] = { ids };
	int i;

	if (req->target > 0)
		snprintf(ids, sizeof ids, "{%lld,%lld}", req->id, req->target);
	else
		snprintf(ids, sizeof ids, "{%lld}", req->id);
	r->locked = db_query(r->db, "SELECT id, title, status, severity, version,"
	    " coalesce(owner_id, 0) AS owner_id, merged_into, severity_override,"
	    " severity_override_reason, resolution, coalesce(updated_by, 0) AS updated_by,"
	    " to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') AS changed_at"
	    " FROM incidents WHERE id = ANY($1::bigint[]) ORDER BY id FOR UPDATE", 1, p);
	if (r->locked == NULL)
		return irun_dberror(r);
	r->main = r->other = -1;
	for (i = 0; i < PQntuples(r->locked); i++) {
		long long id = db_ll(r->locked, i, "id");

		if (id == req->id)
			r->main = i;
		if (id == req->target)
			r->other = i;
	}
	if (r->main < 0)
		return irun_fail(r, TRIAGE_NOT_FOUND, 0, "incident %lld not found", req->id);
	if (req->target > 0 && r->other < 0)
		return irun_fail(r, TRIAGE_NOT_FOUND, 0, "incident %lld not found",
		    req->target);
	r->id = req->id;
	return TRIAGE_OK;
}

/* The name of analyst id, into buf ("" when unknown, "(none)" for 0). */
const char *
irun_analyst_name(struct irun *r, int id, char *buf, size_t len)
{
	char num[16];
	const char *p[1] = { num };
	PGresult *res;

	snprintf(buf, len, "%s", id == 0 ? "(none)" : "");
	if (id == 0)
		return buf;
	if (r->req->actor != NULL && id == r->req->actor->id) {
		snprintf(buf, len, "%s", r->req->actor->name);
		return buf;
	}
	snprintf(num, sizeof num, "%d", id);
	res = db_query(r->db, "SELECT name FROM analysts WHERE id = $1", 1, p);
	if (res != NULL && PQntuples(res) == 1)
		snprintf(buf, len, "%s", db_value(res, 0, "name"));
	PQclear(res);
	return buf;
}

/* The incident in locked row `row` at the version the analyst saw
 * (`want`, 0: any), else a conflict naming who changed it and when. */
static enum triage_result
check_version_of(struct irun *r, int row, int want)
{
	int have = db_int(r->locked, row, "version");
	char who[80];

	if (want == 0 || want == have)
		return TRIAGE_OK;
	irun_analyst_name(r, db_int(r->locked, row, "updated_by"), who, sizeof who);
	return irun_fail(r, TRIAGE_CONFLICT, 0, "incident %s was changed by %s at %s"
	    " UTC (version %d, you had %d); reload and retry", irun_col(r, row, "id"),
	    *who && strcmp(who, "(none)") != 0 ? who : "someone",
	    irun_col(r, row, "changed_at"), have, want);
}

static enum triage_result
check_version(struct irun *r)
{
	enum triage_result res = check_version_of(r, r->main, r->req->version);

	if (res == TRIAGE_OK && r->other >= 0)
		res = check_version_of(r, r->other, r->req->target_version);
	return res;
}

static bool
is_closed(const struct irun *r, int row)
{
	return strcmp(irun_col(r, row, "status"), "closed") == 0;
}

/* The version bump every change but a note makes: the next optimistic
 * check compares against it. */
static enum triage_result
bump(struct irun *r, long long id)
{
	char num[32], actor[16];
	const char *p[2] = { num, actor };

	snprintf(num, sizeof num, "%lld", id);
	snprintf(actor, sizeof actor, "%d", r->req->actor->id);
	if (db_command(r->db, "UPDATE incidents SET version = version + 1,"
	    " updated_at = now(), updated_by = $2 WHERE id = $1", 2, p) != 1)
		return irun_dberror(r);
	return TRIAGE_OK;
}

/* One field of the incident: UPDATE incidents SET <col> = $2 WHERE id = $1. */
enum triage_result
irun_set_field(struct irun *r, const char *sql, const char *value)
{
	char num[32];
	const char *p[2] = { num, value };

	snprintf(num, sizeof num, "%lld", r->id);
	if (db_command(r->db, sql, 2, p) != 1)
		return irun_dberror(r);
	return TRIAGE_OK;
}

/* --- one run -------------------------------------------------------------------- */

static int
ll_cmp(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

static enum triage_result
record(struct irun *r)
{
	char action[32];
	size_t i, n = 0;
	long long id;

	if (r->nalerts > 1)	/* none: alerts may be NULL, which qsort must not get */
		qsort(r->alerts, r->nalerts, sizeof *r->alerts, ll_cmp);
	for (i = 0; i < r->nalerts; i++)
		if (n == 0 || r->alerts[n - 1] != r->alerts[i])
			r->alerts[n++] = r->alerts[i];
	r->nalerts = n;
	if (json_object_size(r->before) > 0)
		json_object_set(r->details, "before", r->before);
	if (json_object_size(r->after) > 0)
		json_object_set(r->details, "after", r->after);
	snprintf(action, sizeof action, "incident.%s", incident_action_name(r->req->action));
	id = audit_append(r->db, action, "incident", r->id, r->alerts, r->nalerts,
	    r->details);
	if (id < 0)
		return irun_dberror(r);
	r->out->audit_id = id;
	return TRIAGE_OK;
}

static enum triage_result
run_action(struct irun *r)
{
	switch (r->req->action) {
	case IA_CREATE:
		return incident_do_create(r);
	case IA_RENAME:
		return incident_do_rename(r);
	case IA_ASSIGN:
		return incident_do_assign(r);
	case IA_STATUS:
		return incident_do_status(r);
	case IA_NOTE:
		return incident_do_note(r);
	case IA_ADD:
		if (is_closed(r, r->main))
			return irun_fail(r, TRIAGE_CONFLICT, 0, "incident %lld is closed;"
			    " reopen it first", r->id);
		return incident_do_add(r, r->id);
	case IA_REMOVE:
		return incident_do_remove(r);
	case IA_MOVE:
		return incident_do_move(r);
	case IA_MERGE:
		return incident_do_merge(r);
	case IA_SEVERITY:
		return incident_do_severity(r);
	case IA__COUNT:
		break;
	}
	return irun_fail(r, TRIAGE_USAGE, 0, "unknown incident action");
}

/* A status change (a merge closes the merged incident) brings the
 * PagerDuty channels it was triggered on along, in this transaction
 * (outbox_follow.h); the pages written are in the audit record. */
static enum triage_result
follow_pages(struct irun *r)
{
	const char *to;
	json_t *pages;

	if (r->req->action == IA_STATUS)
		to = incident_status_name(r->req->status);
	else if (r->req->action == IA_MERGE)
		to = "closed";
	else
		return TRIAGE_OK;
	pages = json_array();
	if (outbox_follow_status(r->db, r->id, irun_col(r, r->main, "status"), to,
	    pages) < 0) {
		json_decref(pages);
		return irun_dberror(r);
	}
	if (json_array_size(pages) > 0)
		json_object_set(r->details, "pages", pages);
	json_decref(pages);
	return TRIAGE_OK;
}

static void
message(struct irun *r)
{
	const struct incident_req *req = r->req;
	struct incident_outcome *o = r->out;
	size_t n = r->nalerts;

	if (r->noop) {
		snprintf(o->message, sizeof o->message, "incident %lld unchanged: it is"
		    " already as asked", r->id);
		return;
	}
	switch (req->action) {
	case IA_CREATE:
		snprintf(o->message, sizeof o->message, "incident %lld created with %zu"
		    " alert%s", r->id, n, n == 1 ? "" : "s");
		break;
	case IA_RENAME:
		snprintf(o->message, sizeof o->message, "incident %lld renamed", r->id);
		break;
	case IA_ASSIGN:
		snprintf(o->message, sizeof o->message, "incident %lld %s%s", r->id,
		    req->assignee ? "assigned to " : "unassigned",
		    req->assignee ? req->assignee : "");
		break;
	case IA_STATUS:
		snprintf(o->message, sizeof o->message, "incident %lld is now %s%s", r->id,
		    incident_status_name(req->status), n ? " (its open alerts closed"
		    " with it)" : "");
		break;
	case IA_NOTE:
		snprintf(o->message, sizeof o->message, "note added to incident %lld", r->id);
		break;
	case IA_ADD:
		snprintf(o->message, sizeof o->message, "%zu alert%s added to incident"
		    " %lld", o->changed, o->changed == 1 ? "" : "s", r->id);
		break;
	case IA_REMOVE:
		snprintf(o->message, sizeof o->message, "%zu alert%s removed from incident"
		    " %lld (back in the queue, acknowledged)", o->changed,
		    o->changed == 1 ? "" : "s", r->id);
		break;
	case IA_MOVE:
		snprintf(o->message, sizeof o->message, "%zu alert%s moved from incident"
		    " %lld to incident %lld", o->changed, o->changed == 1 ? "" : "s",
		    r->id, req->target);
		break;
	case IA_MERGE:
		snprintf(o->message, sizeof o->message, "incident %lld merged into incident"
		    " %lld (%zu alert%s moved); %lld is closed", r->id, req->target,
		    o->changed, o->changed == 1 ? "" : "s", r->id);
		break;
	case IA_SEVERITY:
		if (req->severity > 0)
			snprintf(o->message, sizeof o->message, "incident %lld severity"
			    " overridden to %s", r->id, severity_name(req->severity));
		else
			snprintf(o->message, sizeof o->message, "incident %lld severity"
			    " override cleared", r->id);
		break;
	case IA__COUNT:
		break;
	}
}

static void
irun_reset(struct irun *r)
{
	PQclear(r->locked);
	json_decref(r->details);
	json_decref(r->before);
	json_decref(r->after);
	free(r->alerts);
	r->locked = NULL;
	r->details = r->before = r->after = NULL;
	r->alerts = NULL;
	r->nalerts = 0;
	r->noop = false;
	r->main = r->other = -1;
	r->id = 0;
}

static enum triage_result
incident_once(struct irun *r)
{
	const struct incident_req *req = r->req;
	enum triage_result res = TRIAGE_OK;
	char num[32];
	const char *p[1] = { num };
	PGresult *v;

	memset(r->out, 0, sizeof *r->out);
	r->details = json_object();
	r->before = json_object();
	r->after = json_object();
	if (db_begin(r->db) < 0)
		return irun_dberror(r);
	if (req->action != IA_CREATE &&
	    ((res = lock_incidents(r)) != TRIAGE_OK || (res = check_version(r)) != TRIAGE_OK))
		goto fail;
	if ((res = run_action(r)) != TRIAGE_OK)
		goto fail;
	if (!r->noop && (res = follow_pages(r)) != TRIAGE_OK)
		goto fail;
	if (!r->noop) {
		if (req->action != IA_NOTE && req->action != IA_CREATE &&
		    (res = bump(r, r->id)) != TRIAGE_OK)
			goto fail;
		if ((req->action == IA_MOVE || req->action == IA_MERGE) &&
		    (res = bump(r, req->target)) != TRIAGE_OK)
			goto fail;
		if ((res = record(r)) != TRIAGE_OK)
			goto fail;
	}
	snprintf(num, sizeof num, "%lld", r->id);
	if ((v = db_query(r->db, "SELECT version FROM incidents WHERE id = $1", 1, p)) == NULL) {
		res = irun_dberror(r);
		goto fail;
	}
	r->out->version = db_int(v, 0, "version");
	PQclear(v);
	if (db_commit(r->db) < 0)
		return irun_dberror(r);
	r->out->result = TRIAGE_OK;
	r->out->incident_id = r->id;
	message(r);
	return TRIAGE_OK;
fail:
	db_rollback(r->db);
	return res;
}

static void
denied(struct db *db, const struct incident_req *req, const struct incident_outcome *out)
{
	char action[32];

	snprintf(action, sizeof action, "incident.%s", incident_action_name(req->action));
	audit_denied(db, action, "incident", req->id, req->alerts, req->nalerts,
	    out->message);
}

enum triage_result
incident_run(struct db *db, const struct incident_req *req, struct incident_outcome *out)
{
	enum analyst_role need = req->action == IA_SEVERITY ? ROLE_LEAD : ROLE_ANALYST;
	enum triage_result res;
	struct irun r;
	int attempt;

	if (incident_validate(req, out) != TRIAGE_OK)
		return out->result;
	if (req->actor == NULL || req->actor->id <= 0)
		return usage(out, "no acting analyst");
	if (!analyst_can(req->actor, need)) {
		snprintf(out->message, sizeof out->message, "cannot %s incident: %s is %s,"
		    " and %s needs the %s role", incident_action_name(req->action),
		    req->actor->name, req->actor->active ?
		    analyst_role_name(req->actor->role) : "disabled",
		    req->action == IA_SEVERITY ? "overriding severity" : "changing incidents",
		    analyst_role_name(need));
		out->result = TRIAGE_DENIED;
		denied(db, req, out);
		return TRIAGE_DENIED;
	}
	memset(&r, 0, sizeof r);
	r.db = db;
	r.req = req;
	r.out = out;
	r.main = r.other = -1;
	for (attempt = 1; ; attempt++) {
		res = incident_once(&r);
		irun_reset(&r);
		if (res != TRIAGE_ERROR || attempt == INCIDENT_ATTEMPTS ||
		    !(db_sqlstate_is(db, "40P01") || db_sqlstate_is(db, DB_SQLSTATE_SERIALIZE)))
			break;
	}
	if (res == TRIAGE_DENIED)
		denied(db, req, out);
	return res;
}
