/* alert.c: one alert, its notes and its history. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alert.h"
#include "db.h"
#include "format.h"
#include "strbuf.h"

long long
alert_id_parse(const char *s)
{
	long long v;

	return format_parse_id(s, &v) == 0 ? v : 0;
}

int
alert_get(struct db *db, long long id, struct alert *out)
{
	char idbuf[32];
	const char *p[1] = { idbuf };
	PGresult *res;
	const char *v;

	memset(out, 0, sizeof *out);
	snprintf(idbuf, sizeof idbuf, "%lld", id);
	res = db_query(db,
	    "SELECT a.id, a.rule_id, r.name AS rule_name, a.title, a.severity,"
	    " a.status, a.disposition, a.disposition_reason, a.asset_id, a.asset_ref,"
	    " s.kind AS asset_kind, s.name AS asset_name, a.first_seen, a.last_seen,"
	    " a.created_at, a.updated_at, a.closed_at, a.occurrences, a.dedup_key,"
	    " an.name AS assignee, a.incident_id, i.title AS incident_title,"
	    " a.evidence::text AS evidence, a.version"
	    " FROM alerts a"
	    " JOIN rules r ON r.id = a.rule_id"
	    " JOIN assets s ON s.id = a.asset_id"
	    " LEFT JOIN analysts an ON an.id = a.assignee_id"
	    " LEFT JOIN incidents i ON i.id = a.incident_id"
	    " WHERE a.id = $1", 1, p);
	if (res == NULL)
		return -1;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return 1;
	}
	out->id = db_ll(res, 0, "id");
	out->rule_id = db_dup(res, 0, "rule_id");
	out->rule_name = db_dup(res, 0, "rule_name");
	out->title = db_dup(res, 0, "title");
	out->severity = db_int(res, 0, "severity");
	out->status = status_parse(db_value(res, 0, "status"));
	v = db_value(res, 0, "disposition");
	out->disposition = v ? disposition_parse(v) : DISP_NONE;
	out->disposition_reason = db_dup(res, 0, "disposition_reason");
	out->asset_id = db_ll(res, 0, "asset_id");
	out->asset_ref = db_dup(res, 0, "asset_ref");
	out->asset_kind = db_dup(res, 0, "asset_kind");
	out->asset_name = db_dup(res, 0, "asset_name");
	out->first_seen = db_time(res, 0, "first_seen");
	out->last_seen = db_time(res, 0, "last_seen");
	out->created_at = db_time(res, 0, "created_at");
	out->updated_at = db_time(res, 0, "updated_at");
	out->closed_at = db_time(res, 0, "closed_at");
	out->occurrences = db_int(res, 0, "occurrences");
	out->dedup_key = db_dup(res, 0, "dedup_key");
	out->assignee = db_dup(res, 0, "assignee");
	out->incident_id = db_ll(res, 0, "incident_id");
	out->incident_title = db_dup(res, 0, "incident_title");
	out->evidence = db_dup(res, 0, "evidence");
	out->version = db_int(res, 0, "version");
	PQclear(res);
	return 0;
}

void
alert_free(struct alert *a)
{
	free(a->rule_id);
	free(a->rule_name);
	free(a->title);
	free(a->disposition_reason);
	free(a->asset_ref);
	free(a->asset_kind);
	free(a->asset_name);
	free(a->dedup_key);
	free(a->assignee);
	free(a->incident_title);
	free(a->evidence);
	memset(a, 0, sizeof *a);
}

/* JSON string or null; text from PostgreSQL is valid UTF-8, but never let
 * a NULL from jansson poison the document. */
static json_t *
jstr(const char *s)
{
	json_t *j;

	if (s == NULL)
		return json_null();
	j = json_string(s);
	return j ? j : json_string("(invalid UTF-8)");
}

static json_t *
jtime(time_t t)
{
	char buf[32];

	format_iso(buf, sizeof buf, t);
	return *buf ? json_string(buf) : json_null();
}

