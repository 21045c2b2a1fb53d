/* triage_message.c: what an alert action leaves behind: its audit
 * record's details (the values before and after, grouped), the one-line
 * message for the analyst, and the conflict message naming who changed an
 * alert under the analyst's feet. */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "analyst.h"
#include "audit.h"
#include "db.h"
#include "model.h"
#include "strbuf.h"
#include "triage.h"
#include "triage_int.h"

/* --- outcomes ------------------------------------------------------------ */

void
triage_message_vset(char *msg, size_t len, const char *fmt, va_list ap)
{
	char *p;

	vsnprintf(msg, len, fmt, ap);
	/* One line, whatever the database said. */
	for (p = msg; *p != '\0'; p++)
		if (*p == '\n' || *p == '\r' || *p == '\t')
			*p = ' ';
}

void
triage_outcome_vset(struct triage_outcome *out, enum triage_result res, long long id,
    const char *fmt, va_list ap)
{
	out->result = res;
	out->failed_id = id;
	triage_message_vset(out->message, sizeof out->message, fmt, ap);
}

enum triage_result
triage_usage(struct triage_outcome *out, long long id, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	triage_outcome_vset(out, TRIAGE_USAGE, id, fmt, ap);
	va_end(ap);
	return TRIAGE_USAGE;
}

json_t *
triage_ids_json(const long long *ids, size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(a, json_integer(ids[i]));
	return a;
}

/* The name of an assignee of a locked alert ("" if unknown). */
const char *
trun_analyst_name(const struct trun *r, int id)
{
	int i;

	if (id == 0)
		return NOBODY;
	if (id == r->req->actor->id)
		return r->req->actor->name;
	if (id == r->target.id)
		return r->target.name;
	for (i = 0; r->names != NULL && i < PQntuples(r->names); i++)
		if (db_int(r->names, i, "id") == id)
			return db_value(r->names, i, "name");
	return "";
}

/* --- the audit record ---------------------------------------------------- */

/* Group the changed alerts by a previous value: {"new": [1, 2], ...}. */
static void
details_previous(struct trun *r, const char *key, int what)
{
	json_t *groups = json_object();
	size_t i;

	for (i = 0; i < r->nrows; i++) {
		const struct trow *w = &r->rows[i];
		const char *v;
		json_t *list;

		if (!w->change)
			continue;
		if (what == PREV_STATUS)
			v = status_name(w->status);
		else if (what == PREV_ASSIGNEE)
			v = trun_analyst_name(r, w->assignee_id);
		else
			v = trow_text(r, w, "disposition");
		if (v == NULL)
			v = NOBODY;
		if ((list = json_object_get(groups, v)) == NULL) {
			list = json_array();
			json_object_set_new(groups, v, list);
		}
		json_array_append_new(list, json_integer(w->id));
	}
	json_object_set_new(r->details, key, groups);
}

/* The values the changed alerts have now, beside the previous_* groups:
 * the record says what changed from what to what. */
static void
details_after(struct trun *r)
{
	const struct triage_req *req = r->req;
	json_t *after = json_object(), *reopened;
	bool was_new = false;
	size_t i;

	for (i = 0; i < r->nrows; i++)
		if (r->rows[i].change && r->rows[i].status == ST_NEW)
			was_new = true;
	if (r->spec->to != ST_UNKNOWN)
		json_object_set_new(after, "status", json_string(status_name(r->spec->to)));
	switch (req->action) {
	case TA_TAKE:
		json_object_set_new(after, "assignee", json_string(req->actor->name));
		if (was_new)
			json_object_set_new(after, "status", json_string("acknowledged"));
		break;
	case TA_ASSIGN:
		json_object_set_new(after, "assignee", json_string(r->target.name));
		break;
	case TA_UNASSIGN:
		json_object_set_new(after, "assignee", json_null());
		break;
	case TA_CLOSE:
		json_object_set_new(after, "disposition",
		    json_string(disposition_name(req->disposition)));
		break;
	case TA_ESCALATE:
		json_object_set_new(after, "incident", json_integer(r->incident));
		break;
	case TA_REOPEN:
		/* Back to new, or to acknowledged when someone owns it. */
		reopened = json_object();
		for (i = 0; i < r->nrows; i++) {
			const char *st;
			json_t *list;

			if (!r->rows[i].change)
				continue;
			st = r->rows[i].assignee_id ? "acknowledged" : "new";
			if ((list = json_object_get(reopened, st)) == NULL) {
				list = json_array();
				json_object_set_new(reopened, st, list);
			}
			json_array_append_new(list, json_integer(r->rows[i].id));
		}
		json_object_set_new(after, "status", reopened);
		break;
	default:
		break;
	}
	if (json_object_size(after) > 0)
		json_object_set_new(r->details, "after", after);
	else
		json_decref(after);
}

