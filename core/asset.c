/* asset.c: one asset, for the console's asset panel. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asset.h"
#include "db.h"
#include "format.h"
#include "strbuf.h"

int
asset_get(struct db *db, long long id, struct asset *out)
{
	char idbuf[32];
	const char *p[1] = { idbuf };
	PGresult *res;

	memset(out, 0, sizeof *out);
	snprintf(idbuf, sizeof idbuf, "%lld", id);
	/* The open-alert count uses alerts_asset_idx and stops at 1000: a
	 * panel needs "many", not an exact scan of a noisy station. */
	res = db_query(db,
	    "SELECT s.id, s.kind, s.external_id, s.name, s.criticality,"
	    " s.attributes::text AS attributes, s.created_at, s.updated_at,"
	    " p.kind || ' ' || p.external_id AS parent_ref,"
	    /* Without the twin's working memory (its "_" keys, core/twin.h). */
	    " CASE WHEN st.state IS NOT NULL THEN (SELECT coalesce(jsonb_object_agg(k, v),"
	    "   '{}')::text FROM jsonb_each(st.state) e(k, v) WHERE left(k, 1) <> '_') END"
	    "   AS state, st.as_of AS state_as_of,"
	    " (SELECT count(*) FROM (SELECT 1 FROM alerts a WHERE a.asset_id = s.id"
	    "   AND a.status IN ('new', 'acknowledged', 'escalated') LIMIT 1000) x)"
	    "   AS open_alerts"
	    " FROM assets s"
	    " LEFT JOIN assets p ON p.id = s.parent_id"
	    " LEFT JOIN asset_state st ON st.asset_id = s.id"
	    " WHERE s.id = $1", 1, p);
	if (res == NULL)
		return -1;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return 1;
	}
	out->id = db_ll(res, 0, "id");
	out->kind = db_dup(res, 0, "kind");
	out->external_id = db_dup(res, 0, "external_id");
	out->name = db_dup(res, 0, "name");
	out->criticality = db_int(res, 0, "criticality");
	out->parent_ref = db_dup(res, 0, "parent_ref");
	out->attributes = db_dup(res, 0, "attributes");
	out->state = db_dup(res, 0, "state");
	out->state_as_of = db_time(res, 0, "state_as_of");
	out->open_alerts = db_ll(res, 0, "open_alerts");
	out->created_at = db_time(res, 0, "created_at");
	out->updated_at = db_time(res, 0, "updated_at");
	PQclear(res);
	return 0;
}

void
asset_free(struct asset *a)
{
	free(a->kind);
	free(a->external_id);
	free(a->name);
	free(a->parent_ref);
	free(a->attributes);
	free(a->state);
	memset(a, 0, sizeof *a);
}