json_t *
alert_to_json(const struct alert *a)
{
	json_t *o = json_object(), *ev = NULL, *asset, *inc;
	json_error_t jerr;

	json_object_set_new(o, "id", json_integer(a->id));
	json_object_set_new(o, "rule", jstr(a->rule_id));
	json_object_set_new(o, "rule_name", jstr(a->rule_name));
	json_object_set_new(o, "title", jstr(a->title));
	json_object_set_new(o, "severity", json_string(severity_name(a->severity)));
	json_object_set_new(o, "status", json_string(status_name(a->status)));
	json_object_set_new(o, "disposition", a->disposition == DISP_NONE ?
	    json_null() : json_string(disposition_name(a->disposition)));
	json_object_set_new(o, "disposition_reason", jstr(a->disposition_reason));
	asset = json_object();
	json_object_set_new(asset, "id", json_integer(a->asset_id));
	json_object_set_new(asset, "kind", jstr(a->asset_kind));
	json_object_set_new(asset, "external_id", jstr(a->asset_ref));
	json_object_set_new(asset, "name", jstr(a->asset_name));
	json_object_set_new(o, "asset", asset);
	json_object_set_new(o, "assignee", jstr(a->assignee));
	json_object_set_new(o, "first_seen", jtime(a->first_seen));
	json_object_set_new(o, "last_seen", jtime(a->last_seen));
	json_object_set_new(o, "occurrences", json_integer(a->occurrences));
	json_object_set_new(o, "dedup_key", jstr(a->dedup_key));
	if (a->incident_id != 0) {
		inc = json_object();
		json_object_set_new(inc, "id", json_integer(a->incident_id));
		json_object_set_new(inc, "title", jstr(a->incident_title));
		json_object_set_new(o, "incident", inc);
	} else {
		json_object_set_new(o, "incident", json_null());
	}
	json_object_set_new(o, "created_at", jtime(a->created_at));
	json_object_set_new(o, "updated_at", jtime(a->updated_at));
	json_object_set_new(o, "closed_at", jtime(a->closed_at));
	json_object_set_new(o, "version", json_integer(a->version));
	if (a->evidence != NULL)
		ev = json_loads(a->evidence, JSON_DECODE_ANY, &jerr);
	json_object_set_new(o, "evidence", ev ? ev : json_object());
	return o;
}

int
alert_notes(struct db *db, long long id, struct alert_note **out)
{
	char idbuf[32];
	const char *p[1] = { idbuf };
	PGresult *res;
	int i, n;

	*out = NULL;
	snprintf(idbuf, sizeof idbuf, "%lld", id);
	res = db_query(db, "SELECT n.created_at, an.name AS author, n.body"
	    " FROM notes n JOIN analysts an ON an.id = n.author_id"
	    " WHERE n.alert_id = $1 ORDER BY n.created_at, n.id LIMIT 500", 1, p);
	if (res == NULL)
		return -1;
	n = PQntuples(res);
	*out = xcalloc((size_t)(n ? n : 1), sizeof **out);
	for (i = 0; i < n; i++) {
		(*out)[i].at = db_time(res, i, "created_at");
		(*out)[i].author = db_dup(res, i, "author");
		(*out)[i].body = db_dup(res, i, "body");
	}
	PQclear(res);
	return n;
}

void
alert_notes_free(struct alert_note *notes, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		free(notes[i].author);
		free(notes[i].body);
	}
	free(notes);
}

int
alert_history(struct db *db, long long id, int max, struct alert_event **out)
{
	char idbuf[32], maxbuf[16];
	const char *p[2] = { idbuf, maxbuf };
	PGresult *res;
	int i, n;

	*out = NULL;
	snprintf(idbuf, sizeof idbuf, "{%lld}", id);
	snprintf(maxbuf, sizeof maxbuf, "%d", max);
	/* The newest max records, shown oldest first. */
	res = db_query(db, "SELECT * FROM (SELECT id, at, actor, action,"
	    " details::text AS details FROM audit_log"
	    " WHERE alert_ids @> $1::bigint[] ORDER BY id DESC LIMIT $2) h"
	    " ORDER BY id", 2, p);
	if (res == NULL)
		return -1;
	n = PQntuples(res);
	*out = xcalloc((size_t)(n ? n : 1), sizeof **out);
	for (i = 0; i < n; i++) {
		(*out)[i].id = db_ll(res, i, "id");
		(*out)[i].at = db_time(res, i, "at");
		(*out)[i].actor = db_dup(res, i, "actor");
		(*out)[i].action = db_dup(res, i, "action");
		(*out)[i].details = db_dup(res, i, "details");
	}
	PQclear(res);
	return n;
}

void
alert_history_free(struct alert_event *ev, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		free(ev[i].actor);
		free(ev[i].action);
		free(ev[i].details);
	}
	free(ev);
}