enum triage_result
triage_audit(struct trun *r)
{
	const struct tspec *spec = r->spec;
	char action[32];
	long long id;
	size_t i;

	if (r->nsame > 0) {
		json_t *same = json_array();

		for (i = 0; i < r->nrows; i++)
			if (r->rows[i].same)
				json_array_append_new(same, json_integer(r->rows[i].id));
		json_object_set_new(r->details, "unchanged", same);
	}
	if (spec->text == TEXT_REASON)
		json_object_set_new(r->details, "reason", json_string(r->req->text));
	if (spec->prev & PREV_STATUS)
		details_previous(r, "previous_status", PREV_STATUS);
	if (spec->prev & PREV_ASSIGNEE)
		details_previous(r, "previous_assignee", PREV_ASSIGNEE);
	if (spec->prev & PREV_DISP)
		details_previous(r, "previous_disposition", PREV_DISP);
	if (spec->detail != NULL)
		spec->detail(r);
	details_after(r);

	if (r->req->audit_extra != NULL)
		json_object_update(r->details, r->req->audit_extra);
	if (r->req->audit_action != NULL)
		snprintf(action, sizeof action, "%s", r->req->audit_action);
	else
		snprintf(action, sizeof action, "alert.%s", spec->name);
	if (r->req->action == TA_ESCALATE)
		id = audit_append(r->db, action, "incident", r->incident, r->touched,
		    r->ntouched, r->details);
	else
		id = audit_append(r->db, action, "alert", r->n == 1 ? r->ids[0] : 0,
		    r->touched, r->ntouched, r->details);
	if (id < 0)
		return trun_dberror(r);
	r->out->audit_id = id;
	return TRIAGE_OK;
}

/* --- messages ------------------------------------------------------------ */

/* "alert 42 taken by alice", "3 alerts closed as false_positive (1 ...)" */
void
triage_message(struct trun *r)
{
	const struct tspec *spec = r->spec;
	size_t nreq_changed = r->n - r->nsame;
	struct strbuf sb;

	strbuf_init(&sb);
	if (spec->lead != NULL) {
		strbuf_appendf(&sb, "%s ", spec->lead);
		if (r->n == 1)
			strbuf_appendf(&sb, "alert %lld", r->ids[0]);
		else
			strbuf_appendf(&sb, "%zu alerts", r->n);
	} else {
		size_t count = nreq_changed ? nreq_changed : r->n;

		if (r->n == 1)
			strbuf_appendf(&sb, "alert %lld ", r->ids[0]);
		else
			strbuf_appendf(&sb, "%zu alert%s ", count, count == 1 ? "" : "s");
		strbuf_appendf(&sb, "%s%s", nreq_changed == 0 ? "already " : "", spec->done);
		if (spec->suffix != NULL)
			spec->suffix(r, &sb);
		if (nreq_changed > 0 && r->nsame > 0)
			strbuf_appendf(&sb, " (%zu already)", r->nsame);
	}
	snprintf(r->out->message, sizeof r->out->message, "%s", sb.buf);
	strbuf_free(&sb);
}

/* Who changed the alert under the analyst's feet, for the conflict
 * message: the last audit record that changed it (notes and no-ops do not
 * change versions).  Best effort: without it the versions alone say it. */
void
triage_stale_message(struct trun *r)
{
	const struct trow *w = r->stale;
	char id[32];
	const char *p[1] = { id };
	PGresult *res;

	snprintf(id, sizeof id, "%lld", w->id);
	res = db_query(r->db, "SELECT actor, CASE WHEN at::date = now()::date"
	    " THEN to_char(at, 'HH24:MI') ELSE to_char(at, 'YYYY-MM-DD HH24:MI') END"
	    " AS at FROM audit_log WHERE alert_ids @> ARRAY[$1::bigint]"
	    " AND action <> 'alert.note'"
	    " AND NOT coalesce(details -> 'unchanged' @> to_jsonb($1::bigint), false)"
	    " ORDER BY id DESC LIMIT 1", 1, p);
	if (res != NULL && PQntuples(res) == 1)
		trun_fail(r, TRIAGE_CONFLICT, w->id, "alert %lld was changed by %s at "
		    "%s UTC (version %d, you had %d); reload and retry", w->id,
		    db_value(res, 0, "actor"), db_value(res, 0, "at"), w->version,
		    w->expect);
	PQclear(res);
}
