/* triage_actions.c: the alert actions as data (triage_specs: the statuses
 * each applies to, the reason it needs, its SET clause) and the small
 * hooks that make take, assign, unassign, ack, note, close, reopen and
 * suppress differ.  Escalate's hooks are in incident_escalate.c.  The run
 * that calls them is triage.c. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "analyst.h"
#include "db.h"
#include "model.h"
#include "strbuf.h"
#include "triage.h"
#include "triage_int.h"

static enum triage_result	take_check(struct trun *, const struct trow *);
static bool	take_same(const struct trun *, const struct trow *);
static void	take_detail(struct trun *);
static void	take_suffix(const struct trun *, struct strbuf *);
static enum triage_result	reassign_check(struct trun *, const struct trow *);
static enum triage_result	assign_resolve(struct trun *);
static bool	assign_same(const struct trun *, const struct trow *);
static void	assign_detail(struct trun *);
static void	assign_suffix(const struct trun *, struct strbuf *);
static bool	unassign_same(const struct trun *, const struct trow *);
static bool	ack_same(const struct trun *, const struct trow *);
static enum triage_result	note_before(struct trun *);
static void	close_detail(struct trun *);
static void	close_suffix(const struct trun *, struct strbuf *);
static enum triage_result	reopen_before(struct trun *);
static enum triage_result	suppress_check(struct trun *, const struct trow *);
static enum triage_result	suppress_before(struct trun *);
static void	suppress_detail(struct trun *);
static void	suppress_suffix(const struct trun *, struct strbuf *);

/* Every action changes version and updated_at through triage_update(),
 * except note: notes are rows of their own, so a note never bumps the
 * alert's version and never turns a colleague's pending edit into a
 * conflict. */
const struct tspec triage_specs[TA__COUNT] = {
	[TA_TAKE] = {
		.name = "take", .done = "taken", .from = FROM_LIVE,
		.to = ST_UNKNOWN, .text = TEXT_NONE,
		/* Taking a new alert also acknowledges it: its owner has seen it. */
		.set = "assignee_id = $2, status = CASE WHEN status = 'new'"
		    " THEN 'acknowledged' ELSE status END",
		.params = { TP_ACTOR }, .prev = PREV_STATUS | PREV_ASSIGNEE,
		.check = take_check, .same = take_same, .detail = take_detail,
		.suffix = take_suffix,
	},
	[TA_ASSIGN] = {
		.name = "assign", .done = "assigned", .from = FROM_LIVE,
		.to = ST_UNKNOWN, .text = TEXT_NONE,
		.set = "assignee_id = $2", .params = { TP_TARGET },
		.prev = PREV_ASSIGNEE,
		.resolve = assign_resolve, .check = reassign_check, .same = assign_same,
		.detail = assign_detail, .suffix = assign_suffix,
	},
	[TA_UNASSIGN] = {
		.name = "unassign", .done = "unassigned", .from = FROM_LIVE,
		.to = ST_UNKNOWN, .text = TEXT_NONE,
		.set = "assignee_id = NULL", .prev = PREV_ASSIGNEE,
		.check = reassign_check, .same = unassign_same,
	},
	[TA_ACK] = {
		.name = "ack", .done = "acknowledged", .from = FROM_LIVE,
		.to = ST_ACKNOWLEDGED, .text = TEXT_NONE,
		.set = "status = 'acknowledged'", .prev = PREV_STATUS,
		.same = ack_same,
	},
	[TA_NOTE] = {
		.name = "note", .lead = "note added to", .from = FROM_ANY,
		.to = ST_UNKNOWN, .text = TEXT_BODY,
		.before = note_before,
	},
	[TA_CLOSE] = {
		.name = "close", .done = "closed", .from = FROM_LIVE,
		.to = ST_CLOSED, .text = TEXT_REASON,
		.set = "status = 'closed', disposition = $2,"
		    " disposition_reason = $3, closed_at = now()",
		.params = { TP_DISPOSITION, TP_TEXT }, .prev = PREV_STATUS,
		.detail = close_detail, .suffix = close_suffix,
	},
	[TA_REOPEN] = {
		.name = "reopen", .done = "reopened", .from = FROM_DONE,
		.to = ST_UNKNOWN, .text = TEXT_REASON,
		/* Back to the queue; an owned alert stays with its owner. */
		.set = "status = CASE WHEN assignee_id IS NULL THEN 'new'"
		    " ELSE 'acknowledged' END, disposition = NULL,"
		    " disposition_reason = NULL, closed_at = NULL",
		.prev = PREV_STATUS | PREV_DISP,
		.before = reopen_before,
	},
	[TA_SUPPRESS] = {
		.name = "suppress", .done = "suppressed", .from = FROM_OPEN,
		.to = ST_SUPPRESSED, .text = TEXT_REASON,
		.set = "status = 'suppressed'", .prev = PREV_STATUS,
		.check = suppress_check, .before = suppress_before,
		.detail = suppress_detail, .suffix = suppress_suffix,
	},
	[TA_ESCALATE] = {
		.name = "escalate", .done = "escalated", .from = FROM_LIVE,
		.to = ST_ESCALATED, .text = TEXT_NONE,
		.set = "status = 'escalated', incident_id = $2",
		.params = { TP_INCIDENT }, .prev = PREV_STATUS,
		.resolve = escalate_resolve, .check = escalate_check,
		.same = escalate_same, .before = escalate_before,
		.after = escalate_after, .suffix = escalate_suffix,
	},
};

