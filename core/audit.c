/* audit.c: one record per analyst action, in the action's transaction. */
#include <stdlib.h>
#include <stdio.h>

#include "audit.h"
#include "db.h"
#include "strbuf.h"

long long
audit_append(struct db *db, const char *actor, const char *action,
    const char *object_kind, long long object_id, const long long *alert_ids,
    size_t n_ids, json_t *details)
{
	struct strbuf ids;
	char oid[32], *det;
	const char *p[6];
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
	p[0] = actor;
	p[1] = action;
	p[2] = object_kind;
	p[3] = object_id ? oid : NULL;
	p[4] = ids.buf;
	p[5] = det ? det : "{}";
	res = db_query(db, "INSERT INTO audit_log (actor, action, object_kind,"
	    " object_id, alert_ids, details) VALUES ($1, $2, $3, $4, $5::bigint[],"
	    " $6::jsonb) RETURNING id", 6, p);
	free(det);
	strbuf_free(&ids);
	if (res == NULL)
		return -1;
	id = db_ll(res, 0, "id");
	PQclear(res);
	return id;
}
