/* incident_view.c: the incident list and one incident, as JSON documents
 * (see incident_view.h).  Each column becomes a JSON value by its type, so
 * the SQL below is the whole description of the documents. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "db.h"
#include "incident_view.h"

/* PostgreSQL type oids of the columns we convert (pg_type.h). */
#define OID_BOOL	16
#define OID_INT8	20
#define OID_INT2	21
#define OID_INT4	23
#define OID_JSON	114
#define OID_JSONB	3802

#define ISO(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

static json_t *
row_json(const PGresult *res, int row)
{
	json_t *o = json_object(), *v;
	int c;

	for (c = 0; c < PQnfields(res); c++) {
		const char *s = PQgetvalue(res, row, c);

		if (PQgetisnull(res, row, c)) {
			v = json_null();
		} else {
			switch (PQftype(res, c)) {
			case OID_BOOL:
				v = json_boolean(s[0] == 't');
				break;
			case OID_INT2:
			case OID_INT4:
			case OID_INT8:
				v = json_integer(strtoll(s, NULL, 10));
				break;
			case OID_JSON:
			case OID_JSONB:
				if ((v = json_loads(s, JSON_DECODE_ANY, NULL)) == NULL)
					v = json_string(s);
				break;
			default:
				/* Stored text is valid UTF-8 (the database's encoding);
				 * json_string refuses anything else, so never NULL. */
				if ((v = json_string(s)) == NULL)
					v = json_null();
				break;
			}
		}
		json_object_set_new(o, PQfname(res, c), v);
	}
	return o;
}

static json_t *
rows_json(const PGresult *res)
{
	json_t *a = json_array();
	int i;

	for (i = 0; i < PQntuples(res); i++)
		json_array_append_new(a, row_json(res, i));
	return a;
}

json_t *
incident_list_json(struct db *db, const struct incident_filter *f)
{
	char owner[16], after[32], limit[32];
	const char *p[4];
	PGresult *res;
	json_t *doc, *rows;
	long n = f->limit > 0 && f->limit <= INCIDENT_LIST_MAX ? f->limit : 50;

	snprintf(owner, sizeof owner, "%d", f->owner_id);
	snprintf(after, sizeof after, "%lld", f->after);
	snprintf(limit, sizeof limit, "%ld", n);
	p[0] = f->status;
	p[1] = f->owner_set ? owner : NULL;
	p[2] = f->after > 0 ? after : NULL;
	p[3] = limit;
	/* Newest first, keyset on id: "--after 812" is the page below 812,
	 * whatever was inserted above it meanwhile. */
	res = db_query(db, "SELECT i.id, i.title, i.status,"
	    " i.severity AS severity,"
	    " coalesce(i.severity_computed, i.severity) AS computed_severity, i.severity_override,"
	    " an.name AS owner, i.version, i.merged_into,"
	    " (SELECT count(*) FROM alerts a WHERE a.incident_id = i.id) AS alerts,"
	    " (SELECT count(*) FROM alerts a WHERE a.incident_id = i.id"
	    "   AND a.status IN ('new', 'acknowledged', 'escalated')) AS open_alerts,"
	    " " ISO("i.updated_at") " AS updated_at"
	    " FROM incidents i LEFT JOIN analysts an ON an.id = i.owner_id"
	    " WHERE CASE WHEN $1::text IS NULL THEN i.status <> 'closed'"
	    "  WHEN $1 = 'all' THEN true ELSE i.status = $1 END"
	    " AND ($2::int IS NULL OR coalesce(i.owner_id, 0) = $2)"
	    " AND ($3::bigint IS NULL OR i.id < $3)"
	    " ORDER BY i.id DESC LIMIT $4::int", 4, p);
	if (res == NULL)
		return NULL;
	rows = rows_json(res);
	doc = json_object();
	json_object_set_new(doc, "incidents", rows);
	json_object_set_new(doc, "next_after", PQntuples(res) == n ?
	    json_integer(db_ll(res, PQntuples(res) - 1, "id")) : json_null());
	PQclear(res);
	return doc;
}