/* 4h, 7d, 90m, 45s: the largest unit that divides the duration. */
static void
duration_text(char *buf, size_t len, long secs)
{
	if (secs % 86400 == 0)
		snprintf(buf, len, "%ldd", secs / 86400);
	else if (secs % 3600 == 0)
		snprintf(buf, len, "%ldh", secs / 3600);
	else if (secs % 60 == 0)
		snprintf(buf, len, "%ldm", secs / 60);
	else
		snprintf(buf, len, "%lds", secs);
}

/* --- take, assign, unassign, ack ------------------------------------------ */

static enum triage_result
take_check(struct trun *r, const struct trow *w)
{
	if (w->assignee_id != 0 && w->assignee_id != r->req->actor->id)
		return trun_fail(r, TRIAGE_CONFLICT, w->id,
		    "alert %lld is already taken by %s", w->id,
		    trun_analyst_name(r, w->assignee_id));
	return TRIAGE_OK;
}

static bool
take_same(const struct trun *r, const struct trow *w)
{
	return w->assignee_id == r->req->actor->id && w->status != ST_NEW;
}

static void
take_detail(struct trun *r)
{
	json_object_set_new(r->details, "assignee", json_string(r->req->actor->name));
}

static void
take_suffix(const struct trun *r, struct strbuf *sb)
{
	strbuf_appendf(sb, " by %s", r->req->actor->name);
}

/* Moving an alert away from another analyst is a lead's call; the
 * database checks it too (vsoc_guard_owner). */
static enum triage_result
reassign_check(struct trun *r, const struct trow *w)
{
	const struct analyst *me = r->req->actor;

	if (w->assignee_id != 0 && w->assignee_id != me->id &&
	    (r->req->action == TA_UNASSIGN || w->assignee_id != r->target.id) &&
	    !analyst_can(me, ROLE_LEAD))
		return trun_fail(r, TRIAGE_DENIED, w->id, "alert %lld belongs to %s:"
		    " reassigning it needs the lead role (you are %s)", w->id,
		    trun_analyst_name(r, w->assignee_id), analyst_role_name(me->role));
	return TRIAGE_OK;
}

static enum triage_result
assign_resolve(struct trun *r)
{
	const char *p[1] = { r->req->assignee };
	PGresult *res;
	bool active;

	res = db_query(r->db, "SELECT id, name, active FROM analysts WHERE name = $1",
	    1, p);
	if (res == NULL)
		return trun_dberror(r);
	if (PQntuples(res) != 1) {
		PQclear(res);
		return trun_fail(r, TRIAGE_NOT_FOUND, 0, "no analyst named '%s'",
		    r->req->assignee);
	}
	r->target.id = db_int(res, 0, "id");
	snprintf(r->target.name, sizeof r->target.name, "%s", db_value(res, 0, "name"));
	active = db_bool(res, 0, "active");
	PQclear(res);
	if (!active)
		return trun_fail(r, TRIAGE_USAGE, 0, "analyst '%s' is not active",
		    r->target.name);
	return TRIAGE_OK;
}

