/* audit.c: one record per analyst action, in the action's transaction. */
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "audit.h"
#include "db.h"
#include "strbuf.h"

long long
audit_append(struct db *db, const char *action, const char *object_kind,
    long long object_id, const long long *alert_ids, size_t n_ids, json_t *details)
{
	struct strbuf ids;
	char oid[32], *det;
	const char *p[5];
	PGresult *res;
	long long id;
	size_t i;

	strbuf_init(&ids);
	strbuf_appendc(&ids, '{');
	for (i = 0; i < n_ids; i++)
		strbuf_appendf(&ids, "%s%lld", i ? "," : "", alert_ids[i]);
	strbuf_appendc(&ids, '}');
	snprintf(oid, sizeof oid, "%lld", object_id);
	det = details ? json_dumps(details, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	p[0] = action;
	p[1] = object_kind;
	p[2] = object_id ? oid : NULL;
	p[3] = ids.buf;
	p[4] = det ? det : "{}";
	res = db_query(db, "SELECT audit_record($1, $2, $3, $4::bigint[], $5::jsonb) AS id",
	    5, p);
	free(det);
	strbuf_free(&ids);
	if (res == NULL)
		return -1;
	id = db_ll(res, 0, "id");
	PQclear(res);
	return id;
}

void
audit_denied(struct db *db, const char *action, const char *object_kind,
    long long object_id, const long long *alert_ids, size_t n_ids, const char *why)
{
	char msg[sizeof db->errmsg], state[sizeof db->sqlstate];
	json_t *d;

	memcpy(msg, db->errmsg, sizeof msg);
	memcpy(state, db->sqlstate, sizeof state);
	d = json_object();
	json_object_set_new(d, "tried", json_string(action));
	if (why != NULL)
		json_object_set_new(d, "reason", json_stringn(why, strnlen(why, 1000)));
	/* Alone, autocommitted: the refused action was rolled back. */
	audit_append(db, "permission.denied", object_kind, object_id, alert_ids,
	    n_ids > 1000 ? 1000 : n_ids, d);
	json_decref(d);
	memcpy(db->errmsg, msg, sizeof msg);
	memcpy(db->sqlstate, state, sizeof state);
}