/* Parts of one incident: key, SQL with $1 the incident id. */
static const struct {
	const char	*key;
	const char	*sql;
} parts[] = {
	{ "alerts",
	  "SELECT id, severity, status, rule_id, title, asset_ref, version,"
	  " " ISO("last_seen") " AS last_seen FROM alerts WHERE incident_id = $1"
	  " ORDER BY severity DESC, id LIMIT 1000" },
	{ "assets",
	  "SELECT a.id, a.kind, a.external_id, a.name, a.criticality"
	  " FROM incident_assets ia JOIN assets a ON a.id = ia.asset_id"
	  " WHERE ia.incident_id = $1 ORDER BY a.kind, a.external_id" },
	{ "notes",
	  "SELECT n.id, an.name AS author, " ISO("n.created_at") " AS at, n.body"
	  " FROM notes n LEFT JOIN analysts an ON an.id = n.author_id"
	  " WHERE n.incident_id = $1 ORDER BY n.created_at DESC, n.id DESC" },
	/* The incident's own records, and those of merges and moves into it
	 * (their object is the other incident). */
	{ "timeline",
	  "SELECT seq, " ISO("at") " AS at, actor, action, details FROM audit_log"
	  " WHERE object_kind = 'incident' AND (object_id = $1"
	  "  OR (action = 'incident.merge' AND details ->> 'into' = $1::text)"
	  "  OR (action = 'incident.move' AND details ->> 'to' = $1::text))"
	  " ORDER BY seq DESC LIMIT 200" },
	{ "merged_from",
	  "SELECT id, title FROM incidents WHERE merged_into = $1 ORDER BY id" },
	/* Its on-call pages, newest first, with their delivery state
	 * (last_error is the backend's message, redacted and sanitized by
	 * the deliverer). */
	{ "pages",
	  "SELECT id, channel, action, status, attempts, last_code AS code,"
	  " last_error AS error, " ISO("next_attempt") " AS next_attempt,"
	  " " ISO("sent_at") " AS sent_at, " ISO("updated_at") " AS updated_at"
	  " FROM outbox WHERE incident_id = $1 ORDER BY id DESC LIMIT 50" },
};

json_t *
incident_show_json(struct db *db, long long id, bool *found)
{
	char num[32];
	const char *p[1] = { num };
	PGresult *res;
	json_t *doc, *sev;
	size_t i;

	*found = false;
	snprintf(num, sizeof num, "%lld", id);
	res = db_query(db, "SELECT i.id, i.title, i.status, i.version, i.scope, i.summary,"
	    " i.resolution, i.merged_into, i.impact, ow.name AS owner,"
	    " ub.name AS updated_by, " ISO("i.created_at") " AS created_at,"
	    " " ISO("i.updated_at") " AS updated_at, " ISO("i.closed_at") " AS closed_at,"
	    " i.severity AS effective, coalesce(i.severity_computed, i.severity) AS computed,"
	    " i.severity_override AS override, i.severity_override_reason AS override_reason,"
	    " ob.name AS override_by, " ISO("i.severity_override_at") " AS override_at,"
	    " (i.severity_explanation->'lines')::text AS explanation,"
	    " (SELECT count(*) FROM alerts a WHERE a.incident_id = i.id) AS alerts_total"
	    " FROM incidents i LEFT JOIN analysts ow ON ow.id = i.owner_id"
	    " LEFT JOIN analysts ub ON ub.id = i.updated_by"
	    " LEFT JOIN analysts ob ON ob.id = i.severity_override_by"
	    " WHERE i.id = $1", 1, p);
	if (res == NULL) {
		*found = true;
		return NULL;
	}
	if (PQntuples(res) != 1) {
		PQclear(res);
		return NULL;
	}
	*found = true;
	doc = row_json(res, 0);
	PQclear(res);
	/* Severity as one object: what counts, what was computed, and the
	 * override with its reason when there is one. */
	sev = json_object();
	for (i = 0; i < 6; i++) {
		static const char *const k[] = { "effective", "computed", "override",
		    "override_reason", "override_by", "override_at" };

		json_object_set(sev, k[i], json_object_get(doc, k[i]));
		json_object_del(doc, k[i]);
	}
	/* The classifier's explanation (sql/005, core/severity.c): one line
	 * per factor that moved the computed severity; [] before the first
	 * computation. */
	{
		json_t *v = json_object_get(doc, "explanation");
		json_t *lines = json_is_string(v) ?
		    json_loads(json_string_value(v), JSON_DECODE_ANY, NULL) : NULL;

		json_object_set_new(sev, "explanation",
		    json_is_array(lines) ? lines : json_array());
		if (lines != NULL && !json_is_array(lines))
			json_decref(lines);
		json_object_del(doc, "explanation");
	}
	json_object_set_new(doc, "severity", sev);
	for (i = 0; i < sizeof parts / sizeof parts[0]; i++) {
		if ((res = db_query(db, parts[i].sql, 1, p)) == NULL) {
			json_decref(doc);
			return NULL;
		}
		json_object_set_new(doc, parts[i].key, rows_json(res));
		PQclear(res);
	}
	return doc;
}