static bool
assign_same(const struct trun *r, const struct trow *w)
{
	return w->assignee_id == r->target.id;
}

static void
assign_detail(struct trun *r)
{
	json_object_set_new(r->details, "assignee", json_string(r->target.name));
}

static void
assign_suffix(const struct trun *r, struct strbuf *sb)
{
	strbuf_appendf(sb, " to %s", r->target.name);
}

static bool
unassign_same(const struct trun *r, const struct trow *w)
{
	return w->assignee_id == 0;
}

/* Acknowledging an escalated alert is harmless: it is past that point. */
static bool
ack_same(const struct trun *r, const struct trow *w)
{
	return w->status != ST_NEW;
}

/* --- note ------------------------------------------------------------------ */

static enum triage_result
note_before(struct trun *r)
{
	char actor[16];
	const char *p[3];
	struct strbuf ids;
	PGresult *res;
	json_t *notes;
	int i;

	strbuf_init(&ids);
	triage_ids_text(&ids, r->ids, r->n);
	snprintf(actor, sizeof actor, "%d", r->req->actor->id);
	p[0] = ids.buf;
	p[1] = actor;
	p[2] = r->req->text;
	res = db_query(r->db, "INSERT INTO notes (alert_id, author_id, body)"
	    " SELECT unnest($1::bigint[]), $2::int, $3 RETURNING id", 3, p);
	strbuf_free(&ids);
	if (res == NULL)
		return trun_dberror(r);
	notes = json_array();
	for (i = 0; i < PQntuples(res); i++)
		json_array_append_new(notes, json_integer(db_ll(res, i, "id")));
	PQclear(res);
	/* The body stays in notes: it may quote anything, even a secret an
	 * analyst pasted, and the audit log is forever. */
	json_object_set_new(r->details, "notes", notes);
	json_object_set_new(r->details, "bytes", json_integer((json_int_t)strlen(r->req->text)));
	return TRIAGE_OK;
}

/* --- close, reopen --------------------------------------------------------- */

static void
close_detail(struct trun *r)
{
	json_object_set_new(r->details, "disposition",
	    json_string(disposition_name(r->req->disposition)));
}

static void
close_suffix(const struct trun *r, struct strbuf *sb)
{
	strbuf_appendf(sb, " as %s", disposition_name(r->req->disposition));
}

/* Ingest deduplicates on dedup_key while an alert is live (a unique
 * index); reopening one whose key a newer live alert took would break it.
 * Say which alert instead of showing the index violation. */
static enum triage_result
reopen_before(struct trun *r)
{
	struct strbuf ids;
	const char *p[1];
	PGresult *res;
	long long a, b;

	strbuf_init(&ids);
	triage_ids_text(&ids, r->changed, r->nchanged);
	p[0] = ids.buf;
	res = db_query(r->db, "SELECT a.id AS a, b.id AS b FROM alerts a"
	    " JOIN alerts b ON b.dedup_key = a.dedup_key AND b.id <> a.id"
	    " WHERE a.id = ANY($1::bigint[])"
	    "  AND (b.status NOT IN ('closed', 'suppressed') OR b.id = ANY($1::bigint[]))"
	    " ORDER BY a.id, b.id LIMIT 1", 1, p);
	strbuf_free(&ids);
	if (res == NULL)
		return trun_dberror(r);
	if (PQntuples(res) == 0) {
		PQclear(res);
		return TRIAGE_OK;
	}
	a = db_ll(res, 0, "a");
	b = db_ll(res, 0, "b");
	PQclear(res);
	return trun_fail(r, TRIAGE_CONFLICT, a, "alert %lld cannot be reopened: "
	    "alert %lld has the same dedup key and would be open too", a, b);
}

/* --- suppress -------------------------------------------------------------- */

static enum triage_result
suppress_check(struct trun *r, const struct trow *w)
{
	if (r->req->scope == SUPPRESS_EVIDENCE &&
	    trow_text(r, w, "evidence_value") == NULL)
		return trun_fail(r, TRIAGE_USAGE, w->id, "alert %lld has no evidence "
		    "field '%s'", w->id, r->req->evidence_key);
	return TRIAGE_OK;
}

/* One suppression per distinct (rule, asset) or (rule, evidence value)
 * among the selected alerts.  The evidence key is stored as the dotted
 * path the analyst gave; ingest splits it the same way to match new
 * alerts.  The alerts they cover were locked with the selection. */
static enum triage_result
suppress_before(struct trun *r)
{
	const struct triage_req *req = r->req;
	char actor[16], secs[32];
	const char *p[5];
	struct strbuf ids;
	PGresult *res;
	json_t *list;
	int i;

	strbuf_init(&ids);
	triage_ids_text(&ids, r->ids, r->n);
	snprintf(actor, sizeof actor, "%d", req->actor->id);
	snprintf(secs, sizeof secs, "%ld", req->duration);
	p[0] = ids.buf;
	p[1] = req->text;
	p[2] = actor;
	p[3] = secs;
	p[4] = req->evidence_key;
	if (req->scope == SUPPRESS_EVIDENCE)
		res = db_query(r->db, "INSERT INTO suppressions (rule_id, evidence_key,"
		    " evidence_value, reason, created_by, expires_at)"
		    " SELECT DISTINCT rule_id, $5::text,"
		    " evidence #>> string_to_array($5::text, '.'), $2::text, $3::int,"
		    " now() + make_interval(secs => $4::double precision)"
		    " FROM alerts WHERE id = ANY($1::bigint[])"
		    " RETURNING id, expires_at", 5, p);
	else
		res = db_query(r->db, "INSERT INTO suppressions (rule_id, asset_id,"
		    " reason, created_by, expires_at)"
		    " SELECT DISTINCT rule_id, asset_id, $2::text, $3::int,"
		    " now() + make_interval(secs => $4::double precision)"
		    " FROM alerts WHERE id = ANY($1::bigint[])"
		    " RETURNING id, expires_at", 4, p);
	strbuf_free(&ids);
	if (res == NULL)
		return trun_dberror(r);
	list = json_array();
	for (i = 0; i < PQntuples(res); i++) {
		long long id = db_ll(res, i, "id");

		if (r->out->suppression_id == 0 || id < r->out->suppression_id)
			r->out->suppression_id = id;
		json_array_append_new(list, json_integer(id));
	}
	r->nsuppressions = (size_t)PQntuples(res);
	if (PQntuples(res) > 0)
		json_object_set_new(r->details, "expires_at",
		    json_string(db_value(res, 0, "expires_at")));
	PQclear(res);
	json_object_set_new(r->details, "suppressions", list);
	return TRIAGE_OK;
}

static void
suppress_detail(struct trun *r)
{
	const struct triage_req *req = r->req;
	char dur[32];

	duration_text(dur, sizeof dur, req->duration);
	json_object_set_new(r->details, "scope",
	    json_string(req->scope == SUPPRESS_EVIDENCE ? "evidence" : "asset"));
	if (req->scope == SUPPRESS_EVIDENCE)
		json_object_set_new(r->details, "evidence_key",
		    json_string(req->evidence_key));
	json_object_set_new(r->details, "duration", json_integer(req->duration));
	json_object_set_new(r->details, "duration_text", json_string(dur));
	json_object_set_new(r->details, "selected", triage_ids_json(r->ids, r->n));
	json_object_set_new(r->details, "similar", json_integer((json_int_t)r->nsimilar));
}

static void
suppress_suffix(const struct trun *r, struct strbuf *sb)
{
	char dur[32];

	duration_text(dur, sizeof dur, r->req->duration);
	strbuf_appendf(sb, " for %s", dur);
	if (r->nsimilar > 0)
		strbuf_appendf(sb, " with %zu similar open alert%s", r->nsimilar,
		    r->nsimilar == 1 ? "" : "s");
	if (r->nsuppressions == 1)
		strbuf_appendf(sb, " (suppression %lld)", r->out->suppression_id);
	else
		strbuf_appendf(sb, " (%zu suppressions)", r->nsuppressions);
}
